//! [`RamCall`]: one RAM action with its typed parameters (docs/protocol/ram.md#ram-actions), its
//! name, whether it changes state, and the resources it is authorized on
//! (docs/protocol/authorization.md#ram-and-sts-action-resources). `ossd-rpc` builds calls from
//! the wire parameters; the emulator builds them directly.

use super::simulate::{SimulatedPrincipal, Simulation};
use super::values::{
    AccountAlias, GroupName, Page, PolicyDocument, PolicyName, PolicyRef, RoleName,
    SessionDuration, UserName, VersionId,
};
use crate::store::PolicyType;
use crate::{ActionError, Caller, RamAction, codes};

/// CreateUser's parameters (optional fields: `None` or empty when not sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// `UserName`.
    pub user_name: UserName,
    /// `DisplayName`.
    pub display_name: Option<String>,
    /// `Comments`.
    pub comments: Option<String>,
    /// `Email`.
    pub email: Option<String>,
    /// `MobilePhone`.
    pub mobile_phone: Option<String>,
}

impl NewUser {
    /// A user with only a name.
    pub const fn named(user_name: UserName) -> Self {
        Self {
            user_name,
            display_name: None,
            comments: None,
            email: None,
            mobile_phone: None,
        }
    }
}

/// UpdateUser's parameters: `Some` fields change (an empty text clears the field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserUpdate {
    /// `UserName`.
    pub user_name: UserName,
    /// `NewUserName` (the UserId stays).
    pub new_user_name: Option<UserName>,
    /// `NewDisplayName`.
    pub new_display_name: Option<String>,
    /// `NewComments`.
    pub new_comments: Option<String>,
    /// `NewEmail`.
    pub new_email: Option<String>,
    /// `NewMobilePhone`.
    pub new_mobile_phone: Option<String>,
}

/// CreateGroup's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroup {
    /// `GroupName`.
    pub group_name: GroupName,
    /// `Comments`.
    pub comments: Option<String>,
}

/// UpdateGroup's parameters: `Some` fields change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupUpdate {
    /// `GroupName`.
    pub group_name: GroupName,
    /// `NewGroupName`.
    pub new_group_name: Option<GroupName>,
    /// `NewComments` (empty clears).
    pub new_comments: Option<String>,
}

/// CreateRole's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRole {
    /// `RoleName`.
    pub role_name: RoleName,
    /// `AssumeRolePolicyDocument`: the trust policy.
    pub trust_policy: PolicyDocument,
    /// `Description`.
    pub description: Option<String>,
    /// `MaxSessionDuration` (default 3600 seconds).
    pub max_session_duration: Option<SessionDuration>,
    /// `AllowConsoleLogin` (default false).
    pub allow_console_login: Option<bool>,
}

/// UpdateRole's parameters: `Some` fields change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleUpdate {
    /// `RoleName`.
    pub role_name: RoleName,
    /// `NewAssumeRolePolicyDocument`.
    pub new_trust_policy: Option<PolicyDocument>,
    /// `NewDescription` (empty clears).
    pub new_description: Option<String>,
    /// `NewMaxSessionDuration`.
    pub new_max_session_duration: Option<SessionDuration>,
    /// `NewAllowConsoleLogin`.
    pub new_allow_console_login: Option<bool>,
}

/// CreatePolicy's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPolicy {
    /// `PolicyName`.
    pub policy_name: PolicyName,
    /// `PolicyDocument`: version `v1`.
    pub document: PolicyDocument,
    /// `Description`.
    pub description: Option<String>,
}

/// CreatePolicyVersion's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPolicyVersion {
    /// `PolicyName` (a custom policy).
    pub policy_name: PolicyName,
    /// `PolicyDocument`.
    pub document: PolicyDocument,
    /// `SetAsDefault`.
    pub set_as_default: bool,
    /// `RotateStrategy=DeleteOldestNonDefaultVersionWhenLimitExceeded`: at the version limit,
    /// delete the oldest non-default version instead of failing.
    pub rotate: bool,
}

