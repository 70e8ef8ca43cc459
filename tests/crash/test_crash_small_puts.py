"""Crash consistency of the pipelined group commit: 16 connections PUT 4 KiB objects (stored inline in
the metadata, so every acknowledgement waits for the metadata WAL's sync alone), SIGKILL ossd the moment
a set number of acknowledgements has arrived (while later batches are committed but not yet synced or
answered), restart it on the same data dir, and check that every acknowledged PUT and DELETE is there
bit-exact, and that nothing else is: every key that exists was sent, with one of its bodies. A short run
kills ossd early; a long one after the WAL has restarted from its beginning a few times.

SIGKILL cannot lose what reached the kernel (the page cache survives the process), so this checks the
window ack → kill → restart → present and the consistency of the WAL the killed writer left; that an
acknowledgement waits for `fdatasync` of the WAL is checked by the unit tests of
`crates/ossd-meta-sqlite/src/writer.rs`.

Run: tests/sdk/python/.venv/bin/python -m pytest tests/crash -v
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sdk" / "python"))

import oss2  # noqa: E402
import pytest  # noqa: E402

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, OssdServer  # noqa: E402
from raw_helpers import signed_request  # noqa: E402

WORKERS = 16
SIZE = 4096
SHARED_KEYS = 8  # keys every worker overwrites now and then (the rest: one PUT each)
# The WAL restarts from its beginning once it holds 16,384 frames (64 MiB,
# crates/ossd-meta-sqlite/src/checkpoint.rs), about 2,800 of these PUTs: the long run kills ossd in
# a WAL that has restarted at least twice (new salts over the frames of older generations).
RUNS = {"short": (120, 600), "past_wal_restarts": (600, 8000)}


@pytest.mark.parametrize("run", sorted(RUNS))
def test_sigkill_right_after_acks_of_small_puts(tmp_path, run):
    PUTS_PER_WORKER, KILL_AFTER_ACKS = RUNS[run]  # noqa: N806
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    rng = random.Random(int(os.environ.get("OSSD_CRASH_SEED", "20261206")))
    bucket = "crash-small"
    plan: list[list[tuple[str, bytes]]] = []
    for w in range(WORKERS):
        ops = []
        for i in range(PUTS_PER_WORKER):
            key = f"shared-{rng.randrange(SHARED_KEYS)}" if i % 10 == 0 else f"w{w:02d}/k{i:04d}"
            ops.append((key, rng.randbytes(SIZE)))
        plan.append(ops)
    sent: dict[str, set[str]] = {}
    for ops in plan:
        for key, body in ops:
            sent.setdefault(key, set()).add(hashlib.md5(body).hexdigest())

    server = OssdServer(data_dir=data_dir).start()
    acked: list[tuple[str, bytes]] = []
    deleted: list[str] = []
    tried_delete: list[str] = []  # DELETEs sent; one not acknowledged may or may not have happened
    lock = threading.Lock()
    kill_now = threading.Event()
    stop = threading.Event()

    def worker(ops: list[tuple[str, bytes]]) -> None:
        for n, (key, body) in enumerate(ops):
            if stop.is_set():
                return
            try:
                r = signed_request(server.endpoint, "PUT", f"/{bucket}/{key}", data=body)
            except Exception:  # connection reset by the kill
                return
            if r.status_code != 200:
                return
            with lock:
                acked.append((key, body))
                if len(acked) >= KILL_AFTER_ACKS:
                    kill_now.set()
            # now and then delete an own unique key just written (acknowledged DELETEs stay deleted)
            if n % 7 == 3 and key.startswith("w"):
                with lock:
                    tried_delete.append(key)
                try:
                    d = signed_request(server.endpoint, "DELETE", f"/{bucket}/{key}")
                except Exception:
                    return
                if d.status_code == 204:
                    with lock:
                        deleted.append(key)

    try:
        oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), server.endpoint, bucket).create_bucket()
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = [pool.submit(worker, ops) for ops in plan]
            assert kill_now.wait(300), "PUTs did not progress"
            server.kill()
            stop.set()
            for f in futures:
                f.result(timeout=120)
        with lock:
            acked_now, deleted_now, maybe_deleted = list(acked), set(deleted), set(tried_delete)
        print(f"{len(acked_now)} PUTs and {len(deleted_now)} DELETEs acknowledged before SIGKILL")
        assert len(acked_now) < WORKERS * PUTS_PER_WORKER, "killed only after every PUT: nothing was tested"
        if run == "past_wal_restarts":
            # Each PUT appends 5-8 frames of 4 KiB: a WAL that never restarted would be far longer.
            wal = (data_dir / "meta.sqlite-wal").stat().st_size
            print(f"WAL at the kill: {wal} bytes")
            assert wal < len(acked_now) * 3 * SIZE, f"the WAL did not restart ({wal} bytes)"

        server = OssdServer(data_dir=data_dir).start()
        b = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), server.endpoint, bucket, enable_crc=False)
        listed = {o.key: o.size for o in oss2.ObjectIterator(b, max_keys=1000)}
        for key, size in listed.items():
            assert key in sent, f"unexpected key {key!r}"
            assert size == SIZE, (key, size)
        for key, body in acked_now:
            if key in deleted_now:
                assert key not in listed, f"acknowledged DELETE of {key} undone by the crash"
                continue
            if key in maybe_deleted and key not in listed:
                continue
            assert key in listed, f"acknowledged PUT of {key} lost after the crash"
            r = signed_request(server.endpoint, "GET", f"/{bucket}/{key}")
            assert r.status_code == 200, (key, r.status_code)
            if key.startswith("w"):
                assert r.content == body, f"{key}: acknowledged body not read back bit-exact"
            else:
                assert hashlib.md5(r.content).hexdigest() in sent[key], f"{key}: none of the bodies sent"
        rc = server.stop()
        assert rc == 0, f"ossd exited with {rc} on SIGTERM:\n{server.tail()}"
    finally:
        server.kill()
