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
    /// IAM grammar `Null`: whether the key is absent (`true`) or present (`false`).
    Null,
}

/// A parsed operator: its test, whether the result is negated (`…Not…`), and whether an absent
/// key satisfies it (`…IfExists`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operator {
    /// What is tested.
    pub(crate) test: Test,
    /// `true` for negated operators: true iff no listed value matches.
    pub(crate) negated: bool,
    /// `true` for the `…IfExists` form: a key absent from the request satisfies the test.
    pub(crate) if_exists: bool,
}

/// Every operator of docs/protocol/policy.md#conditions: name, test, negated; the IAM grammar's
/// `Arn…` operators compare like `StringLike`, and its `Null` tests whether the key is absent
/// (docs/protocol/iam-grammar.md#condition-keys). Each but `Null` also has an `…IfExists` form.
pub(crate) const OPERATORS: [(&str, Test, bool); 27] = [
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
    ("Null", Test::Null, false),
];

/// The suffix of the `…IfExists` operators (IAM JSON policy reference, "…IfExists condition
/// operators"): the test as without it, but true when the key is absent from the request.
const IF_EXISTS: &str = "ifexists";

impl Operator {
    /// Looks up an operator name (case-insensitive); set qualifiers are rejected. In the IAM
    /// grammar (`iam`) an `IfExists` suffix is accepted (not on `Null`), and `Null` itself; RAM's
    /// grammar documents neither and rejects both (docs/protocol/policy.md#conditions).
    pub(crate) fn parse(name: &str, iam: bool) -> Result<Self, String> {
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("foranyvalue:") || lower.starts_with("forallvalues:") {
            return Err(format!(
                "unsupported set qualifier in operator \"{}\"",
                clip(name)
            ));
        }
        let (base, if_exists) = match lower.strip_suffix(IF_EXISTS) {
            Some(_) if !iam => {
                return Err(format!("unsupported IfExists operator \"{}\"", clip(name)));
            }
            Some(base) => (base, true),
            None => (lower.as_str(), false),
        };
        let unknown = || format!("unknown condition operator \"{}\"", clip(name));
        let &(_, test, negated) = OPERATORS
            .iter()
            .find(|(op, _, _)| op.eq_ignore_ascii_case(base))
            .ok_or_else(unknown)?;
        if test == Test::Null && (if_exists || !iam) {
            return Err(unknown());
        }
        Ok(Self {
            test,
            negated,
            if_exists,
        })
    }
}

/// Shortens user text for error messages.
fn clip(text: &str) -> String {
    crate::parse::clip(text)
}
