//! Conditional requests: If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since (and the
//! `x-oss-copy-source-if-*` forms, which follow the same rules).

use ossd_meta::ObjectRecord;
use ossd_types::ETag;

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

/// Evaluates `c` against `rec` in the order of RFC 7232 section 6.
pub fn check_conditions(rec: &ObjectRecord, c: &Conditions) -> Result<(), ConditionFailure> {
    let etag = ETag::from_inner(rec.etag.clone());
    let modified = rec.last_modified_ms.div_euclid(1000);
    let precondition = match (&c.if_match, c.if_unmodified_since) {
        (Some(m), _) if !etag.matches_list(m) => Some("If-Match"),
        (None, Some(t)) if modified > t => Some("If-Unmodified-Since"),
        _ => None,
    };
    if let Some(which) = precondition {
        return Err(ConditionFailure::PreconditionFailed(which));
    }
    let not_modified = match (&c.if_none_match, c.if_modified_since) {
        (Some(m), _) => etag.matches_list(m),
        (None, Some(t)) => modified <= t,
        (None, None) => false,
    };
    if not_modified {
        return Err(ConditionFailure::NotModified);
    }
    Ok(())
}
