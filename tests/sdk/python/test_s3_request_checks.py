"""S3 request checks with boto3 (docs/s3.md, docs/protocol/s3-signatures.md#time-checks): the
request date of SigV4 and SigV2 header signatures, grants that name no account, and an SSE-C key
beside another encryption or alone (SSE-C is not implemented). Each answer is the one S3 gives (ceph/s3-tests run against AWS)."""

from __future__ import annotations

from email.utils import formatdate

import pytest
from botocore.exceptions import ClientError

from s3_helpers import allow_acls_and_public_access, bucket, error_code, s3, s3_client, srv, status  # noqa: F401 (fixtures)


def with_headers(client, operation: str, headers: dict[str, str]):
    """`client` sending `headers` on every `operation` call (set before botocore signs)."""
    client.meta.events.register(
        f"before-call.s3.{operation}",
        lambda **kw: kw["params"]["headers"].update(headers),
    )
    return client


def test_v4_signed_with_a_date_header(srv, bucket):
    # botocore signs with a caller's `Date` (written `... -0000`) instead of X-Amz-Date.
    for headers in (
        {"Date": formatdate(usegmt=True)},
        {"Date": formatdate(usegmt=True), "X-Amz-Date": formatdate(usegmt=True)},
        {"Date": "", "X-Amz-Date": formatdate(usegmt=True)},
    ):
        client = with_headers(s3_client(srv.endpoint), "PutObject", headers)
        client.put_object(Bucket=bucket, Key="dated", Body=b"bar")
        sent = client.head_object(Bucket=bucket, Key="dated")
        assert sent["ContentLength"] == 3


@pytest.mark.parametrize(
    "amz_date, code",
    [
        ("", "AccessDenied"),
        ("Bad Date", "AccessDenied"),
        ("Tue, 07 Jul 1950 21:53:04 GMT", "AccessDenied"),
        ("Tue, 07 Jul 2010 21:53:04 GMT", "RequestTimeTooSkewed"),
        ("Tue, 07 Jul 9999 21:53:04 GMT", "RequestTimeTooSkewed"),
    ],
)
def test_v2_x_amz_date_checks(srv, bucket, amz_date, code):
    client = with_headers(
        s3_client(srv.endpoint, signature_version="s3"), "PutObject", {"x-amz-date": amz_date}
    )
    with pytest.raises(ClientError) as e:
        client.put_object(Bucket=bucket, Key="v2", Body=b"bar")
    assert (status(e.value), error_code(e.value)) == (403, code)
    if code == "AccessDenied":
        assert e.value.response["Error"]["Message"] == (
            "AWS authentication requires a valid Date or x-amz-date header"
        )
    with pytest.raises(ClientError):
        s3_client(srv.endpoint).head_object(Bucket=bucket, Key="v2")


def test_v2_valid_x_amz_date_reaches_the_signature_check(srv, bucket):
    # A valid x-amz-date passes the time check. S3 then signs an empty Date line (the header is
    # ignored when x-amz-date is sent), where botocore's V2 signer writes its own Date: so the
    # signature, not the date, is what fails.
    client = with_headers(
        s3_client(srv.endpoint, signature_version="s3"),
        "PutObject",
        {"x-amz-date": formatdate(usegmt=True)},
    )
    with pytest.raises(ClientError) as e:
        client.put_object(Bucket=bucket, Key="v2ok", Body=b"bar")
    assert (status(e.value), error_code(e.value)) == (403, "SignatureDoesNotMatch")


def acl_with(s3, bucket, grant):
    """The bucket's ACL document with `grant` added."""
    acl = s3.get_bucket_acl(Bucket=bucket)
    return {"Owner": acl["Owner"], "Grants": acl["Grants"] + [grant]}


