"""The audit trail end to end: RAM changes made with aliyun-python-sdk-ram and with `ossd admin`,
AssumeRole issued and refused (aliyun-python-sdk-sts), an OSS GetObject denied (oss2); then
`ossd admin audit tail` shows them with their fields, no secret used appears anywhere in the audit
files, size-based rotation keeps at most --audit-keep files, and `--memory` keeps a ring."""

from __future__ import annotations

import json
import os
import subprocess

import oss2
import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkram.request.v20150501.CreateUserRequest import CreateUserRequest
from aliyunsdkram.request.v20150501.DeleteUserRequest import DeleteUserRequest
from aliyunsdksts.request.v20150401.AssumeRoleRequest import AssumeRoleRequest

from conftest import unique_bucket
from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, OSSD_BIN, REGION, OssdServer
from sts_helpers import acs_client, assume_role, core_call, seed_ram_setup

AUDIT_FIELDS = {"time", "kind", "action", "decision", "principal", "request_id"}


def admin(server: OssdServer, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`ossd admin --endpoint … --data-dir … <args>` (root credentials from identity.json or env)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OSSD_")}
    clean.update(env or {})
    cmd = [str(OSSD_BIN), "admin", "--endpoint", server.endpoint, "--data-dir", str(server.data_dir), *args]
    return subprocess.run(cmd, env=clean, capture_output=True, text=True, timeout=60)


def tail(server: OssdServer, n: int = 50, env: dict | None = None) -> list[dict]:
    done = admin(server, "audit", "tail", "-n", str(n), env=env)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def audit_bytes(server: OssdServer) -> bytes:
    return b"".join(p.read_bytes() for p in sorted((server.data_dir / "audit").iterdir()))


@pytest.fixture(scope="module")
def srv():
    s = OssdServer().start()
    yield s
    s.stop()
    s.cleanup()


@pytest.fixture(scope="module")
def story(srv):
    """RAM changes, an AssumeRole issued and one refused, a denied GetObject, a CLI change."""
    seed = seed_ram_setup(srv, user_name="audit-user", role_name="AuditRole", policy_name="AuditPolicy")
    issued = assume_role(srv, seed, session="audit-session")
    refused = AssumeRoleRequest()
    refused.set_RoleArn(seed["role_arn"])
    refused.set_RoleSessionName("root-session")
    with pytest.raises(ServerException) as ei:
        core_call(acs_client(srv), srv, refused)
    assert ei.value.get_error_code() == "NoPermission"
    refused_request_id = ei.value.get_request_id()

    bucket_name = unique_bucket("audit")
    root = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, bucket_name, region=REGION)
    root.create_bucket()
    root.put_object("private.txt", b"root only")
    user = oss2.Bucket(oss2.Auth(seed["ak"], seed["secret"]), srv.endpoint, bucket_name, region=REGION)
    with pytest.raises(oss2.exceptions.AccessDenied) as denied:
        user.get_object("private.txt")

    cli = admin(srv, "user", "create", "audit-cli-user")
    assert cli.returncode == 0, cli.stderr
    r = DeleteUserRequest()
    r.set_UserName("audit-cli-user")
    core_call(acs_client(srv), srv, r)
    return {
        "seed": seed,
        "issued": issued,
        "refused_request_id": refused_request_id,
        "denied_request_id": denied.value.request_id,
        "bucket": bucket_name,
    }


def test_tail_shows_ram_sts_and_denials(srv, story):
    records = tail(srv, 50)
    for r in records:
        assert AUDIT_FIELDS <= r.keys(), r
    seed = story["seed"]
    acct = seed["account_id"]
    root_arn = f"acs:ram::{acct}:root"

    def one(action, pred=lambda r: True):
        found = [r for r in records if r["action"] == action and pred(r)]
        assert len(found) == 1, (action, found)
        return found[0]

    create = one("ram:CreateUser", lambda r: r["target"].get("UserName") == "audit-user")
    assert create["kind"] == "ram" and create["decision"] == "allow"
    assert create["principal"] == {"type": "Account", "arn": root_arn, "access_key_id": ACCESS_KEY_ID}
    assert create["source_ip"] == "127.0.0.1"
    assert create["request_id"] == seed["create_user"]["RequestId"]

    key = one("ram:CreateAccessKey")
    assert key["target"] == {"UserName": "audit-user", "CreatedAccessKeyId": seed["ak"]}
    one("ram:AttachPolicyToUser", lambda r: r["target"] == {
        "PolicyType": "System", "PolicyName": "AliyunSTSAssumeRoleAccess", "UserName": "audit-user"})
    one("ram:CreateRole", lambda r: r["target"] == {"RoleName": "AuditRole"})
    one("ram:CreatePolicy", lambda r: r["target"] == {"PolicyName": "AuditPolicy"})
    one("ram:AttachPolicyToRole", lambda r: r["target"].get("RoleName") == "AuditRole")
    assert not [r for r in records if r["action"] in ("ram:GetRole", "sts:GetCallerIdentity")], "reads are not audited"

    # The CLI goes through the same RPC API.
    cli = one("ram:CreateUser", lambda r: r["target"].get("UserName") == "audit-cli-user")
    assert cli["decision"] == "allow" and cli["principal"]["arn"] == root_arn
    one("ram:DeleteUser", lambda r: r["target"] == {"UserName": "audit-cli-user"})

    issued = one("sts:AssumeRole", lambda r: r["decision"] == "allow")
    assert issued["kind"] == "sts"
    assert issued["principal"]["type"] == "SubUser"
    assert issued["principal"]["arn"] == f"acs:ram::{acct}:user/audit-user"
    assert issued["principal"]["access_key_id"] == seed["ak"]
    assert issued["target"]["RoleArn"] == seed["role_arn"]
    assert issued["target"]["RoleSessionName"] == "audit-session"
    assert issued["target"]["IssuedAccessKeyId"] == story["issued"]["Credentials"]["AccessKeyId"]
    assert issued["request_id"] == story["issued"]["RequestId"]

    refused = one("sts:AssumeRole", lambda r: r["decision"] == "deny")
    assert refused["code"] == "NoPermission"
    assert refused["principal"]["type"] == "Account"
    assert refused["request_id"] == story["refused_request_id"]

    denied = one("oss:GetObject")
    assert denied["kind"] == "oss" and denied["decision"] == "deny"
    assert denied["code"] == "AccessDenied"
    assert denied["principal"]["arn"] == f"acs:ram::{acct}:user/audit-user"
    assert denied["resource"] == f"acs:oss::{acct}:{story['bucket']}/private.txt"
    assert denied["reason"].startswith("ImplicitDeny")
    assert denied["request_id"] == story["denied_request_id"]
    assert denied["source_ip"] == "127.0.0.1"

    # Oldest first, and -n limits.
    assert records == sorted(records, key=lambda r: r["time"])
    assert tail(srv, 2) == records[-2:]


