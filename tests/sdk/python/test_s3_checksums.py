"""S3 flexible checksums stored and returned, GetObjectAttributes and GetObject partNumber, with
boto3 (docs/s3.md, docs/protocol/s3-chunked.md#multipart-checksums)."""

from __future__ import annotations

import base64
import hashlib
import zlib

import pytest
from botocore.exceptions import ClientError

from s3_helpers import bucket, error_code, s3, srv, status  # noqa: F401 (fixtures)

PART = 5 * 1024 * 1024



def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def crc32_b64(data: bytes) -> str:
    return b64(zlib.crc32(data).to_bytes(4, "big"))


def test_put_sha256_stored_and_returned_with_checksum_mode(s3, bucket):
    body = b"A" * 1024
    sha = b64(hashlib.sha256(body).digest())
    put = s3.put_object(Bucket=bucket, Key="o", Body=body, ChecksumAlgorithm="SHA256")
    assert put["ChecksumSHA256"] == sha
    head = s3.head_object(Bucket=bucket, Key="o")
    assert "ChecksumSHA256" not in head
    head = s3.head_object(Bucket=bucket, Key="o", ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == sha
    assert head["ChecksumType"] == "FULL_OBJECT"
    got = s3.get_object(Bucket=bucket, Key="o", ChecksumMode="ENABLED")
    assert got["ChecksumSHA256"] == sha
    assert got["Body"].read() == body
    # A range is not the object: no checksum.
    part = s3.get_object(Bucket=bucket, Key="o", Range="bytes=0-9", ChecksumMode="ENABLED")
    assert "ChecksumSHA256" not in part
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="o", Body=body, ChecksumSHA256=b64(b"\0" * 32))
    assert (status(e.value), error_code(e.value)) == (400, "BadDigest")
    # A value that is not Base64 of a digest matches no body: BadDigest too (s3-tests'
    # test_object_checksum_sha256 / _crc64nvme), and nothing is stored.
    for algorithm in ("SHA256", "CRC64NVME"):
        with pytest.raises(ClientError) as e:
            s3.put_object(
                Bucket=bucket, Key="bad", Body=body, ChecksumAlgorithm=algorithm,
                **{f"Checksum{algorithm}": "bad"},
            )
        assert (status(e.value), error_code(e.value)) == (400, "BadDigest")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="bad")
    assert status(e.value) == 404


def test_put_without_checksum_gets_crc64nvme(s3, bucket):
    s3.put_object(Bucket=bucket, Key="plain", Body=b"hello")
    head = s3.head_object(Bucket=bucket, Key="plain", ChecksumMode="ENABLED")
    # boto3 sends its default CRC32 (stored as sent) or nothing (then S3 computes CRC64NVME).
    assert "ChecksumCRC32" in head or "ChecksumCRC64NVME" in head


def test_multipart_crc32_full_object_and_composite(s3, bucket):
    parts_data = [b"a" * PART, b"b" * 1000]
    for kind in ["FULL_OBJECT", "COMPOSITE"]:
        key = f"mp-{kind}"
        up = s3.create_multipart_upload(
            Bucket=bucket, Key=key, ChecksumAlgorithm="CRC32", ChecksumType=kind
        )
        assert up["ChecksumAlgorithm"] == "CRC32"
        parts = []
        for n, data in enumerate(parts_data, start=1):
            r = s3.upload_part(
                Bucket=bucket, Key=key, UploadId=up["UploadId"], PartNumber=n, Body=data,
                ChecksumAlgorithm="CRC32",
            )
            assert r["ChecksumCRC32"] == crc32_b64(data)
            parts.append({"PartNumber": n, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]})
        listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=up["UploadId"])
        assert [p["ChecksumCRC32"] for p in listed["Parts"]] == [p["ChecksumCRC32"] for p in parts]
        assert (listed["ChecksumAlgorithm"], listed["ChecksumType"]) == ("CRC32", kind)
        # A part checksum that is not the part's is InvalidPart, as a wrong ETag.
        wrong = [dict(parts[0], ChecksumCRC32=crc32_b64(b"other")), parts[1]]
        with pytest.raises(ClientError) as e:
            s3.complete_multipart_upload(
                Bucket=bucket, Key=key, UploadId=up["UploadId"], MultipartUpload={"Parts": wrong}
            )
        assert (status(e.value), error_code(e.value)) == (400, "InvalidPart")
        done = s3.complete_multipart_upload(
            Bucket=bucket, Key=key, UploadId=up["UploadId"], MultipartUpload={"Parts": parts}
        )
        if kind == "FULL_OBJECT":
            expected = crc32_b64(b"".join(parts_data))
        else:
            raw = b"".join(base64.b64decode(p["ChecksumCRC32"]) for p in parts)
            expected = f"{crc32_b64(raw)}-2"
        assert done["ChecksumCRC32"] == expected
        assert done["ChecksumType"] == kind
        head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        assert (head["ChecksumCRC32"], head["ChecksumType"]) == (expected, kind)
        attrs = s3.get_object_attributes(
            Bucket=bucket, Key=key,
            ObjectAttributes=["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"],
        )
        assert attrs["Checksum"]["ChecksumCRC32"] == expected
        assert attrs["ObjectSize"] == sum(map(len, parts_data))
        assert attrs["StorageClass"] == "STANDARD"
        # botocore names <PartsCount> TotalPartsCount.
        object_parts = attrs["ObjectParts"]
        assert object_parts.get("TotalPartsCount", object_parts.get("PartsCount")) == 2
        assert [p["Size"] for p in attrs["ObjectParts"]["Parts"]] == list(map(len, parts_data))
        second = s3.get_object(Bucket=bucket, Key=key, PartNumber=2, ChecksumMode="ENABLED")
        assert second["PartsCount"] == 2
        assert second["ContentLength"] == 1000
        assert second["ChecksumCRC32"] == crc32_b64(parts_data[1])
        assert second["Body"].read() == parts_data[1]


