//! What a queued mutation may change, declared when it is submitted, and the caches the writer
//! keeps exact with it: after each batch commits (or fails) and before any caller is answered, it
//! drops from [`Caches`] everything the batch's scopes name, then stores the records the batch's
//! puts made the newest versions of their keys.

use crate::cache::BucketCache;
use crate::object_cache::ObjectCache;
use foldhash::fast::RandomState;
use ossd_meta::ObjectRecord;
use std::collections::HashSet;

/// What a mutation may change, as far as the caches are concerned. Every submission names one,
/// so a new mutation cannot forget to invalidate what it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    /// No bucket record, bucket configuration or object version (IAM items; uploads in
    /// progress and their parts).
    Nothing,
    /// The versions of one key (and its `current` row): puts, updates, deletes, completions.
    Object {
        /// The bucket.
        bucket: String,
        /// The object key.
        key: String,
    },
    /// A bucket's record or configuration, or anything about its objects (bucket deletion).
    Bucket(String),
}

impl Scope {
    /// The versions of `key` in `bucket`.
    pub(crate) fn object(bucket: &str, key: &str) -> Self {
        Self::Object {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
        }
    }

    /// Everything about `bucket`.
    pub(crate) fn bucket(bucket: &str) -> Self {
        Self::Bucket(bucket.to_owned())
    }
}

/// The exact caches of this process (`cache.rs`, `object_cache.rs`).
#[derive(Debug, Default)]
pub(crate) struct Caches {
    /// Bucket records and configuration documents.
    pub(crate) buckets: BucketCache,
    /// Object versions.
    pub(crate) objects: ObjectCache,
}

impl Caches {
    /// The caches, with an object cache of about `object_bytes` bytes.
    pub(crate) fn new(object_bytes: usize) -> Self {
        Self {
            buckets: BucketCache::default(),
            objects: ObjectCache::with_capacity(object_bytes),
        }
    }