def test_grant_to_an_unknown_id_is_refused(s3, bucket):
    allow_acls_and_public_access(s3, bucket)
    grant = {"Grantee": {"ID": "_foo", "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}
    with pytest.raises(ClientError) as e:
        s3.put_bucket_acl(Bucket=bucket, AccessControlPolicy=acl_with(s3, bucket, grant))
    assert (status(e.value), error_code(e.value)) == (400, "InvalidArgument")
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.put_object_acl(
            Bucket=bucket, Key="k", AccessControlPolicy=acl_with(s3, bucket, grant)
        )
    assert (status(e.value), error_code(e.value)) == (400, "InvalidArgument")


def test_grant_to_an_email_address_is_refused(s3, bucket):
    allow_acls_and_public_access(s3, bucket)
    grant = {
        "Grantee": {"EmailAddress": "nobody@example.invalid", "Type": "AmazonCustomerByEmail"},
        "Permission": "READ",
    }
    with pytest.raises(ClientError) as e:
        s3.put_bucket_acl(Bucket=bucket, AccessControlPolicy=acl_with(s3, bucket, grant))
    assert (status(e.value), error_code(e.value)) == (400, "UnresolvableGrantByEmailAddress")


def test_grant_headers_that_name_no_account_are_refused(s3, bucket):
    allow_acls_and_public_access(s3, bucket)
    owner = s3.get_bucket_acl(Bucket=bucket)["Owner"]["ID"]
    for grant, code in (
        ('id="_foo"', "InvalidArgument"),
        (f'id="{owner}", emailAddress="nobody@example.invalid"', "UnresolvableGrantByEmailAddress"),
    ):
        with pytest.raises(ClientError) as e:
            s3.put_object(Bucket=bucket, Key="granted", Body=b"x", GrantRead=grant)
        assert (status(e.value), error_code(e.value)) == (400, code)
        with pytest.raises(ClientError) as e:
            s3.put_bucket_acl(Bucket=bucket, GrantFullControl=grant)
        assert (status(e.value), error_code(e.value)) == (400, code)
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="granted")
    assert status(e.value) == 404
    # The owner and the AllUsers group may be named.
    s3.put_object(
        Bucket=bucket, Key="granted", Body=b"x", GrantFullControl=f'id="{owner}"',
        GrantRead='uri="http://acs.amazonaws.com/groups/global/AllUsers"',
    )
    grants = s3.get_object_acl(Bucket=bucket, Key="granted")["Grants"]
    assert {g["Permission"] for g in grants} == {"READ", "FULL_CONTROL"}


def test_grants_to_the_owner_and_all_users_apply(s3, bucket):
    allow_acls_and_public_access(s3, bucket)
    owner = s3.get_bucket_acl(Bucket=bucket)["Owner"]
    grant = {
        "Grantee": {"ID": owner["ID"], "Type": "CanonicalUser"},
        "Permission": "FULL_CONTROL",
    }
    public = {
        "Grantee": {"URI": "http://acs.amazonaws.com/groups/global/AllUsers", "Type": "Group"},
        "Permission": "READ",
    }
    s3.put_bucket_acl(
        Bucket=bucket, AccessControlPolicy={"Owner": owner, "Grants": [grant, public]}
    )
    grants = s3.get_bucket_acl(Bucket=bucket)["Grants"]
    assert {g["Permission"] for g in grants} == {"READ", "FULL_CONTROL"}


def test_sse_c_beside_another_encryption_is_refused(srv, s3, bucket):
    sse_c = {
        "x-amz-server-side-encryption": "AES256",
        "x-amz-server-side-encryption-customer-algorithm": "AES256",
        "x-amz-server-side-encryption-customer-key": "pO3upElrwuEXSoFwCfnZPdSsmt/xWeFa0N9KgDijwVs=",
        "x-amz-server-side-encryption-customer-key-md5": "DWygnHRtgiJ77HCm+1rvHw==",
    }
    client = with_headers(s3_client(srv.endpoint), "PutObject", sse_c)
    with pytest.raises(ClientError) as e:
        client.put_object(Bucket=bucket, Key="enc", Body=b"x")
    assert (status(e.value), error_code(e.value)) == (400, "InvalidArgument")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="enc")
    assert status(e.value) == 404


def test_sse_c_is_not_implemented(s3, bucket):
    # ossd has no SSE-C: a request with a customer key is 501, never served as if it were used.
    key = b"k" * 32
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="ssec", Body=b"x", SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    assert (status(e.value), error_code(e.value)) == (501, "NotImplemented")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="ssec")
    assert status(e.value) == 404
    s3.put_object(Bucket=bucket, Key="plain", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="plain", SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    assert (status(e.value), error_code(e.value)) == (501, "NotImplemented")
    with pytest.raises(ClientError) as e:
        s3.copy_object(
            Bucket=bucket,
            Key="copy",
            CopySource={"Bucket": bucket, "Key": "plain"},
            CopySourceSSECustomerAlgorithm="AES256",
            CopySourceSSECustomerKey=key,
        )
    assert (status(e.value), error_code(e.value)) == (501, "NotImplemented")
