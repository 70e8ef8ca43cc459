"""The seed flow (temporary access to OSS with STS) from Python against ossd:
RAM setup with aliyun-python-sdk-ram (v1 signatures) and alibabacloud-ram20150501 (Tea, ACS3),
AssumeRole with aliyun-python-sdk-sts, alibabacloud-sts20150401 and the alibabacloud-credentials
RamRoleArn provider (HTTPS only: an ossd with --tls-self-signed), then OSS with the temporary
credentials through oss2 StsAuth (V1, V4) and alibabacloud-oss-v2 (static temporary credentials)."""

from __future__ import annotations

import calendar
import datetime
import json
import re
import time

import alibabacloud_oss_v2 as oss
import oss2
import pytest
import requests
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkram.request.v20150501.AttachPolicyToRoleRequest import AttachPolicyToRoleRequest
from aliyunsdkram.request.v20150501.DetachPolicyFromRoleRequest import DetachPolicyFromRoleRequest
from aliyunsdkram.request.v20150501.ListPoliciesForRoleRequest import ListPoliciesForRoleRequest
from aliyunsdksts.request.v20150401.AssumeRoleRequest import AssumeRoleRequest
from aliyunsdksts.request.v20150401.GetCallerIdentityRequest import GetCallerIdentityRequest
from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.models import Config as CredentialConfig
from alibabacloud_credentials.provider.ram_role_arn import RamRoleArnCredentialsProvider
from alibabacloud_ram20150501 import models as ram_models
from alibabacloud_ram20150501.client import Client as RamClient
from alibabacloud_sts20150401 import models as sts_models
from alibabacloud_sts20150401.client import Client as StsClient
from alibabacloud_tea_openapi.exceptions import ClientException

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer
from sts_helpers import (
    EXAMPLE,
    GET_ONLY_POLICY,
    ISO_SECONDS,
    OTHER,
    WIDE_POLICY,
    acs_client,
    assume_role,
    core_call,
    ram_call,
    seed_ram_setup,
    tea_config,
    trust_policy,
)


# ----------------------------------------------------------------- fixtures


def _buckets(server: OssdServer):
    """Root creates examplebucket and otherbucket (with otherbucket/secret.txt)."""
    with pytest.MonkeyPatch.context() as mp:
        if server.tls:
            # requests prefers REQUESTS_CA_BUNDLE (often set machine-wide) over Session.verify
            mp.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        root = oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        example = oss2.Bucket(root, server.endpoint, EXAMPLE, region=REGION)
        example.create_bucket()
        other = oss2.Bucket(root, server.endpoint, OTHER, region=REGION)
        other.create_bucket()
        other.put_object("secret.txt", b"not for the role")
    return example, other


@pytest.fixture(scope="module")
def idp():
    srv = OssdServer().start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture(scope="module")
def seed(idp):
    s = seed_ram_setup(idp)
    s["example"], s["other"] = _buckets(idp)
    return s


@pytest.fixture
def creds(idp, seed):
    """Fresh temporary credentials of the seed role (session 'sessiontest', 3000 s)."""
    return assume_role(idp, seed)["Credentials"]


def sts_bucket(server, c, name=EXAMPLE, version="v1", **kw):
    auth = oss2.StsAuth(c["AccessKeyId"], c["AccessKeySecret"], c["SecurityToken"], auth_version=version)
    return oss2.Bucket(auth, server.endpoint, name, region=REGION, **kw)


def v2_temp_client(server, c, signer="v4"):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        c["AccessKeyId"], c["AccessKeySecret"], c["SecurityToken"]
    )
    cfg.region = REGION
    cfg.endpoint = server.endpoint
    if signer == "v1":
        cfg.signature_version = "v1"
    cfg.retryer = oss.retry.NopRetryer()
    return oss.Client(cfg)


def v2_error(excinfo) -> oss.exceptions.ServiceError:
    err = excinfo.value
    if isinstance(err, oss.exceptions.OperationError):
        err = err.unwrap()
    assert isinstance(err, oss.exceptions.ServiceError), repr(err)
    return err


# ----------------------------------------------------------------- RAM setup


