//! The `Condition` element: operators over request context keys
//! (docs/protocol/policy.md#conditions).
//!
//! Values listed for one key are OR-ed, keys under one operator AND-ed, operators AND-ed.
//! A key missing from the request makes a positive operator false and a negated one true, and
//! any `…IfExists` operator true; `Null` tests only whether the key is present
//! (docs/protocol/iam-grammar.md#condition-keys).

mod date;
mod decimal;
mod ip;
mod operator;
mod values;

pub(crate) use date::format_instant;

use crate::caller::Caller;
use crate::context::RequestContext;
use crate::json::Json;
use crate::keys;
use operator::Operator;
use values::Values;

/// The names of every supported condition operator (docs/protocol/policy.md#conditions).
pub fn operator_names() -> impl Iterator<Item = &'static str> {
    operator::OPERATORS.iter().map(|(name, _, _)| *name)
}

/// One `operator: { key: values }` test.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Condition {
    /// Negated operators are true iff no request value matches any listed value.
    negated: bool,
    /// `…IfExists`: a key absent from the request satisfies the test.
    if_exists: bool,
    /// The keys read, in [`keys::normalize`] form: the first present one counts
    /// ([`keys::lookup_keys`]).
    keys: Vec<String>,
    /// The listed values, typed for the operator.
    values: Values,
}

/// A whole `Condition` block; true iff every test is true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConditionBlock(Vec<Condition>);

impl ConditionBlock {
    /// Parses and validates a `Condition` element; `iam` for the IAM grammar, which also has the
    /// `…IfExists` operators and `Null`.
    pub(crate) fn parse(json: &Json, iam: bool) -> Result<Self, String> {
        let operators = non_empty_object(json, "Condition")?;
        let mut tests = Vec::new();
        for (name, body) in operators {
            let operator = Operator::parse(name, iam)?;
            for (key, value) in non_empty_object(body, name)? {
                tests.push(parse_test(operator, key, value)?);
            }
        }
        Ok(Self(tests))
    }

    /// Whether the block holds for `context`; `caller` provides the keys derived from the caller
    /// (`aws:PrincipalArn`, `aws:username`).
    pub(crate) fn holds(&self, context: &RequestContext, caller: Option<&Caller>) -> bool {
        self.0.iter().all(|test| test.holds(context, caller))
    }

    /// Whether the block confines a statement to callers fixed in advance
    /// (docs/protocol/policy.md#public-policies): some test requires one of
    /// [`keys::CALLER_LIMITING`] to equal fixed values. Tests are AND-ed, so one such test
    /// limits the whole statement.
    pub(crate) fn limits_callers(&self) -> bool {
        self.0.iter().any(Condition::limits_callers)
    }
}

impl Condition {
    /// A positive test (not negated, not `…IfExists`, which an absent key passes) of a
    /// caller-limiting key against fixed values only.
    fn limits_callers(&self) -> bool {
        !self.negated
            && !self.if_exists
            && self.keys.first().is_some_and(|key| {
                keys::CALLER_LIMITING
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(key))
            })
            && self.values.all_fixed()
    }

    /// Evaluates this test; multi-valued request keys match if any of their values matches.
    fn holds(&self, context: &RequestContext, caller: Option<&Caller>) -> bool {
        let found = self
            .keys
            .iter()
            .find_map(|key| context.get_normalized(key).filter(|v| !v.is_empty()));
        let from_caller = || self.keys.first().and_then(|key| derived(key, caller?));
        if let Some(found) = found {
            if let Some(holds) = self.values.null_holds(true) {
                return holds;
            }
            return found.iter().any(|v| self.values.any_matches(v)) != self.negated;
        }
        let value = from_caller();
        if let Some(holds) = self.values.null_holds(value.is_some()) {
            return holds;
        }
        match value {
            Some(value) => self.values.any_matches(&value) != self.negated,
            None => self.negated || self.if_exists,
        }
    }
}

/// The value of a key derived from the caller (docs/protocol/iam-grammar.md#condition-keys).
fn derived(key: &str, caller: &Caller) -> Option<String> {
    if key.eq_ignore_ascii_case(keys::PRINCIPAL_ARN) {
        caller.iam_arn()
    } else if key.eq_ignore_ascii_case(keys::USERNAME) {
        caller.user_name().map(str::to_owned)
    } else {
        None
    }
}

/// Validates one key and its values.
fn parse_test(operator: Operator, key: &str, value: &Json) -> Result<Condition, String> {
    if !keys::is_known(key) {
        return Err(format!(
            "unknown condition key \"{}\"",
            crate::parse::clip(key)
        ));
    }
    Ok(Condition {
        negated: operator.negated,
        if_exists: operator.if_exists,
        keys: keys::lookup_keys(key),
        values: Values::parse(operator.test, value)?,
    })
}

/// The members of a non-empty JSON object, or an error naming `what`.
fn non_empty_object<'a>(json: &'a Json, what: &str) -> Result<&'a [(String, Json)], String> {
    match json {
        Json::Object(members) if !members.is_empty() => Ok(members),
        Json::Object(_) => Err(format!("empty \"{}\" block", crate::parse::clip(what))),
        other => Err(format!(
            "\"{}\" must be an object, not {}",
            crate::parse::clip(what),
            other.type_name()
        )),
    }
}
