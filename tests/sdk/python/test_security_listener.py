"""The listener under hostile connection patterns (docs/limits.md, "Connections"): idle and
half-sent connections are closed by the idle, header and body timeouts, a slow upload that keeps
moving is not, connections beyond --max-connections are closed at once while the server keeps
serving, running out of file descriptors does not flood the log, and PutObject may carry far more
than hyper's default 100 headers. Every server here has short timeouts set by flags; only
127.0.0.1; every loop is bounded."""

from __future__ import annotations

import http.client
import os
import socket
import stat
import threading
import time

import oss2
import pytest
import requests

import ossd_harness
from conftest import oss2_bucket, unique_bucket
from ossd_harness import OssdServer
from raw_helpers import http_date, v1_signature

IDLE = 2  # --idle-timeout
HEADER = 3  # --header-read-timeout
BODY = 2  # --body-idle-timeout
SLACK = 3.0  # room for a loaded machine
SHORT = {
    "--idle-timeout": str(IDLE),
    "--header-read-timeout": str(HEADER),
    "--body-idle-timeout": str(BODY),
    "--tls-handshake-timeout": "2",
}


def _start(overrides: dict | None = None, **kw) -> OssdServer:
    flags = {**SHORT, **(overrides or {})}
    return OssdServer(extra_args=[x for kv in flags.items() for x in kv], **kw).start()


@pytest.fixture(scope="module")
def srv():
    s = _start()
    yield s
    s.stop()
    s.cleanup()


def _connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def _closed_within(sock: socket.socket, limit: float) -> float | None:
    """Seconds until the server closed `sock` (EOF or reset; any response bytes are skipped),
    or None if it was still open after `limit` seconds."""
    start = time.monotonic()
    while True:
        left = limit - (time.monotonic() - start)
        if left <= 0:
            return None
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return None
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - start
        if not data:
            return time.monotonic() - start


def _health(port: int) -> bytes:
    return b"GET /-/health/live HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port


def _read_response(sock: socket.socket) -> bytes:
    """Reads one small response (head and a short body)."""
    sock.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            want = int(line.split(b":", 1)[1])
            while len(body) < want:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
    return head + b"\r\n\r\n" + body


def _serves(port: int, attempts: int = 50) -> bool:
    for _ in range(attempts):
        try:
            r = requests.get(f"http://127.0.0.1:{port}/-/health/live", timeout=2)
            if r.status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.1)
    return False


