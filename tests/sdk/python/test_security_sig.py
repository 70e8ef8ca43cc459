"""Signatures cover every response-altering query parameter (issue 11).

A correctly signed GET of a private object, with one parameter appended after signing
(x-oss-process, an unknown x-oss-foo, response-*, versionId), must be refused with 403
SignatureDoesNotMatch in every scheme: V1, V2 and V4, in the header and in the URL. The forms the
official SDKs send (oss2 AuthV1 presigned URLs with process / versionId / response-*, the
alibabacloud-oss-v2 V1 signer) still work. An RPC call naming an AccessKeyId without a Signature
is answered 400 MissingSignature.
"""

from __future__ import annotations

import datetime
import struct
import zlib
from urllib.parse import quote

import alibabacloud_oss_v2 as oss
import oss2
import pytest
import requests

from conftest import oss2_auth, oss2_bucket, unique_bucket, v2_client
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION
from raw_helpers import xml_value
from sts_helpers import STS_VERSION, rpc_get, rpc_v1_params

KEY = "sec/private.png"
OLD = b"the old version, not for this URL"


def make_png(width: int, height: int) -> bytes:
    """A small grey RGB PNG."""
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def png_width(data: bytes) -> int:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    return struct.unpack(">I", data[16:20])[0]


CURRENT = make_png(40, 30)


@pytest.fixture(scope="module")
def target(endpoint):
    """A private, versioned bucket whose object has an old text version and a current PNG."""
    b = oss2_bucket(endpoint, unique_bucket("sec"), "v1")
    b.create_bucket(oss2.BUCKET_ACL_PRIVATE)
    b.put_bucket_versioning(oss2.models.BucketVersioningConfig(oss2.BUCKET_VERSIONING_ENABLE))
    old = b.put_object(KEY, OLD, headers={"Content-Type": "text/plain"}).versionid
    b.put_object(KEY, CURRENT, headers={"Content-Type": "image/png"})
    assert old
    anonymous = requests.get(f"{endpoint}/{b.bucket_name}/{KEY}", timeout=30)
    assert anonymous.status_code == 403, anonymous.text
    return {"bucket": b.bucket_name, "old": old}


def added_params(target) -> list[tuple[str, str]]:
    return [
        ("x-oss-process", "image/resize,w_10"),
        ("x-oss-foo", "bar"),
        ("response-content-type", "text/html"),
        ("versionId", target["old"]),
        ("response-content-disposition", "attachment; filename=evil.html"),
    ]


def with_param(url: str, key: str, value: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}{quote(key, safe='')}={quote(value, safe='')}"


def assert_signature_mismatch(r: requests.Response, what: str) -> None:
    assert r.status_code == 403, f"{what}: {r.status_code} {r.headers.get('content-type')} {r.content[:200]!r}"
    assert xml_value(r.text, "Code") == "SignatureDoesNotMatch", f"{what}: {r.text}"
    assert r.headers.get("x-oss-request-id")


def assert_current(r: requests.Response, what: str) -> None:
    assert r.status_code == 200, f"{what}: {r.status_code} {r.text[:300]}"
    assert r.content == CURRENT, what
    assert r.headers["Content-Type"] == "image/png", what


# ------------------------------------------------------------------ URLs


@pytest.mark.parametrize("version", ["v1", "v2", "v4"])
def test_signed_url_refuses_added_params(endpoint, target, version):
    b = oss2_bucket(endpoint, target["bucket"], version)
    url = b.sign_url("GET", KEY, 300)
    assert_current(requests.get(url, timeout=30), f"{version} URL untampered")
    for k, v in added_params(target):
        r = requests.get(with_param(url, k, v), timeout=30)
        assert_signature_mismatch(r, f"{version} URL + {k}")
        if k.startswith("x-oss-"):
            # The bare form (no value) is signed as well. (A bare versionId is refused earlier,
            # 400 InvalidArgument, before authentication.)
            bare = requests.get(f"{url}&{k}", timeout=30)
            assert_signature_mismatch(bare, f"{version} URL + bare {k}")


# ------------------------------------------------------------------ headers


def header_signed(endpoint, bucket: str, version: str) -> tuple[str, dict]:
    """A GET of KEY signed in the Authorization header by oss2 with `version`: (url, headers)."""
    url = f"{endpoint}/{bucket}/{quote(KEY)}"
    req = oss2.http.Request("GET", url, region=REGION, product="oss")
    oss2_auth(version)._sign_request(req, bucket, KEY)
    return url, dict(req.headers)


@pytest.mark.parametrize("version", ["v1", "v2", "v4"])
def test_header_signature_refuses_added_params(endpoint, target, version):
    url, headers = header_signed(endpoint, target["bucket"], version)
    assert headers["authorization"].startswith({"v1": "OSS ", "v2": "OSS2 ", "v4": "OSS4-HMAC-SHA256 "}[version])
    assert_current(requests.get(url, headers=headers, timeout=30), f"{version} header untampered")
    for k, v in added_params(target):
        r = requests.get(with_param(url, k, v), headers=headers, timeout=30)
        assert_signature_mismatch(r, f"{version} header + {k}")


