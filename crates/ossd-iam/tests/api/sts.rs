//! AssumeRole parameter checks and authorization (docs/protocol/sts.md#assumerole,
//! docs/protocol/authorization.md#assumerole-authorization); GetCallerIdentity
//! (docs/protocol/sts.md#getcalleridentity).

use super::common::{ACCT, allow, code_of, fixture, str_at};
use super::seed::{assume, setup};

#[tokio::test]
async fn assume_role_errors_in_order() {
    let f = fixture().await;
    let user = setup(&f).await;
    let arn = format!("acs:ram::{ACCT}:role/RamOssTest");
    let root = f
        .sts(
            &f.root,
            "AssumeRole",
            &[("RoleArn", &arn), ("RoleSessionName", "s1")],
        )
        .await;
    let e = root.expect_err("root");
    assert_eq!(
        (e.status, e.code.as_str(), e.message.as_str()),
        (
            403,
            "NoPermission",
            "Roles may not be assumed by root accounts."
        )
    );
    let c = &user.caller;
    let none = format!("acs:ram::{ACCT}:role/none");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("RoleSessionName", "s1")], "MissingRoleArn"),
        (
            vec![("RoleArn", "acs:ram::1:user/x"), ("RoleSessionName", "s1")],
            "InvalidParameter.RoleArn",
        ),
        (
            vec![
                ("RoleArn", "arn:aws:iam::1:user/x"),
                ("RoleSessionName", "s1"),
            ],
            "InvalidParameter.RoleArn",
        ),
        (
            // The IAM form names a role too (docs/protocol/iam-grammar.md#principals).
            vec![
                ("RoleArn", "arn:aws:iam::1:role/x"),
                ("RoleSessionName", "s1"),
            ],
            "EntityNotExist.Role",
        ),
        (
            vec![("RoleArn", &arn), ("RoleSessionName", "a")],
            "InvalidParameter.RoleSessionName",
        ),
        (
            vec![("RoleArn", &arn), ("RoleSessionName", "a b")],
            "InvalidParameter.RoleSessionName",
        ),
        (
            vec![
                ("RoleArn", &arn),
                ("RoleSessionName", "s1"),
                ("Policy", "{"),
            ],
            "InvalidParameter.PolicyGrammar",
        ),
        (
            vec![
                ("RoleArn", &arn),
                ("RoleSessionName", "s1"),
                ("ExternalId", "a b"),
            ],
            "InvalidParameter.ExternalId",
        ),
        (
            vec![
                ("RoleArn", "acs:ram::999:role/RamOssTest"),
                ("RoleSessionName", "s1"),
            ],
            "EntityNotExist.Role",
        ),
        (
            vec![("RoleArn", &none), ("RoleSessionName", "s1")],
            "EntityNotExist.Role",
        ),
    ];
    for (pairs, code) in cases {
        assert_eq!(
            code_of(f.sts(c, "AssumeRole", &pairs).await),
            code,
            "{pairs:?}"
        );
    }
    let big = allow(
        &["oss:GetObject"],
        &[&*format!("acs:oss:*:*:{}", "x".repeat(2100))],
    );
    let e = f
        .sts(
            c,
            "AssumeRole",
            &[
                ("RoleArn", &arn),
                ("RoleSessionName", "s1"),
                ("Policy", &big),
            ],
        )
        .await
        .expect_err("size");
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "InvalidParameter.PolicySize",
            "The size of Policy must be smaller than 2048 bytes."
        )
    );
    let r = assume(&f, c, &[("Policy", ""), ("SourceIdentity", "src-1")]).await;
    assert_eq!(str_at(&r, "/SourceIdentity"), "src-1");
    assert_eq!(f.iam.stats().tokens_issued, 1);
}

