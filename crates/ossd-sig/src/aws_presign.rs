//! Parsing of AWS presigned URL parameters (docs/protocol/s3-signatures.md#v4-presigned-urls,
//! #v2-presigned-urls, #scheme-detection).

use crate::auth::{Detail, Scheme};
use crate::aws_v4::{AWS_V4_ALGORITHM, signed_header_list};
use crate::dates::parse_iso8601_basic;
use crate::error::SigError;
use crate::parse::Parsed;
use crate::presign::{MAX_V4_EXPIRES, parse_seconds, required};
use crate::scope::Scope;
use crate::view::SigningView;

/// Query keys that mark an AWS URL signature (for the header-and-query conflict).
pub(crate) const AWS_QUERY_AUTH_KEYS: &[&str] = &[
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "AWSAccessKeyId",
];

/// `X-Amz-Algorithm` selects V4, else `AWSAccessKeyId` selects V2. `Ok(None)` when the query
/// carries neither.
pub(crate) fn parse_query(view: &SigningView) -> Result<Option<Parsed>, SigError> {
    if let Some(algorithm) = view.unique_query("X-Amz-Algorithm")? {
        if algorithm != AWS_V4_ALGORITHM {
            let msg = "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\".";
            return Err(SigError::Malformed(msg.to_owned()));
        }
        return parse_v4(view).map(Some);
    }
    if view.has_query("AWSAccessKeyId") {
        return parse_v2(view).map(Some);
    }
    Ok(None)
}

/// V4: `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires` (1..=604800, relative),
/// `X-Amz-SignedHeaders` (with `host`) and `X-Amz-Signature`.
fn parse_v4(view: &SigningView) -> Result<Parsed, SigError> {
    let credential = required(view, "X-Amz-Credential")?;
    let (ak, scope) = Scope::parse_aws_credential(&credential).map_err(SigError::Malformed)?;
    let date_raw = required(view, "X-Amz-Date")?;
    let date = parse_iso8601_basic(&date_raw).ok_or_else(|| {
        SigError::Malformed("X-Amz-Date must be in the ISO8601 Long Format.".to_owned())
    })?;
    let expires = required(view, "X-Amz-Expires")?;
    let expires = parse_seconds(&expires)
        .filter(|e| (1..=MAX_V4_EXPIRES).contains(e))
        .ok_or(SigError::ExpiresOutOfRange)?;
    let signed_headers = signed_header_list(&required(view, "X-Amz-SignedHeaders")?)?;
    let sig = required(view, "X-Amz-Signature")?;
    let detail = Detail::AwsV4Query {
        scope,
        signed_headers,
        date_raw,
        date: date.unix_timestamp(),
        expires,
    };
    Ok(Parsed::new(Scheme::AwsV4Query, ak, sig, detail))
}

/// V2: all of `AWSAccessKeyId`, `Signature` and `Expires` (absolute epoch seconds).
fn parse_v2(view: &SigningView) -> Result<Parsed, SigError> {
    let non_empty = |key| view.unique_query(key).map(|v| v.filter(|v| !v.is_empty()));
    let (ak, sig, expires_raw) = (
        non_empty("AWSAccessKeyId")?,
        non_empty("Signature")?,
        non_empty("Expires")?,
    );
    let (Some(ak), Some(sig), Some(expires_raw)) = (ak, sig, expires_raw) else {
        return Err(SigError::IncompletePresign);
    };
    let expires = parse_seconds(expires_raw).ok_or(SigError::InvalidExpires)?;
    let detail = Detail::AwsV2Query {
        expires,
        expires_raw: expires_raw.to_owned(),
    };
    Ok(Parsed::new(
        Scheme::AwsV2Query,
        ak.to_owned(),
        sig.to_owned(),
        detail,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::QueryParam;

    fn parse(raw_query: &str) -> Result<Option<Parsed>, SigError> {
        let query = QueryParam::parse_query(raw_query);
        let view = SigningView {
            method: "GET",
            bucket: Some("b"),
            key: Some("k"),
            query: &query,
            headers: &[],
            raw_path: "/b/k",
            body_sha256: None,
        };
        parse_query(&view)
    }

    const V4: &str = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=ab";

    #[test]
    fn v4_parameters() {
        let ok = parse(&format!("{V4}&X-Amz-Expires=3600"));
        assert!(matches!(ok, Ok(Some(p)) if p.scheme() == Scheme::AwsV4Query));
        for expires in ["0", "604801", "x", "-1"] {
            let r = parse(&format!("{V4}&X-Amz-Expires={expires}"));
            assert!(matches!(r, Err(SigError::ExpiresOutOfRange)), "{expires}");
        }
        assert!(parse(&format!("{V4}&X-Amz-Expires=604800")).is_ok());
        assert!(matches!(parse(V4), Err(SigError::Malformed(_))));
        let other = V4.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256");
        assert!(matches!(parse(&other), Err(SigError::Malformed(_))));
    }

    #[test]
    fn v2_parameters() {
        let ok = parse("AWSAccessKeyId=AK&Expires=1369357200&Signature=c2ln");
        assert!(matches!(ok, Ok(Some(p)) if p.scheme() == Scheme::AwsV2Query));
        let r = parse("AWSAccessKeyId=AK&Signature=c2ln");
        assert!(matches!(r, Err(SigError::IncompletePresign)));
        let r = parse("AWSAccessKeyId=AK&Expires=soon&Signature=c2ln");
        assert!(matches!(r, Err(SigError::InvalidExpires)));
        assert!(matches!(parse("prefix=a"), Ok(None)));
    }
}
