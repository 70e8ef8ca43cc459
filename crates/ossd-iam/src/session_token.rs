//! GetSessionToken (AWS STS, docs/protocol/aws-sts.md#getsessiontoken): temporary credentials for
//! the caller itself. The session is an STS token like AssumeRole's (same keyring, same
//! `STS.` ids, accepted in both dialects) whose claims name the owner of the long-term key
//! instead of a role, so it resolves to the same root or user with the same policies.

use crate::store::ROOT_OWNER;
use crate::sts::IssuedCredentials;
use crate::token::{CLAIMS_VERSION, SessionClaims, TEMP_KEY_PREFIX};
use crate::{ActionError, Caller, Iam, codes};

/// Shortest session (docs/protocol/aws-sts.md#getsessiontoken).
pub const MIN_SESSION_TOKEN_SECONDS: u64 = 900;
/// Default session length.
pub const DEFAULT_SESSION_TOKEN_SECONDS: u64 = 43_200;
/// Longest session of a user.
pub const MAX_SESSION_TOKEN_SECONDS: u64 = 129_600;
/// Longest session of the account root.
pub const MAX_ROOT_SESSION_TOKEN_SECONDS: u64 = 3600;

impl Iam {
    /// Issues temporary credentials that act as `caller` itself, for `duration` seconds
    /// (default 43200; 900 to 129600, the root at most 3600). Only long-term credentials may
    /// ask: a caller signing with temporary credentials gets `NoPermission` without a denial.
    pub async fn get_session_token(
        &self,
        caller: &Caller,
        duration: Option<u64>,
    ) -> Result<IssuedCredentials, ActionError> {
        let temporary = caller
            .access_key_id()
            .is_some_and(|id| id.starts_with(TEMP_KEY_PREFIX));
        let (owner, max) = match caller {
            _ if temporary => return Err(self.no_permission(None)),
            Caller::Root { .. } => (ROOT_OWNER.to_owned(), MAX_ROOT_SESSION_TOKEN_SECONDS),
            Caller::User { user_id, .. } => (user_id.clone(), MAX_SESSION_TOKEN_SECONDS),
            Caller::Anonymous | Caller::Session { .. } => return Err(self.no_permission(None)),
        };
        let duration = duration.unwrap_or(DEFAULT_SESSION_TOKEN_SECONDS.min(max));
        if !(MIN_SESSION_TOKEN_SECONDS..=max).contains(&duration) {
            return Err(codes::duration(u32::try_from(max).unwrap_or(u32::MAX)));
        }
        let now = self.now();
        let expires_at = now.saturating_add(i64::try_from(duration).unwrap_or(i64::MAX));
        let claims = SessionClaims {
            version: CLAIMS_VERSION,
            access_key_id: String::new(),
            account_id: self.inner.account_id.clone(),
            role_id: String::new(),
            role_name: String::new(),
            session_name: String::new(),
            session_policy: None,
            issued_at: now,
            expires_at,
            source_identity: None,
            caller_arn: caller.arn(),
            owner: Some(owner),
        };
        let issued = claims.seal(&self.inner.keyring).map_err(|e| {
            tracing::error!(error = %ossd_meta::ErrorChain(&e), "sealing a session token");
            ActionError::Backend(e)
        })?;
        self.inner.counters.token_issued();
        tracing::info!(caller = caller.label(), "issued session credentials");
        let principal = match caller.clone() {
            Caller::Root { account_id, .. } => Caller::Root {
                account_id,
                access_key_id: issued.access_key_id.clone(),
            },
            Caller::User {
                account_id,
                user_id,
                user_name,
                ..
            } => Caller::User {
                account_id,
                user_id,
                user_name,
                access_key_id: issued.access_key_id.clone(),
            },
            other => other,
        };
        Ok(IssuedCredentials {
            access_key_id: issued.access_key_id,
            secret: issued.secret,
            security_token: issued.security_token,
            expiration: expires_at,
            assumed_role_arn: caller.arn(),
            assumed_role_id: String::new(),
            source_identity: None,
            principal,
        })
    }
}
