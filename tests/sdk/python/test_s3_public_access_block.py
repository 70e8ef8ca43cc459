"""Block Public Access in the S3 dialect with boto3 (S3 API reference: PutPublicAccessBlock,
GetPublicAccessBlock, DeletePublicAccessBlock; docs/protocol/buckets.md#block-public-access):
the four settings stored and returned, public ACLs and public policies refused while they are
blocked, existing public ACLs and policies ignored, and the RAM actions enforced. ceph/s3-tests'
`test_block_public_*` / `test_ignore_public_acls` are the evidence of the wire behaviour."""

from __future__ import annotations

import hashlib
import json

import boto3
import pytest
import requests
from botocore import UNSIGNED
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION
from s3_helpers import allow_acls_and_public_access, bucket, error_code, s3, s3_client, srv, status  # noqa: F401
from sts_helpers import ram_user

ALL_OFF = {
    "BlockPublicAcls": False,
    "IgnorePublicAcls": False,
    "BlockPublicPolicy": False,
    "RestrictPublicBuckets": False,
}


def conf(**on) -> dict:
    return {**ALL_OFF, **on}


def anonymous_client(srv):
    """An unsigned boto3 client of the S3 listener: anonymous requests there are S3's."""
    return boto3.client(
        "s3",
        endpoint_url=srv.s3_endpoint,
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"}),
    )


def denied(call, **kw) -> None:
    with pytest.raises(ClientError) as e:
        call(**kw)
    assert status(e.value) == 403, e.value.response
    assert error_code(e.value) == "AccessDenied"


def public_get_policy(bucket: str, principal="*") -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": principal} if principal != "*" else "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )


def test_configuration_round_trip_and_missing(s3, bucket):
    """GET without a configuration is 404 NoSuchPublicAccessBlockConfiguration; DELETE is 204
    with or without one; the four settings come back as stored."""
    assert s3.delete_public_access_block(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        s3.get_public_access_block(Bucket=bucket)
    assert status(e.value) == 404
    assert error_code(e.value) == "NoSuchPublicAccessBlockConfiguration"

    wanted = conf(BlockPublicAcls=True, IgnorePublicAcls=True, BlockPublicPolicy=True)
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=wanted)
    got = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert got == wanted

    s3.delete_public_access_block(Bucket=bucket)
    with pytest.raises(ClientError) as e:
        s3.get_public_access_block(Bucket=bucket)
    assert error_code(e.value) == "NoSuchPublicAccessBlockConfiguration"


def test_malformed_configuration_is_refused(srv, s3, bucket):
    """A value other than true/false is 400 MalformedXML and nothing is stored (boto3 cannot
    send one: the request is signed with botocore's SigV4 signer and sent as is)."""
    allow_acls_and_public_access(s3, bucket)
    body = b"<PublicAccessBlockConfiguration><BlockPublicAcls>maybe</BlockPublicAcls></PublicAccessBlockConfiguration>"
    req = AWSRequest(method="PUT", url=f"{srv.endpoint}/{bucket}?publicAccessBlock", data=body)
    req.headers["x-amz-content-sha256"] = hashlib.sha256(body).hexdigest()
    SigV4Auth(Credentials(ACCESS_KEY_ID, ACCESS_KEY_SECRET), "s3", REGION).add_auth(req)
    r = requests.put(req.url, data=body, headers=dict(req.headers.items()), timeout=10)
    assert r.status_code == 400, r.text
    assert "<Code>MalformedXML</Code>" in r.text
    with pytest.raises(ClientError) as e:
        s3.get_public_access_block(Bucket=bucket)
    assert error_code(e.value) == "NoSuchPublicAccessBlockConfiguration"


def test_block_public_acls_refuses_public_acls(s3, bucket):
    """BlockPublicAcls: public canned ACLs and AllUsers grants are 403 on buckets and objects
    (ceph/s3-tests test_block_public_put_bucket_acls, test_block_public_object_canned_acls);
    private ones still work."""
    allow_acls_and_public_access(s3, bucket)
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=conf(BlockPublicAcls=True))
    for acl in ("public-read", "public-read-write", "authenticated-read"):
        denied(s3.put_bucket_acl, Bucket=bucket, ACL=acl)
        denied(s3.put_object, Bucket=bucket, Key=f"k-{acl}", Body=b"", ACL=acl)
    denied(
        s3.put_bucket_acl,
        Bucket=bucket,
        GrantRead='uri="http://acs.amazonaws.com/groups/global/AllUsers"',
    )
    s3.put_object(Bucket=bucket, Key="ok", Body=b"x", ACL="private")
    denied(s3.put_object_acl, Bucket=bucket, Key="ok", ACL="public-read")
    denied(s3.copy_object, Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "ok"}, ACL="public-read")
    denied(s3.create_multipart_upload, Bucket=bucket, Key="mpu", ACL="public-read")
    s3.put_bucket_acl(Bucket=bucket, ACL="private")
    assert s3.get_bucket_acl(Bucket=bucket)["Grants"]

    # Once deleted, public ACLs can be set again.
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    s3.put_object_acl(Bucket=bucket, Key="ok", ACL="public-read")


