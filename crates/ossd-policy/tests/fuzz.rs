//! Property tests: `Policy::parse`, `evaluate` and the `authorize_*` functions never panic on
//! arbitrary input, and Deny always wins.
#![allow(clippy::unwrap_used)]

use ossd_policy::{
    Caller, Decision, Effect, OssTarget, Policy, PolicyKind, Request, RequestContext, RoleTarget,
    Subject, authorize_assume_role, authorize_oss, authorize_ram, evaluate,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const KINDS: [PolicyKind; 4] = [
    PolicyKind::Identity,
    PolicyKind::Trust,
    PolicyKind::Bucket,
    PolicyKind::Session,
];

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

const ACTIONS: &[&str] = &[
    "*",
    "oss:*",
    "oss:Get*",
    "oss:GetObject",
    "OSS:getobject",
    "sts:AssumeRole",
    "ram:*",
    "x",
    "",
    "oss:?et*",
    "a:b:c",
];
const RESOURCES: &[&str] = &[
    "*",
    "acs:oss:*:*:*",
    "acs:oss:*:*:b",
    "acs:oss:*:*:b/*",
    "acs:oss:::b/k",
    "acs:ram:*:1:role/r",
    "acs:oss:*:*:b/a:c",
    "bogus",
    "",
    "acs:oss:*:1",
    "acs:oss:??:*:b*",
];
const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "IpAddress",
    "NotIpAddress",
    "IpAddressIncludeBorder",
    "StringEqualsIfExists",
    "Nope",
];
const KEYS: &[&str] = &[
    "acs:SourceIp",
    "acs:SecureTransport",
    "acs:CurrentTime",
    "acs:UserAgent",
    "oss:Prefix",
    "oss:BucketTag/t",
    "sts:ExternalId",
    "ACS:SOURCEIP",
    "bad:key",
];
const VALUES: &[&str] = &[
    "",
    "x",
    "*",
    "10",
    "-1.5e3",
    "1e999999999",
    "true",
    "FALSE",
    "10.0.0.0/8",
    "::1",
    "192.168.*",
    "2025-01-01T00:00:00Z",
    "2025-01-01T08:00:00+08:00",
    "not-an-ip",
    "999.1.1.1/40",
    "ü*?",
];
const PRINCIPALS: &[&str] = &[
    "*",
    "1234",
    "20000000000000001",
    "arn:sts::1:assumed-role/r/s",
    "arn:sts::*:*/*/*",
    "acs:ram::1:root",
    "acs:ram::1:user/u",
    "acs:ram::1:role/r",
    "ecs.aliyuncs.com",
    "",
];

const VALID_ACTIONS: &[&str] = &[
    "*",
    "oss:*",
    "oss:Get*",
    "oss:GetObject",
    "OSS:getobject",
    "ram:*",
    "oss:?et*",
    "sts:AssumeRole",
];
const VALID_RESOURCES: &[&str] = &[
    "*",
    "acs:oss:*:*:*",
    "acs:oss:*:*:b",
    "acs:oss:*:*:b/*",
    "acs:oss:::b/k",
    "acs:oss:*:*:b/a:c",
    "acs:oss:??:*:b*",
];
const TRUSTED: &[&str] = &[
    "acs:ram::1:root",
    "acs:ram::2:user/u",
    "acs:ram::1:role/r",
    "acs:ram:*:1234:root",
];
const BUCKET_PRINCIPALS: &[&str] = &[
    "*",
    "1234",
    "20000000000000001",
    "arn:sts::1:assumed-role/r/s",
    "arn:sts::*:*/*/*",
];
const VALID_TESTS: &[(&str, &str, &str)] = &[
    ("StringEquals", "acs:UserAgent", "x"),
    ("StringNotLike", "oss:Prefix", "a/*"),
    ("StringEqualsIgnoreCase", "acs:UserAgent", "X"),
    ("NumericLessThan", "oss:BucketTag/t", "10"),
    ("NumericNotEquals", "oss:BucketTag/t", "-1.5e3"),
    ("DateLessThan", "acs:CurrentTime", "2025-01-01T00:00:00Z"),
    (
        "DateNotEquals",
        "acs:CurrentTime",
        "2025-01-01T08:00:00+08:00",
    ),
    ("Bool", "acs:SecureTransport", "true"),
    ("IpAddress", "acs:SourceIp", "10.0.0.0/8"),
    ("NotIpAddress", "ACS:SOURCEIP", "192.168.*"),
    ("IpAddressIncludeBorder", "acs:SourceIp", "::1"),
    ("StringEquals", "sts:ExternalId", "x"),
];

