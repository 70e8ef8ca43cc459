//! [`IamError`]: why resolving credentials or opening the identity store failed.

/// Errors of `resolve`, `open`, the keyring and root-key registration.
///
/// The server maps the credential variants to its protocol's codes (OSS:
/// docs/protocol/sts.md#sts-credential-errors; RPC: docs/protocol/rpc.md#common-error-codes).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IamError {
    /// No such AccessKey id (or a security token sent with a long-term id,
    /// docs/protocol/sts.md#sts-credential-errors).
    #[error("the access key id does not exist")]
    InvalidAccessKeyId,
    /// The AccessKey exists but is `Inactive`.
    #[error("the access key is disabled")]
    AccessKeyInactive,
    /// The security token cannot be opened (forged, corrupted, unknown key id), or its role is gone.
    #[error("the security token is invalid")]
    InvalidSecurityToken,
    /// The security token has expired.
    #[error("the security token has expired")]
    SecurityTokenExpired,
    /// The security token was issued for another temporary AccessKey id.
    #[error("the access key id and security token do not match")]
    AccessKeyIdAndSecurityTokenNotMatch,
    /// An `STS.` AccessKey id came without a security token.
    #[error("a security token is required with a temporary access key id")]
    MissingSecurityToken,
    /// The master key file is unreadable, malformed, or cannot be created.
    #[error("master key: {0}")]
    MasterKey(String),
    /// The stored data was sealed under a master key this keyring does not hold.
    #[error("the master key does not match the identity data (wrong master.key?)")]
    MasterKeyMismatch,
    /// The root AccessKey id is already used by a RAM user's key.
    #[error("access key id {0} belongs to a RAM user")]
    AccessKeyIdTaken(String),
    /// The metadata backend failed, or a stored record cannot be read.
    #[error("identity store: {0}")]
    Backend(String),
}

impl From<ossd_meta::MetaError> for IamError {
    fn from(e: ossd_meta::MetaError) -> Self {
        Self::Backend(e.to_string())
    }
}

impl From<crate::store::StoreError> for IamError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::Backend(e.to_string())
    }
}
