//! The generic IAM key-value space: one ordered map of string keys to JSON documents, read by key
//! or by prefix, written in atomic batches guarded by [`IamCheck`]s (compare-and-set on revisions,
//! emptiness of a prefix). `ossd-iam` builds users, keys, roles and policies on top of it.

/// One IAM item: a JSON document and its revision (increments on every write).
///
/// Revisions come from one counter per store: every commit that writes takes the next value and
/// gives it to each key it puts, so a key's revision grows on every write and a key that is
/// deleted and created again never gets a revision it had before (no ABA in [`IamCheck::Revision`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamItem {
    /// The stored document.
    pub value: String,
    /// The revision of the write that stored it (always at least 1).
    pub revision: u64,
}

/// A condition that must hold when an IAM commit applies; any failure fails the whole commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IamCheck {
    /// `key` is at revision `expected`; `None` = the key must not exist.
    Revision {
        /// The key checked.
        key: String,
        /// The revision it must have, or `None` for "absent".
        expected: Option<u64>,
    },
    /// No key starts with `prefix`.
    EmptyPrefix {
        /// The prefix that must be empty.
        prefix: String,
    },
}

/// One write of an IAM commit, applied in order after every check held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IamWrite {
    /// Creates or replaces `key`.
    Put {
        /// The key written.
        key: String,
        /// The new document.
        value: String,
    },
    /// Removes `key` (no error if it is absent).
    Delete {
        /// The key removed.
        key: String,
    },
}

impl IamCheck {
    /// A check that `key` is at revision `expected` (`None`: absent).
    pub fn revision(key: impl Into<String>, expected: Option<u64>) -> Self {
        Self::Revision {
            key: key.into(),
            expected,
        }
    }

    /// A check that no key starts with `prefix`.
    pub fn empty_prefix(prefix: impl Into<String>) -> Self {
        Self::EmptyPrefix {
            prefix: prefix.into(),
        }
    }
}

impl IamWrite {
    /// A write that stores `value` at `key`.
    pub fn put(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self::Put {
            key: key.into(),
            value: value.into(),
        }
    }

    /// A write that removes `key`.
    pub fn delete(key: impl Into<String>) -> Self {
        Self::Delete { key: key.into() }
    }

    /// The key this write touches.
    pub fn key(&self) -> &str {
        match self {
            Self::Put { key, .. } | Self::Delete { key } => key,
        }
    }
}
