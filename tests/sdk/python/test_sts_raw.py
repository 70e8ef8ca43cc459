"""Raw negative tests for STS credentials on the OSS API and for the RPC (POP v1) endpoint, sent with
plain `requests` (things the SDKs never send): forged/mismatched/missing tokens
(docs/protocol/sts.md#sts-credential-errors), AccessDenied details
(docs/protocol/access-denied.md#oss-accessdenied-document, #choosing-code-message-and-ec), nonce replay
and bad signatures (docs/protocol/rpc.md#v1-authentication-order)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import oss2
import pytest
import requests
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkram.request.v20150501.AttachPolicyToRoleRequest import AttachPolicyToRoleRequest
from aliyunsdkram.request.v20150501.CreatePolicyRequest import CreatePolicyRequest
from aliyunsdkram.request.v20150501.CreateRoleRequest import CreateRoleRequest
from aliyunsdkram.request.v20150501.DeleteRoleRequest import DeleteRoleRequest
from aliyunsdkram.request.v20150501.DetachPolicyFromRoleRequest import DetachPolicyFromRoleRequest
from aliyunsdkram.request.v20150501.UpdateAccessKeyRequest import UpdateAccessKeyRequest
from aliyunsdksts.request.v20150401.GetCallerIdentityRequest import GetCallerIdentityRequest

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer
from raw_helpers import signed_request, xml_value
from sts_helpers import (
    EXAMPLE,
    GET_ONLY_POLICY,
    OTHER,
    RAM_VERSION,
    STS_VERSION,
    acs_client,
    assume_role,
    core_call,
    rpc_get,
    rpc_v1_params,
    seed_ram_setup,
    trust_policy,
    utc_now_minus,
)


@pytest.fixture(scope="module")
def idp():
    srv = OssdServer().start()
    yield srv
    srv.stop()
    srv.cleanup()


@pytest.fixture(scope="module")
def seed(idp):
    s = seed_ram_setup(idp)
    root = oss2.Auth(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
    s["example"] = oss2.Bucket(root, idp.endpoint, EXAMPLE, region=REGION)
    s["example"].create_bucket()
    s["example"].put_object("obj.txt", b"raw sts object")
    s["other"] = oss2.Bucket(root, idp.endpoint, OTHER, region=REGION)
    s["other"].create_bucket()
    s["other"].put_object("secret.txt", b"secret")
    return s


@pytest.fixture(scope="module")
def sessions(idp, seed):
    """Two sessions of the seed role: 'alice' and 'bob'."""
    return {name: assume_role(idp, seed, session=name)["Credentials"] for name in ("alice", "bob")}


def tamper(token: str) -> str:
    i = len(token) // 2
    return token[:i] + ("B" if token[i] == "A" else "A") + token[i + 1 :]


def oss_get(endpoint, path, c, token=..., key_id=None, secret=None):
    """V1 header-signed GET with temporary credentials; token=... means c's own token, None means none."""
    headers = {}
    tok = c["SecurityToken"] if token is ... else token
    if tok is not None:
        headers["x-oss-security-token"] = tok
    return signed_request(
        endpoint,
        "GET",
        path,
        headers=headers,
        key_id=key_id or c["AccessKeyId"],
        secret=secret or c["AccessKeySecret"],
    )


def error_xml(r: requests.Response) -> ET.Element:
    assert r.headers.get("content-type", "").startswith("application/xml"), r.headers
    return ET.fromstring(r.content)


# ----------------------------------------------------------------- OSS with STS credentials


def test_valid_temporary_credentials_raw(idp, seed, sessions):
    r = oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", sessions["alice"])
    assert r.status_code == 200, r.text
    assert r.content == b"raw sts object"


def test_tampered_token_is_invalid_security_token(idp, seed, sessions):
    c = sessions["alice"]
    r = oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", c, token=tamper(c["SecurityToken"]))
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "InvalidSecurityToken"
    assert xml_value(r.text, "RequestId") == r.headers["x-oss-request-id"]
    # garbage that is not even base64
    r = oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", c, token="CAIS!!!not-a-token")
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "InvalidSecurityToken"


