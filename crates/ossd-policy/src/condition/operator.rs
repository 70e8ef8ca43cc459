//! Condition operator names and what each one tests (docs/protocol/policy.md#conditions).

/// A comparison between the request value and a policy value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    /// request == policy
    Eq,
    /// request < policy
    Lt,
    /// request <= policy
    Le,
    /// request > policy
    Gt,
    /// request >= policy
    Ge,
}

impl Cmp {
    /// Whether `ordering` (request compared with policy) satisfies this comparison.
    pub(crate) fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Self::Eq => ordering == Equal,
            Self::Lt => ordering == Less,
            Self::Le => ordering != Greater,
            Self::Gt => ordering == Greater,
            Self::Ge => ordering != Less,
        }
    }
}

/// The family of test an operator performs; decides how its values are parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Test {
    /// Exact, case-sensitive string equality.
    StringEquals,
    /// String equality ignoring case.
    StringEqualsIgnoreCase,
    /// Case-sensitive `*` / `?` pattern.
    StringLike,
    /// Decimal number comparison.
    Numeric(Cmp),
    /// Instant comparison at second precision.
    Date(Cmp),
    /// Boolean equality.
    Bool,
    /// Address in a CIDR block (or wildcard pattern).
    Ip,
}

/// A parsed operator: its test and whether the result is negated (`…Not…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operator {
    /// What is tested.
    pub(crate) test: Test,
    /// `true` for negated operators: true iff no listed value matches.
    pub(crate) negated: bool,
}

/// Every operator of docs/protocol/policy.md#conditions: name, test, negated; the IAM grammar's
/// `Arn…` operators compare like `StringLike` (docs/protocol/iam-grammar.md#condition-keys).
pub(crate) const OPERATORS: [(&str, Test, bool); 26] = [
    ("StringEquals", Test::StringEquals, false),
    ("StringNotEquals", Test::StringEquals, true),
    (
        "StringEqualsIgnoreCase",
        Test::StringEqualsIgnoreCase,
        false,
    ),
    (
        "StringNotEqualsIgnoreCase",
        Test::StringEqualsIgnoreCase,
        true,
    ),
    ("StringLike", Test::StringLike, false),
    ("StringNotLike", Test::StringLike, true),
    ("NumericEquals", Test::Numeric(Cmp::Eq), false),
    ("NumericNotEquals", Test::Numeric(Cmp::Eq), true),
    ("NumericLessThan", Test::Numeric(Cmp::Lt), false),
    ("NumericLessThanEquals", Test::Numeric(Cmp::Le), false),
    ("NumericGreaterThan", Test::Numeric(Cmp::Gt), false),
    ("NumericGreaterThanEquals", Test::Numeric(Cmp::Ge), false),
    ("DateEquals", Test::Date(Cmp::Eq), false),
    ("DateNotEquals", Test::Date(Cmp::Eq), true),
    ("DateLessThan", Test::Date(Cmp::Lt), false),
    ("DateLessThanEquals", Test::Date(Cmp::Le), false),
    ("DateGreaterThan", Test::Date(Cmp::Gt), false),
    ("DateGreaterThanEquals", Test::Date(Cmp::Ge), false),
    ("Bool", Test::Bool, false),
    ("IpAddress", Test::Ip, false),
    ("NotIpAddress", Test::Ip, true),
    ("IpAddressIncludeBorder", Test::Ip, false),
    ("ArnEquals", Test::StringLike, false),
    ("ArnNotEquals", Test::StringLike, true),
    ("ArnLike", Test::StringLike, false),
    ("ArnNotLike", Test::StringLike, true),
];

impl Operator {
    /// Looks up an operator name (case-insensitive); set qualifiers and `IfExists` are rejected.
    pub(crate) fn parse(name: &str) -> Result<Self, String> {
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("foranyvalue:") || lower.starts_with("forallvalues:") {
            return Err(format!(
                "unsupported set qualifier in operator \"{}\"",
                clip(name)
            ));
        }
        if lower.ends_with("ifexists") {
            return Err(format!("unsupported IfExists operator \"{}\"", clip(name)));
        }
        OPERATORS
            .iter()
            .find(|(op, _, _)| op.eq_ignore_ascii_case(name))
            .map(|&(_, test, negated)| Self { test, negated })
            .ok_or_else(|| format!("unknown condition operator \"{}\"", clip(name)))
    }
}

/// Shortens user text for error messages.
fn clip(text: &str) -> String {
    crate::parse::clip(text)
}
