//! The built-in system policies of docs/protocol/authorization.md#system-policies parse and mean
//! what they say.
#![allow(clippy::unwrap_used)]

use ossd_policy::{
    Decision, Policy, PolicyKind, Request, RequestContext, evaluate, system_policies,
    system_policy, system_policy_default_version,
};

#[test]
fn every_system_policy_parses() {
    let names: Vec<&str> = system_policies().iter().map(|p| p.0).collect();
    assert_eq!(
        names,
        [
            "AdministratorAccess",
            "AliyunOSSFullAccess",
            "AliyunOSSReadOnlyAccess",
            "AliyunSTSAssumeRoleAccess",
            "AliyunRAMFullAccess",
            "AliyunRAMReadOnlyAccess"
        ]
    );
    for (name, description, document) in system_policies() {
        assert!(!description.is_empty(), "{name}");
        Policy::parse(document, PolicyKind::Identity).unwrap_or_else(|e| panic!("{name}: {e}"));
        Policy::parse(document, PolicyKind::Session).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn versions() {
    assert_eq!(
        system_policy_default_version("AliyunRAMReadOnlyAccess"),
        Some("v3")
    );
    assert_eq!(
        system_policy_default_version("AliyunOSSFullAccess"),
        Some("v1")
    );
    assert_eq!(system_policy_default_version("Nope"), None);
}

#[test]
fn semantics() {
    let cases = [
        ("AdministratorAccess", "ram:CreateUser", true),
        ("AdministratorAccess", "oss:PutObject", true),
        ("AliyunOSSFullAccess", "oss:DeleteBucket", true),
        ("AliyunOSSFullAccess", "ram:ListUsers", false),
        ("AliyunOSSReadOnlyAccess", "oss:GetBucketPolicy", true),
        ("AliyunOSSReadOnlyAccess", "oss:ListParts", true),
        ("AliyunOSSReadOnlyAccess", "oss:DeleteObject", false),
        ("AliyunSTSAssumeRoleAccess", "sts:AssumeRole", true),
        ("AliyunSTSAssumeRoleAccess", "sts:GetCallerIdentity", false),
        ("AliyunRAMFullAccess", "ram:DeletePolicy", true),
        ("AliyunRAMFullAccess", "sts:AssumeRole", false),
        (
            "AliyunRAMReadOnlyAccess",
            "ram:GenerateCredentialReport",
            true,
        ),
        ("AliyunRAMReadOnlyAccess", "ram:ListUsers", true),
        ("AliyunRAMReadOnlyAccess", "ram:UpdateUser", false),
    ];
    let ctx = RequestContext::new();
    for (name, action, allowed) in cases {
        let policy = Policy::parse(system_policy(name).unwrap().2, PolicyKind::Identity).unwrap();
        let got = evaluate(
            &[&policy],
            &Request::new(action, "acs:ram:*:1:user/x", &ctx),
        )
        .decision;
        assert_eq!(got == Decision::Allow, allowed, "{name} {action}");
    }
}
