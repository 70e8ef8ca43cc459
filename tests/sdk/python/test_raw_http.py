"""Malformed or hostile requests sent with plain `requests` (things the SDKs never send)."""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import oss2
import pytest
import requests

from conftest import allow_public_access, md5_b64, oss2_bucket, unique_bucket
from ossd_harness import ACCESS_KEY_ID
from raw_helpers import http_date, signed_request, xml_value


@pytest.fixture(scope="module")
def rb(endpoint):
    b = oss2_bucket(endpoint, unique_bucket("raw"), "v1")
    b.create_bucket()
    b.put_object("obj.txt", b"raw object")
    return b


def _err(r):
    return xml_value(r.text, "Code")


def test_signed_request_helper_works(endpoint, rb):
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/obj.txt")
    assert r.status_code == 200, r.text
    assert r.content == b"raw object"
    assert r.headers["x-oss-request-id"]


def test_wrong_signature(endpoint, rb):
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/obj.txt", secret="wrong-secret")
    assert r.status_code == 403
    assert _err(r) == "SignatureDoesNotMatch"
    assert xml_value(r.text, "RequestId") == r.headers["x-oss-request-id"]
    # signature computed for a different resource
    date = http_date()
    from raw_helpers import v1_signature

    sig = v1_signature("GET", f"/{rb.bucket_name}/other.txt", {"Date": date})
    r = requests.get(
        f"{endpoint}/{rb.bucket_name}/obj.txt", headers={"Date": date, "Authorization": f"OSS {ACCESS_KEY_ID}:{sig}"}
    )
    assert r.status_code == 403
    assert _err(r) == "SignatureDoesNotMatch"
    # a sub-resource that is not covered by the signature
    sig = v1_signature("GET", f"/{rb.bucket_name}/obj.txt", {"Date": date})
    r = requests.get(
        f"{endpoint}/{rb.bucket_name}/obj.txt?acl", headers={"Date": date, "Authorization": f"OSS {ACCESS_KEY_ID}:{sig}"}
    )
    assert r.status_code == 403
    assert _err(r) == "SignatureDoesNotMatch"


def test_unknown_access_key(endpoint, rb):
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/obj.txt", key_id="LTAI5tDoesNotExist01")
    assert r.status_code == 403
    assert _err(r) == "InvalidAccessKeyId"


def test_malformed_authorization_header(endpoint, rb):
    r = requests.get(
        f"{endpoint}/{rb.bucket_name}/obj.txt", headers={"Date": http_date(), "Authorization": "OSS no-colon-here"}
    )
    assert r.status_code in (400, 403)
    assert _err(r) in ("InvalidArgument", "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId")


@pytest.mark.parametrize("offset", [-20 * 60, 20 * 60])
def test_skewed_date(endpoint, rb, offset):
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/obj.txt", date=http_date(offset))
    assert r.status_code == 403
    assert _err(r) == "RequestTimeTooSkewed"


def test_date_within_window_is_accepted(endpoint, rb):
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/obj.txt", date=http_date(-10 * 60))
    assert r.status_code == 200


def test_missing_or_bad_date(endpoint, rb):
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/obj.txt", date="not a date")
    assert r.status_code == 403
    assert _err(r) == "AccessDenied"


def _delete_body(keys, quiet=False):
    objs = "".join(f"<Object><Key>{k}</Key></Object>" for k in keys)
    return f'<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>{str(quiet).lower()}</Quiet>{objs}</Delete>'.encode()


def test_delete_multiple_malformed_xml(endpoint, rb):
    for body in (b"<Delete><Object><Key>a</Key></Object>", b"this is not xml", b"<Other></Other>"):
        r = signed_request(
            endpoint,
            "POST",
            f"/{rb.bucket_name}/?delete",
            data=body,
            headers={"Content-MD5": md5_b64(body), "Content-Type": "application/xml"},
        )
        assert r.status_code == 400, (body, r.text)
        assert _err(r) == "MalformedXML", (body, r.text)


