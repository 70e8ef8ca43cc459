//! Action patterns: `service:Name` with `*` / `?` wildcards, compared case-insensitively
//! (docs/protocol/policy.md#action-matching).

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

    /// Whether the pattern matches `action` (compared case-insensitively).
    pub(crate) fn matches(&self, action: &ActionName<'_>) -> bool {
        match action {
            ActionName::Ascii(text) => {
                wildcard::matches_ascii_lower(&self.0, text).unwrap_or(false)
            }
            ActionName::Lower(lower) => wildcard::matches(&self.0, lower),
        }
    }

    /// The lower-cased pattern.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// A request's action, prepared once per evaluation for matching against lower-cased patterns.
///
/// An ASCII action (every RAM action in practice) is folded byte by byte while matching, so no
/// lower-cased copy is made; any other action is lower-cased once with `to_lowercase`.
pub(crate) enum ActionName<'a> {
    /// An ASCII action in any case.
    Ascii(&'a str),
    /// A non-ASCII action, lower-cased.
    Lower(String),
}

impl<'a> ActionName<'a> {
    /// Prepares `action` (any case).
    pub(crate) fn new(action: &'a str) -> Self {
        if action.is_ascii() {
            Self::Ascii(action)
        } else {
            Self::Lower(action.to_lowercase())
        }
    }
}

/// Whether `action` (any case) is matched by `pattern` (any case), per
/// docs/protocol/policy.md#action-matching.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard::matches(&pattern.to_lowercase(), &action.to_lowercase())
}
