"""Bad-input sweep, both dialects: malformed XML bodies, headers, keys, queries, aws-chunked bodies,
multipart misuse, PostObject forms, image parameters and stalled connections. Every case must get a
4xx error document in the request's dialect (status, Code, Message, RequestId matching the
response header), never a 500 or a panic, and a refused write must leave nothing behind.

Requests are signed with the SDKs' own signers (oss2's `Auth`, botocore's `S3SigV4Auth`); raw
sockets are used where a malformed HTTP request is the point. Limits: docs/limits.md."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import socket
import time
import types
from urllib.parse import quote

import oss2
import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import unique_bucket
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer

OSS, S3 = "oss", "s3"
DIALECTS = [OSS, S3]


@pytest.fixture(scope="module")
def srv():
    server = OssdServer(extra_args=["--s3-addr", "127.0.0.1:0", "--body-idle-timeout", "2",
                                    "--header-read-timeout", "2"]).start()
    yield server
    server.stop()
    server.cleanup()


@pytest.fixture(autouse=True)
def no_panic_or_500(srv):
    """After every case: the server is alive and its log shows no panic and no 500 answer."""
    start = len(srv.log)
    yield
    assert srv.proc.poll() is None, srv.tail()
    new = "".join(srv.log[start:]) if len(srv.log) >= start else srv.tail(200)
    assert "panicked" not in new, new
    assert not re.search(r"status=500\b", new), new


# ----- signing and sending -----


def oss_prepare(srv, method, bucket, key=None, params=None, headers=None, body=b""):
    """An oss2 request signed with oss2's V1 `Auth`: (url, params, headers)."""
    url = f"{srv.endpoint}/{bucket}" + (f"/{quote(key, safe='/')}" if key is not None else "")
    req = oss2.http.Request(method, url, data=body, params=dict(params or {}), headers=dict(headers or {}))
    oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET)._sign_request(req, bucket, key or "")
    hdrs = {k: v for k, v in req.headers.items() if v is not None}
    return url, req.params, hdrs


def s3_prepare(srv, method, bucket, key=None, params=None, headers=None, body=b"", payload=None):
    """A request signed with botocore's `S3SigV4Auth` (payload hashed, or `payload` as the
    x-amz-content-sha256 value): (url with query, headers, signer, request)."""
    path = f"/{bucket}" + (f"/{quote(key, safe='/')}" if key is not None else "")
    query = "&".join(
        f"{quote(k, safe='')}" + ("" if v is None else f"={quote(str(v), safe='')}") for k, v in (params or {}).items()
    )
    url = srv.s3_endpoint + path + (f"?{query}" if query else "")
    req = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    signer = S3SigV4Auth(Credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET), "s3", REGION)
    if payload is not None:
        signer.payload = lambda request: payload
    signer.add_auth(req)
    return url, dict(req.headers.items()), signer, req


def send(srv, dialect, method, bucket, key=None, params=None, headers=None, body=b""):
    """One signed request in `dialect`, sent with `requests`."""
    if dialect == OSS:
        url, params, hdrs = oss_prepare(srv, method, bucket, key, params, headers, body)
        return requests.request(method, url, params=params, headers=hdrs, data=body, timeout=30)
    url, hdrs, _, _ = s3_prepare(srv, method, bucket, key, params, headers, body)
    return requests.request(method, url, headers=hdrs, data=body, timeout=30)


def check_error(resp_or_raw, dialect, status, codes):
    """The answer is the dialect's XML error document with `status`, a Code in `codes`, a
    Message and the RequestId of the response header. Returns the Code."""
    if isinstance(resp_or_raw, requests.Response):
        st, hdrs, text = resp_or_raw.status_code, {k.lower(): v for k, v in resp_or_raw.headers.items()}, resp_or_raw.text
    else:
        st, hdrs, text = resp_or_raw
    codes = {codes} if isinstance(codes, str) else set(codes)
    assert st == status, (st, text)
    assert re.match(r"\s*(<\?xml[^>]*>\s*)?<Error>", text), text
    code = re.search(r"<Code>(.*?)</Code>", text, re.S)
    assert code and code.group(1) in codes, text
    msg = re.search(r"<Message>(.*?)</Message>", text, re.S)
    assert msg and msg.group(1).strip(), text
    rid = re.search(r"<RequestId>(.*?)</RequestId>", text, re.S)
    header = "x-oss-request-id" if dialect == OSS else "x-amz-request-id"
    assert rid and rid.group(1) == hdrs.get(header), (hdrs, text)
    if dialect == S3:
        assert "<HostId>" in text or "x-amz-id-2" in hdrs, text
    else:
        assert "<HostId>" in text, text
    return code.group(1)


