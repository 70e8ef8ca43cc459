//! Resource ARNs: field-wise matching (docs/protocol/policy.md#resource-matching) and the ARNs this
//! crate builds (docs/protocol/ram.md#arns,
//! docs/protocol/authorization.md#assumerole-authorization). IAM-grammar ARNs
//! (`arn:aws:s3:::bucket/key`, `arn:aws:iam::acct:role/name`) are rewritten to the RAM form when
//! parsed (docs/protocol/iam-grammar.md#resources).

use crate::wildcard;

/// One `Resource` / `NotResource` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ResourcePattern {
    /// `"*"`: every resource.
    Any,
    /// `acs:service:region:account:relative-id`, each field a wildcard pattern.
    Fields([String; 5]),
}

impl ResourcePattern {
    /// Validates `text`: `*`, or five `:`-separated fields (the last may contain `:`).
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        if text == "*" {
            return Ok(Self::Any);
        }
        if let Some(fields) = aws_resource(text) {
            return fields.map(Self::Fields);
        }
        match split(text) {
            Some(mut fields) if !text.chars().any(char::is_control) => {
                for i in [2, 3] {
                    if fields[i].is_empty() {
                        fields[i] = "*";
                    }
                }
                Ok(Self::Fields(fields.map(str::to_owned)))
            }
            _ => Err(format!("invalid resource \"{}\"", crate::parse::clip(text))),
        }
    }

    /// Whether the pattern matches the request resource `resource`.
    pub(crate) fn matches(&self, resource: &str) -> bool {
        self.matches_fields(split(resource).as_ref())
    }

    /// [`Self::matches`] for a resource already split by [`split`] (`None`: not an ARN), so that
    /// one evaluation splits the request resource once, not once per pattern.
    pub(crate) fn matches_fields(&self, fields: Option<&[&str; 5]>) -> bool {
        match (self, fields) {
            (Self::Any, _) => true,
            (Self::Fields(pattern), Some(fields)) => pattern
                .iter()
                .zip(fields)
                .all(|(p, f)| wildcard::matches(p, f)),
            (Self::Fields(_), None) => false,
        }
    }
}

/// The prefix of S3 resource ARNs (docs/protocol/iam-grammar.md#resources).
const AWS_S3: &str = "arn:aws:s3:";
/// The prefix of IAM resource ARNs (docs/protocol/iam-grammar.md#resources).
const AWS_IAM: &str = "arn:aws:iam:";

/// The RAM fields of an IAM-grammar resource (docs/protocol/iam-grammar.md#resources):
/// `arn:aws:s3:::{bucket}[/{key}]` → `acs:oss:*:*:{bucket}[/{key}]` and
/// `arn:aws:iam::{acct}:{user|role}/{name}` → `acs:ram:*:{acct}:{user|role}/{name}`. `None`
/// when `text` is neither.
fn aws_resource(text: &str) -> Option<Result<[String; 5], String>> {
    let invalid = |expected: &str| {
        Err(format!(
            "invalid resource \"{}\": expected {expected}",
            crate::parse::clip(text)
        ))
    };
    let fields = |service: &str, account: &str, rest: &str| {
        let account = if account.is_empty() { "*" } else { account };
        ["acs", service, "*", account, rest].map(str::to_owned)
    };
    if let Some(rest) = text.strip_prefix(AWS_S3) {
        return Some(match rest.strip_prefix("::") {
            Some(path) if !path.is_empty() && !has_control(path) => Ok(fields("oss", "*", path)),
            _ => invalid("arn:aws:s3:::{bucket}[/{key}]"),
        });
    }
    let rest = text.strip_prefix(AWS_IAM)?;
    Some(
        match rest.strip_prefix(':').and_then(|r| r.split_once(':')) {
            Some((account, path)) if !path.is_empty() && !has_control(path) => {
                Ok(fields("ram", account, path))
            }
            _ => invalid("arn:aws:iam::{account}:{user|role}/{name}"),
        },
    )
}

/// Whether `text` has a control character.
fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Splits an ARN at its first four `:` into five fields.
pub(crate) fn split(text: &str) -> Option<[&str; 5]> {
    let mut parts = text.splitn(5, ':');
    let fields = [
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ];
    Some(fields)
}

/// Whether the resource `pattern` matches `resource`, field by field
/// (docs/protocol/policy.md#resource-matching).
///
/// An invalid pattern matches nothing.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    ResourcePattern::parse(pattern).is_ok_and(|p| p.matches(resource))
}

/// The authorisation resource of a RAM role: `acs:ram:*:{account}:role/{name}`
/// (docs/protocol/authorization.md#assumerole-authorization, #ram-and-sts-action-resources).
pub fn ram_role_arn(account_id: &str, role_name: &str) -> String {
    format!("acs:ram:*:{account_id}:role/{role_name}")
}

/// A RAM authorisation resource `acs:ram:*:{account}:{relative}` such as `user/alice`
/// (docs/protocol/authorization.md#ram-and-sts-action-resources).
pub fn ram_resource_arn(account_id: &str, relative_id: &str) -> String {
    format!("acs:ram:*:{account_id}:{relative_id}")
}