def test_ram_setup_with_aliyunsdkram(idp, seed):
    acct = seed["account_id"]
    assert re.fullmatch(r"\d{16}", acct)
    user = seed["create_user"]["User"]
    assert user["UserName"] == "sts-seed-user"
    assert user["DisplayName"] == "STS seed user"
    assert re.fullmatch(r"\d+", user["UserId"])
    assert re.match(ISO_SECONDS, user["CreateDate"])
    key = seed["create_access_key"]["AccessKey"]
    assert key["Status"] == "Active"
    assert not key["AccessKeyId"].startswith("STS.")
    assert len(key["AccessKeySecret"]) >= 20
    role = seed["create_role"]["Role"]
    assert role["Arn"] == f"acs:ram::{acct}:role/RamOssTest"
    assert role["MaxSessionDuration"] == 3600
    assert json.loads(role["AssumeRolePolicyDocument"]) == json.loads(trust_policy(acct))
    policy = seed["create_policy"]["Policy"]
    assert (policy["PolicyName"], policy["PolicyType"], policy["DefaultVersion"]) == ("RamTestPolicy", "Custom", "v1")
    assert seed["role_arn"] == role["Arn"]
    assert seed["get_role"]["Role"]["RoleId"] == role["RoleId"]
    r = ListPoliciesForRoleRequest()
    r.set_RoleName("RamOssTest")
    listed = core_call(acs_client(idp), idp, r)
    assert [(p["PolicyType"], p["PolicyName"]) for p in listed["Policies"]["Policy"]] == [("Custom", "RamTestPolicy")]


def test_ram_and_sts_with_tea_sdks(idp, seed):
    """alibabacloud-ram20150501 (ACS3-HMAC-SHA256) sets up a second user/role/policy; the user assumes the
    role with alibabacloud-sts20150401; alibabacloud-oss-v2 uses the credentials."""
    acct = seed["account_id"]
    ram = RamClient(tea_config(idp))
    u = ram.create_user(ram_models.CreateUserRequest(user_name="tea-user", display_name="Tea user")).body
    assert u.user.user_name == "tea-user"
    k = ram.create_access_key(ram_models.CreateAccessKeyRequest(user_name="tea-user")).body.access_key
    assert k.status == "Active"
    ram.attach_policy_to_user(
        ram_models.AttachPolicyToUserRequest(
            policy_type="System", policy_name="AliyunSTSAssumeRoleAccess", user_name="tea-user"
        )
    )
    role = ram.create_role(
        ram_models.CreateRoleRequest(
            role_name="TeaOssRole", assume_role_policy_document=trust_policy(acct), max_session_duration=7200
        )
    ).body.role
    assert role.arn == f"acs:ram::{acct}:role/TeaOssRole"
    assert role.max_session_duration == 7200
    doc = {
        "Version": "1",
        "Statement": [
            {"Effect": "Allow", "Action": ["oss:PutObject", "oss:GetObject"], "Resource": "acs:oss:*:*:examplebucket/tea/*"}
        ],
    }
    p = ram.create_policy(ram_models.CreatePolicyRequest(policy_name="TeaOssPolicy", policy_document=json.dumps(doc))).body
    assert (p.policy.policy_type, p.policy.default_version) == ("Custom", "v1")
    ram.attach_policy_to_role(
        ram_models.AttachPolicyToRoleRequest(policy_type="Custom", policy_name="TeaOssPolicy", role_name="TeaOssRole")
    )
    got = ram.get_role(ram_models.GetRoleRequest(role_name="TeaOssRole")).body.role
    assert got.arn == role.arn and got.role_id == role.role_id
    listed = ram.list_policies_for_role(ram_models.ListPoliciesForRoleRequest(role_name="TeaOssRole")).body
    assert [x.policy_name for x in listed.policies.policy] == ["TeaOssPolicy"]

    sts = StsClient(tea_config(idp, k.access_key_id, k.access_key_secret))
    t0 = time.time()
    body = sts.assume_role(
        sts_models.AssumeRoleRequest(role_arn=role.arn, role_session_name="tea-session", duration_seconds=7200)
    ).body
    c = body.credentials
    assert c.access_key_id.startswith("STS.")
    assert re.match(ISO_SECONDS, c.expiration)
    left = calendar.timegm(time.strptime(c.expiration, "%Y-%m-%dT%H:%M:%SZ")) - t0
    assert abs(left - 7200) < 60, left
    assert body.assumed_role_user.arn == f"acs:ram::{acct}:role/TeaOssRole/tea-session"
    assert body.assumed_role_user.assumed_role_id == f"{role.role_id}:tea-session"

    client = v2_temp_client(
        idp, {"AccessKeyId": c.access_key_id, "AccessKeySecret": c.access_key_secret, "SecurityToken": c.security_token}
    )
    client.put_object(oss.PutObjectRequest(bucket=EXAMPLE, key="tea/x.txt", body=b"tea"))
    assert client.get_object(oss.GetObjectRequest(bucket=EXAMPLE, key="tea/x.txt")).body.read() == b"tea"
    with pytest.raises(oss.exceptions.OperationError) as ei:
        client.put_object(oss.PutObjectRequest(bucket=EXAMPLE, key="not-tea.txt", body=b"x"))
    e = v2_error(ei)
    assert (e.status_code, e.code) == (403, "AccessDenied")

    # a RAM error through Tea: the temporary session may not create users (403 NoPermission + detail)
    as_session = RamClient(tea_config(idp, c.access_key_id, c.access_key_secret, c.security_token))
    with pytest.raises(ClientException) as ci:
        as_session.create_user(ram_models.CreateUserRequest(user_name="sneaky"))
    assert (ci.value.status_code, ci.value.code) == (403, "NoPermission")
    detail = ci.value.access_denied_detail
    assert detail and detail.get("AuthAction") == "ram:CreateUser", ci.value.data
    assert detail.get("AuthPrincipalType") == "AssumedRoleUser"


