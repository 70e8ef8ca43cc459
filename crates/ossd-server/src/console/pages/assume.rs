//! "Assume this role" (docs/console.md#assume-a-role): STS AssumeRole through the caller, as the
//! signed-in identity (which needs `sts:AssumeRole` and the role's trust, like any client); the
//! temporary credentials with their expiry and ready-to-paste client snippets; and "sign in with
//! these credentials", which replaces the console session by one of the role session.

use askama::Template;
use http::StatusCode;
use serde_json::Value;

use super::{Layout, Visit};
use crate::console::caller::Product;
use crate::console::session::Credentials;
use crate::console::{ROOT, cookie, html};
use crate::transport::response::Resp;

/// The issued credentials.
#[derive(Template)]
#[template(path = "console/assumed.html")]
struct AssumedPage {
    layout: Layout,
    role: String,
    arn: String,
    id: String,
    secret: String,
    token: String,
    expiration: String,
    endpoint: String,
    region: String,
}

/// POST `/roles/<name>/assume` (`session_name`, `duration`, `policy`, `role_arn`).
pub(crate) async fn assume(v: &Visit<'_>, role: &str) -> Resp {
    let back = format!("/-/console/roles/{role}");
    let mut params = vec![
        ("RoleArn", v.form.text("role_arn")),
        ("RoleSessionName", v.form.text("session_name")),
        ("DurationSeconds", v.form.text("duration")),
    ];
    if let Some(p) = v.form.opt("policy") {
        params.push(("Policy", p));
    }
    let r = match v.caller().rpc(Product::Sts, "AssumeRole", &params).await {
        Ok(r) => r,
        Err(e) => return v.failure(&e, &back),
    };
    let c = |k: &str| {
        r.get("Credentials")
            .and_then(|c| c.get(k))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let scheme = if v.req.secure { "https" } else { "http" };
    let page = AssumedPage {
        layout: v.layout("identity", format!("Assumed role {role}")),
        role: role.to_owned(),
        arn: r
            .get("AssumedRoleUser")
            .and_then(|u| u.get("Arn"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        id: c("AccessKeyId"),
        secret: c("AccessKeySecret"),
        token: c("SecurityToken"),
        expiration: c("Expiration"),
        endpoint: format!("{scheme}://{}", v.req.host),
        region: v.state.config.region.clone(),
    };
    html::render(StatusCode::OK, &page)
}

/// POST `/switch` (`access_key_id`, `access_key_secret`, `security_token`): signs in with other
/// credentials (verified as at sign-in) and ends the current session.
pub(crate) async fn switch(v: &Visit<'_>) -> Resp {
    let creds = Credentials {
        access_key_id: v.form.text("access_key_id").to_owned(),
        secret: v.form.text("access_key_secret").to_owned(),
        security_token: v.form.opt("security_token").map(str::to_owned),
    };
    match super::sign_in::sign_in(v.state, v.req, creds).await {
        Ok(id) => {
            v.state.console.remove(&v.session.id);
            let r = html::redirect(ROOT);
            html::with_cookie(r, &cookie::set(cookie::SESSION, &id, v.req.secure))
        }
        Err(e) => v.failure(&e, ROOT),
    }
}
