//! CreateRole, GetRole, UpdateRole, ListRoles, DeleteRole.

use super::common::{ACCT, fixture, names_at, str_at, trust_account};

#[tokio::test]
async fn role_lifecycle() {
    let f = fixture().await;
    let trust = trust_account();
    let created = f
        .root_ok(
            "CreateRole",
            &[
                ("RoleName", "Oss-Writer"),
                ("AssumeRolePolicyDocument", &trust),
                ("Description", "d"),
                ("MaxSessionDuration", "7200"),
            ],
        )
        .await;
    let role = &created["Role"];
    assert_eq!(
        str_at(role, "/Arn"),
        format!("acs:ram::{ACCT}:role/Oss-Writer")
    );
    assert_eq!(role["MaxSessionDuration"], 7200);
    assert_eq!(role["AllowConsoleLogin"], false);
    assert_eq!(str_at(role, "/AssumeRolePolicyDocument"), trust);
    assert_eq!(str_at(role, "/RoleId").len(), 18);
    let dup = [
        ("RoleName", "oss-writer"),
        ("AssumeRolePolicyDocument", trust.as_str()),
    ];
    assert_eq!(
        f.root_err("CreateRole", &dup).await,
        "EntityAlreadyExists.Role"
    );
    let got = f.root_ok("GetRole", &[("RoleName", "OSS-WRITER")]).await;
    assert_eq!(got["Role"]["IsServiceLinkedRole"], false);
    assert_eq!(
        str_at(&got, "/Role/RolePrincipalName"),
        format!("Oss-Writer@role.{ACCT}.onaliyunservice.com")
    );
    let updated = f
        .root_ok(
            "UpdateRole",
            &[
                ("RoleName", "oss-writer"),
                ("NewDescription", "new"),
                ("NewAllowConsoleLogin", "true"),
            ],
        )
        .await;
    assert_eq!(
        (
            str_at(&updated, "/Role/Description"),
            &updated["Role"]["AllowConsoleLogin"]
        ),
        ("new".to_owned(), &serde_json::json!(true))
    );
    assert_eq!(updated["Role"]["MaxSessionDuration"], 7200);
    let listed = f.root_ok("ListRoles", &[]).await;
    assert_eq!(names_at(&listed, "/Roles/Role", "RoleName"), ["Oss-Writer"]);
    assert!(
        listed["Roles"]["Role"][0]
            .get("AssumeRolePolicyDocument")
            .is_none()
    );
    assert_eq!(
        listed["Roles"]["Role"][0]["Tags"],
        serde_json::json!({"Tag": []})
    );
    f.attach("Role", "Oss-Writer", "System", "AliyunOSSFullAccess")
        .await;
    assert_eq!(
        f.root_err("DeleteRole", &[("RoleName", "oss-writer")])
            .await,
        "DeleteConflict.Role.Policy"
    );
    let detach = [
        ("RoleName", "oss-writer"),
        ("PolicyType", "System"),
        ("PolicyName", "AliyunOSSFullAccess"),
    ];
    f.root_ok("DetachPolicyFromRole", &detach).await;
    f.root_ok("DeleteRole", &[("RoleName", "oss-writer")]).await;
    assert_eq!(
        f.root_err("GetRole", &[("RoleName", "oss-writer")]).await,
        "EntityNotExist.Role"
    );
}

#[tokio::test]
async fn role_validation() {
    let f = fixture().await;
    let trust = trust_account();
    let t = trust.as_str();
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("AssumeRolePolicyDocument", t)], "MissingRoleName"),
        (vec![("RoleName", "r")], "MissingAssumeRolePolicyDocument"),
        (
            vec![("RoleName", "r_x"), ("AssumeRolePolicyDocument", t)],
            "InvalidParameter.RoleName.InvalidChars",
        ),
        (
            vec![("RoleName", "r"), ("AssumeRolePolicyDocument", "{}")],
            "MalformedPolicyDocument",
        ),
        (
            vec![
                ("RoleName", "r"),
                ("AssumeRolePolicyDocument", t),
                ("MaxSessionDuration", "3599"),
            ],
            "InvalidParameter.MaxSessionDuration",
        ),
        (
            vec![
                ("RoleName", "r"),
                ("AssumeRolePolicyDocument", t),
                ("MaxSessionDuration", "43201"),
            ],
            "InvalidParameter.MaxSessionDuration",
        ),
        (
            vec![
                ("RoleName", "r"),
                ("AssumeRolePolicyDocument", t),
                ("AllowConsoleLogin", "yes"),
            ],
            "InvalidParameter.AllowConsoleLogin",
        ),
    ];
    for (pairs, code) in cases {
        assert_eq!(f.root_err("CreateRole", &pairs).await, code, "{pairs:?}");
    }
    let long = format!(
        "{{\"Version\":\"1\",\"Statement\":[],\"x\":\"{}\"}}",
        "a".repeat(2100)
    );
    let e = f
        .root_err(
            "CreateRole",
            &[("RoleName", "r"), ("AssumeRolePolicyDocument", &long)],
        )
        .await;
    assert_eq!(e, "InvalidParameter.AssumeRolePolicyDocument.Length");
    f.root_ok(
        "CreateRole",
        &[("RoleName", "r"), ("AssumeRolePolicyDocument", t)],
    )
    .await;
    let bad = f
        .root_err(
            "UpdateRole",
            &[("RoleName", "r"), ("NewAssumeRolePolicyDocument", "[]")],
        )
        .await;
    assert_eq!(bad, "MalformedPolicyDocument");
}
