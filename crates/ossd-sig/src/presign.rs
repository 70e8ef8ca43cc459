//! Parsing of presigned URL parameters (docs/protocol/signatures.md#v1-presigned-urls,
//! #v2-signature, #v4-presigned-urls, #scheme-detection rows 4 to 6).

use crate::auth::{Detail, Scheme};
use crate::dates::parse_iso8601_basic;
use crate::error::SigError;
use crate::fields::normalize_additional_headers;
use crate::parse::Parsed;
use crate::scope::Scope;
use crate::v4::V4_ALGORITHM;
use crate::view::SigningView;

/// The longest V4 URL lifetime, in seconds (7 days).
pub const MAX_V4_EXPIRES: i64 = 604_800;

/// Rows 4 to 6: URL signatures. `Ok(None)` when the query carries none.
pub(crate) fn parse_query(view: &SigningView) -> Result<Option<Parsed>, SigError> {
    match view.unique_query("x-oss-signature-version")? {
        Some(V4_ALGORITHM) => return parse_v4(view).map(Some),
        Some("OSS2") => return parse_v2(view).map(Some),
        Some(_) => {
            let msg = "Unsupported x-oss-signature-version.";
            return Err(SigError::Malformed(msg.to_owned()));
        }
        None => {}
    }
    let v1_keys = ["OSSAccessKeyId", "Signature", "Expires"];
    if v1_keys.iter().any(|k| view.has_query(k)) {
        return parse_v1(view).map(Some);
    }
    Ok(None)
}

/// V1: all of `OSSAccessKeyId`, `Signature` and `Expires` (absolute epoch seconds).
fn parse_v1(view: &SigningView) -> Result<Parsed, SigError> {
    let ak = view
        .unique_query("OSSAccessKeyId")?
        .filter(|v| !v.is_empty());
    let sig = view.unique_query("Signature")?.filter(|v| !v.is_empty());
    let expires_raw = view.unique_query("Expires")?;
    let (Some(ak), Some(sig), Some(expires_raw)) = (ak, sig, expires_raw) else {
        return Err(SigError::IncompletePresign);
    };
    let expires = parse_seconds(expires_raw).ok_or(SigError::InvalidExpires)?;
    let detail = Detail::V1Query {
        expires,
        expires_raw: expires_raw.to_owned(),
    };
    Ok(Parsed::new(
        Scheme::V1Query,
        ak.to_owned(),
        sig.to_owned(),
        detail,
    ))
}

/// V2: `x-oss-access-key-id`, `x-oss-expires` (absolute), `x-oss-signature`.
fn parse_v2(view: &SigningView) -> Result<Parsed, SigError> {
    let ak = required(view, "x-oss-access-key-id")?;
    let sig = required(view, "x-oss-signature")?;
    let expires_raw = view.unique_query("x-oss-expires")?.unwrap_or("");
    let expires = parse_seconds(expires_raw).ok_or(SigError::InvalidExpires)?;
    let additional = additional_headers(view)?;
    let expires_raw = expires_raw.to_owned();
    let detail = Detail::V2Query {
        expires,
        expires_raw,
        additional,
    };
    Ok(Parsed::new(Scheme::V2Query, ak, sig, detail))
}

/// V4: `x-oss-credential`, `x-oss-date`, `x-oss-expires` (1..=604800), `x-oss-signature`.
fn parse_v4(view: &SigningView) -> Result<Parsed, SigError> {
    let credential = required(view, "x-oss-credential")?;
    let sig = required(view, "x-oss-signature")?;
    let (ak, scope) = Scope::parse_credential(&credential).map_err(SigError::Malformed)?;
    let date_raw = view
        .unique_query("x-oss-date")?
        .ok_or(SigError::MissingDate)?;
    let date = parse_iso8601_basic(date_raw).ok_or(SigError::MissingDate)?;
    let expires = view.unique_query("x-oss-expires")?.and_then(parse_seconds);
    let expires = expires
        .filter(|e| (1..=MAX_V4_EXPIRES).contains(e))
        .ok_or(SigError::ExpiresOutOfRange)?;
    let additional = additional_headers(view)?;
    let (date_raw, date) = (date_raw.to_owned(), date.unix_timestamp());
    let detail = Detail::V4Query {
        scope,
        additional,
        date_raw,
        date,
        expires,
    };
    Ok(Parsed::new(Scheme::V4Query, ak, sig, detail))
}

/// The normalised `x-oss-additional-headers` list (empty when absent).
fn additional_headers(view: &SigningView) -> Result<Vec<String>, SigError> {
    let raw = view.unique_query("x-oss-additional-headers")?.unwrap_or("");
    Ok(normalize_additional_headers(raw))
}

/// A required, non-empty, non-repeated query parameter.
pub(crate) fn required(view: &SigningView, key: &str) -> Result<String, SigError> {
    match view.unique_query(key)? {
        Some(v) if !v.is_empty() => Ok(v.to_owned()),
        _ => Err(SigError::Malformed(format!(
            "Query string authentication requires the {key} parameter."
        ))),
    }
}

/// Decimal seconds: ASCII digits only, at most 18 of them.
pub(crate) fn parse_seconds(s: &str) -> Option<i64> {
    let ok = !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| s.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds() {
        assert_eq!(parse_seconds("1736933400"), Some(1_736_933_400));
        assert_eq!(parse_seconds("+1"), None);
        assert_eq!(parse_seconds("-1"), None);
        assert_eq!(parse_seconds(""), None);
        assert_eq!(parse_seconds("1234567890123456789"), None);
    }
}
