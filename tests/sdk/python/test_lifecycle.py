"""Bucket lifecycle end to end: oss2 put/get/delete_bucket_lifecycle, then `ossd admin lifecycle
run` on a server where one lifecycle day is one second (--lifecycle-day-seconds 1; the background
worker is kept out of the way with --lifecycle-interval 3600). Expired versions, noncurrent
versions, the lone delete marker and the stale multipart upload disappear from the SDK's view and
their data files from <data-dir>/blobs/objects/. Storage class transitions are followed with real
days on a `--dev` server whose clock is moved (docs/emulator.md, "Clock control"); an object moved
to Archive must then be restored before it is read."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import time
from pathlib import Path

import oss2
import pytest
from oss2.models import (
    AbortMultipartUpload,
    BucketLifecycle,
    BucketVersioningConfig,
    LifecycleExpiration,
    LifecycleRule,
    NoncurrentVersionExpiration,
    StorageTransition,
    Tagging,
    TaggingRule,
)

from conftest import unique_bucket
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, OSSD_BIN, REGION, OssdServer

# Larger than the inline threshold (4 KiB), so every version has a data file.
DATA = b"x" * 10_000


@pytest.fixture(scope="module")
def server():
    srv = OssdServer(extra_args=["--lifecycle-day-seconds", "1", "--lifecycle-interval", "3600"]).start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture
def bucket(server):
    b = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), server.endpoint, unique_bucket("lc"), region=REGION)
    b.create_bucket()
    return b


def admin(server: OssdServer, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Runs `ossd admin --endpoint … --data-dir … <args>` (root credentials from identity.json)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OSSD_")}
    clean.update(env or {})
    cmd = [str(OSSD_BIN), "admin", "--endpoint", server.endpoint, "--data-dir", str(server.data_dir), *args]
    return subprocess.run(cmd, env=clean, capture_output=True, text=True, timeout=60)


def run_lifecycle(server: OssdServer, bucket: str) -> dict:
    done = admin(server, "lifecycle", "run", "--bucket", bucket, "--json")
    assert done.returncode == 0, done.stderr
    reports = json.loads(done.stdout)["reports"]
    assert [r["bucket"] for r in reports] == [bucket]
    return reports[0]


def data_files(server: OssdServer) -> set[Path]:
    return {p for p in (server.data_dir / "blobs" / "objects").rglob("*") if p.is_file()}


def counts(report: dict) -> tuple:
    return (report["expired"], report["noncurrent_expired"], report["markers_removed"], report["uploads_aborted"])


def test_configuration_round_trip(bucket):
    with pytest.raises(oss2.exceptions.NoSuchLifecycle):
        bucket.get_bucket_lifecycle()
    rules = [
        LifecycleRule(
            "by-date",
            "tmp/",
            status=LifecycleRule.DISABLED,
            expiration=LifecycleExpiration(created_before_date=datetime.date(2025, 1, 1)),
        ),
        LifecycleRule("uploads", "", abort_multipart_upload=AbortMultipartUpload(days=7)),
    ]
    bucket.put_bucket_lifecycle(BucketLifecycle(rules))
    got = bucket.get_bucket_lifecycle().rules
    assert [(r.id, r.prefix, r.status) for r in got] == [("by-date", "tmp/", "Disabled"), ("uploads", "", "Enabled")]
    assert got[0].expiration.created_before_date == datetime.date(2025, 1, 1)
    assert got[1].abort_multipart_upload.days == 7
    bad = LifecycleRule("zero", "", expiration=LifecycleExpiration(days=0))
    with pytest.raises(oss2.exceptions.ServerError) as e:
        bucket.put_bucket_lifecycle(BucketLifecycle([bad]))
    assert (e.value.status, e.value.code) == (400, "InvalidArgument")
    assert bucket.delete_bucket_lifecycle().status == 204
    with pytest.raises(oss2.exceptions.NoSuchLifecycle):
        bucket.get_bucket_lifecycle()


def test_rules_remove_versions_markers_and_uploads(server, bucket):
    bucket.put_bucket_versioning(BucketVersioningConfig("Enabled"))
    before = data_files(server)
    bucket.put_object("logs/a", DATA)  # becomes noncurrent at once
    bucket.put_object("logs/a", DATA)  # current: expires, then goes as noncurrent
    bucket.put_object("keep/x", DATA)  # outside the rules' prefix
    upload_id = bucket.init_multipart_upload("logs/big").upload_id
    bucket.upload_part("logs/big", upload_id, 1, DATA)
    added = data_files(server) - before
    assert len(added) == 4
    rules = [
        LifecycleRule(
            "logs",
            "logs/",
            expiration=LifecycleExpiration(days=1),
            noncurrent_version_expiration=NoncurrentVersionExpiration(1),
            abort_multipart_upload=AbortMultipartUpload(days=1),
        ),
        # Overlapping prefix: remove the delete markers the first rule leaves behind.
        LifecycleRule("markers", "logs/", expiration=LifecycleExpiration(expired_detete_marker=True)),
    ]
    bucket.put_bucket_lifecycle(BucketLifecycle(rules))
    time.sleep(2.2)

    first = run_lifecycle(server, bucket.bucket_name)
    assert counts(first) == (1, 1, 0, 1)
    assert first["bytes_reclaimed"] == 2 * len(DATA)
    assert not list(oss2.MultipartUploadIterator(bucket))
    listed = bucket.list_object_versions(prefix="logs/")
    assert [(m.key, m.is_latest) for m in listed.delete_marker] == [("logs/a", True)]
    assert [(v.key, v.is_latest) for v in listed.versions] == [("logs/a", False)]

    # The marker's predecessor is noncurrent for a "day" now: it goes, then the lone marker.
    time.sleep(1.2)
    second = run_lifecycle(server, bucket.bucket_name)
    assert counts(second) == (0, 1, 1, 0)
    listed = bucket.list_object_versions(prefix="logs/")
    assert listed.versions == [] and listed.delete_marker == []
    assert bucket.get_object("keep/x").read() == DATA
    remaining = data_files(server) & added
    assert len(remaining) == 1, "only keep/x's data file is left"


def test_admin_endpoint_requires_valid_root_credentials(server, bucket):
    wrong = admin(
        server,
        "lifecycle",
        "run",
        env={"OSSD_ACCESS_KEY_ID": ACCESS_KEY_ID, "OSSD_ACCESS_KEY_SECRET": "not-the-secret"},
    )
    assert wrong.returncode == 1
    assert "SignatureDoesNotMatch" in wrong.stderr
    missing = admin(server, "lifecycle", "run", "--bucket", "no-such-bucket-lc")
    assert missing.returncode == 1
    assert "NoSuchBucket" in missing.stderr


def test_v2_sdk_filter_and_tags(server):
    import alibabacloud_oss_v2 as oss

    from conftest import v2_client

    client = v2_client(server.endpoint, "v4")
    name = unique_bucket("lcv2")
    client.put_bucket(oss.PutBucketRequest(bucket=name))
    rule = oss.LifecycleRule(
        id="tagged",
        prefix="a/",
        status="Enabled",
        tags=[oss.Tag(key="k", value="v")],
        filter=oss.LifecycleRuleFilter(
            object_size_greater_than=100,
            nots=[oss.LifecycleRuleNot(prefix="a/keep/", tag=oss.Tag(key="x", value="y"))],
        ),
        expiration=oss.LifecycleRuleExpiration(days=30),
        noncurrent_version_expiration=oss.NoncurrentVersionExpiration(noncurrent_days=10),
    )
    config = oss.LifecycleConfiguration(rules=[rule])
    client.put_bucket_lifecycle(oss.PutBucketLifecycleRequest(bucket=name, lifecycle_configuration=config))
    got = client.get_bucket_lifecycle(oss.GetBucketLifecycleRequest(bucket=name)).lifecycle_configuration.rules
    assert len(got) == 1
    r = got[0]
    assert (r.id, r.prefix, r.status, r.expiration.days) == ("tagged", "a/", "Enabled", 30)
    assert [(t.key, t.value) for t in r.tags] == [("k", "v")]
    assert r.filter.object_size_greater_than == 100
    assert [(n.prefix, n.tag.key, n.tag.value) for n in r.filter.nots] == [("a/keep/", "x", "y")]
    assert r.noncurrent_version_expiration.noncurrent_days == 10
    def transition_rule(access_time: bool) -> oss.LifecycleConfiguration:
        t = oss.LifecycleRuleTransition(days=30, storage_class="IA", is_access_time=access_time)
        return oss.LifecycleConfiguration(rules=[oss.LifecycleRule(id="t", prefix="", status="Enabled", transitions=[t])])

    client.put_bucket_lifecycle(oss.PutBucketLifecycleRequest(bucket=name, lifecycle_configuration=transition_rule(False)))
    got = client.get_bucket_lifecycle(oss.GetBucketLifecycleRequest(bucket=name)).lifecycle_configuration.rules
    t = got[0].transitions[0]
    assert (t.days, t.storage_class, t.is_access_time) == (30, "IA", False)
    # Transitions by last access time need access tracking, which ossd does not have.
    with pytest.raises(oss.exceptions.OperationError) as e:
        client.put_bucket_lifecycle(oss.PutBucketLifecycleRequest(bucket=name, lifecycle_configuration=transition_rule(True)))
    assert "InvalidArgument" in str(e.value)
    client.delete_bucket_lifecycle(oss.DeleteBucketLifecycleRequest(bucket=name))


def test_background_worker_applies_rules():
    """With --lifecycle-interval 1 the rules apply without any admin call."""
    srv = OssdServer(extra_args=["--lifecycle-day-seconds", "1", "--lifecycle-interval", "1"]).start()
    try:
        b = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, unique_bucket("lcw"), region=REGION)
        b.create_bucket()
        b.put_object("tmp/a", DATA)
        b.put_object("keep/b", DATA)
        rule = LifecycleRule("tmp", "tmp/", expiration=LifecycleExpiration(days=1))
        b.put_bucket_lifecycle(BucketLifecycle([rule]))
        deadline = time.monotonic() + 10
        while b.object_exists("tmp/a") and time.monotonic() < deadline:
            time.sleep(0.25)
        assert not b.object_exists("tmp/a")
        assert b.object_exists("keep/b")
        assert "lifecycle rules applied" in srv.tail(200)
    finally:
        srv.stop()
        srv.cleanup()


def test_overlap_check_expiration_date_and_rule_tags(server, bucket):
    on_date = LifecycleExpiration(date=datetime.date(2016, 12, 25))
    rules = [LifecycleRule("a", "p/", expiration=on_date), LifecycleRule("b", "p/2", expiration=on_date)]
    # Overlapping prefixes with the same action: refused unless the request allows it.
    with pytest.raises(oss2.exceptions.InvalidArgument) as e:
        bucket.put_bucket_lifecycle(BucketLifecycle(rules))
    assert e.value.message == "Overlap for same action type Expiration"
    bucket.put_bucket_lifecycle(BucketLifecycle(rules), headers={"x-oss-allow-same-action-overlap": "true"})
    assert [r.expiration.date for r in bucket.get_bucket_lifecycle().rules] == [datetime.date(2016, 12, 25)] * 2
    # A Date in the past: matching objects expire at the next run, whatever their age.
    bucket.put_object("p/2x", DATA)
    bucket.put_object("q/x", DATA)
    report = run_lifecycle(server, bucket.bucket_name)
    assert counts(report) == (1, 0, 0, 0)
    assert not bucket.object_exists("p/2x") and bucket.object_exists("q/x")

    # Rule tags: checked for their characters (OSS's object tag rule), not their length.
    def tagged(key: str, value: str) -> BucketLifecycle:
        rule_tags = TaggingRule()
        rule_tags.tagging_rule[key] = value  # past TaggingRule.add's own length check
        rule = LifecycleRule("t", "t/", expiration=LifecycleExpiration(days=3), tagging=Tagging(rule_tags))
        return BucketLifecycle([rule])

    bucket.put_bucket_lifecycle(tagged("a" * 129, "v"))
    for key, value in [("%&", "v"), ("k", ")%")]:
        with pytest.raises(oss2.exceptions.ServerError) as e:
            bucket.put_bucket_lifecycle(tagged(key, value))
        assert (e.value.status, e.value.code) == (400, "InvalidTag")


# The `--dev` root key (docs/emulator.md).
DEV_ROOT = ("LTAI5tDevRootAccessKey01", "DevRootSecretNotForProduction0")


def test_transitions_follow_the_emulator_clock():
    srv = OssdServer(extra_args=["--dev", "--no-default-bucket", "--lifecycle-interval", "3600"]).start()
    try:
        b = oss2.Bucket(oss2.Auth(*DEV_ROOT), srv.endpoint, unique_bucket("lct"), region=REGION)
        b.create_bucket()
        b.put_object("cold/a", DATA)
        b.put_object("warm/b", DATA)
        transitions = [
            StorageTransition(days=1, storage_class=oss2.BUCKET_STORAGE_CLASS_IA),
            StorageTransition(days=3, storage_class=oss2.BUCKET_STORAGE_CLASS_ARCHIVE),
        ]
        rule = LifecycleRule("cold", "cold/", expiration=LifecycleExpiration(days=30), storage_transitions=transitions)
        b.put_bucket_lifecycle(BucketLifecycle([rule]))
        got = b.get_bucket_lifecycle().rules[0].storage_transitions
        assert [(t.days, t.storage_class) for t in got] == [(1, "IA"), (3, "Archive")]

        def advance_and_run(by: str) -> dict:
            moved = admin(srv, "clock", "--advance", by)
            assert moved.returncode == 0, moved.stderr
            return run_lifecycle(srv, b.bucket_name)

        def storage_class(key: str) -> str:
            return b.head_object(key).headers["x-oss-storage-class"]

        assert run_lifecycle(srv, b.bucket_name)["transitioned"] == 0
        # Two days later: IA, still readable.
        assert advance_and_run("49h")["transitioned"] == 1
        assert (storage_class("cold/a"), storage_class("warm/b")) == ("IA", "Standard")
        assert b.get_object("cold/a").read() == DATA
        # Four days: Archive, which must be restored before it is read, as an upload to Archive.
        assert advance_and_run("48h")["transitioned"] == 1
        assert storage_class("cold/a") == "Archive"
        listed = {o.key: o.storage_class for o in oss2.ObjectIterator(b)}
        assert listed == {"cold/a": "Archive", "warm/b": "Standard"}
        with pytest.raises(oss2.exceptions.ServerError) as e:
            b.get_object("cold/a")
        assert (e.value.status, e.value.code) == (403, "InvalidObjectState")
        b.restore_object("cold/a")
        assert admin(srv, "clock", "--advance", "1m").returncode == 0
        assert b.get_object("cold/a").read() == DATA
        # Nothing colder is due: the next run changes nothing.
        assert run_lifecycle(srv, b.bucket_name)["transitioned"] == 0
    finally:
        srv.stop()
        srv.cleanup()
