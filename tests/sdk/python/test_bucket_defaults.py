"""What a new bucket gets (`--bucket-defaults`, docs/protocol/buckets.md#new-bucket-defaults).

`cloud` (the default): Block Public Access on, as OSS turns it on for buckets created through the
API, SDKs and ossutil since October 13, 2025 (OSS API reference, PutBucket; "Create buckets": "you
cannot configure public access permissions, including public ACLs ... and bucket policies that
allow public access. You can disable this feature after the bucket is created"). The
alibabacloud-oss-v2 suite expects it (test_get_bucket_info: `block_public_access` is true on a
fresh bucket) and turns it off before it sets a public ACL (test_put_bucket_acl). `open` keeps
ossd's old default, for clients written before the change (oss2's and ali-oss's suites).
"""

from __future__ import annotations

import json
import subprocess

import alibabacloud_oss_v2 as oss
import oss2
import pytest
import requests

from conftest import oss2_bucket, unique_bucket, v2_client
from ossd_harness import OSSD_BIN, REGION, OssdServer

DEV_ROOT = ("LTAI5tDevRootAccessKey01", "DevRootSecretNotForProduction0")


def _public_policy(name: str) -> str:
    return json.dumps(
        {
            "Version": "1",
            "Statement": [
                {
                    "Action": ["oss:GetObject"],
                    "Effect": "Allow",
                    "Principal": ["*"],
                    "Resource": [f"acs:oss:*:*:{name}/*"],
                }
            ],
        }
    )


def _v2_error(call, request) -> oss.exceptions.ServiceError:
    with pytest.raises(oss.exceptions.OperationError) as e:
        call(request)
    err = e.value.unwrap()
    assert isinstance(err, oss.exceptions.ServiceError), err
    return err


def _anonymous_get(endpoint: str, name: str, key: str) -> int:
    return requests.get(f"{endpoint}/{name}/{key}", timeout=10).status_code


def test_oss2_new_bucket_blocks_public_acls_until_turned_off(endpoint):
    name = unique_bucket("bpd-o2")
    b = oss2_bucket(endpoint, name, "v4")
    b.create_bucket()
    assert b.get_bucket_public_access_block().block_public_access is True
    with pytest.raises(oss2.exceptions.AccessDenied):
        b.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
    with pytest.raises(oss2.exceptions.AccessDenied):
        b.put_object("k", b"v", headers={"x-oss-object-acl": oss2.OBJECT_ACL_PUBLIC_READ})
    b.put_object("k", b"v")
    assert b.get_bucket_acl().acl == oss2.BUCKET_ACL_PRIVATE
    assert _anonymous_get(endpoint, name, "k") == 403

    b.put_bucket_public_access_block(False)
    assert b.get_bucket_public_access_block().block_public_access is False
    b.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
    assert b.get_bucket_acl().acl == oss2.BUCKET_ACL_PUBLIC_READ
    assert _anonymous_get(endpoint, name, "k") == 200


def test_v2_new_bucket_blocks_public_acls_and_policies_until_turned_off(endpoint):
    v2 = v2_client(endpoint, "v4")
    name = unique_bucket("bpd-v2")
    v2.put_bucket(oss.PutBucketRequest(bucket=name))
    info = v2.get_bucket_info(oss.GetBucketInfoRequest(bucket=name))
    assert info.bucket_info.block_public_access is True
    got = v2.get_bucket_public_access_block(oss.GetBucketPublicAccessBlockRequest(bucket=name))
    assert got.public_access_block_configuration.block_public_access is True

    err = _v2_error(v2.put_bucket_acl, oss.PutBucketAclRequest(bucket=name, acl="public-read"))
    assert (err.status_code, err.code) == (403, "AccessDenied")
    err = _v2_error(v2.put_bucket_policy, oss.PutBucketPolicyRequest(bucket=name, body=_public_policy(name)))
    assert (err.status_code, err.code) == (403, "AccessDenied")

    v2.put_bucket_public_access_block(
        oss.PutBucketPublicAccessBlockRequest(
            bucket=name,
            public_access_block_configuration=oss.PublicAccessBlockConfiguration(block_public_access=False),
        )
    )
    info = v2.get_bucket_info(oss.GetBucketInfoRequest(bucket=name))
    assert info.bucket_info.block_public_access is False
    v2.put_bucket_policy(oss.PutBucketPolicyRequest(bucket=name, body=_public_policy(name)))
    v2.put_object(oss.PutObjectRequest(bucket=name, key="p", body=b"public"))
    assert _anonymous_get(endpoint, name, "p") == 200
    v2.put_bucket_acl(oss.PutBucketAclRequest(bucket=name, acl="public-read-write"))
    acl = v2.get_bucket_acl(oss.GetBucketAclRequest(bucket=name))
    assert acl.acl == "public-read-write"


