//! Blob ids: 128 random bits as 32 lowercase hex digits. Anything else is rejected before it
//! reaches a path, so an id can never name a file outside the store.

use crate::BlobError;

/// Length of every id.
pub(crate) const ID_LEN: usize = 32;

/// A fresh random id.
pub(crate) fn new_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Whether `s` is `len` lowercase hex digits.
pub(crate) fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `id` itself if it is well formed, else [`BlobError::InvalidId`].
pub(crate) fn check(id: &str) -> Result<&str, BlobError> {
    if is_hex(id, ID_LEN) {
        Ok(id)
    } else {
        Err(BlobError::invalid_id(id))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_are_valid_and_distinct() {
        let (a, b) = (new_id(), new_id());
        assert!(check(&a).is_ok() && check(&b).is_ok());
        assert_ne!(a, b);
    }

    #[test]
    fn malformed_ids_are_rejected() {
        let bad = [
            "",
            "../../../../etc/passwd",
            "0123456789abcdef0123456789ABCDEF",
            "0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdef0",
            "0123456789abcdef/123456789abcdef",
            "0123456789abcdef.123456789abcdef",
            "0123456789abcdef0123456789abcdeé",
        ];
        for id in bad {
            assert!(matches!(check(id), Err(BlobError::InvalidId(_))), "{id:?}");
        }
    }
}
