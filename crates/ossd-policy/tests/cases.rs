//! Table-driven policy cases: matching, conditions, combinations, and every case of
//! docs/protocol/authorization.md#evaluation-cases, #request-resource-examples. Each table row:
//! policies (JSON or a system policy name), request, expected result.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ossd_policy::{
    AllowReason, Caller, Decision, DenyReason, OssTarget, Outcome, Policy, PolicyKind,
    PublicAccessBlock, Request, RequestContext, RoleTarget, Subject, authorize_assume_role,
    authorize_oss, authorize_ram, authorize_session, evaluate, oss_action, oss_resource_arn,
};

/// Expected result of an evaluation case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Allow,
    Explicit,
    Implicit,
    /// Some policy fails to parse with this error code.
    Rejected(&'static str),
}

/// One `evaluate` case on identity policies.
struct Eval {
    name: &'static str,
    policies: Vec<String>,
    action: &'static str,
    resource: String,
    ctx: RequestContext,
    want: Want,
}

fn e(
    name: &'static str,
    policies: &[&str],
    action: &'static str,
    resource: &str,
    want: Want,
) -> Eval {
    Eval {
        name,
        policies: policies.iter().map(|p| (*p).to_owned()).collect(),
        action,
        resource: res(resource),
        ctx: RequestContext::new(),
        want,
    }
}

impl Eval {
    fn ctx(mut self, key: &str, values: &[&str]) -> Self {
        self.ctx.set(key, values.iter().copied());
        self
    }
}

fn allow(action: &str, resource: &str) -> String {
    doc(&[&stmt("Allow", action, resource)])
}

fn deny(action: &str, resource: &str) -> String {
    doc(&[&stmt("Deny", action, resource)])
}

/// Allow `oss:*` on everything under a condition.
fn allow_if(condition: &str) -> String {
    doc(&[&stmt_if("Allow", "oss:*", "*", condition)])
}

const GET: &str = "oss:GetObject";
const LIST: &str = "oss:ListObjects";

fn action_cases() -> Vec<Eval> {
    use Want::*;
    vec![
        e(
            "oss:* matches GetObject",
            &[&allow("oss:*", "*")],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "oss:* does not match ram",
            &[&allow("oss:*", "*")],
            "ram:CreateUser",
            "*",
            Implicit,
        ),
        e(
            "oss:Get* matches GetObject",
            &[&allow("oss:Get*", "*")],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "oss:Get* does not match PutObject",
            &[&allow("oss:Get*", "*")],
            "oss:PutObject",
            "R:b/k",
            Implicit,
        ),
        e(
            "* matches empty suffix",
            &[&allow("oss:Get*", "*")],
            "oss:Get",
            "R:b/k",
            Allow,
        ),
        e(
            "* matches any service",
            &[&allow("*", "*")],
            "sts:AssumeRole",
            "*",
            Allow,
        ),
        e(
            "pattern case-insensitive",
            &[&allow("OSS:getobject", "*")],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "request case-insensitive",
            &[&allow(GET, "*")],
            "OSS:GETOBJECT",
            "R:b/k",
            Allow,
        ),
        e(
            "? matches one char",
            &[&allow("oss:Get?bject", "*")],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "? anchors the end",
            &[&allow("oss:Get?bject", "*")],
            "oss:GetObjectAcl",
            "R:b/k",
            Implicit,
        ),
        e(
            "leading * in name",
            &[&allow("oss:*Object", "*")],
            "oss:DeleteObject",
            "R:b/k",
            Allow,
        ),
        e(
            "leading * anchors",
            &[&allow("oss:*Object", "*")],
            LIST,
            "R:b",
            Implicit,
        ),
        e(
            "wildcard service",
            &[&allow("*:GetObject", "*")],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "action list",
            &[&allow("oss:PutObject|oss:GetObject", "*")],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "no implicit prefix",
            &[&allow(GET, "*")],
            "oss:GetObjectVersion",
            "R:b/k",
            Implicit,
        ),
        e(
            "unknown action accepted",
            &[&allow("ecs:DescribeInstances", "*")],
            "ecs:DescribeInstances",
            "*",
            Allow,
        ),
    ]
}

fn resource_cases() -> Vec<Eval> {
    use Want::*;
    let spoof = "acs:oss:r:123:x/a:bucket";
    vec![
        e(
            "acs:oss:*:*:* covers bucket",
            &[&allow(LIST, "acs:oss:*:*:*")],
            LIST,
            "R:b",
            Allow,
        ),
        e(
            "acs:oss:*:*:* covers object",
            &[&allow(GET, "acs:oss:*:*:*")],
            GET,
            "R:b/d/k",
            Allow,
        ),
        e(
            "bucket pattern, bucket",
            &[&allow(LIST, "acs:oss:*:*:b")],
            LIST,
            "R:b",
            Allow,
        ),
        e(
            "bucket pattern, object",
            &[&allow(GET, "acs:oss:*:*:b")],
            GET,
            "R:b/k",
            Implicit,
        ),
        e(
            "bucket/* covers objects",
            &[&allow(GET, "acs:oss:*:*:b/*")],
            GET,
            "R:b/d/k",
            Allow,
        ),
        e(
            "bucket/* not the bucket",
            &[&allow(LIST, "acs:oss:*:*:b/*")],
            LIST,
            "R:b",
            Implicit,
        ),
        e(
            "prefix pattern, other dir",
            &[&allow(GET, "acs:oss:*:*:b/dir/*")],
            GET,
            "R:b/other/k",
            Implicit,
        ),
        e(
            "field-wise: no swallowing",
            &[&allow(GET, "acs:oss:*:*:bucket")],
            GET,
            spoof,
            Implicit,
        ),
        e(
            "colon in key",
            &[&allow(GET, "acs:oss:*:*:x/a:bucket")],
            GET,
            spoof,
            Allow,
        ),
        e(
            "empty region is *",
            &[&allow(GET, &format!("acs:oss::{ACCT}:b/*"))],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "empty account is *",
            &[&allow(GET, "acs:oss:*::b/*")],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "account mismatch",
            &[&allow(GET, &format!("acs:oss:*:{OTHER}:b/*"))],
            GET,
            "R:b/k",
            Implicit,
        ),
        e(
            "region mismatch",
            &[&allow(GET, "acs:oss:cn-beijing:*:b/*")],
            GET,
            "R:b/k",
            Implicit,
        ),
        e(
            "region match",
            &[&allow(GET, "acs:oss:cn-hangzhou:*:b/*")],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "keys case-sensitive",
            &[&allow(GET, "acs:oss:*:*:b/Key")],
            GET,
            "R:b/key",
            Implicit,
        ),
        e(
            "? in key",
            &[&allow(GET, "acs:oss:*:*:b/file?.txt")],
            GET,
            "R:b/file1.txt",
            Allow,
        ),
        e(
            "? is one char",
            &[&allow(GET, "acs:oss:*:*:b/file?.txt")],
            GET,
            "R:b/file10.txt",
            Implicit,
        ),
        e(
            "service mismatch",
            &[&allow("*", "acs:ram:*:*:*")],
            GET,
            "R:b/k",
            Implicit,
        ),
        e("* resource", &[&allow(GET, "*")], GET, "R:b/k", Allow),
        e(
            "unicode key",
            &[&allow(GET, "acs:oss:*:*:b/照片/*")],
            GET,
            "R:b/照片/1.jpg",
            Allow,
        ),
        e(
            "decoded key with space",
            &[&allow(GET, "acs:oss:*:*:b/a b.txt")],
            GET,
            "R:b/a b.txt",
            Allow,
        ),
        e(
            "resource list",
            &[&allow(GET, "acs:oss:*:*:x/*|acs:oss:*:*:b/*")],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "non-ARN request resource",
            &[&allow(GET, "acs:oss:*:*:*")],
            GET,
            "garbage",
            Implicit,
        ),
    ]
}

