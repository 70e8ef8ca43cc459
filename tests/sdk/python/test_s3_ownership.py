"""S3 Object Ownership with boto3 (docs/s3.md#object-ownership): `PUT|GET|DELETE
/?ownershipControls`, CreateBucket's `ObjectOwnership`, and ACLs disabled by
`BucketOwnerEnforced` — ACL writes refused with `AccessControlListNotSupported`, ACL reads
showing the owner's full control, public ACLs granting nothing — as AWS documents them (S3 User
Guide, "Controlling ownership of objects and disabling ACLs", "Troubleshooting") and
ceph/s3-tests' object-ownership tests expect."""

from __future__ import annotations

import json
import uuid

import oss2
import pytest
import requests
from botocore.exceptions import ClientError

from conftest import oss2_bucket, unique_bucket
from s3_helpers import allow_acls_and_public_access, bucket, error_code, s3, s3_client, srv, status  # noqa: F401 (fixtures)
from sts_helpers import ram_call

SETTINGS = ("BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter")


def refused(call, code: str, http_status: int = 400) -> ClientError:
    with pytest.raises(ClientError) as e:
        call()
    assert (status(e.value), error_code(e.value)) == (http_status, code)
    assert e.value.response["ResponseMetadata"]["RequestId"]
    return e.value


def ownership(s3, bucket: str) -> str:
    rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert len(rules) == 1
    return rules[0]["ObjectOwnership"]


def controls(value: str) -> dict:
    return {"Rules": [{"ObjectOwnership": value}]}


def owner_only(acl: dict, owner_id: str) -> None:
    """An ACL that grants the owner's full control and nothing else."""
    assert acl["Owner"]["ID"] == owner_id
    assert [(g["Grantee"].get("ID"), g["Permission"]) for g in acl["Grants"]] == [(owner_id, "FULL_CONTROL")]


def test_a_bucket_without_a_setting_answers_404(s3, bucket):
    allow_acls_and_public_access(s3, bucket)
    e = refused(lambda: s3.get_bucket_ownership_controls(Bucket=bucket), "OwnershipControlsNotFoundError", 404)
    assert e.response["Error"]["Message"]
    # ACLs work as before: no setting is not BucketOwnerEnforced.
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ACL="public-read")
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    s3.put_bucket_acl(Bucket=bucket, ACL="private")


def test_put_get_delete(s3, bucket):
    for value in SETTINGS:
        s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls(value))
        assert ownership(s3, bucket) == value
    assert s3.delete_bucket_ownership_controls(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    refused(lambda: s3.get_bucket_ownership_controls(Bucket=bucket), "OwnershipControlsNotFoundError", 404)
    # Deleting what is not there is no error (ceph/s3-tests' test_bucket_create_delete_bucket_ownership).
    s3.delete_bucket_ownership_controls(Bucket=bucket)


def test_put_refuses_what_is_not_one_known_setting(s3, bucket):
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls("ObjectWriter"))
    for bad in (controls("Everyone"), {"Rules": []}, {"Rules": [{"ObjectOwnership": "ObjectWriter"}] * 2}):
        refused(lambda: s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=bad), "MalformedXML")
    assert ownership(s3, bucket) == "ObjectWriter"


def test_other_methods_are_not_allowed(srv, bucket):
    # An unsigned HEAD with the sub-resource is refused before anything else is looked at.
    r = requests.head(f"{srv.s3_endpoint}/{bucket}?ownershipControls", timeout=10)
    assert r.status_code == 405


def test_create_bucket_with_object_ownership(s3):
    for value in SETTINGS:
        name = unique_bucket("own")
        s3.create_bucket(Bucket=name, ObjectOwnership=value)
        assert ownership(s3, name) == value
    name = unique_bucket("own")
    e = refused(lambda: s3.create_bucket(Bucket=name, ObjectOwnership="Nobody"), "InvalidArgument")
    assert "x-amz-object-ownership" in e.response["Error"]["Message"]
    refused(lambda: s3.head_bucket(Bucket=name), "404", 404)
    # ACLs must be private to be disabled: a public CreateBucket ACL is refused, and makes nothing.
    refused(
        lambda: s3.create_bucket(Bucket=name, ObjectOwnership="BucketOwnerEnforced", ACL="public-read"),
        "InvalidBucketAclWithObjectOwnership",
    )
    refused(lambda: s3.head_bucket(Bucket=name), "404", 404)
    s3.create_bucket(Bucket=name, ObjectOwnership="BucketOwnerEnforced", ACL="private")
    assert ownership(s3, name) == "BucketOwnerEnforced"


