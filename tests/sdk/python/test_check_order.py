"""Which error wins when several apply (docs/security.md, "Order of checks"): a missing bucket is
404 NoSuchBucket before the credentials or the signature are looked at (except for PutBucket),
as the alibabacloud-oss-v2 integration suite expects of OSS."""

from __future__ import annotations

import alibabacloud_oss_v2 as oss
import pytest
import requests

from conftest import oss2_bucket, unique_bucket, v2_client
from raw_helpers import signed_request, xml_value


@pytest.fixture(scope="module")
def existing(endpoint):
    b = oss2_bucket(endpoint, unique_bucket("order"), "v4")
    b.create_bucket()
    b.put_object("k", b"v")
    return b.bucket_name


def service_error(fn) -> oss.exceptions.ServiceError:
    with pytest.raises(oss.exceptions.OperationError) as e:
        fn()
    err = e.value.unwrap()
    assert isinstance(err, oss.exceptions.ServiceError), err
    assert len(err.request_id) == 24
    return err


@pytest.mark.parametrize("signer", ["v4", "v1"])
def test_unknown_key_on_missing_bucket_is_no_such_bucket(endpoint, existing, signer):
    invalid = v2_client(endpoint, signer, key_id="LTAI5tDoesNotExist01", secret="not-the-secret")
    missing = unique_bucket("missing")
    err = service_error(lambda: invalid.get_bucket_acl(oss.GetBucketAclRequest(bucket=missing)))
    assert (err.status_code, err.code) == (404, "NoSuchBucket")
    err = service_error(lambda: invalid.get_object(oss.GetObjectRequest(bucket=missing, key="k")))
    assert (err.status_code, err.code) == (404, "NoSuchBucket")
    # creating a bucket needs valid credentials first
    err = service_error(lambda: invalid.put_bucket(oss.PutBucketRequest(bucket=missing)))
    assert (err.status_code, err.code) == (403, "InvalidAccessKeyId")
    # an existing bucket: the credentials are checked
    err = service_error(lambda: invalid.get_bucket_acl(oss.GetBucketAclRequest(bucket=existing)))
    assert (err.status_code, err.code) == (403, "InvalidAccessKeyId")


def test_bad_signature_and_anonymous_on_missing_bucket(endpoint, existing):
    missing = unique_bucket("missing")
    r = signed_request(endpoint, "GET", f"/{missing}/k", secret="wrong-secret")
    assert (r.status_code, xml_value(r.text, "Code")) == (404, "NoSuchBucket")
    assert xml_value(r.text, "BucketName") == missing
    r = requests.get(f"{endpoint}/{missing}/k", timeout=30)
    assert (r.status_code, xml_value(r.text, "Code")) == (404, "NoSuchBucket")
    r = signed_request(endpoint, "GET", f"/{existing}/k", secret="wrong-secret")
    assert (r.status_code, xml_value(r.text, "Code")) == (403, "SignatureDoesNotMatch")
    r = requests.get(f"{endpoint}/{existing}/k", timeout=30)
    assert (r.status_code, xml_value(r.text, "Code")) == (403, "AccessDenied")
