"""Bucket lifecycle in the S3 dialect with boto3 (docs/s3.md, "Lifecycle"): the S3 forms of a rule
(Filter with Prefix, Tag or And; AbortIncompleteMultipartUpload; Expiration/Date; S3 storage
class names in Transition), a Status other than Enabled/Disabled refused as MalformedXML, and the
x-amz-expiration header on PutObject and HeadObject of an object a rule will expire (the form
s3-tests' check_lifecycle_expiration_header reads)."""

from __future__ import annotations

import datetime
import re

import oss2
import pytest
from botocore.exceptions import ClientError

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION
from s3_helpers import bucket, error_code, s3, srv, status  # noqa: F401  (fixtures)

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
    assert got[0]["Prefix"] == "tmp/"
    assert got[1]["Expiration"]["Date"].date() == datetime.date(2017, 9, 27)
    assert [(t["Days"], t["StorageClass"]) for t in got[2]["Transitions"]] == [(10, "STANDARD_IA"), (30, "GLACIER")]
    assert [(t["NoncurrentDays"], t["StorageClass"]) for t in got[2]["NoncurrentVersionTransitions"]] == [
        (5, "STANDARD_IA")
    ]


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