@pytest.mark.parametrize("acl", [oss2.BUCKET_ACL_PUBLIC_READ, oss2.BUCKET_ACL_PUBLIC_READ_WRITE])
def test_create_bucket_with_a_public_acl_is_refused_and_creates_nothing(endpoint, acl):
    name = unique_bucket("bpd-pub")
    b = oss2_bucket(endpoint, name, "v1")
    with pytest.raises(oss2.exceptions.AccessDenied) as e:
        b.create_bucket(acl)
    assert "Block Public Access" in e.value.message
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        b.get_bucket_info()
    # a private ACL is what the bucket can have: created, blocked
    b.create_bucket(oss2.BUCKET_ACL_PRIVATE)
    assert b.get_bucket_public_access_block().block_public_access is True


def test_open_keeps_the_old_default(open_server):
    endpoint = open_server.endpoint
    name = unique_bucket("bpd-open")
    b = oss2_bucket(endpoint, name, "v2")
    b.create_bucket()
    assert b.get_bucket_public_access_block().block_public_access is False
    v2 = v2_client(endpoint, "v1")
    info = v2.get_bucket_info(oss.GetBucketInfoRequest(bucket=name))
    assert info.bucket_info.block_public_access is False
    b.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
    b.put_object("k", b"v")
    assert _anonymous_get(endpoint, name, "k") == 200
    # and a CreateBucket that asks for a public ACL gets it
    pub = oss2_bucket(endpoint, unique_bucket("bpd-open-pub"), "v4")
    pub.create_bucket(oss2.BUCKET_ACL_PUBLIC_READ_WRITE)
    assert pub.get_bucket_acl().acl == oss2.BUCKET_ACL_PUBLIC_READ_WRITE


def test_the_setting_is_read_from_the_environment():
    srv = OssdServer(extra_env={"OSSD_BUCKET_DEFAULTS": "open"}).start()
    try:
        b = oss2_bucket(srv.endpoint, unique_bucket("bpd-env"), "v4")
        b.create_bucket()
        assert b.get_bucket_public_access_block().block_public_access is False
    finally:
        srv.stop()
        srv.cleanup()


