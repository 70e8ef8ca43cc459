//! [`RamOutcome`]: what a RAM action returns, as typed values (never JSON); `ossd-rpc` renders
//! the JSON the SDKs read.

use crate::store::{GroupRecord, KeyRecord, KeyStatus, PolicyType, RoleRecord, UserRecord};
use zeroize::Zeroizing;

/// A RAM user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// `UserName` as stored.
    pub name: String,
    /// `UserId`.
    pub id: String,
    /// `DisplayName` (may be empty).
    pub display_name: String,
    /// `Comments` (may be empty).
    pub comments: String,
    /// `Email` (may be empty).
    pub email: String,
    /// `MobilePhone` (may be empty).
    pub mobile_phone: String,
    /// Creation time (Unix seconds).
    pub created: i64,
    /// Last update (Unix seconds).
    pub updated: i64,
}

impl From<&UserRecord> for User {
    fn from(u: &UserRecord) -> Self {
        Self {
            name: u.name.clone(),
            id: u.id.clone(),
            display_name: u.display_name.clone(),
            comments: u.comments.clone(),
            email: u.email.clone(),
            mobile_phone: u.mobile_phone.clone(),
            created: u.created,
            updated: u.updated,
        }
    }
}

/// An AccessKey (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKey {
    /// `AccessKeyId`.
    pub id: String,
    /// Whether the key authenticates requests (`Active`) or not (`Inactive`).
    pub active: bool,
    /// Creation time (Unix seconds).
    pub created: i64,
}

impl From<&KeyRecord> for AccessKey {
    fn from(k: &KeyRecord) -> Self {
        Self {
            id: k.id.clone(),
            active: k.status == KeyStatus::Active,
            created: k.created,
        }
    }
}

/// A new AccessKey with its secret (returned once, by CreateAccessKey).
#[derive(Clone)]
pub struct NewAccessKey {
    /// The key.
    pub key: AccessKey,
    /// `AccessKeySecret`.
    pub secret: Zeroizing<String>,
}

impl std::fmt::Debug for NewAccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccessKey")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// One page of a list action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed<T> {
    /// The items.
    pub items: Vec<T>,
    /// The `Marker` of the next page, when more follow (`IsTruncated`).
    pub marker: Option<String>,
}

/// A group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `GroupName` as stored.
    pub name: String,
    /// `GroupId`.
    pub id: String,
    /// `Comments` (may be empty).
    pub comments: String,
    /// Creation time (Unix seconds).
    pub created: i64,
    /// Last update (Unix seconds).
    pub updated: i64,
}

impl From<&GroupRecord> for Group {
    fn from(g: &GroupRecord) -> Self {
        Self {
            name: g.name.clone(),
            id: g.id.clone(),
            comments: g.comments.clone(),
            created: g.created,
            updated: g.updated,
        }
    }
}

/// A group member, or a group of a user, with when the user joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership<T> {
    /// The user or group.
    pub entity: T,
    /// When the user joined the group (Unix seconds).
    pub joined: i64,
}

/// A role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// `RoleName` as stored.
    pub name: String,
    /// `RoleId`.
    pub id: String,
    /// The role's ARN, `acs:ram::{account}:role/{name}`.
    pub arn: String,
    /// The account the role belongs to.
    pub account_id: String,
    /// `Description` (may be empty).
    pub description: String,
    /// `AssumeRolePolicyDocument`, verbatim.
    pub trust_policy: String,
    /// `MaxSessionDuration` in seconds.
    pub max_session_duration: u32,
    /// `AllowConsoleLogin` (stored only).
    pub allow_console_login: bool,
    /// Creation time (Unix seconds).
    pub created: i64,
    /// Last update (Unix seconds).
    pub updated: i64,
}

impl Role {
    /// The role of `r` in `account_id`.
    pub(crate) fn new(r: &RoleRecord, account_id: &str) -> Self {
        Self {
            name: r.name.clone(),
            id: r.id.clone(),
            arn: format!("acs:ram::{account_id}:role/{}", r.name),
            account_id: account_id.to_owned(),
            description: r.description.clone(),
            trust_policy: r.trust_policy.clone(),
            max_session_duration: r.max_session_duration,
            allow_console_login: r.allow_console_login,
            created: r.created,
            updated: r.updated,
        }
    }
}