def raw_exchange(port, data: bytes, timeout=10.0, then_close=False):
    """Sends `data` on a new connection and reads the answer until the server closes or one
    response is complete. Returns (status, headers, body text) or None when closed silently."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        if then_close:
            s.shutdown(socket.SHUT_WR)
        return read_response(s, timeout)
    finally:
        s.close()


def read_response(s, timeout):
    buf = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not chunk:
            break
        buf += chunk
        head, sep, rest = buf.partition(b"\r\n\r\n")
        if sep:
            m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            if m and len(rest) >= int(m.group(1)):
                break
    if not buf:
        return None
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, rest.decode("utf-8", "replace")


def raw_request(method, path_qs, headers, body=b""):
    lines = [f"{method} {path_qs} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def split_url(url):
    rest = url.split("://", 1)[1]
    hostport, _, path = rest.partition("/")
    return hostport, "/" + path


def signed_raw(srv, dialect, method, bucket, key, headers, signed_body, sent_body, params=None, payload=None):
    """Raw bytes of a request signed for `signed_body` (its headers, Content-Length included)
    that sends `sent_body` instead. Returns (port, bytes)."""
    if dialect == OSS:
        url, params, hdrs = oss_prepare(srv, method, bucket, key, params, headers, signed_body)
        query = "&".join(quote(k, safe="") + ("" if v in ("", None) else "=" + quote(str(v), safe=""))
                         for k, v in params.items())
        hostport, path_qs = split_url(url + (f"?{query}" if query else ""))
        port = srv.port
    else:
        url, hdrs, _, _ = s3_prepare(srv, method, bucket, key, params, headers, signed_body, payload=payload)
        hostport, path_qs = split_url(url)
        port = srv.s3_port
    hdrs = {k: v for k, v in hdrs.items() if k.lower() not in ("host", "accept-encoding")}
    hdrs = {"Host": hostport, **hdrs}
    hdrs.setdefault("Content-Length", str(len(signed_body)))
    return port, raw_request(method, path_qs, hdrs, sent_body)


# ----- state checks -----


def object_count(srv, bucket, prefix=""):
    r = send(srv, OSS, "GET", bucket, params={"prefix": prefix, "max-keys": "1000"})
    assert r.status_code == 200, r.text
    return len(re.findall(r"<Key>", r.text))


def upload_count(srv, bucket):
    r = send(srv, OSS, "GET", bucket, params={"uploads": ""})
    assert r.status_code == 200, r.text
    return len(re.findall(r"<UploadId>", r.text))


def assert_absent(srv, bucket, key):
    r = send(srv, OSS, "HEAD", bucket, key)
    assert r.status_code == 404, (key, r.status_code)
    assert object_count(srv, bucket) == 0


@pytest.fixture
def bkt(srv):
    name = unique_bucket("bad")
    r = send(srv, OSS, "PUT", name)
    assert r.status_code == 200, r.text
    return name


# ----- 1. bucket subresource bodies -----

# (subresource, extra params, dialects, a valid root element name)
SUBRESOURCES = [
    ("lifecycle", {}, DIALECTS, "LifecycleConfiguration"),
    ("cors", {}, DIALECTS, "CORSConfiguration"),
    ("tagging", {}, DIALECTS, "Tagging"),
    ("versioning", {}, DIALECTS, "VersioningConfiguration"),
    ("referer", {}, [OSS], "RefererConfiguration"),
    ("publicAccessBlock", {}, DIALECTS, "PublicAccessBlockConfiguration"),
    ("style", {"styleName": "s1"}, [OSS], "Style"),
    ("acl", {}, [S3], "AccessControlPolicy"),
    ("ownershipControls", {}, [S3], "OwnershipControls"),
    ("delete", {}, DIALECTS, "Delete"),
]

NESTED = "<a>" * 200 + "x" + "</a>" * 200
BAD_BODIES = {
    "empty": b"",
    "truncated": b"<?xml version='1.0'?><Root><Rule><ID>x</ID",
    "not-xml": b"this is not xml {\"a\": 1}",
    "binary": bytes(range(256)) * 4,
    "deep": NESTED.encode(),
    "wrong-root": b"<?xml version='1.0'?><SomethingElse><A>1</A></SomethingElse>",
    "huge": b"<Root>" + b"<X>" + b"a" * (2 * 1024 * 1024 + 10) + b"</X></Root>",
    "entity": b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]><Root>&b;</Root>",
}

# Codes that name a malformed or refused configuration body.
BODY_CODES = {
    "MalformedXML", "MalformedXMLError", "InvalidArgument", "MissingRequestBodyError", "InvalidRequest",
    "EntityTooLarge", "MalformedPolicy", "InvalidDigest", "MalformedACLError", "InvalidRequestBody",
    "MissingArgument", "InvalidBucketAclWithObjectOwnership", "InvalidPolicyDocument", "MalformedACLError",
}


def sub_cases():
    for sub, extra, dialects, root in SUBRESOURCES:
        for dialect in dialects:
            for name in BAD_BODIES:
                yield pytest.param(sub, extra, dialect, name, id=f"{dialect}-{sub}-{name}")


@pytest.mark.parametrize("sub, extra, dialect, body_name", list(sub_cases()))
def test_bucket_subresource_bad_xml(srv, bkt, sub, extra, dialect, body_name):
    body = BAD_BODIES[body_name]
    method = "POST" if sub == "delete" else "PUT"
    headers = {"Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()}
    r = send(srv, dialect, method, bkt, params={sub: "", **extra}, headers=headers, body=body)
    code = check_error(r, dialect, 413 if r.status_code == 413 else 400, BODY_CODES)
    if body_name == "huge":
        assert code in ("EntityTooLarge", "InvalidArgument", "MalformedXML", "InvalidRequest"), code


def test_bucket_policy_bad_json(srv, bkt):
    for dialect in DIALECTS:
        for body in (b"", b"{", b"not json", b"[" * 10000 + b"]" * 10000, b"{\"Version\":\"1\",\"Statement\":7}",
                     b"{\"Statement\":[" + b"{}," * 200000 + b"{}]}"):
            r = send(srv, dialect, "PUT", bkt, params={"policy": ""}, body=body)
            check_error(r, dialect, 413 if r.status_code == 413 else 400, BODY_CODES)
        r = send(srv, dialect, "GET", bkt, params={"policy": ""})
        assert r.status_code == 404, r.text


def test_create_bucket_bad_configuration(srv):
    for dialect in DIALECTS:
        for name, body in BAD_BODIES.items():
            if name == "empty":
                continue
            bucket = unique_bucket("cfg")
            r = send(srv, dialect, "PUT", bucket, body=body)
            check_error(r, dialect, 413 if r.status_code == 413 else 400, BODY_CODES)
            assert send(srv, OSS, "HEAD", bucket).status_code == 404


# ----- 2. request headers -----


def put(srv, dialect, bucket, key, body=b"data", headers=None, params=None):
    return send(srv, dialect, "PUT", bucket, key, params=params, headers=headers, body=body)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "hname, hval, codes",
    [
        ("Content-MD5", "AAAA", {"InvalidDigest"}),
        ("Content-MD5", "not base64!!", {"InvalidDigest"}),
        ("Content-MD5", base64.b64encode(b"x" * 17).decode(), {"InvalidDigest"}),
        ("Content-MD5", base64.b64encode(b"x" * 16).decode(), {"BadDigest", "InvalidDigest"}),
        ("{p}-storage-class", "Bogus", {"InvalidStorageClass", "InvalidArgument"}),
        ("{p}-server-side-encryption", "ROT13", {"InvalidArgument", "InvalidEncryptionAlgorithmError"}),
        ("{p}-tagging", "a=b&a=c", {"InvalidArgument", "InvalidTag"}),
        ("x-oss-tagging", "%zz=1", {"InvalidArgument", "InvalidTag"}),
        ("{p}-meta-" + "m" * 9000, "v", {"MetadataTooLarge", "InvalidArgument", "UserKeyMustBeSpecified"}),
        ("{p}-forbid-overwrite", "maybe", None),
        ("{p}-object-acl", "everyone", {"InvalidArgument"}),
    ],
)
def test_put_object_bad_header(srv, bkt, dialect, hname, hval, codes):
    prefix = "x-oss" if dialect == OSS else "x-amz"
    name = hname.format(p=prefix)
    if name == "x-amz-object-acl":
        name = "x-amz-acl"
    if name.startswith("x-oss-") and dialect == S3:
        # x-oss-* headers mean nothing in an S3 request and are ignored (docs/s3.md#headers)
        assert put(srv, dialect, bkt, "k", headers={name: hval}).status_code == 200
        assert send(srv, OSS, "GET", bkt, "k", params={"tagging": ""}).text.count("<Tag>") == 0
        return
    r = put(srv, dialect, bkt, "k", headers={name: hval})
    if codes is None:  # accepted as OSS does (a non-`true` value means false) — never a 5xx
        assert r.status_code in (200, 400), r.text
        if r.status_code == 200:
            send(srv, OSS, "DELETE", bkt, "k")
        return
    check_error(r, dialect, 400, codes)
    assert_absent(srv, bkt, "k")


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "rng, status",
    [
        ("bytes=5-2", 206),  # invalid ranges are ignored (whole object), or refused with 416
        ("bytes=", 200),
        ("bytes=abc", 200),
        ("bytes=-", 200),
        ("bytes=99999999999999999999999-", 200),
        ("bytes=0-1,2-3", 200),
        ("items=0-1", 200),
        ("bytes=100-", 416),
        ("bytes=-0", 416),
        ("bytes=0-" + "9" * 400, 206),
    ],
)
def test_get_bad_range(srv, bkt, dialect, rng, status):
    assert put(srv, OSS, bkt, "r", body=b"0123456789").status_code == 200
    r = send(srv, dialect, "GET", bkt, "r", headers={"Range": rng})
    assert r.status_code in (200, 206, 416), (rng, r.status_code, r.text)
    if r.status_code == 416:
        check_error(r, dialect, 416, "InvalidRange")
    elif r.status_code == 206:
        assert r.headers["Content-Range"].startswith("bytes ")
    else:
        assert r.content == b"0123456789"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("hname", ["If-Modified-Since", "If-Unmodified-Since"])
@pytest.mark.parametrize("value", ["yesterday", "", "Mon, 99 Foo 2020 99:99:99 GMT", "0" * 300])
def test_bad_conditional_dates_are_ignored(srv, bkt, dialect, hname, value):
    assert put(srv, OSS, bkt, "d", body=b"x").status_code == 200
    r = send(srv, dialect, "GET", bkt, "d", headers={hname: value})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("date", ["garbage", "Tue, 07 Jul 1950 21:53:04 GMT", "Tue, 07 Jul 9999 21:53:04 GMT"])
def test_bad_request_date(srv, bkt, dialect, date):
    prefix = "x-oss" if dialect == OSS else "x-amz"
    if dialect == OSS:
        url, params, hdrs = oss_prepare(srv, "PUT", bkt, "dt", body=b"x")
        hdrs["date"] = date
    else:
        url, hdrs, _, _ = s3_prepare(srv, "PUT", bkt, "dt", body=b"x")
        hdrs["X-Amz-Date"] = date
        params = None
    r = requests.put(url, params=params, headers=hdrs, data=b"x", timeout=30)
    check_error(r, dialect, 403, {"AccessDenied", "RequestTimeTooSkewed", "SignatureDoesNotMatch"})
    assert_absent(srv, bkt, "dt")
    assert prefix


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("sent", [b"short", b"much longer than declared", b""])
def test_content_length_mismatch_stores_nothing(srv, bkt, dialect, sent):
    """Headers signed for a 10-byte body; the connection carries fewer bytes then closes, or more."""
    port, data = signed_raw(srv, dialect, "PUT", bkt, "cl", {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"} if dialect == S3 else {},
                            b"0123456789", sent, payload="UNSIGNED-PAYLOAD")
    answer = raw_exchange(port, data, timeout=10, then_close=len(sent) < 10)
    if len(sent) > 10:
        # the first 10 bytes are the body; the rest is read as the next request
        assert answer is not None and answer[0] in (200, 400), answer
        if answer[0] == 200:
            r = send(srv, OSS, "GET", bkt, "cl")
            assert r.content == sent[:10]
            send(srv, OSS, "DELETE", bkt, "cl")
        return
    if answer is not None:
        check_error(answer, dialect, 400, {"IncompleteBody", "RequestTimeout", "InvalidRequest"})
    assert_absent(srv, bkt, "cl")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_expect_continue_then_no_body(srv, bkt, dialect):
    """Expect: 100-continue, then the client closes its side without a body: nothing stored,
    the connection is freed."""
    port, data = signed_raw(srv, dialect, "PUT", bkt, "ec", {"Expect": "100-continue"}, b"x" * 100, b"",
                            payload="UNSIGNED-PAYLOAD")
    answer = raw_exchange(port, data, timeout=10, then_close=True)
    assert answer is None or answer[0] in (100, 400), answer
    assert_absent(srv, bkt, "ec")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_stalled_body_times_out_and_stores_nothing(srv, bkt, dialect):
    """A body that stops mid-way: the connection is closed after --body-idle-timeout (2 s here,
    docs/limits.md#connections) and nothing is stored."""
    port, data = signed_raw(srv, dialect, "PUT", bkt, "stall", {}, b"y" * 1000, b"y" * 300, payload="UNSIGNED-PAYLOAD")
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    try:
        t0 = time.monotonic()
        s.sendall(data)
        answer = read_response(s, 15)
        took = time.monotonic() - t0
    finally:
        s.close()
    assert 1.5 <= took < 10, took
    if answer is not None:
        check_error(answer, dialect, 400, {"IncompleteBody", "RequestTimeout"})
    assert_absent(srv, bkt, "stall")


def test_slow_headers_time_out(srv):
    """Request headers that trickle in: the connection is closed at --header-read-timeout."""
    for port in (srv.port, srv.s3_port):
        s = socket.create_connection(("127.0.0.1", port), timeout=15)
        t0 = time.monotonic()
        closed = False
        try:
            s.sendall(b"GET / HTTP/1.1\r\n")
            for _ in range(20):
                time.sleep(0.5)
                s.sendall(b"X-Slow: 1\r\n")
        except (BrokenPipeError, ConnectionResetError):
            closed = True
        if not closed:
            try:
                closed = s.recv(100) == b""
            except (ConnectionResetError, socket.timeout):
                closed = True
        s.close()
        took = time.monotonic() - t0
        assert closed and took < 9, took


# ----- 3. keys -----


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "raw_key, status, codes",
    [
        ("k" * 1024, 400, {"KeyTooLongError", "InvalidObjectName"}),
        ("%ff%fe", 400, {"InvalidObjectName", "InvalidURI", "InvalidArgument"}),
        ("a%00b", 400, {"InvalidObjectName", "InvalidArgument", "InvalidURI"}),
        ("a%01b", 400, {"InvalidObjectName", "InvalidArgument", "InvalidURI"}),
        ("%zz", 400, {"InvalidObjectName", "InvalidURI", "InvalidArgument"}),
        ("%c0%af", 400, {"InvalidObjectName", "InvalidURI", "InvalidArgument"}),
    ],
)
def test_bad_keys(srv, bkt, dialect, raw_key, status, codes):
    """Keys sent raw on the wire (percent-encoded as given), signed anonymously-invalid: the
    key check must answer before or instead of the signature check, with a 4xx."""
    hdrs = {"Host": f"127.0.0.1:{srv.port if dialect == OSS else srv.s3_port}", "Content-Length": "4"}
    if dialect == S3:
        hdrs["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD"
    data = raw_request("PUT", f"/{bkt}/{raw_key}", hdrs, b"data")
    answer = raw_exchange(srv.port if dialect == OSS else srv.s3_port, data)
    assert answer is not None
    assert 400 <= answer[0] < 500, answer
    check_error(answer, dialect, answer[0], codes | {"AccessDenied"})
    assert object_count(srv, bkt) == 0


@pytest.mark.parametrize("dialect", DIALECTS)
def test_key_too_long_signed(srv, bkt, dialect):
    r = put(srv, dialect, bkt, "k" * 1024)
    check_error(r, dialect, 400, {"KeyTooLongError", "InvalidObjectName"})
    assert object_count(srv, bkt) == 0
    assert put(srv, dialect, bkt, "k" * 1023).status_code == 200  # the limit itself is fine


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("key", ["a\x00b", "a\x01b\x7f", "tab\tnl\ncr\r"])
def test_control_character_keys_round_trip(srv, bkt, dialect, key):
    """Keys are any UTF-8 of 1-1023 bytes (docs/limits.md; OSS and S3 refuse no character):
    a key with NUL or control characters is stored whole and listed URL-encoded, as the SDKs
    ask (`encoding-type=url`)."""
    assert put(srv, dialect, bkt, key, body=b"ctl").status_code == 200
    r = send(srv, dialect, "GET", bkt, key)
    assert r.content == b"ctl"
    r = send(srv, dialect, "GET", bkt, params={"encoding-type": "url"})
    assert r.status_code == 200, r.text
    assert re.findall(r"<Key>(.*?)</Key>", r.text) == [quote(key, safe="")], r.text
    assert send(srv, dialect, "DELETE", bkt, key).status_code == 204


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("key", ["../x", "a/../../b", "./c", ".."])
def test_dot_segment_keys_are_literal(srv, bkt, dialect, key):
    """Dot segments sent raw on the wire (no client normalisation) are part of the key."""
    port, data = signed_raw(srv, dialect, "PUT", bkt, key, {}, b"dots", b"dots", payload="UNSIGNED-PAYLOAD")
    answer = raw_exchange(port, data)
    assert answer is not None and answer[0] == 200, answer
    port, data = signed_raw(srv, dialect, "GET", bkt, None, {}, b"", b"", payload="UNSIGNED-PAYLOAD")
    listing = raw_exchange(port, data)
    assert re.findall(r"<Key>(.*?)</Key>", listing[2]) == [key], listing


# ----- 4. query strings -----


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "qs, status, codes",
    [
        ("max-keys=-1", 400, {"InvalidArgument"}),
        ("max-keys=abc", 400, {"InvalidArgument"}),
        ("max-keys=99999999999999999999", 400, {"InvalidArgument"}),
        ("max-keys=", 200, None),  # an empty value is the default
        ("max-keys=1&max-keys=2", 200, None),  # OSS and S3 take the first of a repeated parameter
        ("list-type=3", 200, None),
        ("encoding-type=base64", 400, {"InvalidArgument", "InvalidEncodingMethod"}),
        ("uploads&max-uploads=-5", 400, {"InvalidArgument"}),
        ("uploads&max-uploads=99999999999999999999", 400, {"InvalidArgument"}),
        ("versions&max-keys=-5", 400, {"InvalidArgument"}),
        ("unknownparam=1", 200, None),
        ("&&&=&=x&", 200, None),
    ],
)
def test_bad_list_queries(srv, bkt, dialect, qs, status, codes):
    params = {}
    for item in qs.split("&"):
        k, eq, v = item.partition("=")
        if k:
            params.setdefault(k, v if eq else "")
    if dialect == OSS:
        url, sp, hdrs = oss_prepare(srv, "GET", bkt, params=params)
        r = requests.get(url + "?" + qs, headers=hdrs, timeout=30)
    else:
        url, hdrs, _, _ = s3_prepare(srv, "GET", bkt, params=params)
        r = requests.get(srv.s3_endpoint + f"/{bkt}?" + qs, headers=hdrs, timeout=30)
    if codes is None:
        assert r.status_code in (200, 403), r.text  # a query the signature did not cover
        if r.status_code == 403:
            check_error(r, dialect, 403, {"SignatureDoesNotMatch", "AccessDenied"})
        return
    if r.status_code == 403:
        # duplicates may break the canonical query the signer saw
        check_error(r, dialect, 403, {"SignatureDoesNotMatch"})
        return
    check_error(r, dialect, status, codes)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "params, codes",
    [
        ({"partNumber": "0"}, {"InvalidArgument", "InvalidPartNumber"}),
        ({"partNumber": "10001"}, {"InvalidArgument", "InvalidPartNumber"}),
        ({"partNumber": "-1"}, {"InvalidArgument", "InvalidPartNumber"}),
        ({"partNumber": "abc"}, {"InvalidArgument", "InvalidPartNumber"}),
        ({"partNumber": "99999999999999999999999"}, {"InvalidArgument", "InvalidPartNumber"}),
    ],
)
def test_upload_part_out_of_range(srv, bkt, dialect, params, codes):
    upload_id = initiate(srv, bkt, "mp")
    r = put(srv, dialect, bkt, "mp", params={**params, "uploadId": upload_id})
    check_error(r, dialect, 400, codes)
    for bad_id in ("", "nonexistent", "../../etc", "x" * 5000, "%00"):
        r = put(srv, dialect, bkt, "mp", params={"partNumber": "1", "uploadId": bad_id})
        check_error(r, dialect, 404 if r.status_code == 404 else 400, {"NoSuchUpload", "InvalidArgument"})
    send(srv, OSS, "DELETE", bkt, "mp", params={"uploadId": upload_id})
    assert object_count(srv, bkt) == 0


