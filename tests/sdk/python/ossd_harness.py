"""Start and stop an ossd process for end-to-end tests (shared by the SDK suite and the crash test)."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
OSSD_BIN = Path(os.environ.get("OSSD_BIN") or REPO_ROOT / "target" / "debug" / "ossd")
ACCESS_KEY_ID = "LTAI5tTestRootKey0001"
ACCESS_KEY_SECRET = "TestRootSecret0123456789abcdefgh"
REGION = "cn-hangzhou"

_LISTEN_RE = re.compile(r"ossd listening on (https?)://127\.0\.0\.1:(\d+)")
_S3_LISTEN_RE = re.compile(r"S3 endpoint: +https?://127\.0\.0\.1:(\d+)")


def _open_log_file():
    """A new file in `$OSSD_TEST_LOG_DIR` for one server's log (stderr), or None when unset."""
    log_dir = os.environ.get("OSSD_TEST_LOG_DIR")
    if not log_dir:
        return None
    os.makedirs(log_dir, exist_ok=True)
    fd, _ = tempfile.mkstemp(prefix="py-", suffix=".log", dir=log_dir)
    return os.fdopen(fd, "w", encoding="utf-8")


class OssdServer:
    """One ossd process on 127.0.0.1 with a random port and its own data dir."""

    def __init__(
        self,
        data_dir: str | os.PathLike | None = None,
        extra_env: dict | None = None,
        tls: bool = False,
        extra_args: list[str] | None = None,
    ):
        self._own_dir = data_dir is None
        self.tls = tls
        self.data_dir = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="ossd-py-"))
        if self._own_dir:
            # Removed even when a test never calls cleanup() (a failed start, an early exit);
            # atexit runs last-registered first, so start()'s kill runs before this.
            atexit.register(self.cleanup)
        self.extra_env = extra_env or {}
        self.extra_args = list(extra_args or [])
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        # The S3 listener's port, when started with `--s3-addr` (see `s3_endpoint`).
        self.s3_port: int | None = None
        self.log: list[str] = []
        self._log_lock = threading.Lock()

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def endpoint(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def s3_endpoint(self) -> str:
        """The `--s3-addr` listener (anonymous requests there are S3); signed S3 requests work on
        `endpoint` too."""
        return f"{self.scheme}://127.0.0.1:{self.s3_port}"

    @property
    def cert_path(self) -> Path:
        """The development certificate written by --tls-self-signed."""
        return self.data_dir / "tls" / "dev-cert.pem"

    def start(self, timeout: float = 20.0) -> "OssdServer":
        if not OSSD_BIN.exists():
            raise RuntimeError(f"ossd binary not found at {OSSD_BIN} (cargo build -p ossd, or set OSSD_BIN)")
        env = dict(os.environ)
        env.pop("OSSD_ADDR", None)
        env.pop("OSSD_DATA_DIR", None)
        env.pop("OSSD_TLS_SELF_SIGNED", None)
        env["OSSD_ROOT_ACCESS_KEY_ID"] = ACCESS_KEY_ID
        env["OSSD_ROOT_ACCESS_KEY_SECRET"] = ACCESS_KEY_SECRET
        env.update(self.extra_env)
        args = [str(OSSD_BIN), "serve", "--addr", "127.0.0.1:0", "--data-dir", str(self.data_dir), "--region", REGION]
        if self.tls:
            args.append("--tls-self-signed")
        args.extend(self.extra_args)
        self.proc = subprocess.Popen(
            args,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        atexit.register(self.kill)  # never leave a server behind if the test process dies early
        found = threading.Event()
        wants_s3 = "--s3-addr" in self.extra_args

        log_file = _open_log_file()

        def reader(stream, sink):
            for line in stream:
                if sink is not None:
                    sink.write(line)
                    sink.flush()
                with self._log_lock:
                    self.log.append(line)
                    if len(self.log) > 5000:
                        del self.log[:1000]
                m = _S3_LISTEN_RE.search(line)
                if m and self.s3_port is None:
                    self.s3_port = int(m.group(1))
                if self.port is None:
                    m = _LISTEN_RE.search(line)
                    if m and m.group(1) == self.scheme:
                        self.port = int(m.group(2))
                if self.port is not None and (self.s3_port is not None or not wants_s3):
                    found.set()

        # stdout carries the banner (which may print the root secret on purpose); stderr is the
        # log, kept in OSSD_TEST_LOG_DIR for the suite-wide scan for leaked secrets.
        threading.Thread(target=reader, args=(self.proc.stdout, None), daemon=True).start()
        threading.Thread(target=reader, args=(self.proc.stderr, log_file), daemon=True).start()
        deadline = time.monotonic() + timeout
        while not found.is_set():
            if self.proc.poll() is not None:
                raise RuntimeError(f"ossd exited early with {self.proc.returncode}:\n{self.tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"ossd did not print its address within {timeout}s:\n{self.tail()}")
            found.wait(0.05)
        return self

    def tail(self, n: int = 60) -> str:
        with self._log_lock:
            return "".join(self.log[-n:])

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM and wait (graceful shutdown). Returns the exit code."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def kill(self) -> None:
        """SIGKILL (crash)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def cleanup(self) -> None:
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
