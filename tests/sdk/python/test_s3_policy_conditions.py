"""S3 bucket policies with IAM's `…IfExists` and `Null` operators and the S3 request-header
condition keys `s3:x-amz-copy-source`, `s3:x-amz-metadata-directive` and `s3:x-amz-grant-*`,
evaluated with the request's real headers (docs/protocol/iam-grammar.md#condition-keys).

A `Deny` to `"*"` with a `Condition` binds the bucket owner too (docs/protocol/authorization.md),
so the owner's own boto3 client shows what each condition matches."""

from __future__ import annotations

import json

import pytest
import requests
from botocore.exceptions import ClientError

from s3_helpers import allow_acls_and_public_access, bucket, error_code, s3, srv, status  # noqa: F401 (fixtures)


def policy(bucket: str, effect: str, action: str, condition: dict, resource: str = "*") -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": effect,
                    "Principal": "*",
                    "Action": action,
                    "Resource": f"arn:aws:s3:::{bucket}/{resource}",
                    "Condition": condition,
                }
            ],
        }
    )


def denied(call) -> None:
    with pytest.raises(ClientError) as e:
        call()
    assert (status(e.value), error_code(e.value)) == (403, "AccessDenied")


def test_string_like_if_exists_on_the_referer(s3, srv, bucket):
    allow_acls_and_public_access(s3, bucket)
    s3.put_object(Bucket=bucket, Key="foo", Body=b"foo")
    condition = {"StringLikeIfExists": {"aws:Referer": "http://www.example.com/*"}}
    s3.put_bucket_policy(Bucket=bucket, Policy=policy(bucket, "Allow", "s3:GetObject", condition))
    url = f"{srv.s3_endpoint}/{bucket}/foo"
    for referer in ("http://www.example.com/", "http://www.example.com/index.html"):
        r = requests.get(url, headers={"Referer": referer}, timeout=10)
        assert (r.status_code, r.content) == (200, b"foo"), referer
    # another referer does not match; no referer at all satisfies the IfExists form
    assert requests.get(url, headers={"Referer": "http://example.com"}, timeout=10).status_code == 403
    assert requests.get(url, timeout=10).status_code == 200
    # the plain operator is not satisfied by an absent key
    plain = {"StringLike": {"aws:Referer": "http://www.example.com/*"}}
    s3.put_bucket_policy(Bucket=bucket, Policy=policy(bucket, "Allow", "s3:GetObject", plain))
    assert requests.get(url, timeout=10).status_code == 403
    assert requests.get(url, headers={"Referer": "http://www.example.com/"}, timeout=10).status_code == 200


def test_null_and_copy_source(s3, bucket):
    for key in ("public/foo", "private/foo"):
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    # deny copies (x-amz-copy-source present) whose source is not under public/
    condition = {
        "Null": {"s3:x-amz-copy-source": "false"},
        "StringNotLike": {"s3:x-amz-copy-source": f"{bucket}/public/*"},
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=policy(bucket, "Deny", "s3:PutObject", condition))
    s3.put_object(Bucket=bucket, Key="plain", Body=b"x")  # no copy source: Null false fails
    s3.copy_object(Bucket=bucket, Key="copy1", CopySource={"Bucket": bucket, "Key": "public/foo"})
    assert s3.get_object(Bucket=bucket, Key="copy1")["Body"].read() == b"public/foo"
    denied(lambda: s3.copy_object(Bucket=bucket, Key="copy2", CopySource={"Bucket": bucket, "Key": "private/foo"}))
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="copy2")
    assert status(e.value) == 404
    # `Null: true` on a header never sent holds for every request: all writes denied
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=policy(bucket, "Deny", "s3:PutObject", {"Null": {"s3:x-amz-server-side-encryption": "true"}}),
    )
    denied(lambda: s3.put_object(Bucket=bucket, Key="plain2", Body=b"x"))
    s3.delete_bucket_policy(Bucket=bucket)