/// A string or a list drawn mostly from `valid`, sometimes from `noise`.
fn string_or_list(
    valid: &'static [&'static str],
    noise: &'static [&'static str],
) -> BoxedStrategy<Value> {
    prop_oneof![
        6 => pick(valid).prop_map(|s| json!(s)),
        3 => proptest::collection::vec(pick(valid), 1..4).prop_map(|v| json!(v)),
        1 => proptest::collection::vec(pick(noise), 0..3).prop_map(|v| json!(v)),
        1 => pick(noise).prop_map(|s| json!(s)),
        1 => Just(json!(7)),
    ]
    .boxed()
}

fn condition() -> impl Strategy<Value = Value> {
    let valid = pick(VALID_TESTS).prop_map(|(op, key, value)| (op, key, json!(value)));
    let noise_value = prop_oneof![
        pick(VALUES).prop_map(|s| json!(s)),
        proptest::collection::vec(pick(VALUES), 0..3).prop_map(|v| json!(v)),
        Just(json!(true)),
        Just(json!(1.25)),
        Just(json!(null)),
    ];
    let noise = (pick(OPERATORS), pick(KEYS), noise_value);
    let test = prop_oneof![8 => valid, 1 => noise];
    proptest::collection::vec(test, 1..4).prop_map(|tests| {
        let mut block = serde_json::Map::new();
        for (op, key, value) in tests {
            let entry = block.entry(op.to_owned()).or_insert_with(|| json!({}));
            if let Some(map) = entry.as_object_mut() {
                map.insert(key.to_owned(), value);
            }
        }
        Value::Object(block)
    })
}

/// The statement shape a document imitates: identity/session, trust or bucket.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Identity,
    Trust,
    Bucket,
}

fn principal(shape: Shape) -> BoxedStrategy<Option<Value>> {
    let trust = (
        pick(&["RAM", "RAM", "RAM", "Service", "Federated", "AWS"]),
        string_or_list(TRUSTED, PRINCIPALS),
    )
        .prop_map(|(k, v)| Some(json!({ k: v })));
    match shape {
        Shape::Identity => {
            prop_oneof![9 => Just(None), 1 => string_or_list(PRINCIPALS, PRINCIPALS).prop_map(Some)]
                .boxed()
        }
        Shape::Trust => prop_oneof![9 => trust, 1 => Just(None)].boxed(),
        Shape::Bucket => prop_oneof![
            8 => string_or_list(BUCKET_PRINCIPALS, PRINCIPALS).prop_map(Some),
            1 => Just(Some(json!([]))),
            1 => Just(None),
        ]
        .boxed(),
    }
}

fn statement(shape: Shape) -> impl Strategy<Value = Value> {
    let action = match shape {
        Shape::Trust => string_or_list(&["sts:AssumeRole"], ACTIONS),
        _ => string_or_list(VALID_ACTIONS, ACTIONS),
    };
    let resource = match shape {
        Shape::Trust => prop_oneof![9 => Just(None), 1 => string_or_list(RESOURCES, RESOURCES).prop_map(Some)].boxed(),
        _ => prop_oneof![9 => string_or_list(VALID_RESOURCES, RESOURCES).prop_map(Some), 1 => Just(None)].boxed(),
    };
    (
        prop_oneof![5 => Just("Allow"), 5 => Just("Deny"), 1 => Just("allow")],
        (proptest::bool::weighted(0.2), action),
        (proptest::bool::weighted(0.2), resource),
        principal(shape),
        proptest::option::weighted(0.4, condition()),
    )
        .prop_map(
            |(effect, (not_a, action), (not_r, resource), principal, condition)| {
                let mut s = serde_json::Map::new();
                s.insert("Effect".into(), json!(effect));
                s.insert(if not_a { "NotAction" } else { "Action" }.into(), action);
                if let Some(resource) = resource {
                    s.insert(
                        if not_r { "NotResource" } else { "Resource" }.into(),
                        resource,
                    );
                }
                if let Some(p) = principal {
                    s.insert("Principal".into(), p);
                }
                if let Some(c) = condition {
                    s.insert("Condition".into(), c);
                }
                Value::Object(s)
            },
        )
}

fn document() -> impl Strategy<Value = String> {
    let shape = pick(&[Shape::Identity, Shape::Trust, Shape::Bucket]);
    shape.prop_flat_map(|shape| {
        (
            prop_oneof![9 => Just("1"), 1 => Just("2")],
            proptest::collection::vec(statement(shape), 1..4),
        )
            .prop_map(|(version, statements)| {
                json!({ "Version": version, "Statement": statements }).to_string()
            })
    })
}

