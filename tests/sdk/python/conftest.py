"""Fixtures for the Python SDK end-to-end tests: one ossd per test session, clients for oss2
(Auth V1, AuthV2, AuthV4) and alibabacloud-oss-v2 (V4 and V1 signers)."""

from __future__ import annotations

import base64
import hashlib
import itertools
import os
import signal
import sys
import uuid

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import oss2  # noqa: E402
import alibabacloud_oss_v2 as oss  # noqa: E402

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer  # noqa: E402
import secret_log  # noqa: E402

# Every secret handed to an SDK is recorded for the suite-wide log scan (tests/logscan/scan.py).
secret_log.install()


def _stop_on_sigterm(signum, frame):
    """SIGTERM (`timeout` in scripts/test) ends the session like Ctrl-C: fixtures tear down and
    the harness's atexit handlers stop the servers and remove their temporary data directories,
    which the default SIGTERM action (exit at once) would leave behind."""
    raise KeyboardInterrupt(f"signal {signum}")


signal.signal(signal.SIGTERM, _stop_on_sigterm)

_counter = itertools.count(1)


def unique_bucket(prefix: str = "b") -> str:
    return f"{prefix}-{next(_counter)}-{uuid.uuid4().hex[:8]}"[:63]


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def etag_of(data: bytes) -> str:
    return '"' + hashlib.md5(data).hexdigest().upper() + '"'


def etag_inner(data: bytes) -> str:
    return hashlib.md5(data).hexdigest().upper()


import crcmod  # noqa: E402

# CRC-64/XZ as sent in x-oss-hash-crc64ecma (docs/protocol/objects.md#crc-64), computed with crcmod directly.
_crc64_fun = crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, xorOut=0xFFFFFFFFFFFFFFFF, rev=True)


def crc64(data: bytes) -> int:
    return _crc64_fun(data)


@pytest.fixture(scope="session")
def server():
    srv = OssdServer().start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture(scope="session")
def endpoint(server):
    return server.endpoint


@pytest.fixture(scope="session")
def open_server():
    """An ossd started with `--bucket-defaults open`: new buckets without Block Public Access,
    for tests of what clients written before OSS turned it on for new buckets do (PutBucket with
    a public ACL; docs/protocol/buckets.md#new-bucket-defaults)."""
    srv = OssdServer(extra_args=["--bucket-defaults", "open"]).start()
    yield srv
    srv.stop()
    srv.cleanup()


def allow_public_access(b: oss2.Bucket) -> None:
    """Turns Block Public Access off on `b` (PutBucketPublicAccessBlock false): what a client
    must do before it sets a public ACL or policy on a new bucket, which has it on
    (docs/protocol/buckets.md#new-bucket-defaults), as the alibabacloud-oss-v2 suite does."""
    b.put_bucket_public_access_block(False)


# ----- oss2 -----

OSS2_AUTHS = ["v1", "v2", "v4"]


def oss2_auth(version: str, key_id: str = ACCESS_KEY_ID, secret: str = ACCESS_KEY_SECRET):
    if version == "v1":
        return oss2.Auth(key_id, secret)
    if version == "v2":
        return oss2.AuthV2(key_id, secret)
    if version == "v4":
        return oss2.AuthV4(key_id, secret)
    raise ValueError(version)


def oss2_bucket(endpoint: str, name: str, version: str, **kw) -> oss2.Bucket:
    auth = kw.pop("auth", None) or oss2_auth(version)
    return oss2.Bucket(auth, endpoint, name, region=REGION, enable_crc=True, **kw)


def oss2_service(endpoint: str, version: str, **kw) -> oss2.Service:
    auth = kw.pop("auth", None) or oss2_auth(version)
    return oss2.Service(auth, endpoint, region=REGION, **kw)


@pytest.fixture(params=OSS2_AUTHS)
def auth_version(request):
    return request.param


@pytest.fixture
def bucket(endpoint, auth_version):
    """A fresh, empty bucket and an oss2.Bucket for it with the parametrized auth version."""
    name = unique_bucket(f"o2{auth_version}")
    b = oss2_bucket(endpoint, name, auth_version)
    b.create_bucket()
    return b


# ----- alibabacloud-oss-v2 -----

V2_SIGNERS = ["v4", "v1"]


def v2_client(endpoint: str, signer: str, key_id: str = ACCESS_KEY_ID, secret: str = ACCESS_KEY_SECRET, **kw):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(key_id, secret)
    cfg.region = REGION
    cfg.endpoint = endpoint
    if signer == "v1":
        cfg.signature_version = "v1"
    # No retries by default: errors must surface at once. (Client.get_object_to_file needs at least
    # two attempts configured, or it silently downloads nothing: pass retries=True for it.)
    if not kw.pop("retries", False):
        cfg.retryer = oss.retry.NopRetryer()
    for k, v in kw.items():
        setattr(cfg, k, v)
    return oss.Client(cfg)


@pytest.fixture(params=V2_SIGNERS)
def signer(request):
    return request.param


@pytest.fixture
def v2(endpoint, signer):
    return v2_client(endpoint, signer)


@pytest.fixture
def v2_bucket(v2, signer):
    name = unique_bucket(f"v2{signer}")
    v2.put_bucket(oss.PutBucketRequest(bucket=name))
    return name