def _ram_error(fn) -> ServerException:
    with pytest.raises(ServerException) as ei:
        fn()
    return ei.value


def test_ram_api_shapes_and_conflicts(idp, seed):
    """RAM response types (JSON booleans and numbers) and the documented conflicts
    (docs/protocol/ram.md#ram-actions, #ram-action-semantics)."""
    ram_call(idp, "CreateUser", UserName="shape-a")
    ram_call(idp, "CreateUser", UserName="shape-b")
    e = _ram_error(lambda: ram_call(idp, "CreateUser", UserName="shape-a"))
    assert (e.get_http_status(), e.get_error_code()) == (409, "EntityAlreadyExists.User")
    e = _ram_error(lambda: ram_call(idp, "GetUser", UserName="nobody"))
    assert (e.get_http_status(), e.get_error_code()) == (404, "EntityNotExist.User")
    # paging: IsTruncated is a JSON boolean, Marker only when truncated
    page = ram_call(idp, "ListUsers", MaxItems="1")
    assert page["IsTruncated"] is True and page["Marker"]
    assert len(page["Users"]["User"]) == 1
    names = [page["Users"]["User"][0]["UserName"]]
    while page["IsTruncated"]:
        page = ram_call(idp, "ListUsers", MaxItems="1", Marker=page["Marker"])
        names += [u["UserName"] for u in page["Users"]["User"]]
    assert page["IsTruncated"] is False
    assert {"shape-a", "shape-b", "sts-seed-user"} <= set(names)
    assert len(names) == len(set(names))
    # policies: numbers, booleans, versions
    doc = {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:GetObject", "Resource": "*"}]}
    ram_call(idp, "CreatePolicy", PolicyName="ShapePolicy", PolicyDocument=json.dumps(doc))
    got = ram_call(idp, "GetPolicy", PolicyName="RamTestPolicy", PolicyType="Custom")
    assert got["Policy"]["AttachmentCount"] == 1 and isinstance(got["Policy"]["AttachmentCount"], int)
    assert got["DefaultPolicyVersion"]["IsDefaultVersion"] is True
    v2 = ram_call(idp, "CreatePolicyVersion", PolicyName="ShapePolicy", PolicyDocument=json.dumps(doc), SetAsDefault="true")
    assert (v2["PolicyVersion"]["VersionId"], v2["PolicyVersion"]["IsDefaultVersion"]) == ("v2", True)
    versions = ram_call(idp, "ListPolicyVersions", PolicyName="ShapePolicy", PolicyType="Custom")["PolicyVersions"]["PolicyVersion"]
    assert sorted((v["VersionId"], v["IsDefaultVersion"]) for v in versions) == [("v1", False), ("v2", True)]
    e = _ram_error(lambda: ram_call(idp, "DeletePolicyVersion", PolicyName="ShapePolicy", VersionId="v2"))
    assert (e.get_http_status(), e.get_error_code()) == (409, "DeleteConflict.Policy.Version.Default")
    entities = ram_call(idp, "ListEntitiesForPolicy", PolicyName="RamTestPolicy", PolicyType="Custom")
    assert [r["RoleName"] for r in entities["Roles"]["Role"]] == ["RamOssTest"]
    system = ram_call(idp, "GetPolicy", PolicyName="AliyunSTSAssumeRoleAccess", PolicyType="System")
    assert system["Policy"]["PolicyType"] == "System"
    # roles: MaxSessionDuration is a number; deleting a user with keys conflicts
    roles = ram_call(idp, "ListRoles")["Roles"]["Role"]
    seed_role = next(r for r in roles if r["RoleName"] == "RamOssTest")
    assert seed_role["MaxSessionDuration"] == 3600
    e = _ram_error(lambda: ram_call(idp, "DeleteUser", UserName="sts-seed-user"))
    assert e.get_http_status() == 409 and e.get_error_code().startswith("DeleteConflict.User."), e.get_error_code()
    e = _ram_error(lambda: ram_call(idp, "AttachPolicyToRole", PolicyType="Custom", PolicyName="RamTestPolicy", RoleName="RamOssTest"))
    assert e.get_http_status() == 409 and e.get_error_code().startswith("EntityAlreadyExists."), e.get_error_code()
    e = _ram_error(lambda: ram_call(idp, "AttachPolicyToRole", PolicyType="Bogus", PolicyName="RamTestPolicy", RoleName="RamOssTest"))
    assert (e.get_http_status(), e.get_error_code()) == (400, "InvalidParameter.PolicyType")
    e = _ram_error(lambda: ram_call(idp, "CreatePolicy", PolicyName="Broken", PolicyDocument='{"Version":"1","Statement":[{"Effect":"Maybe"}]}'))
    assert (e.get_http_status(), e.get_error_code()) == (400, "MalformedPolicyDocument")


def test_group_policies_govern_ram_users_on_oss(idp, seed):
    """A RAM user's OSS rights come from its own and its groups' policies, live
    (docs/protocol/ram.md#groups, docs/protocol/authorization.md#identity-based-policies)."""
    seed["example"].put_object("group/obj.txt", b"group")
    ram_call(idp, "CreateUser", UserName="reader")
    k = ram_call(idp, "CreateAccessKey", UserName="reader")["AccessKey"]
    b = oss2.Bucket(oss2.Auth(k["AccessKeyId"], k["AccessKeySecret"]), idp.endpoint, EXAMPLE, region=REGION)
    with pytest.raises(oss2.exceptions.AccessDenied) as ei:
        b.get_object("group/obj.txt")
    assert ei.value.ec == "0003-00000202"
    group = ram_call(idp, "CreateGroup", GroupName="readers")["Group"]
    assert group["GroupName"] == "readers"
    ram_call(idp, "AddUserToGroup", GroupName="readers", UserName="reader")
    ram_call(idp, "AttachPolicyToGroup", GroupName="readers", PolicyType="System", PolicyName="AliyunOSSReadOnlyAccess")
    assert b.get_object("group/obj.txt").read() == b"group"
    assert [x.key for x in oss2.ObjectIterator(b, prefix="group/")] == ["group/obj.txt"]
    service = oss2.Service(oss2.Auth(k["AccessKeyId"], k["AccessKeySecret"]), idp.endpoint, region=REGION)
    assert EXAMPLE in [x.name for x in service.list_buckets().buckets]
    with pytest.raises(oss2.exceptions.AccessDenied):
        b.put_object("group/new.txt", b"x")
    ram_call(idp, "RemoveUserFromGroup", GroupName="readers", UserName="reader")
    with pytest.raises(oss2.exceptions.AccessDenied):
        b.get_object("group/obj.txt")


# ----------------------------------------------------------------- AssumeRole


def test_assume_role_aliyunsdksts(idp, seed):
    t0 = time.time()
    body = assume_role(idp, seed, duration=3000)
    acct = seed["account_id"]
    assert "Code" not in body
    assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}", body["RequestId"])
    assert body["AssumedRoleUser"]["Arn"] == f"acs:ram::{acct}:role/RamOssTest/sessiontest"
    assert body["AssumedRoleUser"]["AssumedRoleId"] == f"{seed['role_id']}:sessiontest"
    c = body["Credentials"]
    assert c["AccessKeyId"].startswith("STS.")
    assert c["SecurityToken"] and c["AccessKeySecret"]
    assert re.match(ISO_SECONDS, c["Expiration"])
    exp = calendar.timegm(time.strptime(c["Expiration"], "%Y-%m-%dT%H:%M:%SZ"))
    assert abs(exp - t0 - 3000) < 60