def test_delete_multiple_md5(endpoint, rb):
    rb.put_object("dm1.txt", b"1")
    body = _delete_body(["dm1.txt"])
    r = signed_request(
        endpoint, "POST", f"/{rb.bucket_name}/?delete", data=body, headers={"Content-MD5": md5_b64(b"other")}
    )
    assert r.status_code == 400
    assert _err(r) == "InvalidDigest"
    r = signed_request(endpoint, "POST", f"/{rb.bucket_name}/?delete", data=body)
    assert r.status_code == 400  # Content-MD5 is required
    assert rb.object_exists("dm1.txt")
    r = signed_request(endpoint, "POST", f"/{rb.bucket_name}/?delete", data=body, headers={"Content-MD5": md5_b64(body)})
    assert r.status_code == 200, r.text
    assert "<Key>dm1.txt</Key>" in r.text
    assert not rb.object_exists("dm1.txt")


def test_delete_multiple_quiet_and_encoding(endpoint, rb):
    rb.put_object("q 1.txt", b"1")
    rb.put_object("q&2.txt", b"2")
    body = _delete_body(["q 1.txt", "q&amp;2.txt"], quiet=True)
    r = signed_request(endpoint, "POST", f"/{rb.bucket_name}/?delete", data=body, headers={"Content-MD5": md5_b64(body)})
    assert r.status_code == 200, r.text
    assert "<Deleted>" not in r.text
    assert "<DeleteResult" in r.text
    assert not rb.object_exists("q 1.txt") and not rb.object_exists("q&2.txt")
    rb.put_object("e 3.txt", b"3")
    body = _delete_body(["e 3.txt"])
    r = signed_request(
        endpoint, "POST", f"/{rb.bucket_name}/?delete&encoding-type=url", data=body, headers={"Content-MD5": md5_b64(body)}
    )
    assert r.status_code == 200
    assert xml_value(r.text, "EncodingType") == "url"
    assert xml_value(r.text, "Key") == "e%203.txt"


def test_put_invalid_content_md5_format(endpoint, rb):
    r = signed_request(
        endpoint, "PUT", f"/{rb.bucket_name}/md5.txt", data=b"abc", headers={"Content-MD5": "not-base64!!"}
    )
    assert r.status_code == 400
    assert _err(r) == "InvalidDigest"
    # Base64 of the hex digest: the classic mistake
    hexmd5 = hashlib.md5(b"abc").hexdigest().encode()
    r = signed_request(
        endpoint, "PUT", f"/{rb.bucket_name}/md5.txt", data=b"abc", headers={"Content-MD5": base64.b64encode(hexmd5).decode()}
    )
    assert r.status_code == 400
    assert _err(r) == "InvalidDigest"


def test_empty_md5_on_bodyless_request_is_harmless(endpoint, rb):
    r = signed_request(
        endpoint, "GET", f"/{rb.bucket_name}/obj.txt", headers={"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="}
    )
    assert r.status_code == 200
    assert r.content == b"raw object"


def test_head_404_carries_x_oss_err(endpoint, rb):
    r = signed_request(endpoint, "HEAD", f"/{rb.bucket_name}/nope.txt")
    assert r.status_code == 404
    assert r.content == b""
    assert r.headers["x-oss-request-id"]
    err = base64.b64decode(r.headers["x-oss-err"]).decode()
    assert xml_value(err, "Code") == "NoSuchKey"
    assert xml_value(err, "RequestId") == r.headers["x-oss-request-id"]
    r = signed_request(endpoint, "HEAD", "/no-such-bucket-raw/k")
    assert r.status_code == 404
    assert xml_value(base64.b64decode(r.headers["x-oss-err"]).decode(), "Code") == "NoSuchBucket"


def test_error_response_format(endpoint, rb):
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/nope.txt")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("application/xml")
    assert r.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert _err(r) == "NoSuchKey"
    assert xml_value(r.text, "Message")
    assert xml_value(r.text, "RequestId") == r.headers["x-oss-request-id"]
    assert r.headers.get("Date")


def _presigned_v1(rb, key, expires=60, method="GET"):
    return rb.sign_url(method, key, expires)


