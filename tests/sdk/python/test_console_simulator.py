"""SimulatePrincipalPolicy, the ossd RAM extension behind the console's policy simulator
(docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension), called with the official
aliyun-python-sdk-core as any RPC action: the deciding statement of an explicit Deny and of an
Allow, condition values, the bucket's own policy (agreeing with a real oss2 request), a bucket
that does not exist, and NoPermission for a RAM user no policy allows to simulate."""

from __future__ import annotations

import json
import uuid

import oss2
import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.request import CommonRequest
from aliyunsdkram.request.v20150501.AttachPolicyToUserRequest import AttachPolicyToUserRequest
from aliyunsdkram.request.v20150501.CreateAccessKeyRequest import CreateAccessKeyRequest
from aliyunsdkram.request.v20150501.CreatePolicyRequest import CreatePolicyRequest
from aliyunsdkram.request.v20150501.CreateUserRequest import CreateUserRequest

from conftest import oss2_bucket, unique_bucket
from ossd_harness import OssdServer
from sts_helpers import RAM_VERSION, account_id, acs_client, core_call, host_of

POLICY = {
    "Version": "1",
    "Statement": [
        {"Effect": "Allow", "Action": "oss:*", "Resource": "*"},
        {
            "Sid": "NoDeleteFromOffice",
            "Effect": "Deny",
            "Action": "oss:DeleteObject",
            "Resource": "*",
            "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}},
        },
    ],
}


def simulate(client, server: OssdServer, **params) -> dict:
    req = CommonRequest(domain=host_of(server), version=RAM_VERSION, action_name="SimulatePrincipalPolicy")
    req.set_method("POST")
    req.set_protocol_type("https" if server.tls else "http")
    for k, v in params.items():
        req.add_query_param(k, v)
    return json.loads(client.do_action_with_exception(req))


@pytest.fixture(scope="module")
def examplebucket(endpoint):
    """A bucket of the account: the simulation evaluates its policy and ACL as a request would."""
    name = unique_bucket("sim")
    oss2_bucket(endpoint, name, "v4").create_bucket()
    return name


@pytest.fixture(scope="module")
def user(server):
    root = acs_client(server)
    name = f"sim-{uuid.uuid4().hex[:8]}"
    req = CreateUserRequest()
    req.set_UserName(name)
    core_call(root, server, req)
    req = CreatePolicyRequest()
    req.set_PolicyName(name)
    req.set_PolicyDocument(json.dumps(POLICY))
    core_call(root, server, req)
    req = AttachPolicyToUserRequest()
    req.set_PolicyType("Custom")
    req.set_PolicyName(name)
    req.set_UserName(name)
    core_call(root, server, req)
    req = CreateAccessKeyRequest()
    req.set_UserName(name)
    key = core_call(root, server, req)["AccessKey"]
    return name, key["AccessKeyId"], key["AccessKeySecret"]


def test_explicit_deny_names_its_statement(server, user, examplebucket):
    name, _, _ = user
    resource = f"acs:oss:*:{account_id(server)}:{examplebucket}/report.pdf"
    got = simulate(
        acs_client(server),
        server,
        UserName=name,
        ActionName="oss:DeleteObject",
        ResourceArn=resource,
        ContextEntries=json.dumps({"acs:SourceIp": "10.20.30.40"}),
    )
    assert got["EvalDecision"] == "explicitDeny"
    assert got["MatchedStatement"] == {"PolicyName": name, "StatementIndex": 1, "Sid": "NoDeleteFromOffice"}
    assert got["AccessDeniedDetail"]["NoPermissionType"] == "ExplicitDeny"
    assert got["AccessDeniedDetail"]["AuthAction"] == "oss:DeleteObject"
    assert got["RequestId"]


def test_allow_outside_the_condition(server, user, examplebucket):
    name, _, _ = user
    got = simulate(
        acs_client(server),
        server,
        UserName=name,
        ActionName="oss:DeleteObject",
        ResourceArn=f"acs:oss:*:{account_id(server)}:{examplebucket}/report.pdf",
        ContextEntries=json.dumps({"acs:SourceIp": "192.0.2.1"}),
    )
    assert got["EvalDecision"] == "allowed"
    assert got["MatchedStatement"]["StatementIndex"] == 0
    assert "AccessDeniedDetail" not in got
    assert got["DecidedBy"] == "IdentityPolicy"


def test_bucket_policy_deny_agrees_with_a_request(server, endpoint, user):
    name, key_id, secret = user
    bucket_name = unique_bucket("simpol")
    root_bucket = oss2_bucket(endpoint, bucket_name, "v4")
    root_bucket.create_bucket()
    root_bucket.put_object("report.pdf", b"pdf")
    policy = {
        "Version": "1",
        "Statement": [
            {
                "Sid": "NoReads",
                "Effect": "Deny",
                "Action": "oss:GetObject",
                "Principal": ["*"],
                "Resource": f"acs:oss:*:*:{bucket_name}/*",
            }
        ],
    }
    root_bucket.put_bucket_policy(json.dumps(policy))
    got = simulate(
        acs_client(server),
        server,
        UserName=name,
        ActionName="oss:GetObject",
        ResourceArn=f"acs:oss:*:{account_id(server)}:{bucket_name}/report.pdf",
    )
    assert got["EvalDecision"] == "explicitDeny"
    assert got["DecidedBy"] == "BucketPolicy"
    assert got["MatchedStatement"]["Sid"] == "NoReads"
    assert got["AccessDeniedDetail"]["PolicyType"] == "ResourceBasedPolicy"
    # The same request, signed by the user, is refused as the simulation says.
    user_bucket = oss2_bucket(endpoint, bucket_name, "v4", auth=oss2.AuthV4(key_id, secret))
    with pytest.raises(oss2.exceptions.AccessDenied):
        user_bucket.get_object("report.pdf")


def test_missing_bucket(server, user):
    name, _, _ = user
    got = simulate(
        acs_client(server),
        server,
        UserName=name,
        ActionName="oss:GetObject",
        ResourceArn=f"acs:oss:*:{account_id(server)}:{unique_bucket('gone')}/x",
    )
    assert got["EvalDecision"] == "noSuchBucket"
    assert got["MissingBucket"].startswith("gone-")


def test_a_ram_user_needs_permission_to_simulate(server, user):
    name, key_id, secret = user
    with pytest.raises(ServerException) as e:
        simulate(
            acs_client(server, key_id, secret),
            server,
            UserName=name,
            ActionName="oss:GetObject",
            ResourceArn="acs:oss:*:*:examplebucket/x",
        )
    assert e.value.get_http_status() == 403
    assert e.value.get_error_code() == "NoPermission"


def test_unknown_principal(server):
    with pytest.raises(ServerException) as e:
        simulate(
            acs_client(server),
            server,
            UserName="no-such-user",
            ActionName="oss:GetObject",
            ResourceArn="acs:oss:*:*:examplebucket/x",
        )
    assert e.value.get_error_code() == "EntityNotExist.User"
