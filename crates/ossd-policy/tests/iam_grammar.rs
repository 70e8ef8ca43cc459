//! The IAM grammar (docs/protocol/iam-grammar.md): each mapping on its own, then twins — an
//! IAM-grammar identity, session, bucket and trust policy decides every request of a matrix as its
//! RAM-grammar twin does — and the validation errors of bad IAM-grammar documents.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::{IpAddr, Ipv4Addr};

use common::*;
use ossd_policy::{
    Authorization, Caller, Decision, OssTarget, Policy, PolicyKind, Request, RequestContext,
    RoleTarget, Subject, action_matches, authorize_assume_role, authorize_identity, authorize_oss,
    authorize_session, evaluate, oss_actions, ram_role_arn, resource_matches, rows, s3_action,
    s3_aliases,
};
use time::macros::datetime;

/// An IAM-grammar document from statement objects.
fn iam(statements: &[&str]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Id":"twin","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// The decision as compared between twins: allowed, deny reason, deciding statement.
fn outcome(a: &Authorization) -> (bool, Option<ossd_policy::DenyReason>, Option<usize>) {
    (
        a.is_allowed(),
        a.deny_reason(),
        a.matched.as_ref().map(|m| m.statement_index),
    )
}

// ---- actions ----

#[test]
fn s3_action_names_follow_the_brief_and_the_aws_list() {
    let cases = [
        (rows::GetObject, false, "s3:GetObject"),
        (rows::GetObject, true, "s3:GetObjectVersion"),
        (rows::HeadObject, false, "s3:GetObject"),
        (rows::ListObjects, false, "s3:ListBucket"),
        (rows::ListObjectsV2, false, "s3:ListBucket"),
        (rows::ListBuckets, false, "s3:ListAllMyBuckets"),
        (rows::PutBucket, false, "s3:CreateBucket"),
        (rows::ListObjectVersions, false, "s3:ListBucketVersions"),
        (rows::ListParts, false, "s3:ListMultipartUploadParts"),
        (
            rows::ListMultipartUploads,
            false,
            "s3:ListBucketMultipartUploads",
        ),
        (rows::InitiateMultipartUpload, false, "s3:PutObject"),
        (rows::UploadPart, false, "s3:PutObject"),
        (rows::CompleteMultipartUpload, false, "s3:PutObject"),
        (rows::AbortMultipartUpload, false, "s3:AbortMultipartUpload"),
        (rows::GetBucketCors, false, "s3:GetBucketCORS"),
        (rows::PutBucketCors, false, "s3:PutBucketCORS"),
        (rows::DeleteBucketCors, false, "s3:PutBucketCORS"),
        (rows::GetBucketTags, false, "s3:GetBucketTagging"),
        (rows::DeleteBucketTags, false, "s3:PutBucketTagging"),
        (
            rows::PutBucketLifecycle,
            false,
            "s3:PutLifecycleConfiguration",
        ),
        (rows::DeleteObject, true, "s3:DeleteObjectVersion"),
        (rows::PutObjectAcl, true, "s3:PutObjectVersionAcl"),
        (rows::GetObjectTagging, false, "s3:GetObjectTagging"),
        (rows::GetBucketVersioning, false, "s3:GetBucketVersioning"),
        (rows::GetBucketPolicy, false, "s3:GetBucketPolicy"),
    ];
    for (row, versioned, s3) in cases {
        assert_eq!(row.s3_action_for(versioned), Some(s3), "{}", row.operation);
    }
    assert_eq!(rows::PutStyle.s3_action_for(false), None);
    assert_eq!(rows::GetBucketInfo.s3_action_for(false), None);
}

#[test]
fn every_alias_names_an_action_of_the_map() {
    for alias in s3_aliases() {
        let used = oss_actions()
            .iter()
            .any(|row| row.action == alias.ram || row.version_action == Some(alias.ram));
        assert!(used, "{} is in no row of the OSS action map", alias.ram);
        assert_eq!(s3_action(alias.ram), Some(alias.s3));
    }
}

#[test]
fn s3_patterns_match_the_s3_name_with_wildcards_and_any_case() {
    assert!(action_matches("s3:GetObject", "oss:GetObject"));
    assert!(action_matches("S3:getobject", "OSS:GETOBJECT"));
    assert!(action_matches("s3:Get*", "oss:GetObject"));
    assert!(action_matches("s3:Get*", "oss:GetBucketCors"));
    assert!(action_matches("s3:*", "oss:PutObject"));
    assert!(action_matches("s3:ListBucket", "oss:ListObjects"));
    assert!(action_matches("s3:ListBucket*", "oss:ListObjectVersions"));
    assert!(action_matches("s3:PutBucketCORS", "oss:DeleteBucketCors"));
    assert!(action_matches("s3:?etObject", "oss:GetObject"));
    // The S3 name, not the RAM name, is what an s3: pattern sees.
    assert!(!action_matches("s3:ListObjects", "oss:ListObjects"));
    assert!(!action_matches("s3:GetObject", "oss:GetObjectVersion"));
    assert!(!action_matches("s3:Get*", "oss:PutObject"));
    assert!(!action_matches("s3:*", "oss:PutStyle"));
    assert!(!action_matches("s3:*", "ram:CreateUser"));
    // And RAM patterns never see S3 names.
    assert!(!action_matches("oss:CreateBucket", "oss:PutBucket"));
    // sts:AssumeRole is one action in both grammars.
    assert!(action_matches("sts:AssumeRole", "sts:AssumeRole"));
}

// ---- resources ----

#[test]
fn s3_and_iam_arns_match_like_their_ram_forms() {
    let object = format!("acs:oss:cn-hangzhou:{ACCT}:b/dir/k");
    let bucket = format!("acs:oss::{ACCT}:b");
    assert!(resource_matches("arn:aws:s3:::b/*", &object));
    assert!(resource_matches("arn:aws:s3:::b/dir/*", &object));
    assert!(resource_matches("arn:aws:s3:::b/dir/k", &object));
    assert!(resource_matches("arn:aws:s3:::b", &bucket));
    assert!(resource_matches("arn:aws:s3:::*", &bucket));
    assert!(resource_matches("arn:aws:s3:::b*", &object));
    assert!(!resource_matches("arn:aws:s3:::b", &object));
    assert!(!resource_matches("arn:aws:s3:::b/*", &bucket));
    assert!(!resource_matches("arn:aws:s3:::c/*", &object));
    assert!(
        !resource_matches("arn:aws:s3:::B/*", &object),
        "case-sensitive"
    );
    assert!(resource_matches(
        "arn:aws:s3:::b/a:b",
        &format!("acs:oss::{ACCT}:b/a:b")
    ));
    let role = ram_role_arn(ACCT, "reader");
    assert!(resource_matches(
        &format!("arn:aws:iam::{ACCT}:role/reader"),
        &role
    ));
    assert!(resource_matches("arn:aws:iam::*:role/*", &role));
    assert!(!resource_matches(
        &format!("arn:aws:iam::{OTHER}:role/reader"),
        &role
    ));
    assert!(!resource_matches("arn:aws:s3:::b/*", &role));
}

// ---- condition keys ----

/// Whether `condition` (the inside of a `Condition` block) holds for `ctx` and `caller`.
fn holds(condition: &str, ctx: &RequestContext, caller: Option<&Caller>) -> bool {
    let text = iam(&[&stmt_if("Allow", "s3:*", "*", condition)]);
    let policy = Policy::parse(&text, PolicyKind::Identity).unwrap();
    let mut request = Request::new("oss:GetObject", "acs:oss::1:b/k", ctx);
    if let Some(caller) = caller {
        request = request.with_caller(caller);
    }
    evaluate(&[&policy], &request).decision == Decision::Allow
}

#[test]
fn aws_and_s3_keys_read_their_ram_twins() {
    let now = datetime!(2026-01-02 03:04:05 UTC);
    let ctx = RequestContext::at(now)
        .with_source_ip(IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3)))
        .with_secure_transport(true)
        .with_user_agent("boto3/1.40")
        .with_referer("https://example.com/")
        .with_prefix("home/alice/")
        .with_delimiter("/")
        .with_max_keys("100")
        .with_existing_object_tag("team", "blue")
        .with_request_object_tag("Stage", "prod");
    let yes = [
        r#""IpAddress":{"aws:SourceIp":"10.0.0.0/8"}"#,
        r#""Bool":{"aws:SecureTransport":"true"}"#,
        r#""DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}"#,
        r#""NumericEquals":{"aws:EpochTime":"1767323045"}"#,
        r#""StringLike":{"aws:UserAgent":"boto3/*"}"#,
        r#""StringEquals":{"aws:Referer":"https://example.com/"}"#,
        r#""StringLike":{"s3:prefix":"home/alice/*"}"#,
        r#""StringEquals":{"s3:delimiter":"/"}"#,
        r#""NumericLessThanEquals":{"s3:max-keys":"1000"}"#,
        r#""StringEquals":{"s3:ExistingObjectTag/team":"blue"}"#,
        r#""StringEquals":{"S3:requestobjecttag/Stage":"prod"}"#,
    ];
    for condition in yes {
        assert!(holds(condition, &ctx, None), "{condition}");
    }
    let no = [
        r#""NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}"#,
        r#""Bool":{"aws:SecureTransport":"false"}"#,
        r#""StringEquals":{"s3:ExistingObjectTag/Team":"blue"}"#,
        r#""NumericGreaterThan":{"s3:max-keys":"100"}"#,
    ];
    for condition in no {
        assert!(!holds(condition, &ctx, None), "{condition}");
    }
}

