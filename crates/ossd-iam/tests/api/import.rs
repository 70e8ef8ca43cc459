//! `Iam::ensure_user_key`: AccessKeys with a given id and secret (emulator dev identities, seeds).

use super::common::{fixture, list_at, ram_wire};
use ossd_iam::Caller;

#[tokio::test]
async fn fixed_user_keys_are_registered_idempotently() {
    let f = fixture().await;
    f.root_ok("CreateUser", &[("UserName", "dev")]).await;
    for _ in 0..2 {
        f.iam
            .ensure_user_key("dev", "LTAI5tFixedKey0000000001", "FixedSecret")
            .await
            .expect("ensure");
    }
    let resolved = f
        .iam
        .resolve("LTAI5tFixedKey0000000001", None)
        .await
        .expect("resolve");
    assert_eq!(resolved.secret.as_str(), "FixedSecret");
    assert!(matches!(&resolved.caller, Caller::User { user_name, .. } if user_name == "dev"));
    let keys = f.root_ok("ListAccessKeys", &[("UserName", "dev")]).await;
    assert_eq!(list_at(&keys, "/AccessKeys/AccessKey").len(), 1);

    // A new secret for the same id replaces the old one; a disabled key is made Active again.
    f.root_ok(
        "UpdateAccessKey",
        &[
            ("UserName", "dev"),
            ("UserAccessKeyId", "LTAI5tFixedKey0000000001"),
            ("Status", "Inactive"),
        ],
    )
    .await;
    f.iam
        .ensure_user_key("dev", "LTAI5tFixedKey0000000001", "NewSecret")
        .await
        .expect("update");
    let resolved = f
        .iam
        .resolve("LTAI5tFixedKey0000000001", None)
        .await
        .expect("active again");
    assert_eq!(resolved.secret.as_str(), "NewSecret");
}

#[tokio::test]
async fn fixed_keys_respect_owners_and_limits() {
    let f = fixture().await;
    let missing = f.iam.ensure_user_key("nobody", "LTAI5tKey1", "s").await;
    assert_eq!(
        missing.map_err(ram_wire).expect_err("no user").code,
        "EntityNotExist.User"
    );
    f.root_ok("CreateUser", &[("UserName", "a")]).await;
    f.root_ok("CreateUser", &[("UserName", "b")]).await;
    f.iam
        .ensure_user_key("a", "LTAI5tKeyA1", "s")
        .await
        .expect("a1");
    let taken = f.iam.ensure_user_key("b", "LTAI5tKeyA1", "s").await;
    assert_eq!(
        taken.map_err(ram_wire).expect_err("taken").code,
        "EntityAlreadyExists.User.AccessKey"
    );
    let root_key = f.iam.ensure_user_key("b", "LTAIroot", "s").await;
    assert_eq!(
        root_key.map_err(ram_wire).expect_err("root's").code,
        "EntityAlreadyExists.User.AccessKey"
    );
    f.iam
        .ensure_user_key("a", "LTAI5tKeyA2", "s")
        .await
        .expect("a2");
    let third = f.iam.ensure_user_key("a", "LTAI5tKeyA3", "s").await;
    assert_eq!(
        third.map_err(ram_wire).expect_err("limit").code,
        "LimitExceeded.User.AccessKey"
    );
}
