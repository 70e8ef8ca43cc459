"""GetBucketStat (`GET /?stat`) end to end with oss2 (`Bucket.get_bucket_stat`, V1/V2/V4 auth) and
alibabacloud-oss-v2 (`Client.get_bucket_stat`, V4/V1 signers): exact figures after puts,
overwrites, storage classes, appends, deletes, versioned deletes (noncurrent versions count, delete
markers apart), multipart uploads in progress, completed and aborted. ossd keeps the figures with
every write, so they are exact at once (OSS's may lag by an hour)."""

from __future__ import annotations

import time

import alibabacloud_oss_v2 as oss
import oss2
import pytest

from conftest import oss2_bucket, unique_bucket, v2_client
from ossd_harness import OssdServer

KiB = 1024
MIN_BILLED = 64 * KiB


@pytest.fixture(scope="module")
def stat_server():
    srv = OssdServer().start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture
def bucket(stat_server, auth_version):
    b = oss2_bucket(stat_server.endpoint, unique_bucket(f"st{auth_version}"), auth_version)
    b.create_bucket()
    return b


def figures(stat):
    """(ObjectCount, Storage, MultipartUploadCount, MultipartPartCount, DeleteMarkerCount) of an
    oss2 result."""
    return (
        stat.object_count,
        stat.storage_size_in_bytes,
        stat.multi_part_upload_count,
        stat.multipart_part_count,
        stat.delete_marker_count,
    )


def test_oss2_empty_bucket_is_all_zero(bucket):
    s = bucket.get_bucket_stat()
    assert figures(s) == (0, 0, 0, 0, 0)
    assert s.live_channel_count == 0
    assert s.last_modified_time == 0
    for field in (
        "standard_storage",
        "standard_object_count",
        "infrequent_access_storage",
        "infrequent_access_real_storage",
        "infrequent_access_object_count",
        "archive_storage",
        "archive_real_storage",
        "archive_object_count",
        "cold_archive_storage",
        "cold_archive_real_storage",
        "cold_archive_object_count",
        "deep_cold_archive_storage",
        "deep_cold_archive_real_storage",
        "deep_cold_archive_object_count",
    ):
        assert getattr(s, field) == 0, field


def test_oss2_puts_overwrites_classes_appends_deletes(bucket):
    before = int(time.time())
    bucket.put_object("a.txt", b"content")
    after = int(time.time())
    s = bucket.get_bucket_stat()
    assert figures(s) == (1, 7, 0, 0, 0)
    assert (s.standard_storage, s.standard_object_count) == (7, 1)
    assert before <= s.last_modified_time <= after

    bucket.put_object("a.txt", b"0123456789")  # overwrite: the old size goes
    assert figures(bucket.get_bucket_stat()) == (1, 10, 0, 0, 0)

    bucket.put_object("ia.bin", b"i" * 100, headers={"x-oss-storage-class": "IA"})
    big = b"r" * (MIN_BILLED + 5)
    bucket.put_object("ar.bin", big, headers={"x-oss-storage-class": "Archive"})
    bucket.put_object("ca.bin", b"c", headers={"x-oss-storage-class": "ColdArchive"})
    s = bucket.get_bucket_stat()
    assert figures(s) == (4, 10 + 100 + len(big) + 1, 0, 0, 0)
    assert (s.standard_storage, s.standard_object_count) == (10, 1)
    assert (s.infrequent_access_storage, s.infrequent_access_real_storage, s.infrequent_access_object_count) == (
        MIN_BILLED,
        100,
        1,
    )
    assert (s.archive_storage, s.archive_real_storage, s.archive_object_count) == (len(big), len(big), 1)
    assert (s.cold_archive_storage, s.cold_archive_real_storage, s.cold_archive_object_count) == (MIN_BILLED, 1, 1)

    r = bucket.append_object("log", 0, b"abc")
    bucket.append_object("log", r.next_position, b"defg")
    assert figures(bucket.get_bucket_stat()) == (5, 10 + 100 + len(big) + 1 + 7, 0, 0, 0)

    for key in ("a.txt", "ia.bin", "ar.bin", "ca.bin"):
        bucket.delete_object(key)
    bucket.delete_object("never-existed")
    s = bucket.get_bucket_stat()
    assert figures(s) == (1, 7, 0, 0, 0)
    assert (s.infrequent_access_object_count, s.archive_storage, s.cold_archive_real_storage) == (0, 0, 0)
    bucket.delete_object("log")
    assert figures(bucket.get_bucket_stat()) == (0, 0, 0, 0, 0)


def test_oss2_versioned_deletes(bucket):
    bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig(oss2.BUCKET_VERSIONING_ENABLE))
    v1 = bucket.put_object("doc", b"one").versionid
    bucket.put_object("doc", b"three").versionid
    bucket.put_object("other", b"xy")
    # Noncurrent versions count in Storage and ObjectCount.
    assert figures(bucket.get_bucket_stat()) == (3, 10, 0, 0, 0)

    marker = bucket.delete_object("doc").versionid
    assert figures(bucket.get_bucket_stat()) == (3, 10, 0, 0, 1)

    bucket.delete_object("doc", params={"versionId": v1})
    assert figures(bucket.get_bucket_stat()) == (2, 7, 0, 0, 1)
    bucket.delete_object("doc", params={"versionId": marker})
    assert figures(bucket.get_bucket_stat()) == (2, 7, 0, 0, 0)

    bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig(oss2.BUCKET_VERSIONING_SUSPEND))
    bucket.put_object("doc", b"null-1")
    bucket.put_object("doc", b"null-22")  # replaces the null version
    assert figures(bucket.get_bucket_stat()) == (3, 14, 0, 0, 0)
    bucket.delete_object("doc")  # the null version becomes a null delete marker
    assert figures(bucket.get_bucket_stat()) == (2, 7, 0, 0, 1)


