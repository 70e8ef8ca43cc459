//! AWS Signature Version 4: the `Authorization` header, the canonical request, the payload hash
//! and the string to sign (docs/protocol/s3-signatures.md#v4-authorization-header,
//! #v4-canonical-request, #v4-string-to-sign-and-signing-key).

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use crate::auth::{Detail, Scheme};
use crate::crypto::sha256_hex;
use crate::encode::{uri_encode, uri_encode_path_bytes};
use crate::error::SigError;
use crate::fields::{normalize_additional_headers, split_fields};
use crate::parse::Parsed;
use crate::scope::{Scope, ScopeFamily};
use crate::v4::UNSIGNED_PAYLOAD;
use crate::view::SigningView;

/// The AWS V4 algorithm name, in the `Authorization` header and in `X-Amz-Algorithm`.
pub const AWS_V4_ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The service whose canonical URI follows the S3 rule
/// (docs/protocol/s3-signatures.md#canonical-uri).
const S3_SERVICE: &str = "s3";

/// How the canonical URI is formed from the raw request path
/// (docs/protocol/s3-signatures.md#canonical-uri).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsUriForm {
    /// Percent-decode the raw path, then URI-encode every byte except the unreserved ones and
    /// `/`; no segment normalisation (S3, first attempt).
    Reencoded,
    /// The raw path exactly as received (S3 retry for clients that send reserved characters
    /// unencoded; other services).
    Raw,
}

/// The canonical URI forms to try for `service`, in order: S3 tries the re-encoded path and,
/// when the raw path carries a character outside `A-Z a-z 0-9 - _ . ~ / %`, the raw one; other
/// services sign the path as it is.
pub fn aws_v4_uri_forms(service: &str, raw_path: &str) -> &'static [AwsUriForm] {
    if service != S3_SERVICE {
        return &[AwsUriForm::Raw];
    }
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"-_.~/%".contains(&b);
    if raw_path.bytes().all(plain) {
        &[AwsUriForm::Reencoded]
    } else {
        &[AwsUriForm::Reencoded, AwsUriForm::Raw]
    }
}

/// The canonical URI of a raw request path (`"/"` when empty).
pub fn aws_v4_canonical_uri(raw_path: &str, form: AwsUriForm) -> Cow<'_, str> {
    let raw = if raw_path.is_empty() { "/" } else { raw_path };
    match form {
        AwsUriForm::Raw => Cow::Borrowed(raw),
        AwsUriForm::Reencoded => {
            let bytes: Vec<u8> = percent_decode_str(raw).collect();
            Cow::Owned(uri_encode_path_bytes(&bytes))
        }
    }
}

/// The payload hash of the canonical request (docs/protocol/s3-signatures.md#payload-hash).
/// Presigned: the `X-Amz-Content-Sha256` query parameter, else `UNSIGNED-PAYLOAD`. Header
/// auth: `x-amz-content-sha256`, else the view's `body_sha256`, else for `sts` the hash of an
/// empty body; for `s3` its absence is [`SigError::MissingContentSha256`]. A value that is
/// neither 64 hex digits, `UNSIGNED-PAYLOAD` nor `STREAMING-...` is
/// [`SigError::InvalidContentSha256`].
pub fn aws_v4_payload_hash<'a>(
    view: &SigningView<'a>,
    service: &str,
    presigned: bool,
) -> Result<Cow<'a, str>, SigError> {
    let sent = if presigned {
        view.unique_query("X-Amz-Content-Sha256")?
    } else {
        view.header("x-amz-content-sha256").map(str::trim)
    };
    if let Some(value) = sent {
        return if valid_payload_hash(value) {
            Ok(Cow::Borrowed(value))
        } else {
            Err(SigError::InvalidContentSha256)
        };
    }
    if presigned {
        return Ok(Cow::Borrowed(UNSIGNED_PAYLOAD));
    }
    if let Some(hash) = view.body_sha256 {
        return Ok(Cow::Borrowed(hash));
    }
    if service == S3_SERVICE {
        return Err(SigError::MissingContentSha256);
    }
    Ok(Cow::Owned(sha256_hex(b"")))
}

