//! What a queued mutation may change, declared when it is submitted, and the caches the writer
//! keeps exact with it: after each batch commits (or fails) and before any caller is answered, it
//! drops from [`Caches`] everything the batch's scopes name.

use crate::cache::BucketCache;
use crate::object_cache::ObjectCache;

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
}