#[test]
fn if_exists_operators_hold_when_the_key_is_absent() {
    let referer = RequestContext::new().with_referer("http://www.example.com/index.html");
    let other = RequestContext::new().with_referer("http://example.com");
    let none = RequestContext::new();
    let like = r#""StringLikeIfExists":{"aws:Referer":"http://www.example.com/*"}"#;
    assert!(holds(like, &referer, None));
    assert!(!holds(like, &other, None));
    assert!(holds(like, &none, None), "absent: IfExists holds");
    let plain = r#""StringLike":{"aws:Referer":"http://www.example.com/*"}"#;
    assert!(
        !holds(plain, &none, None),
        "absent: the plain operator does not"
    );
    // the negated form keeps its meaning when the key is present
    let not = r#""StringNotEqualsIfExists":{"aws:Referer":"http://example.com"}"#;
    assert!(!holds(not, &other, None));
    assert!(holds(not, &referer, None));
    assert!(holds(not, &none, None));
    // other families too
    let ip = RequestContext::new().with_source_ip(IpAddr::V4(Ipv4Addr::new(8, 8, 8, 8)));
    let in_ten = r#""IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}"#;
    assert!(!holds(in_ten, &ip, None));
    assert!(holds(in_ten, &none, None));
}

#[test]
fn null_tests_whether_the_key_is_present() {
    let sse = RequestContext::new().with("s3:x-amz-server-side-encryption", ["AES256"]);
    let none = RequestContext::new();
    let absent = r#""Null":{"s3:x-amz-server-side-encryption":"true"}"#;
    let present = r#""Null":{"s3:x-amz-server-side-encryption":false}"#;
    assert!(holds(absent, &none, None));
    assert!(!holds(absent, &sse, None));
    assert!(holds(present, &sse, None));
    assert!(!holds(present, &none, None));
    // a key derived from the caller is present for a RAM user only
    let alice = user(ACCT, "2001", "alice");
    let name_absent = r#""Null":{"aws:username":"true"}"#;
    assert!(!holds(name_absent, &none, Some(&alice)));
    assert!(holds(name_absent, &none, Some(&root(ACCT))));
}