/// The AccessKey an action addresses: `UserAccessKeyId` of `UserName` (else of the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRef {
    /// `UserName`; `None`: the calling user's (root: the root's) keys.
    pub user_name: Option<UserName>,
    /// `UserAccessKeyId`; empty when not sent, answered with 400 `MissingUserAccessKeyId`
    /// after the owner is read (the order of docs/protocol/ram.md#ram-action-semantics).
    pub access_key_id: String,
}

/// A RAM action with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RamCall {
    /// CreateUser.
    CreateUser(NewUser),
    /// GetUser.
    GetUser {
        /// `UserName`.
        user_name: UserName,
    },
    /// UpdateUser.
    UpdateUser(UserUpdate),
    /// ListUsers.
    ListUsers(Page),
    /// DeleteUser.
    DeleteUser {
        /// `UserName`.
        user_name: UserName,
    },
    /// CreateAccessKey (`user_name` `None`: a key of the calling user; root: of root).
    CreateAccessKey {
        /// `UserName`.
        user_name: Option<UserName>,
    },
    /// ListAccessKeys.
    ListAccessKeys {
        /// `UserName`.
        user_name: Option<UserName>,
    },
    /// UpdateAccessKey (`status` as sent, `Active` / `Inactive`, checked after the owner is
    /// read: `MissingStatus`, `InvalidParameter.Status`).
    UpdateAccessKey {
        /// `UserName` and `UserAccessKeyId`.
        key: KeyRef,
        /// `Status` as sent.
        status: Option<String>,
    },
    /// DeleteAccessKey.
    DeleteAccessKey(KeyRef),
    /// GetAccessKeyLastUsed.
    GetAccessKeyLastUsed(KeyRef),
    /// CreateGroup.
    CreateGroup(NewGroup),
    /// GetGroup.
    GetGroup {
        /// `GroupName`.
        group_name: GroupName,
    },
    /// UpdateGroup.
    UpdateGroup(GroupUpdate),
    /// ListGroups.
    ListGroups(Page),
    /// DeleteGroup.
    DeleteGroup {
        /// `GroupName`.
        group_name: GroupName,
    },
    /// AddUserToGroup.
    AddUserToGroup {
        /// `UserName`.
        user_name: UserName,
        /// `GroupName`.
        group_name: GroupName,
    },
    /// RemoveUserFromGroup.
    RemoveUserFromGroup {
        /// `UserName`.
        user_name: UserName,
        /// `GroupName`.
        group_name: GroupName,
    },
    /// ListGroupsForUser.
    ListGroupsForUser {
        /// `UserName`.
        user_name: UserName,
    },
    /// ListUsersForGroup.
    ListUsersForGroup {
        /// `GroupName`.
        group_name: GroupName,
        /// `MaxItems` and `Marker`.
        page: Page,
    },
    /// CreateRole.
    CreateRole(NewRole),
    /// GetRole.
    GetRole {
        /// `RoleName`.
        role_name: RoleName,
    },
    /// UpdateRole.
    UpdateRole(RoleUpdate),
    /// ListRoles.
    ListRoles(Page),
    /// DeleteRole.
    DeleteRole {
        /// `RoleName`.
        role_name: RoleName,
    },
    /// CreatePolicy.
    CreatePolicy(NewPolicy),
    /// GetPolicy.
    GetPolicy(PolicyRef),
    /// ListPolicies.
    ListPolicies {
        /// `PolicyType`: only policies of that type.
        policy_type: Option<PolicyType>,
        /// `MaxItems` and `Marker`.
        page: Page,
    },
    /// UpdatePolicyDescription.
    UpdatePolicyDescription {
        /// `PolicyName`.
        policy_name: PolicyName,
        /// `NewDescription` (empty clears).
        description: String,
    },
    /// DeletePolicy.
    DeletePolicy {
        /// `PolicyName`.
        policy_name: PolicyName,
        /// `CascadingDelete`: also delete the non-default versions.
        cascading: bool,
    },
    /// CreatePolicyVersion.
    CreatePolicyVersion(NewPolicyVersion),
    /// GetPolicyVersion.
    GetPolicyVersion {
        /// `PolicyName` and `PolicyType`.
        policy: PolicyRef,
        /// `VersionId`.
        version: VersionId,
    },
    /// ListPolicyVersions.
    ListPolicyVersions(PolicyRef),
    /// DeletePolicyVersion.
    DeletePolicyVersion {
        /// `PolicyName`.
        policy_name: PolicyName,
        /// `VersionId`.
        version: VersionId,
    },
    /// SetDefaultPolicyVersion.
    SetDefaultPolicyVersion {
        /// `PolicyName`.
        policy_name: PolicyName,
        /// `VersionId`.
        version: VersionId,
    },
    /// AttachPolicyToUser.
    AttachPolicyToUser {
        /// `PolicyName` and `PolicyType`.
        policy: PolicyRef,
        /// `UserName`.
        user_name: UserName,
    },
    /// AttachPolicyToGroup.
    AttachPolicyToGroup {
        /// `PolicyName` and `PolicyType`.
        policy: PolicyRef,
        /// `GroupName`.
        group_name: GroupName,
    },
    /// AttachPolicyToRole.
    AttachPolicyToRole {
        /// `PolicyName` and `PolicyType`.
        policy: PolicyRef,
        /// `RoleName`.
        role_name: RoleName,
    },
    /// DetachPolicyFromUser.
    DetachPolicyFromUser {
        /// `PolicyName` and `PolicyType`.
        policy: PolicyRef,
        /// `UserName`.
        user_name: UserName,
    },
    /// DetachPolicyFromGroup.
    DetachPolicyFromGroup {
        /// `PolicyName` and `PolicyType`.
        policy: PolicyRef,
        /// `GroupName`.
        group_name: GroupName,
    },
    /// DetachPolicyFromRole.
    DetachPolicyFromRole {
        /// `PolicyName` and `PolicyType`.
        policy: PolicyRef,
        /// `RoleName`.
        role_name: RoleName,
    },
    /// ListPoliciesForUser.
    ListPoliciesForUser {
        /// `UserName`.
        user_name: UserName,
    },
    /// ListPoliciesForGroup.
    ListPoliciesForGroup {
        /// `GroupName`.
        group_name: GroupName,
    },
    /// ListPoliciesForRole.
    ListPoliciesForRole {
        /// `RoleName`.
        role_name: RoleName,
    },
    /// ListEntitiesForPolicy.
    ListEntitiesForPolicy(PolicyRef),
    /// GetAccountAlias.
    GetAccountAlias,
    /// SetAccountAlias.
    SetAccountAlias {
        /// `AccountAlias`.
        alias: AccountAlias,
    },
    /// ClearAccountAlias.
    ClearAccountAlias,
    /// SimulatePrincipalPolicy (an ossd extension).
    SimulatePrincipalPolicy(Simulation),
}

