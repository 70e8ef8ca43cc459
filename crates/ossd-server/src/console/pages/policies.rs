//! RAM policies (docs/console.md#identity): system and custom policies listed; a custom policy
//! created with a JSON editor that is validated as it is typed (an htmx POST to `validate`, which
//! runs the same parser as CreatePolicy and answers with the RAM error code and message); a
//! policy's versions listed, created, made default and deleted; the policy deleted. Everything
//! but the validation (which reads only the text typed) is a RAM call through the caller.

use askama::Template;
use http::StatusCode;
use ossd_rpc::{RpcFailure, Service};

use super::ram::{PolicyRow, items, text};
use super::{Layout, Visit};
use crate::console::caller::{CallError, Product};
use crate::console::html;
use crate::transport::response::Resp;

/// A starting document for a new policy.
const TEMPLATE: &str = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["oss:GetObject"],
      "Resource": ["acs:oss:*:*:examplebucket/*"]
    }
  ]
}"#;

/// The policy list and the create form.
#[derive(Template)]
#[template(path = "console/policies.html")]
struct PoliciesPage {
    layout: Layout,
    policies: Result<Vec<PolicyRow>, CallError>,
    template: &'static str,
}

/// One policy and its versions.
#[derive(Template)]
#[template(path = "console/policy.html")]
struct PolicyPage {
    layout: Layout,
    policy_type: String,
    name: String,
    description: String,
    document: String,
    default_version: String,
    versions: Result<Vec<VersionRow>, CallError>,
}

/// The validation verdict (an htmx fragment, or a page without JavaScript).
#[derive(Template)]
#[template(path = "console/_validation.html")]
pub(crate) struct Validation {
    /// `None`: valid.
    pub error: Option<(String, String)>,
}

/// A policy version as listed.
struct VersionRow {
    id: String,
    is_default: bool,
    created: String,
    document: String,
}

/// GET `/policies`.
pub(crate) async fn list(v: &Visit<'_>) -> Resp {
    let policies = v
        .caller()
        .rpc(Product::Ram, "ListPolicies", &[("MaxItems", "1000")])
        .await
        .map(|r| PolicyRow::list(&r));
    let page = PoliciesPage {
        layout: v.layout("identity", "Policies"),
        policies,
        template: TEMPLATE,
    };
    html::render(StatusCode::OK, &page)
}

/// POST `/policies`: CreatePolicy.
pub(crate) async fn create(v: &Visit<'_>) -> Resp {
    let name = v.form.text("policy_name");
    let mut params = vec![
        ("PolicyName", name),
        ("PolicyDocument", v.form.text("document")),
    ];
    if let Some(d) = v.form.opt("description") {
        params.push(("Description", d));
    }
    match v.caller().rpc(Product::Ram, "CreatePolicy", &params).await {
        Ok(_) => html::redirect(&format!("/-/console/policies/Custom/{name}")),
        Err(e) => v.failure(&e, "/-/console/policies"),
    }
}

/// GET `/policies/<type>/<name>`.
pub(crate) async fn show(v: &Visit<'_>, policy_type: &str, name: &str) -> Resp {
    let caller = v.caller();
    let params = [("PolicyType", policy_type), ("PolicyName", name)];
    let policy = match caller.rpc(Product::Ram, "GetPolicy", &params).await {
        Ok(r) => r,
        Err(e) => return v.failure(&e, "/-/console/policies"),
    };
    let p = policy.get("Policy").cloned().unwrap_or_default();
    let versions = caller
        .rpc(Product::Ram, "ListPolicyVersions", &params)
        .await
        .map(|r| {
            items(&r, "PolicyVersions", "PolicyVersion")
                .into_iter()
                .map(|x| VersionRow {
                    id: text(x, "VersionId"),
                    is_default: x.get("IsDefaultVersion").and_then(|b| b.as_bool()) == Some(true),
                    created: text(x, "CreateDate"),
                    document: pretty(&text(x, "PolicyDocument")),
                })
                .collect()
        });
    let page = PolicyPage {
        layout: v.layout("identity", format!("Policy {name}")),
        policy_type: policy_type.to_owned(),
        name: name.to_owned(),
        description: text(&p, "Description"),
        document: pretty(&text(&p, "PolicyDocument")),
        default_version: text(&p, "DefaultVersion"),
        versions,
    };
    html::render(StatusCode::OK, &page)
}

/// POST `/policies/Custom/<name>/versions` (`document`, `set_default`): CreatePolicyVersion.
pub(crate) async fn create_version(v: &Visit<'_>, name: &str) -> Resp {
    let set_default = if v.form.get("set_default").is_some() {
        "true"
    } else {
        "false"
    };
    let params = [
        ("PolicyName", name),
        ("PolicyDocument", v.form.text("document")),
        ("SetAsDefault", set_default),
    ];
    v.ram_then(
        "CreatePolicyVersion",
        &params,
        &format!("/-/console/policies/Custom/{name}"),
    )
    .await
}

/// POST `/policies/Custom/<name>/versions/<id>/default`: SetDefaultPolicyVersion.
pub(crate) async fn set_default(v: &Visit<'_>, name: &str, id: &str) -> Resp {
    let params = [("PolicyName", name), ("VersionId", id)];
    v.ram_then(
        "SetDefaultPolicyVersion",
        &params,
        &format!("/-/console/policies/Custom/{name}"),
    )
    .await
}

/// POST `/policies/Custom/<name>/versions/<id>/delete`: DeletePolicyVersion.
pub(crate) async fn delete_version(v: &Visit<'_>, name: &str, id: &str) -> Resp {
    let params = [("PolicyName", name), ("VersionId", id)];
    v.ram_then(
        "DeletePolicyVersion",
        &params,
        &format!("/-/console/policies/Custom/{name}"),
    )
    .await
}

/// POST `/policies/Custom/<name>/delete`: DeletePolicy.
pub(crate) async fn delete(v: &Visit<'_>, name: &str) -> Resp {
    match v
        .caller()
        .rpc(Product::Ram, "DeletePolicy", &[("PolicyName", name)])
        .await
    {
        Ok(_) => html::redirect("/-/console/policies"),
        Err(e) => v.failure(&e, &format!("/-/console/policies/Custom/{name}")),
    }
}

/// POST `/policies/validate` (`document`, `kind`: `identity` or `trust`): the RAM error code and
/// message the document would get from CreatePolicy (or CreateRole), or that it is valid.
pub(crate) fn validate(v: &Visit<'_>) -> Resp {
    let document = v.form.get("document").unwrap_or_default();
    if document.trim().is_empty() {
        // Nothing typed yet (a trust policy may come from the picker instead).
        return html::page(StatusCode::OK, String::new());
    }
    let parsed = match v.form.text("kind") {
        "trust" => ossd_iam::PolicyDocument::trust(document),
        _ => ossd_iam::PolicyDocument::identity(document),
    };
    let error = parsed.err().map(|error| {
        let wire = RpcFailure::Action {
            service: Service::Ram,
            error,
        }
        .to_wire();
        (wire.code, wire.message)
    });
    html::render(StatusCode::OK, &Validation { error })
}

/// A JSON document indented for reading (as stored when it is not JSON).
fn pretty(doc: &str) -> String {
    serde_json::from_str::<serde_json::Value>(doc)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| doc.to_owned())
}
