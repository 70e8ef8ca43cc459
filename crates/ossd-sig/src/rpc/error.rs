//! The RPC authentication error and its one mapping to an HTTP status, code and message
//! (docs/protocol/rpc.md#common-error-codes).

use std::borrow::Cow;

/// Prefix of the `SignatureDoesNotMatch` message; the server's string to sign follows directly.
pub const SIGNATURE_MISMATCH_PREFIX: &str =
    "Specified signature is not matched with our calculation. server string to sign is:";

/// Why an RPC (STS/RAM) request failed authentication
/// (docs/protocol/rpc.md#v1-authentication-order, #acs3-verification, #common-error-codes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RpcSigError {
    /// A required parameter is absent or empty (400 `Missing{name}`).
    #[error("missing parameter {name}")]
    Missing {
        /// The parameter name, e.g. `AccessKeyId`, `Signature` or `SecurityToken`.
        name: &'static str,
    },
    /// A required V3 header is absent (400 `MissingParameter`).
    #[error("missing header {name}")]
    MissingParameter {
        /// The header name, lower case.
        name: &'static str,
    },
    /// A parameter is repeated, unsupported or inconsistent (400 `InvalidParameter`).
    #[error("invalid parameter {name}")]
    InvalidParameter {
        /// The parameter or header name.
        name: &'static str,
    },
    /// The V3 algorithm is not `ACS3-HMAC-SHA256` (400 `InvalidSignatureMethod`).
    #[error("unsupported signature method")]
    InvalidSignatureMethod,
    /// The V3 Authorization header is malformed or does not sign what it must (400 `IncompleteSignature`).
    #[error("incomplete signature: {0}")]
    IncompleteSignature(&'static str),
    /// `Timestamp` / `x-acs-date` does not parse (400 `InvalidTimeStamp.Format`).
    #[error("malformed timestamp")]
    TimestampFormat,
    /// `Timestamp` / `x-acs-date` is more than 15 minutes from server time (400 `InvalidTimeStamp.Expired`).
    #[error("timestamp outside the allowed window")]
    TimestampExpired,
    /// The signature does not match (400 `SignatureDoesNotMatch`).
    #[error("signature does not match")]
    SignatureDoesNotMatch {
        /// The standard string to sign the server computed.
        string_to_sign: String,
    },
    /// `x-acs-content-sha256` differs from the SHA-256 of the body (400 `SignatureDoesNotMatch`).
    #[error("x-acs-content-sha256 does not match the body")]
    PayloadHashMismatch {
        /// The string to sign computed with the body's actual hash.
        string_to_sign: String,
    },
    /// The nonce was already used by this AccessKeyId (400 `SignatureNonceUsed`); raised by the caller.
    #[error("signature nonce already used")]
    SignatureNonceUsed,
    /// Unknown AccessKeyId (404 `InvalidAccessKeyId.NotFound`); raised by the caller.
    #[error("access key not found")]
    AccessKeyNotFound,
    /// Disabled AccessKey (400 `InvalidAccessKeyId.Inactive`); raised by the caller.
    #[error("access key inactive")]
    AccessKeyInactive,
    /// The STS token does not decode (400 `InvalidSecurityToken.Malformed`); raised by the caller.
    #[error("security token malformed")]
    SecurityTokenMalformed,
    /// The STS token belongs to another key (400 `InvalidSecurityToken.MismatchWithAccessKey`).
    #[error("security token does not match the access key")]
    SecurityTokenMismatch,
    /// The STS token has expired (400 `InvalidSecurityToken.Expired`); raised by the caller.
    #[error("security token expired")]
    SecurityTokenExpired,
}

impl RpcSigError {
    /// The HTTP status, error `Code` and `Message` for the JSON error body
    /// (docs/protocol/rpc.md#responses, #common-error-codes).
    pub fn code(&self) -> (u16, Cow<'static, str>, String) {
        (self.status(), self.code_name(), self.message())
    }

    /// The HTTP status: 404 for an unknown AccessKeyId, 400 otherwise.
    pub fn status(&self) -> u16 {
        match self {
            Self::AccessKeyNotFound => 404,
            _ => 400,
        }
    }

    /// The error `Code` (docs/protocol/rpc.md#common-error-codes).
    pub fn code_name(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::Missing { name } => return Cow::Owned(format!("Missing{name}")),
            Self::MissingParameter { .. } => "MissingParameter",
            Self::InvalidParameter { .. } => "InvalidParameter",
            Self::InvalidSignatureMethod => "InvalidSignatureMethod",
            Self::IncompleteSignature(_) => "IncompleteSignature",
            Self::TimestampFormat => "InvalidTimeStamp.Format",
            Self::TimestampExpired => "InvalidTimeStamp.Expired",
            Self::SignatureDoesNotMatch { .. } | Self::PayloadHashMismatch { .. } => {
                "SignatureDoesNotMatch"
            }
            Self::SignatureNonceUsed => "SignatureNonceUsed",
            Self::AccessKeyNotFound => "InvalidAccessKeyId.NotFound",
            Self::AccessKeyInactive => "InvalidAccessKeyId.Inactive",
            Self::SecurityTokenMalformed => "InvalidSecurityToken.Malformed",
            Self::SecurityTokenMismatch => "InvalidSecurityToken.MismatchWithAccessKey",
            Self::SecurityTokenExpired => "InvalidSecurityToken.Expired",
        })
    }

    /// The error `Message` (docs/protocol/rpc.md#v1-authentication-order, #common-error-codes).
    pub fn message(&self) -> String {
        let fixed = match self {
            Self::Missing { name } => return format!("{name} is mandatory for this action."),
            Self::MissingParameter { name } => {
                return format!(
                    "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
                );
            }
            Self::InvalidParameter { name } => {
                return format!("The specified parameter \"{name}\" is not valid.");
            }
            Self::SignatureDoesNotMatch { string_to_sign }
            | Self::PayloadHashMismatch { string_to_sign } => {
                return format!("{SIGNATURE_MISMATCH_PREFIX}{string_to_sign}");
            }
            Self::InvalidSignatureMethod => "Specified signature method is not supported.",
            Self::IncompleteSignature(_) => {
                "The request signature does not conform to Aliyun standards."
            }
            Self::TimestampFormat => "Specified time stamp or date value is not well formatted.",
            Self::TimestampExpired => "Specified time stamp or date value is expired.",
            Self::SignatureNonceUsed => "Specified signature nonce was used already.",
            Self::AccessKeyNotFound => "Specified access key is not found.",
            Self::AccessKeyInactive => "Specified access key is disabled.",
            Self::SecurityTokenMalformed => "Specified SecurityToken is malformed.",
            Self::SecurityTokenMismatch => "Specified SecurityToken mismatch with the AccessKey.",
            Self::SecurityTokenExpired => "Specified SecurityToken is expired.",
        };
        fixed.to_owned()
    }
}
