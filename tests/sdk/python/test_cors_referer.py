"""Bucket CORS and Referer rules end to end: configuration with oss2, preflights and actual
cross-origin requests with raw `requests` (docs/protocol/cors.md), hotlink protection for anonymous GETs and
signed URLs (header-signed requests are never checked)."""

from __future__ import annotations

import oss2
import pytest
import requests

from conftest import allow_public_access, oss2_bucket, unique_bucket
from ossd_harness import OssdServer
from raw_helpers import xml_value
from test_post_object import policy_b64, post, v1_fields

APP = "http://app.example.com"
FORBIDDEN = (
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / "
    "Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec."
)
REFERER_DENIED = "You are denied by bucket referer policy."


@pytest.fixture(scope="module")
def cr_server():
    srv = OssdServer().start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture
def bucket(cr_server):
    b = oss2_bucket(cr_server.endpoint, unique_bucket("cors"), "v4")
    b.create_bucket()
    return b


def rules():
    browser = oss2.models.CorsRule(
        allowed_origins=[APP, "http://*.cdn.example.com"],
        allowed_methods=["GET", "PUT", "POST", "HEAD"],
        allowed_headers=["x-oss-*", "content-type", "authorization"],
        expose_headers=["ETag", "x-oss-request-id"],
        max_age_seconds=600,
    )
    anyone = oss2.models.CorsRule(allowed_origins=["*"], allowed_methods=["GET"], allowed_headers=[])
    return oss2.models.BucketCors([browser, anyone], response_vary=True)


def options(endpoint, path, origin=APP, method="PUT", headers=None):
    h = {}
    if origin is not None:
        h["Origin"] = origin
    if method is not None:
        h["Access-Control-Request-Method"] = method
    if headers is not None:
        h["Access-Control-Request-Headers"] = headers
    return requests.options(f"{endpoint}{path}", headers=h, timeout=30)


def test_cors_configuration(bucket):
    with pytest.raises(oss2.exceptions.NoSuchCors):
        bucket.get_bucket_cors()
    bucket.put_bucket_cors(rules())
    got = bucket.get_bucket_cors()
    assert got.response_vary is True
    assert [r.allowed_origins for r in got.rules] == [[APP, "http://*.cdn.example.com"], ["*"]]
    assert got.rules[0].allowed_methods == ["GET", "PUT", "POST", "HEAD"]
    assert got.rules[0].expose_headers == ["ETag", "x-oss-request-id"]
    assert got.rules[0].max_age_seconds == 600
    bad = oss2.models.CorsRule(allowed_origins=["*"], allowed_methods=["PATCH"])
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.put_bucket_cors(oss2.models.BucketCors([bad]))
    assert ei.value.code == "InvalidArgument"
    bucket.delete_bucket_cors()
    with pytest.raises(oss2.exceptions.NoSuchCors):
        bucket.get_bucket_cors()


def test_preflight(cr_server, bucket):
    ep, name = cr_server.endpoint, bucket.bucket_name
    r = options(ep, f"/{name}/a.txt")
    assert (r.status_code, xml_value(r.text, "Code")) == (403, "AccessForbidden")
    assert xml_value(r.text, "Message") == FORBIDDEN
    bucket.put_bucket_cors(rules())
    r = options(ep, f"/{name}/a.txt", headers="X-OSS-Date, Content-Type, x-oss-security-token")
    assert r.status_code == 200, r.text
    assert r.headers["Access-Control-Allow-Origin"] == APP
    assert r.headers["Access-Control-Allow-Methods"] == "GET, PUT, POST, HEAD"
    assert r.headers["Access-Control-Allow-Headers"] == "x-oss-date, content-type, x-oss-security-token"
    assert r.headers["Access-Control-Expose-Headers"] == "ETag, x-oss-request-id"
    assert r.headers["Access-Control-Max-Age"] == "600"
    assert "Origin" in r.headers["Vary"]
    assert options(ep, f"/{name}/", origin="http://img.cdn.example.com", method="POST").status_code == 200
    assert options(ep, f"/{name}/k", origin="http://evil.com", method="GET").status_code == 200
    for origin, method, headers in [
        ("http://evil.com", "PUT", None),
        (APP, "DELETE", None),
        (APP, "PUT", "x-oss-date, x-custom"),
    ]:
        r = options(ep, f"/{name}/a.txt", origin=origin, method=method, headers=headers)
        assert (r.status_code, xml_value(r.text, "Code")) == (403, "AccessForbidden"), (origin, method, headers)
    r = options(ep, f"/{name}/a.txt", origin=None)
    assert (r.status_code, xml_value(r.text, "Code")) == (400, "BadRequest")
    r = options(ep, f"/{name}/a.txt", method=None)
    assert (r.status_code, xml_value(r.text, "Code")) == (400, "BadRequest")
    r = options(ep, "/no-such-bucket-cors/a.txt")
    assert (r.status_code, xml_value(r.text, "Code")) == (404, "NoSuchBucket")