def test_an_unknown_setting_stops_the_server(tmp_path):
    out = subprocess.run(
        [str(OSSD_BIN), "serve", "--memory", "--addr", "127.0.0.1:0", "--bucket-defaults", "closed"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode != 0
    assert "bucket_defaults" in out.stderr and "cloud or open" in out.stderr


def test_dev_default_bucket_is_a_new_bucket_like_any_other():
    srv = OssdServer(extra_args=["--dev"]).start()
    try:
        b = oss2.Bucket(oss2.AuthV4(*DEV_ROOT), srv.endpoint, "examplebucket", region=REGION)
        assert b.get_bucket_public_access_block().block_public_access is True
        with pytest.raises(oss2.exceptions.AccessDenied):
            b.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
    finally:
        srv.stop()
        srv.cleanup()


# ---------------------------------------------------------------- the S3 dialect
#
# AWS since April 2023: "By default, S3 Object Ownership is set to the Bucket owner enforced
# setting, and ACLs are disabled for new buckets" (S3 User Guide, "Setting Object Ownership when
# you create a bucket"), and S3 Block Public Access is on; "If you try to create a bucket with a
# public ACL, the request will fail" (S3 API reference, CreateBucket).


def _s3_refused(call, code: str, http_status: int):
    from botocore.exceptions import ClientError

    from s3_helpers import error_code, status

    with pytest.raises(ClientError) as e:
        call()
    assert (status(e.value), error_code(e.value)) == (http_status, code), e.value.response


ALL_ON = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


@pytest.fixture(scope="module")
def s3_cloud():
    from s3_helpers import s3_client, start_s3_server

    srv = start_s3_server()
    yield s3_client(srv.endpoint)
    srv.stop()
    srv.cleanup()


def test_boto3_new_bucket_has_acls_disabled_and_public_access_blocked(s3_cloud):
    s3 = s3_cloud
    name = unique_bucket("bpd-s3")
    s3.create_bucket(Bucket=name)
    rules = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"] == ALL_ON
    # ACLs are disabled first: AccessControlListNotSupported, as AWS answers a new bucket
    _s3_refused(lambda: s3.put_object(Bucket=name, Key="k", Body=b"v", ACL="public-read"),
                "AccessControlListNotSupported", 400)
    _s3_refused(lambda: s3.put_bucket_acl(Bucket=name, ACL="public-read"), "AccessControlListNotSupported", 400)
    s3.put_object(Bucket=name, Key="k", Body=b"v")


def test_boto3_create_bucket_with_a_public_acl_fails(s3_cloud):
    s3 = s3_cloud
    name = unique_bucket("bpd-s3p")
    # without ObjectOwnership the bucket would be BucketOwnerEnforced, which needs a private ACL
    _s3_refused(lambda: s3.create_bucket(Bucket=name, ACL="public-read"), "InvalidBucketAclWithObjectOwnership", 400)
    _s3_refused(lambda: s3.head_bucket(Bucket=name), "404", 404)
    # with ACLs enabled, Block Public Access (on) refuses it
    _s3_refused(lambda: s3.create_bucket(Bucket=name, ACL="public-read", ObjectOwnership="ObjectWriter"),
                "AccessDenied", 403)
    _s3_refused(lambda: s3.head_bucket(Bucket=name), "404", 404)


def test_boto3_public_acl_after_enabling_acls_and_turning_block_public_access_off(s3_cloud):
    s3 = s3_cloud
    name = unique_bucket("bpd-s3w")
    s3.create_bucket(Bucket=name, ObjectOwnership="ObjectWriter")
    rules = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "ObjectWriter"}]
    assert s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"] == ALL_ON
    _s3_refused(lambda: s3.put_bucket_acl(Bucket=name, ACL="public-read"), "AccessDenied", 403)
    s3.delete_public_access_block(Bucket=name)
    s3.put_bucket_acl(Bucket=name, ACL="public-read")
    grants = s3.get_bucket_acl(Bucket=name)["Grants"]
    assert any(g["Grantee"].get("URI", "").endswith("/AllUsers") for g in grants)


def test_boto3_open_keeps_the_old_default():
    from s3_helpers import s3_client

    srv = OssdServer(extra_args=["--bucket-defaults", "open", "--s3-addr", "127.0.0.1:0"]).start()
    try:
        s3 = s3_client(srv.endpoint)
        name = unique_bucket("bpd-s3o")
        s3.create_bucket(Bucket=name, ACL="public-read")
        _s3_refused(lambda: s3.get_bucket_ownership_controls(Bucket=name), "OwnershipControlsNotFoundError", 404)
        _s3_refused(lambda: s3.get_public_access_block(Bucket=name), "NoSuchPublicAccessBlockConfiguration", 404)
        s3.put_object(Bucket=name, Key="k", Body=b"v", ACL="public-read")
        assert requests.get(f"{srv.s3_endpoint}/{name}/k", timeout=10).status_code == 200
    finally:
        srv.stop()
        srv.cleanup()


def test_seed_buckets_get_the_defaults_unless_declared_public(tmp_path):
    """A `--seed` bucket declared private gets Block Public Access like any new bucket; one
    declared public-read is the operator's statement that it is public: created as declared, with
    Block Public Access off, so the declared ACL works (docs/emulator.md)."""
    seed = tmp_path / "seed.toml"
    seed.write_text(
        '[[buckets]]\nname = "seeded-private"\n\n'
        '[[buckets]]\nname = "seeded-public"\nacl = "public-read"\n\n'
        '[[objects]]\nbucket = "seeded-public"\nkey = "hello.txt"\ncontent = "hi"\n'
    )
    srv = OssdServer(extra_args=["--dev", "--seed", str(seed)]).start()
    try:
        auth = oss2.AuthV4(*DEV_ROOT)
        private = oss2.Bucket(auth, srv.endpoint, "seeded-private", region=REGION)
        public = oss2.Bucket(auth, srv.endpoint, "seeded-public", region=REGION)
        assert private.get_bucket_public_access_block().block_public_access is True
        assert public.get_bucket_public_access_block().block_public_access is False
        assert public.get_bucket_acl().acl == oss2.BUCKET_ACL_PUBLIC_READ
        assert _anonymous_get(srv.endpoint, "seeded-public", "hello.txt") == 200
    finally:
        srv.stop()
        srv.cleanup()
