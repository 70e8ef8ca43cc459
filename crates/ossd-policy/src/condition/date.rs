//! Instants of the `Date*` operators: ISO 8601 / RFC 3339, compared at second precision
//! (docs/protocol/policy.md#conditions).

use time::OffsetDateTime;
use time::format_description::well_known::{Iso8601, Rfc3339};

/// Parses `2012-11-11T23:59:59Z` or `…+08:00` (fractions allowed) into Unix seconds, rounded down.
pub(crate) fn parse_instant(text: &str) -> Option<i64> {
    OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, &Iso8601::DEFAULT))
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

/// Formats an instant the way [`parse_instant`] reads it back.
pub(crate) fn format_instant(at: OffsetDateTime) -> Option<String> {
    at.format(&Rfc3339).ok()
}