def test_oss2_multipart(bucket):
    key = "mp.bin"
    a, b = b"a" * (100 * KiB), b"b" * 10
    uid = bucket.init_multipart_upload(key).upload_id
    s = bucket.get_bucket_stat()
    assert figures(s) == (0, 0, 1, 0, 0)
    r1 = bucket.upload_part(key, uid, 1, a)
    r2 = bucket.upload_part(key, uid, 2, b)
    bucket.upload_part(key, uid, 2, b)  # a part uploaded again counts once
    # Parts count apart from Storage.
    assert figures(bucket.get_bucket_stat()) == (0, 0, 1, 2, 0)

    other = bucket.init_multipart_upload("gone.bin").upload_id
    bucket.upload_part("gone.bin", other, 1, b"z" * 5)
    assert figures(bucket.get_bucket_stat()) == (0, 0, 2, 3, 0)
    bucket.abort_multipart_upload("gone.bin", other)
    assert figures(bucket.get_bucket_stat()) == (0, 0, 1, 2, 0)

    bucket.complete_multipart_upload(key, uid, [oss2.models.PartInfo(1, r1.etag), oss2.models.PartInfo(2, r2.etag)])
    s = bucket.get_bucket_stat()
    assert figures(s) == (1, len(a) + len(b), 0, 0, 0)
    assert s.standard_storage == len(a) + len(b)


def test_oss2_missing_bucket(stat_server):
    b = oss2_bucket(stat_server.endpoint, unique_bucket("stmissing"), "v4")
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        b.get_bucket_stat()


def v2_figures(r):
    return (r.object_count, r.storage, r.multi_part_upload_count, r.delete_marker_count)


@pytest.mark.parametrize("signer", ["v4", "v1"])
def test_v2_figures(stat_server, signer):
    c = v2_client(stat_server.endpoint, signer)
    name = unique_bucket(f"stv2{signer}")
    c.put_bucket(oss.PutBucketRequest(bucket=name))
    stat = lambda: c.get_bucket_stat(oss.GetBucketStatRequest(bucket=name))  # noqa: E731

    r = stat()
    assert v2_figures(r) == (0, 0, 0, 0)
    assert (r.live_channel_count, r.last_modified_time, r.standard_storage) == (0, 0, 0)
    assert (r.deep_cold_archive_storage, r.deep_cold_archive_real_storage, r.deep_cold_archive_object_count) == (
        0,
        0,
        0,
    )

    c.put_object(oss.PutObjectRequest(bucket=name, key="k", body=b"hello"))
    c.put_object(oss.PutObjectRequest(bucket=name, key="k", body=b"hello world"))
    c.put_object(oss.PutObjectRequest(bucket=name, key="dc", body=b"d" * 3, storage_class="DeepColdArchive"))
    r = stat()
    assert v2_figures(r) == (2, 14, 0, 0)
    assert (r.standard_storage, r.standard_object_count) == (11, 1)
    assert (r.deep_cold_archive_storage, r.deep_cold_archive_real_storage, r.deep_cold_archive_object_count) == (
        MIN_BILLED,
        3,
        1,
    )
    assert r.last_modified_time > 0

    a = c.append_object(oss.AppendObjectRequest(bucket=name, key="ap", position=0, body=b"ab"))
    c.append_object(oss.AppendObjectRequest(bucket=name, key="ap", position=a.next_position, body=b"cd"))
    assert v2_figures(stat()) == (3, 18, 0, 0)

    uid = c.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=name, key="mp")).upload_id
    c.upload_part(oss.UploadPartRequest(bucket=name, key="mp", upload_id=uid, part_number=1, body=b"p" * 1000))
    assert v2_figures(stat()) == (3, 18, 1, 0)
    c.complete_multipart_upload(
        oss.CompleteMultipartUploadRequest(bucket=name, key="mp", upload_id=uid, complete_all="yes")
    )
    assert v2_figures(stat()) == (4, 1018, 0, 0)

    c.put_bucket_versioning(
        oss.PutBucketVersioningRequest(
            bucket=name, versioning_configuration=oss.VersioningConfiguration(status="Enabled")
        )
    )
    d = c.delete_object(oss.DeleteObjectRequest(bucket=name, key="k"))
    assert d.delete_marker
    assert v2_figures(stat()) == (4, 1018, 0, 1)
    c.delete_object(oss.DeleteObjectRequest(bucket=name, key="k", version_id=d.version_id))
    c.delete_object(oss.DeleteObjectRequest(bucket=name, key="k", version_id="null"))
    assert v2_figures(stat()) == (3, 1007, 0, 0)
    for key in ("dc", "ap", "mp"):
        c.delete_object(oss.DeleteObjectRequest(bucket=name, key=key, version_id="null"))
    assert v2_figures(stat()) == (0, 0, 0, 0)
    c.delete_bucket(oss.DeleteBucketRequest(bucket=name))


def test_v2_missing_bucket(stat_server):
    c = v2_client(stat_server.endpoint, "v4")
    with pytest.raises(oss.exceptions.OperationError) as e:
        c.get_bucket_stat(oss.GetBucketStatRequest(bucket=unique_bucket("stv2missing")))
    err = e.value.unwrap()
    assert (err.status_code, err.code) == (404, "NoSuchBucket")
