//! Cross-site request forgery (docs/console.md#csrf): every request that is not a GET or HEAD
//! carries the session's token, in the form field `_csrf` (plain forms) or the `X-CSRF-Token`
//! header (htmx, from `hx-headers` on `<body>`), compared in constant time; and when the browser
//! says where the request came from (`Origin`, `Sec-Fetch-Site`), it must be this origin.

use subtle::ConstantTimeEq;

/// The form field that carries the token.
pub(crate) const FIELD: &str = "_csrf";
/// The header that carries the token (htmx requests).
pub(crate) const HEADER: &str = "x-csrf-token";

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum CsrfError {
    /// No token, or not the session's.
    #[error("the request did not carry this session's CSRF token")]
    BadToken,
    /// `Origin` or `Sec-Fetch-Site` names another site.
    #[error("the request came from another site")]
    CrossSite,
}

/// Checks the browser's own statement of the request's origin: `Sec-Fetch-Site` must be
/// `same-origin` when present, and `Origin` (when present and not `null`) must be
/// `http(s)://<host>` of this request.
pub(crate) fn check_origin(
    headers: &http::HeaderMap,
    host: &str,
    secure: bool,
) -> Result<(), CsrfError> {
    if let Some(site) = headers.get("sec-fetch-site")
        && site.as_bytes() != b"same-origin"
    {
        return Err(CsrfError::CrossSite);
    }
    if let Some(origin) = headers.get(http::header::ORIGIN) {
        let scheme = if secure { "https" } else { "http" };
        let expected = format!("{scheme}://{host}");
        if !origin.as_bytes().eq_ignore_ascii_case(expected.as_bytes()) {
            return Err(CsrfError::CrossSite);
        }
    }
    Ok(())
}

/// Checks a state-changing request: its origin, then the token sent (`sent`: the header's, else
/// the form field's) against the session's.
pub(crate) fn check(
    headers: &http::HeaderMap,
    host: &str,
    secure: bool,
    sent: Option<&str>,
    expected: &str,
) -> Result<(), CsrfError> {
    check_origin(headers, host, secure)?;
    let sent = headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .or(sent)
        .ok_or(CsrfError::BadToken)?;
    if expected.is_empty() || !bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(CsrfError::BadToken);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue};

    const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn token_in_form_or_header() {
        let h = HeaderMap::new();
        assert_eq!(check(&h, "h:1", false, Some(TOKEN), TOKEN), Ok(()));
        let mut h = HeaderMap::new();
        h.insert(HEADER, HeaderValue::from_static(TOKEN));
        assert_eq!(check(&h, "h:1", false, None, TOKEN), Ok(()));
    }

    #[test]
    fn missing_or_wrong_token() {
        let h = HeaderMap::new();
        assert_eq!(check(&h, "h", false, None, TOKEN), Err(CsrfError::BadToken));
        assert_eq!(
            check(&h, "h", false, Some("nope"), TOKEN),
            Err(CsrfError::BadToken)
        );
        assert_eq!(
            check(&h, "h", false, Some(""), ""),
            Err(CsrfError::BadToken)
        );
    }

    #[test]
    fn cross_site_refused_even_with_token() {
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert_eq!(
            check(&h, "h", false, Some(TOKEN), TOKEN),
            Err(CsrfError::CrossSite)
        );
        let mut h = HeaderMap::new();
        h.insert(
            http::header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert_eq!(
            check(&h, "h:1", false, Some(TOKEN), TOKEN),
            Err(CsrfError::CrossSite)
        );
        let mut h = HeaderMap::new();
        h.insert(http::header::ORIGIN, HeaderValue::from_static("http://h:1"));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert_eq!(check(&h, "h:1", false, Some(TOKEN), TOKEN), Ok(()));
        // Over TLS the origin is https.
        assert_eq!(
            check(&h, "h:1", true, Some(TOKEN), TOKEN),
            Err(CsrfError::CrossSite)
        );
    }
}
