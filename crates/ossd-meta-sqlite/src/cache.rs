//! An exact in-memory cache of bucket records and bucket configuration documents.
//!
//! Only this process writes the database, and every write goes through the one writer thread.
//! After each batch commits (or fails) and before it answers any caller, the writer drops the
//! entries of every bucket the batch's mutations touched, so no caller that heard its write
//! acknowledged can read the value it replaced. A read that missed fills the cache only if no
//! invalidation happened since it looked (the generation below): a read whose snapshot predates a
//! concurrent write cannot store the value that write replaced.

use ossd_meta::BucketRecord;
use std::collections::HashMap;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The most buckets with cached entries; past it, filling one evicts another.
pub(crate) const MAX_BUCKETS: usize = 4096;

/// The most cached configuration kinds per bucket; past it, further kinds are not cached.
pub(crate) const MAX_CONFIGS_PER_BUCKET: usize = 32;

/// What is known about one bucket name.
#[derive(Debug, Default)]
struct Entry {
    /// `get_bucket`'s answer (`Some(None)`: no such bucket), if cached.
    record: Option<Option<BucketRecord>>,
    /// `get_bucket_config`'s answers by kind (`None`: the bucket exists but has no such document).
    configs: HashMap<String, Option<String>>,
}

/// The cached entries and the count of invalidations so far.
#[derive(Debug, Default)]
struct State {
    generation: u64,
    buckets: HashMap<String, Entry>,
}

/// The cache, shared by the store (lookups and fills) and its writer thread (invalidation).
#[derive(Debug, Default)]
pub(crate) struct BucketCache {
    state: RwLock<State>,
}

/// The invalidation generation a missed lookup saw; its fill is dropped if the generation moved.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket(u64);

/// The result of a lookup.
#[derive(Debug)]
pub(crate) enum Lookup<T> {
    /// The cached answer.
    Hit(T),
    /// Not cached: read the database, then fill with this ticket.
    Miss(Ticket),
}

impl BucketCache {
    /// The cached `get_bucket(name)` answer.
    pub(crate) fn bucket(&self, name: &str) -> Lookup<Option<BucketRecord>> {
        let state = self.read();
        match state.buckets.get(name).and_then(|e| e.record.as_ref()) {
            Some(record) => Lookup::Hit(record.clone()),
            None => Lookup::Miss(Ticket(state.generation)),
        }
    }

    /// The cached `get_bucket_config(bucket, kind)` answer.
    pub(crate) fn config(&self, bucket: &str, kind: &str) -> Lookup<Option<String>> {
        let state = self.read();
        match state.buckets.get(bucket).and_then(|e| e.configs.get(kind)) {
            Some(doc) => Lookup::Hit(doc.clone()),
            None => Lookup::Miss(Ticket(state.generation)),
        }
    }

    /// Stores `get_bucket(name)`'s answer, read after `ticket` was issued.
    pub(crate) fn fill_bucket(&self, name: &str, record: &Option<BucketRecord>, ticket: Ticket) {
        let mut state = self.write();
        if let Some(entry) = state.entry(name, ticket) {
            entry.record = Some(record.clone());
        }
    }

    /// Stores `get_bucket_config(bucket, kind)`'s answer, read after `ticket` was issued.
    pub(crate) fn fill_config(
        &self,
        bucket: &str,
        kind: &str,
        doc: &Option<String>,
        ticket: Ticket,
    ) {
        let mut state = self.write();
        if let Some(entry) = state.entry(bucket, ticket)
            && (entry.configs.len() < MAX_CONFIGS_PER_BUCKET || entry.configs.contains_key(kind))
        {
            entry.configs.insert(kind.to_owned(), doc.clone());
        }
    }

    /// Drops everything cached about `buckets` and voids fills of reads that started before.
    pub(crate) fn invalidate<'a>(&self, buckets: impl IntoIterator<Item = &'a str>) {
        let mut state = self.write();
        state.generation = state.generation.wrapping_add(1);
        for name in buckets {
            state.buckets.remove(name);
        }
    }

    /// How many buckets have cached entries.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.read().buckets.len()
    }

    /// The state for reading. Every update leaves it consistent (single map operations), so a
    /// poisoned lock is taken over.
    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The state for writing (see [`Self::read`] on poisoning).
    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// `name`'s entry to fill, created (evicting another when full) if needed; `None` if an
    /// invalidation happened since `ticket`.
    fn entry(&mut self, name: &str, ticket: Ticket) -> Option<&mut Entry> {
        if self.generation != ticket.0 {
            return None;
        }
        if !self.buckets.contains_key(name) && self.buckets.len() >= MAX_BUCKETS {
            let victim = self.buckets.keys().next().cloned();
            if let Some(victim) = victim {
                self.buckets.remove(&victim);
            }
        }
        Some(self.buckets.entry(name.to_owned()).or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn miss<T>(lookup: Lookup<T>) -> Ticket {
        match lookup {
            Lookup::Miss(ticket) => ticket,
            Lookup::Hit(_) => panic!("expected a miss"),
        }
    }

    #[test]
    fn a_fill_after_an_invalidation_is_dropped() {
        let cache = BucketCache::default();
        let ticket = miss(cache.config("b", "cors"));
        cache.invalidate(["b"]);
        cache.fill_config("b", "cors", &Some("old".to_owned()), ticket);
        assert!(matches!(cache.config("b", "cors"), Lookup::Miss(_)));
        let ticket = miss(cache.config("b", "cors"));
        cache.fill_config("b", "cors", &Some("new".to_owned()), ticket);
        assert!(matches!(cache.config("b", "cors"), Lookup::Hit(Some(d)) if d == "new"));
    }

    #[test]
    fn invalidation_drops_the_record_and_every_config() {
        let cache = BucketCache::default();
        let ticket = miss(cache.bucket("b"));
        cache.fill_bucket("b", &None, ticket);
        cache.fill_config("b", "policy", &None, ticket);
        assert!(matches!(cache.bucket("b"), Lookup::Hit(None)));
        assert!(matches!(cache.config("b", "policy"), Lookup::Hit(None)));
        cache.invalidate(["b"]);
        assert!(matches!(cache.bucket("b"), Lookup::Miss(_)));
        assert!(matches!(cache.config("b", "policy"), Lookup::Miss(_)));
    }

    #[test]
    fn size_is_bounded() {
        let cache = BucketCache::default();
        for i in 0..MAX_BUCKETS + 100 {
            let ticket = miss(cache.bucket(&format!("b{i}")));
            cache.fill_bucket(&format!("b{i}"), &None, ticket);
        }
        assert_eq!(cache.len(), MAX_BUCKETS);
        let ticket = miss(cache.config("b", "x"));
        for i in 0..MAX_CONFIGS_PER_BUCKET + 5 {
            cache.fill_config("b", &format!("k{i}"), &None, ticket);
        }
        assert!(matches!(cache.config("b", "k0"), Lookup::Hit(None)));
        let last = format!("k{}", MAX_CONFIGS_PER_BUCKET);
        assert!(matches!(cache.config("b", &last), Lookup::Miss(_)));
    }
}
