//! Blob ids of the S3 backend: UUID v7 as 32 lowercase hex digits. The first 12 digits are the
//! creation time in milliseconds, so the ids sort by age (S3 lists keys in that order) and the
//! orphan sweep reads a blob's age from its id, with no reliance on the backend's clock or on
//! how it dates multipart uploads. The other 74 bits are random: nodes never collide.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Length of every id (the same form as the local store's ids).
const ID_LEN: usize = 32;

/// A fresh id, created now.
#[allow(clippy::disallowed_methods)] // the system clock: ids date blobs for every node's sweep
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// Whether `s` could be an id of this store (32 lowercase hex digits), so it is safe in a key.
pub(crate) fn is_valid(s: &str) -> bool {
    s.len() == ID_LEN && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The creation time written into a valid id, in milliseconds since the epoch.
pub(crate) fn created_ms(id: &str) -> Option<u64> {
    u64::from_str_radix(id.get(..12)?, 16).ok()
}

/// Milliseconds since the epoch, `ago` before now (0 if that is before the epoch).
#[allow(clippy::disallowed_methods)] // the system clock, as in the ids, whatever the server clock
pub(crate) fn ms_before_now(ago: Duration) -> u64 {
    SystemTime::now()
        .checked_sub(ago)
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_distinct_and_dated() {
        let before = ms_before_now(Duration::ZERO);
        let (a, b) = (new_id(), new_id());
        let after = ms_before_now(Duration::ZERO);
        assert!(is_valid(&a) && is_valid(&b) && a != b);
        let t = created_ms(&a).unwrap();
        assert!(before <= t && t <= after, "{before} {t} {after}");
        assert!(a < b || created_ms(&b) == Some(t));
    }

    #[test]
    fn malformed_ids() {
        for bad in [
            "",
            "../x",
            "0123456789ABCDEF0123456789abcdef",
            "0123456789abcdef",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