def test_enforced_needs_a_private_bucket_acl(s3):
    # A public bucket ACL on AWS since April 2023: ACLs enabled at creation, Block Public Access
    # turned off, then the ACL (S3 API reference, CreateBucket; docs/s3.md#new-bucket-defaults).
    name = unique_bucket("own")
    s3.create_bucket(Bucket=name, ObjectOwnership="ObjectWriter")
    s3.delete_public_access_block(Bucket=name)
    s3.put_bucket_acl(Bucket=name, ACL="public-read")
    refused(
        lambda: s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=controls("BucketOwnerEnforced")),
        "InvalidBucketAclWithObjectOwnership",
    )
    assert ownership(s3, name) == "ObjectWriter"
    s3.put_bucket_acl(Bucket=name, ACL="private")
    s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=controls("BucketOwnerEnforced"))
    assert ownership(s3, name) == "BucketOwnerEnforced"


def test_enforced_refuses_acl_writes(s3, srv, bucket):
    allow_acls_and_public_access(s3, bucket)
    owner_id = s3.get_bucket_acl(Bucket=bucket)["Owner"]["ID"]
    s3.put_object(Bucket=bucket, Key="src", Body=b"src")
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls("BucketOwnerEnforced"))

    # No ACL, or the owner's full control (canned or as a grant), is taken.
    s3.put_object(Bucket=bucket, Key="no-acl", Body=b"a")
    s3.put_object(Bucket=bucket, Key="owner-full", Body=b"a", ACL="bucket-owner-full-control")
    s3.put_object(Bucket=bucket, Key="owner-grant", Body=b"a", GrantFullControl=f'id="{owner_id}"')
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp", ACL="bucket-owner-full-control")
    # ListParts names the upload's owner and initiator: the account (S3 API reference, ListParts).
    parts = s3.list_parts(Bucket=bucket, Key="mp", UploadId=up["UploadId"])
    assert parts["Owner"]["ID"] == parts["Initiator"]["ID"] == owner_id
    s3.abort_multipart_upload(Bucket=bucket, Key="mp", UploadId=up["UploadId"])
    src = {"Bucket": bucket, "Key": "src"}
    s3.copy_object(Bucket=bucket, Key="copy", CopySource=src, ACL="bucket-owner-full-control")
    for key in ("no-acl", "owner-full", "owner-grant", "copy"):
        owner_only(s3.get_object_acl(Bucket=bucket, Key=key), owner_id)

    # Any other ACL, `private` included, is refused and writes nothing.
    for acl in ("private", "public-read", "public-read-write", "authenticated-read"):
        refused(lambda: s3.put_object(Bucket=bucket, Key=f"w-{acl}", Body=b"a", ACL=acl), "AccessControlListNotSupported")
        refused(lambda: s3.create_multipart_upload(Bucket=bucket, Key=f"m-{acl}", ACL=acl), "AccessControlListNotSupported")
        refused(
            lambda: s3.copy_object(Bucket=bucket, Key=f"c-{acl}", CopySource=src, ACL=acl),
            "AccessControlListNotSupported",
        )
    refused(
        lambda: s3.put_object(Bucket=bucket, Key="grant", Body=b"a", GrantRead='uri="http://acs.amazonaws.com/groups/global/AllUsers"'),
        "AccessControlListNotSupported",
    )
    listed = s3.list_objects_v2(Bucket=bucket)
    assert sorted(o["Key"] for o in listed["Contents"]) == ["copy", "no-acl", "owner-full", "owner-grant", "src"]
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []

    # Setting an ACL is refused outright; reading one shows the owner's full control.
    for acl in ("private", "bucket-owner-full-control", "public-read"):
        refused(lambda: s3.put_bucket_acl(Bucket=bucket, ACL=acl), "AccessControlListNotSupported")
        refused(lambda: s3.put_object_acl(Bucket=bucket, Key="no-acl", ACL=acl), "AccessControlListNotSupported")
    owner_only(s3.get_bucket_acl(Bucket=bucket), owner_id)

    # The other settings keep ACLs.
    for value in ("BucketOwnerPreferred", "ObjectWriter"):
        s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls(value))
        s3.put_object(Bucket=bucket, Key=f"private-{value}", Body=b"a", ACL="private")
        s3.put_object_acl(Bucket=bucket, Key="no-acl", ACL="public-read")
        s3.put_bucket_acl(Bucket=bucket, ACL="private")
        grants = s3.get_object_acl(Bucket=bucket, Key="no-acl")["Grants"]
        assert any(g["Grantee"].get("URI", "").endswith("/AllUsers") for g in grants)
        s3.put_object_acl(Bucket=bucket, Key="no-acl", ACL="private")


