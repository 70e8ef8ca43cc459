"""Clients of the S3 dialect for the S3 end-to-end tests: boto3 against an ossd started with
`--s3-addr` (docs/s3.md)."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config

from conftest import unique_bucket
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer


def start_s3_server() -> OssdServer:
    """An ossd with an S3 listener; signed S3 requests go to either address."""
    return OssdServer(extra_args=["--s3-addr", "127.0.0.1:0"]).start()


def s3_client(
    endpoint: str,
    key_id: str = ACCESS_KEY_ID,
    secret: str = ACCESS_KEY_SECRET,
    token: str | None = None,
    region: str = REGION,
    signature_version: str = "s3v4",
    addressing_style: str = "path",
    **config,
):
    """A boto3 S3 client (path-style by default, as for a server on an IP address)."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        aws_session_token=token,
        region_name=region,
        config=Config(
            signature_version=signature_version,
            s3={"addressing_style": addressing_style},
            retries={"max_attempts": 1, "mode": "standard"},
            **config,
        ),
    )


def allow_acls_and_public_access(s3, bucket: str) -> None:
    """Removes what a new bucket gets (docs/s3.md#new-bucket-defaults): Block Public Access
    (DeletePublicAccessBlock) and Object Ownership `BucketOwnerEnforced`
    (DeleteBucketOwnershipControls, which enables ACLs again) — what a client must do on AWS since
    April 2023 before it sets ACLs or a public policy (S3 API reference, CreateBucket), and the
    state ceph/s3-tests' ACL and public-access tests start from."""
    s3.delete_public_access_block(Bucket=bucket)
    s3.delete_bucket_ownership_controls(Bucket=bucket)


def error_code(exc) -> str:
    """The S3 `Code` of a botocore ClientError."""
    return exc.response["Error"]["Code"]


def status(exc) -> int:
    """The HTTP status of a botocore ClientError."""
    return exc.response["ResponseMetadata"]["HTTPStatusCode"]


# Fixtures shared by the S3 test modules; a module uses them with
# `from s3_helpers import bucket, s3, srv` (one server per module).


@pytest.fixture(scope="module")
def srv():
    """An ossd with an S3 listener, for the module."""
    server = start_s3_server()
    yield server
    server.stop()
    server.cleanup()


@pytest.fixture(scope="module")
def s3(srv):
    """A boto3 client of `srv` as the account root."""
    return s3_client(srv.endpoint)


@pytest.fixture
def bucket(s3):
    """A fresh bucket, named after the test module."""
    name = unique_bucket("s3")
    s3.create_bucket(Bucket=name)
    return name
