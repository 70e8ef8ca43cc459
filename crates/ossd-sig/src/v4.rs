//! Signature V4 canonical request and string to sign
//! (docs/protocol/signatures.md#v4-canonical-request,
//! #v4-string-to-sign-and-signing-key, #v4-presigned-urls).

use std::borrow::Cow;

use crate::crypto::push_sha256_hex;
use crate::encode::{push_uri_encoded, uri_encode};
use crate::scope::{Scope, ScopeFamily};
use crate::view::{QueryParam, SigningView};

/// The V4 algorithm name.
pub const V4_ALGORITHM: &str = "OSS4-HMAC-SHA256";

/// The payload hash used when none is sent, and always for presigned URLs.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// How a query parameter with an empty value is rendered in the canonical query
/// (docs/protocol/signatures.md#v4-empty-query-values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmptyValueForm {
    /// `k` for every empty value (oss2, v2, Go).
    BareKey,
    /// `k=` for parameters that arrived with `=` and an empty value (ali-oss).
    KeepEquals,
}

/// Builds the V4 canonical request. `additional` must be normalised (see
/// [`crate::normalize_additional_headers`]); `presigned` drops `x-oss-signature` from the query and
/// uses `UNSIGNED-PAYLOAD`. A listed additional header missing from the request renders as `name:`.
pub fn v4_canonical_request(
    view: &SigningView,
    additional: &[String],
    presigned: bool,
    form: EmptyValueForm,
) -> String {
    let payload = if presigned {
        UNSIGNED_PAYLOAD
    } else {
        view.header("x-oss-content-sha256")
            .map(str::trim)
            .unwrap_or(UNSIGNED_PAYLOAD)
    };
    let headers_len: usize = view
        .headers
        .iter()
        .map(|(n, v)| n.len() + v.len() + 2)
        .sum();
    let mut out = String::with_capacity(256 + headers_len);
    out.push_str(view.method);
    out.push('\n');
    // The resource path `/bucket/key` (or `/`), encoded as it is appended.
    out.push('/');
    if let Some(bucket) = view.bucket {
        push_uri_encoded(&mut out, bucket.as_bytes(), true);
        out.push('/');
        push_uri_encoded(&mut out, view.key.unwrap_or("").as_bytes(), true);
    }
    out.push('\n');
    canonical_query(&mut out, view.query, presigned, form);
    out.push('\n');
    canonical_headers(&mut out, view, additional);
    out.push('\n');
    for (i, name) in additional.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out.push('\n');
    out.push_str(payload);
    out
}

/// Builds the V4 string to sign from the `x-oss-date` value, the scope and the canonical request.
pub fn v4_string_to_sign(datetime: &str, scope: &Scope, canonical_request: &str) -> String {
    let mut out = String::with_capacity(
        V4_ALGORITHM.len() + datetime.len() + scope.date.len() + scope.region.len() + 120,
    );
    out.push_str(V4_ALGORITHM);
    out.push('\n');
    out.push_str(datetime);
    out.push('\n');
    scope.push_rendered(&mut out, ScopeFamily::Oss);
    out.push('\n');
    push_sha256_hex(&mut out, canonical_request.as_bytes());
    out
}

/// The first additional header name that the request does not carry, if any.
pub fn missing_additional_header<'a>(
    view: &SigningView,
    additional: &'a [String],
) -> Option<&'a str> {
    missing_names(view, additional).next()
}

/// Whether any signed query parameter arrived as `k=` with an empty value (the retry of
/// docs/protocol/signatures.md#v4-empty-query-values applies).
pub(crate) fn has_empty_equals(query: &[QueryParam], presigned: bool) -> bool {
    query
        .iter()
        .filter(|p| !(presigned && p.key == "x-oss-signature"))
        .any(|p| p.has_equals && p.value.is_empty())
}

/// Appends the strictly encoded, sorted `k=v` / `k` pairs joined with `&` to `out`.
fn canonical_query(out: &mut String, query: &[QueryParam], presigned: bool, form: EmptyValueForm) {
    if query.is_empty() {
        return;
    }
    let mut items: Vec<(String, String, bool)> = query
        .iter()
        .filter(|p| !(presigned && p.key == "x-oss-signature"))
        .map(|p| {
            let keep_equals = form == EmptyValueForm::KeepEquals && p.has_equals;
            (uri_encode(&p.key), uri_encode(&p.value), keep_equals)
        })
        .collect();
    items.sort();
    for (i, (k, v, keep_equals)) in items.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        if !v.is_empty() || *keep_equals {
            out.push('=');
            out.push_str(v);
        }
    }
}

/// Appends `name:value\n` for `x-oss-*`, `content-type`, `content-md5` and the additional
/// headers, sorted by name, to `out`.
fn canonical_headers(out: &mut String, view: &SigningView, additional: &[String]) {
    let mut headers: Vec<(Cow<'_, str>, &str)> = view
        .headers
        .iter()
        .map(|(n, v)| (lowercase(n), v.trim()))
        .filter(|(n, _)| is_default_signed(n) || additional.iter().any(|a| a == n))
        .collect();
    for name in missing_names(view, additional) {
        headers.push((Cow::Borrowed(name), ""));
    }
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in &headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
    }
}

/// `name` in ASCII lowercase, borrowed when it already is (the usual case).
fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// All additional header names the request does not carry.
fn missing_names<'a>(
    view: &SigningView<'_>,
    additional: &'a [String],
) -> impl Iterator<Item = &'a str> {
    additional
        .iter()
        .map(String::as_str)
        .filter(|name| view.header(name).is_none())
}

/// Headers V4 always signs when present.
fn is_default_signed(name: &str) -> bool {
    name.starts_with("x-oss-") || name == "content-type" || name == "content-md5"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_query_forms() {
        let q = QueryParam::parse_query("prefix=&uploads&b=x%2Fy&a=2&a=1&x-oss-signature=s");
        let render = |presigned, form| {
            let mut out = String::new();
            canonical_query(&mut out, &q, presigned, form);
            out
        };
        let bare = render(true, EmptyValueForm::BareKey);
        assert_eq!(bare, "a=1&a=2&b=x%2Fy&prefix&uploads");
        let eq = render(true, EmptyValueForm::KeepEquals);
        assert_eq!(eq, "a=1&a=2&b=x%2Fy&prefix=&uploads");
        assert!(render(false, EmptyValueForm::BareKey).ends_with("&x-oss-signature=s"));
        assert!(has_empty_equals(&q, true));
        assert!(!has_empty_equals(
            &QueryParam::parse_query("uploads&a=1"),
            false
        ));
    }
}
