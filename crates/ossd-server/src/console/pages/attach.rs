//! Policy attachments of a user, group or role (docs/console.md#identity): the attached list
//! with detach buttons and an attach form over the policies the identity can list, through
//! AttachPolicyTo* / DetachPolicyFrom*.

use super::Visit;
use super::ram::PolicyRow;
use crate::console::caller::{CallError, Product};
use crate::transport::response::Resp;

/// What the attachment section of an entity's page shows.
pub(crate) struct Attachments {
    /// `user`, `group` or `role`.
    pub kind: &'static str,
    /// The entity's name.
    pub name: String,
    /// The policies attached.
    pub attached: Result<Vec<PolicyRow>, CallError>,
    /// Every policy that can be attached (system and custom).
    pub available: Vec<PolicyRow>,
}

/// `(List action, its name parameter, Attach action, Detach action)` of an entity kind.
fn actions(kind: &str) -> Option<(&'static str, &'static str, &'static str, &'static str)> {
    match kind {
        "user" => Some((
            "ListPoliciesForUser",
            "UserName",
            "AttachPolicyToUser",
            "DetachPolicyFromUser",
        )),
        "group" => Some((
            "ListPoliciesForGroup",
            "GroupName",
            "AttachPolicyToGroup",
            "DetachPolicyFromGroup",
        )),
        "role" => Some((
            "ListPoliciesForRole",
            "RoleName",
            "AttachPolicyToRole",
            "DetachPolicyFromRole",
        )),
        _ => None,
    }
}

impl Attachments {
    /// Reads the attachments of `kind` `name` and the policies available.
    pub(crate) async fn load(v: &Visit<'_>, kind: &'static str, name: &str) -> Self {
        let caller = v.caller();
        let attached = match actions(kind) {
            Some((list, param, _, _)) => caller
                .rpc(Product::Ram, list, &[(param, name)])
                .await
                .map(|r| PolicyRow::list(&r)),
            None => Ok(Vec::new()),
        };
        let available = caller
            .rpc(Product::Ram, "ListPolicies", &[("MaxItems", "1000")])
            .await
            .map(|r| PolicyRow::list(&r))
            .unwrap_or_default();
        Self {
            kind,
            name: name.to_owned(),
            attached,
            available,
        }
    }
}

/// POST `/attach` or `/detach` (`kind`, `name`, `policy` as `<type>:<name>`).
pub(crate) async fn attach(v: &Visit<'_>, attach: bool) -> Resp {
    let kind = v.form.text("kind");
    let name = v.form.text("name");
    let back = format!("/-/console/{kind}s/{name}");
    let (policy_type, policy_name) = v
        .form
        .text("policy")
        .split_once(':')
        .unwrap_or(("Custom", ""));
    let Some((_, param, attach_action, detach_action)) = actions(kind) else {
        return super::message(
            http::StatusCode::BAD_REQUEST,
            "Unknown entity",
            "Attach to a user, a group or a role.",
        );
    };
    let action = if attach { attach_action } else { detach_action };
    let params = [
        ("PolicyType", policy_type),
        ("PolicyName", policy_name),
        (param, name),
    ];
    v.ram_then(action, &params, &back).await
}
