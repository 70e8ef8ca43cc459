"""Helpers for the RAM/STS end-to-end tests: the seed's RAM setup with aliyun-python-sdk-ram
(signature v1, as the account root), AssumeRole with aliyun-python-sdk-sts, Tea (V3) client configs,
and a hand-made RPC v1 signer for raw negative tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import quote

import requests
from aliyunsdkcore.auth.credentials import StsTokenCredential
from aliyunsdkcore.client import AcsClient
from aliyunsdkram.request.v20150501.AttachPolicyToRoleRequest import AttachPolicyToRoleRequest
from aliyunsdkram.request.v20150501.AttachPolicyToUserRequest import AttachPolicyToUserRequest
from aliyunsdkram.request.v20150501.CreateAccessKeyRequest import CreateAccessKeyRequest
from aliyunsdkram.request.v20150501.CreatePolicyRequest import CreatePolicyRequest
from aliyunsdkram.request.v20150501.CreateRoleRequest import CreateRoleRequest
from aliyunsdkram.request.v20150501.CreateUserRequest import CreateUserRequest
from aliyunsdkram.request.v20150501.GetRoleRequest import GetRoleRequest
from aliyunsdksts.request.v20150401.AssumeRoleRequest import AssumeRoleRequest
from alibabacloud_tea_openapi import utils_models as open_api_models

from ossd_harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, REGION, OssdServer

STS_VERSION = "2015-04-01"
RAM_VERSION = "2015-05-01"
EXAMPLE = "examplebucket"
OTHER = "otherbucket"
ISO_SECONDS = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"

# The seed's role policy (step 4).
SEED_POLICY = {
    "Version": "1",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["oss:PutObject", "oss:GetObject"],
            "Resource": ["acs:oss:*:*:examplebucket", "acs:oss:*:*:examplebucket/*"],
        }
    ],
}
GET_ONLY_POLICY = {
    "Version": "1",
    "Statement": [{"Effect": "Allow", "Action": ["oss:GetObject"], "Resource": ["acs:oss:*:*:examplebucket/*"]}],
}
WIDE_POLICY = {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:*", "Resource": "*"}]}


def account_id(server: OssdServer) -> str:
    return json.loads((server.data_dir / "identity.json").read_text())["account_id"]


def trust_policy(acct: str) -> str:
    return json.dumps(
        {
            "Statement": [
                {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"RAM": [f"acs:ram::{acct}:root"]}}
            ],
            "Version": "1",
        }
    )


def host_of(server: OssdServer) -> str:
    """What the RPC SDKs take as endpoint: host:port (localhost for TLS: the certificate names it)."""
    return f"{'localhost' if server.tls else '127.0.0.1'}:{server.port}"


def acs_client(server: OssdServer, ak=ACCESS_KEY_ID, secret=ACCESS_KEY_SECRET, token=None) -> AcsClient:
    kw = {"auto_retry": False, "timeout": 30, "connect_timeout": 10}
    if server.tls:
        kw["verify"] = str(server.cert_path)
    if token:
        return AcsClient(region_id=REGION, credential=StsTokenCredential(ak, secret, token), **kw)
    return AcsClient(ak, secret, REGION, **kw)


def core_call(client: AcsClient, server: OssdServer, request) -> dict:
    """Send an aliyunsdkcore request to ossd (endpoint host:port, http or https) and parse the JSON."""
    request.set_endpoint(host_of(server))
    request.set_protocol_type("https" if server.tls else "http")
    return json.loads(client.do_action_with_exception(request))


def seed_ram_setup(
    server: OssdServer,
    user_name: str = "sts-seed-user",
    role_name: str = "RamOssTest",
    policy_name: str = "RamTestPolicy",
) -> dict:
    """The seed's steps 1–4 with aliyun-python-sdk-ram, as the account root. Returns all responses."""
    root = acs_client(server)
    acct = account_id(server)
    out = {"account_id": acct, "user_name": user_name, "role_name": role_name, "policy_name": policy_name}
    r = CreateUserRequest()
    r.set_UserName(user_name)
    r.set_DisplayName("STS seed user")
    out["create_user"] = core_call(root, server, r)
    r = CreateAccessKeyRequest()
    r.set_UserName(user_name)
    out["create_access_key"] = core_call(root, server, r)
    r = AttachPolicyToUserRequest()
    r.set_PolicyType("System")
    r.set_PolicyName("AliyunSTSAssumeRoleAccess")
    r.set_UserName(user_name)
    out["attach_user"] = core_call(root, server, r)
    r = CreateRoleRequest()
    r.set_RoleName(role_name)
    r.set_AssumeRolePolicyDocument(trust_policy(acct))
    r.set_Description("seed role")
    out["create_role"] = core_call(root, server, r)
    r = CreatePolicyRequest()
    r.set_PolicyName(policy_name)
    r.set_PolicyDocument(json.dumps(SEED_POLICY, indent=2))
    out["create_policy"] = core_call(root, server, r)
    r = AttachPolicyToRoleRequest()
    r.set_PolicyType("Custom")
    r.set_PolicyName(policy_name)
    r.set_RoleName(role_name)
    out["attach_role"] = core_call(root, server, r)
    r = GetRoleRequest()
    r.set_RoleName(role_name)
    out["get_role"] = core_call(root, server, r)
    out["role_arn"] = out["get_role"]["Role"]["Arn"]
    out["role_id"] = out["get_role"]["Role"]["RoleId"]
    out["ak"] = out["create_access_key"]["AccessKey"]["AccessKeyId"]
    out["secret"] = out["create_access_key"]["AccessKey"]["AccessKeySecret"]
    return out


