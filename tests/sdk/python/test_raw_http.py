"""Malformed or hostile requests sent with plain `requests` (things the SDKs never send)."""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import oss2
import pytest
import requests

from conftest import md5_b64, oss2_bucket, unique_bucket
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
