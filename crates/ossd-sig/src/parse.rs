//! Scheme detection (docs/protocol/signatures.md#scheme-detection, rows 1 to 6 and 8;
//! docs/protocol/s3-signatures.md#scheme-detection) and parsing of the Authorization header forms.

use crate::auth::{AuthRequest, Detail, Scheme};
use crate::aws_presign::AWS_QUERY_AUTH_KEYS;
use crate::error::SigError;
use crate::fields::{normalize_additional_headers, split_fields};
use crate::scope::Scope;
use crate::{aws_presign, aws_v4, presign, token, v1, v2};

/// Query keys that mark a URL signature (for the header-and-query conflict).
const QUERY_AUTH_KEYS: &[&str] = &[
    "OSSAccessKeyId",
    "Signature",
    "Expires",
    "x-oss-signature-version",
    "x-oss-signature",
    "x-oss-credential",
    "x-oss-access-key-id",
];

/// What a scheme parser yields before the token is attached.
pub(crate) struct Parsed {
    scheme: Scheme,
    access_key_id: String,
    signature: String,
    detail: Detail,
}

impl Parsed {
    /// Bundles the parts of a parsed credential.
    pub(crate) fn new(
        scheme: Scheme,
        access_key_id: String,
        signature: String,
        detail: Detail,
    ) -> Self {
        Self {
            scheme,
            access_key_id,
            signature,
            detail,
        }
    }

    /// The detected scheme.
    #[cfg(test)]
    pub(crate) fn scheme(&self) -> Scheme {
        self.scheme
    }
}

/// Detects the scheme and parses it. `Ok(None)` means the request is anonymous.
pub fn parse(view: &crate::SigningView) -> Result<Option<AuthRequest>, SigError> {
    let parsed = match view.header("authorization") {
        Some(value) => {
            let keys = QUERY_AUTH_KEYS.iter().chain(AWS_QUERY_AUTH_KEYS);
            if keys.clone().any(|k| view.has_query(k)) {
                return Err(SigError::BothHeaderAndQuery);
            }
            parse_header(value.trim())?
        }
        None => match aws_presign::parse_query(view)? {
            Some(parsed) => parsed,
            None => match presign::parse_query(view)? {
                Some(parsed) => parsed,
                None => return Ok(None),
            },
        },
    };
    let security_token = token::security_token(parsed.scheme, view)?;
    Ok(Some(AuthRequest {
        scheme: parsed.scheme,
        access_key_id: parsed.access_key_id,
        security_token,
        signature: parsed.signature,
        detail: parsed.detail,
    }))
}

/// Rows 1 to 3 (and the AWS forms): the Authorization header.
fn parse_header(value: &str) -> Result<Parsed, SigError> {
    if let Some(rest) = value.strip_prefix("AWS4-HMAC-SHA256 ") {
        return aws_v4::parse_header(rest);
    }
    if let Some(rest) = value.strip_prefix("AWS ") {
        let invalid = || SigError::Malformed("Authorization header is invalid.".to_owned());
        let (ak, sig) = v1::parse_header(rest).ok_or_else(invalid)?;
        return Ok(Parsed::new(
            Scheme::AwsV2Header,
            ak,
            sig,
            Detail::AwsV2Header,
        ));
    }
    if let Some(rest) = value.strip_prefix("OSS4-HMAC-SHA256 ") {
        return parse_v4_header(rest);
    }
    if let Some(rest) = value.strip_prefix("OSS2 ") {
        let (ak, additional, sig) = v2::parse_header(rest).map_err(SigError::Malformed)?;
        let additional = normalize_additional_headers(&additional);
        return Ok(Parsed::new(
            Scheme::V2Header,
            ak,
            sig,
            Detail::V2Header { additional },
        ));
    }
    let invalid = || SigError::Malformed("Authorization header is invalid.".to_owned());
    let rest = value.strip_prefix("OSS ").ok_or_else(invalid)?;
    let (ak, sig) = v1::parse_header(rest).ok_or_else(invalid)?;
    Ok(Parsed::new(Scheme::V1Header, ak, sig, Detail::V1Header))
}

/// `Credential=...,AdditionalHeaders=...,Signature=...` in any order, `,` or `, ` separated.
fn parse_v4_header(rest: &str) -> Result<Parsed, SigError> {
    let fields = split_fields(rest, '=').map_err(SigError::Malformed)?;
    let credential = fields.required("Credential").map_err(SigError::Malformed)?;
    let sig = fields.required("Signature").map_err(SigError::Malformed)?;
    let additional = normalize_additional_headers(fields.get("AdditionalHeaders").unwrap_or(""));
    let (ak, scope) = Scope::parse_credential(credential).map_err(SigError::Malformed)?;
    let detail = Detail::V4Header { scope, additional };
    Ok(Parsed::new(Scheme::V4Header, ak, sig.to_owned(), detail))
}
