//! The policy values of one condition, parsed for their operator, and how they match
//! (docs/protocol/policy.md#conditions).

use super::date::parse_instant;
use super::decimal::Decimal;
use super::ip::{IpPattern, parse_addr};
use super::operator::{Cmp, Test};
use crate::json::Json;
use crate::wildcard;

/// The values listed for one key, typed by the operator's test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Values {
    /// `StringEquals` family.
    Exact(Vec<String>),
    /// `StringEqualsIgnoreCase` family, stored lower-cased.
    IgnoreCase(Vec<String>),
    /// `StringLike` family.
    Like(Vec<String>),
    /// `Numeric*`.
    Numeric(Cmp, Vec<Decimal>),
    /// `Date*`, as Unix seconds.
    Date(Cmp, Vec<i64>),
    /// `Bool`.
    Bool(Vec<bool>),
    /// IP operators.
    Ip(Vec<IpPattern>),
    /// `Null`: `true` asks for the key to be absent, `false` for it to be present.
    Null(Vec<bool>),
}

/// One scalar JSON value accepted in a condition.
enum Scalar<'a> {
    /// A JSON string.
    Str(&'a str),
    /// A JSON number, as its text.
    Num(String),
    /// A JSON boolean.
    Bool(bool),
}

impl Values {
    /// Parses the value (string, number, boolean or non-empty array of them) for `test`.
    pub(crate) fn parse(test: Test, json: &Json) -> Result<Self, String> {
        let scalars = scalars(json)?;
        Ok(match test {
            Test::StringEquals => Self::Exact(typed(&scalars, as_text)?),
            Test::StringEqualsIgnoreCase => {
                let list = typed(&scalars, as_text)?;
                Self::IgnoreCase(list.iter().map(|t| t.to_lowercase()).collect())
            }
            Test::StringLike => Self::Like(typed(&scalars, as_text)?),
            Test::Numeric(cmp) => Self::Numeric(cmp, typed(&scalars, as_number)?),
            Test::Date(cmp) => Self::Date(cmp, typed(&scalars, as_date)?),
            Test::Bool => Self::Bool(typed(&scalars, as_bool)?),
            Test::Ip => Self::Ip(typed(&scalars, as_ip)?),
            Test::Null => Self::Null(typed(&scalars, as_bool)?),
        })
    }

    /// Whether the request value `value` matches at least one listed value.
    pub(crate) fn any_matches(&self, value: &str) -> bool {
        match self {
            Self::Exact(list) => list.iter().any(|p| p == value),
            Self::IgnoreCase(list) => {
                let lower = value.to_lowercase();
                list.contains(&lower)
            }
            Self::Like(list) => list.iter().any(|p| wildcard::matches(p, value)),
            Self::Numeric(cmp, list) => {
                Decimal::parse(value).is_some_and(|v| list.iter().any(|p| cmp.holds(v.compare(p))))
            }
            Self::Date(cmp, list) => {
                parse_instant(value).is_some_and(|v| list.iter().any(|p| cmp.holds(v.cmp(p))))
            }
            Self::Bool(list) => parse_bool(value).is_some_and(|v| list.contains(&v)),
            Self::Ip(list) => parse_addr(value).is_some_and(|a| list.iter().any(|p| p.contains(a))),
            // `Null` tests presence, not a value ([`Values::null_holds`]).
            Self::Null(_) => false,
        }
    }

    /// For `Null`, whether a key that is `present` (or not) satisfies the test; `None` for every
    /// other operator.
    pub(crate) fn null_holds(&self, present: bool) -> Option<bool> {
        match self {
            Self::Null(list) => Some(list.contains(&!present)),
            _ => None,
        }
    }

    /// Whether every listed value is a fixed one (docs/protocol/policy.md#public-policies): an
    /// exact string, a `StringLike` pattern without `*` or `?`, or an address block narrower
    /// than the whole address space; never for the other operator families.
    pub(crate) fn all_fixed(&self) -> bool {
        match self {
            Self::Exact(list) | Self::IgnoreCase(list) => !list.is_empty(),
            Self::Like(list) => !list.is_empty() && list.iter().all(|v| !v.contains(['*', '?'])),
            Self::Ip(list) => !list.is_empty() && list.iter().all(IpPattern::is_fixed_block),
            Self::Numeric(..) | Self::Date(..) | Self::Bool(_) | Self::Null(_) => false,
        }
    }
}

/// Flattens a scalar or a non-empty array of scalars.
fn scalars(json: &Json) -> Result<Vec<Scalar<'_>>, String> {
    match json {
        Json::Array(items) if items.is_empty() => Err("empty condition value list".to_owned()),
        Json::Array(items) => items.iter().map(scalar).collect(),
        other => scalar(other).map(|s| vec![s]),
    }
}

/// One string, number or boolean.
fn scalar(json: &Json) -> Result<Scalar<'_>, String> {
    match json {
        Json::String(s) => Ok(Scalar::Str(s)),
        Json::Number(n) => Ok(Scalar::Num(n.to_string())),
        Json::Bool(b) => Ok(Scalar::Bool(*b)),
        other => Err(format!("condition value must not be {}", other.type_name())),
    }
}

/// Converts every scalar with `f`, failing on the first one it rejects.
fn typed<T>(scalars: &[Scalar<'_>], f: fn(&Scalar<'_>) -> Option<T>) -> Result<Vec<T>, String> {
    scalars.iter().map(|s| f(s).ok_or_else(|| bad(s))).collect()
}

/// The error for a value the operator cannot use.
fn bad(scalar: &Scalar<'_>) -> String {
    let text = match scalar {
        Scalar::Str(s) => crate::parse::clip(s),
        Scalar::Num(n) => n.clone(),
        Scalar::Bool(b) => b.to_string(),
    };
    format!("invalid condition value \"{text}\" for its operator")
}

/// Any scalar as text (numbers and booleans in their JSON spelling).
fn as_text(scalar: &Scalar<'_>) -> Option<String> {
    Some(match scalar {
        Scalar::Str(s) => (*s).to_owned(),
        Scalar::Num(n) => n.clone(),
        Scalar::Bool(b) => b.to_string(),
    })
}

/// A JSON number or a numeric string.
fn as_number(scalar: &Scalar<'_>) -> Option<Decimal> {
    match scalar {
        Scalar::Str(s) => Decimal::parse(s),
        Scalar::Num(n) => Decimal::parse(n),
        Scalar::Bool(_) => None,
    }
}

/// An ISO 8601 string.
fn as_date(scalar: &Scalar<'_>) -> Option<i64> {
    match scalar {
        Scalar::Str(s) => parse_instant(s),
        _ => None,
    }
}

/// A JSON boolean or `"true"` / `"false"` (any case).
fn as_bool(scalar: &Scalar<'_>) -> Option<bool> {
    match scalar {
        Scalar::Str(s) => parse_bool(s),
        Scalar::Bool(b) => Some(*b),
        Scalar::Num(_) => None,
    }
}

/// An address, CIDR block or wildcard pattern.
fn as_ip(scalar: &Scalar<'_>) -> Option<IpPattern> {
    match scalar {
        Scalar::Str(s) => IpPattern::parse(s),
        _ => None,
    }
}

/// `"true"` / `"false"`, any case.
fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}