def test_assume_role_errors_python_sdks(idp, seed):
    # the account root may not assume roles (aliyunsdksts: ServerException with the HTTP status)
    r = AssumeRoleRequest()
    r.set_RoleArn(seed["role_arn"])
    r.set_RoleSessionName("root-session")
    with pytest.raises(ServerException) as ei:
        core_call(acs_client(idp), idp, r)
    assert (ei.value.get_http_status(), ei.value.get_error_code()) == (403, "NoPermission")
    # DurationSeconds below 900 / above the role's maximum (3600)
    for d in (899, 3601):
        with pytest.raises(ServerException) as ei:
            assume_role(idp, seed, duration=d)
        assert (ei.value.get_http_status(), ei.value.get_error_code()) == (400, "InvalidParameter.DurationSeconds"), d
        sts = StsClient(tea_config(idp, seed["ak"], seed["secret"]))
        with pytest.raises(ClientException) as ci:
            sts.assume_role(
                sts_models.AssumeRoleRequest(role_arn=seed["role_arn"], role_session_name="tea", duration_seconds=d)
            )
        assert (ci.value.status_code, ci.value.code) == (400, "InvalidParameter.DurationSeconds"), d
    # a role that does not exist
    with pytest.raises(ServerException) as ei:
        assume_role(idp, {**seed, "role_arn": f"acs:ram::{seed['account_id']}:role/NoSuchRole"})
    assert (ei.value.get_http_status(), ei.value.get_error_code()) == (404, "EntityNotExist.Role")
    # a session policy that is not a policy
    with pytest.raises(ServerException) as ei:
        assume_role(idp, seed, policy='{"Version":"1","Statement":"nope"}')
    assert (ei.value.get_http_status(), ei.value.get_error_code()) == (400, "InvalidParameter.PolicyGrammar")