def test_metadata_directive_and_grants(s3, bucket):
    allow_acls_and_public_access(s3, bucket)
    s3.put_object(Bucket=bucket, Key="src", Body=b"src")
    replace = {"StringEquals": {"s3:x-amz-metadata-directive": "REPLACE"}}
    s3.put_bucket_policy(Bucket=bucket, Policy=policy(bucket, "Deny", "s3:PutObject", replace))
    s3.copy_object(Bucket=bucket, Key="kept", CopySource={"Bucket": bucket, "Key": "src"}, MetadataDirective="COPY")
    denied(
        lambda: s3.copy_object(
            Bucket=bucket, Key="replaced", CopySource={"Bucket": bucket, "Key": "src"},
            MetadataDirective="REPLACE", Metadata={"foo": "bar"},
        )
    )
    # A grant header may only name an account that exists (the owner's id here; S3 answers 400
    # InvalidArgument for an unknown one, docs/s3.md#acls), so the condition matches on it.
    owner = s3.get_bucket_acl(Bucket=bucket)["Owner"]["ID"]
    grant = {"StringEquals": {"s3:x-amz-grant-full-control": f"id={owner}"}}
    s3.put_bucket_policy(Bucket=bucket, Policy=policy(bucket, "Deny", "s3:PutObject", grant))
    s3.put_object(Bucket=bucket, Key="g1", Body=b"x")
    s3.put_object(Bucket=bucket, Key="g2", Body=b"x", GrantRead=f"id={owner}")
    denied(lambda: s3.put_object(Bucket=bucket, Key="g3", Body=b"x", GrantFullControl=f"id={owner}"))
    s3.delete_bucket_policy(Bucket=bucket)


def test_unknown_and_ram_grammar_forms_are_refused(s3, bucket):
    bad = policy(bucket, "Allow", "s3:GetObject", {"StringEquals": {"s3:x-amz-no-such-header": "x"}})
    with pytest.raises(ClientError) as e:
        s3.put_bucket_policy(Bucket=bucket, Policy=bad)
    assert (status(e.value), error_code(e.value)) == (400, "MalformedPolicy")
    bad = policy(bucket, "Allow", "s3:GetObject", {"NullIfExists": {"aws:Referer": "true"}})
    with pytest.raises(ClientError) as e:
        s3.put_bucket_policy(Bucket=bucket, Policy=bad)
    assert (status(e.value), error_code(e.value)) == (400, "MalformedPolicy")


def test_bucket_policy_status(s3, srv, bucket):
    """GetBucketPolicyStatus (docs/protocol/policy.md#public-policies): a policy is public when
    an Allow names `*` without a condition fixing the caller's address or identity; in S3 a
    public canned ACL makes the bucket public too (ceph/s3-tests' policy-status tests)."""
    allow_acls_and_public_access(s3, bucket)

    def is_public() -> bool:
        return s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"]

    assert is_public() is False
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    assert is_public() is True
    s3.put_bucket_acl(Bucket=bucket, ACL="private")
    assert is_public() is False

    def statement(principal, condition=None) -> str:
        st = {
            "Effect": "Allow",
            "Principal": principal,
            "Action": "s3:ListBucket",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        }
        if condition:
            st["Condition"] = condition
        return json.dumps({"Version": "2012-10-17", "Statement": [st]})

    s3.put_bucket_policy(Bucket=bucket, Policy=statement({"AWS": "*"}))
    assert is_public() is True
    s3.put_bucket_policy(Bucket=bucket, Policy=statement({"AWS": "*"}, {"IpAddress": {"aws:SourceIp": "10.0.0.0/32"}}))
    assert is_public() is False
    s3.put_bucket_policy(Bucket=bucket, Policy=statement({"AWS": "*"}, {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}))
    assert is_public() is True
    s3.put_bucket_policy(Bucket=bucket, Policy=statement({"AWS": "arn:aws:iam::s3tenant1:root"}))
    assert is_public() is False
    s3.delete_bucket_policy(Bucket=bucket)
    assert is_public() is False

    # An anonymous caller may not ask (oss:GetBucketPolicyStatus is the owner's by default).
    r = requests.get(f"{srv.s3_endpoint}/{bucket}?policyStatus", timeout=10)
    assert r.status_code == 403
    # Writing the status is no operation.
    r = requests.put(f"{srv.s3_endpoint}/{bucket}?policyStatus", timeout=10)
    assert r.status_code in (403, 405)
