"""The seed's STS flow in the S3 dialect (docs/s3.md): a RAM user that may assume a role asks AWS
STS (boto3) for temporary credentials — 900 s, a session policy intersected with the role's — and
clients upload and download with them through boto3, with presigned GET and PUT URLs (also for a
`versionId`), a refreshed token, and a session limited to a prefix that cannot read outside it,
not even through a copy."""

from __future__ import annotations

import json
import uuid

import boto3
import pytest
import requests
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, OssdServer
from s3_helpers import error_code, s3_client
from sts_helpers import EXAMPLE, ram_call, ram_user, seed_ram_setup


@pytest.fixture(scope="module")
def srv():
    # An S3 listener too: anonymous requests there are in the S3 dialect (docs/s3.md).
    s = OssdServer(extra_args=["--s3-addr", "127.0.0.1:0"]).start()
    yield s
    s.stop()
    s.cleanup()


@pytest.fixture(scope="module")
def seed(srv):
    out = seed_ram_setup(srv)
    root = s3_client(srv.endpoint)
    root.create_bucket(Bucket=EXAMPLE)
    root.put_object(Bucket=EXAMPLE, Key="public/hello.txt", Body=b"hello")
    root.put_object(Bucket=EXAMPLE, Key="private/secret.txt", Body=b"secret")
    return out


def assume(srv, seed, policy: dict | None = None, duration: int = 900) -> dict:
    """AssumeRole with AWS STS as the seed's RAM user; returns the credentials."""
    sts = boto3.client(
        "sts",
        endpoint_url=srv.endpoint,
        region_name="us-east-1",
        aws_access_key_id=seed["create_access_key"]["AccessKey"]["AccessKeyId"],
        aws_secret_access_key=seed["create_access_key"]["AccessKey"]["AccessKeySecret"],
        config=Config(retries={"max_attempts": 1}),
    )
    kw = {"Policy": json.dumps(policy)} if policy else {}
    out = sts.assume_role(
        RoleArn=f"arn:aws:iam::{seed['account_id']}:role/{seed['role_name']}",
        RoleSessionName=f"s3-{uuid.uuid4().hex[:8]}",
        DurationSeconds=duration,
        **kw,
    )
    return out["Credentials"]


def session_client(srv, creds: dict, signature_version: str = "s3v4"):
    return s3_client(
        srv.endpoint,
        creds["AccessKeyId"],
        creds["SecretAccessKey"],
        token=creds["SessionToken"],
        signature_version=signature_version,
    )


@pytest.mark.parametrize("signature_version", ["s3v4", "s3"])
def test_upload_and_download_with_temporary_credentials(srv, seed, signature_version):
    s3 = session_client(srv, assume(srv, seed), signature_version)
    key = f"uploads/{signature_version}.bin"
    s3.put_object(Bucket=EXAMPLE, Key=key, Body=b"from a session")
    assert s3.get_object(Bucket=EXAMPLE, Key=key)["Body"].read() == b"from a session"
    # The role's policy allows Put/Get only: no listing, no delete.
    with pytest.raises(ClientError) as e:
        s3.list_objects_v2(Bucket=EXAMPLE)
    assert error_code(e.value) == "AccessDenied"
    with pytest.raises(ClientError) as e:
        s3.delete_object(Bucket=EXAMPLE, Key=key)
    assert error_code(e.value) == "AccessDenied"


def test_presigned_urls_and_token_refresh(srv, seed):
    first = session_client(srv, assume(srv, seed))
    put_url = first.generate_presigned_url("put_object", Params={"Bucket": EXAMPLE, "Key": "signed.txt"}, ExpiresIn=600)
    assert "X-Amz-Security-Token=" in put_url
    assert requests.put(put_url, data=b"v1", timeout=10).status_code == 200
    get_url = first.generate_presigned_url("get_object", Params={"Bucket": EXAMPLE, "Key": "signed.txt"}, ExpiresIn=600)
    assert requests.get(get_url, timeout=10).content == b"v1"
    # A refreshed session (a new AssumeRole) signs as well as the first.
    second = session_client(srv, assume(srv, seed))
    url = second.generate_presigned_url("get_object", Params={"Bucket": EXAMPLE, "Key": "signed.txt"}, ExpiresIn=600)
    assert requests.get(url, timeout=10).content == b"v1"
    # A token from another session does not go with these keys.
    other = assume(srv, seed)
    mixed = s3_client(srv.endpoint, other["AccessKeyId"], other["SecretAccessKey"], token=assume(srv, seed)["SessionToken"])
    with pytest.raises(ClientError) as e:
        mixed.get_object(Bucket=EXAMPLE, Key="signed.txt")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 403)


def test_version_id_inside_a_presigned_url(srv, seed):
    root = s3_client(srv.endpoint, ACCESS_KEY_ID, ACCESS_KEY_SECRET)
    bucket = f"versions-{uuid.uuid4().hex[:8]}"
    root.create_bucket(Bucket=bucket)
    root.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = root.put_object(Bucket=bucket, Key="k", Body=b"one")["VersionId"]
    root.put_object(Bucket=bucket, Key="k", Body=b"two")
    url = root.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k", "VersionId": v1}, ExpiresIn=300)
    assert requests.get(url, timeout=10).content == b"one"
    # The version id is signed: another one fails the signature.
    tampered = url.replace(v1, "0" * len(v1))
    assert requests.get(tampered, timeout=10).status_code == 403