#[test]
fn s3_header_keys_read_the_values_set_for_them() {
    let copy = RequestContext::new()
        .with("s3:x-amz-copy-source", ["src/public/foo"])
        .with("s3:x-amz-metadata-directive", ["COPY"])
        .with("s3:x-amz-grant-full-control", ["id=owner"]);
    assert!(holds(
        r#""StringLike":{"s3:x-amz-copy-source":"src/public/*"}"#,
        &copy,
        None
    ));
    assert!(!holds(
        r#""StringLike":{"s3:x-amz-copy-source":"src/private/*"}"#,
        &copy,
        None
    ));
    assert!(holds(
        r#""StringEquals":{"s3:x-amz-metadata-directive":"COPY"}"#,
        &copy,
        None
    ));
    assert!(holds(
        r#""StringEquals":{"s3:x-amz-grant-full-control":"id=owner"}"#,
        &copy,
        None
    ));
    // never a match when the request does not carry the header
    let none = RequestContext::new();
    for key in ossd_policy::keys::S3_HEADER_KEYS {
        let cond = format!(r#""StringLike":{{"{key}":"*"}}"#);
        assert!(!holds(&cond, &none, None), "{key}");
        assert!(
            holds(&cond, &RequestContext::new().with(key, ["v"]), None),
            "{key}"
        );
    }
}

#[test]
fn x_amz_acl_reads_the_object_acl_header_else_the_bucket_one() {
    let cond = r#""StringEquals":{"s3:x-amz-acl":"private"}"#;
    let object = RequestContext::new().with_x_oss_object_acl("private");
    let bucket = RequestContext::new().with_x_oss_acl("private");
    let both = RequestContext::new()
        .with_x_oss_object_acl("public-read")
        .with_x_oss_acl("private");
    assert!(holds(cond, &object, None));
    assert!(holds(cond, &bucket, None));
    assert!(
        !holds(cond, &both, None),
        "the object ACL header counts first"
    );
    assert!(!holds(cond, &RequestContext::new(), None));
    assert!(holds(
        r#""StringNotEquals":{"s3:x-amz-acl":"private"}"#,
        &RequestContext::new(),
        None
    ));
}

#[test]
fn principal_arn_and_username_come_from_the_caller() {
    let ctx = RequestContext::new();
    let alice = user(ACCT, "2001", "alice");
    let reader = session(ACCT, "reader", "s1");
    let owner = root(ACCT);
    let arn_like = format!(r#""ArnLike":{{"aws:PrincipalArn":"arn:aws:iam::{ACCT}:role/*"}}"#);
    assert!(holds(&arn_like, &ctx, Some(&reader)));
    assert!(!holds(&arn_like, &ctx, Some(&alice)));
    let arn_eq = format!(r#""ArnEquals":{{"aws:PrincipalArn":"arn:aws:iam::{ACCT}:user/alice"}}"#);
    assert!(holds(&arn_eq, &ctx, Some(&alice)));
    let root_arn = format!(r#""StringEquals":{{"aws:PrincipalArn":"arn:aws:iam::{ACCT}:root"}}"#);
    assert!(holds(&root_arn, &ctx, Some(&owner)));
    let name = r#""StringEquals":{"aws:username":"alice"}"#;
    assert!(holds(name, &ctx, Some(&alice)));
    assert!(
        !holds(name, &ctx, Some(&reader)),
        "absent for role sessions"
    );
    assert!(!holds(name, &ctx, None), "absent without a caller");
    let not_name = r#""StringNotEquals":{"aws:username":"alice"}"#;
    assert!(holds(not_name, &ctx, Some(&reader)));
}

// ---- twins ----

/// The request matrix: (RAM action, resource, context). Only actions with an S3 twin: `s3:*`
/// cannot cover an OSS-only action (see [`s3_wildcards_leave_oss_only_actions_alone`]).
fn matrix() -> Vec<(&'static str, String, RequestContext)> {
    let actions = [
        "oss:GetObject",
        "oss:GetObjectVersion",
        "oss:PutObject",
        "oss:DeleteObject",
        "oss:ListObjects",
        "oss:GetBucketCors",
        "oss:PutBucketCors",
    ];
    let resources = [
        format!("acs:oss::{ACCT}:b"),
        format!("acs:oss::{ACCT}:b/k"),
        format!("acs:oss::{ACCT}:b/private/k"),
        format!("acs:oss::{ACCT}:other"),
        format!("acs:oss::{ACCT}:other/k"),
    ];
    let contexts = [
        RequestContext::new()
            .with_source_ip(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)))
            .with_secure_transport(true)
            .with_prefix("home/x"),
        RequestContext::new()
            .with_source_ip(IpAddr::V4(Ipv4Addr::new(192, 168, 0, 1)))
            .with_secure_transport(false)
            .with_prefix("tmp/"),
        RequestContext::new().with_user_agent("blocked-agent"),
    ];
    let mut out = Vec::new();
    for action in actions {
        for resource in &resources {
            for ctx in &contexts {
                out.push((action, resource.clone(), ctx.clone()));
            }
        }
    }
    out
}

/// The identity policy of the twin tests, in RAM grammar.
const IDENTITY_RAM: &str = r#"{"Version":"1","Statement":[
 {"Effect":"Allow","Action":["oss:GetObject","oss:ListObjects"],"Resource":["acs:oss:*:*:b","acs:oss:*:*:b/*"],
  "Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}}},
 {"Effect":"Allow","Action":"oss:PutObject","Resource":"acs:oss:*:*:b/*","Condition":{"Bool":{"acs:SecureTransport":"true"}}},
 {"Effect":"Deny","Action":"oss:*","Resource":"acs:oss:*:*:b/private/*"},
 {"Effect":"Allow","Action":["oss:ListObjects","oss:GetBucketCors"],"Resource":"acs:oss:*:*:other","Condition":{"StringLike":{"oss:Prefix":"home/*"}}},
 {"Effect":"Deny","NotAction":["oss:GetObject","oss:GetObjectVersion"],"Resource":"acs:oss:*:*:other/*"},
 {"Effect":"Deny","Action":"oss:*","Resource":"*","Condition":{"StringEquals":{"acs:UserAgent":"blocked-agent"}}}
]}"#;

/// Its IAM-grammar twin.
const IDENTITY_IAM: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
  "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
 {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},
 {"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::b/private/*"},
 {"Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketCORS"],"Resource":"arn:aws:s3:::other","Condition":{"StringLike":{"s3:prefix":"home/*"}}},
 {"Effect":"Deny","NotAction":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::other/*"},
 {"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:UserAgent":"blocked-agent"}}}
]}"#;

#[test]
fn identity_policy_twins_decide_alike() {
    let ram = load(IDENTITY_RAM, PolicyKind::Identity);
    let aws = load(IDENTITY_IAM, PolicyKind::Identity);
    let (mut allowed, mut denied) = (0, 0);
    for (action, resource, ctx) in matrix() {
        let request = Request::new(action, &resource, &ctx);
        let (a, b) = (
            authorize_identity(&[&ram], &request),
            authorize_identity(&[&aws], &request),
        );
        assert_eq!(outcome(&a), outcome(&b), "{action} {resource} {ctx:?}");
        if a.is_allowed() {
            allowed += 1;
        } else {
            denied += 1;
        }
    }
    assert!(
        allowed > 5 && denied > 5,
        "{allowed} allowed, {denied} denied"
    );
}

#[test]
fn s3_wildcards_leave_oss_only_actions_alone() {
    let ram = load(IDENTITY_RAM, PolicyKind::Identity);
    let aws = load(IDENTITY_IAM, PolicyKind::Identity);
    let ctx = RequestContext::new().with_user_agent("blocked-agent");
    let resource = format!("acs:oss::{ACCT}:b");
    let request = Request::new("oss:PutStyle", &resource, &ctx);
    let explicit = |p: &Policy| evaluate(&[p], &request).decision;
    assert_eq!(
        explicit(&ram),
        Decision::ExplicitDeny,
        "oss:* names PutStyle"
    );
    assert_eq!(explicit(&aws), Decision::ImplicitDeny, "s3:* does not");
}

#[test]
fn session_policy_twins_decide_alike() {
    let ram = load(
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["oss:GetObject","oss:ListObjects"],"Resource":["acs:oss:*:*:b","acs:oss:*:*:b/*"]},
           {"Effect":"Deny","Action":"oss:GetObject*","Resource":"acs:oss:*:*:b/private/*"}]}"#,
        PolicyKind::Session,
    );
    let aws = load(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]},
           {"Effect":"Deny","Action":"s3:GetObject*","Resource":"arn:aws:s3:::b/private/*"}]}"#,
        PolicyKind::Session,
    );
    let role = load("AliyunOSSFullAccess", PolicyKind::Identity);
    let mut allowed = 0;
    for (action, resource, ctx) in matrix() {
        let request = Request::new(action, &resource, &ctx);
        let (a, b) = (
            authorize_session(Some(&ram), &[&role], &request),
            authorize_session(Some(&aws), &[&role], &request),
        );
        assert_eq!(outcome(&a), outcome(&b), "{action} {resource}");
        allowed += usize::from(a.is_allowed());
    }
    assert!(allowed > 0);
}

#[test]
fn bucket_policy_twins_decide_alike() {
    let ram = load(
        &doc(&[
            &bucket_stmt(
                "Allow",
                r#"["*"]"#,
                "oss:GetObject",
                "acs:oss:*:*:b/pub/*",
                None,
            ),
            &bucket_stmt(
                "Allow",
                &format!(r#"["{OTHER}"]"#),
                "oss:ListObjects",
                "acs:oss:*:*:b",
                None,
            ),
            &bucket_stmt(
                "Allow",
                r#"["2001"]"#,
                "oss:PutObject|oss:GetObject",
                "acs:oss:*:*:b/*",
                None,
            ),
            &bucket_stmt(
                "Allow",
                &format!(r#"["arn:sts::{ACCT}:assumed-role/reader/*"]"#),
                "oss:GetObject",
                "acs:oss:*:*:b/*",
                Some(r#""IpAddress":{"acs:SourceIp":"10.0.0.0/8"}"#),
            ),
            &bucket_stmt(
                "Deny",
                &format!(r#"["arn:sts::{ACCT}:assumed-role/reader/s2"]"#),
                "oss:*",
                "acs:oss:*:*:b/*",
                None,
            ),
        ]),
        PolicyKind::Bucket,
    );
    let aws = load(
        &iam(&[
            &bucket_stmt(
                "Allow",
                r#"{"AWS":"*"}"#,
                "s3:GetObject",
                "arn:aws:s3:::b/pub/*",
                None,
            ),
            &bucket_stmt(
                "Allow",
                &format!(r#"{{"AWS":["arn:aws:iam::{OTHER}:root"]}}"#),
                "s3:ListBucket",
                "arn:aws:s3:::b",
                None,
            ),
            &bucket_stmt(
                "Allow",
                &format!(r#"{{"AWS":"arn:aws:iam::{ACCT}:user/Alice"}}"#),
                "s3:PutObject|s3:GetObject",
                "arn:aws:s3:::b/*",
                None,
            ),
            &bucket_stmt(
                "Allow",
                &format!(r#"{{"AWS":"arn:aws:iam::{ACCT}:role/reader"}}"#),
                "s3:GetObject",
                "arn:aws:s3:::b/*",
                Some(r#""IpAddress":{"aws:SourceIp":"10.0.0.0/8"}"#),
            ),
            &bucket_stmt(
                "Deny",
                &format!(r#"{{"AWS":"arn:aws:sts::{ACCT}:assumed-role/reader/s2"}}"#),
                "s3:*",
                "arn:aws:s3:::b/*",
                None,
            ),
        ]),
        PolicyKind::Bucket,
    );
    let callers = [
        Caller::Anonymous,
        root(ACCT),
        root(OTHER),
        user(ACCT, "2001", "alice"),
        user(ACCT, "2002", "bob"),
        user(OTHER, "3001", "carol"),
        session(ACCT, "reader", "s1"),
        session(ACCT, "reader", "s2"),
        session(ACCT, "writer", "s1"),
    ];
    let mut allowed = 0;
    for caller in &callers {
        for (action, resource, ctx) in matrix() {
            let request = Request::new(action, &resource, &ctx);
            let decide = |policy: &Policy| {
                let subject = Subject {
                    caller,
                    identity: &[],
                    session: None,
                };
                let target = OssTarget {
                    bucket_owner: ACCT,
                    bucket_policy: Some(policy),
                    acl_allows: false,
                    public_access: ossd_policy::PublicAccessBlock::default(),
                };
                authorize_oss(&subject, &target, &request)
            };
            let (a, b) = (decide(&ram), decide(&aws));
            assert_eq!(outcome(&a), outcome(&b), "{caller:?} {action} {resource}");
            allowed += usize::from(a.is_allowed());
        }
    }
    assert!(allowed > 20, "{allowed}");
}

#[test]
fn trust_policy_twins_decide_alike() {
    let principals = format!(r#"["acs:ram::{ACCT}:user/alice","acs:ram::{ACCT}:role/chain"]"#);
    let ram_text = doc(&[&format!(
        r#"{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{{"RAM":{principals}}},
             "Condition":{{"StringEquals":{{"sts:ExternalId":"ext-1"}}}}}}"#
    )]);
    let aws_text = iam(&[&format!(
        r#"{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{{"AWS":["arn:aws:iam::{ACCT}:user/alice","arn:aws:iam::{ACCT}:role/chain"]}},
             "Condition":{{"StringEquals":{{"sts:ExternalId":"ext-1"}}}}}}"#
    )]);
    let (ram, aws) = (
        load(&ram_text, PolicyKind::Trust),
        load(&aws_text, PolicyKind::Trust),
    );
    let may_assume = load(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/*"}]}"#,
        PolicyKind::Identity,
    );
    let callers = [
        user(ACCT, "2001", "alice"),
        user(ACCT, "2002", "bob"),
        user(OTHER, "3001", "alice"),
        session(ACCT, "chain", "s"),
        session(ACCT, "other", "s"),
        root(ACCT),
    ];
    let contexts = [
        RequestContext::new().with_external_id("ext-1"),
        RequestContext::new().with_external_id("wrong"),
        RequestContext::new(),
    ];
    let mut allowed = 0;
    for caller in &callers {
        for ctx in &contexts {
            let decide = |trust: &Policy| {
                let subject = Subject {
                    caller,
                    identity: &[&may_assume],
                    session: None,
                };
                let role = RoleTarget {
                    account_id: ACCT,
                    role_name: "target",
                    trust_policy: trust,
                };
                authorize_assume_role(&subject, &role, ctx)
            };
            let (a, b) = (decide(&ram), decide(&aws));
            assert_eq!(outcome(&a), outcome(&b), "{caller:?} {ctx:?}");
            allowed += usize::from(a.is_allowed());
        }
    }
    assert_eq!(
        allowed, 2,
        "alice and the chain session, with the right ExternalId"
    );
}

// ---- validation ----

#[test]
fn bad_iam_grammar_documents_are_rejected_with_clear_messages() {
    let stmt_with = |extra: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"{extra}}}]}}"#
        )
    };
    let bucket_with = |principal: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}]}}"#
        )
    };
    let trust_with = |principal: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"sts:AssumeRole"}}]}}"#
        )
    };
    let cases: Vec<(&str, String, PolicyKind, &str)> = vec![
        (
            "old version",
            stmt_with("").replace("2012-10-17", "2008-10-17"),
            PolicyKind::Identity,
            r#""Version" must be "1" or "2012-10-17""#,
        ),
        (
            "Id in a RAM document",
            stmt_with("")
                .replace("2012-10-17", "1")
                .replacen('{', r#"{"Id":"x","#, 1),
            PolicyKind::Identity,
            r#"unknown element "Id""#,
        ),
        (
            "Id not a string",
            stmt_with("").replacen('{', r#"{"Id":5,"#, 1),
            PolicyKind::Identity,
            r#""Id" must be a string"#,
        ),
        (
            "S3 ARN with region",
            stmt_with("").replace("arn:aws:s3:::b/*", "arn:aws:s3:us-east-1::b/*"),
            PolicyKind::Identity,
            r#"invalid resource "arn:aws:s3:us-east-1::b/*": expected arn:aws:s3:::{bucket}[/{key}]"#,
        ),
        (
            "empty S3 ARN",
            stmt_with("").replace("arn:aws:s3:::b/*", "arn:aws:s3:::"),
            PolicyKind::Identity,
            "expected arn:aws:s3:::{bucket}[/{key}]",
        ),
        (
            "IAM ARN without account separator",
            stmt_with("").replace("arn:aws:s3:::b/*", "arn:aws:iam::role/x"),
            PolicyKind::Identity,
            "expected arn:aws:iam::{account}:{user|role}/{name}",
        ),
        (
            "unknown aws key",
            stmt_with(r#","Condition":{"StringEquals":{"aws:RequestedRegion":"x"}}"#),
            PolicyKind::Identity,
            r#"unknown condition key "aws:RequestedRegion""#,
        ),
        (
            "principal in an identity policy",
            stmt_with(r#","Principal":{"AWS":"*"}"#),
            PolicyKind::Identity,
            r#""Principal" is not allowed in this policy"#,
        ),
        (
            "wildcard in an AWS principal",
            bucket_with(r#"{"AWS":"arn:aws:iam::123:user/*"}"#),
            PolicyKind::Bucket,
            r#"wildcards are not supported in AWS principal "arn:aws:iam::123:user/*""#,
        ),
        (
            "malformed AWS principal",
            bucket_with(r#"{"AWS":"arn:aws:iam::123:group/g"}"#),
            PolicyKind::Bucket,
            r#"invalid AWS principal "arn:aws:iam::123:group/g""#,
        ),
        (
            "CanonicalUser principal",
            bucket_with(r#"{"CanonicalUser":"abc"}"#),
            PolicyKind::Bucket,
            r#"unsupported principal type "CanonicalUser""#,
        ),
        (
            "empty principal object",
            bucket_with("{}"),
            PolicyKind::Bucket,
            r#"empty "Principal""#,
        ),
        (
            "trust of everyone",
            trust_with(r#"{"AWS":"*"}"#),
            PolicyKind::Trust,
            r#"a trust policy cannot trust "*""#,
        ),
        (
            "trust of one session",
            trust_with(r#"{"AWS":"arn:aws:sts::123:assumed-role/r/s"}"#),
            PolicyKind::Trust,
            "a trust policy cannot name a role session",
        ),
        (
            "trust with an S3 action",
            trust_with(r#"{"AWS":"123"}"#).replace("sts:AssumeRole", "s3:GetObject"),
            PolicyKind::Trust,
            r#"a trust policy may only use "Action": "sts:AssumeRole""#,
        ),
    ];
    for (name, text, kind, want) in cases {
        let err = Policy::parse(&text, kind).expect_err(name);
        assert!(
            err.to_string().contains(want),
            "{name}: {err} does not contain {want}"
        );
        let ram_code = Policy::parse(r#"{"Version":"2"}"#, kind)
            .unwrap_err()
            .code();
        assert_eq!(
            err.code(),
            ram_code,
            "{name}: same code as a RAM grammar error"
        );
    }
}

#[test]
fn iam_grammar_documents_that_parse() {
    let good = [
        (
            r#"{"Version":"2012-10-17","Id":"p","Statement":{"Sid":"one","Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
            PolicyKind::Identity,
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
            PolicyKind::Bucket,
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["123","arn:aws:iam::123:root","arn:aws:iam::123:user/path/u","arn:aws:iam::123:role/r","arn:aws:sts::123:assumed-role/r/s"],"Service":"logging.s3.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
            PolicyKind::Bucket,
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123:root","Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
            PolicyKind::Trust,
        ),
        (
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#,
            PolicyKind::Session,
        ),
    ];
    for (text, kind) in good {
        Policy::parse(text, kind).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}
