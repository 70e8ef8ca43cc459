//! Combined authorisation results and why (docs/protocol/authorization.md), mapped to AccessDenied
//! details (docs/protocol/access-denied.md).

use crate::evaluate::MatchedStatement;

/// The final answer of a combined authorisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// Allow or deny, with the reason.
    pub outcome: Outcome,
    /// The deciding statement, when a statement decided; its `policy_index` refers to the
    /// policy set named by the reason (session, identity, bucket or trust policy).
    pub matched: Option<MatchedStatement>,
}

/// Allowed or denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The request may proceed.
    Allow(AllowReason),
    /// The request must be refused.
    Deny(DenyReason),
}

/// Why a request was allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AllowReason {
    /// A RAM identity-based policy (of the user, its groups or the role) allowed it.
    IdentityPolicy,
    /// The bucket policy allowed it.
    BucketPolicy,
    /// The caller is the root of the account that owns the resource
    /// (docs/protocol/authorization.md#account-root).
    AccountRoot,
    /// No policy decided, and the bucket / object ACL grants this data access
    /// (docs/protocol/authorization.md#oss-request-authorization step 7).
    Acl,
}

/// Why a request was denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DenyReason {
    /// The STS session policy did not allow it (docs/protocol/authorization.md#session-policies).
    SessionPolicy {
        /// Denied by a Deny statement rather than by lack of an Allow.
        explicit: bool,
    },
    /// The caller's RAM identity-based policies did not allow it.
    IdentityPolicy {
        /// Denied by a Deny statement rather than by lack of an Allow.
        explicit: bool,
    },
    /// A Deny statement of the bucket policy
    /// (docs/protocol/authorization.md#oss-request-authorization step 5).
    BucketPolicy,
    /// Deny statements in both the RAM policies and the bucket policy.
    IdentityAndBucketPolicy,
    /// OSS: nothing allowed it, the caller is not the owner and no ACL grants it (step 7).
    NoAllow {
        /// The caller is a RAM user or role session (EC `0003-00000202` rather than `…001`).
        ram_caller: bool,
    },
    /// The role's trust policy does not allow the caller
    /// (docs/protocol/authorization.md#assumerole-authorization).
    TrustPolicy {
        /// Denied by a Deny statement rather than by lack of an Allow.
        explicit: bool,
    },
    /// An account root identity called AssumeRole (docs/protocol/authorization.md#account-root).
    RootCannotAssumeRole,
}

/// `AccessDeniedDetail/PolicyType` (docs/protocol/access-denied.md#oss-accessdenied-document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyType {
    /// The STS session policy.
    SessionPolicy,
    /// RAM policies attached to the user, its groups or the role.
    AccountLevelIdentityBasedPolicy,
    /// The bucket policy.
    ResourceBasedPolicy,
    /// The role's trust policy.
    AssumeRolePolicy,
}

/// `AccessDeniedDetail/NoPermissionType`
/// (docs/protocol/access-denied.md#oss-accessdenied-document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoPermissionType {
    /// No statement allowed the request.
    ImplicitDeny,
    /// A Deny statement matched.
    ExplicitDeny,
}

impl Authorization {
    /// An allow with its deciding statement.
    pub(crate) const fn allow(reason: AllowReason, matched: Option<MatchedStatement>) -> Self {
        Self {
            outcome: Outcome::Allow(reason),
            matched,
        }
    }

    /// A deny with its deciding statement.
    pub(crate) const fn deny(reason: DenyReason, matched: Option<MatchedStatement>) -> Self {
        Self {
            outcome: Outcome::Deny(reason),
            matched,
        }
    }

    /// Whether the request may proceed.
    pub const fn is_allowed(&self) -> bool {
        matches!(self.outcome, Outcome::Allow(_))
    }

    /// The deny reason, `None` when allowed.
    pub const fn deny_reason(&self) -> Option<DenyReason> {
        match self.outcome {
            Outcome::Deny(reason) => Some(reason),
            Outcome::Allow(_) => None,
        }
    }
}

impl DenyReason {
    /// The `PolicyType` to report (docs/protocol/access-denied.md#choosing-code-message-and-ec,
    /// #rpc-accessdenieddetail); `None` when no policy was involved.
    pub const fn policy_type(self) -> Option<PolicyType> {
        Some(match self {
            Self::SessionPolicy { .. } => PolicyType::SessionPolicy,
            Self::IdentityPolicy { .. } | Self::IdentityAndBucketPolicy | Self::NoAllow { .. } => {
                PolicyType::AccountLevelIdentityBasedPolicy
            }
            Self::BucketPolicy => PolicyType::ResourceBasedPolicy,
            Self::TrustPolicy { .. } => PolicyType::AssumeRolePolicy,
            Self::RootCannotAssumeRole => return None,
        })
    }

    /// Whether a Deny statement caused the denial.
    pub const fn is_explicit(self) -> bool {
        match self {
            Self::SessionPolicy { explicit }
            | Self::IdentityPolicy { explicit }
            | Self::TrustPolicy { explicit } => explicit,
            Self::BucketPolicy | Self::IdentityAndBucketPolicy => true,
            Self::NoAllow { .. } | Self::RootCannotAssumeRole => false,
        }
    }

    /// The `NoPermissionType` to report (docs/protocol/access-denied.md#oss-accessdenied-document).
    pub const fn no_permission_type(self) -> NoPermissionType {
        if self.is_explicit() {
            NoPermissionType::ExplicitDeny
        } else {
            NoPermissionType::ImplicitDeny
        }
    }

    /// The OSS `EC` code (docs/protocol/access-denied.md#oss-accessdenied-document,
    /// #choosing-code-message-and-ec).
    pub const fn oss_ec(self) -> &'static str {
        match self {
            Self::SessionPolicy { .. } => "0003-00000301",
            Self::IdentityPolicy { explicit: true } => "0003-00000201",
            Self::IdentityAndBucketPolicy => "0003-00000203",
            Self::IdentityPolicy { explicit: false } | Self::NoAllow { ram_caller: true } => {
                "0003-00000202"
            }
            Self::BucketPolicy
            | Self::NoAllow { ram_caller: false }
            | Self::TrustPolicy { .. }
            | Self::RootCannotAssumeRole => "0003-00000001",
        }
    }
}

impl PolicyType {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SessionPolicy => "SessionPolicy",
            Self::AccountLevelIdentityBasedPolicy => "AccountLevelIdentityBasedPolicy",
            Self::ResourceBasedPolicy => "ResourceBasedPolicy",
            Self::AssumeRolePolicy => "AssumeRolePolicy",
        }
    }
}

impl NoPermissionType {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ImplicitDeny => "ImplicitDeny",
            Self::ExplicitDeny => "ExplicitDeny",
        }
    }
}
