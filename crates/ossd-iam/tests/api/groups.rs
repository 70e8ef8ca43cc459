//! Groups and memberships.

use super::common::{fixture, names_at, str_at};

#[tokio::test]
async fn group_lifecycle() {
    let f = fixture().await;
    let created = f
        .root_ok(
            "CreateGroup",
            &[("GroupName", "Dev"), ("Comments", "developers")],
        )
        .await;
    assert!(str_at(&created, "/Group/GroupId").starts_with("g-"));
    assert!(created["Group"].get("UpdateDate").is_none());
    assert_eq!(
        f.root_err("CreateGroup", &[("GroupName", "dev")]).await,
        "EntityAlreadyExists.Group"
    );
    assert_eq!(
        f.root_err("CreateGroup", &[("GroupName", "x y")]).await,
        "InvalidParameter.GroupName.InvalidChars"
    );
    let got = f.root_ok("GetGroup", &[("GroupName", "DEV")]).await;
    assert_eq!(str_at(&got, "/Group/Comments"), "developers");
    let updated = f
        .root_ok(
            "UpdateGroup",
            &[
                ("GroupName", "dev"),
                ("NewGroupName", "Ops"),
                ("NewComments", "ops"),
            ],
        )
        .await;
    assert_eq!(str_at(&updated, "/Group/GroupName"), "Ops");
    assert_eq!(
        f.root_err("GetGroup", &[("GroupName", "dev")]).await,
        "EntityNotExist.Group"
    );
    f.root_ok("CreateGroup", &[("GroupName", "a")]).await;
    let page = f.root_ok("ListGroups", &[("MaxItems", "1")]).await;
    assert_eq!(names_at(&page, "/Groups/Group", "GroupName"), ["a"]);
    let rest = f
        .root_ok("ListGroups", &[("Marker", &str_at(&page, "/Marker"))])
        .await;
    assert_eq!(names_at(&rest, "/Groups/Group", "GroupName"), ["Ops"]);
    f.root_ok("DeleteGroup", &[("GroupName", "ops")]).await;
    assert_eq!(
        f.root_err("DeleteGroup", &[("GroupName", "ops")]).await,
        "EntityNotExist.Group"
    );
}

#[tokio::test]
async fn memberships() {
    let f = fixture().await;
    f.root_ok("CreateUser", &[("UserName", "u"), ("DisplayName", "You")])
        .await;
    for g in ["g1", "g2", "g3", "g4", "g5", "g6"] {
        f.root_ok("CreateGroup", &[("GroupName", g)]).await;
    }
    for g in ["g1", "g2", "g3", "g4", "g5"] {
        f.root_ok("AddUserToGroup", &[("UserName", "u"), ("GroupName", g)])
            .await;
    }
    let add = |g: &'static str| [("UserName", "u"), ("GroupName", g)];
    assert_eq!(
        f.root_err("AddUserToGroup", &add("g1")).await,
        "EntityAlreadyExists.User.Group"
    );
    assert_eq!(
        f.root_err("AddUserToGroup", &add("g6")).await,
        "LimitExceeded.User.Group"
    );
    assert_eq!(
        f.root_err("AddUserToGroup", &[("UserName", "x"), ("GroupName", "g6")])
            .await,
        "EntityNotExist.User"
    );
    let groups = f.root_ok("ListGroupsForUser", &[("UserName", "u")]).await;
    assert_eq!(names_at(&groups, "/Groups/Group", "GroupName").len(), 5);
    assert_eq!(
        str_at(&groups, "/Groups/Group/0/JoinDate"),
        "2023-11-14T22:13:20Z"
    );
    let users = f.root_ok("ListUsersForGroup", &[("GroupName", "g1")]).await;
    assert_eq!(names_at(&users, "/Users/User", "UserName"), ["u"]);
    assert_eq!(str_at(&users, "/Users/User/0/DisplayName"), "You");
    assert_eq!(users["IsTruncated"], false);
    assert_eq!(
        f.root_err("DeleteGroup", &[("GroupName", "g1")]).await,
        "DeleteConflict.Group.User"
    );
    f.root_ok("RemoveUserFromGroup", &add("g1")).await;
    assert_eq!(
        f.root_err("RemoveUserFromGroup", &add("g1")).await,
        "EntityNotExist.User.Group"
    );
    f.root_ok("AddUserToGroup", &add("g6")).await;
    f.attach("Group", "g1", "System", "AliyunOSSReadOnlyAccess")
        .await;
    assert_eq!(
        f.root_err("DeleteGroup", &[("GroupName", "g1")]).await,
        "DeleteConflict.Group.Policy"
    );
}

#[tokio::test]
async fn group_policies_apply_to_members() {
    let f = fixture().await;
    let user = f.user("member").await;
    f.root_ok("CreateGroup", &[("GroupName", "readers")]).await;
    f.attach("Group", "readers", "System", "AliyunRAMReadOnlyAccess")
        .await;
    assert_eq!(
        super::common::code_of(f.ram(&user.caller, "ListUsers", &[]).await),
        "NoPermission"
    );
    f.root_ok(
        "AddUserToGroup",
        &[("UserName", "member"), ("GroupName", "readers")],
    )
    .await;
    f.ram(&user.caller, "ListUsers", &[])
        .await
        .expect("via the group");
    assert_eq!(
        super::common::code_of(
            f.ram(&user.caller, "CreateUser", &[("UserName", "z")])
                .await
        ),
        "NoPermission"
    );
}
