//! Action patterns: `service:Name` with `*` / `?` wildcards, compared case-insensitively (spec 5.2).

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

    /// Whether the pattern matches `action`, which must already be lower-cased.
    pub(crate) fn matches(&self, action_lower: &str) -> bool {
        wildcard::matches(&self.0, action_lower)
    }

    /// The lower-cased pattern.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `action` (any case) is matched by `pattern` (any case), per spec 5.2.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard::matches(&pattern.to_lowercase(), &action.to_lowercase())
}
