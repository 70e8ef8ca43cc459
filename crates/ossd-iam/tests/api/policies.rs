//! CreatePolicy, GetPolicy, ListPolicies, UpdatePolicyDescription, DeletePolicy and versions.

use super::common::{allow, fixture, list_at, names_at, str_at};

#[tokio::test]
async fn custom_policy_lifecycle() {
    let f = fixture().await;
    let doc = allow(&["oss:GetObject"], &["*"]);
    let created = f
        .root_ok(
            "CreatePolicy",
            &[
                ("PolicyName", "Read-Only"),
                ("PolicyDocument", &doc),
                ("Description", "reads"),
            ],
        )
        .await;
    assert_eq!(created["Policy"]["PolicyType"], "Custom");
    assert_eq!(created["Policy"]["DefaultVersion"], "v1");
    let dup = [
        ("PolicyName", "read-only"),
        ("PolicyDocument", doc.as_str()),
    ];
    assert_eq!(
        f.root_err("CreatePolicy", &dup).await,
        "EntityAlreadyExists.Policy"
    );
    let sys = [
        ("PolicyName", "AdministratorAccess"),
        ("PolicyDocument", doc.as_str()),
    ];
    assert_eq!(
        f.root_err("CreatePolicy", &sys).await,
        "EntityAlreadyExists.Policy"
    );
    let got = f
        .root_ok(
            "GetPolicy",
            &[("PolicyName", "read-only"), ("PolicyType", "Custom")],
        )
        .await;
    assert_eq!(
        (
            got["Policy"]["AttachmentCount"].clone(),
            str_at(&got, "/Policy/PolicyDocument")
        ),
        (0.into(), doc.clone())
    );
    assert_eq!(got["DefaultPolicyVersion"]["IsDefaultVersion"], true);
    assert_eq!(got["DefaultPolicyVersion"]["VersionId"], "v1");
    let missing_type = f
        .root_err("GetPolicy", &[("PolicyName", "read-only")])
        .await;
    assert_eq!(missing_type, "InvalidParameter.PolicyType");
    let upd = f
        .root_ok(
            "UpdatePolicyDescription",
            &[("PolicyName", "read-only"), ("NewDescription", "new")],
        )
        .await;
    assert_eq!(upd["Policy"]["Description"], "new");
}

#[tokio::test]
async fn policy_validation() {
    let f = fixture().await;
    let doc = allow(&["oss:GetObject"], &["*"]);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("PolicyDocument", doc.as_str())], "MissingPolicyName"),
        (
            vec![("PolicyName", "a_b"), ("PolicyDocument", doc.as_str())],
            "InvalidParameter.PolicyName.InvalidChars",
        ),
        (
            vec![("PolicyName", "p"), ("PolicyDocument", "{")],
            "MalformedPolicyDocument",
        ),
        (
            vec![
                ("PolicyName", "p"),
                ("PolicyDocument", r#"{"Version":"2","Statement":[]}"#),
            ],
            "MalformedPolicyDocument",
        ),
    ];
    for (pairs, code) in cases {
        assert_eq!(f.root_err("CreatePolicy", &pairs).await, code, "{pairs:?}");
    }
    let huge = allow(
        &["oss:GetObject"],
        &[&*format!("acs:oss:*:*:{}", "b".repeat(6200))],
    );
    let e = f
        .root_err(
            "CreatePolicy",
            &[("PolicyName", "p"), ("PolicyDocument", &huge)],
        )
        .await;
    assert_eq!(e, "InvalidParameter.PolicyDocument.Length");
}