/// A policy, custom or system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RamPolicy {
    /// `PolicyName` as stored.
    pub name: String,
    /// `System` or `Custom`.
    pub policy_type: PolicyType,
    /// `Description`.
    pub description: String,
    /// `DefaultVersion`, `v{n}`.
    pub default_version: String,
    /// Creation time (Unix seconds).
    pub created: i64,
    /// Last update (Unix seconds).
    pub updated: i64,
}

/// A policy with its default version's document (GetPolicy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDetail {
    /// The policy.
    pub policy: RamPolicy,
    /// The default version's document.
    pub document: String,
    /// How many users, groups and roles it is attached to.
    pub attachment_count: usize,
    /// When the default version was created (Unix seconds).
    pub default_version_created: i64,
}

/// A policy of ListPolicies, with its attachment count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedPolicy {
    /// The policy.
    pub policy: RamPolicy,
    /// How many users, groups and roles it is attached to.
    pub attachment_count: usize,
}

/// A version of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersion {
    /// `VersionId`, `v{n}`.
    pub id: String,
    /// `PolicyDocument`.
    pub document: String,
    /// Whether it is the default version.
    pub is_default: bool,
    /// Creation time (Unix seconds).
    pub created: i64,
}

/// A policy attached to an entity, or an entity a policy is attached to, with when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached<T> {
    /// The policy or entity.
    pub entity: T,
    /// When the attachment was made (Unix seconds).
    pub attached: i64,
}

/// The users, groups and roles a policy is attached to (ListEntitiesForPolicy).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyEntities {
    /// Users.
    pub users: Vec<Attached<User>>,
    /// Groups.
    pub groups: Vec<Attached<Group>>,
    /// Roles.
    pub roles: Vec<Attached<Role>>,
}

/// What a RAM action returned.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RamOutcome {
    /// CreateUser: the new user.
    UserCreated(User),
    /// GetUser, UpdateUser.
    User(User),
    /// ListUsers.
    Users(Listed<User>),
    /// CreateAccessKey.
    AccessKeyCreated(NewAccessKey),
    /// ListAccessKeys.
    AccessKeys(Vec<AccessKey>),
    /// GetAccessKeyLastUsed: the last use seen by this process, if any (Unix seconds).
    AccessKeyLastUsed(Option<i64>),
    /// CreateGroup.
    GroupCreated(Group),
    /// GetGroup, UpdateGroup.
    Group(Group),
    /// ListGroups.
    Groups(Listed<Group>),
    /// ListGroupsForUser.
    GroupsForUser(Vec<Membership<Group>>),
    /// ListUsersForGroup.
    UsersForGroup(Listed<Membership<User>>),
    /// CreateRole.
    RoleCreated(Role),
    /// GetRole.
    Role(Role),
    /// UpdateRole.
    RoleUpdated(Role),
    /// ListRoles.
    Roles(Listed<Role>),
    /// CreatePolicy.
    PolicyCreated(RamPolicy),
    /// GetPolicy.
    Policy(PolicyDetail),
    /// UpdatePolicyDescription.
    PolicyUpdated(RamPolicy),
    /// ListPolicies.
    Policies(Listed<CountedPolicy>),
    /// ListPoliciesFor{User,Group,Role}.
    PoliciesAttached(Vec<Attached<RamPolicy>>),
    /// ListEntitiesForPolicy.
    PolicyEntities(PolicyEntities),
    /// CreatePolicyVersion, GetPolicyVersion.
    PolicyVersion(PolicyVersion),
    /// ListPolicyVersions.
    PolicyVersions(Vec<PolicyVersion>),
    /// GetAccountAlias (empty when none is set).
    AccountAlias(String),
    /// SimulatePrincipalPolicy (an ossd extension).
    Simulated(super::Simulated),
    /// An action that returns nothing but its `RequestId` (deletes, updates without a body).
    Done,
}