/// 64 hex digits, `UNSIGNED-PAYLOAD` or a `STREAMING-` value.
fn valid_payload_hash(value: &str) -> bool {
    value == UNSIGNED_PAYLOAD
        || value.starts_with("STREAMING-")
        || (value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Builds the AWS V4 canonical request. `signed_headers` must be normalised (lowercase,
/// sorted); `presigned` drops `X-Amz-Signature` from the query. A signed header missing from
/// the request renders as `name:` (the signature then fails).
pub fn aws_v4_canonical_request(
    view: &SigningView,
    signed_headers: &[String],
    payload_hash: &str,
    uri_form: AwsUriForm,
    presigned: bool,
) -> String {
    let mut out = String::with_capacity(512);
    out.push_str(view.method);
    out.push('\n');
    out.push_str(&aws_v4_canonical_uri(view.raw_path, uri_form));
    out.push('\n');
    canonical_query(&mut out, view, presigned);
    out.push('\n');
    for name in signed_headers {
        out.push_str(name);
        out.push(':');
        out.push_str(&collapse_whitespace(view.header(name).unwrap_or("")));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers.join(";"));
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// Builds the AWS V4 string to sign from the ISO 8601 basic request time, the scope and the
/// canonical request.
pub fn aws_v4_string_to_sign(datetime: &str, scope: &Scope, canonical_request: &str) -> String {
    format!(
        "{AWS_V4_ALGORITHM}\n{datetime}\n{}\n{}",
        scope.render_for(ScopeFamily::Aws),
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Whether some signed header is absent from the request.
pub(crate) fn missing_signed_header(view: &SigningView, signed_headers: &[String]) -> bool {
    signed_headers
        .iter()
        .any(|name| view.header(name).is_none())
}

/// Parses the part after `AWS4-HMAC-SHA256 `: `Credential=...`, `SignedHeaders=...`,
/// `Signature=...` in any order, `,` or `, ` separated.
pub(crate) fn parse_header(rest: &str) -> Result<Parsed, SigError> {
    let fields = split_fields(rest, '=').map_err(SigError::Malformed)?;
    let credential = fields.required("Credential").map_err(SigError::Malformed)?;
    let signed = fields
        .required("SignedHeaders")
        .map_err(SigError::Malformed)?;
    let sig = fields.required("Signature").map_err(SigError::Malformed)?;
    let (ak, scope) = Scope::parse_aws_credential(credential).map_err(SigError::Malformed)?;
    let signed_headers = signed_header_list(signed)?;
    let detail = Detail::AwsV4Header {
        scope,
        signed_headers,
    };
    Ok(Parsed::new(Scheme::AwsV4Header, ak, sig.to_owned(), detail))
}

/// The normalised `SignedHeaders` list, which must name `host`.
pub(crate) fn signed_header_list(raw: &str) -> Result<Vec<String>, SigError> {
    let names = normalize_additional_headers(raw);
    if names.iter().any(|n| n == "host") {
        return Ok(names);
    }
    let msg = "SignedHeaders must include host.";
    Err(SigError::Malformed(msg.to_owned()))
}

/// Appends every query parameter (but `X-Amz-Signature` when presigned), key and value strictly
/// encoded, sorted by key then value, each as `k=v` (an empty value still gets `=`).
fn canonical_query(out: &mut String, view: &SigningView, presigned: bool) {
    let mut pairs: Vec<(String, String)> = view
        .query
        .iter()
        .filter(|p| !(presigned && p.key == "X-Amz-Signature"))
        .map(|p| (uri_encode(&p.key), uri_encode(&p.value)))
        .collect();
    pairs.sort();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// The value trimmed, with every run of spaces, tabs and line breaks replaced by one space.
fn collapse_whitespace(value: &str) -> Cow<'_, str> {
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let trimmed = value.trim_matches(is_ws);
    let mut prev_ws = false;
    let clean = trimmed.chars().all(|c| {
        let run = is_ws(c) && (prev_ws || c != ' ');
        prev_ws = is_ws(c);
        !run
    });
    if clean {
        return Cow::Borrowed(trimmed);
    }
    let words: Vec<&str> = trimmed.split(is_ws).filter(|w| !w.is_empty()).collect();
    Cow::Owned(words.join(" "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses() {
        assert_eq!(collapse_whitespace("  v  w "), "v w");
        assert_eq!(collapse_whitespace("a\tb"), "a b");
        assert_eq!(collapse_whitespace("a \r\n b"), "a b");
        assert!(matches!(collapse_whitespace(" a b "), Cow::Borrowed("a b")));
    }

    #[test]
    fn canonical_uri_rules() {
        let enc = |raw| aws_v4_canonical_uri(raw, AwsUriForm::Reencoded).into_owned();
        // Spaces, `+`, `=`, `%` and unicode: decoded once, encoded once.
        assert_eq!(enc("/b/a%20b%2Bc%3Dd.txt"), "/b/a%20b%2Bc%3Dd.txt");
        assert_eq!(enc("/b/a b+c"), "/b/a%20b%2Bc");
        assert_eq!(enc("/b/100%25"), "/b/100%25");
        assert_eq!(enc("/b/%C3%A4"), "/b/%C3%A4");
        assert_eq!(enc("/b/ä"), "/b/%C3%A4");
        // No normalisation: empty and dot segments stay.
        assert_eq!(enc("/b//x/./y/../z"), "/b//x/./y/../z");
        assert_eq!(enc(""), "/");
        assert_eq!(enc("/b/%7Ea%21"), "/b/~a%21");
        let raw = aws_v4_canonical_uri("/b/a=b", AwsUriForm::Raw);
        assert_eq!(raw, "/b/a=b");
    }

    #[test]
    fn uri_forms_by_service() {
        assert_eq!(aws_v4_uri_forms("s3", "/b/a%20b"), [AwsUriForm::Reencoded]);
        assert_eq!(
            aws_v4_uri_forms("s3", "/b/a=b"),
            [AwsUriForm::Reencoded, AwsUriForm::Raw]
        );
        assert_eq!(aws_v4_uri_forms("sts", "/"), [AwsUriForm::Raw]);
    }

    #[test]
    fn header_fields() {
        let ok = "Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab";
        let parsed = parse_header(ok).unwrap();
        assert_eq!(parsed.scheme(), Scheme::AwsV4Header);
        let no_host = "Credential=AK/20130524/us-east-1/s3/aws4_request,SignedHeaders=x-amz-date,Signature=ab";
        assert!(matches!(parse_header(no_host), Err(SigError::Malformed(_))));
        let oss = "Credential=AK/20130524/us-east-1/oss/aliyun_v4_request,SignedHeaders=host,Signature=ab";
        assert!(matches!(parse_header(oss), Err(SigError::Malformed(_))));
        let missing = "Credential=AK/20130524/us-east-1/s3/aws4_request,Signature=ab";
        assert!(matches!(parse_header(missing), Err(SigError::Malformed(_))));
    }

    #[test]
    fn payload_hash_sources() {
        let view = |headers: &'static [(String, String)], body| SigningView {
            method: "GET",
            bucket: None,
            key: None,
            query: &[],
            headers,
            raw_path: "/",
            body_sha256: body,
        };
        let empty = sha256_hex(b"");
        let none: &'static [(String, String)] = &[];
        assert_eq!(
            aws_v4_payload_hash(&view(none, None), "s3", false),
            Err(SigError::MissingContentSha256)
        );
        assert_eq!(
            aws_v4_payload_hash(&view(none, None), "sts", false).unwrap(),
            empty
        );
        assert_eq!(
            aws_v4_payload_hash(&view(none, Some("abc")), "s3", false).unwrap(),
            "abc"
        );
        assert_eq!(
            aws_v4_payload_hash(&view(none, None), "s3", true).unwrap(),
            UNSIGNED_PAYLOAD
        );
        let bad: &'static [(String, String)] = Box::leak(Box::new([(
            "x-amz-content-sha256".to_owned(),
            "nope".to_owned(),
        )]));
        assert_eq!(
            aws_v4_payload_hash(&view(bad, None), "s3", false),
            Err(SigError::InvalidContentSha256)
        );
        let streaming: &'static [(String, String)] = Box::leak(Box::new([(
            "x-amz-content-sha256".to_owned(),
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER".to_owned(),
        )]));
        assert!(aws_v4_payload_hash(&view(streaming, None), "s3", false).is_ok());
    }
}
