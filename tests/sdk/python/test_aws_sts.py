"""The AWS STS Query API end to end with boto3 (docs/protocol/aws-sts.md): AssumeRole by a RAM user
that may assume (IAM-form role ARN, IAM-grammar session policy narrowing the session, the credentials
used in the OSS dialect too), DurationSeconds below 900 refused by the server, GetCallerIdentity for
the root, a user, an assumed role and a GetSessionToken session, a bad signature, an expired token;
and an IAM-grammar bucket policy put with oss2 (docs/protocol/iam-grammar.md)."""

from __future__ import annotations

import json
import os
import subprocess
import uuid

import boto3
import oss2
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, OSSD_BIN, REGION, OssdServer
from sts_helpers import EXAMPLE, seed_ram_setup

# botocore checks DurationSeconds >= 900 itself; the server's answer is what is under test.
NO_CLIENT_CHECKS = Config(parameter_validation=False, retries={"max_attempts": 1})


# The `--dev` identities (docs/emulator.md): a user that may assume the role `dev`.
DEV_ACCOUNT = "1000000000000001"
DEV_USER = ("LTAI5tDevUserAccessKey01", "DevUserSecretNotForProduction0")


@pytest.fixture(scope="module")
def srv():
    s = OssdServer().start()
    yield s
    s.stop()
    s.cleanup()


@pytest.fixture(scope="module")
def seed(srv):
    return seed_ram_setup(srv)


def sts(srv: OssdServer, ak=ACCESS_KEY_ID, secret=ACCESS_KEY_SECRET, token=None, config=None):
    return boto3.client(
        "sts",
        endpoint_url=srv.endpoint,
        region_name="us-east-1",
        aws_access_key_id=ak,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=config or Config(retries={"max_attempts": 1}),
    )


