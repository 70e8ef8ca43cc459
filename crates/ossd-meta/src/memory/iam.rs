//! The IAM key-value space of the in-memory store: a sorted map and the store-wide revision
//! counter.

use crate::{IamCheck, IamItem, IamWrite, MetaError};
use std::collections::BTreeMap;
use std::ops::Bound;

/// The IAM items and the last revision handed out.
#[derive(Debug, Default)]
pub(super) struct IamSpace {
    items: BTreeMap<String, IamItem>,
    revision: u64,
}

impl IamSpace {
    /// One item.
    pub(super) fn get(&self, key: &str) -> Option<IamItem> {
        self.items.get(key).cloned()
    }

    /// Up to `limit` items with `prefix` after `after`, ascending.
    pub(super) fn scan(&self, prefix: &str, after: &str, limit: usize) -> Vec<(String, IamItem)> {
        let from = if after < prefix {
            Bound::Included(prefix)
        } else {
            Bound::Excluded(after)
        };
        self.items
            .range::<str, _>((from, Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
            .take(limit)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Checks, then applies; nothing changes unless every check holds.
    pub(super) fn commit(
        &mut self,
        checks: &[IamCheck],
        writes: Vec<IamWrite>,
    ) -> Result<(), MetaError> {
        if !checks.iter().all(|c| self.holds(c)) {
            return Err(MetaError::PreconditionFailed(None));
        }
        if writes.is_empty() {
            return Ok(());
        }
        self.revision += 1;
        for write in writes {
            match write {
                IamWrite::Put { key, value } => {
                    let item = IamItem {
                        value,
                        revision: self.revision,
                    };
                    self.items.insert(key, item);
                }
                IamWrite::Delete { key } => {
                    self.items.remove(&key);
                }
            }
        }
        Ok(())
    }

    /// Whether one check holds now.
    fn holds(&self, check: &IamCheck) -> bool {
        match check {
            IamCheck::Revision { key, expected } => {
                self.items.get(key).map(|i| i.revision) == *expected
            }
            IamCheck::EmptyPrefix { prefix } => self.scan(prefix, "", 1).is_empty(),
        }
    }
}
