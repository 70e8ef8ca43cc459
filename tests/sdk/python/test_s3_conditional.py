"""The S3 dialect's conditional writes, copies and ranges with boto3 (docs/s3.md#conditional-writes,
docs/s3.md#copies, docs/s3.md#ranges, docs/s3.md#keys), and the OSS behaviour they leave alone."""

from __future__ import annotations

import oss2
import pytest
from botocore.exceptions import ClientError

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET
from s3_helpers import bucket, error_code, s3, srv, status  # noqa: F401 (fixtures)

PART = 5 * 1024 * 1024



def refused(call, **kwargs) -> tuple[int, str]:
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    return status(e.value), error_code(e.value)


def multipart(s3, bucket: str, key: str, body: bytes = b"abc", **condition):
    """Uploads one part and completes with `condition` (IfMatch / IfNoneMatch)."""
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=1, Body=body)["ETag"]
    return s3.complete_multipart_upload(
        Bucket=bucket,
        Key=key,
        UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]},
        **condition,
    )


@pytest.mark.parametrize("versioned", [False, True])
def test_put_object_conditions(s3, bucket, versioned):
    if versioned:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    put = s3.put_object
    assert refused(put, Bucket=bucket, Key="k", IfMatch="*") == (404, "NoSuchKey")
    assert refused(put, Bucket=bucket, Key="k", IfMatch='"bad"') == (404, "NoSuchKey")
    first = put(Bucket=bucket, Key="k", Body=b"one", IfNoneMatch="*")["ETag"]
    assert refused(put, Bucket=bucket, Key="k", IfNoneMatch="*") == (412, "PreconditionFailed")
    assert refused(put, Bucket=bucket, Key="k", IfNoneMatch=first) == (412, "PreconditionFailed")
    assert refused(put, Bucket=bucket, Key="k", IfMatch='"bad"') == (412, "PreconditionFailed")
    second = put(Bucket=bucket, Key="k", Body=b"two", IfMatch=first)["ETag"]
    put(Bucket=bucket, Key="k", Body=b"two", IfNoneMatch=first)
    put(Bucket=bucket, Key="k", Body=b"two", IfMatch="*")
    assert refused(put, Bucket=bucket, Key="k", Body=b"x", IfMatch=first) == (
        412,
        "PreconditionFailed",
    )
    assert s3.get_object(Bucket=bucket, Key="k")["ETag"] == second
    s3.delete_object(Bucket=bucket, Key="k")
    # A delete marker (or nothing) is no object.
    assert refused(put, Bucket=bucket, Key="k", IfMatch=second) == (404, "NoSuchKey")
    put(Bucket=bucket, Key="k", Body=b"three", IfNoneMatch=second)


def test_complete_multipart_conditions(s3, bucket):
    def fail(**condition):
        return refused(lambda: multipart(s3, bucket, "mp", **condition))

    assert fail(IfMatch="*") == (404, "NoSuchKey")
    etag = multipart(s3, bucket, "mp", IfNoneMatch="*")["ETag"]
    assert fail(IfNoneMatch="*") == (412, "PreconditionFailed")
    assert fail(IfNoneMatch=etag) == (412, "PreconditionFailed")
    assert fail(IfMatch='"bad"') == (412, "PreconditionFailed")
    etag = multipart(s3, bucket, "mp", b"def", IfMatch=etag)["ETag"]
    multipart(s3, bucket, "mp", IfNoneMatch='"bad"')
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == b"abc"


def test_copy_object_destination_conditions(s3, bucket):
    src = {"Bucket": bucket, "Key": "src"}
    s3.put_object(Bucket=bucket, Key="src", Body=b"source")
    copy = s3.copy_object
    assert refused(copy, Bucket=bucket, Key="dst", CopySource=src, IfMatch="*") == (
        404,
        "NoSuchKey",
    )
    etag = s3.put_object(Bucket=bucket, Key="dst", Body=b"old")["ETag"]
    assert refused(copy, Bucket=bucket, Key="dst", CopySource=src, IfNoneMatch="*") == (
        412,
        "PreconditionFailed",
    )
    assert refused(copy, Bucket=bucket, Key="dst", CopySource=src, IfMatch='"bad"') == (
        412,
        "PreconditionFailed",
    )
    copy(Bucket=bucket, Key="dst", CopySource=src, IfMatch=etag)
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == b"source"


def test_copy_source_conditions_and_copy_onto_itself(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="foo", Body=b"bar")["ETag"]
    src = {"Bucket": bucket, "Key": "foo"}
    # S3 answers a failed copy-source If-None-Match with 412, not OSS's 304.
    assert refused(
        s3.copy_object, Bucket=bucket, Key="bar", CopySource=src, CopySourceIfNoneMatch=etag
    ) == (412, "PreconditionFailed")
    # A copy onto itself that changes nothing is refused; one that replaces metadata is not.
    assert refused(s3.copy_object, Bucket=bucket, Key="foo", CopySource=src) == (
        400,
        "InvalidRequest",
    )
    s3.copy_object(
        Bucket=bucket,
        Key="foo",
        CopySource=src,
        Metadata={"k": "v"},
        MetadataDirective="REPLACE",
    )
    assert s3.head_object(Bucket=bucket, Key="foo")["Metadata"] == {"k": "v"}


def test_upload_part_copy_ranges(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"01234")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    src = {"Bucket": bucket, "Key": "src"}

    def copy(rng):
        return s3.upload_part_copy(
            Bucket=bucket,
            Key="dst",
            UploadId=upload,
            PartNumber=1,
            CopySource=src,
            CopySourceRange=rng,
        )

    assert refused(copy, rng="bytes=0-21")[1] == "InvalidRange"
    malformed = ["0-2", "bytes=0", "bytes=hello-world", "bytes=0-bar", "bytes=hello-", "bytes=0-2,3-5"]
    for bad in malformed:
        assert refused(copy, rng=bad) == (400, "InvalidArgument"), bad
    etag = copy("bytes=1-3")["CopyPartResult"]["ETag"]
    s3.complete_multipart_upload(
        Bucket=bucket,
        Key="dst",
        UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]},
    )
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == b"123"


def test_ranges_and_unreadable_keys(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"testcontent")
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    for key in ["obj", "empty"]:
        got = refused(s3.get_object, Bucket=bucket, Key=key, Range="bytes=40-50")
        assert got == (416, "InvalidRange"), key
    part = s3.get_object(Bucket=bucket, Key="obj", Range="bytes=4-100")
    assert part["Body"].read() == b"content"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="\xae\x8a-")
    assert status(e.value) == 400
    assert e.value.response["Error"]["Message"] == "Couldn't parse the specified URI."


def test_oss_dialect_unchanged(srv, s3, bucket):
    """OSS keeps 409 FileAlreadyExists, ignores If-Match on writes, answers a failed copy-source
    If-None-Match with 304, copies an object onto itself and serves a bad range whole."""
    b = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, bucket)
    b.put_object("k", b"one")
    with pytest.raises(oss2.exceptions.ServerError) as e:
        b.put_object("k", b"two", headers={"x-oss-forbid-overwrite": "true"})
    assert (e.value.status, e.value.code) == (409, "FileAlreadyExists")
    b.put_object("k", b"two", headers={"If-Match": '"bad"'})
    etag = b.head_object("k").etag
    with pytest.raises(oss2.exceptions.NotModified):
        b.copy_object(bucket, "k", "c", headers={"x-oss-copy-source-if-none-match": etag})
    b.copy_object(bucket, "k", "k")
    assert b.get_object("k", byte_range=(40, 50)).read() == b"two"
