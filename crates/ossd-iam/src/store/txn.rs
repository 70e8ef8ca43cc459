//! [`Txn`]: the checks and writes of one atomic IAM commit, built with typed records.

use super::{StoreError, Stored};
use ossd_meta::{IamCheck, IamWrite};
use serde::Serialize;

/// One commit being built. Encoding errors are kept and reported by the commit.
#[derive(Debug, Default)]
pub(crate) struct Txn {
    pub(super) checks: Vec<IamCheck>,
    pub(super) writes: Vec<IamWrite>,
    pub(super) error: Option<StoreError>,
}

impl Txn {
    /// An empty commit.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Requires `key` to be unchanged since `stored` was read (`None`: still absent).
    pub(crate) fn expect<T>(&mut self, key: &str, stored: Option<&Stored<T>>) -> &mut Self {
        let expected = stored.map(|s| s.revision);
        self.checks.push(IamCheck::revision(key, expected));
        self
    }

    /// Requires `key` to be absent.
    pub(crate) fn absent(&mut self, key: &str) -> &mut Self {
        self.checks.push(IamCheck::revision(key, None));
        self
    }

    /// Requires no key under `prefix`.
    pub(crate) fn empty(&mut self, prefix: &str) -> &mut Self {
        self.checks.push(IamCheck::empty_prefix(prefix));
        self
    }

    /// Writes `value` at `key`.
    pub(crate) fn put<T: Serialize>(&mut self, key: &str, value: &T) -> &mut Self {
        match serde_json::to_string(value) {
            Ok(json) => self.writes.push(IamWrite::put(key, json)),
            Err(source) => {
                self.error = Some(StoreError::Encode {
                    key: key.to_owned(),
                    source,
                });
            }
        }
        self
    }

    /// Removes `key`.
    pub(crate) fn delete(&mut self, key: &str) -> &mut Self {
        self.writes.push(IamWrite::delete(key));
        self
    }

    /// Requires `key` unchanged since read and rewrites it (a new revision), so that concurrent
    /// commits touching the same parent conflict: counts read under it stay exact.
    pub(crate) fn touch<T: Serialize>(&mut self, key: &str, stored: &Stored<T>) -> &mut Self {
        self.expect(key, Some(stored));
        self.put(key, &stored.value)
    }

    /// Like [`Txn::touch`] for a lock record that may not exist yet.
    pub(crate) fn lock(&mut self, key: &str, stored: Option<&Stored<super::Empty>>) -> &mut Self {
        self.expect(key, stored);
        self.put(key, &super::Empty {})
    }
}
