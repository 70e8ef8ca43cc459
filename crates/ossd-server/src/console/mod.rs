//! The web console under `/-/console/` (docs/console.md): server-rendered pages (askama
//! templates in `templates/console/`, htmx as progressive enhancement, every page usable without
//! JavaScript), sign-in into a server-side session, CSRF protection, and pages that act only
//! through [`caller::ConsoleCaller`] — ordinary signed requests run through the dispatcher, so
//! the console has no privileges of its own.
//!
//! Routing here: static assets, the sign-in form, then for everything else a live session
//! (else a redirect to sign-in) and, for any method but GET and HEAD, the CSRF check (else
//! 403); the pages themselves are routed in [`pages`].

pub(crate) mod assets;
pub(crate) mod audit_filter;
pub(crate) mod caller;
pub(crate) mod cookie;
pub(crate) mod csrf;
pub(crate) mod doc;
pub(crate) mod form;
pub(crate) mod html;
pub(crate) mod links;
pub(crate) mod pages;
pub(crate) mod post_form;
pub(crate) mod presign_url;
pub(crate) mod session;

use std::net::SocketAddr;
use std::time::Instant;

use http::request::Parts;
use http::{Method, StatusCode};
use ossd_proto::request::Target;

use crate::AppState;
use crate::transport::body::Inbound;
use crate::transport::response::Resp;
use form::Form;
use pages::Visit;

pub use session::ConsoleSessions;

/// The console's root path.
pub(crate) const ROOT: &str = "/-/console/";

/// What the console needs to know about a request besides its parts and body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConsoleRequest<'a> {
    /// The `Host` the browser used (the console's own requests use it too).
    pub host: &'a str,
    /// The browser's address (the console's requests come from it).
    pub remote: SocketAddr,
    /// Whether the listener is TLS (cookies are then `Secure`).
    pub secure: bool,
}

/// Marks a GetObject response so that a browser never runs what it carries with the console's
/// origin: an HTML or SVG object (uploaded by anyone allowed to write, or public) opened
/// from the console's host would otherwise script `/-/console/` with the signed-in user's
/// session (docs/console.md#objects-and-the-consoles-origin). `sandbox` gives such a document an
/// opaque origin (no script, no same-origin requests, no cookies); `nosniff` keeps a browser
/// from reading a `text/plain` or untyped object as HTML. Neither changes what SDKs receive.
pub(crate) fn sandbox_object(resp: &mut crate::transport::response::Resp) {
    let headers = resp.headers_mut();
    headers.insert(
        http::header::CONTENT_SECURITY_POLICY,
        http::HeaderValue::from_static("sandbox"),
    );
    headers.insert(
        http::header::X_CONTENT_TYPE_OPTIONS,
        http::HeaderValue::from_static("nosniff"),
    );
}

/// Whether a path-style target is the console's (`/-/console` and below).
pub(crate) fn is_console(target: &Target) -> bool {
    !target.virtual_hosted
        && target.bucket.as_deref() == Some("-")
        && target
            .key
            .as_deref()
            .is_some_and(|k| k == "console" || k.starts_with("console/"))
}

/// Handles one console request; returns the response and the caller's label for the access log.
pub(crate) async fn handle(
    state: &AppState,
    parts: &Parts,
    body: Inbound,
    target: &Target,
    req: ConsoleRequest<'_>,
) -> (Resp, String) {
    let key = target.key.as_deref().unwrap_or_default();
    let Some(path) = key.strip_prefix("console/") else {
        return (html::redirect(ROOT), String::new());
    };
    let read_only = matches!(parts.method, Method::GET | Method::HEAD);
    if read_only && let Some(r) = assets::serve(path) {
        return (r, String::new());
    }
    // A console PUT carries a file or a part: its body streams into the signed request
    // (`pages::transfer::put`) and is not read as a form.
    let streamed = parts.method == Method::PUT;
    let mut upload = None;
    let form = if read_only || streamed {
        // A GET carries no form; its body, if any, is not read.
        upload = streamed.then_some(body);
        Form::default()
    } else {
        match Form::read(body).await {
            Ok(f) => f,
            Err(e) => {
                let r = pages::message(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Request refused",
                    &e.to_string(),
                );
                return (r, String::new());
            }
        }
    };
    if path == "sign-in" {
        return (
            pages::sign_in::handle(state, parts, req, &form).await,
            String::new(),
        );
    }
    let now = Instant::now();
    let session =
        cookie::read(&parts.headers, cookie::SESSION).and_then(|id| state.console.touch(id, now));
    let Some(session) = session else {
        let mut r = html::redirect(&format!("{ROOT}sign-in"));
        if cookie::read(&parts.headers, cookie::SESSION).is_some() {
            r = html::with_cookie(r, &cookie::clear(cookie::SESSION, req.secure));
        }
        return (r, String::new());
    };
    let label = session.arn.clone();
    if !read_only
        && let Err(e) = csrf::check(
            &parts.headers,
            req.host,
            req.secure,
            form.get(csrf::FIELD),
            &session.csrf,
        )
    {
        return (
            pages::message(
                StatusCode::FORBIDDEN,
                "Request refused",
                &format!("{e}: reload the page and try again."),
            ),
            label,
        );
    }
    let query = Form::parse(parts.uri.query().unwrap_or_default().as_bytes());
    let visit = Visit {
        state,
        session,
        req,
        htmx: parts.headers.contains_key("hx-request"),
        query,
        form,
    };
    if let Some(body) = upload {
        return (pages::transfer::put(&visit, path, parts, body).await, label);
    }
    (pages::route(&visit, &parts.method, path).await, label)
}
