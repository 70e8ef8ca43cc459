//! Bucket operations on the in-memory [`State`].

use super::state::{BucketState, State};
use crate::{BucketRecord, MetaError};
use std::ops::Bound;

impl State {
    /// Adds a bucket; the name must be free.
    pub(super) fn create_bucket(&mut self, record: BucketRecord) -> Result<(), MetaError> {
        if self.buckets.contains_key(&record.name) {
            return Err(MetaError::BucketAlreadyExists);
        }
        self.buckets
            .insert(record.name.clone(), BucketState::new(record));
        Ok(())
    }

    /// Removes a bucket that has no versions and no uploads left, with its configuration.
    pub(super) fn delete_bucket(&mut self, name: &str) -> Result<(), MetaError> {
        let bucket = self.bucket(name)?;
        if !bucket.versions.is_empty() || !bucket.uploads.is_empty() {
            return Err(MetaError::BucketNotEmpty);
        }
        self.buckets.remove(name);
        Ok(())
    }

    /// Up to `max` buckets of `owner` named with `prefix` after `marker`, and whether more follow.
    pub(super) fn list_buckets(
        &self,
        owner: &str,
        prefix: &str,
        marker: &str,
        max: usize,
    ) -> (Vec<BucketRecord>, bool) {
        if max == 0 {
            return (Vec::new(), false);
        }
        let from = if marker < prefix {
            Bound::Included(prefix)
        } else {
            Bound::Excluded(marker)
        };
        let mut found: Vec<BucketRecord> = self
            .buckets
            .range::<str, _>((from, Bound::Unbounded))
            .map(|(_, b)| &b.record)
            .take_while(|r| r.name.starts_with(prefix))
            .filter(|r| r.owner == owner)
            .take(max + 1)
            .cloned()
            .collect();
        let more = found.len() > max;
        found.truncate(max);
        (found, more)
    }
}
