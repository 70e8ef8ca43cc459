//! The public helpers: matched-statement reporting, deny-reason mapping
//! (docs/protocol/access-denied.md), contexts, ARNs.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use common::*;
use ossd_policy::{
    Caller, Decision, DenyReason, NoPermissionType, Policy, PolicyKind, PolicyType, Request,
    RequestContext, action_matches, condition_operators, evaluate, keys, oss_resource_arn,
    ram_resource_arn, ram_role_arn, resource_matches,
};
use time::macros::datetime;

#[test]
fn matched_statement_names_policy_and_sid() {
    let allow =
        load(&doc(&[&stmt("Allow", "oss:*", "*")]), PolicyKind::Identity).with_name("oss-all");
    let deny = load(
        &doc(&[
            &stmt("Allow", "ram:*", "*"),
            r#"{"Sid":"no-delete","Effect":"Deny","Action":"oss:Delete*","Resource":"*"}"#,
        ]),
        PolicyKind::Identity,
    )
    .with_name("guard");
    let ctx = RequestContext::new();
    let policies = [&allow, &deny];
    let denied = evaluate(
        &policies,
        &Request::new("oss:DeleteObject", "acs:oss:*:1:b/k", &ctx),
    );
    assert_eq!(denied.decision, Decision::ExplicitDeny);
    let m = denied.matched.unwrap();
    assert_eq!((m.policy_index, m.statement_index), (1, 1));
    assert_eq!(
        (m.policy_name.as_deref(), m.sid.as_deref()),
        (Some("guard"), Some("no-delete"))
    );
    let allowed = evaluate(
        &policies,
        &Request::new("oss:GetObject", "acs:oss:*:1:b/k", &ctx),
    );
    let m = allowed.matched.unwrap();
    assert_eq!(
        (allowed.decision, m.policy_index, m.policy_name.as_deref()),
        (Decision::Allow, 0, Some("oss-all"))
    );
    assert_eq!(allow.name(), Some("oss-all"));
    assert_eq!(allow.kind(), PolicyKind::Identity);
}

#[test]
fn deny_reason_details() {
    use NoPermissionType::{ExplicitDeny, ImplicitDeny};
    let cases = [
        (
            DenyReason::SessionPolicy { explicit: false },
            Some(PolicyType::SessionPolicy),
            ImplicitDeny,
            "0003-00000301",
        ),
        (
            DenyReason::SessionPolicy { explicit: true },
            Some(PolicyType::SessionPolicy),
            ExplicitDeny,
            "0003-00000301",
        ),
        (
            DenyReason::IdentityPolicy { explicit: true },
            Some(PolicyType::AccountLevelIdentityBasedPolicy),
            ExplicitDeny,
            "0003-00000201",
        ),
        (
            DenyReason::IdentityPolicy { explicit: false },
            Some(PolicyType::AccountLevelIdentityBasedPolicy),
            ImplicitDeny,
            "0003-00000202",
        ),
        (
            DenyReason::BucketPolicy,
            Some(PolicyType::ResourceBasedPolicy),
            ExplicitDeny,
            "0003-00000001",
        ),
        (
            DenyReason::IdentityAndBucketPolicy,
            Some(PolicyType::AccountLevelIdentityBasedPolicy),
            ExplicitDeny,
            "0003-00000203",
        ),
        (
            DenyReason::NoAllow { ram_caller: true },
            Some(PolicyType::AccountLevelIdentityBasedPolicy),
            ImplicitDeny,
            "0003-00000202",
        ),
        (
            DenyReason::NoAllow { ram_caller: false },
            Some(PolicyType::AccountLevelIdentityBasedPolicy),
            ImplicitDeny,
            "0003-00000001",
        ),
        (
            DenyReason::TrustPolicy { explicit: false },
            Some(PolicyType::AssumeRolePolicy),
            ImplicitDeny,
            "0003-00000001",
        ),
        (
            DenyReason::RootCannotAssumeRole,
            None,
            ImplicitDeny,
            "0003-00000001",
        ),
    ];
    for (reason, policy_type, no_permission, ec) in cases {
        assert_eq!(reason.policy_type(), policy_type, "{reason:?}");
        assert_eq!(reason.no_permission_type(), no_permission, "{reason:?}");
        assert_eq!(reason.oss_ec(), ec, "{reason:?}");
    }
    assert_eq!(PolicyType::AssumeRolePolicy.as_str(), "AssumeRolePolicy");
    assert_eq!(NoPermissionType::ExplicitDeny.as_str(), "ExplicitDeny");
}

#[test]
fn caller_details() {
    let s = session(ACCT, "oss-writer", "alice");
    assert_eq!(
        (s.principal_type(), s.display_name()),
        ("AssumedRoleUser", "oss-writer:alice".to_owned())
    );
    let u = user(ACCT, "2001", "bob");
    assert_eq!(
        (u.principal_type(), u.display_name(), u.account_id()),
        ("SubUser", "2001".to_owned(), Some(ACCT))
    );
    assert_eq!(Caller::Anonymous.account_id(), None);
    assert!(root(ACCT).is_root_of(ACCT) && !root(ACCT).is_ram_identity());
}

