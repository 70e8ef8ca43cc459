"""Bucket lifecycle in the S3 dialect with boto3 (docs/s3.md, "Lifecycle"): the S3 forms of a rule
(Filter with Prefix, Tag or And; AbortIncompleteMultipartUpload; Expiration/Date; S3 storage
class names in Transition) read back in the form they were put, as AWS returns them (s3-tests'
test_lifecycle_get compares the rules read back with the ones put), while OSS clients keep
reading OSS's form; NewerNoncurrentVersions applied; a Status other than Enabled/Disabled refused
as MalformedXML, and the x-amz-expiration header on PutObject and HeadObject of an object a rule
will expire (the form s3-tests' check_lifecycle_expiration_header reads)."""

from __future__ import annotations

import datetime
import re
import time

import oss2
import pytest
from botocore.exceptions import ClientError
from oss2.models import BucketLifecycle, LifecycleExpiration, LifecycleRule, Tagging, TaggingRule

from conftest import unique_bucket
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer
from s3_helpers import bucket, error_code, s3, s3_client, srv, status  # noqa: F401  (fixtures)
from test_lifecycle import run_lifecycle

EXPIRATION = re.compile(r'^expiry-date="([^"]+)", rule-id="([^"]+)"$')


def expiration_of(response) -> tuple[datetime.datetime, str] | None:
    """The expiry date and rule id of a response's x-amz-expiration header, if it has one."""
    value = response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-expiration")
    if value is None:
        return None
    m = EXPIRATION.match(value)
    assert m, value
    when = datetime.datetime.strptime(m.group(1), "%a, %d %b %Y %H:%M:%S GMT")
    return when, m.group(2)


def test_s3_rule_forms_are_accepted_and_returned(s3, bucket):
    rules = [
        {
            "ID": "uploads",
            "Filter": {"Prefix": "tmp/"},
            "Status": "Enabled",
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2},
        },
        {
            "ID": "dated",
            "Filter": {"Tag": {"Key": "k", "Value": "v"}},
            "Status": "Enabled",
            "Expiration": {"Date": datetime.datetime(2017, 9, 27)},
        },
        {
            "ID": "cold",
            "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}},
            "Status": "Disabled",
            "Transitions": [{"Days": 10, "StorageClass": "STANDARD_IA"}, {"Days": 30, "StorageClass": "GLACIER"}],
            "NoncurrentVersionTransitions": [{"NoncurrentDays": 5, "StorageClass": "STANDARD_IA"}],
        },
    ]
    put = s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [(r["ID"], r["Status"]) for r in got] == [("uploads", "Enabled"), ("dated", "Enabled"), ("cold", "Disabled")]
    # Each rule comes back in the form it was put: a Filter, not a top-level Prefix (AWS,
    # GetBucketLifecycleConfiguration; an earlier version of this test expected ossd's old
    # top-level Prefix here).
    assert [r["Filter"] for r in got] == [rule["Filter"] for rule in rules]
    assert not any("Prefix" in r for r in got)
    assert got[0]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 2}
    assert got[1]["Expiration"]["Date"].date() == datetime.date(2017, 9, 27)
    assert [(t["Days"], t["StorageClass"]) for t in got[2]["Transitions"]] == [(10, "STANDARD_IA"), (30, "GLACIER")]
    assert [(t["NoncurrentDays"], t["StorageClass"]) for t in got[2]["NoncurrentVersionTransitions"]] == [
        (5, "STANDARD_IA")
    ]


def test_legacy_prefix_form_is_returned_as_put(s3, bucket):
    # S3's older form (a top-level Prefix), as s3-tests' test_lifecycle_get puts and compares it.
    rules = [
        {"ID": "a", "Expiration": {"Days": 31}, "Prefix": "test1/", "Status": "Enabled"},
        {"ID": "b", "Expiration": {"ExpiredObjectDeleteMarker": True}, "Prefix": "", "Status": "Disabled"},
        {
            "ID": "c",
            "Prefix": "old/",
            "Status": "Enabled",
            "NoncurrentVersionExpiration": {"NoncurrentDays": 3},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        },
    ]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == rules


