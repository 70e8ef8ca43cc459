"""Backup while serving and offline restore, end to end: oss2 threads put, overwrite and delete
objects (recording the MD5 of every acknowledged write by ETag) while `ossd admin backup` runs; the
backup is restored into a fresh directory with `ossd admin restore`, a second ossd serves it, and
every object it lists reads back with the checksum recorded for its ETag, and every object
acknowledged before the backup started is there."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import oss2
import pytest

from conftest import unique_bucket
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, OSSD_BIN, REGION, OssdServer

HOT_KEYS = 24
WRITERS = 4


def admin(server: OssdServer, *args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess:
    """`ossd admin --endpoint … --data-dir … <args>` (root credentials from identity.json)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OSSD_")}
    d = data_dir or server.data_dir
    cmd = [str(OSSD_BIN), "admin", "--endpoint", server.endpoint, "--data-dir", str(d), *args]
    return subprocess.run(cmd, env=clean, capture_output=True, text=True, timeout=300)


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest().upper()


def body(rng: random.Random) -> bytes:
    # Inline (< 4 KiB) and blob-backed sizes.
    size = rng.choice([0, 17, 1000, 4095, 4097, 20_000, 150_000])
    return rng.randbytes(size)


class Load:
    """Writer threads on hot/ keys: put (new or overwrite) or delete, recording acknowledged writes."""

    def __init__(self, bucket: oss2.Bucket):
        self.bucket = bucket
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acked: dict[tuple[str, str], str] = {}  # (key, etag) -> md5 of the content
        self.ops = 0
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(WRITERS)]

    def run(self, n: int) -> None:
        rng = random.Random(n)
        try:
            while not self.stop.is_set():
                key = f"hot/{rng.randrange(HOT_KEYS):03d}"
                if rng.random() < 0.25:
                    self.bucket.delete_object(key)
                else:
                    data = body(rng)
                    etag = self.bucket.put_object(key, data).etag
                    with self.lock:
                        self.acked[(key, etag)] = md5(data)
                with self.lock:
                    self.ops += 1
        except BaseException as e:  # surfaced by the test
            self.errors.append(e)

    def count(self) -> int:
        with self.lock:
            return self.ops


@pytest.fixture
def live():
    s = OssdServer().start()
    yield s
    s.stop()
    s.cleanup()


def test_backup_under_write_load_restores_every_object(live):
    name = unique_bucket("bk")
    bucket = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), live.endpoint, name, region=REGION)
    bucket.create_bucket()
    rng = random.Random(42)
    stable: dict[str, str] = {}
    for i in range(60):
        data = body(rng)
        bucket.put_object(f"stable/{i:03d}", data)
        stable[f"stable/{i:03d}"] = md5(data)

    load = Load(bucket)
    for t in load.threads:
        t.start()
    time.sleep(0.5)
    work = Path(tempfile.mkdtemp(prefix="ossd-bk-"))
    target = work / "backup"
    try:
        before = load.count()
        done = admin(live, "backup", str(target), "--json")
        during = load.count() - before
        time.sleep(0.3)
        load.stop.set()
        for t in load.threads:
            t.join(30)
        assert not load.errors, load.errors
        assert done.returncode == 0, done.stderr
        assert during > 0, "writes went on while the backup ran"
        summary = json.loads(done.stdout)
        print(f"backup {summary['seconds']:.3f} s, {summary['objects']} objects, "
              f"{summary['blob_files']} blob files ({summary['linked']} linked); {during} writes during it")
        manifest = json.loads((target / "manifest.json").read_text())
        assert manifest["objects"] == summary["objects"] >= len(stable)
        assert (target / "master.key").stat().st_mode & 0o077 == 0
        assert (target / "identity.json").stat().st_mode & 0o077 == 0

        # The backup target must be empty: a second backup into it is refused.
        again = admin(live, "backup", str(target))
        assert again.returncode == 1 and "InvalidArgument" in again.stderr

        restored = work / "restored"
        r = admin(live, "restore", str(target), data_dir=restored)
        assert r.returncode == 0, r.stderr
        # Refused into a non-empty directory.
        r2 = admin(live, "restore", str(target), data_dir=restored)
        assert r2.returncode == 1 and "not empty" in r2.stderr

        second = OssdServer(data_dir=restored).start()
        try:
            copy = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), second.endpoint, name, region=REGION)
            listed = list(oss2.ObjectIterator(copy, max_keys=1000))
            assert len(listed) == manifest["objects"]
            keys = {o.key for o in listed}
            assert set(stable) <= keys, "every object acknowledged before the backup is present"
            for o in listed:
                data = copy.get_object(o.key).read()
                if o.key in stable:
                    assert md5(data) == stable[o.key], o.key
                else:
                    recorded = load.acked.get((o.key, o.etag))
                    assert recorded is not None, f"{o.key} {o.etag} was never acknowledged"
                    assert md5(data) == recorded, o.key
            # A restore into the directory of a running server is refused, even with --force.
            busy = admin(second, "restore", str(target), "--force", data_dir=restored)
            assert busy.returncode == 1 and "in use by another ossd process" in busy.stderr
            # Sealed secrets are readable: the restored root key and RAM work.
            user = admin(second, "user", "create", "after-restore")
            assert user.returncode == 0, user.stderr
        finally:
            second.stop()
    finally:
        load.stop.set()
        import shutil

        shutil.rmtree(work, ignore_errors=True)


def test_restore_refuses_an_incomplete_backup(live, tmp_path):
    incomplete = tmp_path / "incomplete"
    incomplete.mkdir()
    (incomplete / "meta.sqlite").write_bytes(b"")
    r = admin(live, "restore", str(incomplete), data_dir=tmp_path / "target")
    assert r.returncode == 1 and "manifest.json" in r.stderr
    assert not (tmp_path / "target").exists()
