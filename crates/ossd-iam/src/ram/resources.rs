//! The resources each RAM action is authorized on (docs/protocol/authorization.md#ram-and-sts-action-resources), .

use crate::ActionError;
use crate::params::Params;
use crate::{Caller, RamAction, codes};

/// The SDK actions of docs/protocol/ram.md#sdk-only-actions, answered with `InvalidAction.NotFound` for now.
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

/// The resources of `action`; missing names fail with `Missing*`.
pub(super) fn for_action(
    action: RamAction,
    caller: &Caller,
    p: Params<'_>,
    account: &str,
) -> Result<Vec<String>, ActionError> {
    let named = |param: &str, kind: &str| -> Result<String, ActionError> {
        Ok(arn(account, &format!("{kind}/{}", p.required(param)?)))
    };
    let one = |r: Result<String, ActionError>| r.map(|r| vec![r]);
    use RamAction as A;
    match action {
        A::CreateUser | A::ListUsers => Ok(vec![arn(account, "user/*")]),
        A::GetUser
        | A::UpdateUser
        | A::DeleteUser
        | A::ListGroupsForUser
        | A::ListPoliciesForUser => one(named("UserName", "user")),
        A::CreateAccessKey
        | A::UpdateAccessKey
        | A::DeleteAccessKey
        | A::ListAccessKeys
        | A::GetAccessKeyLastUsed => one(key_user(caller, p).map(|u| arn(account, &u))),
        A::CreateGroup | A::ListGroups => Ok(vec![arn(account, "group/*")]),
        A::GetGroup
        | A::UpdateGroup
        | A::DeleteGroup
        | A::ListUsersForGroup
        | A::ListPoliciesForGroup => one(named("GroupName", "group")),
        A::AddUserToGroup | A::RemoveUserFromGroup => Ok(vec![
            named("UserName", "user")?,
            named("GroupName", "group")?,
        ]),
        A::CreateRole | A::ListRoles => Ok(vec![arn(account, "role/*")]),
        A::GetRole | A::UpdateRole | A::DeleteRole | A::ListPoliciesForRole => {
            one(named("RoleName", "role"))
        }
        A::CreatePolicy | A::ListPolicies => Ok(vec![arn(account, "policy/*")]),
        A::GetPolicy
        | A::DeletePolicy
        | A::CreatePolicyVersion
        | A::GetPolicyVersion
        | A::ListPolicyVersions
        | A::DeletePolicyVersion
        | A::SetDefaultPolicyVersion
        | A::UpdatePolicyDescription
        | A::ListEntitiesForPolicy => one(named("PolicyName", "policy")),
        A::AttachPolicyToUser | A::DetachPolicyFromUser => Ok(vec![
            named("PolicyName", "policy")?,
            named("UserName", "user")?,
        ]),
        A::AttachPolicyToGroup | A::DetachPolicyFromGroup => Ok(vec![
            named("PolicyName", "policy")?,
            named("GroupName", "group")?,
        ]),
        A::AttachPolicyToRole | A::DetachPolicyFromRole => Ok(vec![
            named("PolicyName", "policy")?,
            named("RoleName", "role")?,
        ]),
        A::GetAccountAlias | A::SetAccountAlias | A::ClearAccountAlias => Ok(vec!["*".to_owned()]),
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
