//! [`IamError`]: why resolving credentials or opening the identity store failed.

use crate::store::StoreError;

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
    /// The identity store failed: the metadata backend, or a stored record that cannot be
    /// decoded or encoded. The source says how; for logs ([`ossd_meta::ErrorChain`]), never for
    /// clients.
    #[error("identity store failed")]
    Backend(#[source] StoreError),
    /// An operation kept losing to concurrent changes of the identity store and gave up; names
    /// the operation.
    #[error("{0}: too many concurrent changes")]
    TooManyConflicts(&'static str),
    /// Sealing a secret or a session token failed: the cipher refused, or (the source) the
    /// token's claims cannot be encoded.
    #[error("sealing failed")]
    Sealing(#[source] Option<serde_json::Error>),
}

impl From<ossd_meta::MetaError> for IamError {
    fn from(e: ossd_meta::MetaError) -> Self {
        Self::Backend(e.into())
    }
}

impl From<StoreError> for IamError {
    fn from(e: StoreError) -> Self {
        Self::Backend(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_meta::{ErrorChain, MetaError};
    use std::error::Error as _;

    #[test]
    fn backend_failures_keep_their_source_chain() {
        let e = IamError::from(MetaError::backend(std::io::Error::other("disk on fire")));
        assert_eq!(e.to_string(), "identity store failed");
        let store = e.source().and_then(|s| s.downcast_ref::<StoreError>());
        assert!(matches!(
            store,
            Some(StoreError::Meta(MetaError::Backend(_)))
        ));
        assert_eq!(
            ErrorChain(&e).to_string(),
            "identity store failed: metadata backend failed: disk on fire"
        );

        let action = crate::ActionError::from(e);
        assert_eq!(
            ErrorChain(&action).to_string(),
            "identity store failed: metadata backend failed: disk on fire"
        );
    }

    #[test]
    fn undecodable_records_keep_the_decoding_error() {
        let Err(json) = serde_json::from_str::<u32>("true") else {
            panic!("decoded a bool as a number");
        };
        let e = IamError::from(StoreError::Decode {
            key: "iam/a/user/u".to_owned(),
            source: json,
        });
        let chain = ErrorChain(&e).to_string();
        assert!(
            chain.starts_with(
                "identity store failed: undecodable record iam/a/user/u: invalid type"
            ),
            "{chain}"
        );
    }

    #[test]
    fn conflicts_do_not_become_backend_failures_of_meta() {
        let e = StoreError::from(MetaError::PreconditionFailed(None));
        assert!(matches!(e, StoreError::Conflict));
    }
}