def test_complete_with_a_wrong_checksum_is_bad_digest(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="SHA256")
    r = s3.upload_part(
        Bucket=bucket, Key="k", UploadId=up["UploadId"], PartNumber=1, Body=b"x",
        ChecksumAlgorithm="SHA256",
    )
    parts = [{"PartNumber": 1, "ETag": r["ETag"], "ChecksumSHA256": r["ChecksumSHA256"]}]
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(
            Bucket=bucket, Key="k", UploadId=up["UploadId"], MultipartUpload={"Parts": parts},
            ChecksumSHA256=b64(b"\0" * 32) + "-1",
        )
    assert (status(e.value), error_code(e.value)) == (400, "BadDigest")
    raw = base64.b64decode(r["ChecksumSHA256"])
    composite = b64(hashlib.sha256(raw).digest()) + "-1"
    done = s3.complete_multipart_upload(
        Bucket=bucket, Key="k", UploadId=up["UploadId"], MultipartUpload={"Parts": parts},
        ChecksumSHA256=composite,
    )
    assert done["ChecksumSHA256"] == composite


def test_part_number_reads(s3, bucket):
    s3.put_object(Bucket=bucket, Key="single", Body=b"body")
    whole = s3.get_object(Bucket=bucket, Key="single", PartNumber=1)
    assert whole["Body"].read() == b"body"
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="single", PartNumber=2)
    assert (status(e.value), error_code(e.value)) == (400, "InvalidPart")
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="single", PartNumber=1, Range="bytes=0-1")
    assert (status(e.value), error_code(e.value)) == (400, "InvalidRequest")


def test_object_attributes_of_versions(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket=bucket, Key="v", Body=b"foo")
    s3.put_object(Bucket=bucket, Key="v", Body=b"longer")
    attrs = s3.get_object_attributes(
        Bucket=bucket, Key="v", VersionId=first["VersionId"],
        ObjectAttributes=["ETag", "ObjectSize", "ObjectParts"],
    )
    assert attrs["VersionId"] == first["VersionId"]
    assert attrs["ObjectSize"] == 3
    assert attrs["ETag"] == first["ETag"].strip('"')
    assert "ObjectParts" not in attrs


def test_copies_keep_or_compute_checksums(s3, bucket):
    body = b"c" * 2048
    sha = b64(hashlib.sha256(body).digest())
    s3.put_object(Bucket=bucket, Key="src", Body=body, ChecksumAlgorithm="SHA256")
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    head = s3.head_object(Bucket=bucket, Key="dst", ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == sha
    up = s3.create_multipart_upload(Bucket=bucket, Key="mpc", ChecksumAlgorithm="SHA256")
    r = s3.upload_part_copy(
        Bucket=bucket, Key="mpc", UploadId=up["UploadId"], PartNumber=1,
        CopySource={"Bucket": bucket, "Key": "src"},
    )
    parts = [{"PartNumber": 1, "ETag": r["CopyPartResult"]["ETag"]}]
    done = s3.complete_multipart_upload(
        Bucket=bucket, Key="mpc", UploadId=up["UploadId"], MultipartUpload={"Parts": parts}
    )
    raw = hashlib.sha256(body).digest()
    assert done["ChecksumSHA256"] == b64(hashlib.sha256(raw).digest()) + "-1"


def test_a_part_must_use_the_uploads_algorithm(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="alg", ChecksumAlgorithm="SHA1")
    assert up["ChecksumType"] == "COMPOSITE"
    with pytest.raises(ClientError) as e:
        s3.upload_part(
            Bucket=bucket, Key="alg", UploadId=up["UploadId"], PartNumber=1, Body=b"x",
            ChecksumAlgorithm="CRC32",
        )
    assert (status(e.value), error_code(e.value)) == (400, "InvalidRequest")
    with pytest.raises(ClientError) as e:
        s3.create_multipart_upload(
            Bucket=bucket, Key="alg", ChecksumAlgorithm="SHA256", ChecksumType="FULL_OBJECT"
        )
    assert (status(e.value), error_code(e.value)) == (400, "InvalidRequest")
