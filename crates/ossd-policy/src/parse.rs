//! The policy grammar: JSON → [`Policy`], with RAM's validation rules
//! (docs/protocol/policy.md#document-structure, #validation-and-size-limits, #trust-policies).

use crate::action::ActionPattern;
use crate::arn::ResourcePattern;
use crate::condition::ConditionBlock;
use crate::document::{Effect, PatternList, Policy, Statement};
use crate::error::PolicyError;
use crate::json::Json;
use crate::kind::PolicyKind;
use crate::principal::PrincipalSpec;

/// Longest piece of user text quoted in an error message, in characters.
const MAX_QUOTED_CHARS: usize = 64;

/// The statement elements, before validation.
#[derive(Default)]
struct Elements<'a> {
    sid: Option<&'a Json>,
    effect: Option<&'a Json>,
    action: Option<&'a Json>,
    not_action: Option<&'a Json>,
    resource: Option<&'a Json>,
    not_resource: Option<&'a Json>,
    principal: Option<&'a Json>,
    condition: Option<&'a Json>,
}

/// Checks the size, then parses and validates `text` as a policy of `kind`.
pub(crate) fn parse(text: &str, kind: PolicyKind) -> Result<Policy, PolicyError> {
    let (size, limit) = (kind.size_of(text), kind.limit());
    if size > limit {
        return Err(PolicyError::TooLong { kind, size, limit });
    }
    let malformed = |detail| PolicyError::Malformed { kind, detail };
    let root = Json::parse(text).map_err(malformed)?;
    let statements = parse_document(&root, kind).map_err(malformed)?;
    Ok(Policy {
        kind,
        statements,
        name: None,
    })
}

/// The accepted `Version` values: RAM's `"1"` and the IAM grammar's `"2012-10-17"`
/// (docs/protocol/policy.md#document-structure, docs/protocol/iam-grammar.md#document).
const VERSIONS: [&str; 2] = ["1", IAM_VERSION];
/// The IAM grammar's `Version` (docs/protocol/iam-grammar.md#document).
const IAM_VERSION: &str = "2012-10-17";

/// Validates the top level: `Version` ("1" or "2012-10-17") and `Statement`, and in the IAM
/// grammar an optional string `Id`.
fn parse_document(root: &Json, kind: PolicyKind) -> Result<Vec<Statement>, String> {
    let Json::Object(members) = root else {
        return Err(format!(
            "the policy document must be an object, not {}",
            root.type_name()
        ));
    };
    let (mut version, mut statements, mut id) = (None, None, None);
    for (name, value) in members {
        match name.as_str() {
            "Version" => version = Some(value),
            "Statement" => statements = Some(value),
            "Id" => id = Some(value),
            other => return Err(format!("unknown element \"{}\"", clip(other))),
        }
    }
    match version {
        Some(Json::String(v)) if VERSIONS.contains(&v.as_str()) => {
            if id.is_some() && v != IAM_VERSION {
                return Err("unknown element \"Id\"".to_owned());
            }
        }
        Some(_) => return Err("\"Version\" must be \"1\" or \"2012-10-17\"".to_owned()),
        None => return Err("missing element \"Version\"".to_owned()),
    }
    if let Some(other) = id.filter(|v| !matches!(v, Json::String(_))) {
        return Err(format!(
            "\"Id\" must be a string, not {}",
            other.type_name()
        ));
    }
    let statements = statements.ok_or("missing element \"Statement\"")?;
    let grammar = match version {
        Some(Json::String(v)) if v == IAM_VERSION => Grammar::Iam,
        _ => Grammar::Ram,
    };
    parse_statements(statements, kind, grammar)
}

/// The grammar a document is written in, by its `Version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grammar {
    /// RAM's `"1"`.
    Ram,
    /// The IAM grammar's `"2012-10-17"`.
    Iam,
}

/// Parses `Statement`: an array of statement objects, or one object (Design).
fn parse_statements(
    json: &Json,
    kind: PolicyKind,
    grammar: Grammar,
) -> Result<Vec<Statement>, String> {
    let items: Vec<&Json> = match json {
        Json::Array(items) if items.is_empty() => return Err("empty \"Statement\"".to_owned()),
        Json::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    let statement = |(i, item): (usize, &Json)| {
        parse_statement(item, kind, grammar).map_err(|e| format!("Statement[{i}]: {e}"))
    };
    items.into_iter().enumerate().map(statement).collect()
}

/// Parses and validates one statement.
fn parse_statement(json: &Json, kind: PolicyKind, grammar: Grammar) -> Result<Statement, String> {
    let Json::Object(members) = json else {
        return Err(format!(
            "a statement must be an object, not {}",
            json.type_name()
        ));
    };
    let e = collect(members)?;
    Ok(Statement {
        sid: parse_sid(e.sid)?,
        effect: parse_effect(e.effect)?,
        actions: parse_actions(&e, kind)?,
        resources: parse_resources(&e, kind)?,
        principal: parse_principal(e.principal, kind, grammar)?,
        condition: e
            .condition
            .map(|c| ConditionBlock::parse(c, grammar == Grammar::Iam))
            .transpose()?,
    })
}

/// Sorts statement members into [`Elements`], rejecting unknown ones.
fn collect(members: &[(String, Json)]) -> Result<Elements<'_>, String> {
    let mut e = Elements::default();
    for (name, value) in members {
        let slot = match name.as_str() {
            "Sid" => &mut e.sid,
            "Effect" => &mut e.effect,
            "Action" => &mut e.action,
            "NotAction" => &mut e.not_action,
            "Resource" => &mut e.resource,
            "NotResource" => &mut e.not_resource,
            "Principal" => &mut e.principal,
            "Condition" => &mut e.condition,
            other => return Err(format!("unknown element \"{}\"", clip(other))),
        };
        *slot = Some(value);
    }
    Ok(e)
}