#[test]
fn context_setters() {
    let mapped = IpAddr::V6(Ipv4Addr::new(10, 1, 2, 3).to_ipv6_mapped());
    let ctx = RequestContext::at(datetime!(2025-01-01 08:00 +08:00))
        .with_source_ip(mapped)
        .with_secure_transport(true)
        .with_user_agent("ua")
        .with_referer("https://r")
        .with_access_id("LTAI")
        .with_mfa_present(false)
        .with_source_vpc("vpc-1")
        .with_x_oss_acl("private")
        .with_x_oss_object_acl("default")
        .with_bucket_tag("team", "ops")
        .with_existing_object_tag("k", "v")
        .with_request_object_tag("k", "w")
        .with_external_id("ext")
        .with_saml_recipient("https://sp");
    let one = |key: &str| ctx.get(key).map(|v| v.join(","));
    assert_eq!(one(keys::SOURCE_IP).as_deref(), Some("10.1.2.3"));
    assert_eq!(
        one("ACS:CURRENTTIME").as_deref(),
        Some("2025-01-01T08:00:00+08:00")
    );
    assert_eq!(one("acs:securetransport").as_deref(), Some("true"));
    assert_eq!(one("oss:buckettag/team").as_deref(), Some("ops"));
    assert_eq!(one("oss:BucketTag/TEAM"), None);
    assert_eq!(one(keys::MFA_PRESENT).as_deref(), Some("false"));
    assert_eq!(one("oss:RequestObjectTag/k").as_deref(), Some("w"));
    let mut ctx = ctx;
    ctx.set(keys::USER_AGENT, Vec::<String>::new());
    assert_eq!(ctx.get(keys::USER_AGENT), None);
    let v6 = RequestContext::new().with_source_ip(IpAddr::V6(Ipv6Addr::LOCALHOST));
    assert_eq!(v6.get(keys::SOURCE_IP).unwrap(), ["::1"]);
}

#[test]
fn current_time_from_context_drives_dates() {
    let policy = Policy::parse(
        &doc(&[&stmt_if(
            "Allow",
            "oss:*",
            "*",
            r#""DateLessThan":{"acs:CurrentTime":"2025-01-01T00:00:00Z"}"#,
        )]),
        PolicyKind::Identity,
    )
    .unwrap();
    let before = RequestContext::at(datetime!(2024-12-31 23:59:59 UTC));
    let after = RequestContext::at(datetime!(2025-01-01 00:00:00 UTC));
    let decide = |ctx: &RequestContext| {
        evaluate(&[&policy], &Request::new("oss:GetObject", "*", ctx)).decision
    };
    assert_eq!(
        (decide(&before), decide(&after)),
        (Decision::Allow, Decision::ImplicitDeny)
    );
}

#[test]
fn arn_helpers() {
    assert_eq!(ram_role_arn(ACCT, "r"), format!("acs:ram:*:{ACCT}:role/r"));
    assert_eq!(
        ram_resource_arn(ACCT, "user/*"),
        format!("acs:ram:*:{ACCT}:user/*")
    );
    assert_eq!(
        oss_resource_arn(None, "1", Some("b"), Some("k")),
        "acs:oss::1:b/k"
    );
    assert_eq!(
        oss_resource_arn(Some("r"), "1", None, Some("ignored")),
        "acs:oss:r:1:*"
    );
    assert!(resource_matches("acs:oss:*:*:b/*", "acs:oss::1:b/k"));
    assert!(!resource_matches("acs:oss:*:*:b", "acs:oss:r:1:x/a:b"));
    assert!(!resource_matches("not-an-arn", "not-an-arn"));
    assert!(action_matches("OSS:Get*", "oss:getobject"));
    assert!(!action_matches("oss:Get*", "oss:PutObject"));
}

#[test]
fn every_spec_operator_is_supported() {
    let names: Vec<&str> = condition_operators().collect();
    assert_eq!(names.len(), 27); // 22 RAM operators + the IAM grammar's 4 `Arn…` and `Null`
    for name in names {
        let value = match name {
            n if n.starts_with("Numeric") => "1",
            n if n.starts_with("Date") => "2025-01-01T00:00:00Z",
            "Bool" | "Null" => "true",
            n if n.contains("IpAddress") => "10.0.0.0/8",
            _ => "x",
        };
        let json = doc(&[&stmt_if(
            "Allow",
            "*",
            "*",
            &format!(r#""{name}":{{"acs:UserAgent":"{value}"}}"#),
        )]);
        // `Null` is the IAM grammar's only (docs/protocol/iam-grammar.md#condition-keys).
        let json = match name {
            "Null" => json.replace(r#""Version":"1""#, r#""Version":"2012-10-17""#),
            _ => json,
        };
        Policy::parse(&json, PolicyKind::Identity).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