def test_get_caller_identity_with_temporary_credentials(idp, seed, creds):
    acct = seed["account_id"]
    want_arn = f"acs:ram::{acct}:assumed-role/RamOssTest/sessiontest"
    # v1 signature + SecurityToken parameter
    client = acs_client(idp, creds["AccessKeyId"], creds["AccessKeySecret"], creds["SecurityToken"])
    who = core_call(client, idp, GetCallerIdentityRequest())
    assert who["IdentityType"] == "AssumedRoleUser"
    assert who["AccountId"] == acct
    assert who["RoleId"] == seed["role_id"]
    assert who["Arn"] == want_arn
    # V3 + x-acs-security-token
    sts = StsClient(tea_config(idp, creds["AccessKeyId"], creds["AccessKeySecret"], creds["SecurityToken"]))
    body = sts.get_caller_identity().body
    assert (body.identity_type, body.account_id, body.arn, body.role_id) == (
        "AssumedRoleUser",
        acct,
        want_arn,
        seed["role_id"],
    )
    # the RAM user and the root, for comparison
    me = StsClient(tea_config(idp, seed["ak"], seed["secret"])).get_caller_identity().body
    assert (me.identity_type, me.arn) == ("RAMUser", f"acs:ram::{acct}:user/sts-seed-user")
    root = StsClient(tea_config(idp)).get_caller_identity().body
    assert (root.identity_type, root.arn, root.user_id) == ("Account", f"acs:ram::{acct}:root", acct)


# ----------------------------------------------------------------- OSS with temporary credentials