def test_presigned_v1_expired_and_tampered(rb):
    url = _presigned_v1(rb, "obj.txt", 60)
    assert requests.get(url).status_code == 200
    parts = urlsplit(url)
    q = parse_qs(parts.query)
    # tampered signature
    q2 = {k: v[0] for k, v in q.items()}
    q2["Signature"] = ("A" if q2["Signature"][0] != "A" else "B") + q2["Signature"][1:]
    r = requests.get(urlunsplit(parts._replace(query=urlencode(q2))))
    assert r.status_code == 403
    assert _err(r) == "SignatureDoesNotMatch"
    # tampered expiry
    q3 = {k: v[0] for k, v in q.items()}
    q3["Expires"] = str(int(q3["Expires"]) + 100)
    r = requests.get(urlunsplit(parts._replace(query=urlencode(q3))))
    assert r.status_code == 403
    assert _err(r) == "SignatureDoesNotMatch"
    # already expired, correctly signed
    url = _presigned_v1(rb, "obj.txt", -10)
    r = requests.get(url)
    assert r.status_code == 403
    assert _err(r) == "AccessDenied"
    # non-numeric Expires
    q4 = {k: v[0] for k, v in q.items()}
    q4["Expires"] = "tomorrow"
    r = requests.get(urlunsplit(parts._replace(query=urlencode(q4))))
    assert r.status_code == 403
    assert _err(r) == "AccessDenied"
    # incomplete V1 query auth
    q5 = {k: v[0] for k, v in q.items() if k != "OSSAccessKeyId"}
    r = requests.get(urlunsplit(parts._replace(query=urlencode(q5))))
    assert r.status_code == 403
    assert _err(r) == "AccessDenied"


