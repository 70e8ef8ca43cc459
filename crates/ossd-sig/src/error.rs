//! Why a signed request was rejected; the server maps each case to its OSS error
//! (docs/protocol/errors.md#authentication-errors, docs/protocol/sts.md#sts-credential-errors).

use std::fmt::Write as _;

/// Why a signed request was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SigError {
    /// The Authorization header or the URL signature parameters are malformed (400 `InvalidArgument`).
    #[error("malformed authentication: {0}")]
    Malformed(String),
    /// Both an Authorization header and URL signature parameters (400 `InvalidArgument`).
    #[error("both an Authorization header and URL signature parameters were sent")]
    BothHeaderAndQuery,
    /// The request date is missing or unparseable (403 `AccessDenied`).
    #[error("missing or invalid request date")]
    MissingDate,
    /// The request date is more than 15 minutes away from server time (403 `RequestTimeTooSkewed`).
    #[error("request time too skewed: {request_time}")]
    Skewed {
        /// The client's date string, as sent.
        request_time: String,
    },
    /// The presigned URL has expired (403 `AccessDenied`).
    #[error("the presigned URL has expired")]
    Expired,
    /// A V1 presigned URL lacks one of `OSSAccessKeyId`, `Expires`, `Signature` (403 `AccessDenied`).
    #[error("incomplete query string authentication")]
    IncompletePresign,
    /// V1/V2 URL `Expires` is not seconds since the epoch (403 `AccessDenied`).
    #[error("invalid Expires: not seconds since epoch")]
    InvalidExpires,
    /// V4 URL `x-oss-expires` (or AWS `X-Amz-Expires`) missing, not an integer or outside
    /// 1..=604800 (400 `InvalidArgument`).
    #[error("x-oss-expires out of range")]
    ExpiresOutOfRange,
    /// An S3 V4 header-signed request without `x-amz-content-sha256`
    /// (docs/protocol/s3-signatures.md#payload-hash; S3 answers 400 `InvalidRequest`).
    #[error("missing required header for this request: x-amz-content-sha256")]
    MissingContentSha256,
    /// `x-amz-content-sha256` is neither 64 hex digits, `UNSIGNED-PAYLOAD` nor a `STREAMING-`
    /// value (docs/protocol/s3-signatures.md#payload-hash; 400 `InvalidArgument`).
    #[error("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-..., or a SHA-256 hex value")]
    InvalidContentSha256,
    /// A presigned URL whose STS token came in a header instead of the query (400 `InvalidRequest`).
    #[error("security token must be in the query string")]
    TokenNotInQuery,
    /// The signature does not match (403 `SignatureDoesNotMatch`).
    #[error("signature does not match")]
    Mismatch {
        /// The string to sign the server computed (first attempt).
        string_to_sign: String,
        /// The V4 canonical request the server computed (first attempt), `None` for V1/V2
        /// (OSS and AWS alike).
        canonical_request: Option<String>,
        /// The signature the client sent.
        signature_provided: String,
    },
}

/// Space-separated uppercase hex of the bytes of `s` (for `<StringToSignBytes>`), e.g. `47 45 54 0A`.
pub fn hex_bytes(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for (i, b) in s.bytes().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{b:02X}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_bytes_format() {
        assert_eq!(hex_bytes("GET\n"), "47 45 54 0A");
        assert_eq!(hex_bytes(""), "");
    }
}
