"""The README's and the docs' snippets run as written, so they cannot rot.

A fenced block is run when the line before its opening fence (blank lines aside) is the marker
`<!-- test: run -->`. Languages: `sh` (bash with `-e -o pipefail`), `js` (node), `python`.
Each block runs in a fresh temporary directory with `ossd` on the PATH (a link to `$OSSD_BIN`)
and the address `127.0.0.1:9000` (and `localhost:9000`) rewritten to a free port:

- a `sh` block that starts `ossd serve` itself runs verbatim with `OSSD_ADDR` and
  `OSSD_ENDPOINT` set to that port; what it leaves running is killed afterwards;
- any other block runs against a fresh `ossd serve --dev --memory` on that port.

Run: `cd tests/sdk/python && OSSD_BIN=... .venv/bin/python -m pytest -q test_docs_snippets.py`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ossd_harness import OSSD_BIN, REPO_ROOT

DOCS = ["README.md", "docs/emulator.md", "docs/cli.md", "docs/s3.md"]
MARKER = "<!-- test: run -->"
NODE_MODULES = REPO_ROOT / "tests" / "sdk" / "node" / "node_modules"
FENCE = re.compile(r"^```(\w+)\s*$")
TIMEOUT = 120


def snippets(doc: str) -> list[tuple[str, int, str, str]]:
    """The marked blocks of `doc`: (doc, line of the fence, language, code)."""
    lines = (REPO_ROOT / doc).read_text(encoding="utf-8").splitlines()
    found = []
    marked = False
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence and marked:
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), None)
            assert end is not None, f"{doc}:{i + 1}: unclosed block"
            found.append((doc, i + 1, fence.group(1), "\n".join(lines[i + 1:end]) + "\n"))
            i, marked = end + 1, False
            continue
        if line.strip() == MARKER:
            marked = True
        elif line.strip():
            marked = False
        if line.startswith("```"):
            # skip an unmarked block so that a marker inside it is not taken
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), len(lines))
            i = end
        i += 1
    return found


ALL = [s for doc in DOCS for s in snippets(doc)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(work: Path, port: int) -> dict:
    """A clean environment: no OSSD_*/OSS_*/AWS_* settings or profile file from outside, `ossd`
    on the PATH."""
    bin_dir = work / ".bin"
    bin_dir.mkdir()
    (bin_dir / "ossd").symlink_to(Path(OSSD_BIN).resolve())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OSSD_", "OSS_", "AWS_"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["OSSD_ADDR"] = f"127.0.0.1:{port}"
    env["OSSD_ENDPOINT"] = f"http://127.0.0.1:{port}"
    env["NODE_PATH"] = str(NODE_MODULES)
    env["HOME"] = str(work)
    # the CLI's profile file is $XDG_CONFIG_HOME/ossd/config.toml: keep it in `work` too
    env.pop("XDG_CONFIG_HOME", None)
    return env


def start_server(env: dict, cwd: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(OSSD_BIN), "serve", "--dev", "--memory"],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("ossd listening on"):
        proc.kill()
        raise AssertionError(f"ossd serve did not start: {line!r}")
    return proc


def stop(proc: subprocess.Popen | None, group: bool = False) -> None:
    if proc is None or proc.poll() is not None and not group:
        return
    try:
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


def command(lang: str, path: Path) -> list[str]:
    if lang == "sh":
        return ["bash", "-e", "-o", "pipefail", str(path)]
    if lang == "js":
        if shutil.which("node") is None:
            pytest.skip("node is not installed")
        return ["node", str(path)]
    if lang == "python":
        return [sys.executable, str(path)]
    raise AssertionError(f"no runner for ```{lang}")


def test_there_are_marked_snippets():
    docs = {doc for doc, *_ in ALL}
    assert {"README.md", "docs/emulator.md", "docs/cli.md"} <= docs, docs


@pytest.mark.parametrize("doc,line,lang,code", ALL, ids=[f"{d}:{n}" for d, n, *_ in ALL])
def test_snippet_runs(doc: str, line: int, lang: str, code: str):
    assert Path(OSSD_BIN).exists(), f"OSSD_BIN {OSSD_BIN} does not exist"
    port = free_port()
    code = code.replace("127.0.0.1:9000", f"127.0.0.1:{port}").replace("localhost:9000", f"localhost:{port}")
    with tempfile.TemporaryDirectory(prefix="ossd-doc-") as tmp:
        work = Path(tmp)
        env = environment(work, port)
        own_server = lang == "sh" and re.search(r"^\s*ossd serve\b", code, re.M) is not None
        server = None if own_server else start_server(env, work)
        script = work / {"sh": "snippet.sh", "js": "snippet.js", "python": "snippet.py"}[lang]
        script.write_text(code, encoding="utf-8")
        log = work / "output.log"
        with open(log, "w", encoding="utf-8") as sink:
            # output to a file: a background server the snippet leaves keeps a pipe open
            proc = subprocess.Popen(
                command(lang, script), cwd=work, env=env, start_new_session=True,
                stdout=sink, stderr=subprocess.STDOUT, text=True,
            )
            try:
                proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                sink.write("\n(timed out)\n")
            finally:
                # the snippet's own background server, if any, is in its process group
                stop(proc, group=True)
                stop(server)
        out = log.read_text(encoding="utf-8", errors="replace")
        assert proc.returncode == 0, f"{doc}:{line} ```{lang} failed ({proc.returncode}):\n{out}"
