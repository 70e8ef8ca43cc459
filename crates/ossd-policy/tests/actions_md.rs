//! `ACTIONS.md` is generated from the OSS action table; this test fails when it is stale.
//! `OSSD_BLESS=1 cargo test -p ossd-policy --test actions_md` rewrites it.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

use ossd_policy::{
    Access, Decision, Policy, PolicyKind, Request, RequestContext, ResourceLevel, actions_markdown,
    evaluate, oss_action, oss_actions, system_policy,
};

#[test]
fn actions_md_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ACTIONS.md");
    let want = actions_markdown();
    if std::env::var_os("OSSD_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ACTIONS.md is stale: run `OSSD_BLESS=1 cargo test -p ossd-policy --test actions_md`"
    );
}

#[test]
fn operations_are_unique_and_well_formed() {
    let mut seen = BTreeSet::new();
    for row in oss_actions() {
        assert!(
            seen.insert(row.operation.to_ascii_lowercase()),
            "duplicate {}",
            row.operation
        );
        assert!(row.action.starts_with("oss:"), "{}", row.operation);
        if let Some(v) = row.version_action {
            assert!(
                v.starts_with("oss:") && v.contains("Version"),
                "{}",
                row.operation
            );
        }
        if row.resource == ResourceLevel::Service {
            assert_eq!(row.access, Access::Management, "{}", row.operation);
        }
    }
}

#[test]
fn named_operations_exist() {
    let expect = [
        ("GetObject", "oss:GetObject", ResourceLevel::Object),
        ("PutObject", "oss:PutObject", ResourceLevel::Object),
        ("ListObjects", "oss:ListObjects", ResourceLevel::Bucket),
        ("ListObjectsV2", "oss:ListObjects", ResourceLevel::Bucket),
        ("GetBucketInfo", "oss:GetBucketInfo", ResourceLevel::Bucket),
        (
            "DeleteMultipleObjects",
            "oss:DeleteObject",
            ResourceLevel::Object,
        ),
        ("AppendObject", "oss:PutObject", ResourceLevel::Object),
        ("PutSymlink", "oss:PutObject", ResourceLevel::Object),
        ("CopyObject", "oss:PutObject", ResourceLevel::Object),
        (
            "InitiateMultipartUpload",
            "oss:PutObject",
            ResourceLevel::Object,
        ),
        ("UploadPartCopy", "oss:PutObject", ResourceLevel::Object),
        ("ListBuckets", "oss:ListBuckets", ResourceLevel::Service),
        (
            "PutBucketTags",
            "oss:PutBucketTagging",
            ResourceLevel::Bucket,
        ),
        (
            "ListBucketInventory",
            "oss:GetBucketInventory",
            ResourceLevel::Bucket,
        ),
        (
            "GetLiveChannelInfo",
            "oss:GetLiveChannel",
            ResourceLevel::Object,
        ),
        ("ImgSaveAs", "oss:PostProcessTask", ResourceLevel::Object),
    ];
    for (operation, action, level) in expect {
        let row = oss_action(operation).unwrap_or_else(|| panic!("missing {operation}"));
        assert_eq!((row.action, row.resource), (action, level), "{operation}");
    }
    assert_eq!(
        oss_action("putobjectacl").map(|r| r.action),
        Some("oss:PutObjectAcl")
    );
    assert_eq!(
        oss_action("GetObjectACL").map(|r| r.action_for(true)),
        Some("oss:GetObjectVersionAcl")
    );
    assert!(oss_action("NoSuchOperation").is_none());
    // Every read of a named object version is `oss:GetObjectVersion`, GetSymlink's too.
    for read in ["GetObject", "HeadObject", "GetObjectMeta", "GetSymlink"] {
        assert_eq!(
            oss_action(read).map(|r| r.action_for(true)),
            Some("oss:GetObjectVersion"),
            "{read}"
        );
    }
}

/// Every `Get*` / `List*` action is read-only access, and full access covers every action.
#[test]
fn system_policies_cover_the_table() {
    let parse = |name| Policy::parse(system_policy(name).unwrap().2, PolicyKind::Identity).unwrap();
    let (read_only, full) = (
        parse("AliyunOSSReadOnlyAccess"),
        parse("AliyunOSSFullAccess"),
    );
    let ctx = RequestContext::new();
    for row in oss_actions() {
        for action in [Some(row.action), row.version_action].into_iter().flatten() {
            let request = Request::new(action, "acs:oss:*:1:b/k", &ctx);
            assert_eq!(
                evaluate(&[&full], &request).decision,
                Decision::Allow,
                "{action}"
            );
            let read = action.starts_with("oss:Get") || action.starts_with("oss:List");
            let got = evaluate(&[&read_only], &request).decision == Decision::Allow;
            assert_eq!(got, read, "{action}");
        }
    }
}
