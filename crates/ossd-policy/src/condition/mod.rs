//! The `Condition` element: operators over request context keys
//! (docs/protocol/policy.md#conditions).
//!
//! Values listed for one key are OR-ed, keys under one operator AND-ed, operators AND-ed.
//! A key missing from the request makes a positive operator false and a negated one true.

mod date;
mod decimal;
mod ip;
mod operator;
mod values;

pub(crate) use date::format_instant;

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
    /// The key in [`keys::normalize`] form.
    key: String,
    /// The listed values, typed for the operator.
    values: Values,
}

/// A whole `Condition` block; true iff every test is true.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConditionBlock(Vec<Condition>);

impl ConditionBlock {
    /// Parses and validates a `Condition` element.
    pub(crate) fn parse(json: &Json) -> Result<Self, String> {
        let operators = non_empty_object(json, "Condition")?;
        let mut tests = Vec::new();
        for (name, body) in operators {
            let operator = Operator::parse(name)?;
            for (key, value) in non_empty_object(body, name)? {
                tests.push(parse_test(operator, key, value)?);
            }
        }
        Ok(Self(tests))
    }

    /// Whether the block holds for `context`.
    pub(crate) fn holds(&self, context: &RequestContext) -> bool {
        self.0.iter().all(|test| test.holds(context))
    }
}

impl Condition {
    /// Evaluates this test; multi-valued request keys match if any of their values matches.
    fn holds(&self, context: &RequestContext) -> bool {
        match context.get_normalized(&self.key) {
            Some(found) if !found.is_empty() => {
                found.iter().any(|v| self.values.any_matches(v)) != self.negated
            }
            _ => self.negated,
        }
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
        key: keys::normalize(key),
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
