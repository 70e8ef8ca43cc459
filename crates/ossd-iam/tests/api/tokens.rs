//! Session tokens at resolve time: tampering, expiry, key mismatch, missing or misplaced tokens,
//! a deleted role, another master key.

use super::common::{ACCT, T0, fixture, fixture_on, str_at};
use super::seed::{assume, setup};
use ossd_iam::IamError;
use std::sync::Arc;

/// Flips one base64 character in the middle of `token`.
fn tamper(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    let at = chars.len() / 2;
    chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

#[tokio::test]
async fn token_checks_in_order() {
    let f = fixture().await;
    let user = setup(&f).await;
    let r = assume(&f, &user.caller, &[("DurationSeconds", "1000")]).await;
    let (id, token) = (
        str_at(&r, "/Credentials/AccessKeyId"),
        str_at(&r, "/Credentials/SecurityToken"),
    );
    let resolve = |id: String, token: Option<String>| {
        let iam = f.iam.clone();
        async move { iam.resolve(&id, token.as_deref()).await.map(|r| r.caller) }
    };
    let bad = resolve(id.clone(), Some(tamper(&token))).await;
    assert!(
        matches!(bad, Err(IamError::InvalidSecurityToken)),
        "{bad:?}"
    );
    let garbage = resolve(id.clone(), Some("CAISnot-base64!".to_owned())).await;
    assert!(matches!(garbage, Err(IamError::InvalidSecurityToken)));
    let other = resolve(
        "STS.someotherid0000000000000".to_owned(),
        Some(token.clone()),
    )
    .await;
    assert!(
        matches!(other, Err(IamError::AccessKeyIdAndSecurityTokenNotMatch)),
        "{other:?}"
    );
    let missing = resolve(id.clone(), None).await;
    assert!(matches!(missing, Err(IamError::MissingSecurityToken)));
    let misplaced = resolve("LTAIroot".to_owned(), Some(token.clone())).await;
    assert!(matches!(misplaced, Err(IamError::InvalidAccessKeyId)));
    f.clock.set(T0 + 999);
    assert!(resolve(id.clone(), Some(token.clone())).await.is_ok());
    f.clock.set(T0 + 1000);
    let expired = resolve(id, Some(token)).await;
    assert!(
        matches!(expired, Err(IamError::SecurityTokenExpired)),
        "{expired:?}"
    );
    assert!(f.iam.stats().resolve_failures >= 6);
}

#[tokio::test]
async fn deleting_the_role_invalidates_its_sessions() {
    let f = fixture().await;
    let user = setup(&f).await;
    let r = assume(&f, &user.caller, &[]).await;
    let (id, token) = (
        str_at(&r, "/Credentials/AccessKeyId"),
        str_at(&r, "/Credentials/SecurityToken"),
    );
    assert!(f.iam.resolve(&id, Some(&token)).await.is_ok());
    let detach = [
        ("RoleName", "RamOssTest"),
        ("PolicyType", "Custom"),
        ("PolicyName", "RamTestPolicy"),
    ];
    f.root_ok("DetachPolicyFromRole", &detach).await;
    f.root_ok("DeleteRole", &[("RoleName", "RamOssTest")]).await;
    let gone = f.iam.resolve(&id, Some(&token)).await;
    assert!(
        matches!(gone, Err(IamError::InvalidSecurityToken)),
        "{gone:?}"
    );
    let trust = super::common::trust_account();
    f.root_ok(
        "CreateRole",
        &[
            ("RoleName", "RamOssTest"),
            ("AssumeRolePolicyDocument", &trust),
        ],
    )
    .await;
    let recreated = f.iam.resolve(&id, Some(&token)).await;
    assert!(
        matches!(recreated, Err(IamError::InvalidSecurityToken)),
        "a new role is not the old one"
    );
}

#[tokio::test]
async fn another_master_key_cannot_open_tokens_or_data() {
    let f = fixture().await;
    let user = setup(&f).await;
    let r = assume(&f, &user.caller, &[]).await;
    let (id, token) = (
        str_at(&r, "/Credentials/AccessKeyId"),
        str_at(&r, "/Credentials/SecurityToken"),
    );
    let other_meta: Arc<dyn ossd_meta::MetaStore> = Arc::new(ossd_meta::MemoryMeta::new());
    let other = fixture_on(other_meta).await;
    let foreign = other.iam.resolve(&id, Some(&token)).await;
    assert!(matches!(foreign, Err(IamError::InvalidSecurityToken)));
    let clock = Arc::new(ossd_types::FixedClock::at(T0));
    let reopened = ossd_iam::Iam::open(
        f.meta.clone(),
        ossd_iam::Keyring::generate(),
        ACCT.to_owned(),
        clock,
    )
    .await;
    assert!(matches!(reopened, Err(IamError::MasterKeyMismatch)));
}

#[tokio::test]
async fn a_session_can_call_get_caller_identity_and_assume_again() {
    let f = fixture().await;
    let user = setup(&f).await;
    let s = super::seed::session(&f, &assume(&f, &user.caller, &[]).await).await;
    let me = f
        .sts(&s.caller, "GetCallerIdentity", &[])
        .await
        .expect("identity");
    assert_eq!(str_at(&me, "/IdentityType"), "AssumedRoleUser");
    assert_eq!(
        str_at(&me, "/Arn"),
        format!("acs:ram::{ACCT}:assumed-role/RamOssTest/sessiontest")
    );
    let role_id = str_at(&me, "/RoleId");
    assert_eq!(
        str_at(&me, "/PrincipalId"),
        format!("{role_id}:sessiontest")
    );
    assert!(me.get("UserId").is_none());
    let chained = f
        .sts(
            &s.caller,
            "AssumeRole",
            &[
                ("RoleArn", &format!("acs:ram::{ACCT}:role/RamOssTest")),
                ("RoleSessionName", "again"),
            ],
        )
        .await;
    let e = chained.expect_err("the role lacks sts:AssumeRole");
    assert_eq!(e.code, "NoPermission");
}
