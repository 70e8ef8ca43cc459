//! Conditional requests: `If-Match`, `If-None-Match`, `If-Modified-Since`,
//! `If-Unmodified-Since` (and the `x-oss-copy-source-if-*` forms, which follow the same rules;
//! docs/protocol/objects.md#getobject).

use crate::ETag;

/// The conditions a request carries. Times are Unix seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions {
    /// If-Match list.
    pub if_match: Option<String>,
    /// If-None-Match list.
    pub if_none_match: Option<String>,
    /// If-Modified-Since.
    pub if_modified_since: Option<i64>,
    /// If-Unmodified-Since.
    pub if_unmodified_since: Option<i64>,
}

/// The outcome of a failed condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionFailure {
    /// 304 Not Modified.
    NotModified,
    /// 412 Precondition Failed; the header name that failed.
    PreconditionFailed(&'static str),
}

impl Conditions {
    /// Whether no condition was sent.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Evaluates the conditions against an object's ETag and last-modified time (Unix seconds),
    /// in the order of RFC 7232 section 6.
    pub fn check(&self, etag: &ETag, modified: i64) -> Result<(), ConditionFailure> {
        let precondition = match (&self.if_match, self.if_unmodified_since) {
            (Some(m), _) if !etag.matches_list(m) => Some("If-Match"),
            (None, Some(t)) if modified > t => Some("If-Unmodified-Since"),
            _ => None,
        };
        if let Some(which) = precondition {
            return Err(ConditionFailure::PreconditionFailed(which));
        }
        let not_modified = match (&self.if_none_match, self.if_modified_since) {
            (Some(m), _) => etag.matches_list(m),
            (None, Some(t)) => modified <= t,
            (None, None) => false,
        };
        if not_modified {
            return Err(ConditionFailure::NotModified);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_of_evaluation() {
        let etag = ETag::from_inner("abc".to_owned());
        let c = |m: Option<&str>, n: Option<&str>, ims: Option<i64>, ius: Option<i64>| Conditions {
            if_match: m.map(str::to_owned),
            if_none_match: n.map(str::to_owned),
            if_modified_since: ims,
            if_unmodified_since: ius,
        };
        assert_eq!(Conditions::default().check(&etag, 10), Ok(()));
        assert!(Conditions::default().is_empty());
        let failed = |w| Err(ConditionFailure::PreconditionFailed(w));
        assert_eq!(
            c(Some("\"x\""), None, None, None).check(&etag, 10),
            failed("If-Match")
        );
        // If-Match wins over If-Unmodified-Since.
        assert_eq!(
            c(Some("\"abc\""), None, None, Some(5)).check(&etag, 10),
            Ok(())
        );
        assert_eq!(
            c(None, None, None, Some(5)).check(&etag, 10),
            failed("If-Unmodified-Since")
        );
        let not_modified = Err(ConditionFailure::NotModified);
        assert_eq!(
            c(None, Some("\"abc\""), None, None).check(&etag, 10),
            not_modified
        );
        // If-None-Match wins over If-Modified-Since.
        assert_eq!(
            c(None, Some("\"x\""), Some(20), None).check(&etag, 10),
            Ok(())
        );
        assert_eq!(c(None, None, Some(10), None).check(&etag, 10), not_modified);
        assert_eq!(c(None, None, Some(9), None).check(&etag, 10), Ok(()));
    }
}