def test_prefix_limited_session(srv, seed):
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"arn:aws:s3:::{EXAMPLE}/public/*"}
        ],
    }
    s3 = session_client(srv, assume(srv, seed, policy))
    assert s3.get_object(Bucket=EXAMPLE, Key="public/hello.txt")["Body"].read() == b"hello"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=EXAMPLE, Key="private/secret.txt")
    assert error_code(e.value) == "AccessDenied"
    # A copy reads its source as the caller: the session may write public/ but not read private/.
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=EXAMPLE, Key="public/copy.txt", CopySource={"Bucket": EXAMPLE, "Key": "private/secret.txt"})
    assert error_code(e.value) == "AccessDenied"
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=EXAMPLE, Key="private/overwrite.txt", Body=b"no")
    assert error_code(e.value) == "AccessDenied"
    s3.put_object(Bucket=EXAMPLE, Key="public/mine.txt", Body=b"ok")


def test_anonymous_and_one_object_user_cannot_copy_what_they_cannot_read(srv, seed):
    anonymous = boto3.client(
        "s3", endpoint_url=srv.endpoint, region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"}),
    )
    with pytest.raises(ClientError) as e:
        anonymous.copy_object(Bucket=EXAMPLE, Key="public/anon.txt", CopySource={"Bucket": EXAMPLE, "Key": "private/secret.txt"})
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    one = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": f"arn:aws:s3:::{EXAMPLE}/public/target.txt"}
        ],
    }
    s3 = session_client(srv, assume(srv, seed, one))
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=EXAMPLE, Key="public/target.txt", CopySource={"Bucket": EXAMPLE, "Key": "public/hello.txt"})
    assert error_code(e.value) == "AccessDenied"
    s3.put_object(Bucket=EXAMPLE, Key="public/target.txt", Body=b"may write this one")



def read_statuses(client, key: str) -> tuple[int, int]:
    """The HTTP statuses of a HEAD and a GET of `key`; a 404 GET must be `NoSuchKey`."""
    out = []
    for call in (client.head_object, client.get_object):
        try:
            call(Bucket=EXAMPLE, Key=key)
            out.append(200)
        except ClientError as e:
            code = e.response["ResponseMetadata"]["HTTPStatusCode"]
            if code == 404 and call == client.get_object:
                assert error_code(e) == "NoSuchKey"
            out.append(code)
    return out[0], out[1]


def test_missing_keys_are_404_only_for_callers_who_may_list_them(srv, seed):
    """S3 answers a GET or HEAD of a missing key with 404 when the caller may list it
    (`s3:ListBucket` with `s3:prefix` = the key) and 403 otherwise (S3 API reference, GetObject,
    "Permissions"; docs/s3.md): anonymous, a RAM user allowed one object, a prefix-limited session."""
    root = s3_client(srv.endpoint)
    anonymous = boto3.client(
        "s3", endpoint_url=srv.s3_endpoint, region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"}),
    )
    assert read_statuses(anonymous, "public/nope") == (403, 403)
    listing = {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": f"arn:aws:s3:::{EXAMPLE}",
        "Condition": {"StringLike": {"s3:prefix": "public/*"}},
    }
    policy = {"Version": "2012-10-17", "Statement": [dict(listing, Principal={"AWS": "*"})]}
    # a public policy: new buckets block them (docs/s3.md#new-bucket-defaults)
    root.delete_public_access_block(Bucket=EXAMPLE)
    root.put_bucket_policy(Bucket=EXAMPLE, Policy=json.dumps(policy))
    try:
        assert read_statuses(anonymous, "public/nope") == (404, 404)
        assert read_statuses(anonymous, "private/nope") == (403, 403)
        # Listing does not make an existing object readable.
        assert read_statuses(anonymous, "private/secret.txt") == (403, 403)
    finally:
        root.delete_bucket_policy(Bucket=EXAMPLE)

    # A RAM user allowed one object, and nothing to list.
    one = {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": ["oss:GetObject"], "Resource": [f"acs:oss:*:*:{EXAMPLE}/public/hello.txt"]}],
    }
    key = ram_user(srv, "one", one)
    s3 = s3_client(srv.endpoint, key["AccessKeyId"], key["AccessKeySecret"])
    assert read_statuses(s3, "public/hello.txt") == (200, 200)
    assert read_statuses(s3, "public/nope") == (403, 403)
    assert read_statuses(s3, "private/secret.txt") == (403, 403)

    # A session whose role may list the bucket, narrowed to reading and listing public/.
    role_listing = {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": ["oss:ListObjects"], "Resource": [f"acs:oss:*:*:{EXAMPLE}"]}],
    }
    ram_call(srv, "CreatePolicy", PolicyName="ListExample", PolicyDocument=json.dumps(role_listing))
    ram_call(srv, "AttachPolicyToRole", PolicyType="Custom", PolicyName="ListExample", RoleName=seed["role_name"])
    session = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{EXAMPLE}/public/*"},
            listing,
        ],
    }
    s3 = session_client(srv, assume(srv, seed, session))
    assert read_statuses(s3, "public/hello.txt") == (200, 200)
    assert read_statuses(s3, "public/nope") == (404, 404)
    assert read_statuses(s3, "private/nope") == (403, 403)
    assert read_statuses(s3, "private/secret.txt") == (403, 403)
