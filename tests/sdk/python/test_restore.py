"""RestoreObject and the archive state (docs/limits.md): frozen Archive / ColdArchive objects
refuse GetObject and copies with 403 InvalidObjectState until restored; a restore is in progress
for a short time (x-oss-restore: ongoing-request="true", a repeat is 409
RestoreAlreadyInProgress), then the object is readable until the expiry date."""

from __future__ import annotations

import time

import oss2
import pytest
import alibabacloud_oss_v2 as oss
from oss2.models import RestoreConfiguration, RestoreJobParameters

from conftest import unique_bucket

# ossd's restore takes 2 s (RESTORE_DELAY_MS); wait a little longer.
RESTORE_WAIT_S = 10.0


def wait_restored(bucket: oss2.Bucket, key: str) -> str:
    """Polls HeadObject until x-oss-restore says the restore is finished; returns the header."""
    deadline = time.monotonic() + RESTORE_WAIT_S
    while True:
        value = bucket.head_object(key).headers.get("x-oss-restore", "")
        if value.startswith('ongoing-request="false"'):
            return value
        assert time.monotonic() < deadline, value
        time.sleep(0.2)


def oss_error(fn, *args, **kwargs) -> oss2.exceptions.OssError:
    with pytest.raises(oss2.exceptions.OssError) as info:
        fn(*args, **kwargs)
    return info.value


def test_archive_object_lifecycle(bucket):
    key = "frozen.txt"
    bucket.put_object(key, b"archived", headers={"x-oss-storage-class": "Archive"})
    head = bucket.head_object(key)
    assert head.headers["x-oss-storage-class"] == "Archive"
    assert "x-oss-restore" not in head.headers

    err = oss_error(bucket.get_object, key)
    assert (err.status, err.code) == (403, "InvalidObjectState")
    assert err.message == "The operation is not valid for the object's state"

    assert bucket.restore_object(key).status == 202
    assert bucket.head_object(key).headers.get("x-oss-restore") == 'ongoing-request="true"'
    listed = bucket.list_objects(prefix=key).object_list
    assert [o.restore_info for o in listed] == ['ongoing-request="true"']

    err = oss_error(bucket.restore_object, key)
    assert (err.status, err.code) == (409, "RestoreAlreadyInProgress")
    assert err.message == "The restore operation is in progress."
    assert oss_error(bucket.get_object, key).code == "InvalidObjectState"

    header = wait_restored(bucket, key)
    assert header.startswith('ongoing-request="false", expiry-date="')
    assert header.endswith(' GMT"')
    result = bucket.get_object(key)
    assert result.read() == b"archived"
    assert result.headers["x-oss-restore"] == header

    # Restored: a repeat answers 200 and pushes the expiry date out.
    again = bucket.restore_object(key, input=RestoreConfiguration(days=7))
    assert again.status == 200
    assert wait_restored(bucket, key) != header


def test_archive_refusals(bucket):
    bucket.put_object("std.txt", b"x")
    err = oss_error(bucket.restore_object, "std.txt")
    assert (err.status, err.code) == (400, "OperationNotSupported")

    bucket.put_object("ar.txt", b"x", headers={"x-oss-storage-class": "Archive"})
    tiered = RestoreConfiguration(days=5, job_parameters=RestoreJobParameters("Bulk"))
    err = oss_error(bucket.restore_object, "ar.txt", input=tiered)
    assert (err.status, err.code) == (400, "MalformedXML")
    err = oss_error(bucket.restore_object, "ar.txt", input=RestoreConfiguration(days=8))
    assert (err.status, err.code) == (400, "InvalidArgument")

    # A frozen object is no copy source either.
    err = oss_error(bucket.copy_object, bucket.bucket_name, "ar.txt", "copy.txt")
    assert (err.status, err.code) == (403, "InvalidObjectState")

    err = oss_error(bucket.restore_object, "missing.txt")
    assert (err.status, err.code) == (404, "NoSuchKey")


def test_cold_archive_tiers(bucket):
    for tier in ["Expedited", "Standard", "Bulk"]:
        key = f"cold-{tier}.txt"
        bucket.put_object(key, b"c", headers={"x-oss-storage-class": "ColdArchive"})
        config = RestoreConfiguration(days=5, job_parameters=RestoreJobParameters(tier))
        result = bucket.restore_object(key, input=config)
        assert result.status == 202
        assert result.headers.get("x-oss-object-restore-priority") == tier

    bucket.put_object("cold-bad.txt", b"c", headers={"x-oss-storage-class": "ColdArchive"})
    wrong = RestoreConfiguration(days=5, job_parameters=RestoreJobParameters("wrong-tier"))
    err = oss_error(bucket.restore_object, "cold-bad.txt", input=wrong)
    assert (err.status, err.code) == (400, "InvalidArgument")


def test_archive_bucket_default_class(endpoint, auth_version):
    from conftest import oss2_bucket

    b = oss2_bucket(endpoint, unique_bucket(f"ar{auth_version}"), auth_version)
    b.create_bucket(oss2.BUCKET_ACL_PRIVATE, oss2.models.BucketCreateConfig(oss2.BUCKET_STORAGE_CLASS_ARCHIVE))
    b.put_object("a.txt", b"content")
    assert oss_error(b.get_object, "a.txt").code == "InvalidObjectState"
    assert b.restore_object("a.txt").status == 202
    wait_restored(b, "a.txt")
    assert b.get_object("a.txt").read() == b"content"


def test_v2_restore_object(v2, v2_bucket):
    key = "v2-archive.txt"
    v2.put_object(oss.PutObjectRequest(bucket=v2_bucket, key=key, body=b"v2", storage_class="Archive"))
    result = v2.restore_object(oss.RestoreObjectRequest(bucket=v2_bucket, key=key))
    assert result.status_code == 202
    with pytest.raises(oss.exceptions.OperationError) as info:
        v2.restore_object(oss.RestoreObjectRequest(bucket=v2_bucket, key=key))
    serr = info.value.unwrap()
    assert serr.code == "RestoreAlreadyInProgress"

    cold = "v2-cold.txt"
    v2.put_object(oss.PutObjectRequest(bucket=v2_bucket, key=cold, body=b"c", storage_class="ColdArchive"))
    result = v2.restore_object(
        oss.RestoreObjectRequest(
            bucket=v2_bucket,
            key=cold,
            restore_request=oss.RestoreRequest(days=1, tier="Expedited"),
        )
    )
    assert result.status_code == 202
    assert result.restore_priority == "Expedited"

    head = v2.head_object(oss.HeadObjectRequest(bucket=v2_bucket, key=key))
    assert head.restore == 'ongoing-request="true"'
