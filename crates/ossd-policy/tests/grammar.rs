//! Grammar validation (docs/protocol/policy.md#document-structure, #validation-and-size-limits,
//! #trust-policies, #bucket-policy-principals): each document with the RAM error code expected.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ossd_policy::{Policy, PolicyError, PolicyKind};

const MALFORMED: Option<&str> = Some("MalformedPolicyDocument");
const GRAMMAR: Option<&str> = Some("InvalidParameter.PolicyGrammar");
const BUCKET_BAD: Option<&str> = Some("InvalidPolicyDocument");
const OK: Option<&str> = None;

/// Wraps statement members into a full identity document.
fn st(members: &str) -> String {
    format!(r#"{{"Version":"1","Statement":[{{{members}}}]}}"#)
}

/// A valid identity statement with an extra condition body.
fn cond(body: &str) -> String {
    st(&format!(
        r#""Effect":"Allow","Action":"oss:*","Resource":"*","Condition":{body}"#
    ))
}

fn identity_cases() -> Vec<(&'static str, String, Option<&'static str>)> {
    let good = r#""Effect":"Allow","Action":"oss:GetObject","Resource":"*""#;
    vec![
        ("minimal", st(good), OK),
        (
            "single statement object",
            format!(r#"{{"Version":"1","Statement":{{{good}}}}}"#),
            OK,
        ),
        ("Sid accepted", st(&format!(r#""Sid":"s1",{good}"#)), OK),
        (
            "Sid must be a string",
            st(&format!(r#""Sid":1,{good}"#)),
            MALFORMED,
        ),
        ("not JSON", "{".to_owned(), MALFORMED),
        ("empty document", String::new(), MALFORMED),
        ("trailing garbage", format!("{} x", st(good)), MALFORMED),
        ("top-level array", "[]".to_owned(), MALFORMED),
        (
            "missing Version",
            format!(r#"{{"Statement":[{{{good}}}]}}"#),
            MALFORMED,
        ),
        (
            "Version 2",
            format!(r#"{{"Version":"2","Statement":[{{{good}}}]}}"#),
            MALFORMED,
        ),
        (
            "Version as number",
            format!(r#"{{"Version":1,"Statement":[{{{good}}}]}}"#),
            MALFORMED,
        ),
        (
            "lower-case element",
            format!(r#"{{"version":"1","Statement":[{{{good}}}]}}"#),
            MALFORMED,
        ),
        (
            "missing Statement",
            r#"{"Version":"1"}"#.to_owned(),
            MALFORMED,
        ),
        (
            "empty Statement",
            r#"{"Version":"1","Statement":[]}"#.to_owned(),
            MALFORMED,
        ),
        (
            "Statement string",
            r#"{"Version":"1","Statement":"x"}"#.to_owned(),
            MALFORMED,
        ),
        (
            "statement not an object",
            r#"{"Version":"1","Statement":[1]}"#.to_owned(),
            MALFORMED,
        ),
        (
            "unknown top element",
            format!(r#"{{"Version":"1","Id":"x","Statement":[{{{good}}}]}}"#),
            MALFORMED,
        ),
        (
            "duplicate member",
            st(r#""Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*""#),
            MALFORMED,
        ),
        (
            "missing Effect",
            st(r#""Action":"*","Resource":"*""#),
            MALFORMED,
        ),
        (
            "Effect lower case",
            st(r#""Effect":"allow","Action":"*","Resource":"*""#),
            MALFORMED,
        ),
        (
            "Effect unknown",
            st(r#""Effect":"Permit","Action":"*","Resource":"*""#),
            MALFORMED,
        ),
        (
            "Action and NotAction",
            st(r#""Effect":"Allow","Action":"*","NotAction":"oss:*","Resource":"*""#),
            MALFORMED,
        ),
        (
            "no Action",
            st(r#""Effect":"Allow","Resource":"*""#),
            MALFORMED,
        ),
        (
            "Action empty list",
            st(r#""Effect":"Allow","Action":[],"Resource":"*""#),
            MALFORMED,
        ),
        (
            "Action empty string",
            st(r#""Effect":"Allow","Action":"","Resource":"*""#),
            MALFORMED,
        ),
        (
            "Action number",
            st(r#""Effect":"Allow","Action":5,"Resource":"*""#),
            MALFORMED,
        ),
        (
            "Action without service",
            st(r#""Effect":"Allow","Action":"GetObject","Resource":"*""#),
            MALFORMED,
        ),
        (
            "Action without name",
            st(r#""Effect":"Allow","Action":"oss:","Resource":"*""#),
            MALFORMED,
        ),
        (
            "Action list with number",
            st(r#""Effect":"Allow","Action":["oss:Get*",1],"Resource":"*""#),
            MALFORMED,
        ),
        (
            "NotAction alone",
            st(r#""Effect":"Allow","NotAction":"oss:*","Resource":"*""#),
            OK,
        ),
        (
            "no Resource",
            st(r#""Effect":"Allow","Action":"*""#),
            MALFORMED,
        ),
        (
            "Resource and NotResource",
            st(r#""Effect":"Allow","Action":"*","Resource":"*","NotResource":"*""#),
            MALFORMED,
        ),
        (
            "Resource not an ARN",
            st(r#""Effect":"Allow","Action":"*","Resource":"bucket""#),
            MALFORMED,
        ),
        (
            "Resource with four fields",
            st(r#""Effect":"Allow","Action":"*","Resource":"acs:oss:*:*""#),
            MALFORMED,
        ),
        (
            "NotResource alone",
            st(r#""Effect":"Allow","Action":"*","NotResource":"acs:oss:*:*:b/*""#),
            OK,
        ),
        (
            "Principal in identity policy",
            st(r#""Effect":"Allow","Action":"*","Resource":"*","Principal":["*"]"#),
            MALFORMED,
        ),
        (
            "unknown statement element",
            st(r#""Effect":"Allow","Action":"*","Resource":"*","Foo":1"#),
            MALFORMED,
        ),
        ("Condition not an object", cond(r#""x""#), MALFORMED),
        ("Condition empty", cond("{}"), MALFORMED),
        (
            "operator body empty",
            cond(r#"{"StringEquals":{}}"#),
            MALFORMED,
        ),
        (
            "operator body not an object",
            cond(r#"{"StringEquals":"x"}"#),
            MALFORMED,
        ),
        (
            "unknown operator",
            cond(r#"{"StringMatches":{"acs:UserAgent":"x"}}"#),
            MALFORMED,
        ),
        (
            "operator name any case",
            cond(r#"{"stringequals":{"acs:UserAgent":"x"}}"#),
            OK,
        ),
        (
            "key name any case",
            cond(r#"{"IpAddress":{"ACS:SOURCEIP":"10.0.0.0/8"}}"#),
            OK,
        ),
        (
            "unknown key",
            cond(r#"{"StringEquals":{"acs:Whatever":"x"}}"#),
            MALFORMED,
        ),
        (
            "tag key without name",
            cond(r#"{"StringEquals":{"oss:BucketTag/":"x"}}"#),
            MALFORMED,
        ),
        (
            "tag key",
            cond(r#"{"StringEquals":{"oss:BucketTag/team":"x"}}"#),
            OK,
        ),
        (
            "null value",
            cond(r#"{"StringEquals":{"acs:UserAgent":null}}"#),
            MALFORMED,
        ),
        (
            "empty value list",
            cond(r#"{"StringEquals":{"acs:UserAgent":[]}}"#),
            MALFORMED,
        ),
        (
            "object value",
            cond(r#"{"StringEquals":{"acs:UserAgent":{"a":"b"}}}"#),
            MALFORMED,
        ),
        (
            "IfExists",
            cond(r#"{"StringEqualsIfExists":{"acs:UserAgent":"x"}}"#),
            MALFORMED,
        ),
        (
            "ForAnyValue",
            cond(r#"{"ForAnyValue:StringEquals":{"acs:UserAgent":"x"}}"#),
            MALFORMED,
        ),
        (
            "date offset",
            cond(r#"{"DateLessThan":{"acs:CurrentTime":"2025-01-01T08:00:00+08:00"}}"#),
            OK,
        ),
        (
            "date garbage",
            cond(r#"{"DateLessThan":{"acs:CurrentTime":"2025-13-01T00:00:00Z"}}"#),
            MALFORMED,
        ),
        (
            "date as number",
            cond(r#"{"DateLessThan":{"acs:CurrentTime":1700000000}}"#),
            MALFORMED,
        ),
        (
            "numeric number",
            cond(r#"{"NumericLessThan":{"oss:RequestObjectTag/n":10}}"#),
            OK,
        ),
        (
            "numeric bool",
            cond(r#"{"NumericLessThan":{"oss:RequestObjectTag/n":true}}"#),
            MALFORMED,
        ),
        (
            "bool JSON",
            cond(r#"{"Bool":{"acs:SecureTransport":false}}"#),
            OK,
        ),
        (
            "bool number",
            cond(r#"{"Bool":{"acs:SecureTransport":1}}"#),
            MALFORMED,
        ),
        (
            "IP CIDR",
            cond(r#"{"IpAddress":{"acs:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}"#),
            OK,
        ),
        (
            "IP wildcard",
            cond(r#"{"IpAddress":{"acs:SourceIp":"192.168.*"}}"#),
            OK,
        ),
        (
            "IP garbage",
            cond(r#"{"IpAddress":{"acs:SourceIp":"10.0.0.256"}}"#),
            MALFORMED,
        ),
        (
            "IP wildcard garbage",
            cond(r#"{"IpAddress":{"acs:SourceIp":"abc*xyz"}}"#),
            MALFORMED,
        ),
        (
            "deep nesting",
            format!("{}{}", "[".repeat(1000), "]".repeat(1000)),
            MALFORMED,
        ),
    ]
}

fn trust_cases() -> Vec<(&'static str, String, Option<&'static str>)> {
    let t = |principal: &str, extra: &str| {
        format!(
            r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{principal}{extra}}}]}}"#
        )
    };
    vec![
        ("RAM root", t(r#"{"RAM":"acs:ram::123:root"}"#, ""), OK),
        ("RAM list", t(r#"{"RAM":["acs:ram::123:user/bob","acs:ram::123:role/ci"]}"#, ""), OK),
        ("Service", t(r#"{"Service":["ecs.aliyuncs.com"]}"#, ""), OK),
        ("Federated", t(r#"{"Federated":"acs:ram::123:saml-provider/idp"}"#, ""), OK),
        ("action any case", t(r#"{"RAM":"acs:ram::123:root"}"#, "").replace("sts:AssumeRole", "STS:assumerole"), OK),
        ("with Resource", t(r#"{"RAM":"acs:ram::123:root"}"#, r#","Resource":"*""#), MALFORMED),
        ("with ExternalId condition", t(r#"{"RAM":"acs:ram::123:root"}"#, r#","Condition":{"StringEquals":{"sts:ExternalId":"x"}}"#), OK),
        ("missing Principal", r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#.to_owned(), MALFORMED),
        ("Principal string", t(r#""*""#, ""), MALFORMED),
        ("Principal empty", t("{}", ""), MALFORMED),
        ("RAM wildcard", t(r#"{"RAM":"*"}"#, ""), MALFORMED),
        ("RAM account wildcard", t(r#"{"RAM":"acs:ram::*:root"}"#, ""), MALFORMED),
        ("RAM group", t(r#"{"RAM":"acs:ram::123:group/g"}"#, ""), MALFORMED),
        ("RAM user without name", t(r#"{"RAM":"acs:ram::123:user/"}"#, ""), MALFORMED),
        ("unknown principal type", t(r#"{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}"#, ""), MALFORMED),
        ("other action", t(r#"{"RAM":"acs:ram::123:root"}"#, "").replace("sts:AssumeRole", "oss:GetObject"), MALFORMED),
        ("action wildcard", t(r#"{"RAM":"acs:ram::123:root"}"#, "").replace("sts:AssumeRole", "sts:*"), MALFORMED),
        (
            "NotAction",
            r#"{"Version":"1","Statement":[{"Effect":"Allow","NotAction":"oss:*","Principal":{"RAM":"acs:ram::1:root"}}]}"#.to_owned(),
            MALFORMED,
        ),
    ]
}

fn bucket_cases() -> Vec<(&'static str, String, Option<&'static str>)> {
    let b = |principal: &str| {
        format!(
            r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"oss:GetObject","Principal":{principal},"Resource":"acs:oss:*:1:b/*"}}]}}"#
        )
    };
    vec![
        ("Principal list", b(r#"["*"]"#), OK),
        ("Principal string", b(r#""*""#), OK),
        ("Principal empty list", b("[]"), OK),
        (
            "UIDs and sessions",
            b(r#"["1234","arn:sts::1:assumed-role/r/s","arn:sts::*:*/*/*"]"#),
            OK,
        ),
        ("RAM object", b(r#"{"RAM":"acs:ram::1:root"}"#), BUCKET_BAD),
        ("RAM ARN entry", b(r#"["acs:ram::1:user/x"]"#), BUCKET_BAD),
        ("name entry", b(r#"["alice"]"#), BUCKET_BAD),
        // RAM grammar: a statement without Principal is everyone's (as `[]`); the IAM
        // grammar requires it (docs/protocol/policy.md#bucket-policy-principals).
        (
            "missing Principal",
            st(r#""Effect":"Allow","Action":"*","Resource":"*""#),
            OK,
        ),
        (
            "missing Principal, IAM grammar",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#
                .to_owned(),
            BUCKET_BAD,
        ),
        (
            "missing Resource",
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Principal":["*"]}]}"#
                .to_owned(),
            BUCKET_BAD,
        ),
    ]
}

fn check(
    kind: PolicyKind,
    cases: Vec<(&'static str, String, Option<&'static str>)>,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, json, want) in cases {
        let got = Policy::parse(&json, kind).err().map(|e| e.code());
        if got != want {
            failures.push(format!("{kind:?} {name}: want {want:?}, got {got:?}"));
        }
    }
    failures
}

#[test]
fn grammar_table() {
    let mut failures = check(PolicyKind::Identity, identity_cases());
    failures.extend(check(PolicyKind::Trust, trust_cases()));
    failures.extend(check(PolicyKind::Bucket, bucket_cases()));
    let session: Vec<_> = identity_cases()
        .into_iter()
        .map(|(name, json, want)| (name, json, want.and(GRAMMAR)))
        .collect();
    failures.extend(check(PolicyKind::Session, session));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Pads a valid document with spaces up to `chars` characters.
fn padded(chars: usize) -> String {
    let base = st(r#""Effect":"Allow","Action":"oss:GetObject","Resource":"*""#);
    format!("{base}{}", " ".repeat(chars - base.chars().count()))
}

#[test]
fn size_limits() {
    let cases = [
        (
            PolicyKind::Identity,
            6144,
            "InvalidParameter.PolicyDocument.Length",
            r#"The parameter - "PolicyDocument" beyond the length limit."#,
        ),
        (
            PolicyKind::Trust,
            2048,
            "InvalidParameter.AssumeRolePolicyDocument.Length",
            r#"The parameter - "AssumeRolePolicyDocument" beyond the length limit."#,
        ),
        (
            PolicyKind::Session,
            2048,
            "InvalidParameter.PolicySize",
            "The size of Policy must be smaller than 2048 bytes.",
        ),
        (
            PolicyKind::Bucket,
            16384,
            "InvalidPolicyDocument",
            "The policy document is larger than 16384 bytes.",
        ),
    ];
    for (kind, limit, code, message) in cases {
        let err = Policy::parse(&padded(limit + 1), kind).unwrap_err();
        assert_eq!(
            (err.code(), err.message().as_str(), err.http_status()),
            (code, message, 400),
            "{kind:?}"
        );
        assert!(matches!(err, PolicyError::TooLong { size, .. } if size == limit + 1));
    }
    assert!(Policy::parse(&padded(6144), PolicyKind::Identity).is_ok());
    assert!(Policy::parse(&padded(2048), PolicyKind::Session).is_ok());
}

#[test]
fn limits_count_characters_not_bytes() {
    let base = st(r#""Effect":"Allow","Action":"oss:GetObject","Resource":"acs:oss:*:*:b/*""#);
    let key = "照".repeat(2048 - base.chars().count());
    let json = base.replace("b/*", &format!("b/{key}*"));
    assert_eq!(json.chars().count(), 2048);
    assert!(json.len() > 2048);
    assert!(Policy::parse(&json, PolicyKind::Session).is_ok());
}

#[test]
fn messages() {
    let session = Policy::parse("{", PolicyKind::Session).unwrap_err();
    assert_eq!(
        session.message(),
        "The parameter Policy has not passed grammar check."
    );
    let identity = Policy::parse(
        &st(r#""Effect":"Allow","Action":"*","Resource":"*","Foo":1"#),
        PolicyKind::Identity,
    )
    .unwrap_err();
    assert_eq!(identity.message(), r#"Statement[0]: unknown element "Foo""#);
    let dup = Policy::parse(
        &st(r#""Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*""#),
        PolicyKind::Identity,
    )
    .unwrap_err();
    assert!(
        dup.message().contains("duplicate member \"Effect\""),
        "{}",
        dup.message()
    );
    let long = format!("acs:{}", "x".repeat(500));
    let clipped = Policy::parse(
        &st(&format!(
            r#""Effect":"Allow","Action":"*","Resource":"{long}""#
        )),
        PolicyKind::Identity,
    )
    .unwrap_err();
    assert!(
        clipped.message().len() < 200 && clipped.message().ends_with("…\""),
        "{}",
        clipped.message()
    );
    assert_eq!(identity.kind(), PolicyKind::Identity);
}

#[test]
fn trust_helper_parses() {
    load(&trust(&["acs:ram::1:root"]), PolicyKind::Trust);
}