fn negation_and_deny_cases() -> Vec<Eval> {
    use Want::*;
    let not_delete = doc(&[r#"{"Effect":"Allow","NotAction":"oss:Delete*","Resource":"*"}"#]);
    let not_secret =
        doc(&[r#"{"Effect":"Allow","Action":"oss:*","NotResource":"acs:oss:*:*:secret/*"}"#]);
    let deny_writes = doc(&[
        r#"{"Effect":"Deny","NotAction":["oss:Get*","oss:List*"],"Resource":"*"}"#,
        &stmt("Allow", "oss:*", "*"),
    ]);
    let deny_outside = doc(&[
        r#"{"Effect":"Deny","Action":"*","NotResource":"acs:oss:*:*:b/*"}"#,
        &stmt("Allow", "*", "*"),
    ]);
    let no_delete = doc(&[
        &stmt("Allow", "oss:*", "*"),
        &stmt("Deny", "oss:DeleteObject", "*"),
    ]);
    let deny_if_http = doc(&[&stmt_if(
        "Deny",
        "oss:*",
        "*",
        r#""Bool":{"acs:SecureTransport":"false"}"#,
    )]);
    vec![
        e(
            "NotAction allows others",
            &[&not_delete],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "NotAction excludes listed",
            &[&not_delete],
            "oss:DeleteObject",
            "R:b/k",
            Implicit,
        ),
        e(
            "NotResource allows others",
            &[&not_secret],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "NotResource excludes listed",
            &[&not_secret],
            GET,
            "R:secret/k",
            Implicit,
        ),
        e(
            "Deny NotAction hits writes",
            &[&deny_writes],
            "oss:PutObject",
            "R:b/k",
            Explicit,
        ),
        e(
            "Deny NotAction spares reads",
            &[&deny_writes],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "Deny NotResource outside",
            &[&deny_outside],
            GET,
            "R:other/k",
            Explicit,
        ),
        e(
            "Deny NotResource inside",
            &[&deny_outside],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "Deny beats Allow",
            &[&no_delete],
            "oss:DeleteObject",
            "R:b/k",
            Explicit,
        ),
        e(
            "Deny only where it matches",
            &[&no_delete],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "Deny in later policy wins",
            &[&allow("*", "*"), &deny(GET, "*")],
            GET,
            "R:b/k",
            Explicit,
        ),
        e(
            "Deny in earlier policy wins",
            &[&deny(GET, "*"), "AdministratorAccess"],
            GET,
            "R:b/k",
            Explicit,
        ),
        e(
            "Deny with false condition",
            &[&deny_if_http, "AliyunOSSFullAccess"],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx("acs:SecureTransport", &["true"]),
        e(
            "Deny with true condition",
            &[&deny_if_http, "AliyunOSSFullAccess"],
            GET,
            "R:b/k",
            Explicit,
        )
        .ctx("acs:SecureTransport", &["false"]),
        e("no policies", &[], GET, "R:b/k", Implicit),
        e(
            "Deny alone never allows",
            &[&deny("oss:PutObject", "*")],
            GET,
            "R:b/k",
            Implicit,
        ),
    ]
}

fn string_condition_cases() -> Vec<Eval> {
    use Want::*;
    let eq = allow_if(r#""StringEquals":{"acs:UserAgent":"sdk/1"}"#);
    let ne = allow_if(r#""StringNotEquals":{"acs:UserAgent":"sdk/1"}"#);
    let eq_ic = allow_if(r#""StringEqualsIgnoreCase":{"acs:UserAgent":"Sdk/1"}"#);
    let ne_ic = allow_if(r#""StringNotEqualsIgnoreCase":{"acs:UserAgent":"sdk/1"}"#);
    let like = allow_if(r#""StringLike":{"acs:Referer":"https://*.example.com/?"}"#);
    let not_like = allow_if(r#""StringNotLike":{"oss:Prefix":"private/*"}"#);
    let any_of = allow_if(r#""StringEquals":{"acs:UserAgent":["a","b"]}"#);
    let both_keys = allow_if(r#""StringEquals":{"acs:UserAgent":"x","acs:Referer":"y"}"#);
    let two_ops =
        allow_if(r#""StringEquals":{"acs:UserAgent":"x"},"Bool":{"acs:SecureTransport":"true"}"#);
    let upper_key = allow_if(r#""StringEquals":{"ACS:USERAGENT":"x"}"#);
    let tag = allow_if(r#""StringEquals":{"oss:ExistingObjectTag/Team":"ops"}"#);
    let tag_key_case = allow_if(r#""StringEquals":{"OSS:existingobjecttag/Team":"ops"}"#);
    let ua = "acs:UserAgent";
    vec![
        e("StringEquals match", &[&eq], GET, "R:b/k", Allow).ctx(ua, &["sdk/1"]),
        e("StringEquals mismatch", &[&eq], GET, "R:b/k", Implicit).ctx(ua, &["sdk/2"]),
        e(
            "StringEquals case-sensitive",
            &[&eq],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(ua, &["SDK/1"]),
        e("StringEquals missing key", &[&eq], GET, "R:b/k", Implicit),
        e("StringNotEquals other", &[&ne], GET, "R:b/k", Allow).ctx(ua, &["sdk/2"]),
        e("StringNotEquals same", &[&ne], GET, "R:b/k", Implicit).ctx(ua, &["sdk/1"]),
        e("StringNotEquals missing key", &[&ne], GET, "R:b/k", Allow),
        e(
            "StringEqualsIgnoreCase match",
            &[&eq_ic],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(ua, &["SDK/1"]),
        e(
            "StringEqualsIgnoreCase mismatch",
            &[&eq_ic],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(ua, &["sdk/2"]),
        e(
            "StringNotEqualsIgnoreCase same",
            &[&ne_ic],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(ua, &["SDK/1"]),
        e(
            "StringNotEqualsIgnoreCase other",
            &[&ne_ic],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(ua, &["x"]),
        e("StringLike match", &[&like], GET, "R:b/k", Allow)
            .ctx("acs:Referer", &["https://a.example.com/x"]),
        e(
            "StringLike ? needs a char",
            &[&like],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx("acs:Referer", &["https://a.example.com/"]),
        e(
            "StringLike case-sensitive",
            &[&like],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx("acs:Referer", &["https://a.EXAMPLE.com/x"]),
        e("StringNotLike other", &[&not_like], LIST, "R:b", Allow).ctx("oss:Prefix", &["public/"]),
        e("StringNotLike same", &[&not_like], LIST, "R:b", Implicit)
            .ctx("oss:Prefix", &["private/a"]),
        e(
            "StringNotLike missing key",
            &[&not_like],
            LIST,
            "R:b",
            Allow,
        ),
        e("values OR-ed", &[&any_of], GET, "R:b/k", Allow).ctx(ua, &["b"]),
        e("values OR-ed, none", &[&any_of], GET, "R:b/k", Implicit).ctx(ua, &["c"]),
        e("keys AND-ed, both", &[&both_keys], GET, "R:b/k", Allow)
            .ctx(ua, &["x"])
            .ctx("acs:Referer", &["y"]),
        e("keys AND-ed, one", &[&both_keys], GET, "R:b/k", Implicit).ctx(ua, &["x"]),
        e("operators AND-ed, both", &[&two_ops], GET, "R:b/k", Allow)
            .ctx(ua, &["x"])
            .ctx("acs:SecureTransport", &["true"]),
        e("operators AND-ed, one", &[&two_ops], GET, "R:b/k", Implicit)
            .ctx(ua, &["x"])
            .ctx("acs:SecureTransport", &["false"]),
        e(
            "multi-valued request key, any",
            &[&any_of],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(ua, &["z", "a"]),
        e(
            "multi-valued request key, negated",
            &[&ne],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(ua, &["z", "sdk/1"]),
        e(
            "key names case-insensitive",
            &[&upper_key],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx("acs:useragent", &["x"]),
        e("tag key match", &[&tag], GET, "R:b/k", Allow)
            .ctx("oss:ExistingObjectTag/Team", &["ops"]),
        e("tag name case-sensitive", &[&tag], GET, "R:b/k", Implicit)
            .ctx("oss:ExistingObjectTag/team", &["ops"]),
        e(
            "tag key prefix case-insensitive",
            &[&tag_key_case],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx("oss:existingObjectTag/Team", &["ops"]),
        e(
            "number value as string",
            &[&allow_if(r#""StringEquals":{"oss:Delimiter":5}"#)],
            LIST,
            "R:b",
            Allow,
        )
        .ctx("oss:Delimiter", &["5"]),
    ]
}

fn numeric_condition_cases() -> Vec<Eval> {
    use Want::*;
    let n = |op: &str| allow_if(&format!(r#""{op}":{{"oss:RequestObjectTag/size":"10"}}"#));
    let key = "oss:RequestObjectTag/size";
    vec![
        e(
            "NumericEquals match",
            &[&n("NumericEquals")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(key, &["10"]),
        e(
            "NumericEquals decimal form",
            &[&n("NumericEquals")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(key, &["10.0"]),
        e(
            "NumericEquals mismatch",
            &[&n("NumericEquals")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(key, &["11"]),
        e(
            "NumericEquals not a number",
            &[&n("NumericEquals")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(key, &["ten"]),
        e(
            "NumericEquals missing",
            &[&n("NumericEquals")],
            GET,
            "R:b/k",
            Implicit,
        ),
        e(
            "NumericNotEquals other",
            &[&n("NumericNotEquals")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(key, &["11"]),
        e(
            "NumericNotEquals same",
            &[&n("NumericNotEquals")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(key, &["1e1"]),
        e(
            "NumericNotEquals missing",
            &[&n("NumericNotEquals")],
            GET,
            "R:b/k",
            Allow,
        ),
        e(
            "NumericLessThan below",
            &[&n("NumericLessThan")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(key, &["9"]),
        e(
            "NumericLessThan equal",
            &[&n("NumericLessThan")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(key, &["10"]),
        e(
            "NumericLessThanEquals equal",
            &[&n("NumericLessThanEquals")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(key, &["10"]),
        e(
            "NumericLessThanEquals above",
            &[&n("NumericLessThanEquals")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(key, &["11"]),
        e(
            "NumericGreaterThan above",
            &[&n("NumericGreaterThan")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(key, &["11"]),
        e(
            "NumericGreaterThan equal",
            &[&n("NumericGreaterThan")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(key, &["10"]),
        e(
            "NumericGreaterThanEquals equal",
            &[&n("NumericGreaterThanEquals")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(key, &["10"]),
        e(
            "NumericGreaterThanEquals below",
            &[&n("NumericGreaterThanEquals")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(key, &["9.99"]),
        e(
            "JSON number value",
            &[&allow_if(&format!(r#""NumericLessThan":{{"{key}":1.5}}"#))],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(key, &["1.25"]),
        e(
            "negative numbers",
            &[&allow_if(&format!(r#""NumericLessThan":{{"{key}":-1}}"#))],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(key, &["-2"]),
    ]
}

fn date_condition_cases() -> Vec<Eval> {
    use Want::*;
    let d = |op: &str| {
        allow_if(&format!(
            r#""{op}":{{"acs:CurrentTime":"2025-01-01T00:00:00Z"}}"#
        ))
    };
    let now = "acs:CurrentTime";
    let (before, at, after) = (
        "2024-12-31T23:59:59Z",
        "2025-01-01T00:00:00Z",
        "2025-01-01T00:00:01Z",
    );
    vec![
        e(
            "DateLessThan before",
            &[&d("DateLessThan")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(now, &[before]),
        e(
            "DateLessThan at",
            &[&d("DateLessThan")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(now, &[at]),
        e(
            "DateLessThanEquals at",
            &[&d("DateLessThanEquals")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(now, &[at]),
        e(
            "DateLessThanEquals after",
            &[&d("DateLessThanEquals")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(now, &[after]),
        e(
            "DateGreaterThan after",
            &[&d("DateGreaterThan")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(now, &[after]),
        e(
            "DateGreaterThan at",
            &[&d("DateGreaterThan")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(now, &[at]),
        e(
            "DateGreaterThanEquals at",
            &[&d("DateGreaterThanEquals")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(now, &[at]),
        e(
            "DateGreaterThanEquals before",
            &[&d("DateGreaterThanEquals")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(now, &[before]),
        e(
            "DateEquals offset form",
            &[&d("DateEquals")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(now, &["2025-01-01T08:00:00+08:00"]),
        e(
            "DateEquals second precision",
            &[&d("DateEquals")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(now, &["2025-01-01T00:00:00.900Z"]),
        e(
            "DateNotEquals other",
            &[&d("DateNotEquals")],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx(now, &[after]),
        e(
            "DateNotEquals same",
            &[&d("DateNotEquals")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(now, &[at]),
        e(
            "Date missing key",
            &[&d("DateLessThan")],
            GET,
            "R:b/k",
            Implicit,
        ),
        e(
            "Date unparseable request",
            &[&d("DateLessThan")],
            GET,
            "R:b/k",
            Implicit,
        )
        .ctx(now, &["yesterday"]),
    ]
}

fn bool_and_ip_cases() -> Vec<Eval> {
    use Want::*;
    let secure = allow_if(r#""Bool":{"acs:SecureTransport":"true"}"#);
    let secure_json = allow_if(r#""Bool":{"acs:SecureTransport":true}"#);
    let lan = allow_if(r#""IpAddress":{"acs:SourceIp":"192.168.0.0/16"}"#);
    let not_lan = allow_if(r#""NotIpAddress":{"acs:SourceIp":"192.168.0.0/16"}"#);
    let host = allow_if(r#""IpAddress":{"acs:SourceIp":"10.0.0.1"}"#);
    let v6 = allow_if(r#""IpAddress":{"acs:SourceIp":"2001:db8::/32"}"#);
    let star = allow_if(r#""IpAddress":{"acs:SourceIp":"192.168.*"}"#);
    let border = allow_if(r#""IpAddressIncludeBorder":{"acs:SourceIp":"192.168.0.0/24"}"#);
    let two = allow_if(r#""IpAddress":{"acs:SourceIp":["10.0.0.0/8","172.16.0.0/12"]}"#);
    let ip = "acs:SourceIp";
    vec![
        e("Bool true", &[&secure], GET, "R:b/k", Allow).ctx("acs:SecureTransport", &["true"]),
        e("Bool false", &[&secure], GET, "R:b/k", Implicit).ctx("acs:SecureTransport", &["false"]),
        e("Bool missing", &[&secure], GET, "R:b/k", Implicit),
        e(
            "Bool JSON value, any case",
            &[&secure_json],
            GET,
            "R:b/k",
            Allow,
        )
        .ctx("acs:SecureTransport", &["TRUE"]),
        e("IpAddress inside", &[&lan], GET, "R:b/k", Allow).ctx(ip, &["192.168.1.5"]),
        e("IpAddress outside", &[&lan], GET, "R:b/k", Implicit).ctx(ip, &["10.0.0.1"]),
        e("IpAddress missing", &[&lan], GET, "R:b/k", Implicit),
        e("IpAddress mapped v6", &[&lan], GET, "R:b/k", Allow).ctx(ip, &["::ffff:192.168.1.5"]),
        e("IpAddress garbage", &[&lan], GET, "R:b/k", Implicit).ctx(ip, &["not-an-ip"]),
        e("NotIpAddress outside", &[&not_lan], GET, "R:b/k", Allow).ctx(ip, &["10.0.0.1"]),
        e("NotIpAddress inside", &[&not_lan], GET, "R:b/k", Implicit).ctx(ip, &["192.168.9.9"]),
        e("single address", &[&host], GET, "R:b/k", Allow).ctx(ip, &["10.0.0.1"]),
        e("single address, other", &[&host], GET, "R:b/k", Implicit).ctx(ip, &["10.0.0.2"]),
        e("IPv6 CIDR inside", &[&v6], GET, "R:b/k", Allow).ctx(ip, &["2001:db8::1"]),
        e("IPv6 CIDR outside", &[&v6], GET, "R:b/k", Implicit).ctx(ip, &["2001:db9::1"]),
        e("IPv4 rule, IPv6 caller", &[&lan], GET, "R:b/k", Implicit).ctx(ip, &["2001:db8::1"]),
        e("wildcard IP match", &[&star], GET, "R:b/k", Allow).ctx(ip, &["192.168.3.4"]),
        e("wildcard IP mismatch", &[&star], GET, "R:b/k", Implicit).ctx(ip, &["192.169.0.1"]),
        e("IncludeBorder top", &[&border], GET, "R:b/k", Allow).ctx(ip, &["192.168.0.255"]),
        e("IncludeBorder network", &[&border], GET, "R:b/k", Allow).ctx(ip, &["192.168.0.0"]),
        e("IncludeBorder outside", &[&border], GET, "R:b/k", Implicit).ctx(ip, &["192.168.1.0"]),
        e("CIDR list OR-ed", &[&two], GET, "R:b/k", Allow).ctx(ip, &["172.20.1.1"]),
    ]
}

fn rejected_cases() -> Vec<Eval> {
    use Want::*;
    let r = |name, cond: &str| {
        e(
            name,
            &[&allow_if(cond)],
            GET,
            "R:b/k",
            Rejected("MalformedPolicyDocument"),
        )
    };
    vec![
        r(
            "IfExists rejected",
            r#""StringEqualsIfExists":{"acs:UserAgent":"x"}"#,
        ),
        r(
            "IpAddressIfExists rejected",
            r#""IpAddressIfExists":{"acs:SourceIp":"10.0.0.0/8"}"#,
        ),
        r(
            "ForAnyValue rejected",
            r#""ForAnyValue:StringEquals":{"acs:UserAgent":"x"}"#,
        ),
        r(
            "ForAllValues rejected",
            r#""ForAllValues:StringLike":{"acs:UserAgent":"x"}"#,
        ),
        r("unknown key rejected", r#""StringEquals":{"acs:Nope":"x"}"#),
        r(
            "bad CIDR rejected",
            r#""IpAddress":{"acs:SourceIp":"10.0.0.0/33"}"#,
        ),
        r(
            "bad date rejected",
            r#""DateLessThan":{"acs:CurrentTime":"tomorrow"}"#,
        ),
        r(
            "bad number rejected",
            r#""NumericLessThan":{"oss:RequestObjectTag/n":"ten"}"#,
        ),
        r(
            "bad bool rejected",
            r#""Bool":{"acs:SecureTransport":"yes"}"#,
        ),
    ]
}

/// Cases C1, C2, C4, C6 of docs/protocol/authorization.md#evaluation-cases (identity policies).
fn spec_identity_cases() -> Vec<Eval> {
    use Want::*;
    let c2 = doc(&[
        r#"{"Action":["oss:GetObject","oss:ListObjects"],"Effect":"Allow","Resource":["acs:oss:*:*:app-base-oss/user1/*","acs:oss:*:*:app-base-oss"]}"#,
    ]);
    let c4 = doc(&[&stmt_if(
        "Allow",
        LIST,
        "acs:oss:*:*:myphotos",
        r#""StringLike":{"oss:Prefix":"hangzhou/2015/*"}"#,
    )]);
    let c6 = doc(&[
        &stmt("Allow", GET, "acs:oss:*:*:myphotos/*"),
        &stmt_if(
            "Deny",
            "oss:*",
            "*",
            r#""NotIpAddress":{"acs:SourceIp":["192.168.0.0/16"]}"#,
        ),
    ]);
    let ro = "AliyunOSSReadOnlyAccess";
    vec![
        e("C1a", &[ro], GET, "R:b/k", Allow),
        e("C1b", &[ro], "oss:PutObject", "R:b/k", Implicit),
        e("C1c", &[ro], "oss:ListBuckets", "R:*", Allow),
        e("C2a", &[&c2], "oss:ListBuckets", "R:*", Implicit),
        e("C2b", &[&c2], GET, "R:app-base-oss/user1/test.txt", Allow),
        e("C2c", &[&c2], GET, "R:app-base-oss/test.txt", Implicit),
        e(
            "C2d",
            &[&c2],
            "oss:PutObject",
            "R:app-base-oss/user1/test.txt",
            Implicit,
        ),
        e("C2e", &[&c2], LIST, "R:app-base-oss", Allow).ctx("oss:Prefix", &[""]),
        e("C4a", &[&c4], LIST, "R:myphotos", Allow).ctx("oss:Prefix", &["hangzhou/2015/"]),
        e("C4b", &[&c4], LIST, "R:myphotos", Implicit).ctx("oss:Prefix", &["beijing/"]),
        e("C4c", &[&c4], LIST, "R:myphotos", Implicit).ctx("oss:Prefix", &[""]),
        e("C6a", &[&c6], GET, "R:myphotos/x", Explicit).ctx("acs:SourceIp", &["10.0.0.1"]),
        e("C6b", &[&c6], GET, "R:myphotos/x", Allow).ctx("acs:SourceIp", &["192.168.1.5"]),
        e("C6c", &[&c6], GET, "R:myphotos/x", Explicit),
    ]
}

fn all_eval_cases() -> Vec<Eval> {
    [
        action_cases(),
        resource_cases(),
        negation_and_deny_cases(),
        string_condition_cases(),
        numeric_condition_cases(),
        date_condition_cases(),
        bool_and_ip_cases(),
        rejected_cases(),
        spec_identity_cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn run_eval(case: &Eval) -> Result<(), String> {
    let json = |p: &String| {
        if p.starts_with('{') {
            p.clone()
        } else {
            ossd_policy::system_policy(p)
                .map(|s| s.2.to_owned())
                .unwrap_or_default()
        }
    };
    let parsed: Result<Vec<Policy>, _> = case
        .policies
        .iter()
        .map(|p| Policy::parse(&json(p), PolicyKind::Identity))
        .collect();
    let got = match parsed {
        Err(err) => Want::Rejected(err.code()),
        Ok(policies) => {
            let refs: Vec<&Policy> = policies.iter().collect();
            let request = Request::new(case.action, &case.resource, &case.ctx);
            match evaluate(&refs, &request).decision {
                Decision::Allow => Want::Allow,
                Decision::ExplicitDeny => Want::Explicit,
                Decision::ImplicitDeny => Want::Implicit,
            }
        }
    };
    if got == case.want {
        Ok(())
    } else {
        Err(format!("{}: want {:?}, got {got:?}", case.name, case.want))
    }
}

#[test]
fn evaluation_table() {
    let failures: Vec<String> = all_eval_cases()
        .iter()
        .filter_map(|c| run_eval(c).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ------------------------ session policies (docs/protocol/authorization.md#session-policies)

struct Sess {
    name: &'static str,
    session: Option<String>,
    role: Vec<String>,
    action: &'static str,
    resource: &'static str,
    want: Outcome,
}

fn sess(
    name: &'static str,
    session: Option<&str>,
    role: &[&str],
    action: &'static str,
    resource: &'static str,
    want: Outcome,
) -> Sess {
    Sess {
        name,
        session: session.map(str::to_owned),
        role: role.iter().map(|p| (*p).to_owned()).collect(),
        action,
        resource,
        want,
    }
}

const ALLOW_IDENTITY: Outcome = Outcome::Allow(AllowReason::IdentityPolicy);
const SESSION_IMPLICIT: Outcome = Outcome::Deny(DenyReason::SessionPolicy { explicit: false });
const SESSION_EXPLICIT: Outcome = Outcome::Deny(DenyReason::SessionPolicy { explicit: true });
const IDENTITY_IMPLICIT: Outcome = Outcome::Deny(DenyReason::IdentityPolicy { explicit: false });
const IDENTITY_EXPLICIT: Outcome = Outcome::Deny(DenyReason::IdentityPolicy { explicit: true });

fn session_cases() -> Vec<Sess> {
    let put_only = allow("oss:PutObject", "acs:oss:*:*:examplebucket/*");
    let get_only = allow(GET, "*");
    let deny_delete = doc(&[
        &stmt("Allow", "oss:*", "*"),
        &stmt("Deny", "oss:DeleteObject", "*"),
    ]);
    let full = "AliyunOSSFullAccess";
    vec![
        sess(
            "C5a",
            Some(&put_only),
            &[full],
            "oss:PutObject",
            "acs:oss:*:1:examplebucket/a",
            ALLOW_IDENTITY,
        ),
        sess(
            "C5b",
            Some(&put_only),
            &[full],
            GET,
            "acs:oss:*:1:examplebucket/a",
            SESSION_IMPLICIT,
        ),
        sess(
            "no session policy = role",
            None,
            &[full],
            GET,
            "acs:oss:*:1:b/a",
            ALLOW_IDENTITY,
        ),
        sess(
            "no session policy, role lacks",
            None,
            &["AliyunOSSReadOnlyAccess"],
            "oss:PutObject",
            "acs:oss:*:1:b/a",
            IDENTITY_IMPLICIT,
        ),
        sess(
            "intersection empty",
            Some(&get_only),
            &[&allow("oss:PutObject", "*")],
            GET,
            "acs:oss:*:1:b/a",
            IDENTITY_IMPLICIT,
        ),
        sess(
            "session explicit deny",
            Some(&deny_delete),
            &[full],
            "oss:DeleteObject",
            "acs:oss:*:1:b/a",
            SESSION_EXPLICIT,
        ),
        sess(
            "session allows, role denies",
            Some(&allow("*", "*")),
            &[&deny_delete],
            "oss:DeleteObject",
            "acs:oss:*:1:b/a",
            IDENTITY_EXPLICIT,
        ),
        sess(
            "session resource outside",
            Some(&put_only),
            &[full],
            "oss:PutObject",
            "acs:oss:*:1:other/a",
            SESSION_IMPLICIT,
        ),
    ]
}

#[test]
fn session_table() {
    let mut failures = Vec::new();
    for case in session_cases() {
        let session = case
            .session
            .as_deref()
            .map(|s| load(s, PolicyKind::Session));
        let role: Vec<Policy> = case
            .role
            .iter()
            .map(|p| load(p, PolicyKind::Identity))
            .collect();
        let refs: Vec<&Policy> = role.iter().collect();
        let ctx = RequestContext::new();
        let got = authorize_session(
            session.as_ref(),
            &refs,
            &Request::new(case.action, case.resource, &ctx),
        );
        if got.outcome != case.want {
            failures.push(format!(
                "{}: want {:?}, got {:?}",
                case.name, case.want, got.outcome
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ------------------------ OSS requests (docs/protocol/authorization.md#oss-request-authorization)

struct Oss {
    name: &'static str,
    caller: Caller,
    identity: Vec<String>,
    session: Option<String>,
    bucket: Option<String>,
    owner: &'static str,
    acl_allows: bool,
    public_access: PublicAccessBlock,
    action: &'static str,
    resource: String,
    ctx: RequestContext,
    want: Outcome,
}

fn oss(
    name: &'static str,
    caller: Caller,
    action: &'static str,
    resource: &str,
    want: Outcome,
) -> Oss {
    Oss {
        name,
        caller,
        identity: Vec::new(),
        session: None,
        bucket: None,
        owner: ACCT,
        acl_allows: false,
        public_access: PublicAccessBlock::default(),
        action,
        resource: res(resource),
        ctx: RequestContext::new(),
        want,
    }
}

impl Oss {
    fn identity(mut self, policies: &[&str]) -> Self {
        self.identity = policies.iter().map(|p| (*p).to_owned()).collect();
        self
    }
    fn session(mut self, policy: &str) -> Self {
        self.session = Some(policy.to_owned());
        self
    }
    fn bucket(mut self, statements: &[&str]) -> Self {
        self.bucket = Some(doc(statements));
        self
    }
    fn owner(mut self, owner: &'static str) -> Self {
        self.owner = owner;
        self
    }
    fn acl(mut self) -> Self {
        self.acl_allows = true;
        self
    }
    fn blocked(mut self, public_access: PublicAccessBlock) -> Self {
        self.public_access = public_access;
        self
    }
    fn ctx(mut self, key: &str, values: &[&str]) -> Self {
        self.ctx.set(key, values.iter().copied());
        self
    }
}

const ALLOW_BUCKET: Outcome = Outcome::Allow(AllowReason::BucketPolicy);
const ALLOW_ROOT: Outcome = Outcome::Allow(AllowReason::AccountRoot);
const ALLOW_ACL: Outcome = Outcome::Allow(AllowReason::Acl);
const DENY_BUCKET: Outcome = Outcome::Deny(DenyReason::BucketPolicy);
const DENY_BOTH: Outcome = Outcome::Deny(DenyReason::IdentityAndBucketPolicy);
const NO_ALLOW_RAM: Outcome = Outcome::Deny(DenyReason::NoAllow { ram_caller: true });
const NO_ALLOW_OTHER: Outcome = Outcome::Deny(DenyReason::NoAllow { ram_caller: false });

const U1: &str = "20000000000000001";
const U2: &str = "20000000000000002";

fn oss_spec_cases() -> Vec<Oss> {
    let all = r#"["*"]"#;
    let deny_get = bucket_stmt("Deny", all, GET, "acs:oss:*:*:b/*", None);
    let deny_get_ip = bucket_stmt(
        "Deny",
        all,
        GET,
        "acs:oss:*:*:b/*",
        Some(r#""IpAddress":{"acs:SourceIp":"0.0.0.0/0"}"#),
    );
    let shared = format!("acs:oss:*:{ACCT}:shared/*");
    let c9a = bucket_stmt("Allow", &format!(r#"["{U1}"]"#), GET, &shared, None);
    let c9c = bucket_stmt(
        "Allow",
        &format!(r#"["arn:sts::{ACCT}:assumed-role/oss-writer/*"]"#),
        "oss:PutObject",
        "acs:oss:*:*:b/*",
        None,
    );
    let ip = "acs:SourceIp";
    vec![
        oss("C8a owner exempt", root(ACCT), GET, "R:b/k", ALLOW_ROOT).bucket(&[&deny_get]),
        oss(
            "C8a other account user",
            user(OTHER, U1, "u"),
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .bucket(&[&deny_get]),
        oss(
            "C8a other account root",
            root(OTHER),
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .bucket(&[&deny_get]),
        oss(
            "C8a anonymous",
            Caller::Anonymous,
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .bucket(&[&deny_get])
        .acl(),
        oss(
            "C8a same-account full access",
            user(ACCT, U1, "u"),
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .identity(&["AliyunOSSFullAccess"])
        .bucket(&[&deny_get]),
        oss(
            "C8b owner bound by condition",
            root(ACCT),
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .bucket(&[&deny_get_ip])
        .ctx(ip, &["1.2.3.4"]),
        oss(
            "C8b condition false, owner allowed",
            root(ACCT),
            GET,
            "R:b/k",
            ALLOW_ROOT,
        )
        .bucket(&[&deny_get_ip]),
        oss(
            "C9a cross-account user",
            user(OTHER, U1, "u1"),
            GET,
            "R:shared/doc",
            ALLOW_BUCKET,
        )
        .bucket(&[&c9a]),
        oss(
            "C9b other user",
            user(OTHER, U2, "u2"),
            GET,
            "R:shared/doc",
            NO_ALLOW_RAM,
        )
        .bucket(&[&c9a]),
        oss(
            "C9a other bucket",
            user(OTHER, U1, "u1"),
            GET,
            "R:private/doc",
            NO_ALLOW_RAM,
        )
        .bucket(&[&c9a]),
        oss(
            "C9c role session",
            session(ACCT, "oss-writer", "alice"),
            "oss:PutObject",
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&c9c]),
        oss(
            "C9c role name case",
            session(ACCT, "OSS-Writer", "alice"),
            "oss:PutObject",
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&c9c]),
        oss(
            "C9c other role",
            session(ACCT, "reader", "alice"),
            "oss:PutObject",
            "R:b/k",
            NO_ALLOW_RAM,
        )
        .bucket(&[&c9c]),
        oss(
            "C9c other account session",
            session(OTHER, "oss-writer", "alice"),
            "oss:PutObject",
            "R:b/k",
            NO_ALLOW_RAM,
        )
        .bucket(&[&c9c]),
    ]
}

fn oss_combination_cases() -> Vec<Oss> {
    let all = r#"["*"]"#;
    let allow_get_all = bucket_stmt("Allow", all, GET, "acs:oss:*:*:b/*", None);
    let deny_get_u1 = bucket_stmt(
        "Deny",
        &format!(r#"["{U1}"]"#),
        GET,
        "acs:oss:*:*:b/*",
        None,
    );
    let allow_u1 = bucket_stmt("Allow", &format!(r#""{U1}""#), GET, "acs:oss:*:*:b/*", None);
    let any_session = bucket_stmt(
        "Allow",
        r#"["arn:sts::*:*/*/*"]"#,
        GET,
        "acs:oss:*:*:b/*",
        None,
    );
    let other_root = bucket_stmt(
        "Allow",
        &format!(r#"["{OTHER}"]"#),
        GET,
        "acs:oss:*:*:b/*",
        None,
    );
    let owner_named = bucket_stmt(
        "Deny",
        &format!(r#"["{ACCT}"]"#),
        GET,
        "acs:oss:*:*:b/*",
        None,
    );
    let deny_outside = bucket_stmt(
        "Deny",
        all,
        "oss:*",
        "acs:oss:*:*:b/*",
        Some(r#""NotIpAddress":{"acs:SourceIp":"10.0.0.0/8"}"#),
    );
    let prefix_only = bucket_stmt(
        "Allow",
        all,
        LIST,
        "acs:oss:*:*:b",
        Some(r#""StringLike":{"oss:Prefix":"pub/*"}"#),
    );
    let empty_principal = bucket_stmt("Allow", "[]", GET, "acs:oss:*:*:b/*", None);
    // A RAM-grammar statement without Principal is everyone's, as `[]` and `["*"]` are
    // (docs/protocol/policy.md#bucket-policy-principals).
    let no_principal = |effect: &str, condition: &str| {
        format!(
            r#"{{"Effect":"{effect}","Action":"{GET}","Resource":"acs:oss:*:*:b/*"{condition}}}"#
        )
    };
    let allow_no_principal = no_principal("Allow", "");
    let deny_no_principal = no_principal("Deny", "");
    let deny_no_principal_ip = no_principal(
        "Deny",
        r#","Condition":{"IpAddress":{"acs:SourceIp":"0.0.0.0/0"}}"#,
    );
    let deny_get = deny(GET, "*");
    let me = || user(ACCT, U1, "alice");
    vec![
        oss(
            "RAM allow, no bucket policy",
            me(),
            GET,
            "R:b/k",
            ALLOW_IDENTITY,
        )
        .identity(&["AliyunOSSReadOnlyAccess"]),
        oss("nothing, private", me(), GET, "R:b/k", NO_ALLOW_RAM),
        oss("nothing, public ACL", me(), GET, "R:b/k", ALLOW_ACL).acl(),
        oss(
            "RAM deny beats bucket allow",
            me(),
            GET,
            "R:b/k",
            IDENTITY_EXPLICIT,
        )
        .identity(&[&deny_get])
        .bucket(&[&allow_get_all]),
        oss("both explicit", me(), GET, "R:b/k", DENY_BOTH)
            .identity(&[&deny_get])
            .bucket(&[&deny_get_u1]),
        oss(
            "bucket deny beats RAM allow",
            me(),
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .identity(&["AliyunOSSFullAccess"])
        .bucket(&[&deny_get_u1]),
        oss(
            "RAM deny beats public ACL",
            me(),
            GET,
            "R:b/k",
            IDENTITY_EXPLICIT,
        )
        .identity(&[&deny_get])
        .acl(),
        oss(
            "same-account via bucket policy",
            me(),
            GET,
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&allow_u1]),
        oss(
            "cross-account RAM not consulted",
            user(OTHER, U2, "bob"),
            GET,
            "R:b/k",
            NO_ALLOW_RAM,
        )
        .identity(&["AliyunOSSFullAccess"]),
        oss(
            "cross-account root, no policy",
            root(OTHER),
            GET,
            "R:b/k",
            NO_ALLOW_OTHER,
        ),
        oss(
            "cross-account root by account UID",
            root(OTHER),
            GET,
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&other_root]),
        oss(
            "account UID does not cover its users",
            user(OTHER, U2, "bob"),
            GET,
            "R:b/k",
            NO_ALLOW_RAM,
        )
        .bucket(&[&other_root]),
        oss(
            "any session wildcard",
            session(OTHER, "r", "s"),
            GET,
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&any_session]),
        oss(
            "session wildcard not a user",
            user(OTHER, U2, "bob"),
            GET,
            "R:b/k",
            NO_ALLOW_RAM,
        )
        .bucket(&[&any_session]),
        oss(
            "cross-account session gated",
            session(OTHER, "r", "s"),
            GET,
            "R:b/k",
            SESSION_IMPLICIT,
        )
        .bucket(&[&any_session])
        .session(&allow("oss:PutObject", "*")),
        oss(
            "anonymous via *",
            Caller::Anonymous,
            GET,
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&allow_get_all]),
        oss(
            "anonymous via empty Principal",
            Caller::Anonymous,
            GET,
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&empty_principal]),
        oss(
            "anonymous via a statement without Principal",
            Caller::Anonymous,
            GET,
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&allow_no_principal]),
        oss(
            "other account via a statement without Principal",
            user(OTHER, U2, "bob"),
            GET,
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&allow_no_principal]),
        oss(
            "no Principal: only the action it names",
            Caller::Anonymous,
            "oss:PutObject",
            "R:b/k",
            NO_ALLOW_OTHER,
        )
        .bucket(&[&allow_no_principal]),
        oss(
            "no Principal: only the resource it names",
            Caller::Anonymous,
            GET,
            "R:other/k",
            NO_ALLOW_OTHER,
        )
        .bucket(&[&allow_no_principal]),
        oss(
            "Deny without Principal binds a RAM user",
            user(ACCT, U1, "alice"),
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .identity(&["AliyunOSSFullAccess"])
        .bucket(&[&deny_no_principal]),
        oss(
            "Deny without Principal or Condition spares the owner",
            root(ACCT),
            GET,
            "R:b/k",
            ALLOW_ROOT,
        )
        .bucket(&[&deny_no_principal]),
        oss(
            "Deny without Principal, with a Condition, binds the owner",
            root(ACCT),
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .bucket(&[&deny_no_principal_ip])
        .ctx("acs:SourceIp", &["8.8.8.8"]),
        oss(
            "anonymous, public ACL",
            Caller::Anonymous,
            GET,
            "R:b/k",
            ALLOW_ACL,
        )
        .acl(),
        oss(
            "anonymous, private",
            Caller::Anonymous,
            GET,
            "R:b/k",
            NO_ALLOW_OTHER,
        ),
        oss(
            "anonymous, UID principal",
            Caller::Anonymous,
            GET,
            "R:b/k",
            NO_ALLOW_OTHER,
        )
        .bucket(&[&allow_u1]),
        oss(
            "owner root, no bucket policy",
            root(ACCT),
            "oss:PutBucketAcl",
            "R:b",
            ALLOW_ROOT,
        ),
        oss(
            "owner root named explicitly",
            root(ACCT),
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .bucket(&[&owner_named]),
        oss("IP fence outside", me(), GET, "R:b/k", DENY_BUCKET)
            .identity(&["AliyunOSSFullAccess"])
            .bucket(&[&deny_outside])
            .ctx("acs:SourceIp", &["8.8.8.8"]),
        oss("IP fence inside", me(), GET, "R:b/k", ALLOW_IDENTITY)
            .identity(&["AliyunOSSFullAccess"])
            .bucket(&[&deny_outside])
            .ctx("acs:SourceIp", &["10.1.2.3"]),
        oss(
            "IP fence binds owner",
            root(ACCT),
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .bucket(&[&deny_outside])
        .ctx("acs:SourceIp", &["8.8.8.8"]),
        oss(
            "bucket prefix condition ok",
            Caller::Anonymous,
            LIST,
            "R:b",
            ALLOW_BUCKET,
        )
        .bucket(&[&prefix_only])
        .ctx("oss:Prefix", &["pub/x"]),
        oss(
            "bucket prefix condition fails",
            Caller::Anonymous,
            LIST,
            "R:b",
            NO_ALLOW_OTHER,
        )
        .bucket(&[&prefix_only])
        .ctx("oss:Prefix", &[""]),
        oss(
            "ListBuckets with read-only",
            me(),
            "oss:ListBuckets",
            "R:*",
            ALLOW_IDENTITY,
        )
        .identity(&["AliyunOSSReadOnlyAccess"]),
        oss(
            "ListBuckets without policy",
            me(),
            "oss:ListBuckets",
            "R:*",
            NO_ALLOW_RAM,
        ),
        oss(
            "owner session gate",
            session(ACCT, "r", "s"),
            "oss:PutObject",
            "R:b/k",
            SESSION_IMPLICIT,
        )
        .identity(&["AliyunOSSFullAccess"])
        .session(&allow(GET, "*")),
        oss(
            "owner session passes gate",
            session(ACCT, "r", "s"),
            GET,
            "R:b/k",
            ALLOW_IDENTITY,
        )
        .identity(&["AliyunOSSFullAccess"])
        .session(&allow(GET, "*")),
        oss(
            "other owner: identity ignored",
            me(),
            GET,
            "acs:oss:*:9:b/k",
            NO_ALLOW_RAM,
        )
        .identity(&["AliyunOSSFullAccess"])
        .owner(OTHER),
    ]
}

fn run_oss(case: &Oss) -> Result<(), String> {
    let identity: Vec<Policy> = case
        .identity
        .iter()
        .map(|p| load(p, PolicyKind::Identity))
        .collect();
    let refs: Vec<&Policy> = identity.iter().collect();
    let session = case
        .session
        .as_deref()
        .map(|s| load(s, PolicyKind::Session));
    let bucket = case.bucket.as_deref().map(|b| load(b, PolicyKind::Bucket));
    let subject = Subject {
        caller: &case.caller,
        identity: &refs,
        session: session.as_ref(),
    };
    let target = OssTarget {
        bucket_owner: case.owner,
        bucket_policy: bucket.as_ref(),
        acl_allows: case.acl_allows,
        public_access: case.public_access,
    };
    let got = authorize_oss(
        &subject,
        &target,
        &Request::new(case.action, &case.resource, &case.ctx),
    );
    if got.outcome == case.want {
        Ok(())
    } else {
        Err(format!(
            "{}: want {:?}, got {:?}",
            case.name, case.want, got.outcome
        ))
    }
}

/// Block Public Access (docs/protocol/policy.md#block-public-access): IgnorePublicAcls takes
/// the ACL's grant away; RestrictPublicBuckets limits a public policy's Allow to the owner's
/// account, keeps its Deny, and leaves a policy naming fixed principals alone.
fn oss_public_access_cases() -> Vec<Oss> {
    let anyone = bucket_stmt("Allow", r#"["*"]"#, GET, "acs:oss:*:*:b/*", None);
    let fixed = bucket_stmt(
        "Allow",
        &format!(r#"["{U2}"]"#),
        GET,
        "acs:oss:*:*:b/*",
        None,
    );
    let deny_u1 = bucket_stmt(
        "Deny",
        &format!(r#"["{U1}"]"#),
        GET,
        "acs:oss:*:*:b/*",
        None,
    );
    let ignore = PublicAccessBlock {
        ignore_public_acls: true,
        ..PublicAccessBlock::default()
    };
    let restrict = PublicAccessBlock {
        restrict_public_buckets: true,
        ..PublicAccessBlock::default()
    };
    vec![
        oss(
            "BPA off: ACL grants",
            Caller::Anonymous,
            GET,
            "R:b/k",
            ALLOW_ACL,
        )
        .acl(),
        oss(
            "BPA ignore ACL",
            Caller::Anonymous,
            GET,
            "R:b/k",
            NO_ALLOW_OTHER,
        )
        .acl()
        .blocked(ignore),
        oss(
            "BPA restrict keeps ACL",
            Caller::Anonymous,
            GET,
            "R:b/k",
            ALLOW_ACL,
        )
        .acl()
        .blocked(restrict),
        oss("BPA all: owner root", root(ACCT), GET, "R:b/k", ALLOW_ROOT)
            .acl()
            .bucket(&[&anyone])
            .blocked(PublicAccessBlock::ALL),
        oss(
            "BPA off: public policy",
            Caller::Anonymous,
            GET,
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&anyone]),
        oss(
            "BPA restrict anonymous",
            Caller::Anonymous,
            GET,
            "R:b/k",
            NO_ALLOW_OTHER,
        )
        .bucket(&[&anyone])
        .blocked(restrict),
        oss(
            "BPA restrict other account",
            user(OTHER, U2, "u"),
            GET,
            "R:b/k",
            NO_ALLOW_RAM,
        )
        .bucket(&[&anyone])
        .blocked(restrict),
        oss(
            "BPA restrict same account",
            user(ACCT, U2, "u"),
            GET,
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&anyone])
        .blocked(restrict),
        oss(
            "BPA restrict keeps deny",
            user(ACCT, U1, "u"),
            GET,
            "R:b/k",
            DENY_BUCKET,
        )
        .bucket(&[&anyone, &deny_u1])
        .blocked(restrict),
        oss(
            "BPA restrict fixed principal",
            user(ACCT, U2, "u"),
            GET,
            "R:b/k",
            ALLOW_BUCKET,
        )
        .bucket(&[&fixed])
        .blocked(PublicAccessBlock::ALL),
    ]
}

#[test]
fn oss_table() {
    let cases: Vec<Oss> = oss_spec_cases()
        .into_iter()
        .chain(oss_combination_cases())
        .chain(oss_public_access_cases())
        .collect();
    let failures: Vec<String> = cases.iter().filter_map(|c| run_oss(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ------------------------ AssumeRole (docs/protocol/authorization.md#assumerole-authorization)

struct Assume {
    name: &'static str,
    caller: Caller,
    identity: Vec<String>,
    session: Option<String>,
    role_account: &'static str,
    trust: String,
    trust_kind: PolicyKind,
    ctx: RequestContext,
    want: Outcome,
}

fn assume(
    name: &'static str,
    caller: Caller,
    identity: &[&str],
    trust: &str,
    want: Outcome,
) -> Assume {
    Assume {
        name,
        caller,
        identity: identity.iter().map(|p| (*p).to_owned()).collect(),
        session: None,
        role_account: ACCT,
        trust: trust.to_owned(),
        trust_kind: PolicyKind::Trust,
        ctx: RequestContext::new(),
        want,
    }
}

const TRUST_IMPLICIT: Outcome = Outcome::Deny(DenyReason::TrustPolicy { explicit: false });
const TRUST_EXPLICIT: Outcome = Outcome::Deny(DenyReason::TrustPolicy { explicit: true });

fn assume_cases() -> Vec<Assume> {
    let sts = "AliyunSTSAssumeRoleAccess";
    let acct_root = format!("acs:ram::{ACCT}:root");
    let trust_root = trust(&[&acct_root]);
    let trust_bob = trust(&[&format!("acs:ram::{ACCT}:user/bob")]);
    let trust_alice = trust(&[&format!("acs:ram::{ACCT}:user/alice")]);
    let trust_role = trust(&[&format!("acs:ram::{ACCT}:role/ci")]);
    let trust_other = trust(&[&format!("acs:ram::{OTHER}:root")]);
    let trust_service = doc(&[
        r#"{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["ecs.aliyuncs.com"]}}"#,
    ]);
    let deny_bob = doc(&[
        &format!(
            r#"{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{{"RAM":"{acct_root}"}}}}"#
        ),
        &format!(
            r#"{{"Effect":"Deny","Action":"sts:AssumeRole","Principal":{{"RAM":"acs:ram::{ACCT}:user/bob"}}}}"#
        ),
    ]);
    let external = doc(&[&format!(
        r#"{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{{"RAM":"{acct_root}"}},"Condition":{{"StringEquals":{{"sts:ExternalId":"abc"}}}}}}"#
    )]);
    let deny_assume = deny("sts:AssumeRole", "*");
    let only_other_role = allow("sts:AssumeRole", &format!("acs:ram:*:{ACCT}:role/other"));
    let role_prefix = allow("sts:AssumeRole", &format!("acs:ram:*:{ACCT}:role/oss-*"));
    let alice = || user(ACCT, U1, "alice");
    let bob = || user(ACCT, U2, "bob");
    let mut cases = vec![
        assume("C7a", alice(), &[sts], &trust_root, ALLOW_IDENTITY),
        assume("C7b", alice(), &[], &trust_root, IDENTITY_IMPLICIT),
        assume("C7c", alice(), &[sts], &trust_bob, TRUST_IMPLICIT),
        assume(
            "C7d",
            root(ACCT),
            &["AdministratorAccess"],
            &trust_root,
            Outcome::Deny(DenyReason::RootCannotAssumeRole),
        ),
        assume(
            "trust names the user",
            alice(),
            &[sts],
            &trust_alice,
            ALLOW_IDENTITY,
        ),
        assume(
            "trust user name case-insensitive",
            user(ACCT, U1, "Alice"),
            &[sts],
            &trust_alice,
            ALLOW_IDENTITY,
        ),
        assume(
            "role chaining",
            session(ACCT, "ci", "job1"),
            &[sts],
            &trust_role,
            ALLOW_IDENTITY,
        ),
        assume(
            "role principal is not a user",
            alice(),
            &[sts],
            &trust_role,
            TRUST_IMPLICIT,
        ),
        assume(
            "cross-account trusted",
            user(OTHER, U2, "x"),
            &[sts],
            &trust_other,
            ALLOW_IDENTITY,
        ),
        assume(
            "cross-account untrusted",
            user(OTHER, U2, "x"),
            &[sts],
            &trust_root,
            TRUST_IMPLICIT,
        ),
        assume(
            "service-only trust",
            alice(),
            &[sts],
            &trust_service,
            TRUST_IMPLICIT,
        ),
        assume(
            "trust explicit deny",
            bob(),
            &[sts],
            &deny_bob,
            TRUST_EXPLICIT,
        ),
        assume(
            "trust deny spares others",
            alice(),
            &[sts],
            &deny_bob,
            ALLOW_IDENTITY,
        ),
        assume(
            "identity explicit deny",
            alice(),
            &[sts, &deny_assume],
            &trust_root,
            IDENTITY_EXPLICIT,
        ),
        assume(
            "identity explicit beats trust explicit",
            bob(),
            &[&deny_assume],
            &deny_bob,
            IDENTITY_EXPLICIT,
        ),
        assume(
            "identity allows another role",
            alice(),
            &[&only_other_role],
            &trust_root,
            IDENTITY_IMPLICIT,
        ),
        assume(
            "identity allows by role pattern",
            alice(),
            &[&role_prefix],
            &trust_root,
            ALLOW_IDENTITY,
        ),
        assume(
            "ExternalId missing",
            alice(),
            &[sts],
            &external,
            TRUST_IMPLICIT,
        ),
        assume(
            "anonymous",
            Caller::Anonymous,
            &[sts],
            &trust_root,
            IDENTITY_IMPLICIT,
        ),
    ];
    let mut with_id = assume(
        "ExternalId present",
        alice(),
        &[sts],
        &external,
        ALLOW_IDENTITY,
    );
    with_id.ctx.set("sts:ExternalId", ["abc"]);
    cases.push(with_id);
    let mut gated = assume(
        "session gate blocks chaining",
        session(ACCT, "ci", "job1"),
        &[sts],
        &trust_role,
        SESSION_IMPLICIT,
    );
    gated.session = Some(allow("oss:*", "*"));
    cases.push(gated);
    let mut wrong_kind = assume(
        "identity doc as trust",
        alice(),
        &[sts],
        &allow("sts:AssumeRole", "*"),
        TRUST_IMPLICIT,
    );
    wrong_kind.trust_kind = PolicyKind::Identity;
    cases.push(wrong_kind);
    let mut other_acct_role = assume(
        "role in other account",
        alice(),
        &[sts],
        &trust_root,
        TRUST_IMPLICIT,
    );
    other_acct_role.role_account = OTHER;
    other_acct_role.trust = trust(&[&format!("acs:ram::{OTHER}:root")]);
    cases.push(other_acct_role);
    cases
}

#[test]
fn assume_role_table() {
    let mut failures = Vec::new();
    for case in assume_cases() {
        let identity: Vec<Policy> = case
            .identity
            .iter()
            .map(|p| load(p, PolicyKind::Identity))
            .collect();
        let refs: Vec<&Policy> = identity.iter().collect();
        let session = case
            .session
            .as_deref()
            .map(|s| load(s, PolicyKind::Session));
        let trust = load(&case.trust, case.trust_kind);
        let subject = Subject {
            caller: &case.caller,
            identity: &refs,
            session: session.as_ref(),
        };
        let role = RoleTarget {
            account_id: case.role_account,
            role_name: "oss-writer",
            trust_policy: &trust,
        };
        let got = authorize_assume_role(&subject, &role, &case.ctx);
        if got.outcome != case.want {
            failures.push(format!(
                "{}: want {:?}, got {:?}",
                case.name, case.want, got.outcome
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ------------------------ RAM API and root (docs/protocol/authorization.md#account-root)

struct Ram {
    name: &'static str,
    caller: Caller,
    identity: Vec<&'static str>,
    session: Option<String>,
    action: &'static str,
    resource: String,
    want: Outcome,
}

fn ram(
    name: &'static str,
    caller: Caller,
    identity: &[&'static str],
    action: &'static str,
    resource: &str,
    want: Outcome,
) -> Ram {
    Ram {
        name,
        caller,
        identity: identity.to_vec(),
        session: None,
        action,
        resource: resource.to_owned(),
        want,
    }
}

fn ram_cases() -> Vec<Ram> {
    let users = format!("acs:ram:*:{ACCT}:user/*");
    let bob = format!("acs:ram:*:{ACCT}:user/bob");
    let alice = || user(ACCT, U1, "alice");
    let mut cases = vec![
        ram(
            "root has everything",
            root(ACCT),
            &[],
            "ram:CreateUser",
            &users,
            ALLOW_ROOT,
        ),
        ram(
            "other root has nothing",
            root(OTHER),
            &["AdministratorAccess"],
            "ram:CreateUser",
            &users,
            IDENTITY_IMPLICIT,
        ),
        ram(
            "read-only Get",
            alice(),
            &["AliyunRAMReadOnlyAccess"],
            "ram:GetUser",
            &bob,
            ALLOW_IDENTITY,
        ),
        ram(
            "read-only Create",
            alice(),
            &["AliyunRAMReadOnlyAccess"],
            "ram:CreateUser",
            &users,
            IDENTITY_IMPLICIT,
        ),
        ram(
            "full access",
            alice(),
            &["AliyunRAMFullAccess"],
            "ram:DeleteUser",
            &bob,
            ALLOW_IDENTITY,
        ),
        ram(
            "administrator",
            alice(),
            &["AdministratorAccess"],
            "ram:CreateRole",
            &format!("acs:ram:*:{ACCT}:role/*"),
            ALLOW_IDENTITY,
        ),
        ram(
            "user of other account",
            user(OTHER, U2, "x"),
            &["AliyunRAMFullAccess"],
            "ram:CreateUser",
            &users,
            IDENTITY_IMPLICIT,
        ),
        ram(
            "oss policy does not grant ram",
            alice(),
            &["AliyunOSSFullAccess"],
            "ram:ListUsers",
            &users,
            IDENTITY_IMPLICIT,
        ),
        ram(
            "anonymous",
            Caller::Anonymous,
            &["AdministratorAccess"],
            "ram:ListUsers",
            &users,
            IDENTITY_IMPLICIT,
        ),
    ];
    let mut gated = ram(
        "session policy gates ram",
        session(ACCT, "admin", "s"),
        &["AliyunRAMFullAccess"],
        "ram:CreateUser",
        &users,
        SESSION_IMPLICIT,
    );
    gated.session = Some(allow("ram:List*", "*"));
    cases.push(gated);
    let mut passes = ram(
        "session policy passes",
        session(ACCT, "admin", "s"),
        &["AliyunRAMFullAccess"],
        "ram:ListUsers",
        &users,
        ALLOW_IDENTITY,
    );
    passes.session = Some(allow("ram:List*", "*"));
    cases.push(passes);
    cases
}

#[test]
fn ram_table() {
    let mut failures = Vec::new();
    for case in ram_cases() {
        let identity: Vec<Policy> = case
            .identity
            .iter()
            .map(|p| load(p, PolicyKind::Identity))
            .collect();
        let refs: Vec<&Policy> = identity.iter().collect();
        let session = case
            .session
            .as_deref()
            .map(|s| load(s, PolicyKind::Session));
        let subject = Subject {
            caller: &case.caller,
            identity: &refs,
            session: session.as_ref(),
        };
        let ctx = RequestContext::new();
        let got = authorize_ram(
            &subject,
            ACCT,
            &Request::new(case.action, &case.resource, &ctx),
        );
        if got.outcome != case.want {
            failures.push(format!(
                "{}: want {:?}, got {:?}",
                case.name, case.want, got.outcome
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ------------------------ request → resource (docs/protocol/authorization.md#request-resource-examples)

/// (vector, operation, versioned, bucket, key, expected action, expected resource suffix).
type ResourceCase = (
    &'static str,
    &'static str,
    bool,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    &'static str,
);

const RESOURCE_CASES: [ResourceCase; 8] = [
    (
        "9.13 ListBuckets",
        "ListBuckets",
        false,
        None,
        None,
        "oss:ListBuckets",
        "*",
    ),
    (
        "9.13 ListObjects",
        "ListObjects",
        false,
        Some("examplebucket"),
        None,
        "oss:ListObjects",
        "examplebucket",
    ),
    (
        "9.13 GetObject versionId",
        "GetObject",
        true,
        Some("examplebucket"),
        Some("dir/a b.txt"),
        "oss:GetObjectVersion",
        "examplebucket/dir/a b.txt",
    ),
    (
        "9.13 CopyObject source",
        "GetObject",
        false,
        Some("src-bucket"),
        Some("src.txt"),
        "oss:GetObject",
        "src-bucket/src.txt",
    ),
    (
        "9.13 CopyObject destination",
        "CopyObject",
        false,
        Some("examplebucket"),
        Some("dst.txt"),
        "oss:PutObject",
        "examplebucket/dst.txt",
    ),
    (
        "9.13 PutObject with tagging",
        "PutObject",
        false,
        Some("b"),
        Some("k"),
        "oss:PutObject",
        "b/k",
    ),
    (
        "9.13 PutObject tagging action",
        "PutObjectTagging",
        false,
        Some("b"),
        Some("k"),
        "oss:PutObjectTagging",
        "b/k",
    ),
    (
        "9.13 DeleteMultipleObjects",
        "DeleteMultipleObjects",
        false,
        Some("b"),
        Some("a"),
        "oss:DeleteObject",
        "b/a",
    ),
];

#[test]
fn request_resource_table() {
    for (name, operation, versioned, bucket, key, action, suffix) in RESOURCE_CASES {
        let row = oss_action(operation).unwrap_or_else(|| panic!("{name}: no row"));
        assert_eq!(row.action_for(versioned), action, "{name}");
        let arn = oss_resource_arn(Some("cn-hangzhou"), ACCT, bucket, key);
        assert_eq!(
            arn,
            format!("acs:oss:cn-hangzhou:{ACCT}:{suffix}"),
            "{name}"
        );
    }
    let ctx = RequestContext::new().with_prefix("a/").with_delimiter("/");
    assert_eq!(ctx.get("oss:Prefix"), Some(&["a/".to_owned()][..]));
    assert_eq!(ctx.get("OSS:DELIMITER"), Some(&["/".to_owned()][..]));
}

#[test]
fn at_least_150_cases() {
    let total = all_eval_cases().len()
        + session_cases().len()
        + oss_spec_cases().len()
        + oss_combination_cases().len()
        + assume_cases().len()
        + ram_cases().len()
        + RESOURCE_CASES.len();
    println!("{total} policy cases");
    assert!(total >= 150, "only {total} cases");
}