@pytest.mark.parametrize("version", ["v1", "v2", "v4"])
def test_oss2_sts_auth_upload_download(idp, seed, creds, version):
    b = sts_bucket(idp, creds, version=version)
    data = b"uploaded with StsAuth " + version.encode()
    r = b.put_object(f"exampleobject-{version}.jpg", data)
    assert r.status == 200
    assert b.get_object(f"exampleobject-{version}.jpg").read() == data
    assert seed["example"].get_object(f"exampleobject-{version}.jpg").read() == data  # root sees it
    # another bucket, listing, deleting: not in the role's policy
    other = sts_bucket(idp, creds, OTHER, version=version)
    with pytest.raises(oss2.exceptions.AccessDenied) as ei:
        other.get_object("secret.txt")
    assert ei.value.status == 403
    assert ei.value.ec == "0003-00000202"
    with pytest.raises(oss2.exceptions.AccessDenied):
        other.put_object("intruder.txt", b"x")
    with pytest.raises(oss2.exceptions.AccessDenied):
        b.list_objects()
    with pytest.raises(oss2.exceptions.AccessDenied):
        b.delete_object(f"exampleobject-{version}.jpg")
    assert not seed["other"].object_exists("intruder.txt")


@pytest.mark.parametrize("signer", ["v4", "v1"])
def test_oss_v2_static_temporary_credentials(idp, seed, creds, signer):
    client = v2_temp_client(idp, creds, signer)
    key = f"v2/{signer}.bin"
    client.put_object(oss.PutObjectRequest(bucket=EXAMPLE, key=key, body=b"v2 " + signer.encode()))
    assert client.get_object(oss.GetObjectRequest(bucket=EXAMPLE, key=key)).body.read() == b"v2 " + signer.encode()
    with pytest.raises(oss.exceptions.OperationError) as ei:
        client.get_object(oss.GetObjectRequest(bucket=OTHER, key="secret.txt"))
    e = v2_error(ei)
    assert (e.status_code, e.code, e.ec) == (403, "AccessDenied", "0003-00000202")
    # HEAD: no body, the error comes from x-oss-err / x-oss-ec
    with pytest.raises(oss.exceptions.OperationError) as ei:
        client.head_object(oss.HeadObjectRequest(bucket=OTHER, key="secret.txt"))
    e = v2_error(ei)
    assert (e.status_code, e.code, e.ec) == (403, "AccessDenied", "0003-00000202")


@pytest.mark.parametrize("signer", ["v4", "v1"])
def test_oss_v2_presign_with_temporary_credentials(idp, seed, creds, signer):
    client = v2_temp_client(idp, creds, signer)
    ttl = datetime.timedelta(seconds=600)
    pre = client.presign(oss.PutObjectRequest(bucket=EXAMPLE, key=f"v2url/{signer}.txt"), expires=ttl)
    assert creds["SecurityToken"] in requests.utils.unquote(pre.url)
    r = requests.put(pre.url, data=b"v2 presigned", headers=pre.signed_headers, timeout=30)
    assert r.status_code == 200, r.text
    pre = client.presign(oss.GetObjectRequest(bucket=EXAMPLE, key=f"v2url/{signer}.txt"), expires=ttl)
    r = requests.get(pre.url, headers=pre.signed_headers, timeout=30)
    assert (r.status_code, r.content) == (200, b"v2 presigned")
    pre = client.presign(oss.GetObjectRequest(bucket=OTHER, key="secret.txt"), expires=ttl)
    r = requests.get(pre.url, headers=pre.signed_headers, timeout=30)
    assert r.status_code == 403
    assert "<Code>AccessDenied</Code>" in r.text


def test_session_policy_intersection(idp, seed):
    seed["example"].put_object("readable.txt", b"readable")
    c = assume_role(idp, seed, session="getonly", policy=GET_ONLY_POLICY)["Credentials"]
    b = sts_bucket(idp, c, version="v4")
    assert b.get_object("readable.txt").read() == b"readable"
    with pytest.raises(oss2.exceptions.AccessDenied) as ei:
        b.put_object("blocked.txt", b"x")
    assert ei.value.ec == "0003-00000301"
    body = ei.value.body.decode()
    assert "<PolicyType>SessionPolicy</PolicyType>" in body, body
    assert "<AuthAction>oss:PutObject</AuthAction>" in body, body
    assert "<AuthPrincipalDisplayName>RamOssTest:getonly</AuthPrincipalDisplayName>" in body, body
    assert not seed["example"].object_exists("blocked.txt")
    # a session policy wider than the role grants nothing beyond the role
    c = assume_role(idp, seed, session="wide", policy=WIDE_POLICY)["Credentials"]
    b = sts_bucket(idp, c, version="v4")
    b.put_object("wide.txt", b"ok")
    with pytest.raises(oss2.exceptions.AccessDenied):
        sts_bucket(idp, c, OTHER, version="v4").get_object("secret.txt")
    with pytest.raises(oss2.exceptions.AccessDenied):
        b.delete_object("wide.txt")


