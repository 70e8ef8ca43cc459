//! [`Caller`]: who made a request, after authentication, and the names derived from it
//! (docs/protocol/ram.md#arns, docs/protocol/access-denied.md).

/// Who made a request (after authentication).
#[derive(Clone, Debug)]
pub enum Caller {
    /// No credentials (OSS only).
    Anonymous,
    /// The account root identity.
    Root {
        /// The account.
        account_id: String,
        /// The AccessKey id that signed.
        access_key_id: String,
    },
    /// A RAM user.
    User {
        /// The user's account.
        account_id: String,
        /// The UserId.
        user_id: String,
        /// The UserName as stored.
        user_name: String,
        /// The AccessKey id that signed.
        access_key_id: String,
    },
    /// An STS session of a role.
    Session {
        /// The role's account.
        account_id: String,
        /// The RoleId.
        role_id: String,
        /// The RoleName as stored.
        role_name: String,
        /// RoleSessionName.
        session_name: String,
        /// The session policy carried in the token.
        session_policy: Option<String>,
        /// Expiration, Unix seconds.
        expires_at: i64,
        /// The temporary AccessKey id that signed.
        access_key_id: String,
    },
}

impl Caller {
    /// The caller's ARN (docs/protocol/ram.md#arns; sessions in the GetCallerIdentity form); empty
    /// for anonymous.
    pub fn arn(&self) -> String {
        match self {
            Self::Anonymous => String::new(),
            Self::Root { account_id, .. } => format!("acs:ram::{account_id}:root"),
            Self::User {
                account_id,
                user_name,
                ..
            } => format!("acs:ram::{account_id}:user/{user_name}"),
            Self::Session {
                account_id,
                role_name,
                session_name,
                ..
            } => format!("acs:ram::{account_id}:assumed-role/{role_name}/{session_name}"),
        }
    }

    /// A short description for logs (never secrets or tokens).
    pub fn label(&self) -> String {
        match self {
            Self::Anonymous => "anonymous".to_owned(),
            Self::Root { account_id, .. } => format!("root:{account_id}"),
            Self::User {
                account_id,
                user_name,
                ..
            } => format!("user:{account_id}/{user_name}"),
            Self::Session {
                account_id,
                role_name,
                session_name,
                ..
            } => format!("session:{account_id}/{role_name}/{session_name}"),
        }
    }

    /// The caller's account, if any.
    pub fn account_id(&self) -> Option<&str> {
        match self {
            Self::Anonymous => None,
            Self::Root { account_id, .. }
            | Self::User { account_id, .. }
            | Self::Session { account_id, .. } => Some(account_id),
        }
    }

    /// The AccessKey id that signed, if any.
    pub fn access_key_id(&self) -> Option<&str> {
        match self {
            Self::Anonymous => None,
            Self::Root { access_key_id, .. }
            | Self::User { access_key_id, .. }
            | Self::Session { access_key_id, .. } => Some(access_key_id),
        }
    }

    /// `AuthPrincipalType` of an AccessDeniedDetail
    /// (docs/protocol/access-denied.md#oss-accessdenied-document; root/anonymous are ossd's
    /// choice).
    pub fn principal_type(&self) -> &'static str {
        match self {
            Self::Anonymous => "Anonymous",
            Self::Root { .. } => "Account",
            Self::User { .. } => "SubUser",
            Self::Session { .. } => "AssumedRoleUser",
        }
    }

    /// `AuthPrincipalDisplayName` (docs/protocol/access-denied.md#oss-accessdenied-document):
    /// UserId, `{RoleName}:{RoleSessionName}`, the account.
    pub fn display_name(&self) -> String {
        match self {
            Self::Anonymous => String::new(),
            Self::Root { account_id, .. } => account_id.clone(),
            Self::User { user_id, .. } => user_id.clone(),
            Self::Session {
                role_name,
                session_name,
                ..
            } => format!("{role_name}:{session_name}"),
        }
    }

    /// The OSS `User` of an error body: the UserId, the account, or `{RoleId}:{RoleSessionName}`.
    pub fn user_id(&self) -> String {
        match self {
            Self::Anonymous => String::new(),
            Self::Root { account_id, .. } => account_id.clone(),
            Self::User { user_id, .. } => user_id.clone(),
            Self::Session {
                role_id,
                session_name,
                ..
            } => format!("{role_id}:{session_name}"),
        }
    }
}
