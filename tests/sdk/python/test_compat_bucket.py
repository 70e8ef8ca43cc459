"""Bucket-level, error-format and endpoint differences found by the SDKs' own suites (issue 12),
with oss2 and alibabacloud-oss-v2: the endpoints buckets report (and `--public-endpoint`),
PutBucket's `Location`, `x-oss-ec` on HEAD errors, a V4 credential without a region, the
versioning argument errors, CORS `ResponseVary` / `AllowedHeader`, `crop,r_1` and the save-as
reply without `b_`."""

from __future__ import annotations

import base64
import json

import alibabacloud_oss_v2 as oss
import oss2
import pytest
import requests
from oss2.models import BucketVersioningConfig

from conftest import allow_public_access, oss2_bucket, oss2_service, unique_bucket, v2_client
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer
from raw_helpers import http_date, v1_signature
from test_image import make_png, png_size


@pytest.fixture
def b2(endpoint):
    """A fresh bucket and an oss2.Bucket (AuthV4) for it."""
    b = oss2_bucket(endpoint, unique_bucket("cbk"), "v4")
    b.create_bucket()
    return b


def host_of(endpoint: str) -> str:
    return endpoint.split("://", 1)[1]


# ---------------------------------------------------------------- reported endpoints


def test_endpoints_are_the_host_the_request_came_in_on(endpoint, b2):
    host = host_of(endpoint)
    listed = oss2_service(endpoint, "v4").list_buckets(prefix=b2.bucket_name).buckets
    assert [(b.extranet_endpoint, b.intranet_endpoint) for b in listed] == [(host, host)]
    info = b2.get_bucket_info()
    assert (info.extranet_endpoint, info.intranet_endpoint) == (host, host)

    v2 = v2_client(endpoint, "v4")
    props = v2.list_buckets(oss.ListBucketsRequest(prefix=b2.bucket_name)).buckets
    assert [p.extranet_endpoint for p in props] == [host]
    got = v2.get_bucket_info(oss.GetBucketInfoRequest(bucket=b2.bucket_name)).bucket_info
    assert got.extranet_endpoint == host


def test_clients_following_the_endpoint_reach_the_server(endpoint, b2):
    """What the oss2 and v2 suites' teardown do: a client built from ExtranetEndpoint."""
    b2.put_object("k", b"x")
    [found] = oss2_service(endpoint, "v4").list_buckets(prefix=b2.bucket_name).buckets
    # oss2 adds http:// to a value without a scheme
    follower = oss2.Bucket(oss2.AuthV4(ACCESS_KEY_ID, ACCESS_KEY_SECRET), found.extranet_endpoint,
                           found.name, region=REGION)
    assert [o.key for o in oss2.ObjectIterator(follower)] == ["k"]
    # v2 assumes https for a value without a scheme unless disable_ssl is set
    v2 = v2_client(found.extranet_endpoint, "v4", disable_ssl=True)
    r = v2.list_objects_v2(oss.ListObjectsV2Request(bucket=found.name))
    assert [o.key for o in r.contents] == ["k"]


def _v1_get(endpoint: str, host: str, path_qs: str, resource: str) -> requests.Response:
    headers = {"Date": http_date(), "Host": host}
    headers["Authorization"] = f"OSS {ACCESS_KEY_ID}:{v1_signature('GET', resource, headers)}"
    return requests.get(endpoint + path_qs, headers=headers, timeout=30)


def test_virtual_hosted_requests_get_the_base_domain(endpoint, server, b2):
    base = f"localhost:{server.port}"
    r = _v1_get(endpoint, f"{b2.bucket_name}.{base}", "/?bucketInfo", f"/{b2.bucket_name}/?bucketInfo")
    assert r.status_code == 200, r.text
    assert f"<ExtranetEndpoint>{base}</ExtranetEndpoint>" in r.text
    assert f"<IntranetEndpoint>{base}</IntranetEndpoint>" in r.text
    # ali-oss with an IP endpoint sends Host: <bucket>.oss-<region>.aliyuncs.com
    oss_host = f"oss-{REGION}.aliyuncs.com"
    r = _v1_get(endpoint, f"{b2.bucket_name}.{oss_host}", "/?bucketInfo", f"/{b2.bucket_name}/?bucketInfo")
    assert f"<ExtranetEndpoint>{oss_host}</ExtranetEndpoint>" in r.text