def _signed_put_head(port: int, bucket: str, key: str, length: int) -> bytes:
    date = http_date()
    sig = v1_signature("PUT", f"/{bucket}/{key}", {"Date": date})
    return (
        f"PUT /{bucket}/{key} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nDate: {date}\r\n"
        f"Authorization: OSS {ossd_harness.ACCESS_KEY_ID}:{sig}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


@pytest.fixture(scope="module")
def bkt(srv):
    b = oss2_bucket(srv.endpoint, unique_bucket("listener"), "v4")
    b.create_bucket()
    return b


def test_idle_bare_and_keep_alive_connections_are_closed(srv):
    bare = [_connect(srv.port) for _ in range(50)]
    kept = []
    for _ in range(50):
        s = _connect(srv.port)
        s.sendall(_health(srv.port))
        assert _read_response(s).startswith(b"HTTP/1.1 200")
        kept.append(s)
    try:
        for s in bare + kept:
            t = _closed_within(s, IDLE + SLACK)
            assert t is not None, "an idle connection stayed open"
        assert _serves(srv.port)
    finally:
        for s in bare + kept:
            s.close()


def test_slowloris_headers_hit_the_header_timeout(srv):
    # a header byte every second: enough to keep the idle timer quiet, never a complete head
    head = b"GET /-/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 60
    for first_request in (True, False):
        s = _connect(srv.port)
        try:
            if not first_request:
                s.sendall(_health(srv.port))
                assert _read_response(s).startswith(b"HTTP/1.1 200")
            start = time.monotonic()
            closed = False
            for b in head:
                try:
                    s.sendall(bytes([b]))
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
                if _closed_within(s, 1.0) is not None:
                    closed = True
                    break
            took = time.monotonic() - start
            assert closed, "slowloris connection still open"
            assert HEADER - 0.5 <= took <= HEADER + SLACK, took
        finally:
            s.close()


def test_stalled_upload_is_closed_while_others_complete(srv, bkt):
    port, name = srv.port, bkt.bucket_name
    results = {}

    def normal():
        data = os.urandom(1 << 20)
        bkt.put_object("normal", data)
        results["normal"] = bkt.get_object("normal").read() == data

    def trickle():
        # slow but moving: one byte a second for 5 s, longer than the body timeout in all
        s = _connect(port)
        try:
            s.sendall(_signed_put_head(port, name, "trickle", 5))
            for b in b"hello":
                time.sleep(1.0)
                s.sendall(bytes([b]))
            results["trickle"] = _read_response(s).split(b"\r\n", 1)[0]
        finally:
            s.close()

    threads = [threading.Thread(target=normal), threading.Thread(target=trickle)]
    for t in threads:
        t.start()
    stalled = _connect(port)
    try:
        stalled.sendall(_signed_put_head(port, name, "stalled", 1000) + b"x" * 100)
        took = _closed_within(stalled, BODY + SLACK)
        assert took is not None, "stalled upload still open"
        assert took >= BODY - 0.5, took
    finally:
        stalled.close()
    for t in threads:
        t.join(30)
    assert results.get("normal") is True
    assert results.get("trickle", b"").startswith(b"HTTP/1.1 200"), results
    assert bkt.get_object("trickle").read() == b"hello"
    with pytest.raises(oss2.exceptions.NoSuchKey):
        bkt.get_object("stalled")


def test_connections_beyond_the_cap_are_refused_and_the_server_keeps_serving():
    cap = 20
    s = _start({"--max-connections": str(cap), "--idle-timeout": "60", "--header-read-timeout": "60"})
    held, over = [], []
    try:
        for _ in range(cap):
            c = _connect(s.port)
            c.sendall(_health(s.port))
            assert _read_response(c).startswith(b"HTTP/1.1 200")
            held.append(c)
        for _ in range(10):
            over.append(_connect(s.port))
        for c in over:
            assert _closed_within(c, 3) is not None, "a connection beyond the cap stayed open"
        # the held connections are still served
        for c in held[:5]:
            c.sendall(_health(s.port))
            assert _read_response(c).startswith(b"HTTP/1.1 200")
        # freeing places lets new connections in
        for c in held[:5]:
            c.close()
        del held[:5]
        assert _serves(s.port)
        assert "connection limit reached" in s.tail(400)
    finally:
        for c in held + over:
            c.close()
        s.stop()
        s.cleanup()


def test_out_of_file_descriptors_backs_off_quietly_and_recovers(tmp_path, monkeypatch):
    real = ossd_harness.OSSD_BIN
    wrapper = tmp_path / "ossd-prlimit"
    wrapper.write_text(f'#!/bin/sh\nexec prlimit --nofile=256:256 -- "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(ossd_harness, "OSSD_BIN", wrapper)
    # no cap (beyond the descriptors) and long timeouts: the connections stay until closed here
    s = _start({"--max-connections": "100000", "--idle-timeout": "60", "--header-read-timeout": "60"})
    conns = []
    try:
        # more than the server's 256 descriptors, fewer than that plus the listen backlog (128)
        for _ in range(300):
            conns.append(_connect(s.port))
        time.sleep(3)
        log = s.tail(5000)
        accept_lines = [line for line in log.splitlines() if "accept" in line]
        assert 1 <= len(accept_lines) <= 5, accept_lines[:10]
        assert len(log) < 100_000, len(log)
        assert "Too many open files" in log or "os error 24" in log
    finally:
        for c in conns:
            c.close()
    try:
        assert _serves(s.port), s.tail()
    finally:
        s.stop()
        s.cleanup()


def test_tls_handshake_timeout(tmp_path):
    s = _start(tls=True)
    try:
        c = _connect(s.port)
        try:
            took = _closed_within(c, 2 + SLACK)
            assert took is not None, "silent TLS connection still open"
        finally:
            c.close()
        r = requests.get(f"{s.endpoint}/-/health/live", verify=str(s.cert_path), timeout=10)
        assert r.status_code == 200
    finally:
        s.stop()
        s.cleanup()


def test_put_object_with_150_metadata_headers(srv, bkt, monkeypatch):
    # Python's own client refuses responses with more than 100 headers; HEAD returns them all
    monkeypatch.setattr(http.client, "_MAXHEADERS", 1000)
    meta = {f"x-oss-meta-k{i:03d}": f"v{i}" for i in range(150)}
    bkt.put_object("meta", b"m", headers=meta)
    got = bkt.head_object("meta").headers
    assert all(got.get(k) == v for k, v in meta.items())
    # over the header cap (512 by default): a clear 431, and the server goes on
    r = requests.put(
        f"{srv.endpoint}/{bkt.bucket_name}/too-many",
        data=b"x",
        headers={f"x-oss-meta-n{i}": "v" for i in range(600)},
        timeout=10,
    )
    assert r.status_code == 431
    assert _serves(srv.port)