    /// Drops what `scopes` may have changed and voids fills of reads that started before.
    pub(crate) fn invalidate<'a>(&self, scopes: impl Iterator<Item = &'a Scope> + Clone) {
        let mut buckets = scopes.clone().filter_map(|scope| match scope {
            Scope::Bucket(name) => Some(name.as_str()),
            _ => None,
        });
        if let Some(first) = buckets.next() {
            self.buckets
                .invalidate(std::iter::once(first).chain(buckets));
        }
        for scope in scopes {
            match scope {
                Scope::Nothing => {}
                Scope::Object { bucket, key } => self.objects.invalidate_key(bucket, key),
                Scope::Bucket(name) => self.objects.invalidate_bucket(name),
            }
        }
    }

    /// Stores each record of `writes` (a committed batch, in order: what each mutation may
    /// change, and the record it made the newest version of its key) as its key's latest version,
    /// unless a later mutation of the batch may have changed that key. Runs after
    /// [`Caches::invalidate`] of the same batch, before any of its callers is answered.
    pub(crate) fn store_latest<'a>(
        &self,
        writes: impl DoubleEndedIterator<Item = (&'a Scope, Option<&'a ObjectRecord>)>,
    ) {
        let mut later_keys: HashSet<(&str, &str), RandomState> = HashSet::default();
        let mut later_buckets: Vec<&str> = Vec::new();
        for (scope, latest) in writes.rev() {
            match scope {
                Scope::Nothing => {}
                Scope::Object { bucket, key } => {
                    let changed_later = !later_keys.insert((bucket, key))
                        || later_buckets.contains(&bucket.as_str());
                    if let Some(record) = latest
                        && !changed_later
                        && !record.delete_marker
                        && record.bucket == *bucket
                        && record.key == *key
                    {
                        self.objects.store_latest(bucket, key, record);
                    }
                }
                Scope::Bucket(name) => later_buckets.push(name),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Caches, Scope};
    use crate::object_cache::{Lookup, Want};
    use ossd_meta::conformance::fixtures::object;
    use ossd_meta::{Bytes, DataRef, ObjectRecord};

    fn inline(key: &str, body: &str) -> ObjectRecord {
        let mut record = object("b", key, "null");
        record.size = body.len() as u64;
        record.data = DataRef::Inline(Bytes::copy_from_slice(body.as_bytes()));
        record
    }

    /// What a whole read of the latest version of `key` finds cached (`None`: a miss).
    fn cached(caches: &Caches, key: &str) -> Option<Option<ObjectRecord>> {
        match caches.objects.get("b", key, None, Want::Whole) {
            Lookup::Hit(found) => Some(found),
            Lookup::Miss(_) => None,
        }
    }

    /// Runs the writer's hook for a committed batch.
    fn commit(caches: &Caches, batch: &[(Scope, Option<ObjectRecord>)]) {
        caches.invalidate(batch.iter().map(|(scope, _)| scope));
        caches.store_latest(batch.iter().map(|(scope, r)| (scope, r.as_ref())));
    }

    #[test]
    fn a_put_is_stored_whole_as_its_keys_latest_version() {
        let caches = Caches::new(1 << 20);
        let record = inline("k", "body");
        commit(&caches, &[(Scope::object("b", "k"), Some(record.clone()))]);
        assert_eq!(cached(&caches, "k"), Some(Some(record.clone())));
        let meta = caches.objects.get("b", "k", None, Want::Meta);
        assert!(matches!(meta, Lookup::Hit(Some(r)) if r == record.without_inline()));
    }

    #[test]
    fn the_last_put_of_a_key_in_a_batch_wins() {
        let caches = Caches::new(1 << 20);
        let (first, second) = (inline("k", "first"), inline("k", "second"));
        let batch = [
            (Scope::object("b", "k"), Some(first)),
            (Scope::object("b", "k"), Some(second.clone())),
        ];
        commit(&caches, &batch);
        assert_eq!(cached(&caches, "k"), Some(Some(second)));
    }

    #[test]
    fn a_later_change_of_the_key_or_its_bucket_in_the_batch_stores_nothing() {
        let caches = Caches::new(1 << 20);
        // A put, then a delete of the same key (a mutation without a record).
        let batch = [
            (Scope::object("b", "k"), Some(inline("k", "put"))),
            (Scope::object("b", "k"), None),
        ];
        commit(&caches, &batch);
        assert_eq!(cached(&caches, "k"), None);
        // A put, then something about its whole bucket.
        let batch = [
            (Scope::object("b", "j"), Some(inline("j", "put"))),
            (Scope::bucket("b"), None),
        ];
        commit(&caches, &batch);
        assert_eq!(cached(&caches, "j"), None);
        // A put followed by mutations of other keys and of nothing cached is stored.
        let put = inline("i", "put");
        let batch = [
            (Scope::object("b", "i"), Some(put.clone())),
            (Scope::object("b", "other"), None),
            (Scope::bucket("other-bucket"), None),
            (Scope::Nothing, None),
        ];
        commit(&caches, &batch);
        assert_eq!(cached(&caches, "i"), Some(Some(put)));
    }

    #[test]
    fn a_failed_batch_or_a_mismatched_record_stores_nothing() {
        let caches = Caches::new(1 << 20);
        let batch = [(Scope::object("b", "k"), Some(inline("k", "put")))];
        caches.invalidate(batch.iter().map(|(scope, _)| scope));
        assert_eq!(cached(&caches, "k"), None);
        // A record of another key than its scope names, or a delete marker, is never stored.
        commit(
            &caches,
            &[(Scope::object("b", "k"), Some(inline("x", "put")))],
        );
        assert_eq!(cached(&caches, "k"), None);
        let mut marker = inline("k", "");
        marker.delete_marker = true;
        commit(&caches, &[(Scope::object("b", "k"), Some(marker))]);
        assert_eq!(cached(&caches, "k"), None);
    }
}