#[tokio::test]
async fn versions() {
    let f = fixture().await;
    let doc = |n: usize| allow(&["oss:GetObject"], &[&*format!("acs:oss:*:*:b{n}/*")]);
    f.root_ok(
        "CreatePolicy",
        &[("PolicyName", "p"), ("PolicyDocument", &doc(1))],
    )
    .await;
    for n in 2..=5 {
        let made = f
            .root_ok(
                "CreatePolicyVersion",
                &[("PolicyName", "p"), ("PolicyDocument", &doc(n))],
            )
            .await;
        assert_eq!(str_at(&made, "/PolicyVersion/VersionId"), format!("v{n}"));
        assert_eq!(made["PolicyVersion"]["IsDefaultVersion"], false);
    }
    let full = [("PolicyName", "p"), ("PolicyDocument", &*doc(6))];
    assert_eq!(
        f.root_err("CreatePolicyVersion", &full).await,
        "LimitExceeded.Policy.Version"
    );
    let rotate = [
        ("PolicyName", "p"),
        ("PolicyDocument", &*doc(6)),
        (
            "RotateStrategy",
            "DeleteOldestNonDefaultVersionWhenLimitExceeded",
        ),
        ("SetAsDefault", "true"),
    ];
    let made = f.root_ok("CreatePolicyVersion", &rotate).await;
    assert_eq!(
        (
            str_at(&made, "/PolicyVersion/VersionId"),
            &made["PolicyVersion"]["IsDefaultVersion"]
        ),
        ("v6".to_owned(), &serde_json::json!(true))
    );
    let listed = f
        .root_ok(
            "ListPolicyVersions",
            &[("PolicyName", "p"), ("PolicyType", "Custom")],
        )
        .await;
    assert_eq!(
        names_at(&listed, "/PolicyVersions/PolicyVersion", "VersionId"),
        ["v1", "v3", "v4", "v5", "v6"]
    );
    let v = |id: &'static str| [("PolicyName", "p"), ("VersionId", id)];
    assert_eq!(
        f.root_err("DeletePolicyVersion", &v("v6")).await,
        "DeleteConflict.Policy.Version.Default"
    );
    assert_eq!(
        f.root_err("DeletePolicyVersion", &v("v2")).await,
        "EntityNotExist.Policy.Version"
    );
    assert_eq!(
        f.root_err("DeletePolicyVersion", &v("2")).await,
        "InvalidParameter.VersionId.Format"
    );
    f.root_ok("SetDefaultPolicyVersion", &v("v3")).await;
    f.root_ok("DeletePolicyVersion", &v("v6")).await;
    let got = f
        .root_ok(
            "GetPolicyVersion",
            &[
                ("PolicyName", "p"),
                ("PolicyType", "Custom"),
                ("VersionId", "v3"),
            ],
        )
        .await;
    assert_eq!(
        (
            str_at(&got, "/PolicyVersion/PolicyDocument"),
            &got["PolicyVersion"]["IsDefaultVersion"]
        ),
        (doc(3), &serde_json::json!(true))
    );
    assert_eq!(
        f.root_err("DeletePolicy", &[("PolicyName", "p")]).await,
        "DeleteConflict.Policy.Version"
    );
    f.root_ok(
        "DeletePolicy",
        &[("PolicyName", "p"), ("CascadingDelete", "true")],
    )
    .await;
    assert_eq!(
        f.root_err(
            "GetPolicy",
            &[("PolicyName", "p"), ("PolicyType", "Custom")]
        )
        .await,
        "EntityNotExist.Policy"
    );
    let made = f
        .root_ok(
            "CreatePolicy",
            &[("PolicyName", "p"), ("PolicyDocument", &doc(1))],
        )
        .await;
    assert_eq!(made["Policy"]["DefaultVersion"], "v1");
}

#[tokio::test]
async fn system_policies_are_listed_readable_and_not_deletable() {
    let f = fixture().await;
    let sys = f.root_ok("ListPolicies", &[("PolicyType", "System")]).await;
    let names = names_at(&sys, "/Policies/Policy", "PolicyName");
    assert!(
        names.contains(&"AliyunSTSAssumeRoleAccess".to_owned())
            && names.contains(&"AdministratorAccess".to_owned())
    );
    assert!(
        list_at(&sys, "/Policies/Policy")
            .iter()
            .all(|p| p["PolicyType"] == "System")
    );
    let got = f
        .root_ok(
            "GetPolicy",
            &[
                ("PolicyName", "AliyunSTSAssumeRoleAccess"),
                ("PolicyType", "System"),
            ],
        )
        .await;
    assert!(str_at(&got, "/Policy/PolicyDocument").contains("sts:AssumeRole"));
    assert_eq!(got["Policy"]["DefaultVersion"], "v1");
    let v = f
        .root_ok(
            "GetPolicyVersion",
            &[
                ("PolicyName", "AliyunSTSAssumeRoleAccess"),
                ("PolicyType", "System"),
                ("VersionId", "v1"),
            ],
        )
        .await;
    assert_eq!(v["PolicyVersion"]["IsDefaultVersion"], true);
    let listed = f
        .root_ok(
            "ListPolicyVersions",
            &[
                ("PolicyName", "AliyunRAMReadOnlyAccess"),
                ("PolicyType", "System"),
            ],
        )
        .await;
    assert_eq!(
        names_at(&listed, "/PolicyVersions/PolicyVersion", "VersionId"),
        ["v3"]
    );
    assert_eq!(
        f.root_err("DeletePolicy", &[("PolicyName", "AdministratorAccess")])
            .await,
        "EntityNotExist.Policy"
    );
    let any = allow(&["oss:GetObject"], &["*"]);
    let version = [
        ("PolicyName", "AdministratorAccess"),
        ("PolicyDocument", any.as_str()),
    ];
    assert_eq!(
        f.root_err("CreatePolicyVersion", &version).await,
        "EntityNotExist.Policy"
    );
    assert_eq!(
        f.root_err("ListPolicies", &[("PolicyType", "Other")]).await,
        "InvalidParameter.PolicyType"
    );
}

#[tokio::test]
async fn list_policies_pages_across_types() {
    let f = fixture().await;
    let doc = allow(&["oss:GetObject"], &["*"]);
    for name in ["zeta", "Alpha"] {
        f.root_ok(
            "CreatePolicy",
            &[("PolicyName", name), ("PolicyDocument", &doc)],
        )
        .await;
    }
    let system_count = ossd_policy::system_policies().len();
    let mut names = Vec::new();
    let mut marker = String::new();
    loop {
        let page = f
            .root_ok("ListPolicies", &[("MaxItems", "4"), ("Marker", &marker)])
            .await;
        names.extend(names_at(&page, "/Policies/Policy", "PolicyName"));
        if page["IsTruncated"] == false {
            break;
        }
        marker = str_at(&page, "/Marker");
    }
    assert_eq!(names.len(), system_count + 2);
    assert_eq!(names[system_count..], ["Alpha", "zeta"]);
    let custom = f.root_ok("ListPolicies", &[("PolicyType", "Custom")]).await;
    assert_eq!(
        names_at(&custom, "/Policies/Policy", "PolicyName"),
        ["Alpha", "zeta"]
    );
}