/// `Sid`: an optional string, accepted and kept (Design).
fn parse_sid(json: Option<&Json>) -> Result<Option<String>, String> {
    match json {
        None => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!(
            "\"Sid\" must be a string, not {}",
            other.type_name()
        )),
    }
}

/// `Effect`: exactly `Allow` or `Deny`.
fn parse_effect(json: Option<&Json>) -> Result<Effect, String> {
    match json {
        Some(Json::String(s)) if s == "Allow" => Ok(Effect::Allow),
        Some(Json::String(s)) if s == "Deny" => Ok(Effect::Deny),
        Some(_) => Err("\"Effect\" must be \"Allow\" or \"Deny\"".to_owned()),
        None => Err("missing element \"Effect\"".to_owned()),
    }
}

/// `Action` xor `NotAction`; trust policies allow only `Action: sts:AssumeRole`.
fn parse_actions(e: &Elements<'_>, kind: PolicyKind) -> Result<PatternList<ActionPattern>, String> {
    let list = exactly_one(e.action, e.not_action, "Action", "NotAction")?;
    let list = pattern_list(list, "Action", ActionPattern::parse)?;
    let assume_role_only = |l: &PatternList<ActionPattern>| {
        !l.negated && l.patterns.iter().all(|p| p.as_str() == "sts:assumerole")
    };
    if kind == PolicyKind::Trust && !assume_role_only(&list) {
        return Err("a trust policy may only use \"Action\": \"sts:AssumeRole\"".to_owned());
    }
    Ok(list)
}

/// `Resource` xor `NotResource`, required except in trust policies, where it is forbidden.
fn parse_resources(
    e: &Elements<'_>,
    kind: PolicyKind,
) -> Result<Option<PatternList<ResourcePattern>>, String> {
    if !kind.has_resource() {
        if e.resource.is_some() || e.not_resource.is_some() {
            return Err("a trust policy must not contain \"Resource\"".to_owned());
        }
        return Ok(None);
    }
    let list = exactly_one(e.resource, e.not_resource, "Resource", "NotResource")?;
    pattern_list(list, "Resource", ResourcePattern::parse).map(Some)
}

/// `Principal`: required in trust policies and in IAM-grammar bucket policies, forbidden in
/// identity and session policies. A RAM-grammar bucket policy statement without one applies to
/// everyone, as `[]` and `["*"]` do: OSS accepts such a statement (oss2's and
/// alibabacloud-oss-v2's test_bucket_policy put one) and reports the policy as public
/// (v2's GetBucketPolicyStatus `IsPublic`), and OSS's "Policy syntax and elements" page says an
/// empty `Principal` is `["*"]` (docs/protocol/policy.md#bucket-policy-principals).
fn parse_principal(
    json: Option<&Json>,
    kind: PolicyKind,
    grammar: Grammar,
) -> Result<Option<PrincipalSpec>, String> {
    match (json, kind) {
        (None, PolicyKind::Bucket) if grammar == Grammar::Ram => Ok(Some(PrincipalSpec::anyone())),
        (None, _) if kind.has_principal() => Err("missing element \"Principal\"".to_owned()),
        (None, _) => Ok(None),
        (Some(_), _) if !kind.has_principal() => {
            Err("\"Principal\" is not allowed in this policy".to_owned())
        }
        (Some(p), PolicyKind::Trust) => PrincipalSpec::parse_trust(p).map(Some),
        (Some(p), _) => PrincipalSpec::parse_bucket(p).map(Some),
    }
}

/// Exactly one of a positive element and its `Not…` form; `true` marks the negated one.
fn exactly_one<'a>(
    positive: Option<&'a Json>,
    negated: Option<&'a Json>,
    name: &str,
    not_name: &str,
) -> Result<(bool, &'a Json), String> {
    match (positive, negated) {
        (Some(v), None) => Ok((false, v)),
        (None, Some(v)) => Ok((true, v)),
        (Some(_), Some(_)) => Err(format!("both \"{name}\" and \"{not_name}\"")),
        (None, None) => Err(format!("missing element \"{name}\" or \"{not_name}\"")),
    }
}

/// Parses each string of a string-or-array element with `parse`.
fn pattern_list<P>(
    (negated, json): (bool, &Json),
    what: &str,
    parse: fn(&str) -> Result<P, String>,
) -> Result<PatternList<P>, String> {
    let patterns = string_list(json, what)?
        .into_iter()
        .map(parse)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PatternList { negated, patterns })
}

/// A string, or a non-empty array of strings; empty strings are rejected.
pub(crate) fn string_list<'a>(json: &'a Json, what: &str) -> Result<Vec<&'a str>, String> {
    let one = |v: &'a Json| match v {
        Json::String(s) if !s.is_empty() => Ok(s.as_str()),
        Json::String(_) => Err(format!("empty string in \"{}\"", clip(what))),
        other => Err(format!(
            "\"{}\" must hold strings, not {}",
            clip(what),
            other.type_name()
        )),
    };
    match json {
        Json::Array(items) if items.is_empty() => Err(format!("empty \"{}\"", clip(what))),
        Json::Array(items) => items.iter().map(one).collect(),
        single => one(single).map(|s| vec![s]),
    }
}

/// User text shortened for an error message, control characters replaced.
pub(crate) fn clip(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(MAX_QUOTED_CHARS)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().nth(MAX_QUOTED_CHARS).is_some() {
        out.push('…');
    }
    out
}