def test_explicit_deny_names_the_matched_statement(srv, story):
    acct = story["seed"]["account_id"]
    root = oss2.Bucket(oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET), srv.endpoint, story["bucket"], region=REGION)
    policy = {
        "Version": "1",
        "Statement": [
            {"Effect": "Allow", "Action": ["oss:GetObject"], "Principal": ["*"],
             "Resource": [f"acs:oss:*:{acct}:{story['bucket']}/*"]},
            {"Effect": "Deny", "Action": ["oss:GetObject"], "Principal": ["*"],
             "Resource": [f"acs:oss:*:{acct}:{story['bucket']}/private.txt"]},
        ],
    }
    root.put_bucket_public_access_block(False)  # the policy is public (docs/protocol/buckets.md#new-bucket-defaults)
    root.put_bucket_policy(json.dumps(policy))
    user = oss2.Bucket(oss2.Auth(story["seed"]["ak"], story["seed"]["secret"]), srv.endpoint, story["bucket"],
                       region=REGION)
    with pytest.raises(oss2.exceptions.AccessDenied) as denied:
        user.get_object("private.txt")
    record = [r for r in tail(srv, 20) if r["request_id"] == denied.value.request_id]
    assert len(record) == 1, record
    assert record[0]["reason"].startswith("ExplicitDeny")
    assert record[0]["matched"]["policy_type"] == "ResourceBasedPolicy"
    assert record[0]["matched"]["statement"] == 1
    root.delete_bucket_policy()


def test_no_secret_in_the_audit_files(srv, story):
    # Another refusal with a bad signature: the secret presented must not be recorded either.
    wrong = CreateUserRequest()
    wrong.set_UserName("never-created")
    with pytest.raises(ServerException):
        core_call(acs_client(srv, ACCESS_KEY_ID, "WrongSecretValue0123456789"), srv, wrong)
    # Records are flushed before tail answers.
    assert [r for r in tail(srv, 5) if r.get("target", {}).get("UserName") == "never-created"]
    data = audit_bytes(srv)
    assert data, "the audit trail is on disk"
    creds = story["issued"]["Credentials"]
    for secret in (ACCESS_KEY_SECRET, story["seed"]["secret"], creds["AccessKeySecret"], creds["SecurityToken"],
                   "WrongSecretValue0123456789"):
        assert secret.encode() not in data, "a secret is in the audit trail"
    for field in (b'"Signature"', b'"AccessKeySecret"', b'"SecurityToken"', b'"Policy"'):
        assert field not in data, field
    # Owner-only files.
    for p in (srv.data_dir / "audit").iterdir():
        assert p.stat().st_mode & 0o077 == 0, p


def test_rotation_keeps_at_most_keep_files():
    s = OssdServer(extra_args=["--audit-max-bytes", "2048", "--audit-keep", "3"]).start()
    try:
        root = acs_client(s)
        for i in range(40):
            r = CreateUserRequest()
            r.set_UserName(f"rotate-{i:02d}")
            core_call(root, s, r)
        last = tail(s, 5)
        assert [r["target"]["UserName"] for r in last] == [f"rotate-{i:02d}" for i in range(35, 40)]
        files = sorted(p.name for p in (s.data_dir / "audit").iterdir())
        assert files == ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"], files
        for p in (s.data_dir / "audit").iterdir():
            assert p.stat().st_size <= 2048, (p, p.stat().st_size)
        # A graceful stop writes everything; the newest record is the last line of the active file.
        s.stop()
        lines = (s.data_dir / "audit" / "audit.jsonl").read_text().splitlines()
        assert json.loads(lines[-1])["target"]["UserName"] == "rotate-39"
    finally:
        s.stop()
        s.cleanup()


def test_memory_mode_keeps_a_ring_and_refuses_backup():
    s = OssdServer(extra_args=["--memory"]).start()
    env = {"OSSD_ACCESS_KEY_ID": ACCESS_KEY_ID, "OSSD_ACCESS_KEY_SECRET": ACCESS_KEY_SECRET}
    try:
        r = CreateUserRequest()
        r.set_UserName("memory-user")
        core_call(acs_client(s), s, r)
        records = tail(s, 10, env=env)
        assert [x["target"]["UserName"] for x in records if x["action"] == "ram:CreateUser"] == ["memory-user"]
        assert not (s.data_dir / "audit").exists(), "nothing on disk with --memory"
        done = admin(s, "backup", str(s.data_dir / "bk"), env=env)
        assert done.returncode == 1
        assert "BackupNotSupported" in done.stderr
    finally:
        s.stop()
        s.cleanup()