def test_cors_headers_on_actual_responses(cr_server, bucket):
    allow_public_access(bucket)
    ep, name = cr_server.endpoint, bucket.bucket_name
    bucket.put_bucket_cors(rules())
    bucket.put_object("public.txt", b"data")
    bucket.put_object_acl("public.txt", oss2.OBJECT_ACL_PUBLIC_READ)
    r = requests.get(f"{ep}/{name}/public.txt", headers={"Origin": APP}, timeout=30)
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == APP
    assert r.headers["Access-Control-Expose-Headers"] == "ETag, x-oss-request-id"
    assert r.headers["Vary"] == "Origin"
    # errors carry the headers too, so that browser code can read them
    r = requests.get(f"{ep}/{name}/missing.txt", headers={"Origin": APP}, timeout=30)
    assert (r.status_code, xml_value(r.text, "Code")) == (403, "AccessDenied")
    assert r.headers["Access-Control-Allow-Origin"] == APP
    r = requests.delete(f"{ep}/{name}/public.txt", headers={"Origin": APP}, timeout=30)
    assert r.status_code == 403
    assert "Access-Control-Allow-Origin" not in r.headers  # DELETE is in no rule
    r = requests.get(f"{ep}/{name}/public.txt", headers={"Origin": "http://evil.com"}, timeout=30)
    assert r.headers["Access-Control-Allow-Origin"] == "http://evil.com"  # the "*" GET rule
    r = requests.get(f"{ep}/{name}/public.txt", timeout=30)
    assert "Access-Control-Allow-Origin" not in r.headers
    signed = bucket.get_object("public.txt", headers={"Origin": APP})
    assert signed.headers["Access-Control-Allow-Origin"] == APP
    # a browser form upload (PostObject) can read its ETag
    fields = {"key": "form.txt", **v1_fields(policy_b64([]))}
    r = post(ep, name, fields, headers={"Origin": APP})
    assert r.status_code == 204, r.text
    assert r.headers["Access-Control-Allow-Origin"] == APP
    assert "ETag" in r.headers["Access-Control-Expose-Headers"]


def test_referer_configuration(bucket):
    got = bucket.get_bucket_referer()
    assert (got.allow_empty_referer, got.referers) == (True, [])
    bucket.put_bucket_referer(
        oss2.models.BucketReferer(False, ["http://*.good.com/*", "https://good?.org"], black_referers=["*bad*"])
    )
    got = bucket.get_bucket_referer()
    assert got.allow_empty_referer is False
    assert got.referers == ["http://*.good.com/*", "https://good?.org"]
    assert got.black_referers == ["*bad*"]


def test_referer_protection(cr_server, bucket):
    allow_public_access(bucket)
    ep, name = cr_server.endpoint, bucket.bucket_name
    bucket.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
    bucket.put_object("img.png", b"png")
    bucket.put_bucket_referer(
        oss2.models.BucketReferer(False, ["http://*.good.com/*", "https://good?.org"], black_referers=["*bad*"])
    )
    url = f"{ep}/{name}/img.png"

    def anon(referer):
        return requests.get(url, headers={"Referer": referer} if referer is not None else {}, timeout=30)

    assert anon("http://www.good.com/page.html?x=1").status_code == 200
    assert anon("https://good1.org").status_code == 200
    for referer in [None, "", "http://evil.com/", "http://bad.good.com/page", "https://good12.org"]:
        r = anon(referer)
        assert (r.status_code, xml_value(r.text, "Code")) == (403, "AccessDenied"), referer
        assert xml_value(r.text, "Message") == REFERER_DENIED
    # header-signed requests are not checked
    assert bucket.get_object("img.png").read() == b"png"
    # signed URLs are
    signed = bucket.sign_url("GET", "img.png", 300)
    assert requests.get(signed, headers={"Referer": "http://a.good.com/x"}, timeout=30).status_code == 200
    r = requests.get(signed, timeout=30)
    assert (r.status_code, xml_value(r.text, "Code")) == (403, "AccessDenied")
    r = requests.get(signed, headers={"Referer": "http://evil.com/"}, timeout=30)
    assert r.status_code == 403
    # empty Referers allowed again, whitelist cleared: protection off
    bucket.put_bucket_referer(oss2.models.BucketReferer(True, []))
    assert anon(None).status_code == 200
    assert anon("http://evil.com/").status_code == 200