def test_v1_added_security_token_is_refused(endpoint, target):
    """`security-token` is a V1 sub-resource: adding one to a long-term key's request breaks it."""
    url, headers = header_signed(endpoint, target["bucket"], "v1")
    r = requests.get(with_param(url, "security-token", "CAIS-not-signed"), headers=headers, timeout=30)
    assert_signature_mismatch(r, "v1 header + security-token")
    # In a URL the parameter is also the credential's token: a long-term key with a token is
    # refused while the credential is resolved, before the signature is checked.
    signed = oss2_bucket(endpoint, target["bucket"], "v1").sign_url("GET", KEY, 300)
    r = requests.get(with_param(signed, "security-token", "CAIS-not-signed"), timeout=30)
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") in ("InvalidAccessKeyId", "SignatureDoesNotMatch"), r.text


def test_v1_signed_process_cannot_be_swapped(endpoint, target):
    """A URL signed for one process may not carry another, nor a second one."""
    b = oss2_bucket(endpoint, target["bucket"], "v1")
    url = b.sign_url("GET", KEY, 300, params={"x-oss-process": "image/resize,w_10"})
    r = requests.get(url, timeout=30)
    assert r.status_code == 200, r.text
    assert png_width(r.content) == 10
    assert "w_10" in url, url
    swapped = url.replace("w_10", "w_20")
    assert_signature_mismatch(requests.get(swapped, timeout=30), "process swapped")
    again = with_param(url, "x-oss-process", "image/resize,w_20")
    assert_signature_mismatch(requests.get(again, timeout=30), "process repeated")


# ------------------------------------------------------------------ SDK forms that must keep working


def test_oss2_v1_presigned_urls_with_process_version_and_response(endpoint, target):
    b = oss2_bucket(endpoint, target["bucket"], "v1")
    r = requests.get(b.sign_url("GET", KEY, 300, params={"x-oss-process": "image/resize,w_10"}), timeout=30)
    assert r.status_code == 200, r.text
    assert png_width(r.content) == 10

    r = requests.get(b.sign_url("GET", KEY, 300, params={"versionId": target["old"]}), timeout=30)
    assert r.status_code == 200, r.text
    assert r.content == OLD
    assert r.headers["x-oss-version-id"] == target["old"]

    params = {
        "versionId": target["old"],
        "response-content-type": "application/octet-stream",
        "response-content-disposition": "attachment; filename=old.txt",
    }
    r = requests.get(b.sign_url("GET", KEY, 300, params=params), timeout=30)
    assert r.status_code == 200, r.text
    assert r.content == OLD
    assert r.headers["Content-Type"] == "application/octet-stream"
    assert r.headers["Content-Disposition"] == "attachment; filename=old.txt"

    # oss2 AuthV1 in the header: process and versionId through the SDK.
    assert png_width(b.get_object(KEY, process="image/resize,w_12").read()) == 12
    assert b.get_object(KEY, params={"versionId": target["old"]}).read() == OLD


def test_v2sdk_v1_signer_forms_that_verify(endpoint, target):
    client = v2_client(endpoint, "v1")
    got = client.get_object(oss.GetObjectRequest(bucket=target["bucket"], key=KEY, version_id=target["old"]))
    assert got.body.read() == OLD
    got = client.get_object(
        oss.GetObjectRequest(bucket=target["bucket"], key=KEY, response_content_type="text/x-old")
    )
    assert got.body.read() == CURRENT
    assert got.content_type == "text/x-old"
    pre = client.presign(
        oss.GetObjectRequest(bucket=target["bucket"], key=KEY, version_id=target["old"]),
        expires=datetime.timedelta(minutes=5),
    )
    assert "OSSAccessKeyId=" in pre.url and "Signature=" in pre.url
    r = requests.get(pre.url, timeout=30)
    assert r.status_code == 200, r.text
    assert r.content == OLD
    # Its presigned URL cannot take an extra parameter either.
    assert_signature_mismatch(requests.get(with_param(pre.url, "x-oss-foo", "bar"), timeout=30), "v2 presign + x-oss-foo")


def test_v2sdk_v1_signer_unsigned_process_is_refused(endpoint, target):
    """alibabacloud-oss-v2's V1 signer leaves x-oss-process out of the string to sign
    (signer/v1.py signs only its own list), so its signature is that of the plain GET. Accepting
    it would let anyone add a process to any signed GET: ossd refuses it (use V4 with that SDK)."""
    client = v2_client(endpoint, "v1")
    with pytest.raises(oss.exceptions.OperationError) as ei:
        client.get_object(oss.GetObjectRequest(bucket=target["bucket"], key=KEY, process="image/resize,w_10"))
    err = ei.value.unwrap()
    assert (err.status_code, err.code) == (403, "SignatureDoesNotMatch")
    v4 = v2_client(endpoint, "v4")
    got = v4.get_object(oss.GetObjectRequest(bucket=target["bucket"], key=KEY, process="image/resize,w_10"))
    assert png_width(got.body.read()) == 10


# ------------------------------------------------------------------ RPC


def test_rpc_missing_signature(server):
    params, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, ACCESS_KEY_ID, ACCESS_KEY_SECRET)
    signed = rpc_get(server, params)
    assert signed.status_code == 200, signed.text
    assert signed.json()["IdentityType"] == "Account"

    unsigned = {k: v for k, v in params.items() if k != "Signature"}
    unsigned["SignatureNonce"] += "-2"
    r = rpc_get(server, unsigned)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["Code"] == "MissingSignature"
    assert body["Message"] == "Signature is mandatory for this action."
    assert body["RequestId"]

    # Neither a key nor a signature: the key is reported first.
    anonymous = {k: v for k, v in unsigned.items() if k != "AccessKeyId"}
    r = rpc_get(server, anonymous)
    assert r.status_code == 400, r.text
    assert r.json()["Code"] == "MissingAccessKeyId"