def test_token_of_another_session_does_not_match_the_key(idp, seed, sessions):
    a, b = sessions["alice"], sessions["bob"]
    r = oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", a, token=b["SecurityToken"])
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "AccessKeyIdAndSecurityTokenNotMatch"


def test_sts_key_without_token_is_invalid_access_key_id(idp, seed, sessions):
    c = sessions["alice"]
    r = oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", c, token=None)
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "InvalidAccessKeyId"
    assert xml_value(r.text, "OSSAccessKeyId") == c["AccessKeyId"]


def test_long_term_key_with_a_token_is_refused(idp, seed, sessions):
    """A token sent with a long-term AccessKeyId is treated as an STS request → InvalidAccessKeyId
    (docs/protocol/sts.md#sts-credential-errors)."""
    r = oss_get(
        idp.endpoint,
        f"/{EXAMPLE}/obj.txt",
        sessions["alice"],
        key_id=seed["ak"],
        secret=seed["secret"],
    )
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "InvalidAccessKeyId"


def test_wrong_temporary_secret_is_signature_mismatch(idp, seed, sessions):
    c = sessions["alice"]
    r = oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", c, secret=c["AccessKeySecret"][::-1])
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "SignatureDoesNotMatch"


def test_sts_credential_errors_carry_ec(idp, seed, sessions):
    """The EC column of docs/protocol/sts.md#sts-credential-errors: InvalidSecurityToken
    0002-00000006/8, NotMatch 0002-00000004, STS key without a token 0002-00000002 — in <EC> and in
    x-oss-ec."""
    a, b = sessions["alice"], sessions["bob"]
    cases = [
        (oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", a, token=tamper(a["SecurityToken"])), ("0002-00000006", "0002-00000008")),
        (oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", a, token=b["SecurityToken"]), ("0002-00000004",)),
        (oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", a, token=None), ("0002-00000002",)),
    ]
    for r, allowed in cases:
        code = xml_value(r.text, "Code")
        assert r.headers.get("x-oss-ec") in allowed, f"{code}: x-oss-ec={r.headers.get('x-oss-ec')!r}"
        assert xml_value(r.text, "EC") in allowed, f"{code}: {r.text}"


def test_access_denied_xml_has_detail_and_ec(idp, seed, sessions):
    """A role session reading a bucket outside its policy: implicit deny of a RAM caller
    (docs/protocol/access-denied.md#oss-accessdenied-document, #choosing-code-message-and-ec)."""
    c = sessions["alice"]
    r = oss_get(idp.endpoint, f"/{OTHER}/secret.txt", c)
    assert r.status_code == 403, r.text
    root = error_xml(r)
    assert root.findtext("Code") == "AccessDenied"
    detail = root.find("AccessDeniedDetail")
    assert detail is not None, r.text
    assert detail.findtext("AuthAction") == "oss:GetObject"
    assert detail.findtext("AuthPrincipalType") == "AssumedRoleUser"
    assert detail.findtext("AuthPrincipalOwnerId") == seed["account_id"]
    assert detail.findtext("AuthPrincipalDisplayName") == "RamOssTest:alice"
    assert detail.findtext("NoPermissionType") == "ImplicitDeny"
    assert detail.findtext("PolicyType") == "AccountLevelIdentityBasedPolicy"
    assert root.findtext("EC") == "0003-00000202"
    assert r.headers["x-oss-ec"] == "0003-00000202"
    assert root.findtext("Bucket") == OTHER
    assert root.findtext("RequestId") == r.headers["x-oss-request-id"]


def test_access_denied_on_head_travels_in_x_oss_err(idp, seed, sessions):
    c = sessions["alice"]
    headers = {"x-oss-security-token": c["SecurityToken"]}
    r = signed_request(
        idp.endpoint,
        "HEAD",
        f"/{OTHER}/secret.txt",
        headers=headers,
        key_id=c["AccessKeyId"],
        secret=c["AccessKeySecret"],
    )
    assert r.status_code == 403
    assert r.content == b""
    assert r.headers["x-oss-ec"] == "0003-00000202"
    err = ET.fromstring(base64.b64decode(r.headers["x-oss-err"]))
    assert err.findtext("Code") == "AccessDenied"
    assert err.findtext("AccessDeniedDetail/AuthAction") == "oss:GetObject"


def test_session_policy_denial_detail(idp, seed):
    c = assume_role(idp, seed, session="getonly", policy=GET_ONLY_POLICY)["Credentials"]
    headers = {"x-oss-security-token": c["SecurityToken"]}
    r = signed_request(
        idp.endpoint, "PUT", f"/{EXAMPLE}/blocked.txt", data=b"x", headers=headers,
        key_id=c["AccessKeyId"], secret=c["AccessKeySecret"],
    )
    assert r.status_code == 403, r.text
    root = error_xml(r)
    assert root.findtext("Code") == "AccessDenied"
    assert root.findtext("AccessDeniedDetail/PolicyType") == "SessionPolicy"
    assert root.findtext("AccessDeniedDetail/AuthAction") == "oss:PutObject"
    assert root.findtext("EC") == "0003-00000301"


def test_explicit_deny_in_role_policy_detail(idp, seed):
    """A Deny attached to the role beats the seed's Allow: ExplicitDeny, EC 0003-00000201."""
    root_client = acs_client(idp)
    deny = {"Version": "1", "Statement": [{"Effect": "Deny", "Action": "oss:GetObject", "Resource": "acs:oss:*:*:examplebucket/denied/*"}]}
    r = CreatePolicyRequest()
    r.set_PolicyName("DenyDenied")
    r.set_PolicyDocument(json.dumps(deny))
    core_call(root_client, idp, r)
    r = AttachPolicyToRoleRequest()
    r.set_PolicyType("Custom")
    r.set_PolicyName("DenyDenied")
    r.set_RoleName("RamOssTest")
    core_call(root_client, idp, r)
    try:
        seed["example"].put_object("denied/x.txt", b"x")
        c = assume_role(idp, seed, session="denied")["Credentials"]
        ok = oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", c)
        assert ok.status_code == 200, ok.text
        resp = oss_get(idp.endpoint, f"/{EXAMPLE}/denied/x.txt", c)
        assert resp.status_code == 403, resp.text
        x = error_xml(resp)
        assert x.findtext("Code") == "AccessDenied"
        assert x.findtext("AccessDeniedDetail/NoPermissionType") == "ExplicitDeny"
        assert x.findtext("AccessDeniedDetail/PolicyType") == "AccountLevelIdentityBasedPolicy"
        assert x.findtext("EC") == "0003-00000201"
    finally:
        r = DetachPolicyFromRoleRequest()
        r.set_PolicyType("Custom")
        r.set_PolicyName("DenyDenied")
        r.set_RoleName("RamOssTest")
        core_call(root_client, idp, r)


def _role_policy(client, idp, attach: bool, role: str, policy="RamTestPolicy"):
    r = AttachPolicyToRoleRequest() if attach else DetachPolicyFromRoleRequest()
    r.set_PolicyType("Custom")
    r.set_PolicyName(policy)
    r.set_RoleName(role)
    return core_call(client, idp, r)


def _create_role(client, idp, seed, name):
    r = CreateRoleRequest()
    r.set_RoleName(name)
    r.set_AssumeRolePolicyDocument(trust_policy(seed["account_id"]))
    return core_call(client, idp, r)["Role"]


def test_deleting_the_role_revokes_its_sessions(idp, seed):
    """DeleteRole (docs/protocol/ram.md#ram-action-semantics, docs/protocol/sts.md#sts-credential-errors):
    tokens of a deleted role are InvalidSecurityToken, also after a role of the same name is created
    again (it has another RoleId)."""
    root = acs_client(idp)
    role = _create_role(root, idp, seed, "Doomed")
    _role_policy(root, idp, True, "Doomed")
    c = assume_role(idp, {**seed, "role_arn": role["Arn"]}, session="doomed")["Credentials"]
    assert oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", c).status_code == 200
    # a role with attached policies cannot be deleted
    d = DeleteRoleRequest()
    d.set_RoleName("Doomed")
    with pytest.raises(ServerException) as ei:
        core_call(root, idp, d)
    assert (ei.value.get_http_status(), ei.value.get_error_code()) == (409, "DeleteConflict.Role.Policy")
    _role_policy(root, idp, False, "Doomed")
    core_call(root, idp, d)
    r = oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", c)
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "InvalidSecurityToken"
    # same name, new role: the old session stays dead
    again = _create_role(root, idp, seed, "Doomed")
    assert again["RoleId"] != role["RoleId"]
    _role_policy(root, idp, True, "Doomed")
    try:
        r = oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", c)
        assert r.status_code == 403, r.text
        assert xml_value(r.text, "Code") == "InvalidSecurityToken"
        fresh = assume_role(idp, {**seed, "role_arn": again["Arn"]}, session="reborn")["Credentials"]
        assert oss_get(idp.endpoint, f"/{EXAMPLE}/obj.txt", fresh).status_code == 200
    finally:
        _role_policy(root, idp, False, "Doomed")
        core_call(root, idp, d)


# ----------------------------------------------------------------- PostObject with STS (docs/protocol/post-object.md)


def _post_policy(conditions):
    exp = datetime.fromtimestamp(time.time() + 600, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return base64.b64encode(json.dumps({"expiration": exp, "conditions": conditions}).encode()).decode()


def post_object(endpoint, bucket, key, c, version="v1", token=..., body=b"posted"):
    """A browser-style PostObject (multipart form) signed with the temporary credentials `c`."""
    tok = c["SecurityToken"] if token is ... else token
    fields = {"key": key, "success_action_status": "201"}
    if version == "v1":
        policy = _post_policy([{"bucket": bucket}, ["starts-with", "$key", ""]])
        sig = base64.b64encode(hmac.new(c["AccessKeySecret"].encode(), policy.encode(), hashlib.sha1).digest()).decode()
        fields.update({"OSSAccessKeyId": c["AccessKeyId"], "policy": policy, "Signature": sig})
    else:
        now = datetime.now(timezone.utc)
        day, date = now.strftime("%Y%m%d"), now.strftime("%Y%m%dT%H%M%SZ")
        credential = f"{c['AccessKeyId']}/{day}/{REGION}/oss/aliyun_v4_request"
        conds = [
            {"bucket": bucket},
            {"x-oss-signature-version": "OSS4-HMAC-SHA256"},
            {"x-oss-credential": credential},
            {"x-oss-date": date},
            ["starts-with", "$key", ""],
        ]
        if tok is not None:
            conds.append({"x-oss-security-token": tok})
        policy = _post_policy(conds)
        k = ("aliyun_v4" + c["AccessKeySecret"]).encode()
        for part in (day, REGION, "oss", "aliyun_v4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        fields.update(
            {
                "x-oss-signature-version": "OSS4-HMAC-SHA256",
                "x-oss-credential": credential,
                "x-oss-date": date,
                "policy": policy,
                "x-oss-signature": hmac.new(k, policy.encode(), hashlib.sha256).hexdigest(),
            }
        )
    if tok is not None:
        fields["x-oss-security-token"] = tok
    files = [(name, (None, value)) for name, value in fields.items()] + [("file", ("upload.txt", body, "text/plain"))]
    return requests.post(f"{endpoint}/{bucket}/", files=files, timeout=30)


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_post_object_with_temporary_credentials(idp, seed, sessions, version):
    a, b = sessions["alice"], sessions["bob"]
    key = f"post/{version}.txt"
    r = post_object(idp.endpoint, EXAMPLE, key, a, version)
    assert r.status_code == 201, r.text
    assert xml_value(r.text, "Key") == key
    assert seed["example"].get_object(key).read() == b"posted"
    # the role may not write to another bucket
    r = post_object(idp.endpoint, OTHER, key, a, version)
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "AccessDenied"
    # no token with an STS key id (docs/protocol/sts.md#sts-credential-errors row 1)
    r = post_object(idp.endpoint, EXAMPLE, key + ".none", a, version, token=None)
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "InvalidAccessKeyId"
    # a forged token, another session's token
    r = post_object(idp.endpoint, EXAMPLE, key + ".forged", a, version, token=tamper(a["SecurityToken"]))
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "InvalidSecurityToken"
    r = post_object(idp.endpoint, EXAMPLE, key + ".mixed", a, version, token=b["SecurityToken"])
    assert r.status_code == 403, r.text
    assert xml_value(r.text, "Code") == "AccessKeyIdAndSecurityTokenNotMatch"
    for suffix in (".none", ".forged", ".mixed"):
        assert not seed["example"].object_exists(key + suffix)


# ----------------------------------------------------------------- RPC endpoint (POP v1)


def test_rpc_inactive_access_key(idp, seed):
    root = acs_client(idp)
    u = UpdateAccessKeyRequest()
    u.set_UserName(seed["user_name"])
    u.set_UserAccessKeyId(seed["ak"])
    u.set_Status("Inactive")
    core_call(root, idp, u)
    try:
        params, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, seed["ak"], seed["secret"])
        r = rpc_get(idp, params)
        assert (r.status_code, rpc_json(r)["Code"]) == (400, "InvalidAccessKeyId.Inactive")
        with pytest.raises(ServerException) as ei:
            assume_role(idp, seed, session="inactive")
        assert ei.value.get_error_code() == "InvalidAccessKeyId.Inactive"
    finally:
        u.set_Status("Active")
        core_call(root, idp, u)
    params, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, seed["ak"], seed["secret"])
    assert rpc_get(idp, params).status_code == 200


def rpc_json(r: requests.Response) -> dict:
    assert r.headers.get("content-type", "").startswith("application/json"), (r.status_code, r.headers, r.text)
    return r.json()


def test_rpc_replayed_nonce_is_refused(idp, seed):
    params, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, seed["ak"], seed["secret"], nonce="fixed-nonce-0001")
    first = rpc_get(idp, params)
    assert first.status_code == 200, first.text
    assert rpc_json(first)["IdentityType"] == "RAMUser"
    again = rpc_get(idp, params)
    assert again.status_code == 400, again.text
    body = rpc_json(again)
    assert body["Code"] == "SignatureNonceUsed"
    assert body["RequestId"] and body["Message"]
    # the same nonce with another AccessKeyId is a different (key, nonce) pair
    params2, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, ACCESS_KEY_ID, ACCESS_KEY_SECRET, nonce="fixed-nonce-0001")
    other = rpc_get(idp, params2)
    assert other.status_code == 200, other.text
    # a request whose signature is bad does not burn its nonce
    bad, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, seed["ak"], "wrong", nonce="fixed-nonce-0002")
    assert rpc_get(idp, bad).status_code == 400
    good, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, seed["ak"], seed["secret"], nonce="fixed-nonce-0002")
    assert rpc_get(idp, good).status_code == 200