def test_presigned_v4_expired_and_tampered(endpoint, rb):
    b4 = oss2_bucket(endpoint, rb.bucket_name, "v4")
    url = b4.sign_url("GET", "obj.txt", 60)
    assert requests.get(url).status_code == 200
    parts = urlsplit(url)
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    bad = dict(q, **{"x-oss-signature": ("0" if q["x-oss-signature"][0] != "0" else "1") + q["x-oss-signature"][1:]})
    r = requests.get(urlunsplit(parts._replace(query=urlencode(bad))))
    assert r.status_code == 403
    assert _err(r) == "SignatureDoesNotMatch"
    old = dict(q, **{"x-oss-date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - 7200))})
    r = requests.get(urlunsplit(parts._replace(query=urlencode(old))))
    assert r.status_code == 403
    assert _err(r) in ("AccessDenied", "SignatureDoesNotMatch")
    url = b4.sign_url("GET", "obj.txt", 1)
    time.sleep(2.1)
    r = requests.get(url)
    assert r.status_code == 403
    assert _err(r) == "AccessDenied"


def test_both_header_and_query_auth_is_rejected(endpoint, rb):
    url = rb.sign_url("GET", "obj.txt", 60)
    date = http_date()
    from raw_helpers import canonical_resource, v1_signature

    sig = v1_signature("GET", canonical_resource(f"/{rb.bucket_name}/obj.txt"), {"Date": date})
    r = requests.get(url, headers={"Date": date, "Authorization": f"OSS {ACCESS_KEY_ID}:{sig}"})
    assert r.status_code == 400
    assert _err(r) == "InvalidArgument"


def test_chunked_put_raw(endpoint, rb):
    def gen():
        for i in range(5):
            yield bytes([65 + i]) * 1000

    r = signed_request(endpoint, "PUT", f"/{rb.bucket_name}/chunked.bin", data=gen())
    assert r.status_code == 200, r.text
    assert rb.get_object("chunked.bin").read() == b"".join(bytes([65 + i]) * 1000 for i in range(5))


def test_expect_100_continue(endpoint, rb):
    import http.client

    body = b"x" * 100_000
    date = http_date()
    from raw_helpers import v1_signature

    sig = v1_signature("PUT", f"/{rb.bucket_name}/expect.bin", {"Date": date})
    host = urlsplit(endpoint)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    conn.putrequest("PUT", f"/{rb.bucket_name}/expect.bin")
    conn.putheader("Date", date)
    conn.putheader("Authorization", f"OSS {ACCESS_KEY_ID}:{sig}")
    conn.putheader("Content-Length", str(len(body)))
    conn.putheader("Expect", "100-continue")
    conn.endheaders()
    conn.send(body)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    assert resp.status == 200
    assert rb.get_object("expect.bin").read() == body


def test_unknown_bucket_and_bad_range_raw(endpoint, rb):
    r = signed_request(endpoint, "GET", "/no-such-bucket-raw/obj.txt")
    assert r.status_code == 404
    assert _err(r) == "NoSuchBucket"
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/obj.txt", headers={"Range": "bytes=5-2"})
    assert r.status_code == 200
    assert r.content == b"raw object"
    r = signed_request(
        endpoint, "GET", f"/{rb.bucket_name}/obj.txt", headers={"Range": "bytes=50-", "x-oss-range-behavior": "standard"}
    )
    assert r.status_code == 416
    assert _err(r) == "InvalidRange"


def _raw_socket_put(endpoint, bucket, key, declared_len, sent: bytes, close_early=True):
    """PUT with a Content-Length larger than the bytes actually sent, then drop the connection."""
    import socket

    date = http_date()
    from raw_helpers import v1_signature

    sig = v1_signature("PUT", f"/{bucket}/{key}", {"Date": date})
    host = urlsplit(endpoint)
    s = socket.create_connection((host.hostname, host.port), timeout=10)
    head = (
        f"PUT /{bucket}/{key} HTTP/1.1\r\nHost: {host.hostname}:{host.port}\r\nDate: {date}\r\n"
        f"Authorization: OSS {ACCESS_KEY_ID}:{sig}\r\nContent-Length: {declared_len}\r\n\r\n"
    ).encode()
    s.sendall(head + sent)
    time.sleep(0.3)
    s.close()


def test_truncated_upload_stores_nothing(endpoint, rb, server):
    rb.put_object("trunc-existing.bin", b"old content")
    _raw_socket_put(endpoint, rb.bucket_name, "trunc-new.bin", 1_000_000, b"x" * 300_000)
    _raw_socket_put(endpoint, rb.bucket_name, "trunc-existing.bin", 1_000_000, b"y" * 300_000)
    time.sleep(0.5)
    assert not rb.object_exists("trunc-new.bin")
    assert rb.get_object("trunc-existing.bin").read() == b"old content"
    # the aborted upload's temp file is cleaned up while the server keeps running
    tmp = server.data_dir / "blobs" / "tmp"
    deadline = time.time() + 10
    while time.time() < deadline and tmp.exists() and any(tmp.iterdir()):
        time.sleep(0.2)
    assert not (tmp.exists() and any(tmp.iterdir())), list(tmp.iterdir())


def test_user_metadata_limit(endpoint, rb):
    r = signed_request(endpoint, "PUT", f"/{rb.bucket_name}/meta-big", data=b"x", headers={"x-oss-meta-big": "v" * 9000})
    assert r.status_code == 400, r.text
    assert _err(r) in ("InvalidArgument", "MetadataTooLarge")
    assert not rb.object_exists("meta-big")
    r = signed_request(endpoint, "PUT", f"/{rb.bucket_name}/meta-ok", data=b"x", headers={"x-oss-meta-ok": "v" * 4000})
    assert r.status_code == 200
    assert rb.head_object("meta-ok").headers["x-oss-meta-ok"] == "v" * 4000


def test_delete_multiple_over_1000_keys(endpoint, rb):
    body = _delete_body([f"k{i}" for i in range(1001)])
    r = signed_request(endpoint, "POST", f"/{rb.bucket_name}/?delete", data=body, headers={"Content-MD5": md5_b64(body)})
    assert r.status_code == 400, r.text
    assert _err(r) in ("MalformedXML", "InvalidArgument")


def test_anonymous_head_denied_carries_x_oss_err(endpoint, rb):
    r = requests.head(f"{endpoint}/{rb.bucket_name}/obj.txt")
    assert r.status_code == 403
    assert r.content == b""
    err = base64.b64decode(r.headers["x-oss-err"]).decode()
    assert xml_value(err, "Code") == "AccessDenied"


def test_not_modified_has_request_id_and_etag(endpoint, rb):
    etag = rb.head_object("obj.txt").etag
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/obj.txt", headers={"If-None-Match": f'"{etag}"'})
    assert r.status_code == 304
    assert r.content == b""
    assert r.headers["x-oss-request-id"]
    assert r.headers["ETag"] == f'"{etag}"'


def test_invalid_bucket_name_in_path(endpoint):
    r = signed_request(endpoint, "GET", "/ab/")  # too short
    assert r.status_code in (400, 404)
    assert _err(r) in ("InvalidBucketName", "NoSuchBucket")
    r = signed_request(endpoint, "PUT", "/-bad-start/")
    assert r.status_code == 400
    assert _err(r) == "InvalidBucketName"


def test_object_ops_on_missing_key(endpoint, rb):
    for method, qs in (("GET", "?acl"), ("GET", "?tagging"), ("GET", "?symlink"), ("GET", "?objectMeta")):
        r = signed_request(endpoint, method, f"/{rb.bucket_name}/missing-key{qs}")
        assert r.status_code == 404, (qs, r.status_code)
        assert _err(r) == "NoSuchKey", (qs, r.text)
    r = signed_request(endpoint, "PUT", f"/{rb.bucket_name}/missing-key?acl", headers={"x-oss-object-acl": "private"})
    assert r.status_code == 404
    assert _err(r) == "NoSuchKey"


def test_utf8_metadata_round_trips_byte_for_byte(endpoint, rb):
    import http.client

    from raw_helpers import v1_signature

    value = "ü中文 ✓"
    date = http_date()
    sig = v1_signature("PUT", f"/{rb.bucket_name}/utf8-meta", {"Date": date, "x-oss-meta-u": value})
    host = urlsplit(endpoint)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    conn.putrequest("PUT", f"/{rb.bucket_name}/utf8-meta")
    conn.putheader("Date", date)
    conn.putheader("Authorization", f"OSS {ACCESS_KEY_ID}:{sig}")
    conn.putheader("x-oss-meta-u", value.encode("utf-8"))
    conn.putheader("Content-Length", "1")
    conn.endheaders()
    conn.send(b"x")
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    assert resp.status == 200, body
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/utf8-meta")
    assert r.status_code == 200
    assert r.headers["x-oss-meta-u"].encode("latin-1").decode("utf-8") == value


def test_append_edge_cases(endpoint, rb):
    # first append at a non-zero position
    r = signed_request(endpoint, "POST", f"/{rb.bucket_name}/ap-edge?append&position=5", data=b"abc")
    assert r.status_code == 409
    assert _err(r) == "PositionNotEqualToLength"
    assert not rb.object_exists("ap-edge")
    # Content-MD5 mismatch on an append leaves the object unchanged
    rb.append_object("ap-edge", 0, b"abc")
    r = signed_request(
        endpoint, "POST", f"/{rb.bucket_name}/ap-edge?append&position=3", data=b"def", headers={"Content-MD5": md5_b64(b"xyz")}
    )
    assert r.status_code == 400
    assert _err(r) == "InvalidDigest"
    assert rb.get_object("ap-edge").read() == b"abc"
    # a missing position parameter is an error
    r = signed_request(endpoint, "POST", f"/{rb.bucket_name}/ap-edge?append", data=b"x")
    assert r.status_code == 400
    # appending an empty body at the end is fine and does not change the data
    r = signed_request(endpoint, "POST", f"/{rb.bucket_name}/ap-edge?append&position=3", data=b"")
    assert r.status_code == 200
    assert r.headers["x-oss-next-append-position"] == "3"
    assert rb.get_object("ap-edge").read() == b"abc"


def test_copy_tagging_directive_acl_and_storage_class(endpoint, rb):
    allow_public_access(rb)
    rb.put_object("tg-src", b"s", headers={"x-oss-tagging": "a=1"})
    rb.copy_object(rb.bucket_name, "tg-src", "tg-copy")
    assert rb.get_object_tagging("tg-copy").tag_set.tagging_rule == {"a": "1"}
    rb.copy_object(
        rb.bucket_name,
        "tg-src",
        "tg-replace",
        headers={
            "x-oss-tagging-directive": "Replace",
            "x-oss-tagging": "b=2",
            "x-oss-object-acl": "public-read",
            "x-oss-storage-class": "IA",
        },
    )
    assert rb.get_object_tagging("tg-replace").tag_set.tagging_rule == {"b": "2"}
    assert rb.get_object_acl("tg-replace").acl == "public-read"
    assert rb.head_object("tg-replace").headers["x-oss-storage-class"] == "IA"
    # the source is unchanged
    assert rb.get_object_tagging("tg-src").tag_set.tagging_rule == {"a": "1"}
    assert rb.get_object_acl("tg-src").acl == "default"


def test_symlink_forbid_overwrite_and_dangling_head(endpoint, rb):
    rb.put_symlink("obj.txt", "sl-1")
    r = signed_request(
        endpoint,
        "PUT",
        f"/{rb.bucket_name}/sl-1?symlink",
        headers={"x-oss-symlink-target": "other", "x-oss-forbid-overwrite": "true"},
    )
    assert r.status_code == 409
    assert _err(r) == "FileAlreadyExists"
    assert rb.get_symlink("sl-1").target_key == "obj.txt"
    rb.put_symlink("gone", "sl-dangling")
    r = signed_request(endpoint, "HEAD", f"/{rb.bucket_name}/sl-dangling")
    assert r.status_code == 404
    assert xml_value(base64.b64decode(r.headers["x-oss-err"]).decode(), "Code") == "SymlinkTargetNotExist"
    g = rb.get_object("sl-1", byte_range=(0, 2))
    assert g.read() == b"raw"


def test_invalid_acl_values(endpoint, rb):
    r = signed_request(endpoint, "PUT", f"/{rb.bucket_name}/?acl", headers={"x-oss-acl": "world-writable"})
    assert r.status_code == 400
    assert _err(r) == "InvalidArgument"
    r = signed_request(endpoint, "PUT", f"/{rb.bucket_name}/obj.txt?acl", headers={"x-oss-object-acl": "nope"})
    assert r.status_code == 400
    assert _err(r) == "InvalidArgument"
    r = signed_request(endpoint, "PUT", "/acl-bad-bucket/", headers={"x-oss-acl": "nope"})
    assert r.status_code == 400
    assert _err(r) == "InvalidArgument"
    r = signed_request(endpoint, "PUT", f"/{rb.bucket_name}/bad-acl-obj", data=b"x", headers={"x-oss-object-acl": "nope"})
    assert r.status_code == 400
    assert _err(r) == "InvalidArgument"


def test_listing_edge_cases(endpoint, rb):
    for k in ("le/a-1", "le/a-2", "le/b-1", "le/b"):
        rb.put_object(k, b"x")
    r = rb.list_objects(prefix="le/", delimiter="-")
    assert [o.key for o in r.object_list] == ["le/b"]
    assert r.prefix_list == ["le/a-", "le/b-"]
    r = rb.list_objects_v2(prefix="le/b")
    assert [o.key for o in r.object_list] == ["le/b", "le/b-1"]
    r = rb.list_objects_v2(prefix="le/", start_after="le/zzz")
    assert r.object_list == [] and r.is_truncated is False
    r = rb.list_objects(prefix="le/", marker="le/b-1")
    assert r.object_list == [] and r.is_truncated is False
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/?prefix=le/&max-keys=0")
    assert r.status_code in (200, 400)
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/?prefix=le/&max-keys=-1")
    assert r.status_code == 400
    assert _err(r) == "InvalidArgument"


@pytest.mark.parametrize("key", ["a/../b.txt", "./c.txt", "d//e.txt", "f/./g.txt", "h/.."])
def test_dot_segments_are_literal(endpoint, rb, key):
    """Paths are not normalised: dot segments and double slashes are part of the key."""
    import http.client

    from raw_helpers import v1_signature

    date = http_date()
    sig = v1_signature("PUT", f"/{rb.bucket_name}/{key}", {"Date": date})
    host = urlsplit(endpoint)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    conn.request("PUT", f"/{rb.bucket_name}/{key}", body=key.encode(), headers={"Date": date, "Authorization": f"OSS {ACCESS_KEY_ID}:{sig}"})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    assert resp.status == 200
    assert rb.get_object(key).read() == key.encode()
    assert [o.key for o in oss2.ObjectIterator(rb, prefix=key)] == [key]


def test_self_copy_applies_new_metadata_even_with_copy_directive(endpoint, rb):
    rb.put_object("selfcopy.txt", b"self", headers={"x-oss-meta-old": "1", "Content-Type": "text/plain"})
    r = signed_request(
        endpoint,
        "PUT",
        f"/{rb.bucket_name}/selfcopy.txt",
        headers={"x-oss-copy-source": f"/{rb.bucket_name}/selfcopy.txt", "x-oss-meta-new": "2"},
    )
    assert r.status_code == 200, r.text
    assert xml_value(r.text, "ETag") == '"' + hashlib.md5(b"self").hexdigest().upper() + '"'
    h = rb.head_object("selfcopy.txt")
    assert h.headers.get("x-oss-meta-new") == "2"
    assert rb.get_object("selfcopy.txt").read() == b"self"


def test_bucket_level_without_trailing_slash_and_empty_subresource_values(endpoint, rb):
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}?prefix=obj")
    assert r.status_code == 200, r.text
    assert xml_value(r.text, "Key") == "obj.txt"
    # "acl=" and "acl" both select the ACL sub-resource
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/obj.txt?acl=")
    assert r.status_code == 200, r.text
    assert xml_value(r.text, "Grant") == "default"
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}?acl")
    assert r.status_code == 200, r.text
    assert "<AccessControlPolicy>" in r.text.replace(' xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"', "")


