"""Atomic visibility: readers never see a mix of two writes while the same key is overwritten."""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import oss2_bucket, unique_bucket
from raw_helpers import signed_request


def test_reads_during_overwrites_are_whole(endpoint):
    b = oss2_bucket(endpoint, unique_bucket("conc"), "v1")
    b.create_bucket()
    bodies = [os.urandom(size) for size in (100, 5000, 300_000, 1_000_000, 2_500_000, 7, 65_536)]
    md5s = {hashlib.md5(x).hexdigest().upper(): len(x) for x in bodies}
    b.put_object("hot", bodies[0])
    stop = threading.Event()
    seen = []
    errors = []

    def writer(i):
        for j in range(12):
            body = bodies[(i + j) % len(bodies)]
            r = signed_request(endpoint, "PUT", f"/{b.bucket_name}/hot", data=body)
            if r.status_code != 200:
                errors.append(("put", r.status_code, r.text[:200]))

    def reader():
        while not stop.is_set():
            r = signed_request(endpoint, "GET", f"/{b.bucket_name}/hot")
            if r.status_code != 200:
                errors.append(("get", r.status_code, r.text[:200]))
                continue
            md5 = hashlib.md5(r.content).hexdigest().upper()
            seen.append(md5)
            if md5 not in md5s:
                errors.append(("get", "torn body", len(r.content)))
            elif r.headers["ETag"] != f'"{md5}"' or int(r.headers["Content-Length"]) != len(r.content):
                errors.append(("get", "headers of another version", r.headers["ETag"], md5))

    with ThreadPoolExecutor(8) as pool:
        readers = [pool.submit(reader) for _ in range(4)]
        writers = [pool.submit(writer, i) for i in range(4)]
        for w in writers:
            w.result(timeout=300)
        stop.set()
        for r in readers:
            r.result(timeout=60)
    assert not errors, errors[:5]
    assert len(seen) > 10
    # and the final state is one of the bodies
    final = b.get_object("hot").read()
    assert hashlib.md5(final).hexdigest().upper() in md5s