def test_role_policy_changes_apply_to_live_sessions(idp, seed, creds):
    """The role's current policies are evaluated on every request, not copied into the token
    (docs/protocol/authorization.md#session-policies)."""
    b = sts_bucket(idp, creds, version="v4")
    b.put_object("live.txt", b"1")
    root = acs_client(idp)
    r = DetachPolicyFromRoleRequest()
    r.set_PolicyType("Custom")
    r.set_PolicyName("RamTestPolicy")
    r.set_RoleName("RamOssTest")
    core_call(root, idp, r)
    try:
        with pytest.raises(oss2.exceptions.AccessDenied):
            b.put_object("live.txt", b"2")
        with pytest.raises(oss2.exceptions.AccessDenied):
            b.get_object("live.txt")
    finally:
        r = AttachPolicyToRoleRequest()
        r.set_PolicyType("Custom")
        r.set_PolicyName("RamTestPolicy")
        r.set_RoleName("RamOssTest")
        core_call(root, idp, r)
    b.put_object("live.txt", b"3")
    assert seed["example"].get_object("live.txt").read() == b"3"


@pytest.mark.parametrize("version", ["v1", "v2", "v4"])
def test_oss2_signed_urls_with_temporary_credentials(idp, seed, creds, version):
    b = sts_bucket(idp, creds, version=version)
    put_url = b.sign_url("PUT", f"url/{version}.txt", 600)
    token_param = "x-oss-security-token" if version == "v4" else "security-token"
    assert f"{token_param}=" in put_url
    r = requests.put(put_url, data=b"via url", timeout=30)
    assert r.status_code == 200, r.text
    r = requests.get(b.sign_url("GET", f"url/{version}.txt", 600), timeout=30)
    assert (r.status_code, r.content) == (200, b"via url")
    r = requests.get(sts_bucket(idp, creds, OTHER, version=version).sign_url("GET", "secret.txt", 600), timeout=30)
    assert r.status_code == 403
    assert "<Code>AccessDenied</Code>" in r.text


# ----------------------------------------------------------------- HTTPS (--tls-self-signed)


@pytest.fixture(scope="module")
def tls_idp():
    srv = OssdServer(tls=True).start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture(scope="module")
def tls_seed(tls_idp):
    """The seed's RAM setup over HTTPS (aliyunsdkcore with verify=<dev cert>) and the two buckets."""
    s = seed_ram_setup(tls_idp)
    s["example"], s["other"] = _buckets(tls_idp)
    return s


