//! RAM roles (docs/console.md#identity): list, create with a trust policy written or built from
//! a principal picker (the account root, RAM users, services), the trust policy editor, the
//! attached policies, delete. Every read and change is a RAM call through the caller.

use askama::Template;
use http::StatusCode;
use serde_json::json;

use super::attach::Attachments;
use super::ram::{EntityRow, text};
use super::{Layout, Visit};
use crate::console::caller::{CallError, Product};
use crate::console::html;
use crate::transport::response::Resp;

/// Services a trust policy can name in the picker (docs/protocol/ram.md).
const SERVICES: &[&str] = &["ecs.aliyuncs.com", "fc.aliyuncs.com", "oss.aliyuncs.com"];

/// A principal the picker offers: its value in the form, and its label.
pub(crate) struct Pick {
    value: String,
    label: String,
}

/// The role list and the create form.
#[derive(Template)]
#[template(path = "console/roles.html")]
struct RolesPage {
    layout: Layout,
    roles: Result<Vec<EntityRow>, CallError>,
    picks: Vec<Pick>,
}

/// One role.
#[derive(Template)]
#[template(path = "console/role.html")]
struct RolePage {
    layout: Layout,
    name: String,
    arn: String,
    description: String,
    max_session: String,
    trust: String,
    picks: Vec<Pick>,
    attached: Attachments,
}

/// The principals the picker offers: the account root, each RAM user the caller can list, and
/// the services.
async fn picks(v: &Visit<'_>) -> Vec<Pick> {
    let account = &v.state.config.account_id;
    let mut out = vec![Pick {
        value: format!("RAM:acs:ram::{account}:root"),
        label: format!("Account root ({account})"),
    }];
    if let Ok(users) = v
        .caller()
        .rpc(Product::Ram, "ListUsers", &[("MaxItems", "1000")])
        .await
    {
        for u in EntityRow::list(&users, "Users", "User", "UserName") {
            out.push(Pick {
                value: format!("RAM:acs:ram::{account}:user/{}", u.name),
                label: format!("RAM user {}", u.name),
            });
        }
    }
    for s in SERVICES {
        out.push(Pick {
            value: format!("Service:{s}"),
            label: format!("Service {s}"),
        });
    }
    out
}

/// A trust policy allowing `sts:AssumeRole` to the picked principals (`RAM:<arn>` or
/// `Service:<name>`), or `None` when none was picked.
fn trust_from_picks<'a>(picked: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut ram = Vec::new();
    let mut services = Vec::new();
    for p in picked {
        match p.split_once(':') {
            Some(("RAM", arn)) => ram.push(arn.to_owned()),
            Some(("Service", s)) => services.push(s.to_owned()),
            _ => {}
        }
    }
    if ram.is_empty() && services.is_empty() {
        return None;
    }
    let mut principal = serde_json::Map::new();
    if !ram.is_empty() {
        principal.insert("RAM".to_owned(), json!(ram));
    }
    if !services.is_empty() {
        principal.insert("Service".to_owned(), json!(services));
    }
    let doc = json!({
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": principal}]
    });
    serde_json::to_string_pretty(&doc).ok()
}

/// The trust policy of a form: the picked principals when any, else the document written.
fn trust_of(v: &Visit<'_>) -> String {
    trust_from_picks(v.form.all("principal")).unwrap_or_else(|| v.form.text("document").to_owned())
}

/// GET `/roles`.
pub(crate) async fn list(v: &Visit<'_>) -> Resp {
    let roles = v
        .caller()
        .rpc(Product::Ram, "ListRoles", &[("MaxItems", "1000")])
        .await
        .map(|r| EntityRow::list(&r, "Roles", "Role", "RoleName"));
    let page = RolesPage {
        layout: v.layout("identity", "Roles"),
        roles,
        picks: picks(v).await,
    };
    html::render(StatusCode::OK, &page)
}

/// POST `/roles`: CreateRole.
pub(crate) async fn create(v: &Visit<'_>) -> Resp {
    let name = v.form.text("role_name");
    let trust = trust_of(v);
    let mut params = vec![
        ("RoleName", name),
        ("AssumeRolePolicyDocument", trust.as_str()),
    ];
    if let Some(d) = v.form.opt("description") {
        params.push(("Description", d));
    }
    if let Some(m) = v.form.opt("max_session") {
        params.push(("MaxSessionDuration", m));
    }
    match v.caller().rpc(Product::Ram, "CreateRole", &params).await {
        Ok(_) => html::redirect(&format!("/-/console/roles/{name}")),
        Err(e) => v.failure(&e, "/-/console/roles"),
    }
}

/// GET `/roles/<name>`.
pub(crate) async fn show(v: &Visit<'_>, name: &str) -> Resp {
    let role = match v
        .caller()
        .rpc(Product::Ram, "GetRole", &[("RoleName", name)])
        .await
    {
        Ok(r) => r.get("Role").cloned().unwrap_or_default(),
        Err(e) => return v.failure(&e, "/-/console/roles"),
    };
    let trust = text(&role, "AssumeRolePolicyDocument");
    let trust = serde_json::from_str::<serde_json::Value>(&trust)
        .ok()
        .and_then(|d| serde_json::to_string_pretty(&d).ok())
        .unwrap_or(trust);
    let page = RolePage {
        layout: v.layout("identity", format!("Role {name}")),
        name: name.to_owned(),
        arn: text(&role, "Arn"),
        description: text(&role, "Description"),
        max_session: text(&role, "MaxSessionDuration"),
        trust,
        picks: picks(v).await,
        attached: Attachments::load(v, "role", name).await,
    };
    html::render(StatusCode::OK, &page)
}

/// POST `/roles/<name>/trust`: UpdateRole with a new trust policy.
pub(crate) async fn update_trust(v: &Visit<'_>, name: &str) -> Resp {
    let trust = trust_of(v);
    let params = [
        ("RoleName", name),
        ("NewAssumeRolePolicyDocument", trust.as_str()),
    ];
    v.ram_then("UpdateRole", &params, &format!("/-/console/roles/{name}"))
        .await
}

/// POST `/roles/<name>/delete`: DeleteRole.
pub(crate) async fn delete(v: &Visit<'_>, name: &str) -> Resp {
    match v
        .caller()
        .rpc(Product::Ram, "DeleteRole", &[("RoleName", name)])
        .await
    {
        Ok(_) => html::redirect("/-/console/roles"),
        Err(e) => v.failure(&e, &format!("/-/console/roles/{name}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_become_a_trust_policy() {
        let doc =
            trust_from_picks(["RAM:acs:ram::1:user/alice", "Service:ecs.aliyuncs.com"].into_iter())
                .unwrap_or_default();
        assert!(ossd_iam::PolicyDocument::trust(&doc).is_ok(), "{doc}");
        assert!(doc.contains("acs:ram::1:user/alice") && doc.contains("ecs.aliyuncs.com"));
        assert_eq!(trust_from_picks(std::iter::empty()), None);
    }
}
