//! The parsed credential part of a signed request.

use std::fmt;

use crate::scope::Scope;

/// Which signature scheme a request uses (docs/protocol/signatures.md#scheme-detection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `Authorization: OSS ak:signature` (docs/protocol/signatures.md#v1-header-signature).
    V1Header,
    /// `Authorization: OSS2 AccessKeyId:...` (docs/protocol/signatures.md#v2-signature).
    V2Header,
    /// `Authorization: OSS4-HMAC-SHA256 Credential=...`
    /// (docs/protocol/signatures.md#v4-header-signature).
    V4Header,
    /// `?OSSAccessKeyId=&Expires=&Signature=` (docs/protocol/signatures.md#v1-presigned-urls).
    V1Query,
    /// `?x-oss-signature-version=OSS2&...` (docs/protocol/signatures.md#v2-signature).
    V2Query,
    /// `?x-oss-signature-version=OSS4-HMAC-SHA256&...`
    /// (docs/protocol/signatures.md#v4-presigned-urls).
    V4Query,
    /// `Authorization: AWS4-HMAC-SHA256 Credential=...`
    /// (docs/protocol/s3-signatures.md#v4-authorization-header).
    AwsV4Header,
    /// `?X-Amz-Algorithm=AWS4-HMAC-SHA256&...` (docs/protocol/s3-signatures.md#v4-presigned-urls).
    AwsV4Query,
    /// `Authorization: AWS ak:signature` (docs/protocol/s3-signatures.md#v2-signature).
    AwsV2Header,
    /// `?AWSAccessKeyId=&Expires=&Signature=` (docs/protocol/s3-signatures.md#v2-presigned-urls).
    AwsV2Query,
}

impl Scheme {
    /// Whether the signature is in the URL (a presigned URL) rather than a header.
    pub fn is_presigned(self) -> bool {
        matches!(
            self,
            Self::V1Query | Self::V2Query | Self::V4Query | Self::AwsV4Query | Self::AwsV2Query
        )
    }

    /// Whether the scheme is one of AWS's (the S3 dialect and the AWS STS Query API) rather
    /// than one of OSS's.
    pub fn is_aws(self) -> bool {
        matches!(
            self,
            Self::AwsV4Header | Self::AwsV4Query | Self::AwsV2Header | Self::AwsV2Query
        )
    }
}

/// Scheme-specific parts of a parsed request.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Detail {
    /// V1 header: the DATE slot comes from the view at verification.
    V1Header,
    /// V1 URL: absolute expiry, and the raw `Expires` string for the DATE slot.
    V1Query { expires: i64, expires_raw: String },
    /// V2 header: normalised additional header names.
    V2Header { additional: Vec<String> },
    /// V2 URL: absolute expiry, its raw string, and additional header names.
    V2Query {
        expires: i64,
        expires_raw: String,
        additional: Vec<String>,
    },
    /// V4 header: scope and additional header names; `x-oss-date` comes from the view.
    V4Header {
        scope: Scope,
        additional: Vec<String>,
    },
    /// V4 URL: scope, additional headers, `x-oss-date` (raw and Unix) and relative expiry.
    V4Query {
        scope: Scope,
        additional: Vec<String>,
        date_raw: String,
        date: i64,
        expires: i64,
    },
    /// AWS V4 header: scope and the normalised `SignedHeaders`; the date comes from the view.
    AwsV4Header {
        scope: Scope,
        signed_headers: Vec<String>,
    },
    /// AWS V4 URL: scope, `X-Amz-SignedHeaders`, `X-Amz-Date` (raw and Unix) and relative expiry.
    AwsV4Query {
        scope: Scope,
        signed_headers: Vec<String>,
        date_raw: String,
        date: i64,
        expires: i64,
    },
    /// AWS V2 header: the Date slot comes from the view at verification.
    AwsV2Header,
    /// AWS V2 URL: absolute expiry, and the raw `Expires` string for the Date slot.
    AwsV2Query { expires: i64, expires_raw: String },
}

/// The parsed credential part of a signed request.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthRequest {
    /// The detected scheme.
    pub scheme: Scheme,
    /// The AccessKeyId the client claims.
    pub access_key_id: String,
    /// The STS security token, from wherever the scheme carries it
    /// (docs/protocol/signatures.md#security-token-carriers).
    pub security_token: Option<String>,
    /// The signature the client sent.
    pub(crate) signature: String,
    /// Scheme-specific parts.
    pub(crate) detail: Detail,
}

impl AuthRequest {
    /// For presigned URLs: when the URL stops being valid (Unix seconds). `None` for header auth.
    pub fn url_expires_at(&self) -> Option<i64> {
        match &self.detail {
            Detail::V1Query { expires, .. }
            | Detail::V2Query { expires, .. }
            | Detail::AwsV2Query { expires, .. } => Some(*expires),
            Detail::V4Query { date, expires, .. } | Detail::AwsV4Query { date, expires, .. } => {
                Some(date.saturating_add(*expires))
            }
            _ => None,
        }
    }

    /// The V4 credential scope (date, region, product; for AWS the product is the service,
    /// `s3` or `sts`), `None` for V1/V2.
    pub fn scope(&self) -> Option<&Scope> {
        match &self.detail {
            Detail::V4Header { scope, .. }
            | Detail::V4Query { scope, .. }
            | Detail::AwsV4Header { scope, .. }
            | Detail::AwsV4Query { scope, .. } => Some(scope),
            _ => None,
        }
    }

    /// The signature as sent by the client (for the `SignatureProvided` error element).
    pub fn signature_provided(&self) -> &str {
        &self.signature
    }
}

impl fmt::Debug for AuthRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The signature and the security token are never printed.
        f.debug_struct("AuthRequest")
            .field("scheme", &self.scheme)
            .field("access_key_id", &self.access_key_id)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("scope", &self.scope())
            .field("url_expires_at", &self.url_expires_at())
            .finish_non_exhaustive()
    }
}
