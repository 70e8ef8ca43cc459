//! The audit view: the audit trail read through the ordinary root-only administrative request
//! `GET /-/admin/audit?tail=N` (docs/admin.md#audit-trail) signed with the session's
//! credentials — so a RAM user's or a role session's console is refused by the server, and the
//! page says that only the account root can read the audit trail — then filtered by principal,
//! action, outcome and time, newest first, in pages ([`crate::console::audit_filter`]). A
//! denial shows the policy and statement that decided it.

use askama::Template;
use bytes::Bytes;
use http::{Method, StatusCode};
use ossd_audit::{AuditRecord, Decision};
use serde::Deserialize;

use super::{Layout, Visit};
use crate::console::audit_filter::{self, AuditQuery};
use crate::console::caller::CallError;
use crate::console::html;
use crate::console::links::href;
use crate::transport::response::Resp;

/// How many of the newest records the view reads (the endpoint's maximum).
const TAIL: &str = "10000";

/// The endpoint's answer.
#[derive(Deserialize)]
struct Tail {
    records: Vec<AuditRecord>,
}

/// One record as the table shows it.
struct Row {
    time: String,
    action: String,
    outcome: &'static str,
    principal: String,
    key_id: String,
    resource: String,
    code: String,
    reason: String,
    decided_by: Option<String>,
    target: String,
    request_id: String,
}

/// The audit view.
#[derive(Template)]
#[template(path = "console/audit.html")]
struct AuditPage {
    layout: Layout,
    q: AuditQuery,
    rows: Vec<Row>,
    matched: usize,
    page: usize,
    error: Option<CallError>,
    root_only: bool,
    next_href: Option<String>,
    prev_href: Option<String>,
}

/// GET `audit[?principal=&action=&outcome=&since=&until=&page=]`.
pub(crate) async fn show(v: &Visit<'_>) -> Resp {
    let q = AuditQuery {
        principal: v.query.text("principal").to_owned(),
        action: v.query.text("action").to_owned(),
        outcome: v.query.text("outcome").to_owned(),
        since: v.query.text("since").to_owned(),
        until: v.query.text("until").to_owned(),
        page: v.query.opt("page").and_then(|p| p.parse().ok()),
    };
    let read = v
        .caller()
        .oss(
            Method::GET,
            Some("-"),
            Some("admin/audit"),
            &[("tail", TAIL)],
            &[],
            Bytes::new(),
        )
        .await
        .and_then(|r| {
            serde_json::from_slice::<Tail>(&r.body)
                .map_err(|e| CallError::local("UnreadableResponse", e.to_string()))
        });
    let (records, error) = match read {
        Ok(t) => (t.records, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let root_only = error.as_ref().is_some_and(|e| e.status == 403);
    let page = audit_filter::page(records, &q);
    let link = |n: usize| {
        let n = n.to_string();
        href(
            "audit",
            &[
                ("principal", &q.principal),
                ("action", &q.action),
                ("outcome", &q.outcome),
                ("since", &q.since),
                ("until", &q.until),
                ("page", &n),
            ],
        )
    };
    let view = AuditPage {
        layout: v.layout("audit", "Audit trail"),
        rows: page.records.iter().map(row).collect(),
        matched: page.matched,
        page: page.page,
        next_href: page.has_next.then(|| link(page.page + 1)),
        prev_href: (page.page > 1).then(|| link(page.page - 1)),
        error,
        root_only,
        q,
    };
    html::render(StatusCode::OK, &view)
}

fn row(r: &AuditRecord) -> Row {
    let decided_by = r.matched.as_ref().map(|m| {
        let mut parts = Vec::new();
        if let Some(t) = &m.policy_type {
            parts.push(t.clone());
        }
        if let Some(p) = &m.policy {
            parts.push(format!("policy {p}"));
        }
        if let Some(s) = m.statement {
            parts.push(format!("statement {s}"));
        }
        if let Some(sid) = &m.sid {
            parts.push(format!("Sid {sid}"));
        }
        parts.join(", ")
    });
    Row {
        time: r.time.clone(),
        action: r.action.clone(),
        outcome: match r.decision {
            Decision::Allow => "allow",
            Decision::Deny => "deny",
            Decision::Error => "error",
        },
        principal: r
            .principal
            .arn
            .clone()
            .unwrap_or_else(|| r.principal.kind.clone()),
        key_id: r.principal.access_key_id.clone().unwrap_or_default(),
        resource: r.resource.clone().unwrap_or_default(),
        code: r.code.clone().unwrap_or_default(),
        reason: r.reason.clone().unwrap_or_default(),
        decided_by,
        target: r
            .target
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" "),
        request_id: r.request_id.clone(),
    }
}