def test_rpc_bad_signature(idp, seed):
    params, sts = rpc_v1_params("GetCallerIdentity", STS_VERSION, seed["ak"], "not-the-secret")
    r = rpc_get(idp, params)
    assert r.status_code == 400, r.text
    body = rpc_json(r)
    assert body["Code"] == "SignatureDoesNotMatch"
    prefix = "Specified signature is not matched with our calculation. server string to sign is:"
    assert body["Message"].startswith(prefix), body["Message"]
    assert body["Message"][len(prefix):] == sts
    assert body["RequestId"] and body["HostId"]
    # a RAM call too (POST form body)
    params, _ = rpc_v1_params("ListUsers", RAM_VERSION, ACCESS_KEY_ID, "nope", method="POST")
    r = requests.post(idp.endpoint + "/", data=params, timeout=30)
    assert r.status_code == 400, r.text
    assert rpc_json(r)["Code"] == "SignatureDoesNotMatch"


def test_rpc_bad_secret_through_aliyunsdkcore_reads_as_invalid_access_key_secret(idp, seed):
    """aliyun-python-sdk-core compares the server's string to sign with its own and, when equal, reports
    InvalidAccessKeySecret (docs/protocol/rpc.md#v1-authentication-order step 6): proves the message
    carries exactly our string to sign."""
    client = acs_client(idp, seed["ak"], "wrong-secret")
    with pytest.raises(ServerException) as ei:
        core_call(client, idp, GetCallerIdentityRequest())
    assert ei.value.get_http_status() == 400
    assert ei.value.get_error_code() == "InvalidAccessKeySecret", ei.value.get_error_msg()


