//! HTML responses of the console, whatever the dialect of the listener: rendered askama
//! templates, redirects (`303 See Other`, or `HX-Redirect` for htmx), and the headers every
//! console page carries (no caching, a same-origin Content-Security-Policy, no framing).

use http::{HeaderValue, StatusCode, header};

use crate::transport::body::full;
use crate::transport::response::{Resp, set};

/// The Content-Security-Policy of console pages: only the console's own script and style.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A page: `body` as `text/html` with `status`.
pub(crate) fn page(status: StatusCode, body: String) -> Resp {
    let mut r = Resp::new(full(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    protect(&mut r);
    r
}

/// Renders `template` with `status`; a template that fails to render is a plain 500 page.
pub(crate) fn render<T: askama::Template>(status: StatusCode, template: &T) -> Resp {
    match template.render() {
        Ok(body) => page(status, body),
        Err(e) => {
            tracing::error!(error = %e, "console template failed to render");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html><title>Error</title><p>The page could not be rendered.</p>"
                    .to_owned(),
            )
        }
    }
}

/// `303 See Other` to `location` (a console path); for htmx, also `HX-Redirect` so that the
/// whole page changes.
pub(crate) fn redirect(location: &str) -> Resp {
    let mut r = page(StatusCode::SEE_OTHER, String::new());
    set(&mut r, "location", location);
    set(&mut r, "hx-redirect", location);
    r
}

/// Adds a `Set-Cookie` header.
pub(crate) fn with_cookie(mut r: Resp, cookie: &str) -> Resp {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// The headers of every console page.
fn protect(r: &mut Resp) {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
}