impl RamCall {
    /// The action.
    pub const fn action(&self) -> RamAction {
        use RamAction as A;
        match self {
            Self::CreateUser(_) => A::CreateUser,
            Self::GetUser { .. } => A::GetUser,
            Self::UpdateUser(_) => A::UpdateUser,
            Self::ListUsers(_) => A::ListUsers,
            Self::DeleteUser { .. } => A::DeleteUser,
            Self::CreateAccessKey { .. } => A::CreateAccessKey,
            Self::ListAccessKeys { .. } => A::ListAccessKeys,
            Self::UpdateAccessKey { .. } => A::UpdateAccessKey,
            Self::DeleteAccessKey(_) => A::DeleteAccessKey,
            Self::GetAccessKeyLastUsed(_) => A::GetAccessKeyLastUsed,
            Self::CreateGroup(_) => A::CreateGroup,
            Self::GetGroup { .. } => A::GetGroup,
            Self::UpdateGroup(_) => A::UpdateGroup,
            Self::ListGroups(_) => A::ListGroups,
            Self::DeleteGroup { .. } => A::DeleteGroup,
            Self::AddUserToGroup { .. } => A::AddUserToGroup,
            Self::RemoveUserFromGroup { .. } => A::RemoveUserFromGroup,
            Self::ListGroupsForUser { .. } => A::ListGroupsForUser,
            Self::ListUsersForGroup { .. } => A::ListUsersForGroup,
            Self::CreateRole(_) => A::CreateRole,
            Self::GetRole { .. } => A::GetRole,
            Self::UpdateRole(_) => A::UpdateRole,
            Self::ListRoles(_) => A::ListRoles,
            Self::DeleteRole { .. } => A::DeleteRole,
            Self::CreatePolicy(_) => A::CreatePolicy,
            Self::GetPolicy(_) => A::GetPolicy,
            Self::ListPolicies { .. } => A::ListPolicies,
            Self::UpdatePolicyDescription { .. } => A::UpdatePolicyDescription,
            Self::DeletePolicy { .. } => A::DeletePolicy,
            Self::CreatePolicyVersion(_) => A::CreatePolicyVersion,
            Self::GetPolicyVersion { .. } => A::GetPolicyVersion,
            Self::ListPolicyVersions(_) => A::ListPolicyVersions,
            Self::DeletePolicyVersion { .. } => A::DeletePolicyVersion,
            Self::SetDefaultPolicyVersion { .. } => A::SetDefaultPolicyVersion,
            Self::AttachPolicyToUser { .. } => A::AttachPolicyToUser,
            Self::AttachPolicyToGroup { .. } => A::AttachPolicyToGroup,
            Self::AttachPolicyToRole { .. } => A::AttachPolicyToRole,
            Self::DetachPolicyFromUser { .. } => A::DetachPolicyFromUser,
            Self::DetachPolicyFromGroup { .. } => A::DetachPolicyFromGroup,
            Self::DetachPolicyFromRole { .. } => A::DetachPolicyFromRole,
            Self::ListPoliciesForUser { .. } => A::ListPoliciesForUser,
            Self::ListPoliciesForGroup { .. } => A::ListPoliciesForGroup,
            Self::ListPoliciesForRole { .. } => A::ListPoliciesForRole,
            Self::ListEntitiesForPolicy(_) => A::ListEntitiesForPolicy,
            Self::GetAccountAlias => A::GetAccountAlias,
            Self::SetAccountAlias { .. } => A::SetAccountAlias,
            Self::ClearAccountAlias => A::ClearAccountAlias,
            Self::SimulatePrincipalPolicy(_) => A::SimulatePrincipalPolicy,
        }
    }