# ----- 5. multipart -----


def initiate(srv, bucket, key):
    r = send(srv, OSS, "POST", bucket, key, params={"uploads": ""})
    assert r.status_code == 200, r.text
    return re.search(r"<UploadId>(.*?)</UploadId>", r.text).group(1)


def upload_part(srv, bucket, key, upload_id, n, data):
    r = put(srv, OSS, bucket, key, body=data, params={"partNumber": str(n), "uploadId": upload_id})
    assert r.status_code == 200, r.text
    return r.headers["ETag"]


def complete_xml(parts):
    inner = "".join(f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>" for n, e in parts)
    return f"<CompleteMultipartUpload>{inner}</CompleteMultipartUpload>".encode()


MiB = 1024 * 1024


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("case", ["out-of-order", "too-small", "missing", "duplicate", "etag-mismatch",
                                  "empty", "garbage", "bad-number", "deep"])
def test_complete_multipart_misuse(srv, bkt, dialect, case):
    uid = initiate(srv, bkt, "m")
    e1 = upload_part(srv, bkt, "m", uid, 1, b"a" * (50 * 1024 if case == "too-small" else 5 * MiB))
    e2 = upload_part(srv, bkt, "m", uid, 2, b"b" * 1024)
    body = {
        "out-of-order": complete_xml([(2, e2), (1, e1)]),
        "too-small": complete_xml([(1, e1), (2, e2)]),
        "missing": complete_xml([(1, e1), (3, e2)]),
        "duplicate": complete_xml([(1, e1), (1, e1), (2, e2)]),
        "etag-mismatch": complete_xml([(1, e1), (2, '"00000000000000000000000000000000"')]),
        "empty": b"",
        "garbage": b"<CompleteMultipartUpload><Part>",
        "bad-number": complete_xml([(0, e1)]),
        "deep": NESTED.encode(),
    }[case]
    codes = {
        "out-of-order": {"InvalidPartOrder"},
        "too-small": {"EntityTooSmall"},
        "missing": {"InvalidPart"},
        "duplicate": {"InvalidPartOrder"},
        "etag-mismatch": {"InvalidPart"},
        "empty": {"MalformedXML", "InvalidRequest"},
        "garbage": {"MalformedXML"},
        "bad-number": {"InvalidPart", "InvalidPartOrder", "MalformedXML", "InvalidArgument"},
        "deep": {"MalformedXML"},
    }[case]
    r = send(srv, dialect, "POST", bkt, "m", params={"uploadId": uid}, body=body)
    if case == "duplicate" and dialect == S3:
        # S3 takes a number listed again right after itself (the last entry counts):
        # docs/s3.md#known-differences, ceph/s3-tests test_multipart_resend_first_finishes_last
        assert r.status_code == 200, r.text
        assert send(srv, OSS, "HEAD", bkt, "m").headers["Content-Length"] == str(5 * MiB + 1024)
        send(srv, OSS, "DELETE", bkt, "m")
        return
    check_error(r, dialect, 400, codes)
    assert object_count(srv, bkt) == 0
    assert upload_count(srv, bkt) == 1  # the upload is still there and can be completed or aborted
    assert send(srv, OSS, "DELETE", bkt, "m", params={"uploadId": uid}).status_code == 204


# ----- 6. aws-chunked (S3) -----

EMPTY_SHA = hashlib.sha256(b"").hexdigest()


def chunked_put(srv, bucket, key, chunks, mutate=None, decoded_len=None):
    """A STREAMING-AWS4-HMAC-SHA256-PAYLOAD PutObject (docs/protocol/s3-chunked.md), signed with
    botocore's signer for the seed and its signing key for the chunks. `mutate(list of encoded
    chunk bytes)` corrupts the body. Returns the raw answer."""
    total = sum(len(c) for c in chunks)
    headers = {
        "Content-Encoding": "aws-chunked",
        "x-amz-decoded-content-length": str(total if decoded_len is None else decoded_len),
    }
    # The encoded length is needed before signing: compute it from the chunk sizes.
    def enc_len(n):
        return len(f"{n:x}") + 17 + 64 + 2 + n + 2
    encoded_len = sum(enc_len(len(c)) for c in chunks) + enc_len(0)
    headers["Content-Length"] = str(encoded_len)
    url, hdrs, signer, req = s3_prepare(srv, "PUT", bucket, key, headers=headers, body=b"",
                                        payload="STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
    seed = re.search(r"Signature=([0-9a-f]{64})", hdrs["Authorization"]).group(1)
    amz_date = hdrs["X-Amz-Date"]
    scope = f"{amz_date[:8]}/{REGION}/s3/aws4_request"
    key_bytes = signing_key(amz_date[:8])
    prev = seed
    encoded = []
    for data in list(chunks) + [b""]:
        sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, prev, EMPTY_SHA, hashlib.sha256(data).hexdigest()])
        sig = hmac.new(key_bytes, sts.encode(), hashlib.sha256).hexdigest()
        encoded.append(f"{len(data):x};chunk-signature={sig}\r\n".encode() + data + b"\r\n")
        prev = sig
    if mutate:
        mutate(encoded)
    body = b"".join(encoded)
    hostport, path_qs = split_url(url)
    hdrs = {k: v for k, v in hdrs.items() if k.lower() != "host"}
    hdrs = {"Host": hostport, **hdrs}
    return raw_exchange(srv.s3_port, raw_request("PUT", path_qs, hdrs, body), timeout=10)


