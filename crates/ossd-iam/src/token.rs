//! STS security tokens (docs/protocol/sts.md#sessions-and-tokens): self-contained and sealed.
//!
//! `SecurityToken = "CAIS" + base64(box)` where `box` is a [`Keyring`] box (AES-256-GCM; its
//! authenticated header names the master key id) of the compact JSON [`SessionClaims`]. The
//! temporary secret is not in the token: it is derived from the master key and the temporary
//! AccessKey id, so verifying a request needs no database read.

use crate::Keyring;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The token prefix real Alibaba Cloud tokens carry (clients treat the rest as opaque).
pub const TOKEN_PREFIX: &str = "CAIS";
/// The prefix of temporary AccessKey ids.
pub const TEMP_KEY_PREFIX: &str = "STS.";
/// Random alphanumerics after [`TEMP_KEY_PREFIX`] (29 characters in all, as observed).
const TEMP_KEY_RANDOM: usize = 25;
/// The current claims format.
pub(crate) const CLAIMS_VERSION: u8 = 1;
/// Associated data binding a box to its purpose.
const CONTEXT: &[u8] = b"ossd-iam sts-token";
/// Longest token accepted for opening (a token with a 2048-character policy is about 3.5 KB).
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// What a session token carries (sealed; field names kept short to keep tokens small).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SessionClaims {
    /// Claims format version.
    #[serde(rename = "v")]
    pub version: u8,
    /// The temporary AccessKey id the token belongs to.
    #[serde(rename = "k")]
    pub access_key_id: String,
    /// The role's account.
    #[serde(rename = "a")]
    pub account_id: String,
    /// The role's id (a re-created role of the same name has another id).
    #[serde(rename = "ri")]
    pub role_id: String,
    /// The role's name as stored.
    #[serde(rename = "rn")]
    pub role_name: String,
    /// RoleSessionName.
    #[serde(rename = "s")]
    pub session_name: String,
    /// The session policy (validated at AssumeRole), if any.
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pub session_policy: Option<String>,
    /// Issue time, Unix seconds.
    #[serde(rename = "iat")]
    pub issued_at: i64,
    /// Expiration, Unix seconds.
    #[serde(rename = "exp")]
    pub expires_at: i64,
    /// SourceIdentity, if given.
    #[serde(rename = "si", default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
    /// The ARN of whoever called AssumeRole (audit).
    #[serde(rename = "c")]
    pub caller_arn: String,
    /// For a session of the caller itself (AWS GetSessionToken,
    /// docs/protocol/aws-sts.md#getsessiontoken): the owner of the long-term key that asked,
    /// the store's root owner or a UserId; the role fields are then empty.
    #[serde(rename = "o", default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// An issued session: the temporary AccessKey id, its secret and the token.
pub(crate) struct IssuedSession {
    /// `STS.` + alphanumerics.
    pub access_key_id: String,
    /// The derived temporary secret.
    pub secret: Zeroizing<String>,
    /// `CAIS…`.
    pub security_token: String,
}

impl std::fmt::Debug for IssuedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedSession")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// A fresh temporary AccessKey id.
pub(crate) fn new_temp_key_id() -> String {
    let random: String = rand::rng()
        .sample_iter(Alphanumeric)
        .take(TEMP_KEY_RANDOM)
        .map(char::from)
        .collect();
    format!("{TEMP_KEY_PREFIX}{random}")
}

impl SessionClaims {
    /// Picks a temporary AccessKey id, seals the claims and derives the secret.
    pub(crate) fn seal(mut self, keyring: &Keyring) -> Result<IssuedSession, crate::IamError> {
        self.access_key_id = new_temp_key_id();
        let json = Zeroizing::new(
            serde_json::to_vec(&self).map_err(|e| crate::IamError::Sealing(Some(e)))?,
        );
        let sealed = keyring.seal(CONTEXT, &json)?;
        let secret = keyring
            .temp_secret(keyring.current_id(), &self.access_key_id)
            .ok_or(crate::IamError::MasterKeyMismatch)?;
        Ok(IssuedSession {
            access_key_id: self.access_key_id,
            secret,
            security_token: format!("{TOKEN_PREFIX}{}", STANDARD.encode(sealed)),
        })
    }

    /// Opens a token: the claims and the temporary secret, or `None` if it is not a valid token
    /// sealed by this keyring (tampered, truncated, unknown key, wrong format).
    pub(crate) fn open(keyring: &Keyring, token: &str) -> Option<(Self, Zeroizing<String>)> {
        if token.len() > MAX_TOKEN_LEN {
            return None;
        }
        let sealed = STANDARD.decode(token.strip_prefix(TOKEN_PREFIX)?).ok()?;
        let json = keyring.open(CONTEXT, &sealed)?;
        let claims: Self = serde_json::from_slice(&json).ok()?;
        if claims.version != CLAIMS_VERSION {
            return None;
        }
        let master_id = Keyring::sealed_key_id(&sealed)?;
        let secret = keyring.temp_secret(master_id, &claims.access_key_id)?;
        Some((claims, secret))
    }
}