    /// The action's name, e.g. `CreateUser`.
    pub const fn name(&self) -> &'static str {
        self.action().name()
    }

    /// Whether the call changes state (everything but the `Get*` and `List*` reads).
    pub const fn is_mutation(&self) -> bool {
        self.action().is_mutation()
    }

    /// The resources the call is authorized on in `account`
    /// (docs/protocol/authorization.md#ram-and-sts-action-resources). An AccessKey call without
    /// `UserName` addresses the calling user (root: `user/*`); a role session must name a
    /// user (400 `MissingUserName`).
    pub fn resources(&self, caller: &Caller, account: &str) -> Result<Vec<String>, ActionError> {
        self.names().resources(self.action(), caller, account)
    }

    /// The names the call is authorized on.
    fn names(&self) -> RamNames<'_> {
        let mut names = RamNames::default();
        match self {
            Self::GetUser { user_name }
            | Self::DeleteUser { user_name }
            | Self::UpdateUser(UserUpdate { user_name, .. })
            | Self::ListGroupsForUser { user_name }
            | Self::ListPoliciesForUser { user_name } => names.user = Some(user_name.as_str()),
            Self::CreateAccessKey { user_name } | Self::ListAccessKeys { user_name } => {
                names.user = user_name.as_ref().map(UserName::as_str);
            }
            Self::UpdateAccessKey { key, .. }
            | Self::DeleteAccessKey(key)
            | Self::GetAccessKeyLastUsed(key) => {
                names.user = key.user_name.as_ref().map(UserName::as_str);
            }
            Self::GetGroup { group_name }
            | Self::UpdateGroup(GroupUpdate { group_name, .. })
            | Self::DeleteGroup { group_name }
            | Self::ListUsersForGroup { group_name, .. }
            | Self::ListPoliciesForGroup { group_name } => names.group = Some(group_name.as_str()),
            Self::AddUserToGroup {
                user_name,
                group_name,
            }
            | Self::RemoveUserFromGroup {
                user_name,
                group_name,
            } => {
                names.user = Some(user_name.as_str());
                names.group = Some(group_name.as_str());
            }
            Self::GetRole { role_name }
            | Self::UpdateRole(RoleUpdate { role_name, .. })
            | Self::DeleteRole { role_name }
            | Self::ListPoliciesForRole { role_name } => names.role = Some(role_name.as_str()),
            Self::GetPolicy(PolicyRef { name, .. })
            | Self::ListPolicyVersions(PolicyRef { name, .. })
            | Self::ListEntitiesForPolicy(PolicyRef { name, .. })
            | Self::GetPolicyVersion {
                policy: PolicyRef { name, .. },
                ..
            }
            | Self::DeletePolicy {
                policy_name: name, ..
            }
            | Self::UpdatePolicyDescription {
                policy_name: name, ..
            }
            | Self::CreatePolicyVersion(NewPolicyVersion {
                policy_name: name, ..
            })
            | Self::DeletePolicyVersion {
                policy_name: name, ..
            }
            | Self::SetDefaultPolicyVersion {
                policy_name: name, ..
            } => names.policy = Some(name.as_str()),
            Self::AttachPolicyToUser { policy, user_name }
            | Self::DetachPolicyFromUser { policy, user_name } => {
                names.policy = Some(policy.name.as_str());
                names.user = Some(user_name.as_str());
            }
            Self::AttachPolicyToGroup { policy, group_name }
            | Self::DetachPolicyFromGroup { policy, group_name } => {
                names.policy = Some(policy.name.as_str());
                names.group = Some(group_name.as_str());
            }
            Self::AttachPolicyToRole { policy, role_name }
            | Self::DetachPolicyFromRole { policy, role_name } => {
                names.policy = Some(policy.name.as_str());
                names.role = Some(role_name.as_str());
            }
            Self::SimulatePrincipalPolicy(sim) => match &sim.principal {
                SimulatedPrincipal::User(user_name) => names.user = Some(user_name.as_str()),
                SimulatedPrincipal::Role { role_name, .. } => {
                    names.role = Some(role_name.as_str());
                }
            },
            Self::CreateUser(_)
            | Self::ListUsers(_)
            | Self::CreateGroup(_)
            | Self::ListGroups(_)
            | Self::CreateRole(_)
            | Self::ListRoles(_)
            | Self::CreatePolicy(_)
            | Self::ListPolicies { .. }
            | Self::GetAccountAlias
            | Self::SetAccountAlias { .. }
            | Self::ClearAccountAlias => {}
        }
        names
    }
}

