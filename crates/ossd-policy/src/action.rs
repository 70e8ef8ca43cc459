//! Action patterns: `service:Name` with `*` / `?` wildcards, compared case-insensitively
//! (docs/protocol/policy.md#action-matching). An `s3:` pattern (IAM grammar) is matched against
//! the S3 name of the request's RAM action (docs/protocol/iam-grammar.md#actions).

use crate::wildcard;

/// One `Action` / `NotAction` entry, stored lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActionPattern(String);

impl ActionPattern {
    /// Validates `text` (`*` or `<service>:<name>`, both parts non-empty).
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let valid = text == "*"
            || text
                .split_once(':')
                .is_some_and(|(service, name)| !service.is_empty() && !name.is_empty());
        if !valid || text.chars().any(char::is_whitespace) {
            return Err(format!("invalid action \"{}\"", crate::parse::clip(text)));
        }
        Ok(Self(text.to_lowercase()))
    }

    /// Whether the pattern matches `action` (compared case-insensitively): the action itself,
    /// or for an `s3:` pattern also the action's S3 name.
    pub(crate) fn matches(&self, action: &ActionName<'_>) -> bool {
        let s3_alias = || {
            action
                .s3
                .is_some_and(|s3| wildcard::matches_ascii_lower(&self.0, s3).unwrap_or(false))
        };
        if self.0.starts_with(S3_SERVICE) && s3_alias() {
            return true;
        }
        match action.name {
            Name::Ascii(text) => wildcard::matches_ascii_lower(&self.0, text).unwrap_or(false),
            Name::Lower(ref lower) => wildcard::matches(&self.0, lower),
        }
    }

    /// The lower-cased pattern.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// The service prefix of IAM-grammar S3 actions, lower-cased like stored patterns.
const S3_SERVICE: &str = "s3:";

/// A request's action, prepared once per evaluation for matching against lower-cased patterns:
/// the action itself and its S3 name (looked up once).
pub(crate) struct ActionName<'a> {
    /// The action.
    name: Name<'a>,
    /// The S3 name of the action (docs/protocol/iam-grammar.md#actions), if it has one.
    s3: Option<&'static str>,
}

/// An ASCII action (every RAM action in practice) is folded byte by byte while matching, so no
/// lower-cased copy is made; any other action is lower-cased once with `to_lowercase`.
enum Name<'a> {
    /// An ASCII action in any case.
    Ascii(&'a str),
    /// A non-ASCII action, lower-cased.
    Lower(String),
}

impl<'a> ActionName<'a> {
    /// Prepares `action` (any case).
    pub(crate) fn new(action: &'a str) -> Self {
        let name = if action.is_ascii() {
            Name::Ascii(action)
        } else {
            Name::Lower(action.to_lowercase())
        };
        Self {
            name,
            s3: crate::oss_actions::s3_action(action),
        }
    }
}

/// Whether `action` (any case) is matched by `pattern` (any case), per
/// docs/protocol/policy.md#action-matching; an `s3:` pattern matches the action's S3 name
/// (docs/protocol/iam-grammar.md#actions).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    ActionPattern(pattern.to_lowercase()).matches(&ActionName::new(action))
}
