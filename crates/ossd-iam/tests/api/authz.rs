//! RAM authorization (docs/protocol/authorization.md#ram-and-sts-action-resources): root always,
//! users and sessions through their policies, with AccessDeniedDetail on NoPermission; stubs and
//! unknown actions.

use super::common::{ACCT, allow, code_of, fixture, str_at};
use super::seed::{assume, session, setup};

#[tokio::test]
async fn users_need_ram_permissions() {
    let f = fixture().await;
    let user = f.user("alice").await;
    let e = f
        .ram(&user.caller, "CreateUser", &[("UserName", "x")])
        .await
        .expect_err("denied");
    assert_eq!((e.status, e.code.as_str()), (403, "NoPermission"));
    assert_eq!(e.message, "You are not authorized to do this action.");
    let detail = e.access_denied_detail.expect("detail");
    assert_eq!(detail["AuthAction"], "ram:CreateUser");
    assert_eq!(detail["AuthPrincipalType"], "SubUser");
    assert_eq!(detail["AuthPrincipalOwnerId"], ACCT);
    assert_eq!(detail["NoPermissionType"], "ImplicitDeny");
    assert_eq!(detail["PolicyType"], "AccountLevelIdentityBasedPolicy");
    assert!(
        detail["EncodedDiagnosticMessage"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    let own = allow(
        &["ram:GetUser", "ram:ListAccessKeys"],
        &[&*format!("acs:ram:*:{ACCT}:user/alice")],
    );
    f.root_ok(
        "CreatePolicy",
        &[("PolicyName", "self"), ("PolicyDocument", &own)],
    )
    .await;
    f.attach("User", "alice", "Custom", "self").await;
    f.ram(&user.caller, "GetUser", &[("UserName", "alice")])
        .await
        .expect("own user");
    f.ram(&user.caller, "ListAccessKeys", &[])
        .await
        .expect("own keys");
    f.root_ok("CreateUser", &[("UserName", "bob")]).await;
    assert_eq!(
        code_of(f.ram(&user.caller, "GetUser", &[("UserName", "bob")]).await),
        "NoPermission"
    );
    assert!(f.iam.stats().denials >= 2);
}

#[tokio::test]
async fn attach_needs_both_policy_and_target() {
    let f = fixture().await;
    let user = f.user("admin").await;
    f.root_ok("CreateUser", &[("UserName", "t")]).await;
    let only_policy = allow(
        &["ram:AttachPolicyToUser"],
        &[&*format!("acs:ram:*:{ACCT}:policy/*")],
    );
    f.root_ok(
        "CreatePolicy",
        &[("PolicyName", "half"), ("PolicyDocument", &only_policy)],
    )
    .await;
    f.attach("User", "admin", "Custom", "half").await;
    let pairs = [
        ("UserName", "t"),
        ("PolicyType", "System"),
        ("PolicyName", "AdministratorAccess"),
    ];
    let e = f
        .ram(&user.caller, "AttachPolicyToUser", &pairs)
        .await
        .expect_err("target");
    assert!(e.access_denied_detail.is_some());
    f.attach("User", "admin", "System", "AliyunRAMFullAccess")
        .await;
    f.ram(&user.caller, "AttachPolicyToUser", &pairs)
        .await
        .expect("both allowed");
}

#[tokio::test]
async fn sessions_are_gated_by_their_session_policy() {
    let f = fixture().await;
    let user = setup(&f).await;
    f.attach("Role", "RamOssTest", "System", "AliyunRAMFullAccess")
        .await;
    let only_list = allow(&["ram:ListUsers"], &["*"]);
    let s = session(
        &f,
        &assume(&f, &user.caller, &[("Policy", &only_list)]).await,
    )
    .await;
    f.ram(&s.caller, "ListUsers", &[]).await.expect("list");
    let e = f
        .ram(&s.caller, "ListGroups", &[])
        .await
        .expect_err("gated");
    assert_eq!(
        e.access_denied_detail.expect("detail")["PolicyType"],
        "SessionPolicy"
    );
    assert_eq!(
        code_of(f.ram(&s.caller, "CreateAccessKey", &[]).await),
        "MissingUserName"
    );
}

#[tokio::test]
async fn stubs_and_unknown_actions_are_not_found() {
    let f = fixture().await;
    for action in ossd_iam::STUB_ACTIONS
        .iter()
        .chain(&["NoSuchAction", "createuser"])
    {
        let e = f.ram(&f.root, action, &[]).await.expect_err(action);
        assert_eq!(
            (e.status, e.code.as_str()),
            (404, "InvalidAction.NotFound"),
            "{action}"
        );
    }
    for action in [
        "GenerateSessionAccessKey",
        "AssumeRoleWithSAML",
        "AssumeRoleWithOIDC",
    ] {
        assert_eq!(
            code_of(f.sts(&f.root, action, &[]).await),
            "InvalidAction.NotFound"
        );
    }
}

#[tokio::test]
async fn account_alias() {
    let f = fixture().await;
    assert_eq!(
        str_at(&f.root_ok("GetAccountAlias", &[]).await, "/AccountAlias"),
        ""
    );
    f.root_ok("SetAccountAlias", &[("AccountAlias", "my-corp")])
        .await;
    assert_eq!(
        str_at(&f.root_ok("GetAccountAlias", &[]).await, "/AccountAlias"),
        "my-corp"
    );
    assert_eq!(
        f.root_err("SetAccountAlias", &[("AccountAlias", "ab")])
            .await,
        "InvalidParameter.AccountAlias.Length"
    );
    assert_eq!(
        f.root_err("SetAccountAlias", &[("AccountAlias", "Bad_Alias")])
            .await,
        "InvalidParameter.AccountAlias.Format"
    );
    f.root_ok("ClearAccountAlias", &[]).await;
    assert_eq!(
        str_at(&f.root_ok("GetAccountAlias", &[]).await, "/AccountAlias"),
        ""
    );
}

#[tokio::test]
async fn oss_owner_and_bucket_policy() {
    let f = fixture().await;
    let ctx = ossd_policy::RequestContext::new();
    let root = f.root.clone();
    let get = |caller: ossd_iam::Caller, owner: &'static str, policy: Option<&'static str>| {
        let (iam, ctx) = (f.iam.clone(), ctx.clone());
        async move {
            iam.authorize_oss(
                &caller,
                &ossd_policy::rows::GetObject,
                Some("b"),
                Some("k"),
                Some(owner),
                policy,
                &ctx,
            )
            .await
        }
    };
    get(root.clone(), ACCT, None).await.expect("owner root");
    let other = get(root.clone(), "999", None)
        .await
        .expect_err("not the owner");
    assert_eq!(other.ec, Some("0003-00000001"));
    let anonymous = get(ossd_iam::Caller::Anonymous, ACCT, None)
        .await
        .expect_err("anonymous");
    assert_eq!(
        anonymous.message,
        "You have no right to access this object because of bucket acl."
    );
    let public = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Principal":["*"],"Resource":"acs:oss:*:*:b/*"}]}"#;
    get(ossd_iam::Caller::Anonymous, ACCT, Some(public))
        .await
        .expect("bucket policy allows");
    let user = f.user("reader").await;
    get(user.caller.clone(), ACCT, Some(public))
        .await
        .expect("via bucket policy");
    let deny = r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"oss:GetObject","Principal":["*"],"Resource":"acs:oss:*:*:b/*"}]}"#;
    f.attach("User", "reader", "System", "AliyunOSSFullAccess")
        .await;
    let denied = get(user.caller, ACCT, Some(deny))
        .await
        .expect_err("explicit bucket deny");
    assert!(denied.explicit);
    assert_eq!(denied.policy_type, "ResourceBasedPolicy");
    let request = ossd_iam::OssRequest {
        action: &ossd_policy::rows::ListBuckets,
        bucket: None,
        key: None,
        bucket_owner: None,
        bucket_policy: None,
        region: Some("cn-hangzhou"),
        versioned: false,
        acl_allows: false,
        public_access: ossd_policy::PublicAccessBlock::default(),
    };
    let s = f.user("lister").await;
    let no = f
        .iam
        .authorize_oss_request(&s.caller, &request, &ctx)
        .await
        .expect_err("no policy");
    assert_eq!(no.resource, format!("acs:oss:cn-hangzhou:{ACCT}:*"));
    assert_eq!(no.message, "The bucket you access does not belong to you.");
    let acl = ossd_iam::OssRequest {
        action: &ossd_policy::rows::GetObject,
        bucket: Some("b"),
        key: Some("k"),
        bucket_owner: Some(ACCT),
        acl_allows: true,
        public_access: ossd_policy::PublicAccessBlock::default(),
        ..request
    };
    f.iam
        .authorize_oss_request(&ossd_iam::Caller::Anonymous, &acl, &ctx)
        .await
        .expect("public-read ACL");
}

/// The account's Block Public Access settings (docs/protocol/buckets.md#block-public-access):
/// none at first, stored as given, removed by `None`.
#[tokio::test]
async fn account_public_access_block() {
    let f = fixture().await;
    assert_eq!(
        f.iam.account_public_access_block().await.expect("get"),
        None
    );
    let partial = ossd_policy::PublicAccessBlock {
        block_public_acls: true,
        restrict_public_buckets: true,
        ..ossd_policy::PublicAccessBlock::default()
    };
    f.iam
        .set_account_public_access_block(Some(partial))
        .await
        .expect("set");
    assert_eq!(
        f.iam.account_public_access_block().await.expect("get"),
        Some(partial)
    );
    f.iam
        .set_account_public_access_block(None)
        .await
        .expect("clear");
    assert_eq!(
        f.iam.account_public_access_block().await.expect("get"),
        None
    );
}
