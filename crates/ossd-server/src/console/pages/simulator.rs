//! The policy simulator (docs/console.md#policy-simulator): pick a principal (a RAM user, or a
//! role with an optional session policy), an action, a resource and condition values; the page
//! shows Allow or Deny, what decided (identity, session or bucket policy, ACL) and the statement
//! that decided, or that the bucket does not exist, as the server's own
//! evaluation answers through the RAM call SimulatePrincipalPolicy (an ossd extension,
//! docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension) — so the simulation itself is
//! authorized (`ram:SimulatePrincipalPolicy`). A simulation changes nothing: the form is a GET.

use askama::Template;
use http::StatusCode;
use serde_json::{Map, Value};

use super::ram::{EntityRow, text};
use super::{Layout, Visit};
use crate::console::caller::{CallError, Product};
use crate::console::html;
use crate::transport::response::Resp;

/// Actions offered as suggestions.
const ACTIONS: &[&str] = &[
    "oss:GetObject",
    "oss:PutObject",
    "oss:DeleteObject",
    "oss:ListObjects",
    "oss:GetBucketInfo",
    "oss:PutBucketPolicy",
    "ram:CreateUser",
    "ram:ListUsers",
    "ram:AttachPolicyToUser",
    "sts:AssumeRole",
];

/// The simulator.
#[derive(Template)]
#[template(path = "console/simulator.html")]
struct SimulatorPage {
    layout: Layout,
    principals: Vec<(String, String)>,
    actions: &'static [&'static str],
    chosen: String,
    action: String,
    resource: String,
    session_policy: String,
    source_ip: String,
    secure: String,
    prefix: String,
    extra: String,
    result: Option<Result<Verdict, CallError>>,
}

/// What the server decided.
struct Verdict {
    allowed: bool,
    decision: String,
    policy_name: String,
    statement_index: String,
    sid: String,
    /// What decided (`IdentityPolicy`, `SessionPolicy`, `BucketPolicy`, `Acl`, …).
    decided_by: String,
    /// The bucket the resource names when it does not exist.
    missing_bucket: String,
    detail: Option<String>,
}

/// GET `/simulator` (with the form's fields in the query when submitted).
pub(crate) async fn show(v: &Visit<'_>) -> Resp {
    let q = &v.query;
    let account = &v.state.config.account_id;
    let caller = v.caller();
    let mut principals = Vec::new();
    if let Ok(r) = caller
        .rpc(Product::Ram, "ListUsers", &[("MaxItems", "1000")])
        .await
    {
        for u in EntityRow::list(&r, "Users", "User", "UserName") {
            principals.push((format!("user:{}", u.name), format!("RAM user {}", u.name)));
        }
    }
    if let Ok(r) = caller
        .rpc(Product::Ram, "ListRoles", &[("MaxItems", "1000")])
        .await
    {
        for role in EntityRow::list(&r, "Roles", "Role", "RoleName") {
            principals.push((format!("role:{}", role.name), format!("Role {}", role.name)));
        }
    }
    let chosen = q.text("principal").to_owned();
    let result = match chosen.split_once(':') {
        Some((kind, name)) if !q.text("action").is_empty() => Some(simulate(v, kind, name).await),
        _ => None,
    };
    let resource = match q.opt("resource") {
        Some(r) => r.to_owned(),
        None => format!("acs:oss:*:{account}:examplebucket/*"),
    };
    let page = SimulatorPage {
        layout: v.layout("simulator", "Policy simulator"),
        principals,
        actions: ACTIONS,
        chosen,
        action: q.text("action").to_owned(),
        resource,
        session_policy: q.text("session_policy").to_owned(),
        source_ip: q.text("source_ip").to_owned(),
        secure: q.text("secure_transport").to_owned(),
        prefix: q.text("prefix").to_owned(),
        extra: q.text("context").to_owned(),
        result,
    };
    html::render(StatusCode::OK, &page)
}

/// Runs SimulatePrincipalPolicy for principal `kind`:`name` with the query's fields.
async fn simulate(v: &Visit<'_>, kind: &str, name: &str) -> Result<Verdict, CallError> {
    let q = &v.query;
    let mut context = match q.opt("context") {
        Some(raw) => serde_json::from_str::<Map<String, Value>>(raw).map_err(|e| {
            CallError::local(
                "InvalidParameter.ContextEntries",
                format!("Other condition values must be a JSON object: {e}"),
            )
        })?,
        None => Map::new(),
    };
    for (key, field) in [
        ("acs:SourceIp", "source_ip"),
        ("acs:SecureTransport", "secure_transport"),
        ("oss:Prefix", "prefix"),
    ] {
        if let Some(value) = q.opt(field) {
            context.insert(key.to_owned(), Value::String(value.to_owned()));
        }
    }
    let context = Value::Object(context).to_string();
    let mut params = vec![
        ("ActionName", q.text("action")),
        ("ResourceArn", q.text("resource")),
        ("ContextEntries", context.as_str()),
    ];
    match kind {
        "role" => {
            params.push(("RoleName", name));
            if let Some(p) = q.opt("session_policy") {
                params.push(("SessionPolicy", p));
            }
        }
        _ => params.push(("UserName", name)),
    }
    let r = v
        .caller()
        .rpc(Product::Ram, "SimulatePrincipalPolicy", &params)
        .await?;
    let matched = r.get("MatchedStatement").cloned().unwrap_or_default();
    let decision = text(&r, "EvalDecision");
    Ok(Verdict {
        allowed: decision == "allowed",
        decision,
        policy_name: text(&matched, "PolicyName"),
        statement_index: text(&matched, "StatementIndex"),
        sid: text(&matched, "Sid"),
        decided_by: text(&r, "DecidedBy"),
        missing_bucket: text(&r, "MissingBucket"),
        detail: r
            .get("AccessDeniedDetail")
            .and_then(|d| serde_json::to_string_pretty(d).ok()),
    })
}
