//! The parsed credential part of an RPC request, common to v1 and V3.

use std::fmt;

use time::OffsetDateTime;

use super::error::RpcSigError;
use super::timestamp::check_window;

/// Which RPC signature scheme a request uses (docs/protocol/rpc.md#scheme-detection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RpcScheme {
    /// Signature version 1.0, HMAC-SHA1 over the canonicalised parameters
    /// (docs/protocol/rpc.md#v1-signature).
    V1,
    /// `Authorization: ACS3-HMAC-SHA256 …` (docs/protocol/rpc.md#acs3-signature).
    Acs3,
}

/// The credential part of a signed RPC request, produced by [`RpcAuth::parse`].
#[derive(Clone, PartialEq, Eq)]
pub struct RpcAuth {
    pub(crate) scheme: RpcScheme,
    pub(crate) access_key_id: String,
    pub(crate) security_token: Option<String>,
    pub(crate) nonce: String,
    pub(crate) timestamp: OffsetDateTime,
    pub(crate) timestamp_raw: String,
    pub(crate) action: String,
    pub(crate) version: String,
    pub(crate) signature: String,
    /// V3 only: the `SignedHeaders` value, verbatim.
    pub(crate) signed_headers: Option<String>,
}

impl RpcAuth {
    /// The detected scheme.
    pub fn scheme(&self) -> RpcScheme {
        self.scheme
    }

    /// The AccessKeyId the client claims (`AccessKeyId` or the V3 `Credential`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The STS token: v1 `SecurityToken` (or header `x-acs-security-token`), V3 `x-acs-security-token`.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }

    /// The nonce: v1 `SignatureNonce`, V3 `x-acs-signature-nonce`.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// The request time: v1 `Timestamp`, V3 `x-acs-date`.
    pub fn timestamp(&self) -> OffsetDateTime {
        self.timestamp
    }

    /// The request time as sent.
    pub fn timestamp_raw(&self) -> &str {
        &self.timestamp_raw
    }

    /// The API action: v1 `Action`, V3 `x-acs-action`.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The API version: v1 `Version`, V3 `x-acs-version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The signature as sent (base64 for v1, hex for V3).
    pub fn signature_provided(&self) -> &str {
        &self.signature
    }

    /// V3 only: the `SignedHeaders` list as sent.
    pub fn signed_headers(&self) -> Option<&str> {
        self.signed_headers.as_deref()
    }

    /// An unambiguous key for the replay cache, built from `(AccessKeyId, nonce)`
    /// (docs/protocol/rpc.md#v1-authentication-order step 7).
    pub fn replay_key(&self) -> String {
        let ak = &self.access_key_id;
        format!("{}:{ak}:{}", ak.len(), self.nonce)
    }

    /// `InvalidTimeStamp.Expired` unless the timestamp is within 15 minutes of `now`
    /// (docs/protocol/rpc.md#v1-authentication-order step 3; [`verify`](super::verify) checks it
    /// again).
    pub fn check_timestamp(&self, now: OffsetDateTime) -> Result<(), RpcSigError> {
        check_window(self.timestamp, now)
    }
}

impl fmt::Debug for RpcAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The signature and the security token are never printed.
        f.debug_struct("RpcAuth")
            .field("scheme", &self.scheme)
            .field("access_key_id", &self.access_key_id)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("nonce", &self.nonce)
            .field("timestamp", &self.timestamp_raw)
            .field("action", &self.action)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}