@pytest.mark.parametrize("how", ["flag", "env"])
def test_public_endpoint_setting_is_reported_verbatim(how):
    value = "http://oss.example.test:8443"
    srv = OssdServer(
        extra_args=["--public-endpoint", value] if how == "flag" else [],
        extra_env={"OSSD_PUBLIC_ENDPOINT": value} if how == "env" else {},
    ).start()
    try:
        b = oss2_bucket(srv.endpoint, unique_bucket("pe"), "v4")
        b.create_bucket()
        [listed] = oss2_service(srv.endpoint, "v4").list_buckets(prefix=b.bucket_name).buckets
        assert (listed.extranet_endpoint, listed.intranet_endpoint) == (value, value)
        assert b.get_bucket_info().extranet_endpoint == value
        # path and virtual-hosted addressing keep working whatever is reported
        b.put_object("k", b"v")
        host = f"{b.bucket_name}.localhost:{srv.port}"
        headers = {"Date": http_date(), "Host": host}
        headers["Authorization"] = f"OSS {ACCESS_KEY_ID}:{v1_signature('GET', f'/{b.bucket_name}/k', headers)}"
        assert requests.get(f"{srv.endpoint}/k", headers=headers, timeout=30).content == b"v"
    finally:
        srv.stop()
        srv.cleanup()


@pytest.mark.parametrize("bad", ["http://h:1/path", "user@host", "ftp://host"])
def test_public_endpoint_rejects_a_non_address(bad):
    srv = OssdServer(extra_args=["--public-endpoint", bad])
    try:
        with pytest.raises(RuntimeError):
            srv.start(timeout=5)
    finally:
        srv.kill()
        srv.cleanup()


# ---------------------------------------------------------------- PutBucket Location


def test_put_bucket_answers_with_location(endpoint):
    name = unique_bucket("loc")
    b = oss2_bucket(endpoint, name, "v4")
    assert b.create_bucket().headers["Location"] == f"/{name}"
    # again, on the existing bucket (the owner gets 200)
    assert b.create_bucket().headers["Location"] == f"/{name}"
    r = v2_client(endpoint, "v4").put_bucket(oss.PutBucketRequest(bucket=unique_bucket("loc2")))
    assert r.headers["Location"].startswith("/loc2-")
    allow_public_access(b)
    assert b.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ).headers["Location"] == f"/{name}"


# ---------------------------------------------------------------- errors


def test_head_error_carries_ec_header(b2):
    with pytest.raises(oss2.exceptions.NoSuchKey) as e:
        b2.head_object("missing")
    assert e.value.ec == "0026-00000001"
    assert e.value.headers.get("x-oss-ec") == "0026-00000001"
    with pytest.raises(oss2.exceptions.NotFound) as e:
        b2.get_object_meta("missing")
    assert e.value.headers.get("x-oss-ec") == "0026-00000001"


def test_v4_credential_without_region(endpoint, b2):
    no_region = oss2.Bucket(oss2.AuthV4(ACCESS_KEY_ID, ACCESS_KEY_SECRET), endpoint, b2.bucket_name)
    url = no_region.sign_url("PUT", "v4.txt", 600, slash_safe=True)
    assert "%2F%2Foss%2F" in url or "//oss/" in url  # the credential's region is empty
    r = requests.put(url, data=b"x", timeout=30)
    assert r.status_code == 400
    assert "<Code>InvalidArgument</Code>" in r.text
    assert "<Message>The signing region in credential is invalid.</Message>" in r.text


# ---------------------------------------------------------------- versioning arguments