def signing_key(day):
    k = hmac.new(("AWS4" + ACCESS_KEY_SECRET).encode(), day.encode(), hashlib.sha256).digest()
    for part in (REGION, "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


def test_chunked_valid_upload_is_stored(srv, bkt):
    answer = chunked_put(srv, bkt, "ok", [b"a" * 100, b"b" * 5])
    assert answer and answer[0] == 200, answer
    r = send(srv, S3, "GET", bkt, "ok")
    assert r.content == b"a" * 100 + b"b" * 5


def _bad_sig(enc):
    enc[1] = re.sub(rb"chunk-signature=[0-9a-f]{64}", b"chunk-signature=" + b"0" * 64, enc[1])


def _bad_size(enc):
    enc[0] = b"zz" + enc[0][enc[0].index(b";"):]


def _oversize(enc):
    enc[0] = b"ffffffffffffffffff" + enc[0][enc[0].index(b";"):]


def _truncated_final(enc):
    enc[-1] = enc[-1][:20]


def _swap(enc):
    enc[0], enc[1] = enc[1], enc[0]


@pytest.mark.parametrize(
    "mutate, decoded, status, codes",
    [
        (_bad_sig, None, 403, {"SignatureDoesNotMatch"}),
        (_bad_size, None, 400, {"InvalidChunkSizeError", "IncompleteBody"}),
        (_oversize, None, 400, {"InvalidChunkSizeError", "IncompleteBody"}),
        (_truncated_final, None, 400, {"IncompleteBody"}),
        (_swap, None, 403, {"SignatureDoesNotMatch"}),
        (None, 50, 400, {"IncompleteBody"}),
        (None, 500, 400, {"IncompleteBody"}),
    ],
)
def test_chunked_bad_bodies_store_nothing(srv, bkt, mutate, decoded, status, codes):
    answer = chunked_put(srv, bkt, "c", [b"a" * 100, b"b" * 5], mutate=mutate, decoded_len=decoded)
    assert answer is not None, "closed without an answer"
    check_error(answer, S3, status, codes)
    assert_absent(srv, bkt, "c")


# ----- 7. PostObject -----


def post_form(srv, dialect, bucket, body, boundary="XyZ", content_type=None):
    port = srv.port if dialect == OSS else srv.s3_port
    ct = content_type or f"multipart/form-data; boundary={boundary}"
    r = requests.post(f"http://127.0.0.1:{port}/{bucket}", data=body, headers={"Content-Type": ct}, timeout=30)
    return r


def form(fields, file=None, boundary="XyZ"):
    out = b""
    for k, v in fields:
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n".encode() + v + b"\r\n"
    if file is not None:
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + file + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "case, codes",
    [
        ("no-file", {"IncorrectNumberOfFilesInPOSTRequest"}),
        ("garbage", {"MalformedPOSTRequest", "InvalidArgument", "InvalidRequest", "RequestIsNotMultiPartContent"}),
        ("no-boundary", {"RequestIsNotMultiPartContent", "MalformedPOSTRequest"}),
        ("unterminated", {"MalformedPOSTRequest", "InvalidArgument", "IncompleteBody", "InvalidRequest"}),
        ("huge-field", {"MaxPOSTPreDataLengthExceededError", "FieldItemTooLong", "EntityTooLarge", "InvalidArgument"}),
        ("huge-name", {"FieldItemTooLong", "MaxPOSTPreDataLengthExceededError", "InvalidArgument", "MalformedPOSTRequest"}),
        ("huge-policy", {"MaxPOSTPreDataLengthExceededError", "InvalidPolicyDocument", "InvalidArgument", "EntityTooLarge"}),
        ("bad-policy", {"InvalidPolicyDocument", "MalformedPolicy", "SignatureDoesNotMatch"}),
        # 1100 names of 15 bytes pass the 8 KB of field names first (docs/limits.md#postobject)
        ("many-fields", {"MaxPOSTPreDataLengthExceededError", "FieldItemTooLong"}),
    ],
)
def test_post_object_malformed(srv, bkt, dialect, case, codes):
    key = [(b"key" if True else b"", b"posted")]
    k = [("key", b"posted")]
    body = {
        "no-file": form(k),
        "garbage": b"\x00\x01garbage\r\n--",
        "no-boundary": form(k, b"data"),
        "unterminated": form(k, b"data")[:-10],
        "huge-field": form(k + [("x-" + ("oss" if dialect == OSS else "amz") + "-meta-a", b"v" * (3 * MiB))], b"data"),
        "huge-name": form(k + [("n" * 20000, b"v")], b"data"),
        "huge-policy": form(k + [("policy", base64.b64encode(b"{" + b" " * (3 * MiB) + b"}"))], b"data"),
        "bad-policy": form(k + [("policy", b"!!!notbase64"), ("OSSAccessKeyId" if dialect == OSS else "AWSAccessKeyId",
                                                                  ACCESS_KEY_ID.encode()), ("Signature", b"abc")], b"data"),
        "many-fields": form(k + [(f"x-{('oss' if dialect == OSS else 'amz')}-meta-f{i}", b"v") for i in range(1100)], b"data"),
    }[case]
    ct = "multipart/form-data" if case == "no-boundary" else None
    assert key
    r = post_form(srv, dialect, bkt, body, content_type=ct)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    check_error(r, dialect, r.status_code, codes | {"AccessDenied"})
    assert object_count(srv, bkt) == 0


