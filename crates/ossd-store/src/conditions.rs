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
    if let Some(m) = &c.if_match {
        if !etag.matches_list(m) {
            return Err(ConditionFailure::PreconditionFailed("If-Match"));
        }
    } else if let Some(t) = c.if_unmodified_since {
        if modified > t {
            return Err(ConditionFailure::PreconditionFailed("If-Unmodified-Since"));
        }
    }
    if let Some(m) = &c.if_none_match {
        if etag.matches_list(m) {
            return Err(ConditionFailure::NotModified);
        }
    } else if let Some(t) = c.if_modified_since {
        if modified <= t {
            return Err(ConditionFailure::NotModified);
        }
    }
    Ok(())
}