#[tokio::test]
async fn assume_role_needs_permission_and_trust() {
    let f = fixture().await;
    let user = setup(&f).await;
    let arn = format!("acs:ram::{ACCT}:role/RamOssTest");
    let pairs = [("RoleArn", arn.as_str()), ("RoleSessionName", "s1")];
    let plain = f.user("plain").await;
    let e = f
        .sts(&plain.caller, "AssumeRole", &pairs)
        .await
        .expect_err("no sts:AssumeRole");
    assert_eq!(
        e.message,
        "You are not authorized to do this action. You should be authorized by RAM."
    );
    let detail = e.access_denied_detail.expect("detail");
    assert_eq!(
        (detail["PolicyType"].as_str(), detail["AuthAction"].as_str()),
        (
            Some("AccountLevelIdentityBasedPolicy"),
            Some("sts:AssumeRole")
        )
    );
    let only_bob = format!(
        r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{ACCT}:user/bob"]}}}}],"Version":"1"}}"#
    );
    f.root_ok(
        "UpdateRole",
        &[
            ("RoleName", "RamOssTest"),
            ("NewAssumeRolePolicyDocument", &only_bob),
        ],
    )
    .await;
    let e = f
        .sts(&user.caller, "AssumeRole", &pairs)
        .await
        .expect_err("not trusted");
    assert_eq!(
        e.access_denied_detail.expect("detail")["PolicyType"],
        "AssumeRolePolicy"
    );
    let with_external = format!(
        r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{ACCT}:root"]}},"Condition":{{"StringEquals":{{"sts:ExternalId":"abc123"}}}}}}],"Version":"1"}}"#
    );
    f.root_ok(
        "UpdateRole",
        &[
            ("RoleName", "RamOssTest"),
            ("NewAssumeRolePolicyDocument", &with_external),
        ],
    )
    .await;
    assert_eq!(
        code_of(f.sts(&user.caller, "AssumeRole", &pairs).await),
        "NoPermission"
    );
    assume(&f, &user.caller, &[("ExternalId", "abc123")]).await;
}