# ----- 8. image processing -----


def tiny_png():
    import struct
    import zlib

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "process",
    [
        "garbage",
        "image/",
        "image/resize,w_99999999999999999999",
        "image/resize,w_-5",
        "image/resize,w_0,h_0",
        "image/resize,w_100000,h_100000",
        "image/crop,x_999999,y_999999,w_10,h_10",
        "image/rotate,99999999999",
        "image/watermark,text_" + "A" * 20000,
        "image/format,bogus",
        "image/quality,q_1000",
        "image/blur,r_999999,s_999999",
        "image/" + "resize,w_10/" * 2000,
        "image/resize,w_10,,,,,,,",
        "image/info" + "\x00",
        "video/snapshot,t_1",
        "style/" + "s" * 5000,
    ],
)
def test_image_process_garbage(srv, bkt, dialect, process):
    assert put(srv, OSS, bkt, "img.png", body=tiny_png()).status_code == 200
    r = send(srv, dialect, "GET", bkt, "img.png", params={"x-oss-process": process})
    if dialect == S3 and not process.startswith(("image/", "style/")):
        # only image processing is implemented: NotImplemented, which S3 sends with 501
        # (crates/ossd-proto/src/s3/error.rs; the OSS dialect sends it with 400)
        check_error(r, dialect, 501, "NotImplemented")
        return
    assert r.status_code < 500, (r.status_code, r.text)
    if r.status_code >= 400:
        check_error(r, dialect, r.status_code, {"InvalidArgument", "ImageTooLarge", "NotImplemented",
                                                "InvalidRequest", "NoSuchStyle", "InvalidImageFormat",
                                                "MissingArgument", "BadRequest"})


