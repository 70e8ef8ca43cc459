//! CreateUser, GetUser, UpdateUser, ListUsers, DeleteUser.

use super::common::{fixture, list_at, names_at, str_at};

#[tokio::test]
async fn user_lifecycle() {
    let f = fixture().await;
    let created = f
        .root_ok(
            "CreateUser",
            &[
                ("UserName", "Alice"),
                ("DisplayName", "Alice A"),
                ("Email", "a@example.com"),
                ("MobilePhone", "86-18600008888"),
                ("Comments", "c"),
            ],
        )
        .await;
    let user = &created["User"];
    assert_eq!(str_at(user, "/UserName"), "Alice");
    assert_eq!(str_at(user, "/CreateDate"), "2023-11-14T22:13:20Z");
    assert!(user.get("UpdateDate").is_none());
    let id = str_at(user, "/UserId");
    assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(
        f.root_err("CreateUser", &[("UserName", "alice")]).await,
        "EntityAlreadyExists.User"
    );
    let got = f.root_ok("GetUser", &[("UserName", "ALICE")]).await;
    assert_eq!(
        (str_at(&got, "/User/UserName"), str_at(&got, "/User/UserId")),
        ("Alice".to_owned(), id.clone())
    );
    assert_eq!(str_at(&got, "/User/UpdateDate"), "2023-11-14T22:13:20Z");
    let renamed = f
        .root_ok(
            "UpdateUser",
            &[
                ("UserName", "alice"),
                ("NewUserName", "bob"),
                ("NewComments", "x"),
            ],
        )
        .await;
    assert_eq!(
        (
            str_at(&renamed, "/User/UserName"),
            str_at(&renamed, "/User/UserId")
        ),
        ("bob".to_owned(), id)
    );
    assert_eq!(str_at(&renamed, "/User/Comments"), "x");
    assert_eq!(
        f.root_err("GetUser", &[("UserName", "Alice")]).await,
        "EntityNotExist.User"
    );
    f.root_ok("UpdateUser", &[("UserName", "bob"), ("NewUserName", "Bob")])
        .await;
    assert_eq!(
        str_at(
            &f.root_ok("GetUser", &[("UserName", "bob")]).await,
            "/User/UserName"
        ),
        "Bob"
    );
    f.root_ok("DeleteUser", &[("UserName", "BOB")]).await;
    assert_eq!(
        f.root_err("DeleteUser", &[("UserName", "bob")]).await,
        "EntityNotExist.User"
    );
}

#[tokio::test]
async fn user_validation() {
    let f = fixture().await;
    let (a65, d129, c129) = ("a".repeat(65), "d".repeat(129), "c".repeat(129));
    let cases = [
        (vec![], "MissingUserName"),
        (
            vec![("UserName", "a b")],
            "InvalidParameter.UserName.InvalidChars",
        ),
        (vec![("UserName", &a65)], "InvalidParameter.UserName.Length"),
        (
            vec![("UserName", "u"), ("Email", "nope")],
            "InvalidParameter.Email.Format",
        ),
        (
            vec![("UserName", "u"), ("MobilePhone", "123")],
            "InvalidParameter.MobilePhone.Format",
        ),
        (
            vec![("UserName", "u"), ("DisplayName", &d129)],
            "InvalidParameter.DisplayName.Length",
        ),
        (
            vec![("UserName", "u"), ("Comments", &c129)],
            "InvalidParameter.Comments.Length",
        ),
    ];
    for (pairs, code) in cases {
        assert_eq!(f.root_err("CreateUser", &pairs).await, code, "{pairs:?}");
    }
    f.root_ok("CreateUser", &[("UserName", "u")]).await;
    f.root_ok("CreateUser", &[("UserName", "v")]).await;
    let clash = f
        .root_err("UpdateUser", &[("UserName", "u"), ("NewUserName", "V")])
        .await;
    assert_eq!(clash, "EntityAlreadyExists.User");
    let bad = f
        .root_err("UpdateUser", &[("UserName", "u"), ("NewEmail", "x@")])
        .await;
    assert_eq!(bad, "InvalidParameter.NewEmail.Format");
}

#[tokio::test]
async fn list_users_pages() {
    let f = fixture().await;
    for name in ["c", "a", "B", "d", "e"] {
        f.root_ok("CreateUser", &[("UserName", name)]).await;
    }
    let first = f.root_ok("ListUsers", &[("MaxItems", "2")]).await;
    assert_eq!(names_at(&first, "/Users/User", "UserName"), ["a", "B"]);
    assert_eq!(first["IsTruncated"], true);
    let marker = str_at(&first, "/Marker");
    let second = f
        .root_ok("ListUsers", &[("MaxItems", "3"), ("Marker", &marker)])
        .await;
    assert_eq!(
        names_at(&second, "/Users/User", "UserName"),
        ["c", "d", "e"]
    );
    assert_eq!(second["IsTruncated"], false);
    assert!(second.get("Marker").is_none());
    let all = f.root_ok("ListUsers", &[]).await;
    assert_eq!(list_at(&all, "/Users/User").len(), 5);
    for max in ["0", "1001", "x"] {
        assert_eq!(
            f.root_err("ListUsers", &[("MaxItems", max)]).await,
            "InvalidParameter.MaxItems"
        );
    }
}

#[tokio::test]
async fn delete_user_conflicts() {
    let f = fixture().await;
    f.user("u").await;
    assert_eq!(
        f.root_err("DeleteUser", &[("UserName", "u")]).await,
        "DeleteConflict.User.AccessKey"
    );
    let keys = f.root_ok("ListAccessKeys", &[("UserName", "u")]).await;
    let key = str_at(&keys, "/AccessKeys/AccessKey/0/AccessKeyId");
    f.root_ok(
        "DeleteAccessKey",
        &[("UserName", "u"), ("UserAccessKeyId", &key)],
    )
    .await;
    f.root_ok("CreateGroup", &[("GroupName", "g")]).await;
    f.root_ok("AddUserToGroup", &[("UserName", "u"), ("GroupName", "g")])
        .await;
    assert_eq!(
        f.root_err("DeleteUser", &[("UserName", "u")]).await,
        "DeleteConflict.User.Group"
    );
    f.root_ok(
        "RemoveUserFromGroup",
        &[("UserName", "u"), ("GroupName", "g")],
    )
    .await;
    f.attach("User", "u", "System", "AliyunOSSReadOnlyAccess")
        .await;
    assert_eq!(
        f.root_err("DeleteUser", &[("UserName", "u")]).await,
        "DeleteConflict.User.Policy"
    );
    let detach = [
        ("UserName", "u"),
        ("PolicyType", "System"),
        ("PolicyName", "AliyunOSSReadOnlyAccess"),
    ];
    f.root_ok("DetachPolicyFromUser", &detach).await;
    f.root_ok("DeleteUser", &[("UserName", "u")]).await;
}
