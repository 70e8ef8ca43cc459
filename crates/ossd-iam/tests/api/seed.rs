//! The seed document's flow (shared/seed/000): a user allowed to AssumeRole, role RamOssTest
//! trusting the account with RamTestPolicy (Put/GetObject on examplebucket), temporary
//! credentials used against OSS.

use super::common::{ACCT, Fixture, T0, allow, fixture, str_at, trust_account};
use ossd_iam::{Caller, Resolved};
use ossd_policy::RequestContext;

/// RamTestPolicy of the seed document.
pub(crate) fn ram_test_policy() -> String {
    allow(
        &["oss:PutObject", "oss:GetObject"],
        &["acs:oss:*:*:examplebucket", "acs:oss:*:*:examplebucket/*"],
    )
}

/// Steps 1–4: the user (with AliyunSTSAssumeRoleAccess), the role and its policy.
pub(crate) async fn setup(f: &Fixture) -> Resolved {
    let user = f.user("ramtest").await;
    f.attach("User", "ramtest", "System", "AliyunSTSAssumeRoleAccess")
        .await;
    let trust = trust_account();
    f.root_ok(
        "CreateRole",
        &[
            ("RoleName", "RamOssTest"),
            ("AssumeRolePolicyDocument", &trust),
        ],
    )
    .await;
    let policy = ram_test_policy();
    f.root_ok(
        "CreatePolicy",
        &[("PolicyName", "RamTestPolicy"), ("PolicyDocument", &policy)],
    )
    .await;
    f.attach("Role", "RamOssTest", "Custom", "RamTestPolicy")
        .await;
    user
}

/// Step 5: AssumeRole as `caller`, with extra parameters; returns the response.
pub(crate) async fn assume(
    f: &Fixture,
    caller: &Caller,
    extra: &[(&str, &str)],
) -> serde_json::Value {
    let arn = format!("acs:ram::{ACCT}:role/ramosstest");
    let mut pairs = vec![
        ("RoleArn", arn.as_str()),
        ("RoleSessionName", "sessiontest"),
    ];
    pairs.extend_from_slice(extra);
    f.sts(caller, "AssumeRole", &pairs)
        .await
        .expect("AssumeRole")
}

/// Resolves the temporary credentials of an AssumeRole response.
pub(crate) async fn session(f: &Fixture, response: &serde_json::Value) -> Resolved {
    let id = str_at(response, "/Credentials/AccessKeyId");
    let token = str_at(response, "/Credentials/SecurityToken");
    let resolved = f
        .iam
        .resolve(&id, Some(&token))
        .await
        .expect("resolve session");
    assert_eq!(
        resolved.secret.as_str(),
        str_at(response, "/Credentials/AccessKeySecret")
    );
    resolved
}

/// Whether `caller` may do `operation` on `bucket/key` of the account's bucket.
pub(crate) async fn oss(
    f: &Fixture,
    caller: &Caller,
    operation: &str,
    bucket: &str,
) -> Result<(), ossd_iam::Denied> {
    let ctx = RequestContext::new();
    f.iam
        .authorize_oss(
            caller,
            row(operation),
            Some(bucket),
            Some("exampleobject.jpg"),
            Some(ACCT),
            None,
            &ctx,
        )
        .await
}

