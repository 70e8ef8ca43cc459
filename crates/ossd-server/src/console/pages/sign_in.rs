//! Sign-in and sign-out (docs/console.md#sign-in-and-sessions). The credentials typed in are
//! verified by an ordinary signed request — STS GetCallerIdentity through the console's caller —
//! so a wrong secret or an unknown AccessKey is refused by the same authentication, audit and
//! metrics as any client's; on success a session is created and its id set in the cookie. The
//! form is protected by a token in a pre-session cookie (login CSRF).

use std::time::Instant;

use askama::Template;
use http::StatusCode;
use http::request::Parts;
use serde_json::Value;

use super::Visit;
use crate::AppState;
use crate::console::caller::{CallError, ConsoleCaller, Product};
use crate::console::form::Form;
use crate::console::session::{Credentials, random_token};
use crate::console::{ConsoleRequest, ROOT, assets, cookie, csrf, html};
use crate::transport::response::Resp;

/// The sign-in form.
#[derive(Template)]
#[template(path = "console/sign_in.html")]
struct SignInPage<'a> {
    css: &'static str,
    token: &'a str,
    access_key_id: &'a str,
    error: Option<CallError>,
}

/// GET shows the form; POST signs in.
pub(crate) async fn handle(
    state: &AppState,
    parts: &Parts,
    req: ConsoleRequest<'_>,
    form: &Form,
) -> Resp {
    if matches!(parts.method, http::Method::GET | http::Method::HEAD) {
        return form_page(StatusCode::OK, "", None, req.secure);
    }
    let expected = cookie::read(&parts.headers, cookie::PRE_SESSION).unwrap_or_default();
    if let Err(e) = csrf::check(
        &parts.headers,
        req.host,
        req.secure,
        form.get(csrf::FIELD),
        expected,
    ) {
        return super::message(
            StatusCode::FORBIDDEN,
            "Sign-in refused",
            &format!("{e}: reload the sign-in page and try again."),
        );
    }
    let creds = Credentials {
        access_key_id: form.text("access_key_id").to_owned(),
        secret: form.text("access_key_secret").to_owned(),
        security_token: form.opt("security_token").map(str::to_owned),
    };
    match sign_in(state, req, creds).await {
        Ok(id) => {
            let r = html::redirect(ROOT);
            let r = html::with_cookie(r, &cookie::set(cookie::SESSION, &id, req.secure));
            html::with_cookie(r, &cookie::clear(cookie::PRE_SESSION, req.secure))
        }
        Err(e) => {
            let status = StatusCode::from_u16(e.status)
                .ok()
                .filter(|s| s.is_client_error())
                .unwrap_or(StatusCode::UNAUTHORIZED);
            form_page(status, form.text("access_key_id"), Some(e), req.secure)
        }
    }
}

/// Verifies `creds` and starts a session; returns its id.
pub(crate) async fn sign_in(
    state: &AppState,
    req: ConsoleRequest<'_>,
    creds: Credentials,
) -> Result<String, CallError> {
    if creds.access_key_id.is_empty() || creds.secret.is_empty() {
        return Err(CallError {
            status: 400,
            code: "MissingParameter".to_owned(),
            message: "Enter an AccessKey id and its secret.".to_owned(),
            request_id: String::new(),
            detail: None,
        });
    }
    let caller = ConsoleCaller::new(state, &creds, req.remote, req.secure, req.host);
    let identity = caller.rpc(Product::Sts, "GetCallerIdentity", &[]).await?;
    let field = |k: &str| {
        identity
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let session = state
        .console
        .create(creds, field("Arn"), field("IdentityType"), Instant::now());
    Ok(session.id)
}

fn form_page(
    status: StatusCode,
    access_key_id: &str,
    error: Option<CallError>,
    secure: bool,
) -> Resp {
    let token = random_token();
    let page = SignInPage {
        css: assets::CSS,
        token: &token,
        access_key_id,
        error,
    };
    let r = html::render(status, &page);
    html::with_cookie(r, &cookie::set(cookie::PRE_SESSION, &token, secure))
}

/// Ends the session and returns to the sign-in form.
pub(crate) fn sign_out(v: &Visit<'_>) -> Resp {
    v.state.console.remove(&v.session.id);
    let r = html::redirect(&format!("{ROOT}sign-in"));
    html::with_cookie(r, &cookie::clear(cookie::SESSION, v.req.secure))
}
