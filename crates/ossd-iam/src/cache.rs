//! [`Cache`]: a small map of values read from the identity store, dropped whenever this process
//! writes IAM state (the store's generation moves) and after [`MAX_AGE`] (writes made by other
//! nodes sharing the database).
//!
//! A value is inserted with the generation read *before* it was loaded; if a write happened in
//! between, the insert is ignored, so a stale value is never kept past a write.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The longest a cached value is used.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(5);
/// The most entries per cache; a full cache starts over.
pub(crate) const MAX_ENTRIES: usize = 10_000;

/// The entries and the generation they belong to.
#[derive(Debug)]
struct Entries<K, V> {
    generation: u64,
    map: HashMap<K, (Instant, V)>,
}

/// A generation-checked cache.
#[derive(Debug)]
pub(crate) struct Cache<K, V> {
    entries: Mutex<Entries<K, V>>,
}

impl<K: Eq + Hash, V: Clone> Default for Cache<K, V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(Entries {
                generation: 0,
                map: HashMap::new(),
            }),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    /// The entries, emptied if `generation` moved. The map holds plain data, so a poisoned lock
    /// is taken over.
    fn entries(&self, generation: u64) -> MutexGuard<'_, Entries<K, V>> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.generation != generation {
            entries.map.clear();
            entries.generation = generation;
        }
        entries
    }

    /// The value for `key`, if cached at `generation` and young enough.
    pub(crate) fn get(&self, generation: u64, key: &K) -> Option<V> {
        let entries = self.entries(generation);
        let (at, value) = entries.map.get(key)?;
        (at.elapsed() < MAX_AGE).then(|| value.clone())
    }

    /// Caches `value`, loaded after reading `generation`.
    pub(crate) fn insert(&self, generation: u64, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if generation < entries.generation {
            return;
        }
        if generation > entries.generation {
            entries.map.clear();
            entries.generation = generation;
        }
        if entries.map.len() >= MAX_ENTRIES {
            entries.map.clear();
        }
        entries.map.insert(key, (Instant::now(), value));
    }
}

impl<K: Eq + Hash, V> Cache<K, V> {
    /// Drops the value for `key`, if any.
    pub(crate) fn remove(&self, key: &K) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_drops_entries_and_stale_inserts() {
        let cache: Cache<&str, u32> = Cache::default();
        cache.insert(1, "a", 1);
        assert_eq!(cache.get(1, &"a"), Some(1));
        assert_eq!(cache.get(2, &"a"), None);
        cache.insert(1, "a", 1);
        assert_eq!(cache.get(2, &"a"), None, "loaded before the write");
        cache.insert(2, "a", 2);
        assert_eq!(cache.get(2, &"a"), Some(2));
        cache.remove(&"a");
        assert_eq!(cache.get(2, &"a"), None);
    }
}