/// Runs the whole flow on `f`.
pub(crate) async fn run_flow(f: &Fixture) {
    let user = setup(f).await;
    let response = assume(f, &user.caller, &[("DurationSeconds", "3000")]).await;
    assert_eq!(
        str_at(&response, "/Credentials/Expiration"),
        "2023-11-14T23:03:20Z"
    );
    assert_eq!(
        str_at(&response, "/AssumedRoleUser/Arn"),
        format!("acs:ram::{ACCT}:role/RamOssTest/sessiontest")
    );
    assert!(str_at(&response, "/AssumedRoleUser/AssumedRoleId").ends_with(":sessiontest"));
    assert!(response.get("Code").is_none() && response.get("SourceIdentity").is_none());
    let id = str_at(&response, "/Credentials/AccessKeyId");
    assert!(
        id.starts_with("STS.") && (28..=32).contains(&id.len()),
        "{id}"
    );
    let secret = str_at(&response, "/Credentials/AccessKeySecret");
    assert!(secret.len() >= 40 && secret.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert!(str_at(&response, "/Credentials/SecurityToken").starts_with("CAIS"));
    let s = session(f, &response).await;
    assert!(
        matches!(&s.caller, Caller::Session { role_name, session_name, expires_at, .. }
        if role_name == "RamOssTest" && session_name == "sessiontest" && *expires_at == T0 + 3000)
    );
    assert!(
        oss(f, &s.caller, "GetObject", "examplebucket")
            .await
            .is_ok()
    );
    assert!(
        oss(f, &s.caller, "PutObject", "examplebucket")
            .await
            .is_ok()
    );
    let denied = oss(f, &s.caller, "GetObject", "otherbucket")
        .await
        .expect_err("other bucket");
    assert_eq!(denied.policy_type, "AccountLevelIdentityBasedPolicy");
    assert_eq!((denied.explicit, denied.ec), (false, Some("0003-00000202")));
    assert_eq!(denied.auth_action, "oss:GetObject");
    assert_eq!(
        denied.resource,
        format!("acs:oss::{ACCT}:otherbucket/exampleobject.jpg")
    );
}

#[tokio::test]
async fn seed_flow() {
    run_flow(&fixture().await).await;
}

#[tokio::test]
async fn session_policy_intersects_with_the_role() {
    let f = fixture().await;
    let user = setup(&f).await;
    let only_get = allow(&["oss:GetObject"], &["acs:oss:*:*:examplebucket/*"]);
    let response = assume(&f, &user.caller, &[("Policy", &only_get)]).await;
    let s = session(&f, &response).await;
    assert!(
        oss(&f, &s.caller, "GetObject", "examplebucket")
            .await
            .is_ok()
    );
    let denied = oss(&f, &s.caller, "PutObject", "examplebucket")
        .await
        .expect_err("put");
    assert_eq!(denied.policy_type, "SessionPolicy");
    assert_eq!(denied.ec, Some("0003-00000301"));
    assert_eq!(denied.message, "Access denied by authorizer's policy.");
}

#[tokio::test]
async fn duration_bounds() {
    let f = fixture().await;
    let user = setup(&f).await;
    let arn = format!("acs:ram::{ACCT}:role/RamOssTest");
    for (duration, message) in [
        ("899", "The Min/Max value of DurationSeconds is 15min/1hr."),
        ("3601", "The Min/Max value of DurationSeconds is 15min/1hr."),
        ("abc", "The Min/Max value of DurationSeconds is 15min/1hr."),
        (
            "50000",
            "The Min/Max value of DurationSeconds is 15min/43200s.",
        ),
    ] {
        let pairs = [
            ("RoleArn", arn.as_str()),
            ("RoleSessionName", "s1"),
            ("DurationSeconds", duration),
        ];
        let e = f
            .sts(&user.caller, "AssumeRole", &pairs)
            .await
            .expect_err(duration);
        assert_eq!(
            (e.status, e.code.as_str(), e.message.as_str()),
            (400, "InvalidParameter.DurationSeconds", message)
        );
    }
    assume(&f, &user.caller, &[("DurationSeconds", "900")]).await;
    assume(&f, &user.caller, &[("DurationSeconds", "3600")]).await;
    f.root_ok(
        "UpdateRole",
        &[
            ("RoleName", "RamOssTest"),
            ("NewMaxSessionDuration", "7200"),
        ],
    )
    .await;
    assume(&f, &user.caller, &[("DurationSeconds", "7200")]).await;
    let pairs = [
        ("RoleArn", arn.as_str()),
        ("RoleSessionName", "s1"),
        ("DurationSeconds", "7201"),
    ];
    let e = f
        .sts(&user.caller, "AssumeRole", &pairs)
        .await
        .expect_err("7201");
    assert_eq!(
        e.message,
        "The Min/Max value of DurationSeconds is 15min/7200s."
    );
}

#[tokio::test]
async fn detaching_a_policy_denies_existing_sessions_at_once() {
    let f = fixture().await;
    let user = setup(&f).await;
    let s = session(&f, &assume(&f, &user.caller, &[]).await).await;
    assert!(
        oss(&f, &s.caller, "GetObject", "examplebucket")
            .await
            .is_ok()
    );
    let detach = [
        ("RoleName", "RamOssTest"),
        ("PolicyType", "Custom"),
        ("PolicyName", "RamTestPolicy"),
    ];
    f.root_ok("DetachPolicyFromRole", &detach).await;
    assert!(
        oss(&f, &s.caller, "GetObject", "examplebucket")
            .await
            .is_err()
    );
    f.attach("Role", "RamOssTest", "Custom", "RamTestPolicy")
        .await;
    assert!(
        oss(&f, &s.caller, "GetObject", "examplebucket")
            .await
            .is_ok()
    );
    let deny = r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"oss:*","Resource":"*"}]}"#;
    let new_version = [
        ("PolicyName", "RamTestPolicy"),
        ("PolicyDocument", deny),
        ("SetAsDefault", "true"),
    ];
    f.root_ok("CreatePolicyVersion", &new_version).await;
    let denied = oss(&f, &s.caller, "GetObject", "examplebucket")
        .await
        .expect_err("deny version");
    assert!(denied.explicit);
    assert_eq!(denied.ec, Some("0003-00000201"));
}

/// The action-map row of an OSS operation named in a test.
pub(crate) fn row(operation: &str) -> &'static ossd_policy::OssAction {
    ossd_policy::oss_actions()
        .iter()
        .find(|r| r.operation == operation)
        .unwrap_or_else(|| panic!("no action-map row for {operation}"))
}