def test_block_public_policy(s3, bucket):
    """BlockPublicPolicy refuses a public policy (test_block_public_policy) and stores one that
    names fixed principals (test_block_public_policy_with_principal)."""
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=conf(BlockPublicPolicy=True))
    denied(s3.put_bucket_policy, Bucket=bucket, Policy=public_get_policy(bucket))
    with pytest.raises(ClientError) as e:
        s3.get_bucket_policy(Bucket=bucket)
    assert error_code(e.value) == "NoSuchBucketPolicy"
    fixed = public_get_policy(bucket, principal="arn:aws:iam::1234567890:root")
    s3.put_bucket_policy(Bucket=bucket, Policy=fixed)
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == json.loads(fixed)


def test_ignore_public_acls(srv, s3, bucket):
    """IgnorePublicAcls: a public-read bucket and object stop granting anonymous callers and RAM
    users without policies (test_ignore_public_acls); the owner is unaffected; DELETE restores."""
    allow_acls_and_public_access(s3, bucket)
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    s3.put_object(Bucket=bucket, Key="key1", Body=b"abcde", ACL="public-read")
    anon = anonymous_client(srv)
    key = ram_user(srv, "bpa")
    user_client = s3_client(srv.endpoint, key["AccessKeyId"], key["AccessKeySecret"])
    for client in (anon, user_client):
        assert client.get_object(Bucket=bucket, Key="key1")["Body"].read() == b"abcde"
        client.list_objects(Bucket=bucket)

    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=conf(IgnorePublicAcls=True))
    # Setting a public ACL is still allowed (only BlockPublicAcls refuses it), but grants nothing.
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    for client in (anon, user_client):
        denied(client.list_objects, Bucket=bucket)
        denied(client.get_object, Bucket=bucket, Key="key1")
    assert s3.get_object(Bucket=bucket, Key="key1")["Body"].read() == b"abcde"

    s3.delete_public_access_block(Bucket=bucket)
    assert anon.get_object(Bucket=bucket, Key="key1")["Body"].read() == b"abcde"


def test_restrict_public_buckets(srv, s3, bucket):
    """RestrictPublicBuckets: a public policy grants only the owner account's principals
    (test_block_public_restrict_public_buckets): anonymous callers are refused, a RAM user of
    the account is still granted by the policy, the owner reads; DELETE restores."""
    allow_acls_and_public_access(s3, bucket)
    s3.put_object(Bucket=bucket, Key="foo", Body=b"bar")
    s3.put_bucket_policy(Bucket=bucket, Policy=public_get_policy(bucket))
    anon = anonymous_client(srv)
    assert anon.get_object(Bucket=bucket, Key="foo")["Body"].read() == b"bar"

    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=conf(RestrictPublicBuckets=True))
    denied(anon.get_object, Bucket=bucket, Key="foo")
    key = ram_user(srv, "bpa")
    user_client = s3_client(srv.endpoint, key["AccessKeyId"], key["AccessKeySecret"])
    assert user_client.get_object(Bucket=bucket, Key="foo")["Body"].read() == b"bar"
    assert s3.get_object(Bucket=bucket, Key="foo")["Body"].read() == b"bar"

    s3.delete_public_access_block(Bucket=bucket)
    assert anon.get_object(Bucket=bucket, Key="foo")["Body"].read() == b"bar"


def test_ram_actions_are_enforced(srv, s3, bucket):
    """A RAM user allowed only s3:GetBucketPublicAccessBlock may read the configuration but not
    change or delete it; the bucket policy can deny the read too
    (test_get_public_block_deny_bucket_policy)."""
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=conf(BlockPublicAcls=True))
    doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetBucketPublicAccessBlock", "Resource": f"arn:aws:s3:::{bucket}"}],
    }
    key = ram_user(srv, "bpa", doc)
    client = s3_client(srv.endpoint, key["AccessKeyId"], key["AccessKeySecret"])
    got = client.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert got["BlockPublicAcls"] is True
    denied(client.put_public_access_block, Bucket=bucket, PublicAccessBlockConfiguration=ALL_OFF)
    denied(client.delete_public_access_block, Bucket=bucket)

    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:GetBucketPublicAccessBlock",
                "Resource": f"arn:aws:s3:::{bucket}",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(deny))
    denied(client.get_public_access_block, Bucket=bucket)
