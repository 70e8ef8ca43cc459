//! The console's pages and their routes. Each page module reads what it shows and performs what
//! it is asked through [`Visit::caller`] only; a refusal is shown with the server's Code,
//! Message, RequestId and AccessDeniedDetail ([`Visit::failure`]). A form posts, then redirects
//! (or shows a result that must be seen once, such as a new AccessKey secret).

pub(crate) mod assume;
pub(crate) mod attach;
pub(crate) mod audit;
pub(crate) mod bucket_settings;
pub(crate) mod buckets;
pub(crate) mod data_routes;
pub(crate) mod groups;
pub(crate) mod home;
pub(crate) mod objects;
pub(crate) mod policies;
pub(crate) mod presign;
pub(crate) mod ram;
pub(crate) mod roles;
pub(crate) mod sign_in;
pub(crate) mod simulator;
pub(crate) mod transfer;
pub(crate) mod users;

use askama::Template;
use http::{Method, StatusCode};

use super::caller::{CallError, ConsoleCaller, Product};
use super::form::Form;
use super::session::Session;
use super::{ConsoleRequest, assets, html};
use crate::AppState;
use crate::transport::response::Resp;

/// One request of a signed-in browser.
pub(crate) struct Visit<'a> {
    /// The server.
    pub state: &'a AppState,
    /// The live session.
    pub session: Session,
    /// Host, browser address, transport.
    pub req: ConsoleRequest<'a>,
    #[allow(dead_code)] // until the first page answers htmx with a fragment
    /// Whether htmx sent the request (`HX-Request`); pages may answer with a fragment.
    pub htmx: bool,
    /// The query string.
    pub query: Form,
    /// The form posted (empty for GET).
    pub form: Form,
}

impl Visit<'_> {
    /// The session's identity, signing its requests.
    pub(crate) fn caller(&self) -> ConsoleCaller<'_> {
        ConsoleCaller::new(
            self.state,
            &self.session.creds,
            self.req.remote,
            self.req.secure,
            self.req.host,
        )
    }

    /// Runs RAM `action` with `params`; success redirects to `then` (a console path), a refusal
    /// is shown with a link back to `then`.
    pub(crate) async fn ram_then(&self, action: &str, params: &[(&str, &str)], then: &str) -> Resp {
        match self.caller().rpc(Product::Ram, action, params).await {
            Ok(_) => html::redirect(then),
            Err(e) => self.failure(&e, then),
        }
    }

    /// The page frame for a page of section `nav` titled `title`.
    pub(crate) fn layout(&self, nav: &'static str, title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            csrf: self.session.csrf.clone(),
            who: self.session.arn.clone(),
            who_type: self.session.identity_type.clone(),
            nav,
            htmx: assets::HTMX,
            css: assets::CSS,
        }
    }

    /// The page that shows a refused request, with a link back to `back` (a console path).
    pub(crate) fn failure(&self, error: &CallError, back: &str) -> Resp {
        let status = StatusCode::from_u16(error.status)
            .ok()
            .filter(|s| s.is_client_error() || s.is_server_error())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let page = FailurePage {
            layout: self.layout("", format!("Refused: {}", error.code)),
            error,
            back,
        };
        html::render(status, &page)
    }
}

/// What every page's frame shows (`templates/console/base.html`).
pub(crate) struct Layout {
    /// The page title.
    pub title: String,
    /// The session's CSRF token (hidden form fields, `hx-headers`).
    pub csrf: String,
    /// The signed-in identity's ARN.
    pub who: String,
    /// Its type (`Account`, `RAMUser`, `AssumedRoleUser`).
    pub who_type: String,
    /// The navigation section (`identity`, `buckets`, `simulator`, `audit`, or `""`).
    pub nav: &'static str,
    /// htmx's path under `/-/console/`.
    pub htmx: &'static str,
    /// The style sheet's path under `/-/console/`.
    pub css: &'static str,
}

/// A refused request.
#[derive(Template)]
#[template(path = "console/failure.html")]
struct FailurePage<'a> {
    layout: Layout,
    error: &'a CallError,
    back: &'a str,
}

/// A page outside a session: a title and a sentence.
#[derive(Template)]
#[template(path = "console/message.html")]
struct MessagePage<'a> {
    title: &'a str,
    text: &'a str,
    css: &'static str,
}

/// A plain page with `status`, `title` and `text` (CSRF refusals, errors before a session).
pub(crate) fn message(status: StatusCode, title: &str, text: &str) -> Resp {
    html::render(
        status,
        &MessagePage {
            title,
            text,
            css: assets::CSS,
        },
    )
}

/// Routes a signed-in request by method and path (below `/-/console/`, without the leading
/// `/`). Pages of later sections add their arms here.
pub(crate) async fn route(v: &Visit<'_>, method: &Method, path: &str) -> Resp {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let get = matches!(*method, Method::GET | Method::HEAD);
    if let Some(r) = data_routes::route(v, get, &segs).await {
        return r;
    }
    match (get, segs.as_slice()) {
        (true, []) => home::show(v).await,
        (false, ["sign-out"]) => sign_in::sign_out(v),
        (true, ["users"]) => users::list(v).await,
        (false, ["users"]) => users::create(v).await,
        (true, ["users", name]) => users::show(v, name).await,
        (false, ["users", name, "delete"]) => users::delete(v, name).await,
        (false, ["users", name, "keys"]) => users::create_key(v, name).await,
        (false, ["users", name, "keys", id, "status"]) => users::key_status(v, name, id).await,
        (false, ["users", name, "keys", id, "delete"]) => users::delete_key(v, name, id).await,
        (false, ["users", name, "groups"]) => users::join(v, name).await,
        (false, ["users", name, "groups", group, "remove"]) => users::leave(v, name, group).await,
        (true, ["groups"]) => groups::list(v).await,
        (false, ["groups"]) => groups::create(v).await,
        (true, ["groups", name]) => groups::show(v, name).await,
        (false, ["groups", name, "delete"]) => groups::delete(v, name).await,
        (false, ["groups", name, "members"]) => groups::add_member(v, name).await,
        (false, ["groups", name, "members", user, "remove"]) => {
            groups::remove_member(v, name, user).await
        }
        (true, ["roles"]) => roles::list(v).await,
        (false, ["roles"]) => roles::create(v).await,
        (true, ["roles", name]) => roles::show(v, name).await,
        (false, ["roles", name, "trust"]) => roles::update_trust(v, name).await,
        (false, ["roles", name, "delete"]) => roles::delete(v, name).await,
        (false, ["roles", name, "assume"]) => assume::assume(v, name).await,
        (false, ["switch"]) => assume::switch(v).await,
        (true, ["policies"]) => policies::list(v).await,
        (false, ["policies"]) => policies::create(v).await,
        (false, ["policies", "validate"]) => policies::validate(v),
        (true, ["policies", kind, name]) => policies::show(v, kind, name).await,
        (false, ["policies", "Custom", name, "versions"]) => {
            policies::create_version(v, name).await
        }
        (false, ["policies", "Custom", name, "versions", id, "default"]) => {
            policies::set_default(v, name, id).await
        }
        (false, ["policies", "Custom", name, "versions", id, "delete"]) => {
            policies::delete_version(v, name, id).await
        }
        (false, ["policies", "Custom", name, "delete"]) => policies::delete(v, name).await,
        (true, ["simulator"]) => simulator::show(v).await,
        (false, ["attach"]) => attach::attach(v, true).await,
        (false, ["detach"]) => attach::attach(v, false).await,
        _ => message(
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no such console page.",
        ),
    }
}
