"""PostObject (browser form upload, docs/protocol/post-object.md) end to end with `requests`: V1 and V4 policy
signatures computed here with the SDKs' math (ali-oss calculatePostSignature /
signPostObjectPolicyV4), success_action_status / redirect, ${filename}, anonymous forms, and every
refusal (expired, violated, tampered, wrong bucket) leaving nothing stored."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlparse

import oss2
import pytest
import requests

from conftest import allow_public_access, etag_of, oss2_bucket, unique_bucket
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer
from raw_helpers import xml_value


@pytest.fixture(scope="module")
def post_server():
    srv = OssdServer().start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture
def bucket(post_server):
    b = oss2_bucket(post_server.endpoint, unique_bucket("post"), "v4")
    b.create_bucket()
    return b


def policy_b64(conditions, expires_in=600) -> str:
    exp = datetime.fromtimestamp(time.time() + expires_in, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return base64.b64encode(json.dumps({"expiration": exp, "conditions": conditions}).encode()).decode()


def v1_fields(policy: str, key_id=ACCESS_KEY_ID, secret=ACCESS_KEY_SECRET) -> dict:
    sig = base64.b64encode(hmac.new(secret.encode(), policy.encode(), hashlib.sha1).digest()).decode()
    return {"OSSAccessKeyId": key_id, "policy": policy, "Signature": sig}


def v4_credential(key_id=ACCESS_KEY_ID):
    now = datetime.now(timezone.utc)
    day, date = now.strftime("%Y%m%d"), now.strftime("%Y%m%dT%H%M%SZ")
    return day, date, f"{key_id}/{day}/{REGION}/oss/aliyun_v4_request"


def v4_fields(conditions, secret=ACCESS_KEY_SECRET, key_id=ACCESS_KEY_ID) -> dict:
    day, date, credential = v4_credential(key_id)
    conds = [
        {"x-oss-signature-version": "OSS4-HMAC-SHA256"},
        {"x-oss-credential": credential},
        {"x-oss-date": date},
    ] + conditions
    policy = policy_b64(conds)
    k = ("aliyun_v4" + secret).encode()
    for part in (day, REGION, "oss", "aliyun_v4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return {
        "x-oss-signature-version": "OSS4-HMAC-SHA256",
        "x-oss-credential": credential,
        "x-oss-date": date,
        "policy": policy,
        "x-oss-signature": hmac.new(k, policy.encode(), hashlib.sha256).hexdigest(),
    }


def post(endpoint, bucket_name, fields, body=b"hello form", filename="upload.txt", ctype="text/plain", **kw):
    files = [(n, (None, v)) for n, v in fields.items()] + [("file", (filename, body, ctype))]
    return requests.post(f"{endpoint}/{bucket_name}/", files=files, timeout=30, allow_redirects=False, **kw)


def refused(r, status, code, message=None):
    assert r.status_code == status, r.text
    assert xml_value(r.text, "Code") == code, r.text
    if message is not None:
        assert xml_value(r.text, "Message") == message, r.text


def test_v1_upload_with_201_response(post_server, bucket):
    key = "user/alice/a.txt"
    policy = policy_b64(
        [{"bucket": bucket.bucket_name}, ["starts-with", "$key", "user/alice/"], ["content-length-range", 1, 1024]]
    )
    fields = {"key": key, "success_action_status": "201", "x-oss-meta-owner": "alice", **v1_fields(policy)}
    fields["Content-Type"] = "text/x-custom"
    r = post(post_server.endpoint, bucket.bucket_name, fields)
    assert r.status_code == 201, r.text
    assert xml_value(r.text, "Key") == key
    assert xml_value(r.text, "Bucket") == bucket.bucket_name
    assert xml_value(r.text, "ETag") == etag_of(b"hello form")
    assert r.headers["ETag"] == etag_of(b"hello form")
    assert r.headers.get("x-oss-request-id")
    obj = bucket.get_object(key)
    assert obj.read() == b"hello form"
    assert obj.headers["Content-Type"] == "text/x-custom"
    assert obj.headers["x-oss-meta-owner"] == "alice"


def test_v4_upload_default_204_and_filename(post_server, bucket):
    fields = {"key": "up/${filename}", **v4_fields([{"bucket": bucket.bucket_name}, ["starts-with", "$key", "up/"]])}
    r = post(post_server.endpoint, bucket.bucket_name, fields, body=b"v4 body", filename="photo.jpg", ctype="image/jpeg")
    assert r.status_code == 204, r.text
    obj = bucket.get_object("up/photo.jpg")
    assert obj.read() == b"v4 body"
    assert obj.headers["Content-Type"] == "image/jpeg"


def test_content_type_precedence_and_forbid_overwrite(post_server, bucket):
    fields = {"key": "ct", "Content-Type": "text/form", "x-oss-content-type": "text/override", **v1_fields(policy_b64([]))}
    r = post(post_server.endpoint, bucket.bucket_name, fields)
    assert r.status_code == 204, r.text
    assert bucket.head_object("ct").headers["Content-Type"] == "text/override"
    fields = {"key": "ct", "x-oss-forbid-overwrite": "true", **v1_fields(policy_b64([]))}
    r = post(post_server.endpoint, bucket.bucket_name, fields, body=b"other")
    refused(r, 409, "FileAlreadyExists")
    assert bucket.get_object("ct").read() == b"hello form"


def test_status_200_and_redirect(post_server, bucket):
    fields = {"key": "s200", "success_action_status": "200", **v1_fields(policy_b64([]))}
    r = post(post_server.endpoint, bucket.bucket_name, fields)
    assert (r.status_code, r.content) == (200, b""), r.text
    fields = {"key": "redir", "success_action_redirect": "http://app.example/done?x=1", **v1_fields(policy_b64([]))}
    r = post(post_server.endpoint, bucket.bucket_name, fields)
    assert r.status_code == 303, r.text
    loc = urlparse(r.headers["Location"])
    q = parse_qs(loc.query)
    assert (loc.netloc, q["x"], q["bucket"], q["key"]) == ("app.example", ["1"], [bucket.bucket_name], ["redir"])
    assert q["etag"] == [etag_of(b"hello form")]
    assert bucket.object_exists("redir")


def test_header_signatures_are_ignored(post_server, bucket):
    fields = {"key": "ignored-auth", **v1_fields(policy_b64([]))}
    r = post(post_server.endpoint, bucket.bucket_name, fields, headers={"Authorization": "OSS bogus:bogus"})
    assert r.status_code == 204, r.text


def test_expired_policy(post_server, bucket):
    fields = {"key": "expired", **v1_fields(policy_b64([], expires_in=-60))}
    r = post(post_server.endpoint, bucket.bucket_name, fields)
    refused(r, 403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    assert not bucket.object_exists("expired")


@pytest.mark.parametrize("size", [0, 5, 2 * 1024 * 1024])
def test_content_length_range_violated(post_server, bucket, size):
    policy = policy_b64([["content-length-range", 1, 4]])
    fields = {"key": f"range-{size}", **v1_fields(policy)}
    r = post(post_server.endpoint, bucket.bucket_name, fields, body=b"x" * size)
    refused(r, 403, "AccessDenied")
    assert "content-length-range" in xml_value(r.text, "Message")
    assert not bucket.object_exists(f"range-{size}")


def test_starts_with_violated_v4(post_server, bucket):
    fields = {"key": "other/a.txt", **v4_fields([["starts-with", "$key", "user/"]])}
    r = post(post_server.endpoint, bucket.bucket_name, fields)
    refused(r, 403, "AccessDenied")
    assert xml_value(r.text, "Message").startswith("Invalid according to Policy: Policy Condition failed:")
    assert not bucket.object_exists("other/a.txt")


def test_wrong_bucket_field(post_server, bucket):
    fields = {"key": "wrong-bucket", **v1_fields(policy_b64([{"bucket": "someone-else"}]))}
    r = post(post_server.endpoint, bucket.bucket_name, fields)
    refused(r, 403, "AccessDenied")
    assert not bucket.object_exists("wrong-bucket")


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_tampered_policy(post_server, bucket, version):
    fields = v1_fields(policy_b64([])) if version == "v1" else v4_fields([])
    fields["policy"] = policy_b64([["starts-with", "$key", ""]])
    r = post(post_server.endpoint, bucket.bucket_name, {"key": "tampered", **fields})
    refused(r, 403, "SignatureDoesNotMatch")
    assert not bucket.object_exists("tampered")


def test_invalid_policy_documents(post_server, bucket):
    garbage = base64.b64encode(b"{not json").decode()
    r = post(post_server.endpoint, bucket.bucket_name, {"key": "bad", **v1_fields(garbage)})
    refused(r, 400, "InvalidPolicyDocument")
    assert xml_value(r.text, "Message").startswith("Invalid Policy: Invalid JSON")
    two = base64.b64encode(b'{"expiration":"2099-01-01T00:00:00Z","conditions":[{"a":"1","b":"2"}]}').decode()
    r = post(post_server.endpoint, bucket.bucket_name, {"key": "bad", **v1_fields(two)})
    refused(r, 400, "InvalidPolicyDocument")
    # An expiration with a space for the `T` (Python's str(datetime)) is not ISO 8601.
    spaced = str(datetime.fromtimestamp(time.time() + 600, timezone.utc))
    doc = json.dumps({"expiration": spaced, "conditions": []}).encode()
    r = post(post_server.endpoint, bucket.bucket_name, {"key": "bad", **v1_fields(base64.b64encode(doc).decode())})
    refused(r, 400, "InvalidPolicyDocument")
    assert "expiration" in xml_value(r.text, "Message")
    assert not bucket.object_exists("bad")


def test_credential_errors(post_server, bucket):
    r = post(post_server.endpoint, bucket.bucket_name, {"key": "k", **v1_fields(policy_b64([]), key_id="LTAInope")})
    refused(r, 403, "InvalidAccessKeyId")
    fields = v1_fields(policy_b64([]))
    del fields["Signature"]
    r = post(post_server.endpoint, bucket.bucket_name, {"key": "k", **fields})
    refused(r, 400, "InvalidArgument")
    assert not bucket.object_exists("k")


def test_form_errors(post_server, bucket):
    url = f"{post_server.endpoint}/{bucket.bucket_name}/"
    refused(requests.post(url, data=b"plain", timeout=30), 400, "RequestIsNotMultiPartContent")
    r = requests.post(url, files=[("key", (None, "k"))], timeout=30)
    refused(r, 400, "IncorrectNumberOfFilesInPOSTRequest")
    big = [("x-oss-meta-big", (None, "v" * (3 * 1024 * 1024))), ("file", ("f", b"data"))]
    refused(requests.post(url, files=big, timeout=60), 400, "MaxPOSTPreDataLengthExceededError")
    fields = v1_fields(policy_b64([]))
    r = post(post_server.endpoint, bucket.bucket_name, fields)
    refused(r, 400, "InvalidArgument")
    r = post(post_server.endpoint, "no-such-bucket-post", {"key": "k", **fields})
    refused(r, 404, "NoSuchBucket")


def test_anonymous_forms(post_server, bucket):
    allow_public_access(bucket)
    r = post(post_server.endpoint, bucket.bucket_name, {"key": "anon"})
    refused(r, 403, "AccessDenied")
    bucket.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ_WRITE)
    r = post(post_server.endpoint, bucket.bucket_name, {"key": "anon", "success_action_status": "201"})
    assert r.status_code == 201, r.text
    assert bucket.get_object("anon").read() == b"hello form"
    # a policy without its signature is not anonymous
    r = post(post_server.endpoint, bucket.bucket_name, {"key": "anon2", "policy": policy_b64([])})
    refused(r, 400, "InvalidArgument")
    assert not bucket.object_exists("anon2")


def test_public_acl_refused_under_block_public_access(post_server, bucket):
    """With Block Public Access on, a form asking for a public `x-oss-object-acl` is refused
    (403 AccessDenied) and stores nothing, as PutObject would be; a private one is stored
    (docs/protocol/buckets.md#block-public-access)."""
    bucket.put_bucket_public_access_block(True)
    cond = [{"bucket": bucket.bucket_name}]
    fields = {"key": "bpa/public.txt", "x-oss-object-acl": "public-read", **v4_fields(cond)}
    refused(post(post_server.endpoint, bucket.bucket_name, fields), 403, "AccessDenied")
    assert not bucket.object_exists("bpa/public.txt")
    fields = {"key": "bpa/private.txt", "x-oss-object-acl": "private", **v4_fields(cond)}
    assert post(post_server.endpoint, bucket.bucket_name, fields).status_code == 204
    bucket.delete_bucket_public_access_block()
    fields = {"key": "bpa/public.txt", "x-oss-object-acl": "public-read", **v4_fields(cond)}
    assert post(post_server.endpoint, bucket.bucket_name, fields).status_code == 204