/// The names a RAM action is authorized on (`UserName`, `GroupName`, `RoleName`, `PolicyName`),
/// as sent: [`RamCall::resources`] reads them from a call, `ossd-rpc` from the parameters of a
/// call that does not parse (so that a caller not allowed to make it is refused before it
/// learns which parameter is wrong).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RamNames<'a> {
    /// `UserName`.
    pub user: Option<&'a str>,
    /// `GroupName`.
    pub group: Option<&'a str>,
    /// `RoleName`.
    pub role: Option<&'a str>,
    /// `PolicyName`.
    pub policy: Option<&'a str>,
}

impl RamNames<'_> {
    /// The resources of `action` in `account` (docs/protocol/authorization.md#ram-and-sts-action-resources);
    /// a name the action needs but is `None` fails with 400 `Missing{Name}` (policy first).
    pub fn resources(
        &self,
        action: RamAction,
        caller: &Caller,
        account: &str,
    ) -> Result<Vec<String>, ActionError> {
        let arn = |relative: String| ossd_policy::ram_resource_arn(account, &relative);
        let named = |name: Option<&str>, param: &str, kind: &str| match name {
            Some(n) => Ok(arn(format!("{kind}/{n}"))),
            None => Err(codes::missing(param)),
        };
        let user = || named(self.user, "UserName", "user");
        let group = || named(self.group, "GroupName", "group");
        let role = || named(self.role, "RoleName", "role");
        let policy = || named(self.policy, "PolicyName", "policy");
        let all = |kind: &str| Ok(vec![arn(format!("{kind}/*"))]);
        use RamAction as A;
        match action {
            A::CreateUser | A::ListUsers => all("user"),
            A::GetUser
            | A::UpdateUser
            | A::DeleteUser
            | A::ListGroupsForUser
            | A::ListPoliciesForUser => Ok(vec![user()?]),
            A::CreateAccessKey
            | A::UpdateAccessKey
            | A::DeleteAccessKey
            | A::ListAccessKeys
            | A::GetAccessKeyLastUsed => Ok(vec![arn(key_user(caller, self.user)?)]),
            A::CreateGroup | A::ListGroups => all("group"),
            A::GetGroup
            | A::UpdateGroup
            | A::DeleteGroup
            | A::ListUsersForGroup
            | A::ListPoliciesForGroup => Ok(vec![group()?]),
            A::AddUserToGroup | A::RemoveUserFromGroup => Ok(vec![user()?, group()?]),
            A::CreateRole | A::ListRoles => all("role"),
            A::GetRole | A::UpdateRole | A::DeleteRole | A::ListPoliciesForRole => {
                Ok(vec![role()?])
            }
            A::CreatePolicy | A::ListPolicies => all("policy"),
            A::GetPolicy
            | A::DeletePolicy
            | A::CreatePolicyVersion
            | A::GetPolicyVersion
            | A::ListPolicyVersions
            | A::DeletePolicyVersion
            | A::SetDefaultPolicyVersion
            | A::UpdatePolicyDescription
            | A::ListEntitiesForPolicy => Ok(vec![policy()?]),
            A::AttachPolicyToUser | A::DetachPolicyFromUser => Ok(vec![policy()?, user()?]),
            A::AttachPolicyToGroup | A::DetachPolicyFromGroup => Ok(vec![policy()?, group()?]),
            A::AttachPolicyToRole | A::DetachPolicyFromRole => Ok(vec![policy()?, role()?]),
            A::SimulatePrincipalPolicy => match (self.user, self.role) {
                (None, Some(_)) => Ok(vec![role()?]),
                _ => Ok(vec![user()?]),
            },
            A::GetAccountAlias | A::SetAccountAlias | A::ClearAccountAlias => {
                Ok(vec!["*".to_owned()])
            }
        }
    }
}