def test_filter_forms_are_returned_as_put(s3, bucket):
    rules = [
        {"ID": "tag", "Filter": {"Tag": {"Key": "k", "Value": "v"}}, "Status": "Enabled", "Expiration": {"Days": 5}},
        {
            "ID": "and-tags",
            "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}]}},
            "Status": "Enabled",
            "Expiration": {"Days": 6},
        },
        {
            "ID": "and-sizes",
            "Filter": {"And": {"Prefix": "big/", "ObjectSizeGreaterThan": 1024, "ObjectSizeLessThan": 4096}},
            "Status": "Enabled",
            "Expiration": {"Days": 7},
        },
        {"ID": "size", "Filter": {"ObjectSizeGreaterThan": 500}, "Status": "Enabled", "Expiration": {"Days": 8}},
        {"ID": "empty-prefix", "Filter": {"Prefix": ""}, "Status": "Enabled", "Expiration": {"Days": 9}},
        {"ID": "empty", "Filter": {}, "Status": "Enabled", "Expiration": {"ExpiredObjectDeleteMarker": True}},
        {
            "ID": "classes",
            "Filter": {"Prefix": "cold/"},
            "Status": "Enabled",
            "Transitions": [
                {"Days": 10, "StorageClass": "GLACIER_IR"},
                {"Days": 20, "StorageClass": "GLACIER"},
                {"Days": 30, "StorageClass": "DEEP_ARCHIVE"},
            ],
            "NoncurrentVersionTransitions": [{"NoncurrentDays": 4, "StorageClass": "STANDARD_IA"}],
            "NoncurrentVersionExpiration": {"NoncurrentDays": 40, "NewerNoncurrentVersions": 3},
        },
    ]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == rules


def test_oss_and_s3_clients_each_read_their_own_form(srv, s3, bucket):
    rules = [
        {
            "ID": "s3",
            "Filter": {"And": {"Prefix": "p/", "Tags": [{"Key": "k", "Value": "v"}]}},
            "Status": "Enabled",
            "Transitions": [{"Days": 10, "StorageClass": "GLACIER_IR"}],
            "Expiration": {"Days": 20},
        }
    ]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    oss = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, bucket, region=REGION)
    got = oss.get_bucket_lifecycle().rules
    # OSS's form: the prefix and tags in the rule, OSS's storage class names.
    assert [(r.id, r.prefix, r.tagging.tag_set.tagging_rule) for r in got] == [("s3", "p/", {"k": "v"})]
    assert [(t.days, t.storage_class) for t in got[0].storage_transitions] == [(10, "IA")]

    # A rule put through OSS with a prefix and a tag reads as a Filter/And through S3 (the
    # older S3 form can name a prefix only).
    tags = TaggingRule()
    tags.add("t", "1")
    rule = LifecycleRule("oss", "logs/", expiration=LifecycleExpiration(days=3), tagging=Tagging(tags))
    oss.put_bucket_lifecycle(BucketLifecycle([rule, LifecycleRule("plain", "tmp/", expiration=LifecycleExpiration(days=2))]))
    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert got == [
        {
            "ID": "oss",
            "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "t", "Value": "1"}]}},
            "Status": "Enabled",
            "Expiration": {"Days": 3},
        },
        {"ID": "plain", "Prefix": "tmp/", "Status": "Enabled", "Expiration": {"Days": 2}},
    ]