# ----- 9. malformed HTTP -----


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "raw",
    [
        b"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
        b"PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"PUT /b/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\x00b\r\n\r\n",
    ],
)
def test_malformed_http_never_500(srv, dialect, raw):
    port = srv.port if dialect == OSS else srv.s3_port
    answer = raw_exchange(port, raw, timeout=10, then_close=True)
    if answer is not None:
        assert answer[0] < 500, answer


@pytest.mark.parametrize("dialect", DIALECTS)
def test_request_target_over_the_uri_limit(srv, dialect):
    """A request target over 65,534 bytes is refused by the HTTP layer before any dialect is
    known: 414 with an empty body, connection closed (docs/limits.md#connections)."""
    port = srv.port if dialect == OSS else srv.s3_port
    answer = raw_exchange(port, b"GET /b/" + b"k" * 65534 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer is not None and answer[0] == 414 and answer[2] == "", answer
    assert answer[1].get("connection") == "close", answer
    # just under it: an ordinary dialect error (the bucket does not exist)
    answer = raw_exchange(port, b"GET /nosuchbkt/" + b"k" * 1000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check_error(answer, dialect, 404, "NoSuchBucket")


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "headers, codes",
    [
        ({"{p}-metadata-directive": "BOGUS"}, {"InvalidArgument"}),
        ({"{p}-tagging-directive": "BOGUS"}, {"InvalidArgument"}),
        ({"{p}-copy-source": "/"}, {"InvalidArgument", "InvalidRequest"}),
        ({"{p}-copy-source": "/%zz/%ff"}, {"InvalidArgument", "InvalidRequest", "InvalidBucketName", "NoSuchKey"}),
        ({"{p}-copy-source-if-modified-since": "not a date"}, None),
    ],
)
def test_copy_object_bad_headers(srv, bkt, dialect, headers, codes):
    assert put(srv, OSS, bkt, "src", body=b"source").status_code == 200
    prefix = "x-oss" if dialect == OSS else "x-amz"
    hdrs = {"{p}-copy-source".format(p=prefix): f"/{bkt}/src"}
    hdrs.update({k.format(p=prefix): v for k, v in headers.items()})
    r = send(srv, dialect, "PUT", bkt, "dst", headers=hdrs)
    if codes is None:  # an unparsable date condition is ignored, as for GetObject
        assert r.status_code == 200, r.text
        return
    check_error(r, dialect, 404 if r.status_code == 404 else 400, codes)
    assert send(srv, OSS, "HEAD", bkt, "dst").status_code == 404


@pytest.mark.parametrize("dialect", DIALECTS)
def test_request_head_over_the_buffer_limit(srv, dialect):
    """A request head well over 408 KiB (hyper's read buffer) is 431 with an empty body and the
    connection closed (docs/limits.md#connections); 300 KiB of headers still reach ossd."""
    port = srv.port if dialect == OSS else srv.s3_port
    big = b"X-Filler: " + b"v" * 600_000 + b"\r\n"
    answer = raw_exchange(port, b"GET /nosuchbkt/k HTTP/1.1\r\nHost: x\r\n" + big + b"\r\n")
    assert answer is not None and answer[0] == 431 and answer[2] == "", answer
    assert answer[1].get("connection") == "close", answer
    ok = "".join(f"X-Filler-{i}: {'v' * 1000}\r\n" for i in range(300)).encode()
    answer = raw_exchange(port, b"GET /nosuchbkt/k HTTP/1.1\r\nHost: x\r\n" + ok + b"\r\n")
    check_error(answer, dialect, 404, "NoSuchBucket")


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "params",
    [
        {"max-parts": "-1"},
        {"max-parts": "abc"},
        {"max-parts": "99999999999999999999"},
        {"part-number-marker": "abc"},
        {"part-number-marker": "-5"},
    ],
)
def test_list_parts_bad_queries(srv, bkt, dialect, params):
    uid = initiate(srv, bkt, "lp")
    r = send(srv, dialect, "GET", bkt, "lp", params={"uploadId": uid, **params})
    check_error(r, dialect, 400, {"InvalidArgument"})
    assert send(srv, OSS, "DELETE", bkt, "lp", params={"uploadId": uid}).status_code == 204


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "params",
    [
        {"list-type": "2", "continuation-token": "%%%not-a-token"},
        {"list-type": "2", "continuation-token": "A" * 5000},
        {"list-type": "2", "start-after": "k" * 5000},
        {"marker": "k" * 5000},
        {"prefix": "p" * 5000, "delimiter": "d" * 5000},
    ],
)
def test_list_objects_odd_markers(srv, bkt, dialect, params):
    """Tokens, markers and prefixes no key can match: a clear 400 or an empty listing."""
    assert put(srv, OSS, bkt, "a", body=b"x").status_code == 200
    r = send(srv, dialect, "GET", bkt, params=params)
    if r.status_code == 200:
        # well-formed, and listing nothing but what exists (a token decodes to a start key)
        import xml.etree.ElementTree as ET

        root = ET.fromstring(r.content)
        assert {e.text for e in root.iter() if e.tag.endswith("}Key") or e.tag == "Key"} <= {"a"}, r.text
    else:
        check_error(r, dialect, 400, {"InvalidArgument"})