/// The `user/{name}` resource of an AccessKey call: `UserName`, else the calling user itself
/// (root: its own keys, authorized anyway; a role session must name a user).
fn key_user(caller: &Caller, user_name: Option<&str>) -> Result<String, ActionError> {
    match (user_name, caller) {
        (Some(name), _) => Ok(format!("user/{name}")),
        (None, Caller::User { user_name, .. }) => Ok(format!("user/{user_name}")),
        (None, Caller::Root { .. }) => Ok("user/*".to_owned()),
        (None, _) => Err(codes::missing("UserName")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_come_from_the_typed_names() {
        let root = Caller::Root {
            account_id: "1".to_owned(),
            access_key_id: "k".to_owned(),
        };
        let user = |n: &str| UserName::new("UserName", n).expect("name");
        let policy = PolicyRef {
            name: PolicyName::new("PolicyName", "p").expect("name"),
            policy_type: PolicyType::Custom,
        };
        let attach = RamCall::AttachPolicyToUser {
            policy,
            user_name: user("alice"),
        };
        assert_eq!(attach.name(), "AttachPolicyToUser");
        assert!(attach.is_mutation());
        assert_eq!(
            attach.resources(&root, "1").expect("resources"),
            ["acs:ram:*:1:policy/p", "acs:ram:*:1:user/alice"]
        );
        let list = RamCall::ListUsers(Page::default());
        assert!(!list.is_mutation());
        assert_eq!(
            list.resources(&root, "1").expect("resources"),
            ["acs:ram:*:1:user/*"]
        );
        let own_keys = RamCall::ListAccessKeys { user_name: None };
        assert_eq!(
            own_keys.resources(&root, "1").expect("resources"),
            ["acs:ram:*:1:user/*"]
        );
        assert!(matches!(
            own_keys.resources(&Caller::Anonymous, "1"),
            Err(ActionError::Missing { param }) if param == "UserName"
        ));
    }
}
