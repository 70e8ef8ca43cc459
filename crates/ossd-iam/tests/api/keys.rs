//! CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed.

use super::common::{fixture, list_at, names_at, str_at};
use ossd_iam::{Caller, IamError};

#[tokio::test]
async fn key_lifecycle_and_inactive_keys() {
    let f = fixture().await;
    f.root_ok("CreateUser", &[("UserName", "u")]).await;
    let created = f.root_ok("CreateAccessKey", &[("UserName", "u")]).await;
    let id = str_at(&created, "/AccessKey/AccessKeyId");
    assert!(id.starts_with("LTAI") && id.len() == 24);
    assert_eq!(str_at(&created, "/AccessKey/AccessKeySecret").len(), 30);
    assert_eq!(str_at(&created, "/AccessKey/Status"), "Active");
    let secret = str_at(&created, "/AccessKey/AccessKeySecret");
    let resolved = f.iam.resolve(&id, None).await.expect("resolve");
    assert!(matches!(&resolved.caller, Caller::User { user_name, .. } if user_name == "u"));
    // The second resolve takes the secret from the cache of unsealed secrets.
    for _ in 0..2 {
        let again = f.iam.resolve(&id, None).await.expect("resolve");
        assert_eq!(again.secret.as_str(), secret);
    }
    f.root_ok("CreateAccessKey", &[("UserName", "u")]).await;
    assert_eq!(
        f.root_err("CreateAccessKey", &[("UserName", "u")]).await,
        "LimitExceeded.User.AccessKey"
    );
    let listed = f.root_ok("ListAccessKeys", &[("UserName", "u")]).await;
    assert_eq!(list_at(&listed, "/AccessKeys/AccessKey").len(), 2);
    assert!(listed.to_string().find("Secret").is_none());
    let off = [
        ("UserName", "u"),
        ("UserAccessKeyId", id.as_str()),
        ("Status", "Inactive"),
    ];
    f.root_ok("UpdateAccessKey", &off).await;
    assert!(matches!(
        f.iam.resolve(&id, None).await,
        Err(IamError::AccessKeyInactive)
    ));
    let on = [
        ("UserName", "u"),
        ("UserAccessKeyId", id.as_str()),
        ("Status", "Active"),
    ];
    f.root_ok("UpdateAccessKey", &on).await;
    assert!(f.iam.resolve(&id, None).await.is_ok());
    let bad = [
        ("UserName", "u"),
        ("UserAccessKeyId", id.as_str()),
        ("Status", "On"),
    ];
    assert_eq!(
        f.root_err("UpdateAccessKey", &bad).await,
        "InvalidParameter.Status"
    );
    let used = f
        .root_ok(
            "GetAccessKeyLastUsed",
            &[("UserName", "u"), ("UserAccessKeyId", &id)],
        )
        .await;
    assert_eq!(
        str_at(&used, "/AccessKeyLastUsed/LastUsedDate"),
        "2023-11-14T22:13:20Z"
    );
    f.root_ok(
        "DeleteAccessKey",
        &[("UserName", "u"), ("UserAccessKeyId", &id)],
    )
    .await;
    assert!(matches!(
        f.iam.resolve(&id, None).await,
        Err(IamError::InvalidAccessKeyId)
    ));
    let gone = [("UserName", "u"), ("UserAccessKeyId", id.as_str())];
    assert_eq!(
        f.root_err("DeleteAccessKey", &gone).await,
        "EntityNotExist.User.AccessKey"
    );
    assert_eq!(
        f.root_err("CreateAccessKey", &[("UserName", "nobody")])
            .await,
        "EntityNotExist.User"
    );
}

#[tokio::test]
async fn keys_default_to_the_caller() {
    let f = fixture().await;
    let user = f.user("self").await;
    f.attach("User", "self", "System", "AliyunRAMFullAccess")
        .await;
    let mine = f
        .ram(&user.caller, "ListAccessKeys", &[])
        .await
        .expect("own keys");
    assert_eq!(list_at(&mine, "/AccessKeys/AccessKey").len(), 1);
    let root_keys = f.root_ok("ListAccessKeys", &[]).await;
    assert_eq!(
        names_at(&root_keys, "/AccessKeys/AccessKey", "AccessKeyId"),
        ["LTAIroot"]
    );
    let other_user_key = str_at(&mine, "/AccessKeys/AccessKey/0/AccessKeyId");
    let as_root = [("UserAccessKeyId", other_user_key.as_str())];
    assert_eq!(
        f.root_err("DeleteAccessKey", &as_root).await,
        "EntityNotExist.User.AccessKey"
    );
    let created = f.root_ok("CreateAccessKey", &[]).await;
    let id = str_at(&created, "/AccessKey/AccessKeyId");
    let root = f.iam.resolve(&id, None).await.expect("root key");
    assert!(matches!(root.caller, Caller::Root { .. }));
    assert_eq!(
        f.root_err("CreateAccessKey", &[]).await,
        "LimitExceeded.User.AccessKey"
    );
}

#[tokio::test]
async fn ensure_root_key_is_idempotent() {
    let f = fixture().await;
    f.iam
        .ensure_root_key("LTAIroot", "rootsecret")
        .await
        .expect("again");
    f.iam
        .ensure_root_key("LTAIroot", "newsecret")
        .await
        .expect("new secret");
    assert_eq!(
        f.iam
            .resolve("LTAIroot", None)
            .await
            .expect("root")
            .secret
            .as_str(),
        "newsecret"
    );
    f.root_ok("CreateUser", &[("UserName", "u")]).await;
    let key = f.root_ok("CreateAccessKey", &[("UserName", "u")]).await;
    let id = str_at(&key, "/AccessKey/AccessKeyId");
    assert!(matches!(
        f.iam.ensure_root_key(&id, "x").await,
        Err(IamError::AccessKeyIdTaken(_))
    ));
}
