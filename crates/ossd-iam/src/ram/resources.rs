//! The resources each RAM action is authorized on (spec 6.9), which also decides which actions
//! exist: anything else — including the SDK-only actions of spec 4.4 — is `InvalidAction.NotFound`.

use crate::ActionError;
use crate::params::Params;
use crate::{Caller, codes};

/// The SDK actions of spec 4.4, answered with `InvalidAction.NotFound` for now.
pub const STUB_ACTIONS: &[&str] = &[
    "BindMFADevice",
    "ChangePassword",
    "CreateLoginProfile",
    "CreateServiceLinkedRole",
    "CreateVirtualMFADevice",
    "DecodeDiagnosticMessage",
    "DeleteLoginProfile",
    "DeleteServiceLinkedRole",
    "DeleteVirtualMFADevice",
    "GetLoginProfile",
    "GetPasswordPolicy",
    "GetSecurityPreference",
    "GetServiceLinkedRoleTemplate",
    "GetUserMFAInfo",
    "ListTagResources",
    "ListVirtualMFADevices",
    "SetPasswordPolicy",
    "SetSecurityPreference",
    "TagResources",
    "UnbindMFADevice",
    "UntagResources",
    "UpdateLoginProfile",
];

/// `acs:ram:*:{acct}:{relative}`.
fn arn(account: &str, relative: &str) -> String {
    ossd_policy::ram_resource_arn(account, relative)
}

/// The resources of `action`, or `InvalidAction.NotFound`; missing names fail with `Missing*`.
pub(super) fn for_action(
    action: &str,
    caller: &Caller,
    p: Params<'_>,
    account: &str,
) -> Result<Vec<String>, ActionError> {
    let named = |param: &str, kind: &str| -> Result<String, ActionError> {
        Ok(arn(account, &format!("{kind}/{}", p.required(param)?)))
    };
    let one = |r: Result<String, ActionError>| r.map(|r| vec![r]);
    match action {
        "CreateUser" | "ListUsers" => Ok(vec![arn(account, "user/*")]),
        "GetUser" | "UpdateUser" | "DeleteUser" | "ListGroupsForUser" | "ListPoliciesForUser" => {
            one(named("UserName", "user"))
        }
        "CreateAccessKey"
        | "UpdateAccessKey"
        | "DeleteAccessKey"
        | "ListAccessKeys"
        | "GetAccessKeyLastUsed" => one(key_user(caller, p).map(|u| arn(account, &u))),
        "CreateGroup" | "ListGroups" => Ok(vec![arn(account, "group/*")]),
        "GetGroup"
        | "UpdateGroup"
        | "DeleteGroup"
        | "ListUsersForGroup"
        | "ListPoliciesForGroup" => one(named("GroupName", "group")),
        "AddUserToGroup" | "RemoveUserFromGroup" => Ok(vec![
            named("UserName", "user")?,
            named("GroupName", "group")?,
        ]),
        "CreateRole" | "ListRoles" => Ok(vec![arn(account, "role/*")]),
        "GetRole" | "UpdateRole" | "DeleteRole" | "ListPoliciesForRole" => {
            one(named("RoleName", "role"))
        }
        "CreatePolicy" | "ListPolicies" => Ok(vec![arn(account, "policy/*")]),
        "GetPolicy"
        | "DeletePolicy"
        | "CreatePolicyVersion"
        | "GetPolicyVersion"
        | "ListPolicyVersions"
        | "DeletePolicyVersion"
        | "SetDefaultPolicyVersion"
        | "UpdatePolicyDescription"
        | "ListEntitiesForPolicy" => one(named("PolicyName", "policy")),
        "AttachPolicyToUser" | "DetachPolicyFromUser" => Ok(vec![
            named("PolicyName", "policy")?,
            named("UserName", "user")?,
        ]),
        "AttachPolicyToGroup" | "DetachPolicyFromGroup" => Ok(vec![
            named("PolicyName", "policy")?,
            named("GroupName", "group")?,
        ]),
        "AttachPolicyToRole" | "DetachPolicyFromRole" => Ok(vec![
            named("PolicyName", "policy")?,
            named("RoleName", "role")?,
        ]),
        "GetAccountAlias" | "SetAccountAlias" | "ClearAccountAlias" => Ok(vec!["*".to_owned()]),
        _ => Err(ActionError::UnknownAction),
    }
}

/// The `user/{name}` resource of an AccessKey action: `UserName`, else the calling user itself
/// (root: its own keys, authorized anyway; a role session must name a user).
fn key_user(caller: &Caller, p: Params<'_>) -> Result<String, ActionError> {
    match (p.opt("UserName"), caller) {
        (Some(name), _) => Ok(format!("user/{name}")),
        (None, Caller::User { user_name, .. }) => Ok(format!("user/{user_name}")),
        (None, Caller::Root { .. }) => Ok("user/*".to_owned()),
        (None, _) => Err(codes::missing("UserName")),
    }
}