def test_put_bucket_versioning_without_a_valid_status_is_malformed(b2):
    config = BucketVersioningConfig()
    with pytest.raises(oss2.exceptions.MalformedXml):
        b2.put_bucket_versioning(config)
    config.status = "Disabled"
    with pytest.raises(oss2.exceptions.MalformedXml):
        b2.put_bucket_versioning(config)
    config.status = "Enabled"
    assert b2.put_bucket_versioning(config).status == 200


@pytest.mark.parametrize("arg", ["prefix", "key_marker", "versionid_marker", "delimiter"])
def test_list_object_versions_parameter_lengths(b2, arg):
    with pytest.raises(oss2.exceptions.InvalidArgument):
        b2.list_object_versions(**{arg: "a" * 1025})
    kw = {arg: "a" * 1024}
    if arg == "versionid_marker":
        kw["key_marker"] = "k"
    assert b2.list_object_versions(**kw).status == 200
    with pytest.raises(oss2.exceptions.InvalidArgument):
        b2.list_object_versions(max_keys=1001)


# ---------------------------------------------------------------- CORS


def _rule():
    return oss2.models.CorsRule(allowed_origins=["*"], allowed_methods=["GET", "HEAD"],
                                allowed_headers=["X-Oss-Meta-Case", "GET"], max_age_seconds=100)


def test_cors_response_vary_defaults_to_false_and_headers_are_lowercase(b2):
    b2.put_bucket_cors(oss2.models.BucketCors([_rule()]))
    got = b2.get_bucket_cors()
    assert got.response_vary is False
    assert got.rules[0].allowed_headers == ["x-oss-meta-case", "get"]
    assert got.rules[0].allowed_methods == ["GET", "HEAD"]
    b2.put_object("k", b"v")
    r = b2.get_object("k", headers={"Origin": "http://a.example"})
    assert r.headers.get("Access-Control-Allow-Origin") == "http://a.example"
    assert "Vary" not in r.headers


def test_cors_response_vary_sends_vary_origin(b2, endpoint):
    b2.put_bucket_cors(oss2.models.BucketCors([_rule()], response_vary=True))
    assert b2.get_bucket_cors().response_vary is True
    b2.put_object("k", b"v")
    r = b2.get_object("k", headers={"Origin": "http://a.example"})
    assert r.headers.get("Vary") == "Origin"
    # v2 reads the lowercase header back as OSS returns it
    v2 = v2_client(endpoint, "v4")
    cfg = v2.get_bucket_cors(oss.GetBucketCorsRequest(bucket=b2.bucket_name)).cors_configuration
    assert cfg.response_vary is True
    assert cfg.cors_rules[0].allowed_headers == ["x-oss-meta-case", "get"]


def test_cors_negative_max_age_names_the_argument(b2):
    rule = oss2.models.CorsRule(allowed_origins=["*"], allowed_methods=["GET"], max_age_seconds=-1)
    with pytest.raises(oss2.exceptions.InvalidArgument) as e:
        b2.put_bucket_cors(oss2.models.BucketCors([rule]))
    assert (e.value.name, e.value.value) == ("MaxAgeSeconds", "-1")


# ---------------------------------------------------------------- image


def test_crop_accepts_r(b2):
    b2.put_object("src.png", make_png(300, 200))
    body = b2.get_object("src.png", process="image/crop,w_100,h_100,x_100,y_100,r_1").read()
    assert png_size(body) == (100, 100)
    info = json.loads(b2.get_object("src.png", process="image/crop,w_100,h_50,r_1/info").read())
    assert (info["ImageWidth"]["value"], info["ImageHeight"]["value"]) == ("100", "50")


def _b64(s: str) -> str:
    return base64.urlsafe_b64encode(s.encode()).decode()