def assume_role(server: OssdServer, seed: dict, session="sessiontest", duration=3000, policy=None) -> dict:
    """AssumeRole with aliyun-python-sdk-sts as the seed's RAM user; returns the whole JSON body."""
    r = AssumeRoleRequest()
    r.set_RoleArn(seed["role_arn"])
    r.set_RoleSessionName(session)
    r.set_DurationSeconds(duration)
    if policy is not None:
        r.set_Policy(policy if isinstance(policy, str) else json.dumps(policy))
    return core_call(acs_client(server, seed["ak"], seed["secret"]), server, r)


def tea_config(server: OssdServer, ak=ACCESS_KEY_ID, secret=ACCESS_KEY_SECRET, token=None, credential=None):
    """A Tea (alibabacloud-tea-openapi) Config pointing at ossd; V3 (ACS3-HMAC-SHA256) signing."""
    cfg = open_api_models.Config(
        endpoint=host_of(server),
        protocol="https" if server.tls else "http",
        region_id=REGION,
        read_timeout=30000,
        connect_timeout=10000,
    )
    if credential is not None:
        cfg.credential = credential
    else:
        cfg.access_key_id = ak
        cfg.access_key_secret = secret
        if token:
            cfg.security_token = token
    return cfg


# ----- raw RPC v1 (docs/protocol/rpc.md#v1-signature) -----


def percent_encode(s: str) -> str:
    return quote(str(s), safe="-_.~")


def rpc_v1_string_to_sign(method: str, params: dict) -> str:
    canon = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent_encode('/')}&{percent_encode(canon)}"


def rpc_v1_params(action, version, ak, secret, extra=None, nonce=None, timestamp=None, method="GET", token=None):
    """Signed v1 parameters; returns (params_with_signature, string_to_sign)."""
    params = {
        "Action": action,
        "Version": version,
        "Format": "JSON",
        "AccessKeyId": ak,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": nonce or uuid.uuid4().hex,
        "Timestamp": timestamp or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if token:
        params["SecurityToken"] = token
    params.update(extra or {})
    sts = rpc_v1_string_to_sign(method, params)
    sig = base64.b64encode(hmac.new(f"{secret}&".encode(), sts.encode(), hashlib.sha1).digest()).decode()
    return {**params, "Signature": sig}, sts


def rpc_get(server: OssdServer, params: dict) -> requests.Response:
    return requests.get(server.endpoint + "/", params=params, timeout=30)


def utc_now_minus(seconds: int) -> str:
    return datetime.fromtimestamp(time.time() - seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ram_call(server: OssdServer, action: str, ak=ACCESS_KEY_ID, secret=ACCESS_KEY_SECRET, method="POST", **params):
    """Any RAM action through aliyunsdkcore's CommonRequest (v1 signature, parameters in the query)."""
    from aliyunsdkcore.request import CommonRequest

    r = CommonRequest(domain=host_of(server), version=RAM_VERSION, action_name=action)
    r.set_method(method)
    r.set_protocol_type("https" if server.tls else "http")
    for k, v in params.items():
        r.add_query_param(k, v)
    return json.loads(acs_client(server, ak, secret).do_action_with_exception(r))


def ram_user(server: OssdServer, prefix: str, policy: dict | None = None) -> dict:
    """A new RAM user (named `prefix-<random>`) with an AccessKey and, when `policy` is given, a
    custom policy of the same name attached: the AccessKey as CreateAccessKey returns it."""
    import uuid

    user = f"{prefix}-{uuid.uuid4().hex[:8]}"
    ram_call(server, "CreateUser", UserName=user)
    key = ram_call(server, "CreateAccessKey", UserName=user)["AccessKey"]
    if policy is not None:
        ram_call(server, "CreatePolicy", PolicyName=user, PolicyDocument=json.dumps(policy))
        ram_call(server, "AttachPolicyToUser", PolicyType="Custom", PolicyName=user, UserName=user)
    return key


def wide_role_session(server: OssdServer, name: str, session_policy: dict) -> dict:
    """Credentials of an STS session limited by `session_policy`: a new RAM user `name` (allowed
    `sts:AssumeRole`) assumes a new role `name` that trusts the account and has
    `AliyunOSSFullAccess`, so what the session may do is what its session policy allows."""
    acct = account_id(server)
    ram_call(server, "CreateUser", UserName=name)
    key = ram_call(server, "CreateAccessKey", UserName=name)["AccessKey"]
    ram_call(server, "AttachPolicyToUser", PolicyType="System", PolicyName="AliyunSTSAssumeRoleAccess", UserName=name)
    role = ram_call(server, "CreateRole", RoleName=name, AssumeRolePolicyDocument=trust_policy(acct))["Role"]
    ram_call(server, "AttachPolicyToRole", PolicyType="System", PolicyName="AliyunOSSFullAccess", RoleName=name)
    seed = {"role_arn": role["Arn"], "ak": key["AccessKeyId"], "secret": key["AccessKeySecret"]}
    return assume_role(server, seed, session="alice", policy=session_policy)["Credentials"]