def test_newer_noncurrent_versions_are_kept():
    srv = OssdServer(
        extra_args=["--s3-addr", "127.0.0.1:0", "--lifecycle-day-seconds", "1", "--lifecycle-interval", "3600"]
    ).start()
    try:
        s3 = s3_client(srv.endpoint)
        name = unique_bucket("s3lcnv")
        s3.create_bucket(Bucket=name)
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        for i in range(6):
            s3.put_object(Bucket=name, Key="k", Body=b"v%d" % i)
        s3.put_object(Bucket=name, Key="other", Body=b"x")
        s3.put_object(Bucket=name, Key="other", Body=b"y")
        rule = {
            "ID": "keep2",
            "Filter": {"Prefix": "k"},
            "Status": "Enabled",
            "NoncurrentVersionTransitions": [
                {"NoncurrentDays": 1, "StorageClass": "STANDARD_IA", "NewerNoncurrentVersions": 1}
            ],
            "NoncurrentVersionExpiration": {"NoncurrentDays": 2, "NewerNoncurrentVersions": 2},
        }
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [rule]})
        assert s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"] == [rule]
        time.sleep(2.2)
        report = run_lifecycle(srv, name)
        assert report["noncurrent_expired"] == 3
        versions = s3.list_object_versions(Bucket=name, Prefix="k")["Versions"]
        bodies = [s3.get_object(Bucket=name, Key="k", VersionId=v["VersionId"])["Body"].read() for v in versions]
        # The current version and the two newest noncurrent ones stay; of these, only the
        # older noncurrent one moves (the transition spares the newest).
        assert bodies == [b"v5", b"v4", b"v3"]
        assert [v["StorageClass"] for v in versions] == ["STANDARD", "STANDARD", "STANDARD_IA"]
        assert len(s3.list_object_versions(Bucket=name, Prefix="other")["Versions"]) == 2
        # NewerNoncurrentVersions is 1 to 100 (AWS).
        for bad in (0, 101):
            rule["NoncurrentVersionExpiration"]["NewerNoncurrentVersions"] = bad
            with pytest.raises(ClientError) as e:
                s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": [rule]})
            assert (status(e.value), error_code(e.value)) == (400, "InvalidArgument")
    finally:
        srv.stop()
        srv.cleanup()


@pytest.mark.parametrize("value", ["enabled", "disabled", "invalid"])
def test_status_must_be_enabled_or_disabled(s3, bucket, value):
    rules = [{"ID": "r", "Prefix": "p/", "Status": value, "Expiration": {"Days": 2}}]
    with pytest.raises(ClientError) as e:
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    assert (status(e.value), error_code(e.value)) == (400, "MalformedXML")


def test_transition_constraints_are_refused(s3, bucket):
    # Expiration must come after every transition.
    rules = [
        {
            "ID": "r",
            "Prefix": "p/",
            "Status": "Enabled",
            "Expiration": {"Days": 5},
            "Transitions": [{"Days": 10, "StorageClass": "STANDARD_IA"}],
        }
    ]
    with pytest.raises(ClientError) as e:
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    assert (status(e.value), error_code(e.value)) == (400, "InvalidArgument")


def test_expiration_header_on_put_and_head(srv, s3, bucket):
    rules = [
        {"ID": "short", "Prefix": "days1/", "Status": "Enabled", "Expiration": {"Days": 1}},
        {"ID": "tagged", "Filter": {"Tag": {"Key": "t", "Value": "1"}}, "Status": "Enabled", "Expiration": {"Days": 3}},
        {"ID": "off", "Prefix": "", "Status": "Disabled", "Expiration": {"Days": 1}},
    ]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    start = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    put = s3.put_object(Bucket=bucket, Key="days1/foo", Body=b"bar")
    when, rule = expiration_of(put)
    # One day after the upload, rounded up to the next midnight UTC.
    assert rule == "short" and (when - start).days == 1
    assert (when.hour, when.minute, when.second) == (0, 0, 0)
    assert expiration_of(s3.head_object(Bucket=bucket, Key="days1/foo")) == (when, rule)

    # No rule selects it: no header; once tagged, the tag rule's date.
    assert expiration_of(s3.put_object(Bucket=bucket, Key="other", Body=b"x")) is None
    assert expiration_of(s3.head_object(Bucket=bucket, Key="other")) is None
    s3.put_object_tagging(Bucket=bucket, Key="other", Tagging={"TagSet": [{"Key": "t", "Value": "1"}]})
    when, rule = expiration_of(s3.head_object(Bucket=bucket, Key="other"))
    assert rule == "tagged" and (when - start).days == 3

    # The OSS dialect documents no such header.
    oss = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, bucket, region=REGION)
    head = oss.head_object("days1/foo")
    assert "x-oss-expiration" not in head.headers and "x-amz-expiration" not in head.headers