@pytest.fixture
def trust_dev_cert(tls_idp, monkeypatch):
    """Tea / alibabacloud-credentials verify with the system store + certifi; OpenSSL's SSL_CERT_FILE
    replaces the system store for this test. requests (oss2, v2) reads REQUESTS_CA_BUNDLE."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_idp.cert_path))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls_idp.cert_path))


def test_tls_server_serves_https(tls_idp, tls_seed):
    assert tls_idp.endpoint.startswith("https://")
    assert "BEGIN CERTIFICATE" in tls_idp.cert_path.read_text()
    r = requests.get(
        f"https://localhost:{tls_idp.port}/?Action=GetCallerIdentity&Version=2015-04-01",
        verify=str(tls_idp.cert_path),
        timeout=30,
    )
    assert r.status_code in (400, 403, 404), r.text
    assert r.json()["Code"]


def test_credentials_ram_role_arn_provider_https(tls_idp, tls_seed, trust_dev_cert):
    t0 = time.time()
    provider = RamRoleArnCredentialsProvider(
        access_key_id=tls_seed["ak"],
        access_key_secret=tls_seed["secret"],
        role_arn=tls_seed["role_arn"],
        role_session_name="credentials-session",
        duration_seconds=900,
        sts_endpoint=f"localhost:{tls_idp.port}",
    )
    c = provider.get_credentials()
    assert c.get_access_key_id().startswith("STS.")
    assert c.get_security_token()
    # the provider parsed Expiration with %Y-%m-%dT%H:%M:%SZ into a Unix time
    assert abs(c.get_expiration() - t0 - 900) < 60
    b = oss2.Bucket(
        oss2.StsAuth(c.get_access_key_id(), c.get_access_key_secret(), c.get_security_token(), auth_version="v4"),
        tls_idp.endpoint,
        EXAMPLE,
        region=REGION,
    )
    b.put_object("https/cred.txt", b"over https")
    assert b.get_object("https/cred.txt").read() == b"over https"


def test_credentials_provider_session_policy_with_spaces(tls_idp, tls_seed, trust_dev_cert):
    """A policy from json.dumps has spaces: alibabacloud-credentials signs it with quote_plus (the
    'plus' variant of docs/protocol/rpc.md#tolerated-client-variants), which the server must accept;
    the policy is then enforced."""
    policy = json.dumps(GET_ONLY_POLICY)
    assert " " in policy
    tls_seed["example"].put_object("https/readable.txt", b"r")
    provider = RamRoleArnCredentialsProvider(
        access_key_id=tls_seed["ak"],
        access_key_secret=tls_seed["secret"],
        role_arn=tls_seed["role_arn"],
        role_session_name="credentials-policy",
        policy=policy,
        sts_endpoint=f"localhost:{tls_idp.port}",
    )
    c = provider.get_credentials()
    b = oss2.Bucket(
        oss2.StsAuth(c.get_access_key_id(), c.get_access_key_secret(), c.get_security_token(), auth_version="v4"),
        tls_idp.endpoint,
        EXAMPLE,
        region=REGION,
    )
    assert b.get_object("https/readable.txt").read() == b"r"
    with pytest.raises(oss2.exceptions.AccessDenied) as ei:
        b.put_object("https/blocked.txt", b"x")
    assert ei.value.ec == "0003-00000301"


def test_credentials_client_drives_tea_sts_and_oss_v2_https(tls_idp, tls_seed, trust_dev_cert):
    cred = CredentialClient(
        CredentialConfig(
            type="ram_role_arn",
            access_key_id=tls_seed["ak"],
            access_key_secret=tls_seed["secret"],
            role_arn=tls_seed["role_arn"],
            role_session_name="cred-client",
            sts_endpoint=f"localhost:{tls_idp.port}",
        )
    )
    sts = StsClient(tea_config(tls_idp, credential=cred))
    who = sts.get_caller_identity().body
    assert who.identity_type == "AssumedRoleUser"
    assert who.arn == f"acs:ram::{tls_seed['account_id']}:assumed-role/RamOssTest/cred-client"
    c = cred.get_credential()
    client = v2_temp_client(
        tls_idp,
        {"AccessKeyId": c.access_key_id, "AccessKeySecret": c.access_key_secret, "SecurityToken": c.security_token},
    )
    client.put_object(oss.PutObjectRequest(bucket=EXAMPLE, key="https/v2.txt", body=b"v2 https"))
    assert client.get_object(oss.GetObjectRequest(bucket=EXAMPLE, key="https/v2.txt")).body.read() == b"v2 https"
    with pytest.raises(oss.exceptions.OperationError) as ei:
        client.get_object(oss.GetObjectRequest(bucket=OTHER, key="secret.txt"))
    assert (v2_error(ei).status_code, v2_error(ei).code) == (403, "AccessDenied")


def test_tea_sts_assume_role_over_https(tls_idp, tls_seed, trust_dev_cert):
    sts = StsClient(tea_config(tls_idp, tls_seed["ak"], tls_seed["secret"]))
    body = sts.assume_role(
        sts_models.AssumeRoleRequest(role_arn=tls_seed["role_arn"], role_session_name="tea-https", duration_seconds=900)
    ).body
    assert body.credentials.access_key_id.startswith("STS.")
    assert body.assumed_role_user.arn == f"acs:ram::{tls_seed['account_id']}:role/RamOssTest/tea-https"