/// The IAM grammar (docs/protocol/iam-grammar.md): a role trusting the account through an `AWS`
/// principal is assumed through its `arn:aws:iam::` ARN, and an IAM-grammar session policy narrows
/// the session like its RAM twin.
#[tokio::test]
async fn assume_role_in_the_iam_grammar() {
    let f = fixture().await;
    let user = setup(&f).await;
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCT}:root"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    f.root_ok(
        "UpdateRole",
        &[
            ("RoleName", "RamOssTest"),
            ("NewAssumeRolePolicyDocument", &trust),
        ],
    )
    .await;
    let arn = format!("arn:aws:iam::{ACCT}:role/RamOssTest");
    let session_policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::examplebucket/*"}]}"#;
    let pairs = [
        ("RoleArn", arn.as_str()),
        ("RoleSessionName", "s1"),
        ("Policy", session_policy),
    ];
    let issued = f
        .sts(&user.caller, "AssumeRole", &pairs)
        .await
        .expect("AssumeRole with the IAM role ARN");
    assert_eq!(
        str_at(&issued, "/AssumedRoleUser/Arn"),
        format!("acs:ram::{ACCT}:role/RamOssTest/s1")
    );
    let session = super::seed::session(&f, &issued).await;
    let may = |operation| super::seed::oss(&f, &session.caller, operation, "examplebucket");
    assert!(may("GetObject").await.is_ok());
    assert!(
        may("PutObject").await.is_err(),
        "narrowed by the session policy"
    );
}

#[tokio::test]
async fn get_caller_identity() {
    let f = fixture().await;
    let root = f
        .sts(&f.root, "GetCallerIdentity", &[])
        .await
        .expect("root");
    assert_eq!(
        root,
        serde_json::json!({"IdentityType":"Account","AccountId":ACCT,"UserId":ACCT,"PrincipalId":ACCT,"Arn":format!("acs:ram::{ACCT}:root")})
    );
    let user = f.user("alice").await;
    let me = f
        .sts(&user.caller, "GetCallerIdentity", &[])
        .await
        .expect("user");
    assert_eq!(str_at(&me, "/IdentityType"), "RAMUser");
    assert_eq!(str_at(&me, "/Arn"), format!("acs:ram::{ACCT}:user/alice"));
    assert_eq!(str_at(&me, "/UserId"), str_at(&me, "/PrincipalId"));
}

/// GetSessionToken (docs/protocol/aws-sts.md#getsessiontoken): credentials that act as the
/// caller itself, only from long-term credentials, 900 s up to 129600 s (the root 3600 s).
#[tokio::test]
async fn get_session_token() {
    use ossd_iam::{ActionError, Caller, TEMP_KEY_PREFIX};
    let f = fixture().await;
    let user = f.user("alice").await;
    let issued = f
        .iam
        .get_session_token(&user.caller, Some(900))
        .await
        .expect("user session");
    assert!(issued.access_key_id.starts_with(TEMP_KEY_PREFIX));
    assert_eq!(issued.expiration, super::common::T0 + 900);
    let resolved = f
        .iam
        .resolve(&issued.access_key_id, Some(&issued.security_token))
        .await
        .expect("resolve");
    assert_eq!(resolved.secret.as_str(), issued.secret.as_str());
    assert!(
        matches!(&resolved.caller, Caller::User { user_name, access_key_id, .. }
            if user_name == "alice" && *access_key_id == issued.access_key_id),
        "{:?}",
        resolved.caller
    );
    assert_eq!(resolved.caller.label(), issued.principal.label());
    let again = f.iam.get_session_token(&resolved.caller, None).await;
    assert!(
        matches!(again, Err(ActionError::NoPermission(None))),
        "{again:?}"
    );
    for bad in [899, 129_601] {
        let e = f.iam.get_session_token(&user.caller, Some(bad)).await;
        assert!(
            matches!(e, Err(ActionError::Duration { max: 129_600 })),
            "{e:?}"
        );
    }
    let root = f.iam.get_session_token(&f.root, None).await.expect("root");
    assert_eq!(root.expiration, super::common::T0 + 3600);
    let as_root = f
        .iam
        .resolve(&root.access_key_id, Some(&root.security_token))
        .await
        .expect("root session");
    assert!(matches!(as_root.caller, Caller::Root { .. }));
    let e = f.iam.get_session_token(&f.root, Some(3601)).await;
    assert!(
        matches!(e, Err(ActionError::Duration { max: 3600 })),
        "{e:?}"
    );
    let key = user.caller.access_key_id().unwrap_or_default().to_owned();
    f.root_ok(
        "DeleteAccessKey",
        &[("UserName", "alice"), ("UserAccessKeyId", &key)],
    )
    .await;
    f.root_ok("DeleteUser", &[("UserName", "alice")]).await;
    let gone = f
        .iam
        .resolve(&issued.access_key_id, Some(&issued.security_token))
        .await;
    assert!(
        matches!(gone, Err(ossd_iam::IamError::InvalidSecurityToken)),
        "{gone:?}"
    );
}

/// Managed session policies of AWS AssumeRole (docs/protocol/aws-sts.md#assumerole): system and
/// custom policies by ARN, in both ARN forms; other accounts, unknown names and malformed ARNs
/// are refused.
#[tokio::test]
async fn managed_session_policies() {
    use ossd_iam::{ActionError, Entity};
    let f = fixture().await;
    let doc = allow(&["oss:GetObject"], &["*"]);
    f.root_ok(
        "CreatePolicy",
        &[("PolicyName", "Reader"), ("PolicyDocument", &doc)],
    )
    .await;
    let arns = [
        "arn:aws:iam::aws:policy/AliyunOSSReadOnlyAccess".to_owned(),
        format!("arn:aws:iam::{ACCT}:policy/Reader"),
        "acs:ram::system:policy/AliyunOSSReadOnlyAccess".to_owned(),
        format!("acs:ram::{ACCT}:policy/Reader"),
    ];
    let docs = f
        .iam
        .managed_session_policies(&arns)
        .await
        .expect("documents");
    assert_eq!(docs.len(), 4);
    assert_eq!(docs[1], doc);
    assert_eq!(docs[0], docs[2]);
    let missing = f
        .iam
        .managed_session_policies(&[format!("arn:aws:iam::{ACCT}:policy/None")])
        .await;
    assert!(
        matches!(missing, Err(ActionError::NotExist(Entity::Policy))),
        "{missing:?}"
    );
    for bad in [
        "arn:aws:iam::999:policy/Reader",
        "arn:aws:iam::aws:role/x",
        "arn:aws:iam::aws:policy/",
    ] {
        let e = f.iam.managed_session_policies(&[bad.to_owned()]).await;
        assert!(
            matches!(e, Err(ActionError::Invalid { .. })),
            "{bad}: {e:?}"
        );
    }
}
