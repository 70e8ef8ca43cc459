"""Crash consistency: SIGKILL ossd in the middle of 100 concurrent PUTs (1 KiB..4 MiB, some streamed
slowly so the kill lands mid-body), restart it on the same data dir, and check that acknowledged writes
survived bit-exact, that no object is partial, and that no orphan blob or temp file is left behind.
A second round on the same data dir adds concurrent DELETEs and COPYs of the first round's objects.

Run: tests/sdk/python/.venv/bin/python -m pytest tests/crash -v
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sdk" / "python"))

import oss2  # noqa: E402

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, OssdServer  # noqa: E402
from raw_helpers import signed_request  # noqa: E402

# ---- server layout (confirmed by the lead; adjust here if the layout changes) ----
# Data files of objects live under <data-dir>/BLOB_OBJECTS_DIR/xx/yy/<id>; in-progress uploads under
# <data-dir>/BLOB_TMP_DIR. Objects of at most INLINE_THRESHOLD bytes are stored inline in the metadata
# and have no data file.
BLOB_OBJECTS_DIR = "blobs/objects"
BLOB_TMP_DIR = "blobs/tmp"
INLINE_THRESHOLD = int(os.environ.get("OSSD_TEST_INLINE_THRESHOLD", "4096"))

N_PUTS = 100
WORKERS = 12
MIN_SIZE = 1024
MAX_SIZE = 4 * 1024 * 1024
KILL_AFTER_COMPLETED = 35  # SIGKILL once this many PUTs have finished (in flight: up to WORKERS more)
SHARED_KEYS = 5  # keys written several times (the rest get one PUT each)
GC_GRACE_S = 15.0  # time allowed after restart for recovery/GC of orphans to finish


class Attempt:
    """One request: a PUT of `body`, a DELETE of `key`, or a COPY of `src` (whose body is `body`) to `key`."""

    def __init__(self, key: str, body: bytes, slow: bool = False, kind: str = "put", src: str | None = None):
        self.kind = kind
        self.key = key
        self.src = src
        self.body = body
        self.slow = slow  # streamed in chunks with pauses, so that the kill lands mid-body
        self.md5 = hashlib.md5(body).hexdigest().upper()
        self.status: int | None = None
        self.error: str | None = None


def _plan(rng: random.Random, round_no: int) -> list[Attempt]:
    attempts = []
    for i in range(N_PUTS):
        if i % 5 == 0:
            key = f"r{round_no}/shared-{(i // 5) % SHARED_KEYS}"
        else:
            key = f"r{round_no}/unique-{i:03d}"
        # log-uniform sizes between 1 KiB and 4 MiB so that both small and large objects occur
        size = int(2 ** rng.uniform(10, 22))
        size = max(MIN_SIZE, min(MAX_SIZE, size))
        attempts.append(Attempt(key, rng.randbytes(size), slow=(i % 3 == 0)))
    rng.shuffle(attempts)
    return attempts


N_DELETES = 15
N_COPIES = 15


def _deletes_and_copies(rng: random.Random, server: OssdServer, bucket: str, earlier: list[Attempt]) -> list[Attempt]:
    """DELETEs of some live earlier objects and COPYs of others (disjoint sets, single-writer keys)."""
    listed = _list_all(server, bucket)
    writers: dict[str, list[Attempt]] = {}
    for a in earlier:
        writers.setdefault(a.key, []).append(a)
    candidates = sorted(k for k, ws in writers.items() if len(ws) == 1 and k in listed and ws[0].kind == "put")
    rng.shuffle(candidates)
    to_delete = candidates[:N_DELETES]
    to_copy = candidates[N_DELETES : N_DELETES + N_COPIES]
    ops = [Attempt(k, b"", kind="delete") for k in to_delete]
    ops += [Attempt(f"r2/copy-{i:02d}", writers[k][0].body, kind="copy", src=k) for i, k in enumerate(to_copy)]
    return ops


def _slow_chunks(body: bytes, chunk: int = 64 * 1024, pause: float = 0.01):
    for off in range(0, len(body), chunk):
        yield body[off : off + chunk]
        time.sleep(pause)


def _run_puts_and_kill(server: OssdServer, bucket: str, attempts: list[Attempt]) -> None:
    done = 0
    lock = threading.Lock()
    kill_now = threading.Event()

    def one(a: Attempt):
        nonlocal done
        try:
            if a.kind == "delete":
                r = signed_request(server.endpoint, "DELETE", f"/{bucket}/{a.key}")
            elif a.kind == "copy":
                r = signed_request(
                    server.endpoint, "PUT", f"/{bucket}/{a.key}", headers={"x-oss-copy-source": f"/{bucket}/{a.src}"}
                )
            else:
                body = _slow_chunks(a.body) if a.slow else a.body  # slow ones go chunked
                r = signed_request(server.endpoint, "PUT", f"/{bucket}/{a.key}", data=body)
            a.status = r.status_code
            if r.status_code == 200:
                assert r.headers.get("ETag") == f'"{a.md5}"', (a.key, r.headers.get("ETag"))
        except Exception as e:  # connection reset by the crash
            a.error = repr(e)
        with lock:
            done += 1
            if done >= KILL_AFTER_COMPLETED:
                kill_now.set()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(one, a) for a in attempts]
        assert kill_now.wait(300), "PUTs did not progress"
        server.kill()
        for f in futures:
            f.result(timeout=120)


def _list_all(server: OssdServer, bucket: str) -> dict[str, int]:
    b = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), server.endpoint, bucket, enable_crc=False)
    return {o.key: o.size for o in oss2.ObjectIterator(b, max_keys=1000)}


def _files_under(path: Path) -> list[Path]:
    if not path.exists():
        return []
    return [p for p in path.rglob("*") if p.is_file()]


def _verify(server: OssdServer, bucket: str, all_attempts: list[Attempt]) -> None:
    by_key: dict[str, list[Attempt]] = {}  # the PUTs and COPYs that wrote each key
    deleted: dict[str, list[Attempt]] = {}
    for a in all_attempts:
        (deleted if a.kind == "delete" else by_key).setdefault(a.key, []).append(a)

    listed = _list_all(server, bucket)
    content_md5: dict[str, str] = {}
    # every key that exists was sent, and reads back as exactly one of the bodies sent for it
    for key, size in listed.items():
        assert key in by_key, f"unexpected key {key!r}"
        r = signed_request(server.endpoint, "GET", f"/{bucket}/{key}")
        assert r.status_code == 200, (key, r.status_code, r.text[:300])
        md5 = hashlib.md5(r.content).hexdigest().upper()
        sent = {a.md5 for a in by_key[key]}
        assert md5 in sent, f"{key}: content (len {len(r.content)}) is none of the {len(sent)} bodies sent for it"
        assert len(r.content) == size, f"{key}: listed size {size} != body length {len(r.content)}"
        assert r.headers["ETag"] == f'"{md5}"', (key, r.headers["ETag"])
        content_md5[key] = md5

    # every acknowledged PUT survived: unique keys bit-exact; shared keys hold one of the bodies
    acked = [a for a in all_attempts if a.status == 200 and a.key not in deleted]
    assert acked, "no PUT was acknowledged before the crash"
    for a in acked:
        assert a.key in listed, f"acknowledged {a.kind.upper()} of {a.key} lost after the crash"
        if len(by_key[a.key]) == 1:
            r = signed_request(server.endpoint, "GET", f"/{bucket}/{a.key}")
            assert r.status_code == 200
            assert r.content == a.body, f"{a.key}: acknowledged body not read back bit-exact"

    # acknowledged DELETEs stay deleted (nothing writes those keys afterwards)
    for key, dels in deleted.items():
        if any(d.status == 204 for d in dels):
            assert key not in listed, f"acknowledged DELETE of {key} undone by the crash"

    # no orphans: tmp is empty, and one data file per (non-inline) live object. A copy may share
    # its source's data file or have its own, so both counts are accepted.
    data_dir = server.data_dir
    big = {k: s for k, s in listed.items() if s > INLINE_THRESHOLD}
    expected_shared = len({content_md5[k] for k in big})
    expected_files = len(big)
    deadline = time.monotonic() + GC_GRACE_S
    while True:
        tmp_files = _files_under(data_dir / BLOB_TMP_DIR)
        obj_files = _files_under(data_dir / BLOB_OBJECTS_DIR)
        if (not tmp_files and len(obj_files) in (expected_files, expected_shared)) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert not tmp_files, f"temp files left after restart: {[str(p) for p in tmp_files[:10]]}"
    assert len(obj_files) in (expected_files, expected_shared), (
        f"{len(obj_files)} data files under {BLOB_OBJECTS_DIR}, but {expected_files} live objects "
        f"({expected_shared} distinct contents) are larger than the inline threshold ({INLINE_THRESHOLD} bytes): "
        "orphan or missing blobs"
    )


def test_sigkill_during_concurrent_puts(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    rng = random.Random(int(os.environ.get("OSSD_CRASH_SEED", "20261128")))
    bucket = "crash-test"
    all_attempts: list[Attempt] = []

    server = OssdServer(data_dir=data_dir).start()
    try:
        oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), server.endpoint, bucket).create_bucket()
        for round_no in (1, 2):
            attempts = _plan(rng, round_no)
            if round_no == 2:
                attempts += _deletes_and_copies(rng, server, bucket, all_attempts)
                rng.shuffle(attempts)
            all_attempts += attempts
            _run_puts_and_kill(server, bucket, attempts)
            acked = sum(1 for a in attempts if a.status in (200, 204))
            failed_other = [a for a in attempts if a.status not in (None, 200, 204)]
            kinds = {k: sum(1 for a in attempts if a.kind == k and a.status in (200, 204)) for k in ("put", "delete", "copy")}
            print(f"round {round_no}: {acked} acknowledged ({kinds}), {len(attempts) - acked} not, before SIGKILL")
            assert not failed_other, [(a.key, a.status) for a in failed_other[:5]]
            assert acked < N_PUTS, "the server was killed only after all PUTs finished; nothing was tested"

            tmp_before = len(_files_under(data_dir / BLOB_TMP_DIR))
            obj_before = len(_files_under(data_dir / BLOB_OBJECTS_DIR))
            print(f"round {round_no}: after SIGKILL: {tmp_before} temp files, {obj_before} data files")

            server = OssdServer(data_dir=data_dir).start()
            _verify(server, bucket, all_attempts)

        # graceful shutdown after recovery
        rc = server.stop()
        assert rc == 0, f"ossd exited with {rc} on SIGTERM:\n{server.tail()}"
    finally:
        server.kill()


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-s"]))