def test_rpc_temporary_key_needs_its_token(idp, seed, sessions):
    c = sessions["alice"]
    params, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, c["AccessKeyId"], c["AccessKeySecret"])
    r = rpc_get(idp, params)
    assert r.status_code == 400, r.text
    assert rpc_json(r)["Code"] == "MissingSecurityToken"
    params, _ = rpc_v1_params(
        "GetCallerIdentity", STS_VERSION, c["AccessKeyId"], c["AccessKeySecret"], token=tamper(c["SecurityToken"])
    )
    r = rpc_get(idp, params)
    assert r.status_code == 400, r.text
    assert rpc_json(r)["Code"].startswith("InvalidSecurityToken"), r.text
    params, _ = rpc_v1_params(
        "GetCallerIdentity", STS_VERSION, c["AccessKeyId"], c["AccessKeySecret"], token=sessions["bob"]["SecurityToken"]
    )
    r = rpc_get(idp, params)
    assert r.status_code == 400, r.text
    assert rpc_json(r)["Code"] == "InvalidSecurityToken.MismatchWithAccessKey"
    params, _ = rpc_v1_params(
        "GetCallerIdentity", STS_VERSION, c["AccessKeyId"], c["AccessKeySecret"], token=c["SecurityToken"]
    )
    r = rpc_get(idp, params)
    assert r.status_code == 200, r.text
    assert rpc_json(r)["IdentityType"] == "AssumedRoleUser"