def test_save_as_reply_bucket_is_empty_without_b(b2):
    b2.put_object("src.png", make_png(200, 100))
    r = b2.process_object("src.png", f"image/resize,w_50|sys/saveas,o_{_b64('out.png')}")
    assert (r.bucket, r.object, r.process_status) == ("", "out.png", "OK")
    assert png_size(b2.get_object("out.png").read()) == (50, 25)
    named = f"image/resize,w_50|sys/saveas,o_{_b64('out2.png')},b_{_b64(b2.bucket_name)}"
    assert b2.process_object("src.png", named).bucket == b2.bucket_name


def test_watermark_text_in_the_standard_base64_alphabet(b2):
    """ali-oss's processObjectSave test: `+` in the text's Base64 and a trailing comma."""
    b2.put_object("src.png", make_png(300, 200))
    text = base64.b64encode("hello 图片服务！".encode()).decode()
    assert "+" in text
    process = f"image/watermark,text_{text},color_ff6a00,"
    assert png_size(b2.get_object("src.png", process=process).read()) == (300, 200)
    r = b2.process_object("src.png", f"{process}|sys/saveas,o_{_b64('wm.png')}")
    assert r.process_status == "OK"


# ---------------------------------------------------------------- bucket policy without Principal


def test_bucket_policy_statement_without_principal_is_everyones(b2, endpoint, server):
    """A RAM-grammar statement without `Principal` is accepted (oss2's and v2's
    test_bucket_policy) and applies to everyone, as `"*"` does, owner rule included
    (docs/protocol/policy.md#bucket-policy-principals)."""
    from sts_helpers import ram_call

    name = b2.bucket_name
    b2.put_object("pub/a.txt", b"public")
    b2.put_object("priv/a.txt", b"private")
    allow = {
        "Version": "1",
        "Statement": [
            {"Action": ["oss:GetObject"], "Effect": "Allow", "Resource": [f"acs:oss:*:*:{name}/pub/*"]}
        ],
    }
    allow_public_access(b2)  # the policy is public; new buckets block public policies
    b2.put_bucket_policy(json.dumps(allow))
    assert json.loads(b2.get_bucket_policy().policy) == allow
    # anonymous callers get what it names, and only that
    r = requests.get(f"{endpoint}/{name}/pub/a.txt", timeout=10)
    assert (r.status_code, r.content) == (200, b"public")
    assert requests.get(f"{endpoint}/{name}/priv/a.txt", timeout=10).status_code == 403
    assert requests.put(f"{endpoint}/{name}/pub/new.txt", data=b"x", timeout=10).status_code == 403
    # a Deny without Principal binds a RAM user allowed everything, not the owner (no Condition)
    user = unique_bucket("nopr")
    ram_call(server, "CreateUser", UserName=user)
    key = ram_call(server, "CreateAccessKey", UserName=user)["AccessKey"]
    ram_call(server, "AttachPolicyToUser", PolicyType="System", PolicyName="AliyunOSSFullAccess", UserName=user)
    as_user = oss2.Bucket(oss2.AuthV4(key["AccessKeyId"], key["AccessKeySecret"]), endpoint, name, region=REGION)
    assert as_user.get_object("priv/a.txt").read() == b"private"
    deny = {
        "Version": "1",
        "Statement": [
            {"Action": ["oss:GetObject"], "Effect": "Deny", "Resource": [f"acs:oss:*:*:{name}/priv/*"]}
        ],
    }
    b2.put_bucket_policy(json.dumps(deny))
    with pytest.raises(oss2.exceptions.AccessDenied):
        as_user.get_object("priv/a.txt")
    assert as_user.get_object("pub/a.txt").read() == b"public"
    assert b2.get_object("priv/a.txt").read() == b"private"
    # the IAM grammar still requires Principal, as AWS does
    iam = {
        "Version": "2012-10-17",
        "Statement": [{"Action": "s3:GetObject", "Effect": "Allow", "Resource": f"arn:aws:s3:::{name}/*"}],
    }
    with pytest.raises(oss2.exceptions.ServerError) as e:
        b2.put_bucket_policy(json.dumps(iam))
    assert (e.value.status, e.value.code) == (400, "InvalidPolicyDocument")
    b2.delete_bucket_policy()
