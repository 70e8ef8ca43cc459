"""Multipart upload end to end: oss2 resumable_upload / resumable_download with CRC checks on
(100 KiB parts over a few MiB), oss2's low-level multipart calls (TV19 ETag and CRC-64, ListParts,
ListMultipartUploads, abort), UploadPartCopy from a versioned source, and the
alibabacloud-oss-v2 uploader and downloader (CRC-64 checks on) plus complete-all."""

from __future__ import annotations

import os

import alibabacloud_oss_v2 as oss
import oss2
import pytest

from conftest import crc64, etag_of, oss2_bucket, unique_bucket, v2_client
from ossd_harness import OssdServer

KiB = 1024
MiB = 1024 * KiB


@pytest.fixture(scope="module")
def mp_server():
    srv = OssdServer().start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture
def bucket(mp_server, auth_version):
    b = oss2_bucket(mp_server.endpoint, unique_bucket(f"mp{auth_version}"), auth_version)
    b.create_bucket()
    return b


def write_file(path, size: int) -> bytes:
    data = os.urandom(size)
    with open(path, "wb") as f:
        f.write(data)
    return data


def test_oss2_resumable_upload_and_download(bucket, tmp_path):
    data = write_file(tmp_path / "src.bin", 3 * MiB + 123)
    key = "resumable/src.bin"
    store = oss2.ResumableStore(root=str(tmp_path / "up-cp"))
    result = oss2.resumable_upload(
        bucket,
        key,
        str(tmp_path / "src.bin"),
        store=store,
        multipart_threshold=100 * KiB,
        part_size=100 * KiB,
        num_threads=3,
    )
    parts = -(-len(data) // (100 * KiB))
    assert result.etag.endswith(f"-{parts}")
    assert result.crc == crc64(data)
    head = bucket.head_object(key)
    assert head.object_type == "Multipart"
    assert head.content_length == len(data)
    assert head.server_crc == crc64(data)

    out = tmp_path / "out.bin"
    oss2.resumable_download(
        bucket,
        key,
        str(out),
        multiget_threshold=100 * KiB,
        part_size=100 * KiB,
        num_threads=3,
        store=oss2.ResumableDownloadStore(root=str(tmp_path / "down-cp")),
    )
    assert out.read_bytes() == data
    assert bucket.get_object(key).read() == data


def test_oss2_low_level_calls_tv19(bucket):
    key = "tv19.txt"
    a, b = b"a" * 102400, b"b" * 10
    init = bucket.init_multipart_upload(key, headers={"x-oss-meta-color": "blue", "Content-Type": "text/plain"})
    uid = init.upload_id
    r1 = bucket.upload_part(key, uid, 1, a)
    r2 = bucket.upload_part(key, uid, 2, b)
    assert r1.etag == etag_of(a).strip('"')
    assert r1.crc == 12696911168479852064
    listed = bucket.list_parts(key, uid)
    assert [(p.part_number, p.size, p.etag) for p in listed.parts] == [(1, 102400, r1.etag), (2, 10, r2.etag)]
    uploads = bucket.list_multipart_uploads(prefix="tv19")
    assert [(u.key, u.upload_id) for u in uploads.upload_list] == [(key, uid)]
    parts = [
        oss2.models.PartInfo(1, r1.etag, size=len(a), part_crc=r1.crc),
        oss2.models.PartInfo(2, r2.etag, size=len(b), part_crc=r2.crc),
    ]
    done = bucket.complete_multipart_upload(key, uid, parts)
    assert done.etag == "986A36156EB9BEEFEEA12B0E118A4B2E-2"
    assert done.crc == 88389505591002533
    meta = bucket.head_object(key)
    assert meta.headers["x-oss-meta-color"] == "blue"
    assert meta.content_type == "text/plain"
    assert bucket.get_object(key).read() == a + b
    with pytest.raises(oss2.exceptions.NoSuchUpload):
        bucket.list_parts(key, uid)


def test_oss2_complete_errors_and_abort(bucket):
    key = "errors.bin"
    uid = bucket.init_multipart_upload(key).upload_id
    r1 = bucket.upload_part(key, uid, 1, b"x" * 1000)
    r2 = bucket.upload_part(key, uid, 2, b"y" * 1000)
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.complete_multipart_upload(key, uid, [oss2.models.PartInfo(1, r1.etag), oss2.models.PartInfo(2, r2.etag)])
    assert (ei.value.status, ei.value.code) == (400, "EntityTooSmall")
    # (oss2 sorts the part list itself, so InvalidPartOrder is covered by the Rust tests.)
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.complete_multipart_upload(key, uid, [oss2.models.PartInfo(1, r2.etag)])
    assert (ei.value.status, ei.value.code) == (400, "InvalidPart")
    # A number listed twice stays refused in the OSS dialect (S3 takes the last entry,
    # docs/s3.md#known-differences); oss2's sort keeps both entries.
    again = bucket.upload_part(key, uid, 1, b"z" * 1000)
    with pytest.raises(oss2.exceptions.ServerError) as ei:
        bucket.complete_multipart_upload(
            key, uid, [oss2.models.PartInfo(1, r1.etag), oss2.models.PartInfo(1, again.etag)]
        )
    assert (ei.value.status, ei.value.code) == (400, "InvalidPartOrder")
    bucket.abort_multipart_upload(key, uid)
    with pytest.raises(oss2.exceptions.NoSuchUpload):
        bucket.upload_part(key, uid, 3, b"late")
    assert bucket.list_multipart_uploads(prefix=key).upload_list == []


def test_oss2_upload_part_copy_from_a_versioned_source(bucket):
    bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig(oss2.BUCKET_VERSIONING_ENABLE))
    old = os.urandom(300 * KiB)
    v1 = bucket.put_object("src.bin", old).versionid
    bucket.put_object("src.bin", b"newer content")
    key = "copied.bin"
    uid = bucket.init_multipart_upload(key).upload_id
    name = bucket.bucket_name
    c1 = bucket.upload_part_copy(name, "src.bin", (0, 200 * KiB - 1), key, uid, 1, params={"versionId": v1})
    c2 = bucket.upload_part_copy(name, "src.bin", (200 * KiB, len(old) - 1), key, uid, 2, params={"versionId": v1})
    assert c1.etag == etag_of(old[: 200 * KiB]).strip('"')
    assert c1.headers["x-oss-copy-source-version-id"] == v1
    done = bucket.complete_multipart_upload(key, uid, [oss2.models.PartInfo(1, c1.etag), oss2.models.PartInfo(2, c2.etag)])
    assert done.versionid
    assert bucket.get_object(key).read() == old
    with pytest.raises(oss2.exceptions.NotFound):
        bucket.upload_part_copy(name, "src.bin", None, key, uid, 3, params={"versionId": v1})