OBJECT_SUBRESOURCES = [
    ("PUT", {"tagging": ""}, DIALECTS),
    ("PUT", {"acl": ""}, [S3]),
    ("POST", {"restore": ""}, DIALECTS),
]


def object_sub_cases():
    for method, params, dialects in OBJECT_SUBRESOURCES:
        for dialect in dialects:
            for name in BAD_BODIES:
                if name != "empty":
                    yield pytest.param(dialect, method, params, name, id=f"{dialect}-{next(iter(params))}-{name}")


@pytest.mark.parametrize("dialect, method, params, body_name", list(object_sub_cases()))
def test_object_subresource_bad_xml(srv, bkt, dialect, method, params, body_name):
    headers = {"x-oss-storage-class": "Archive"} if "restore" in params else {}
    r = send(srv, OSS, "PUT", bkt, "o", headers=headers, body=b"x")
    assert r.status_code == 200, r.text
    r = send(srv, dialect, method, bkt, "o", params=params, body=BAD_BODIES[body_name])
    check_error(r, dialect, 413 if r.status_code == 413 else 400, BODY_CODES)
    # nothing changed: no tags, ACL still the default, no restore in progress
    assert "<Tag>" not in send(srv, OSS, "GET", bkt, "o", params={"tagging": ""}).text
    assert "x-oss-restore" not in send(srv, OSS, "HEAD", bkt, "o").headers
    assert "public" not in send(srv, OSS, "GET", bkt, "o", params={"acl": ""}).text