def test_public_object_acl_grants_nothing_when_enforced(s3, srv, bucket):
    allow_acls_and_public_access(s3, bucket)
    s3.put_object(Bucket=bucket, Key="public", Body=b"hello", ACL="public-read")
    url = f"{srv.s3_endpoint}/{bucket}/public"
    assert requests.get(url, timeout=10).content == b"hello"

    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls("BucketOwnerEnforced"))
    r = requests.get(url, timeout=10)
    assert r.status_code == 403
    assert b"<Code>AccessDenied</Code>" in r.content
    owner_id = s3.get_bucket_acl(Bucket=bucket)["Owner"]["ID"]
    owner_only(s3.get_object_acl(Bucket=bucket, Key="public"), owner_id)
    # A bucket policy still grants: ACLs are what is disabled, not access.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/public"}
        ],
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    assert requests.get(url, timeout=10).content == b"hello"
    s3.delete_bucket_policy(Bucket=bucket)
    assert requests.get(url, timeout=10).status_code == 403

    # The stored ACL comes back into force with the setting gone.
    s3.delete_bucket_ownership_controls(Bucket=bucket)
    assert requests.get(url, timeout=10).content == b"hello"
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls("ObjectWriter"))
    assert requests.get(url, timeout=10).content == b"hello"


def test_ram_user_needs_the_actions(s3, srv, bucket):
    user = f"own-{uuid.uuid4().hex[:8]}"
    ram_call(srv, "CreateUser", UserName=user)
    key = ram_call(srv, "CreateAccessKey", UserName=user)["AccessKey"]
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetBucketOwnershipControls", "Resource": f"arn:aws:s3:::{bucket}"}
        ],
    }
    ram_call(srv, "CreatePolicy", PolicyName=user, PolicyDocument=json.dumps(doc))
    ram_call(srv, "AttachPolicyToUser", PolicyType="Custom", PolicyName=user, UserName=user)
    ram = s3_client(srv.endpoint, key["AccessKeyId"], key["AccessKeySecret"])

    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls("ObjectWriter"))
    assert ownership(ram, bucket) == "ObjectWriter"
    refused(
        lambda: ram.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls("BucketOwnerEnforced")),
        "AccessDenied",
        403,
    )
    refused(lambda: ram.delete_bucket_ownership_controls(Bucket=bucket), "AccessDenied", 403)
    assert ownership(s3, bucket) == "ObjectWriter"

    # s3:PutBucketOwnershipControls covers both the put and the delete (S3 has no delete action).
    doc["Statement"][0]["Action"] = ["s3:GetBucketOwnershipControls", "s3:PutBucketOwnershipControls"]
    ram_call(srv, "CreatePolicyVersion", PolicyName=user, PolicyDocument=json.dumps(doc), SetAsDefault="true")
    ram.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls("BucketOwnerEnforced"))
    assert ownership(s3, bucket) == "BucketOwnerEnforced"
    ram.delete_bucket_ownership_controls(Bucket=bucket)
    refused(lambda: s3.get_bucket_ownership_controls(Bucket=bucket), "OwnershipControlsNotFoundError", 404)


def test_the_setting_applies_to_oss_requests(s3, srv, bucket):
    """The setting is the bucket's: OSS requests (oss2) find ACLs disabled too (docs/s3.md#object-ownership)."""
    allow_acls_and_public_access(s3, bucket)
    oss = oss2_bucket(srv.endpoint, bucket, "v4")
    oss.put_object("public", b"hello", headers={"x-oss-object-acl": "public-read"})
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls("BucketOwnerEnforced"))

    for call in (
        lambda: oss.put_object("other", b"x", headers={"x-oss-object-acl": "public-read"}),
        lambda: oss.put_object_acl("public", oss2.OBJECT_ACL_PRIVATE),
        lambda: oss.put_bucket_acl(oss2.BUCKET_ACL_PRIVATE),
    ):
        with pytest.raises(oss2.exceptions.OssError) as e:
            call()
        assert (e.value.status, e.value.code) == (400, "AccessControlListNotSupported")
        assert e.value.request_id
    oss.put_object("default", b"x", headers={"x-oss-object-acl": "default"})
    assert oss.get_object_acl("public").acl == oss2.OBJECT_ACL_PRIVATE
    assert requests.get(f"{srv.endpoint}/{bucket}/public", timeout=10).status_code == 403


def test_post_object_form_acl_when_enforced(s3, bucket):
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls("BucketOwnerEnforced"))

    def post(key: str, acl: str) -> requests.Response:
        form = s3.generate_presigned_post(bucket, key, Fields={"acl": acl}, Conditions=[{"acl": acl}], ExpiresIn=300)
        return requests.post(form["url"], data=form["fields"], files={"file": ("f.txt", b"posted")}, timeout=10)

    r = post("public", "public-read")
    assert r.status_code == 400 and b"<Code>AccessControlListNotSupported</Code>" in r.content, r.text
    r = post("owner", "bucket-owner-full-control")
    assert r.status_code == 204, r.text
    assert s3.get_object(Bucket=bucket, Key="owner")["Body"].read() == b"posted"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["owner"]
