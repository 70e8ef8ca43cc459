//! Who sends a request: the identity that principals are matched against
//! (docs/protocol/ram.md#identity-model, docs/protocol/policy.md#trust-policies,
//! #bucket-policy-principals).

/// The authenticated (or anonymous) identity behind a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    /// No credentials (OSS only).
    Anonymous,
    /// The root identity of an account.
    Root {
        /// The account (UID).
        account_id: String,
    },
    /// A RAM user.
    User {
        /// The owning account.
        account_id: String,
        /// The user's UserId (matched by bucket-policy principals).
        user_id: String,
        /// The user's UserName (matched by trust-policy principals).
        user_name: String,
    },
    /// A session of a RAM role, from AssumeRole.
    RoleSession {
        /// The account that owns the role.
        account_id: String,
        /// The role's name.
        role_name: String,
        /// The RoleSessionName.
        session_name: String,
    },
}

impl Caller {
    /// The caller's account, `None` for anonymous.
    pub fn account_id(&self) -> Option<&str> {
        match self {
            Self::Anonymous => None,
            Self::Root { account_id }
            | Self::User { account_id, .. }
            | Self::RoleSession { account_id, .. } => Some(account_id),
        }
    }

    /// Whether this is a RAM identity (user or role session) rather than root or anonymous.
    pub const fn is_ram_identity(&self) -> bool {
        matches!(self, Self::User { .. } | Self::RoleSession { .. })
    }

    /// Whether this is the root identity of `account_id`.
    pub fn is_root_of(&self, account_id: &str) -> bool {
        matches!(self, Self::Root { account_id: a } if a == account_id)
    }

    /// `AccessDeniedDetail/AuthPrincipalType`
    /// (docs/protocol/access-denied.md#oss-accessdenied-document; `Account` / `Anonymous` are
    /// ossd's choice).
    pub const fn principal_type(&self) -> &'static str {
        match self {
            Self::Anonymous => "Anonymous",
            Self::Root { .. } => "Account",
            Self::User { .. } => "SubUser",
            Self::RoleSession { .. } => "AssumedRoleUser",
        }
    }

    /// `AccessDeniedDetail/AuthPrincipalDisplayName`
    /// (docs/protocol/access-denied.md#oss-accessdenied-document).
    pub fn display_name(&self) -> String {
        match self {
            Self::Anonymous => String::new(),
            Self::Root { account_id } => account_id.clone(),
            Self::User { user_id, .. } => user_id.clone(),
            Self::RoleSession {
                role_name,
                session_name,
                ..
            } => {
                format!("{role_name}:{session_name}")
            }
        }
    }

    /// The caller's ARN in IAM form, the value of `aws:PrincipalArn`
    /// (docs/protocol/iam-grammar.md#condition-keys): `arn:aws:iam::{acct}:root`,
    /// `…:user/{name}`, or for a role session the role `…:role/{role}`; `None` for anonymous.
    pub fn iam_arn(&self) -> Option<String> {
        match self {
            Self::Anonymous => None,
            Self::Root { account_id } => Some(format!("arn:aws:iam::{account_id}:root")),
            Self::User {
                account_id,
                user_name,
                ..
            } => Some(format!("arn:aws:iam::{account_id}:user/{user_name}")),
            Self::RoleSession {
                account_id,
                role_name,
                ..
            } => Some(format!("arn:aws:iam::{account_id}:role/{role_name}")),
        }
    }

    /// The RAM user's name, the value of `aws:username`; `None` for other callers.
    pub fn user_name(&self) -> Option<&str> {
        match self {
            Self::User { user_name, .. } => Some(user_name),
            _ => None,
        }
    }
}