fn caller() -> impl Strategy<Value = Caller> {
    let acct = || pick(&["1", "2", "1234"]).prop_map(str::to_owned);
    let name = || pick(&["u", "r", "s", "*", ""]).prop_map(str::to_owned);
    prop_oneof![
        Just(Caller::Anonymous),
        acct().prop_map(|account_id| Caller::Root { account_id }),
        (acct(), pick(&["20000000000000001", "1"]), name()).prop_map(
            |(account_id, id, user_name)| {
                Caller::User {
                    account_id,
                    user_id: id.to_owned(),
                    user_name,
                }
            }
        ),
        (acct(), name(), name()).prop_map(|(account_id, role_name, session_name)| {
            Caller::RoleSession {
                account_id,
                role_name,
                session_name,
            }
        }),
    ]
}

fn context() -> impl Strategy<Value = RequestContext> {
    proptest::collection::vec(
        (pick(KEYS), proptest::collection::vec(pick(VALUES), 0..3)),
        0..5,
    )
    .prop_map(|pairs| {
        let mut ctx = RequestContext::new();
        for (key, values) in pairs {
            ctx.set(key, values);
        }
        ctx
    })
}

fn parse_all(doc: &str) -> Vec<Policy> {
    KINDS
        .iter()
        .filter_map(|&kind| Policy::parse(doc, kind).ok())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_never_panics_on_noise(text in "\\PC{0,300}") {
        for kind in KINDS {
            let _ = Policy::parse(&text, kind).map_err(|e| (e.code(), e.message()));
        }
    }

    #[test]
    fn parse_never_panics_on_json_ish(text in r#"[\[\]{}:,"\\ a-zA-Z0-9*?/.\-]{0,300}"#) {
        for kind in KINDS {
            let _ = Policy::parse(&text, kind);
        }
    }

    #[test]
    fn structured_policies_never_panic(
        doc in document(),
        action in pick(ACTIONS),
        resource in pick(RESOURCES),
        caller in caller(),
        ctx in context(),
        acl in any::<bool>(),
    ) {
        let policies = parse_all(&doc);
        let refs: Vec<&Policy> = policies.iter().collect();
        let request = Request::new(action, resource, &ctx).with_principal(&caller).with_resource_owner("1");
        let evaluation = evaluate(&refs, &request);
        prop_assert_eq!(evaluation.decision == Decision::ImplicitDeny, evaluation.matched.is_none());
        let subject = Subject { caller: &caller, identity: &refs, session: refs.first().copied() };
        let target = OssTarget { bucket_owner: "1", bucket_policy: refs.last().copied(), acl_allows: acl, public_access: ossd_policy::PublicAccessBlock::default() };
        let _ = authorize_oss(&subject, &target, &request);
        let _ = authorize_ram(&subject, "1", &request);
        if let Some(trust) = refs.first() {
            let role = RoleTarget { account_id: "1", role_name: "r", trust_policy: trust };
            let _ = authorize_assume_role(&subject, &role, &ctx);
        }
    }

    #[test]
    fn deny_everything_always_wins(doc in document(), action in pick(ACTIONS), resource in pick(RESOURCES), ctx in context()) {
        let deny_all = Policy::parse(r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#, PolicyKind::Identity).unwrap();
        let mut policies = parse_all(&doc);
        policies.retain(|p| p.kind() == PolicyKind::Identity);
        let mut refs: Vec<&Policy> = policies.iter().collect();
        refs.push(&deny_all);
        let evaluation = evaluate(&refs, &Request::new(action, resource, &ctx));
        prop_assert_eq!(evaluation.decision, Decision::ExplicitDeny);
        let matched = evaluation.matched.unwrap();
        prop_assert_eq!(refs[matched.policy_index].statements()[matched.statement_index].effect(), Effect::Deny);
    }
}

/// The structured generator yields valid documents of every kind often enough to exercise
/// `evaluate` (otherwise the properties above would test only the error paths).
#[test]
fn generator_yields_valid_policies() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut valid = [0usize; 4];
    for _ in 0..2000 {
        let doc = document().new_tree(&mut runner).unwrap().current();
        for (i, kind) in KINDS.iter().enumerate() {
            valid[i] += usize::from(Policy::parse(&doc, *kind).is_ok());
        }
    }
    println!("valid per kind (Identity, Trust, Bucket, Session): {valid:?}");
    assert!(valid.iter().all(|&n| n >= 20), "{valid:?}");
}