# ---------------------------------------------------------------- alibabacloud-oss-v2


@pytest.mark.parametrize("signer", ["v4", "v1"])
def test_v2_uploader_and_downloader_with_crc(mp_server, signer, tmp_path):
    client = v2_client(mp_server.endpoint, signer, retries=True)
    name = unique_bucket(f"mpv2{signer}")
    client.put_bucket(oss.PutBucketRequest(bucket=name))
    data = write_file(tmp_path / "up.bin", 2 * MiB + 7)
    up = client.uploader(part_size=256 * KiB, parallel_num=3)
    res = up.upload_file(oss.PutObjectRequest(bucket=name, key="v2/up.bin"), str(tmp_path / "up.bin"))
    assert res.etag.strip('"').endswith("-9")
    assert res.hash_crc64 == str(crc64(data))
    head = client.head_object(oss.HeadObjectRequest(bucket=name, key="v2/up.bin"))
    assert head.object_type == "Multipart"
    down = client.downloader(part_size=256 * KiB, parallel_num=3)
    out = tmp_path / "down.bin"
    got = down.download_file(oss.GetObjectRequest(bucket=name, key="v2/up.bin"), str(out))
    assert got.written == len(data)
    assert out.read_bytes() == data


@pytest.mark.parametrize("signer", ["v4", "v1"])
def test_v2_complete_all_and_paginators(mp_server, signer):
    client = v2_client(mp_server.endpoint, signer)
    name = unique_bucket(f"mpca{signer}")
    client.put_bucket(oss.PutBucketRequest(bucket=name))
    key = "all parts+.bin"
    init = client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=name, key=key))
    assert init.key == key
    uid = init.upload_id
    body1, body2 = os.urandom(150 * KiB), b"tail"
    for n, body in ((2, body2), (1, body1)):
        r = client.upload_part(oss.UploadPartRequest(bucket=name, key=key, upload_id=uid, part_number=n, body=body))
        assert r.hash_crc64 == str(crc64(body))
    pages = list(client.list_parts_paginator(limit=1).iter_page(oss.ListPartsRequest(bucket=name, key=key, upload_id=uid)))
    assert [p.parts[0].part_number for p in pages] == [1, 2]
    ups = list(client.list_multipart_uploads_paginator().iter_page(oss.ListMultipartUploadsRequest(bucket=name)))
    assert [u.key for u in ups[0].uploads] == [key]
    done = client.complete_multipart_upload(
        oss.CompleteMultipartUploadRequest(bucket=name, key=key, upload_id=uid, complete_all="yes")
    )
    assert done.key == key
    assert done.hash_crc64 == str(crc64(body1 + body2))
    got = client.get_object(oss.GetObjectRequest(bucket=name, key=key))
    assert got.body.read() == body1 + body2
