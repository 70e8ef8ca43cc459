//! Helpers shared by the integration tests: accounts, policy builders, contexts.
#![allow(dead_code, clippy::unwrap_used)]

use ossd_policy::{Caller, Policy, PolicyKind, RequestContext, system_policy};

/// The bucket owner / main account of docs/protocol/authorization.md#evaluation-cases.
pub(crate) const ACCT: &str = "1234567890123456";
/// Another account.
pub(crate) const OTHER: &str = "9876543210987654";

/// Expands the abbreviation `R:` of docs/protocol/authorization.md#evaluation-cases into
/// `acs:oss:cn-hangzhou:{ACCT}:`.
pub(crate) fn res(resource: &str) -> String {
    match resource.strip_prefix("R:") {
        Some(rest) => format!("acs:oss:cn-hangzhou:{ACCT}:{rest}"),
        None => resource.to_owned(),
    }
}

/// A policy document from statement objects.
pub(crate) fn doc(statements: &[&str]) -> String {
    format!(
        r#"{{"Version":"1","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// An identity statement.
pub(crate) fn stmt(effect: &str, action: &str, resource: &str) -> String {
    format!(
        r#"{{"Effect":"{effect}","Action":{},"Resource":{}}}"#,
        list(action),
        list(resource)
    )
}

/// An identity statement with a condition body (the inside of `"Condition": {…}`).
pub(crate) fn stmt_if(effect: &str, action: &str, resource: &str, condition: &str) -> String {
    format!(
        r#"{{"Effect":"{effect}","Action":{},"Resource":{},"Condition":{{{condition}}}}}"#,
        list(action),
        list(resource)
    )
}

/// A bucket-policy statement; `principal` is raw JSON, `condition` the inside of the block.
pub(crate) fn bucket_stmt(
    effect: &str,
    principal: &str,
    action: &str,
    resource: &str,
    condition: Option<&str>,
) -> String {
    let condition = condition.map_or_else(String::new, |c| format!(r#","Condition":{{{c}}}"#));
    format!(
        r#"{{"Effect":"{effect}","Principal":{principal},"Action":{},"Resource":{}{condition}}}"#,
        list(action),
        list(resource)
    )
}

/// A trust policy allowing the given `RAM` principals.
pub(crate) fn trust(ram: &[&str]) -> String {
    let values: Vec<String> = ram.iter().map(|v| format!("\"{v}\"")).collect();
    doc(&[&format!(
        r#"{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{{"RAM":[{}]}}}}"#,
        values.join(",")
    )])
}

/// `a|b` → `["a","b"]`, `a` → `"a"`.
fn list(items: &str) -> String {
    if items.contains('|') {
        let quoted: Vec<String> = items.split('|').map(|i| format!("\"{i}\"")).collect();
        format!("[{}]", quoted.join(","))
    } else {
        format!("\"{items}\"")
    }
}

/// Parses `text` as `kind`; a bare name means that system policy.
pub(crate) fn load(text: &str, kind: PolicyKind) -> Policy {
    let json = if text.starts_with('{') {
        text.to_owned()
    } else {
        system_policy(text)
            .unwrap_or_else(|| panic!("no system policy {text}"))
            .2
            .to_owned()
    };
    Policy::parse(&json, kind).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A context from `(key, values)` pairs.
pub(crate) fn context(pairs: &[(&str, &[&str])]) -> RequestContext {
    let mut ctx = RequestContext::new();
    for (key, values) in pairs {
        ctx.set(key, values.iter().copied());
    }
    ctx
}

/// A RAM user.
pub(crate) fn user(account: &str, user_id: &str, name: &str) -> Caller {
    Caller::User {
        account_id: account.to_owned(),
        user_id: user_id.to_owned(),
        user_name: name.to_owned(),
    }
}

/// A role session.
pub(crate) fn session(account: &str, role: &str, name: &str) -> Caller {
    Caller::RoleSession {
        account_id: account.to_owned(),
        role_name: role.to_owned(),
        session_name: name.to_owned(),
    }
}

/// An account root.
pub(crate) fn root(account: &str) -> Caller {
    Caller::Root {
        account_id: account.to_owned(),
    }
}