def test_rpc_protocol_errors(idp, seed):
    # stale timestamp
    params, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, seed["ak"], seed["secret"], timestamp=utc_now_minus(3600))
    r = rpc_get(idp, params)
    assert (r.status_code, rpc_json(r)["Code"]) == (400, "InvalidTimeStamp.Expired")
    # unknown key
    params, _ = rpc_v1_params("GetCallerIdentity", STS_VERSION, "LTAInoSuchKey0000000000", "x")
    r = rpc_get(idp, params)
    assert (r.status_code, rpc_json(r)["Code"]) == (404, "InvalidAccessKeyId.NotFound")
    # unknown action
    params, _ = rpc_v1_params("NoSuchAction", STS_VERSION, seed["ak"], seed["secret"])
    r = rpc_get(idp, params)
    assert (r.status_code, rpc_json(r)["Code"]) == (404, "InvalidAction.NotFound")
    # the RAM user may not use RAM (no RAM policy): 403 NoPermission with AccessDeniedDetail
    params, _ = rpc_v1_params("ListUsers", RAM_VERSION, seed["ak"], seed["secret"])
    r = rpc_get(idp, params)
    body = rpc_json(r)
    assert (r.status_code, body["Code"]) == (403, "NoPermission")
    assert body["AccessDeniedDetail"]["AuthAction"] == "ram:ListUsers"
    assert body["AccessDeniedDetail"]["AuthPrincipalType"] == "SubUser"
    assert body["AccessDeniedDetail"]["NoPermissionType"] == "ImplicitDeny"
