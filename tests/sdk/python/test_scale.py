"""Larger volumes: a 64 MiB object and a listing of more than 1000 keys (oss2, V4)."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import oss2

from conftest import crc64, etag_inner, oss2_bucket, unique_bucket


def test_large_object_streaming(endpoint, tmp_path):
    b = oss2_bucket(endpoint, unique_bucket("big"), "v4")
    b.create_bucket()
    chunk = os.urandom(1024 * 1024)
    n = 64

    def gen():
        for i in range(n):
            yield bytes([i]) + chunk[1:]

    data = b"".join(gen())
    t0 = time.time()
    r = b.put_object("big.bin", gen())
    assert r.crc == crc64(data)
    assert r.etag == etag_inner(data)
    out = tmp_path / "big.bin"
    b.get_object_to_file("big.bin", str(out))
    assert out.read_bytes() == data
    g = b.get_object("big.bin", byte_range=(len(data) - 10, None))
    assert g.read() == data[-10:]
    print(f"64 MiB put+get in {time.time() - t0:.1f}s")


def test_list_more_than_1000_keys(endpoint):
    b = oss2_bucket(endpoint, unique_bucket("many"), "v1")
    b.create_bucket()
    keys = [f"k/{i:05d}" for i in range(1105)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda k: b.put_object(k, b"x"), keys))
    r = b.list_objects(max_keys=1000)
    assert len(r.object_list) == 1000
    assert r.is_truncated is True
    r2 = b.list_objects(marker=r.next_marker, max_keys=1000)
    assert [o.key for o in r2.object_list] == keys[1000:]
    assert r2.is_truncated is False
    r = b.list_objects()  # default max-keys is 100
    assert len(r.object_list) == 100
    assert [o.key for o in oss2.ObjectIteratorV2(b, max_keys=1000)] == keys
    # max-keys above 1000 is rejected
    try:
        b.list_objects(max_keys=1001)
    except oss2.exceptions.ServerError as e:
        assert e.status == 400 and e.code == "InvalidArgument"
    else:
        raise AssertionError("max-keys=1001 was accepted")
