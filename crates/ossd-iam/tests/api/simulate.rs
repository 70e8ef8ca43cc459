//! SimulatePrincipalPolicy with the bucket a real request would meet: its policy and ACL decide
//! as in `authorize_oss_request` (docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension).

use super::common::{ACCT, Fixture, allow, fixture};
use ossd_iam::{RamAction, RamCall, RamOutcome, Simulated, SimulatedBucket};
use ossd_policy::{AllowReason, DenyReason, Outcome, RequestContext};

/// Simulates `action` on `resource` for user `user` against `bucket`.
async fn simulate(
    f: &Fixture,
    user: &str,
    action: &str,
    resource: &str,
    bucket: Option<SimulatedBucket>,
) -> Simulated {
    let params = super::common::params(&[
        ("UserName", user),
        ("ActionName", action),
        ("ResourceArn", resource),
    ]);
    let action_name = RamAction::parse("SimulatePrincipalPolicy").expect("action");
    let mut call = ossd_rpc::ram_call::parse(action_name, &params).expect("parse");
    let RamCall::SimulatePrincipalPolicy(sim) = &mut call else {
        panic!("not a simulation: {call:?}");
    };
    sim.bucket = bucket;
    let ctx = RequestContext::new();
    match f.iam.ram(&f.root, &call, &ctx).await.expect("simulate") {
        RamOutcome::Simulated(s) => s,
        other => panic!("{other:?}"),
    }
}

/// A bucket of the account with `policy` and the ACL's verdict `acl_allows`.
fn found(policy: Option<&str>, acl_allows: bool) -> Option<SimulatedBucket> {
    Some(SimulatedBucket::Found {
        owner: ACCT.to_owned(),
        policy: policy.map(str::to_owned),
        acl_allows,
    })
}

fn object() -> String {
    format!("acs:oss:*:{ACCT}:b/k")
}

const ALLOW_READ: &str = r#"{"Version":"1","Statement":[{"Sid":"Readers","Effect":"Allow","Action":"oss:GetObject","Principal":["*"],"Resource":"acs:oss:*:*:b/*"}]}"#;
const DENY_DELETE: &str = r#"{"Version":"1","Statement":[{"Sid":"Keep","Effect":"Deny","Action":"oss:DeleteObject","Principal":["*"],"Resource":"acs:oss:*:*:b/*"}]}"#;

#[tokio::test]
async fn bucket_policy_allows_what_identity_policy_does_not() {
    let f = fixture().await;
    f.user("reader").await;
    let without = simulate(&f, "reader", "oss:GetObject", &object(), found(None, false)).await;
    assert!(!without.allowed);
    assert_eq!(
        without.outcome,
        Some(Outcome::Deny(DenyReason::NoAllow { ram_caller: true }))
    );
    let with = simulate(
        &f,
        "reader",
        "oss:GetObject",
        &object(),
        found(Some(ALLOW_READ), false),
    )
    .await;
    assert!(with.allowed, "{with:?}");
    assert_eq!(
        with.outcome,
        Some(Outcome::Allow(AllowReason::BucketPolicy))
    );
    assert_eq!(with.matched.and_then(|m| m.sid).as_deref(), Some("Readers"));
}

#[tokio::test]
async fn bucket_policy_explicit_deny_wins() {
    let f = fixture().await;
    f.user("writer").await;
    let all = allow(&["oss:*"], &["*"]);
    f.root_ok(
        "CreatePolicy",
        &[("PolicyName", "all"), ("PolicyDocument", &all)],
    )
    .await;
    f.attach("User", "writer", "Custom", "all").await;
    let plain = simulate(
        &f,
        "writer",
        "oss:DeleteObject",
        &object(),
        found(None, false),
    )
    .await;
    assert!(plain.allowed);
    assert_eq!(
        plain.outcome,
        Some(Outcome::Allow(AllowReason::IdentityPolicy))
    );
    let denied = simulate(
        &f,
        "writer",
        "oss:DeleteObject",
        &object(),
        found(Some(DENY_DELETE), false),
    )
    .await;
    assert!(!denied.allowed);
    assert_eq!(
        denied.outcome,
        Some(Outcome::Deny(DenyReason::BucketPolicy))
    );
    let denial = denied.denial.expect("denial");
    assert!(denial.explicit);
    assert_eq!(denial.policy_type, Some("ResourceBasedPolicy"));
    assert_eq!(denied.matched.and_then(|m| m.sid).as_deref(), Some("Keep"));
}

#[tokio::test]
async fn public_read_acl_allows_reads_without_policy() {
    let f = fixture().await;
    f.user("nobody").await;
    let read = simulate(&f, "nobody", "oss:GetObject", &object(), found(None, true)).await;
    assert!(read.allowed, "{read:?}");
    assert_eq!(read.outcome, Some(Outcome::Allow(AllowReason::Acl)));
    assert!(read.matched.is_none());
}

#[tokio::test]
async fn missing_bucket_is_named() {
    let f = fixture().await;
    f.user("reader").await;
    let missing = simulate(
        &f,
        "reader",
        "oss:GetObject",
        &object(),
        Some(SimulatedBucket::Missing),
    )
    .await;
    assert!(!missing.allowed);
    assert_eq!(missing.missing_bucket.as_deref(), Some("b"));
    assert_eq!(missing.outcome, None);
}

#[test]
fn oss_target_names_bucket_and_key() {
    let sim = |action: &str, resource: &str| {
        ossd_iam::Simulation::new(
            ossd_iam::SimulatedPrincipal::User(
                ossd_iam::UserName::new("UserName", "u").expect("name"),
            ),
            action.to_owned(),
            resource.to_owned(),
            RequestContext::new(),
        )
        .expect("simulation")
    };
    let s = sim("oss:GetObject", "acs:oss:*:1:b/a/b:c");
    assert_eq!(s.oss_target(), Some(("b", Some("a/b:c"))));
    let s = sim("oss:ListObjects", "acs:oss:*:1:b");
    assert_eq!(s.oss_target(), Some(("b", None)));
    assert_eq!(sim("oss:GetObject", "acs:oss:*:1:*").oss_target(), None);
    assert_eq!(sim("ram:GetUser", "acs:oss:*:1:b").oss_target(), None);
}
