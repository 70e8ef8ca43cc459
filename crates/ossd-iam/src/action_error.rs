//! [`ActionError`]: why a RAM or STS action failed, as typed values. The wire codes, HTTP
//! statuses and messages clients see are decided in one place, `ossd-rpc`'s error mapping.

use crate::IamError;
use ossd_policy::{MatchedStatement, PolicyError};

/// The subject of an `EntityNotExist.*`, `EntityAlreadyExists.*`, `DeleteConflict.*` or
/// `LimitExceeded.*` error: an entity, or a relation between two (`User.Group`: a user's
/// group membership).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// A RAM user.
    User,
    /// An AccessKey of a user.
    UserAccessKey,
    /// A policy attached to a user.
    UserPolicy,
    /// A user's group membership.
    UserGroup,
    /// A group.
    Group,
    /// A member of a group.
    GroupUser,
    /// A policy attached to a group.
    GroupPolicy,
    /// A role.
    Role,
    /// A policy attached to a role.
    RolePolicy,
    /// A custom policy.
    Policy,
    /// A user a policy is attached to.
    PolicyUser,
    /// A group a policy is attached to.
    PolicyGroup,
    /// A role a policy is attached to.
    PolicyRole,
    /// A version of a custom policy.
    PolicyVersion,
    /// The default version of a custom policy.
    PolicyVersionDefault,
}

impl Entity {
    /// The suffix of the error code, e.g. `User.AccessKey`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::UserAccessKey => "User.AccessKey",
            Self::UserPolicy => "User.Policy",
            Self::UserGroup => "User.Group",
            Self::Group => "Group",
            Self::GroupUser => "Group.User",
            Self::GroupPolicy => "Group.Policy",
            Self::Role => "Role",
            Self::RolePolicy => "Role.Policy",
            Self::Policy => "Policy",
            Self::PolicyUser => "Policy.User",
            Self::PolicyGroup => "Policy.Group",
            Self::PolicyRole => "Policy.Role",
            Self::PolicyVersion => "Policy.Version",
            Self::PolicyVersionDefault => "Policy.Version.Default",
        }
    }
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with a parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// It contains characters the parameter does not allow.
    InvalidChars,
    /// It is longer than allowed.
    TooLong,
    /// It is not of the required format.
    Format,
    /// It is not one of the allowed values.
    Incorrect,
    /// A number outside `min..=max`.
    OutOfRange {
        /// Smallest allowed.
        min: u64,
        /// Largest allowed.
        max: u64,
    },
    /// It is malformed (the STS wording).
    WronglyFormed,
}

/// A `NoPermission` refusal: which action on which resource, who asked, and the policy and
/// statement that decided (documented in the RAM `AccessDeniedDetail` and docs/security.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// The authorized action, e.g. `ram:CreateUser` or `sts:AssumeRole`.
    pub action: String,
    /// The resource ARN that was denied.
    pub resource: String,
    /// The caller's principal type (`SubUser`, `AssumedRoleUser`, ...).
    pub principal_type: &'static str,
    /// The caller's display name.
    pub principal_name: String,
    /// The caller's account id.
    pub principal_owner: String,
    /// Whether a Deny statement decided (else nothing allowed).
    pub explicit: bool,
    /// The kind of policy that decided (`Custom`, `System`, `AssumeRolePolicy`, ...), if one did.
    pub policy_type: Option<&'static str>,
    /// The statement that decided, when one did.
    pub matched: Option<MatchedStatement>,
}

/// Why a RAM or STS action failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ActionError {
    /// A required parameter is absent or empty.
    #[error("{param} is mandatory for this action")]
    Missing {
        /// The parameter name.
        param: String,
    },
    /// A parameter has an invalid value.
    #[error("parameter {param}: {problem:?}")]
    Invalid {
        /// The parameter name.
        param: String,
        /// What is wrong with it.
        problem: Problem,
    },
    /// `AccountAlias` is not 3 to 63 characters long.
    #[error("the account alias must be 3 to 63 characters long")]
    AliasLength,
    /// `AccountAlias` has characters an alias cannot have.
    #[error("the account alias is malformed")]
    AliasFormat,
    /// `DurationSeconds` is outside 900 to `max`.
    #[error("the session duration must be 900 to {max} seconds")]
    Duration {
        /// The role's (or the default) maximum.
        max: u32,
    },
    /// The entity does not exist.
    #[error("{0} does not exist")]
    NotExist(Entity),
    /// The entity (or relation) exists already.
    #[error("{0} already exists")]
    AlreadyExists(Entity),
    /// A deletion is refused while dependents exist.
    #[error("delete conflict: {0}")]
    DeleteConflict(Entity),
    /// A count limit would be exceeded.
    #[error("limit exceeded: {0}")]
    LimitExceeded(Entity),
    /// The caller may not do this; the denial when a policy evaluation decided.
    #[error("not authorized")]
    NoPermission(Option<Box<Denial>>),
    /// A root caller asked to assume a role.
    #[error("roles may not be assumed by root accounts")]
    RootCannotAssume,
    /// No such action (including the SDK actions ossd does not implement).
    #[error("no such action")]
    UnknownAction,
    /// A policy document was rejected.
    #[error("policy document: {0}")]
    Policy(#[source] PolicyError),
    /// The identity store failed.
    #[error(transparent)]
    Backend(#[from] IamError),
}

impl ActionError {
    /// 400 for `param` with `problem`.
    pub fn invalid(param: &str, problem: Problem) -> Self {
        Self::Invalid {
            param: param.to_owned(),
            problem,
        }
    }

    /// The denial behind a `NoPermission` error.
    pub fn denial(&self) -> Option<&Denial> {
        match self {
            Self::NoPermission(d) => d.as_deref(),
            _ => None,
        }
    }
}