def test_request_payer_header_is_accepted(endpoint, rb):
    r = signed_request(endpoint, "GET", f"/{rb.bucket_name}/obj.txt", headers={"x-oss-request-payer": "requester"})
    assert r.status_code == 200
    assert r.content == b"raw object"


def _read_response(sock):
    """Read one HTTP/1.1 response (Content-Length bodies only). Returns (status, headers) or None on EOF."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
    need = int(headers.get("content-length", "0")) - len(rest)
    while need > 0:
        chunk = sock.recv(65536)
        if not chunk:
            break
        need -= len(chunk)
    return status, headers


@pytest.mark.parametrize(
    "case", ["bad-key", "bad-bucket", "forbid-overwrite", "no-such-bucket", "anonymous", "bad-signature"]
)
def test_early_error_response_keeps_connection_usable(endpoint, rb, case):
    """An error sent before the request body was read must not break keep-alive silently: either the
    response says `Connection: close`, or the connection still serves the next request (the SDKs pool
    connections; ali-oss and oss2 do not retry, so a silent close fails the next call)."""
    import socket

    from raw_helpers import v1_signature

    rb.put_object("exists.txt", b"x")
    path, extra = {
        "bad-key": (f"/{rb.bucket_name}/{'k' * 1024}", {}),
        "bad-bucket": ("/Bad_Bucket/k", {}),
        "forbid-overwrite": (f"/{rb.bucket_name}/exists.txt", {"x-oss-forbid-overwrite": "true"}),
        "no-such-bucket": ("/no-such-bucket-ka/k", {}),
        "anonymous": (f"/{rb.bucket_name}/anon.txt", {}),
        "bad-signature": (f"/{rb.bucket_name}/badsig.txt", {}),
    }[case]
    host = urlsplit(endpoint)
    sock = socket.create_connection((host.hostname, host.port), timeout=10)
    try:
        date = http_date()
        sig = v1_signature("PUT", path, dict(extra, Date=date), secret="wrong" if case == "bad-signature" else None)
        auth = "" if case == "anonymous" else f"Authorization: OSS {ACCESS_KEY_ID}:{sig}\r\n"
        head = f"PUT {path} HTTP/1.1\r\nHost: {host.netloc}\r\nDate: {date}\r\n{auth}"
        head += "".join(f"{k}: {v}\r\n" for k, v in extra.items())
        head += "Content-Length: 5\r\n\r\n"
        sock.sendall(head.encode())
        time.sleep(0.2)  # the server may answer before the body arrives
        sock.sendall(b"hello")
        first = _read_response(sock)
        assert first is not None and first[0] >= 400, first
        if first[1].get("connection", "").lower() == "close":
            return  # announced: a client will not reuse this connection
        date = http_date()
        sig = v1_signature("GET", f"/{rb.bucket_name}/exists.txt", {"Date": date})
        try:
            sock.sendall(
                f"GET /{rb.bucket_name}/exists.txt HTTP/1.1\r\nHost: {host.netloc}\r\nDate: {date}\r\n"
                f"Authorization: OSS {ACCESS_KEY_ID}:{sig}\r\n\r\n".encode()
            )
            second = _read_response(sock)
        except (BrokenPipeError, ConnectionResetError):
            second = None
        assert second is not None, (
            f"{case}: the server closed the connection after a {first[0]} response without 'Connection: close'"
        )
        assert second[0] == 200
    finally:
        sock.close()


def test_get_declaring_a_body_it_never_sends_closes_the_connection(endpoint, rb):
    """oss2 signs GETs with a `Content-Length` header and no body: the server cannot tell the
    client's next request from that body, so it answers and says it closes the connection —
    the client then sends its next request on a new one instead of losing it."""
    import socket

    rb.put_object("declared", b"hello")
    host, port = urlsplit(endpoint).hostname, urlsplit(endpoint).port
    url = rb.sign_url("GET", "declared", 60)
    path = url[url.index("/", len("http://")):]
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: 9\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            assert chunk, f"connection closed before a response: {head!r}"
            head += chunk
    status_line, _, rest = head.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 200"), head
    assert b"connection: close" in rest.lower(), head
