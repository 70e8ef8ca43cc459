//! Attach/Detach to users, groups and roles; ListPoliciesFor*; ListEntitiesForPolicy; limits.

use super::common::{allow, fixture, names_at, str_at, trust_account};

#[tokio::test]
async fn attachments_both_directions() {
    let f = fixture().await;
    let doc = allow(&["oss:GetObject"], &["*"]);
    f.root_ok(
        "CreatePolicy",
        &[("PolicyName", "Reader"), ("PolicyDocument", &doc)],
    )
    .await;
    f.root_ok("CreateUser", &[("UserName", "u")]).await;
    f.root_ok("CreateGroup", &[("GroupName", "g")]).await;
    f.root_ok(
        "CreateRole",
        &[
            ("RoleName", "r"),
            ("AssumeRolePolicyDocument", &trust_account()),
        ],
    )
    .await;
    for kind in ["User", "Group", "Role"] {
        let name = &kind[..1].to_lowercase();
        f.attach(kind, name, "Custom", "reader").await;
        f.attach(kind, name, "System", "AliyunOSSReadOnlyAccess")
            .await;
        let param = format!("{kind}Name");
        let again = [
            (param.as_str(), name.as_str()),
            ("PolicyType", "Custom"),
            ("PolicyName", "Reader"),
        ];
        let code = f.root_err(&format!("AttachPolicyTo{kind}"), &again).await;
        assert_eq!(code, format!("EntityAlreadyExists.{kind}.Policy"));
        let listed = f
            .root_ok(
                &format!("ListPoliciesFor{kind}"),
                &[(param.as_str(), name.as_str())],
            )
            .await;
        assert_eq!(
            names_at(&listed, "/Policies/Policy", "PolicyName"),
            ["Reader", "AliyunOSSReadOnlyAccess"]
        );
        assert_eq!(
            str_at(&listed, "/Policies/Policy/0/AttachDate"),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(str_at(&listed, "/Policies/Policy/0/DefaultVersion"), "v1");
        assert_eq!(str_at(&listed, "/Policies/Policy/1/PolicyType"), "System");
    }
    let entities = f
        .root_ok(
            "ListEntitiesForPolicy",
            &[("PolicyName", "Reader"), ("PolicyType", "Custom")],
        )
        .await;
    assert_eq!(names_at(&entities, "/Users/User", "UserName"), ["u"]);
    assert_eq!(names_at(&entities, "/Groups/Group", "GroupName"), ["g"]);
    assert_eq!(names_at(&entities, "/Roles/Role", "RoleName"), ["r"]);
    let got = f
        .root_ok(
            "GetPolicy",
            &[("PolicyName", "Reader"), ("PolicyType", "Custom")],
        )
        .await;
    assert_eq!(got["Policy"]["AttachmentCount"], 3);
    let sys = f
        .root_ok(
            "GetPolicy",
            &[
                ("PolicyName", "AliyunOSSReadOnlyAccess"),
                ("PolicyType", "System"),
            ],
        )
        .await;
    assert_eq!(sys["Policy"]["AttachmentCount"], 3);
    assert_eq!(
        f.root_err("DeletePolicy", &[("PolicyName", "Reader")])
            .await,
        "DeleteConflict.Policy.User"
    );
    for kind in ["User", "Group", "Role"] {
        let param = format!("{kind}Name");
        let name = kind[..1].to_lowercase();
        let pairs = [
            (param.as_str(), name.as_str()),
            ("PolicyType", "Custom"),
            ("PolicyName", "Reader"),
        ];
        f.root_ok(&format!("DetachPolicyFrom{kind}"), &pairs).await;
        let code = f.root_err(&format!("DetachPolicyFrom{kind}"), &pairs).await;
        assert_eq!(code, format!("EntityNotExist.{kind}.Policy"));
    }
    f.root_ok("DeletePolicy", &[("PolicyName", "Reader")]).await;
}

#[tokio::test]
async fn attach_errors_and_limits() {
    let f = fixture().await;
    f.root_ok("CreateUser", &[("UserName", "u")]).await;
    let base = |ptype: &'static str, name: &'static str| {
        [
            ("UserName", "u"),
            ("PolicyType", ptype),
            ("PolicyName", name),
        ]
    };
    assert_eq!(
        f.root_err("AttachPolicyToUser", &base("Other", "x")).await,
        "InvalidParameter.PolicyType"
    );
    assert_eq!(
        f.root_err("AttachPolicyToUser", &base("Custom", "nope"))
            .await,
        "EntityNotExist.Policy"
    );
    assert_eq!(
        f.root_err("AttachPolicyToUser", &base("System", "Nope"))
            .await,
        "EntityNotExist.Policy"
    );
    let rg = [
        ("UserName", "u"),
        ("PolicyType", "System"),
        ("PolicyName", "AdministratorAccess"),
        ("ResourceGroupId", "rg-1"),
    ];
    assert_eq!(
        f.root_err("AttachPolicyToUser", &rg).await,
        "InvalidParameter.ResourceGroupId"
    );
    let nobody = [
        ("UserName", "x"),
        ("PolicyType", "System"),
        ("PolicyName", "AdministratorAccess"),
    ];
    assert_eq!(
        f.root_err("AttachPolicyToUser", &nobody).await,
        "EntityNotExist.User"
    );
    let doc = allow(&["oss:GetObject"], &["*"]);
    for n in 0..11 {
        let name = format!("p{n}");
        f.root_ok(
            "CreatePolicy",
            &[("PolicyName", &name), ("PolicyDocument", &doc)],
        )
        .await;
        let pairs = [
            ("UserName", "u"),
            ("PolicyType", "Custom"),
            ("PolicyName", name.as_str()),
        ];
        let result = f.ram(&f.root, "AttachPolicyToUser", &pairs).await;
        if n < 10 {
            result.expect("within the limit");
        } else {
            assert_eq!(result.expect_err("limit").code, "LimitExceeded.User.Policy");
        }
    }
    f.attach("User", "u", "System", "AdministratorAccess").await;
}
