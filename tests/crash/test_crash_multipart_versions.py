"""Crash consistency of multipart uploads and object versions: in a bucket with versioning Enabled,
SIGKILL ossd in the middle of concurrent multipart uploads (3-5 parts of 100 KiB..1 MiB, then
CompleteMultipartUpload) and repeated overwrites of a few keys (1 KiB..2 MiB, some streamed slowly so
the kill lands mid-body), restart it on the same data dir, and check that:
  - every acknowledged version (PutObject or CompleteMultipartUpload) reads back bit-exact by version id;
  - every listed version is complete and is one of the bodies sent for its key (no half-assembled
    object, no delete marker, no stray key);
  - a completion is atomic: every initiated upload is either still in progress or completed, never
    both and never neither; acknowledged completions are not listed as in progress; the parts of
    uploads still in progress are the ones sent (and include every acknowledged UploadPart);
  - no orphan files: `blobs/tmp/` is empty and `blobs/objects/` holds exactly one file per data blob
    that a version or an in-progress part references; aborting the leftover uploads removes their
    parts' files.

Run: tests/sdk/python/.venv/bin/python -m pytest tests/crash -v
     (OSSD_CRASH_SEED=<n> picks another random plan)
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
import requests
import urllib3

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sdk" / "python"))

import oss2  # noqa: E402
from oss2.models import BucketVersioningConfig, PartInfo  # noqa: E402

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer  # noqa: E402

# ---- server layout (same constants as test_crash.py; adjust both if the layout changes) ----
# Data files live under <data-dir>/BLOB_OBJECTS_DIR/xx/yy/<id>; in-progress writes under
# <data-dir>/BLOB_TMP_DIR. Objects of at most INLINE_THRESHOLD bytes are stored inline in the metadata
# and have no data file. Multipart parts are blobs of their own (only an empty part has no file), and a
# completed multipart object references its parts' blobs (no copy).
BLOB_OBJECTS_DIR = "blobs/objects"
BLOB_TMP_DIR = "blobs/tmp"
INLINE_THRESHOLD = int(os.environ.get("OSSD_TEST_INLINE_THRESHOLD", "4096"))

KiB = 1024
MiB = 1024 * KiB

WORKERS = 12
N_MULTIPART = 24  # distinct keys mp/obj-NN, one multipart upload each
MIN_PARTS, MAX_PARTS = 3, 5
MIN_PART_SIZE, MAX_PART_SIZE = 100 * KiB, 1 * MiB
N_OVERWRITES = 60  # PutObjects spread over OVERWRITE_KEYS versioned keys ow/key-N
OVERWRITE_KEYS = 4
MIN_PUT_SIZE, MAX_PUT_SIZE = 1 * KiB, 2 * MiB
KILL_AFTER_ACKS = 30  # SIGKILL once this many objects (PUTs + completions) were acknowledged ...
KILL_AFTER_COMPLETES = 5  # ... of which at least this many multipart completions
GC_GRACE_S = 15.0  # time allowed after restart for recovery/GC of orphans to finish
RUN_TIMEOUT_S = 45.0  # the load must reach the kill point within this


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest().upper()


class Put:
    """One PutObject of `body` to a versioned key; `version_id` is set when it was acknowledged."""

    def __init__(self, key: str, body: bytes, slow: bool):
        self.key = key
        self.body = body
        self.slow = slow
        self.md5 = _md5(body)
        self.version_id: str | None = None
        self.error: str | None = None

    @property
    def acked(self) -> bool:
        return self.version_id is not None


class Upload:
    """One multipart upload of `parts` (part i+1 is parts[i]) to `key`, then its completion."""

    def __init__(self, key: str, parts: list[bytes], slow_parts: set[int]):
        self.key = key
        self.parts = parts
        self.slow_parts = slow_parts  # part numbers streamed slowly
        self.body = b"".join(parts)
        self.md5 = _md5(self.body)
        self.etag = f"{_md5(b''.join(hashlib.md5(p).digest() for p in parts))}-{len(parts)}"
        self.upload_id: str | None = None  # set when InitiateMultipartUpload was acknowledged
        self.acked_parts: set[int] = set()
        self.version_id: str | None = None  # set when CompleteMultipartUpload was acknowledged
        self.stage = ""  # the request last sent: init, part N or complete
        self.error: str | None = None

    @property
    def acked(self) -> bool:
        return self.version_id is not None


def _plan(rng: random.Random) -> tuple[list[Upload], list[Put]]:
    uploads = []
    for i in range(N_MULTIPART):
        n = rng.randint(MIN_PARTS, MAX_PARTS)
        parts = [rng.randbytes(rng.randint(MIN_PART_SIZE, MAX_PART_SIZE)) for _ in range(n)]
        slow = {p for p in range(1, n + 1) if rng.random() < 0.3}
        uploads.append(Upload(f"mp/obj-{i:02d}", parts, slow))
    puts = []
    for i in range(N_OVERWRITES):
        # log-uniform sizes between 1 KiB and 2 MiB: both inline (<= 4 KiB) and file-backed versions
        size = max(MIN_PUT_SIZE, min(MAX_PUT_SIZE, int(2 ** rng.uniform(10, 21))))
        puts.append(Put(f"ow/key-{i % OVERWRITE_KEYS}", rng.randbytes(size), slow=(i % 3 == 0)))
    return uploads, puts


def _slow_chunks(body: bytes, chunk: int = 64 * 1024, pause: float = 0.01):
    for off in range(0, len(body), chunk):
        yield body[off : off + chunk]
        time.sleep(pause)


def _bucket(server: OssdServer, name: str) -> oss2.Bucket:
    return oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), server.endpoint, name, region=REGION, enable_crc=True)


def _is_transport_error(e: Exception) -> bool:
    """A connection cut (by the crash), as opposed to an error response, a CRC mismatch or a failed check."""
    return isinstance(e, (oss2.exceptions.RequestError, requests.RequestException, urllib3.exceptions.HTTPError, OSError))


def _run_and_kill(server: OssdServer, bucket_name: str, uploads: list[Upload], puts: list[Put], rng: random.Random):
    lock = threading.Lock()
    acked_objects = 0
    acked_completes = 0
    in_flight = 0
    kill_now = threading.Event()
    killed = threading.Event()
    unexpected: list[str] = []
    local = threading.local()

    def client() -> oss2.Bucket:  # one session per worker thread
        if not hasattr(local, "bucket"):
            local.bucket = _bucket(server, bucket_name)
        return local.bucket

    def request(fn):
        nonlocal in_flight
        with lock:
            in_flight += 1
        try:
            return fn()
        finally:
            with lock:
                in_flight -= 1

    def acked(complete: bool):
        nonlocal acked_objects, acked_completes
        with lock:
            acked_objects += 1
            acked_completes += complete
            if acked_objects >= KILL_AFTER_ACKS and acked_completes >= KILL_AFTER_COMPLETES:
                kill_now.set()

    def failed(item, e: Exception):
        item.error = repr(e)
        if not (_is_transport_error(e) and killed.is_set()):  # only the kill may make a request fail
            unexpected.append(f"{item.key}: {e!r}")

    def do_put(p: Put):
        if killed.is_set():
            return
        try:
            body = _slow_chunks(p.body) if p.slow else p.body  # slow ones go chunked
            r = request(lambda: client().put_object(p.key, body))
            assert r.etag == p.md5, (p.key, r.etag)
            assert r.versionid, f"PUT {p.key}: no version id in a versioned bucket"
            p.version_id = r.versionid
        except Exception as e:  # connection reset by the crash (anything else is recorded as unexpected)
            failed(p, e)
            return
        acked(complete=False)

    def do_upload(u: Upload):
        try:
            b = client()
            if killed.is_set():
                return
            u.stage = "init"
            u.upload_id = request(lambda: b.init_multipart_upload(u.key)).upload_id
            infos = []
            for n, part in enumerate(u.parts, start=1):
                if killed.is_set():
                    return
                data = _slow_chunks(part) if n in u.slow_parts else part
                u.stage = f"part {n}"
                r = request(lambda: b.upload_part(u.key, u.upload_id, n, data))
                assert r.etag == _md5(part), (u.key, n, r.etag)
                u.acked_parts.add(n)
                infos.append(PartInfo(n, r.etag, size=len(part), part_crc=r.crc))
            if killed.is_set():
                return
            u.stage = "complete"
            r = request(lambda: b.complete_multipart_upload(u.key, u.upload_id, infos))  # CRC checked by oss2
            assert r.versionid, f"complete {u.key}: no version id in a versioned bucket"
            u.version_id = r.versionid
        except Exception as e:
            failed(u, e)
            return
        acked(complete=True)

    tasks = [(do_upload, u) for u in uploads] + [(do_put, p) for p in puts]
    rng.shuffle(tasks)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(fn, item) for fn, item in tasks]
        assert kill_now.wait(RUN_TIMEOUT_S), f"load did not reach the kill point in {RUN_TIMEOUT_S}s: {unexpected[:5]}"
        with lock:
            in_flight_at_kill = in_flight
            killed.set()
        server.kill()
        for f in futures:
            f.result(timeout=120)
    assert not unexpected, f"requests that failed other than by the kill: {unexpected[:5]}"
    return in_flight_at_kill


def _list_versions(b: oss2.Bucket) -> tuple[list, list]:
    """Every version and every delete marker in the bucket (paged with key / version-id markers)."""
    versions, markers = [], []
    key_marker, version_marker = "", ""
    while True:
        page = b.list_object_versions(key_marker=key_marker, versionid_marker=version_marker, max_keys=100)
        versions += page.versions
        markers += page.delete_marker
        if not page.is_truncated:
            return versions, markers
        key_marker, version_marker = page.next_key_marker, page.next_versionid_marker


def _files_under(path: Path) -> list[Path]:
    if not path.exists():
        return []
    return [p for p in path.rglob("*") if p.is_file()]


def _wait_for_files(data_dir: Path, expected: int) -> tuple[list[Path], list[Path]]:
    deadline = time.monotonic() + GC_GRACE_S
    while True:
        tmp_files = _files_under(data_dir / BLOB_TMP_DIR)
        obj_files = _files_under(data_dir / BLOB_OBJECTS_DIR)
        if (not tmp_files and len(obj_files) == expected) or time.monotonic() > deadline:
            return tmp_files, obj_files
        time.sleep(0.5)


def _verify(server: OssdServer, bucket_name: str, uploads: list[Upload], puts: list[Put]) -> None:
    b = _bucket(server, bucket_name)
    upload_of = {u.key: u for u in uploads}
    puts_of: dict[str, list[Put]] = {}
    for p in puts:
        puts_of.setdefault(p.key, []).append(p)

    versions, markers = _list_versions(b)
    assert not markers, f"delete markers appeared: {[(m.key, m.versionid) for m in markers[:5]]}"
    listed: dict[str, dict[str, object]] = {}  # key -> version id -> version entry
    for v in versions:
        assert v.key in upload_of or v.key in puts_of, f"unexpected key {v.key!r}"
        assert v.versionid not in listed.get(v.key, {}), f"{v.key}: version {v.versionid} listed twice"
        listed.setdefault(v.key, {})[v.versionid] = v

    # every listed version reads back fully and is one of the bodies sent for its key
    expected_files = 0
    for key, by_id in listed.items():
        latest = [vid for vid, v in by_id.items() if v.is_latest]
        assert len(latest) == 1, f"{key}: {len(latest)} versions marked latest"
        for vid, v in by_id.items():
            got = b.get_object(key, params={"versionId": vid})  # whole-body CRC-64 checked by oss2
            body = got.read()
            assert got.versionid == vid, (key, vid, got.versionid)
            assert len(body) == v.size, f"{key}@{vid}: listed size {v.size} != body length {len(body)}"
            md5 = _md5(body)
            if key in upload_of:
                u = upload_of[key]
                assert len(by_id) == 1, f"{key}: {len(by_id)} versions, but only one upload ever completed it"
                assert body == u.body, f"{key}@{vid}: multipart object (len {len(body)}) is not the assembled parts"
                assert got.etag == u.etag == v.etag, (key, vid, got.etag, v.etag, u.etag)
                if v.size > INLINE_THRESHOLD:
                    expected_files += sum(1 for p in u.parts if len(p) > 0)
            else:
                sent = {p.md5 for p in puts_of[key]}
                assert md5 in sent, f"{key}@{vid}: content (len {len(body)}) is none of the {len(sent)} bodies sent"
                assert got.etag == md5 == v.etag, (key, vid, got.etag, v.etag)
                if v.size > INLINE_THRESHOLD:
                    expected_files += 1
        # the current version is the one marked latest
        cur = b.get_object(key)
        assert cur.versionid == latest[0], f"{key}: GET returns {cur.versionid}, listing says {latest[0]} is latest"
        cur.read()

    # every acknowledged version survived bit-exact
    acked_puts = [p for p in puts if p.acked]
    acked_uploads = [u for u in uploads if u.acked]
    assert acked_puts and acked_uploads, "nothing of one kind was acknowledged before the crash"
    for item in acked_puts + acked_uploads:
        assert item.version_id in listed.get(item.key, {}), f"acknowledged version {item.key}@{item.version_id} lost"
        body = b.get_object(item.key, params={"versionId": item.version_id}).read()
        assert body == item.body, f"{item.key}@{item.version_id}: acknowledged body not read back bit-exact"

    # uploads: completion is atomic; acknowledged completions are gone; in-progress parts are the ones sent
    in_progress = [(m.key, m.upload_id) for m in oss2.MultipartUploadIterator(b)]
    by_id = {u.upload_id: u for u in uploads if u.upload_id}
    in_progress_parts = 0
    for key, upload_id in in_progress:
        assert key in upload_of, f"unexpected upload of {key!r}"
        parts = list(oss2.PartIterator(b, key, upload_id))
        u = by_id.get(upload_id)
        if u is None:  # its InitiateMultipartUpload was in flight: we never learned the id, sent no parts
            assert upload_of[key].upload_id is None, f"{key}: unknown upload {upload_id} in progress"
            assert not parts, f"{key}: parts {[p.part_number for p in parts]} in an upload that got none"
            continue
        assert u.key == key
        assert not u.acked, f"{key}: upload {upload_id} completed (acknowledged) but still listed in progress"
        assert key not in listed, f"{key}: upload {upload_id} both completed (version listed) and in progress"
        numbers = {p.part_number for p in parts}
        assert u.acked_parts <= numbers, f"{key}: acknowledged parts {sorted(u.acked_parts - numbers)} lost"
        for p in parts:
            assert 1 <= p.part_number <= len(u.parts), (key, p.part_number)
            sent = u.parts[p.part_number - 1]
            assert p.size == len(sent), f"{key} part {p.part_number}: size {p.size} != {len(sent)} sent"
            assert p.etag == _md5(sent), f"{key} part {p.part_number}: ETag {p.etag} is not the part sent"
            in_progress_parts += p.size > 0
    in_progress_ids = {upload_id for _, upload_id in in_progress}
    for u in uploads:
        if u.upload_id and u.upload_id not in in_progress_ids:
            assert u.key in listed, f"{u.key}: upload {u.upload_id} neither in progress nor completed"

    # no orphans: tmp is empty, one data file per non-inline PutObject version, one per part of each
    # multipart version and of each upload still in progress
    data_dir = server.data_dir
    expected_total = expected_files + in_progress_parts
    tmp_files, obj_files = _wait_for_files(data_dir, expected_total)
    assert not tmp_files, f"temp files left after restart: {[str(p) for p in tmp_files[:10]]}"
    assert len(obj_files) == expected_total, (
        f"{len(obj_files)} data files under {BLOB_OBJECTS_DIR}, but the listed versions reference {expected_files} "
        f"blobs and the {len(in_progress)} uploads in progress {in_progress_parts} parts: orphan or missing blobs"
    )

    # aborting the leftover uploads removes their parts' files (and nothing else)
    for key, upload_id in in_progress:
        b.abort_multipart_upload(key, upload_id)
    assert not list(oss2.MultipartUploadIterator(b)), "uploads still listed after abort"
    tmp_files, after_abort = _wait_for_files(data_dir, expected_files)
    assert len(after_abort) == expected_files, (
        f"after aborting {len(in_progress)} uploads ({in_progress_parts} parts): {len(after_abort)} data files, "
        f"expected {expected_files}"
    )
    assert set(after_abort) <= set(obj_files), "aborting uploads created data files"
    print(
        f"verified {len(versions)} versions ({len(acked_puts)} acknowledged PUTs, {len(acked_uploads)} acknowledged "
        f"completions), {len(in_progress)} uploads in progress with {in_progress_parts} parts; "
        f"{len(obj_files)} data files before abort, {len(after_abort)} after"
    )


def test_sigkill_during_multipart_and_versioned_overwrites(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    rng = random.Random(int(os.environ.get("OSSD_CRASH_SEED", "20261128")))
    bucket_name = "crash-mp-versions"
    uploads, puts = _plan(rng)

    server = OssdServer(data_dir=data_dir).start()
    try:
        b = _bucket(server, bucket_name)
        b.create_bucket()
        b.put_bucket_versioning(BucketVersioningConfig(oss2.BUCKET_VERSIONING_ENABLE))
        assert b.get_bucket_versioning().status == "Enabled"

        t0 = time.monotonic()
        in_flight = _run_and_kill(server, bucket_name, uploads, puts, rng)
        n_puts = sum(p.acked for p in puts)
        n_done = sum(u.acked for u in uploads)
        n_open = sum(1 for u in uploads if u.upload_id and not u.acked)
        n_parts = sum(len(u.acked_parts) for u in uploads if not u.acked)
        cut = [u.stage for u in uploads if u.error]
        n_cut_complete = cut.count("complete")
        print(
            f"\nSIGKILL after {time.monotonic() - t0:.1f}s with {in_flight} requests in flight: "
            f"{n_puts}/{len(puts)} PUTs and {n_done}/{len(uploads)} completions acknowledged; "
            f"{n_open} initiated uploads not completed ({n_parts} acknowledged parts); uploads cut by the kill: "
            f"{len(cut) - n_cut_complete} mid-init/part, {n_cut_complete} mid-complete"
        )
        assert in_flight > 0, "no request was in flight at the kill; nothing was tested"
        assert n_puts < len(puts) or n_done < len(uploads), "the server was killed only after everything finished"

        tmp_before = len(_files_under(data_dir / BLOB_TMP_DIR))
        obj_before = len(_files_under(data_dir / BLOB_OBJECTS_DIR))
        print(f"after SIGKILL: {tmp_before} temp files, {obj_before} data files")

        server = OssdServer(data_dir=data_dir).start()
        _verify(server, bucket_name, uploads, puts)

        # graceful shutdown after recovery
        rc = server.stop()
        assert rc == 0, f"ossd exited with {rc} on SIGTERM:\n{server.tail()}"
    finally:
        server.kill()


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-s"]))