def from_creds(srv: OssdServer, creds: dict, config=None):
    return sts(srv, creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"], config)


def role_arn(seed: dict) -> str:
    return f"arn:aws:iam::{seed['account_id']}:role/{seed['role_name']}"


def code_of(exc: ClientError) -> tuple[int, str]:
    return exc.response["ResponseMetadata"]["HTTPStatusCode"], exc.response["Error"]["Code"]


def admin(server: OssdServer, *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OSSD_")}
    cmd = [str(OSSD_BIN), "admin", "--endpoint", server.endpoint, "--data-dir", str(server.data_dir), *args]
    return subprocess.run(cmd, env=clean, capture_output=True, text=True, timeout=60)


def test_get_caller_identity_for_root_and_user(srv, seed):
    acct = seed["account_id"]
    me = sts(srv).get_caller_identity()
    assert (me["Arn"], me["Account"], me["UserId"]) == (f"arn:aws:iam::{acct}:root", acct, acct)
    assert me["ResponseMetadata"]["RequestId"]
    user = sts(srv, seed["ak"], seed["secret"]).get_caller_identity()
    assert user["Arn"] == f"arn:aws:iam::{acct}:user/{seed['user_name']}"
    assert user["Account"] == acct
    assert user["UserId"] == seed["create_user"]["User"]["UserId"]


def test_assume_role_and_use_the_session_in_both_dialects(srv, seed):
    acct = seed["account_id"]
    session = f"s-{uuid.uuid4().hex[:8]}"
    out = sts(srv, seed["ak"], seed["secret"]).assume_role(
        RoleArn=role_arn(seed), RoleSessionName=session, DurationSeconds=900, ExternalId="ext-1"
    )
    creds = out["Credentials"]
    assert creds["AccessKeyId"] and creds["SecretAccessKey"] and creds["SessionToken"]
    assert creds["Expiration"].tzinfo is not None
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{acct}:assumed-role/{seed['role_name']}/{session}"
    assert out["AssumedRoleUser"]["AssumedRoleId"] == f"{seed['role_id']}:{session}"
    who = from_creds(srv, creds).get_caller_identity()
    assert who["Arn"] == out["AssumedRoleUser"]["Arn"]
    assert who["UserId"] == out["AssumedRoleUser"]["AssumedRoleId"]
    # The same credentials sign OSS requests: the role policy allows Put/Get on examplebucket.
    root_bucket = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, EXAMPLE, region=REGION)
    try:
        root_bucket.create_bucket()
    except oss2.exceptions.BucketAlreadyExists:
        pass
    auth = oss2.StsAuth(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    bucket = oss2.Bucket(auth, srv.endpoint, EXAMPLE, region=REGION)
    bucket.put_object("aws-sts/a.txt", b"hello")
    assert bucket.get_object("aws-sts/a.txt").read() == b"hello"


def test_aws_sts_calls_are_audited_like_alibaba_ones(srv, seed):
    session = f"audited-{uuid.uuid4().hex[:6]}"
    sts(srv, seed["ak"], seed["secret"]).assume_role(RoleArn=role_arn(seed), RoleSessionName=session)
    with pytest.raises(ClientError):
        sts(srv).assume_role(RoleArn=role_arn(seed), RoleSessionName=f"{session}-root")
    done = admin(srv, "audit", "tail", "-n", "50")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    mine = [r for r in records if r.get("target", {}).get("RoleSessionName", "").startswith(session)]
    assert [(r["kind"], r["action"], r["decision"]) for r in mine] == [
        ("sts", "sts:AssumeRole", "allow"),
        ("sts", "sts:AssumeRole", "deny"),
    ], mine
    assert mine[0]["target"]["IssuedAccessKeyId"]
    assert mine[1]["code"] == "AccessDenied"
    assert seed["secret"] not in done.stdout


def test_session_policy_narrows_the_session(srv, seed):
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{EXAMPLE}/*"}],
    }
    root_bucket = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, EXAMPLE, region=REGION)
    try:
        root_bucket.create_bucket()
    except oss2.exceptions.BucketAlreadyExists:
        pass
    root_bucket.put_object("narrow/k", b"data")
    out = sts(srv, seed["ak"], seed["secret"]).assume_role(
        RoleArn=role_arn(seed), RoleSessionName="narrow", Policy=json.dumps(policy)
    )
    assert 0 < out["PackedPolicySize"] <= 100
    creds = out["Credentials"]
    auth = oss2.StsAuth(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    bucket = oss2.Bucket(auth, srv.endpoint, EXAMPLE, region=REGION)
    assert bucket.get_object("narrow/k").read() == b"data"
    with pytest.raises(oss2.exceptions.AccessDenied):
        bucket.put_object("narrow/k2", b"no")
    with pytest.raises(ClientError) as bad:
        sts(srv, seed["ak"], seed["secret"]).assume_role(
            RoleArn=role_arn(seed), RoleSessionName="bad-policy", Policy='{"Version":"2012-10-17"}'
        )
    assert code_of(bad.value) == (400, "MalformedPolicyDocument")
    # A managed session policy narrows the same way (the system read-only policy).
    out = sts(srv, seed["ak"], seed["secret"]).assume_role(
        RoleArn=role_arn(seed),
        RoleSessionName="managed",
        PolicyArns=[{"arn": "arn:aws:iam::aws:policy/AliyunOSSReadOnlyAccess"}],
    )
    creds = out["Credentials"]
    auth = oss2.StsAuth(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    bucket = oss2.Bucket(auth, srv.endpoint, EXAMPLE, region=REGION)
    assert bucket.get_object("narrow/k").read() == b"data"
    with pytest.raises(oss2.exceptions.AccessDenied):
        bucket.put_object("narrow/k3", b"no")
    with pytest.raises(ClientError) as unknown:
        sts(srv, seed["ak"], seed["secret"]).assume_role(
            RoleArn=role_arn(seed),
            RoleSessionName="managed",
            PolicyArns=[{"arn": f"arn:aws:iam::{seed['account_id']}:policy/NoSuchPolicy"}],
        )
    assert code_of(unknown.value) == (400, "InvalidParameterValue")


def test_duration_below_900_and_other_refusals(srv, seed):
    client = sts(srv, seed["ak"], seed["secret"], config=NO_CLIENT_CHECKS)
    with pytest.raises(ClientError) as short:
        client.assume_role(RoleArn=role_arn(seed), RoleSessionName="short", DurationSeconds=800)
    assert code_of(short.value) == (400, "ValidationError")
    assert "greater than or equal to 900" in short.value.response["Error"]["Message"]
    assert short.value.response["Error"]["Type"] == "Sender"
    with pytest.raises(ClientError) as long:
        client.assume_role(RoleArn=role_arn(seed), RoleSessionName="long", DurationSeconds=7200)
    assert code_of(long.value) == (400, "ValidationError")
    assert "MaxSessionDuration" in long.value.response["Error"]["Message"]
    # The root may not assume a role; a role that does not exist is denied like a forbidden one.
    with pytest.raises(ClientError) as root:
        sts(srv).assume_role(RoleArn=role_arn(seed), RoleSessionName="root")
    assert code_of(root.value) == (403, "AccessDenied")
    missing = f"arn:aws:iam::{seed['account_id']}:role/NoSuchRole"
    with pytest.raises(ClientError) as gone:
        client.assume_role(RoleArn=missing, RoleSessionName="gone")
    assert code_of(gone.value) == (403, "AccessDenied")
    assert f"is not authorized to perform: sts:AssumeRole on resource: {missing}" in gone.value.response["Error"]["Message"]


def test_get_session_token(srv, seed):
    acct = seed["account_id"]
    out = sts(srv, seed["ak"], seed["secret"]).get_session_token(DurationSeconds=900)
    creds = out["Credentials"]
    who = from_creds(srv, creds).get_caller_identity()
    assert who["Arn"] == f"arn:aws:iam::{acct}:user/{seed['user_name']}"
    with pytest.raises(ClientError) as again:
        from_creds(srv, creds).get_session_token()
    assert code_of(again.value) == (403, "AccessDenied")


def test_bad_signature(srv, seed):
    with pytest.raises(ClientError) as bad:
        sts(srv, seed["ak"], seed["secret"] + "x").get_caller_identity()
    assert code_of(bad.value) == (403, "SignatureDoesNotMatch")
    with pytest.raises(ClientError) as unknown:
        sts(srv, "LTAInosuchkey000", "secret").get_caller_identity()
    assert code_of(unknown.value) == (403, "InvalidClientTokenId")


def test_expired_token():
    # The emulator clock (`--dev`, POST /-/admin/clock) moves past the session's expiry.
    dev = OssdServer(extra_args=["--dev"]).start()
    try:
        out = sts(dev, *DEV_USER).assume_role(
            RoleArn=f"arn:aws:iam::{DEV_ACCOUNT}:role/dev", RoleSessionName="expiring", DurationSeconds=900
        )
        session = from_creds(dev, out["Credentials"])
        assert session.get_caller_identity()["Arn"] == f"arn:aws:sts::{DEV_ACCOUNT}:assumed-role/dev/expiring"
        moved = admin(dev, "clock", "--advance", "1h")
        assert moved.returncode == 0, moved.stderr
        with pytest.raises(ClientError) as expired:
            session.get_caller_identity()
        assert code_of(expired.value) == (400, "ExpiredToken")
    finally:
        dev.stop()
        dev.cleanup()


def test_iam_grammar_bucket_policy(srv):
    name = f"iam-{uuid.uuid4().hex[:8]}"
    bucket = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, name, region=REGION)
    bucket.create_bucket()
    bucket.put_bucket_public_access_block(False)  # public policy below (docs/protocol/buckets.md#new-bucket-defaults)
    bucket.put_object("pub/a.txt", b"public")
    bucket.put_object("priv/a.txt", b"private")
    policy = {
        "Version": "2012-10-17",
        "Id": "public-prefix",
        "Statement": [
            {
                "Sid": "PublicRead",
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{name}/pub/*"],
            }
        ],
    }
    bucket.put_bucket_policy(json.dumps(policy))
    assert json.loads(bucket.get_bucket_policy().policy) == policy
    public = requests.get(f"{srv.endpoint}/{name}/pub/a.txt", timeout=30)
    assert (public.status_code, public.content) == (200, b"public")
    private = requests.get(f"{srv.endpoint}/{name}/priv/a.txt", timeout=30)
    assert private.status_code == 403
    with pytest.raises(oss2.exceptions.ServerError) as bad:
        bucket.put_bucket_policy(json.dumps({**policy, "Version": "2008-10-17"}))
    assert bad.value.status == 400
