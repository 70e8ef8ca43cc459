//! The console's static files, embedded in the binary: htmx (BSD-0, `assets/console/`,
//! unmodified from the npm package `htmx.org`) and the style sheet. Served with a long cache
//! lifetime; their names carry a version, so a new binary's files get new URLs.

use http::{HeaderValue, StatusCode, header};

use crate::transport::body::full;
use crate::transport::response::Resp;

/// htmx's path under `/-/console/`.
pub(crate) const HTMX: &str = "assets/htmx-2.0.11.min.js";
/// The style sheet's path under `/-/console/`.
pub(crate) const CSS: &str = concat!("assets/console-", env!("CARGO_PKG_VERSION"), ".css");

/// The object browser's and signed-URL page's script (`assets/console/objects.js`).
pub(crate) const OBJECTS_JS: &str = concat!("assets/objects-", env!("CARGO_PKG_VERSION"), ".js");

static OBJECTS_SCRIPT: &[u8] = include_bytes!("../../assets/console/objects.js");
static HTMX_JS: &[u8] = include_bytes!("../../assets/console/htmx.min.js");
static CONSOLE_CSS: &[u8] = include_bytes!("../../assets/console/console.css");

/// The asset at `path` (relative to `/-/console/`), if there is one.
pub(crate) fn serve(path: &str) -> Option<Resp> {
    let (body, kind) = match path {
        HTMX => (HTMX_JS, "text/javascript; charset=utf-8"),
        p if p == CSS => (CONSOLE_CSS, "text/css; charset=utf-8"),
        p if p == OBJECTS_JS => (OBJECTS_SCRIPT, "text/javascript; charset=utf-8"),
        _ => return None,
    };
    let mut r = Resp::new(full(body));
    *r.status_mut() = StatusCode::OK;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Some(r)
}