@pytest.mark.parametrize(
    "position, status, code",
    [
        ("-1", 400, "InvalidArgument"),
        ("abc", 400, "InvalidArgument"),
        ("99999999999999999999999", 400, "InvalidArgument"),
        ("5", 409, "PositionNotEqualToLength"),
    ],
)
def test_append_bad_position(srv, bkt, position, status, code):
    """AppendObject is OSS's (the OSS dialect only)."""
    r = send(srv, OSS, "POST", bkt, "w", params={"append": "", "position": position}, body=b"data")
    check_error(r, OSS, status, code)
    assert object_count(srv, bkt) == 0


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("version", ["garbage", "", "null\x00", "a" * 3000])
def test_read_and_delete_bad_version_ids(srv, bkt, dialect, version):
    assert put(srv, OSS, bkt, "v", body=b"keep").status_code == 200
    for method in ("GET", "HEAD", "DELETE"):
        r = send(srv, dialect, method, bkt, "v", params={"versionId": version})
        assert 400 <= r.status_code < 500, (method, r.status_code, r.text)
        if method != "HEAD":
            check_error(r, dialect, r.status_code, {"InvalidArgument", "NoSuchVersion", "InvalidVersionId", "NoSuchKey"})
    assert send(srv, OSS, "GET", bkt, "v").content == b"keep"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("rng", ["bytes=zz", "bytes=5-1", "bytes=0-99999999", "bytes=-5", "items=0-1", "bytes=0-1,3-4"])
def test_upload_part_copy_bad_range(srv, bkt, dialect, rng):
    assert put(srv, OSS, bkt, "src", body=b"0123456789").status_code == 200
    uid = initiate(srv, bkt, "dst")
    prefix = "x-oss" if dialect == OSS else "x-amz"
    r = send(srv, dialect, "PUT", bkt, "dst", params={"partNumber": "1", "uploadId": uid},
             headers={f"{prefix}-copy-source": f"/{bkt}/src", f"{prefix}-copy-source-range": rng})
    if r.status_code == 200:
        # OSS copies the whole source when the range is invalid (UploadPartCopy reference)
        assert dialect == OSS, r.text
    else:
        check_error(r, dialect, 416 if r.status_code == 416 else 400, {"InvalidArgument", "InvalidRange", "InvalidRequest"})
    send(srv, OSS, "DELETE", bkt, "dst", params={"uploadId": uid})
    assert object_count(srv, bkt) == 1


def test_s3_signature_errors_name_the_aws_access_key(srv, bkt):
    """boto3 reads S3's SignatureDoesNotMatch / InvalidAccessKeyId documents, which name the key
    `AWSAccessKeyId` and speak of an "AWS Access Key Id" (S3 API reference, "Error responses")."""
    from botocore.exceptions import ClientError

    from s3_helpers import s3_client

    with pytest.raises(ClientError) as e:
        s3_client(srv.s3_endpoint, secret="wrong-secret").put_object(Bucket=bkt, Key="sig", Body=b"x")
    err = e.value.response["Error"]
    assert err["Code"] == "SignatureDoesNotMatch", err
    assert err["AWSAccessKeyId"] == ACCESS_KEY_ID and "OSSAccessKeyId" not in err, err
    with pytest.raises(ClientError) as e:
        s3_client(srv.s3_endpoint, key_id="AKIANOSUCHKEY0000000").list_objects_v2(Bucket=bkt)
    err = e.value.response["Error"]
    assert (err["Code"], err["AWSAccessKeyId"]) == ("InvalidAccessKeyId", "AKIANOSUCHKEY0000000"), err
    assert err["Message"] == "The AWS Access Key Id you provided does not exist in our records.", err
    assert object_count(srv, bkt) == 0


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "name",
    ["UPPER", "ab", "a" * 64, "192.168.1.1", "-abc", "abc-", "a..b", "a_b", "a.-b", "xn--abc", "b--ol-s3",
     "sthree-b", "b-s3alias"],
)
def test_create_bucket_bad_names(srv, dialect, name):
    """Bucket naming rules (docs/limits.md; S3's reserved prefixes and suffixes, docs/s3.md):
    400 InvalidBucketName and no bucket. OSS has no reserved names."""
    r = send(srv, dialect, "PUT", name)
    if dialect == OSS and name in ("xn--abc", "b--ol-s3", "sthree-b", "b-s3alias"):
        assert r.status_code == 200, r.text
        assert send(srv, S3, "HEAD", name).status_code == 200  # still reachable through S3
        assert send(srv, OSS, "DELETE", name).status_code == 204
        return
    check_error(r, dialect, 400, "InvalidBucketName")
    listing = send(srv, OSS, "GET", "")
    assert listing.status_code == 200 and f"<Name>{name}</Name>" not in listing.text


def test_aws_chunked_content_encoding_over_a_plain_body(srv, bkt):
    """`Content-Encoding: aws-chunked` without a STREAMING- payload hash is a plain body, stored
    as sent, without `aws-chunked` in its stored encoding (docs/protocol/s3-chunked.md)."""
    framed = b"5\r\nhello\r\n0\r\n\r\n"
    r = send(srv, S3, "PUT", bkt, "framed", headers={"Content-Encoding": "aws-chunked"}, body=framed)
    assert r.status_code == 200, r.text
    r = send(srv, S3, "GET", bkt, "framed")
    assert r.content == framed and "Content-Encoding" not in r.headers, r.headers


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "case, codes",
    [
        ("truncated-mid-file", {"IncompleteBody"}),
        ("empty-key", {"InvalidObjectName", "KeyTooLongError"}),
        ("long-key", {"InvalidObjectName", "KeyTooLongError"}),
        ("file-before-key", {"InvalidArgument"}),  # fields after the file are ignored: no key
        ("not-a-form", {"RequestIsNotMultiPartContent"}),
    ],
)
def test_post_object_bad_forms_store_nothing(srv, bkt, dialect, case, codes):
    """Anonymous PostObject forms refused before anything is stored (the form is read before
    its policy is checked, so the structural errors come first)."""
    body = {
        "truncated-mid-file": form([("key", b"tr")], b"x" * 10000)[:-3000],
        "empty-key": form([("key", b"")], b"d"),
        "long-key": form([("key", b"k" * 1100)], b"d"),
        "file-before-key": b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\ndata\r\n"
                           b"--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nlate\r\n--XyZ--\r\n",
        "not-a-form": b"key=x&file=y",
    }[case]
    if case == "truncated-mid-file":
        # an anonymous form reaches its file only on a public-read-write bucket (Block Public
        # Access off first: the default of new buckets may turn it on)
        off = b"<PublicAccessBlockConfiguration><BlockPublicAccess>false</BlockPublicAccess></PublicAccessBlockConfiguration>"
        assert send(srv, OSS, "PUT", bkt, params={"publicAccessBlock": ""}, body=off).status_code == 200
        assert send(srv, OSS, "PUT", bkt, params={"acl": ""}, headers={"x-oss-acl": "public-read-write"}).status_code == 200
    r = post_form(srv, dialect, bkt, body, content_type="application/x-www-form-urlencoded" if case == "not-a-form" else None)
    check_error(r, dialect, 400, codes)
    assert object_count(srv, bkt) == 0
