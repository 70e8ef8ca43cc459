//! An exact, bounded in-memory cache of object versions: the answers of `get_object` and
//! `get_object_meta`, so that a GET or HEAD that hits needs neither SQLite nor the blocking pool.
//!
//! Exactness follows the bucket cache's rule (`cache.rs`): only this process writes the database,
//! every write goes through the one writer thread, and every queued mutation declares what it may
//! change ([`crate::scope::Scope`]: one key, or a whole bucket). After a batch commits (or fails)
//! and before it answers any caller, the writer drops those keys (or buckets) here and moves the
//! generation of every shard it touched. A read that missed fills only if its shard's generation
//! has not moved since it looked, so a read whose snapshot predates a concurrent write cannot
//! store the value that write replaced.
//!
//! Entries are keyed by (bucket, key) and spread over [`SHARDS`] mutex-guarded shards (a lookup
//! holds one shard's lock for a hash lookup and a few reference-count increments). Each entry
//! holds the latest version's answer and up to [`MAX_VERSIONS_PER_KEY`] answers by version id;
//! "no such key / version" is an answer too. A version is kept as its record without inline bytes
//! (what HEAD returns) plus, once a GET read them, the inline bytes beside it. Each shard keeps at
//! most its share of the capacity (the heap its entries take, [`Version::weight`]) and evicts
//! with CLOCK.

use ossd_meta::{Bytes, DataRef, ObjectRecord};
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::mem::size_of;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The default budget: the most heap bytes (records, keys and inline bodies, with the
/// allocator's and the tables' overhead) the cache holds.
pub(crate) const DEFAULT_CAPACITY: usize = 64 << 20;

/// How many independently locked parts the cache has.
const SHARDS: usize = 32;

/// The most versions cached by id for one key, besides the latest.
pub(crate) const MAX_VERSIONS_PER_KEY: usize = 8;

/// The heap bytes of an entry besides its versions: its slot in the key map and the key's
/// buffer; its item in the CLOCK ring and the bucket's and key's buffers there. (The bucket maps,
/// one per bucket with cached keys, are left out.)
fn entry_weight(bucket: &str, key: &str) -> usize {
    let (bucket, key) = (alloc(bucket.len()), alloc(key.len()));
    slot(size_of::<(String, Entry)>())
        + key
        + slot(size_of::<(String, String, u64)>())
        + bucket
        + key
}

/// What a read returns: the whole record, or the record without inline bytes (HEAD, ACL checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// `get_object`: inline bytes included.
    Whole,
    /// `get_object_meta`: inline bytes left out.
    Meta,
}

/// The shard and generation a missed lookup saw; its fill is dropped if that generation moved.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    shard: usize,
    generation: u64,
}

/// The result of a lookup.
// A lookup's result is matched at once by its caller, never stored: no point boxing the record.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(crate) enum Lookup {
    /// The cached answer.
    Hit(Option<ObjectRecord>),
    /// Not cached: read the database, then fill with this ticket.
    Miss(Ticket),
}

/// One cached version.
#[derive(Debug, Clone)]
struct Version {
    /// The record without inline bytes ([`ObjectRecord::without_inline`]).
    meta: Arc<ObjectRecord>,
    /// The inline bytes, when the record's data is inline and a whole read supplied them
    /// (shared with the records handed out: a hit copies no body).
    inline: Option<Bytes>,
}

impl Version {
    /// Splits `record` into its parts worth keeping for `want`.
    fn new(record: &ObjectRecord, want: Want) -> Self {
        let inline = match (&record.data, want) {
            (DataRef::Inline(bytes), Want::Whole) => Some(bytes.clone()),
            _ => None,
        };
        Self {
            meta: Arc::new(record.without_inline()),
            inline,
        }
    }

    /// Whether this can answer a read for `want` (a whole read of inline data needs the bytes).
    fn serves(&self, want: Want) -> bool {
        want == Want::Meta || self.inline.is_some() || !matches!(self.meta.data, DataRef::Inline(_))
    }

    /// The record `want` asks for.
    fn record(&self, want: Want) -> ObjectRecord {
        let mut record = ObjectRecord::clone(&self.meta);
        if let (Want::Whole, Some(bytes)) = (want, &self.inline) {
            record.data = DataRef::Inline(bytes.clone());
        }
        record
    }

    /// The heap bytes this version holds, as the allocator counts them ([`alloc`]).
    fn weight(&self) -> usize {
        let r = &*self.meta;
        let checksum = |c: &Option<ossd_meta::StoredChecksum>| {
            c.as_ref()
                .map_or(0, |c| string(&c.algorithm) + string(&c.value))
        };
        let data = match &r.data {
            DataRef::Inline(bytes) => alloc(bytes.len()),
            DataRef::Parts(parts) => {
                vec_of::<ossd_meta::PartRef>(parts.capacity())
                    + parts.iter().map(|p| string(&p.blob)).sum::<usize>()
            }
        };
        let parts = vec_of::<ossd_meta::ObjectPart>(r.parts.capacity())
            + r.parts.iter().map(|p| checksum(&p.checksum)).sum::<usize>();
        // The record behind its `Arc` (two counters before it).
        alloc(2 * size_of::<usize>() + size_of::<ObjectRecord>())
            + string(&r.bucket)
            + string(&r.key)
            + string(&r.version_id)
            + string(&r.revision)
            + string(&r.etag)
            + r.symlink_target.as_ref().map_or(0, string)
            + pairs(&r.headers)
            + pairs(&r.user_meta)
            + pairs(&r.tags)
            + r.restore
                .as_ref()
                .and_then(|s| s.tier.as_ref())
                .map_or(0, string)
            + data
            + checksum(&r.checksum)
            + parts
            // The buffer, and the reference count `Bytes` adds beside it once shared.
            + self
                .inline
                .as_ref()
                .map_or(0, |b| alloc(b.len()) + alloc(3 * size_of::<usize>()))
    }
}

/// The bytes jemalloc (the `ossd` binary's allocator) takes for a request of `len` bytes: its
/// size class, with no header. Classes are 8, then multiples of 16 up to 128, then four
/// evenly spaced classes per doubling (160, 192, 224, 256, 320, …, 4096, 5120, …); nothing for 0
/// (Rust allocates nothing then). <https://jemalloc.net/jemalloc.3.html#size_classes>
fn alloc(len: usize) -> usize {
    match len {
        0 => 0,
        1..=8 => 8,
        9..=128 => len.next_multiple_of(16),
        _ => {
            // The class spacing within [2^k, 2^(k+1)) is 2^(k-2), where 2^k < len ≤ 2^(k+1).
            let k = usize::BITS - 1 - (len - 1).leading_zeros();
            len.next_multiple_of(1 << (k - 2))
        }
    }
}

/// The heap bytes of a string's buffer.
fn string(s: &String) -> usize {
    alloc(s.capacity())
}

/// The heap bytes of a vector's buffer of `capacity` items of `T`.
fn vec_of<T>(capacity: usize) -> usize {
    alloc(capacity * size_of::<T>())
}

/// The heap bytes of a list of string pairs.
fn pairs(v: &Vec<(String, String)>) -> usize {
    vec_of::<(String, String)>(v.capacity())
        + v.iter().map(|(a, b)| string(a) + string(b)).sum::<usize>()
}

/// The bytes a hash table or ring takes per item of `size` bytes: they grow by doubling, so on
/// average about two thirds of their slots are in use (hash tables also keep a control byte).
fn slot(size: usize) -> usize {
    3 * (size + 1) / 2
}

/// A cached answer: the version, or `None` for "no such key / version".
type Answer = Option<Version>;

/// The heap bytes of an answer (its slot in an entry is counted with the entry).
fn answer_weight(answer: &Answer) -> usize {
    answer.as_ref().map_or(0, Version::weight)
}

/// What is cached about one key.
#[derive(Debug)]
struct Entry {
    /// The answer for the latest version (`version_id` `None`), if cached.
    latest: Option<Answer>,
    /// Answers by version id.
    versions: Vec<(String, Answer)>,
    /// The estimated heap bytes of this entry.
    weight: usize,
    /// Tells this entry from an older one of the same key in the CLOCK ring.
    id: u64,
    /// CLOCK's reference bit: set on every hit, cleared when the hand passes.
    referenced: bool,
}

impl Entry {
    /// The cached answer for `version_id` that serves `want`.
    fn answer(&self, version_id: Option<&str>, want: Want) -> Option<&Answer> {
        let found = match version_id {
            None => self.latest.as_ref(),
            Some(id) => self
                .versions
                .iter()
                .find(|(v, _)| v == id)
                .map(|(_, a)| a)
                // The latest version answers a read by its id too.
                .or_else(|| {
                    self.latest
                        .as_ref()
                        .filter(|a| a.as_ref().is_some_and(|v| v.meta.version_id == id))
                }),
        }?;
        match found {
            Some(version) if !version.serves(want) => None,
            _ => Some(found),
        }
    }

    /// Stores `answer` for `version_id`; returns the change in weight (added, removed).
    fn store(&mut self, version_id: Option<&str>, answer: Answer) -> (usize, usize) {
        let added = answer_weight(&answer);
        let slot = match version_id {
            None => &mut self.latest,
            Some(id) => match self.versions.iter().position(|(v, _)| v == id) {
                Some(at) => {
                    let old = std::mem::replace(&mut self.versions[at].1, answer);
                    return (added, answer_weight(&old));
                }
                None if self.versions.len() < MAX_VERSIONS_PER_KEY => {
                    let id = id.to_owned();
                    // The list's buffer: about one slot per version.
                    let slot = slot(size_of::<(String, Answer)>());
                    let added = added + string(&id) + slot;
                    self.versions.push((id, answer));
                    return (added, 0);
                }
                None => return (0, 0),
            },
        };
        let removed = slot.as_ref().map_or(0, answer_weight);
        *slot = Some(answer);
        (added, removed)
    }
}

/// One independently locked part of the cache.
#[derive(Debug, Default)]
struct Shard {
    /// Moves on every invalidation that touches this shard.
    generation: u64,
    /// The estimated bytes of all entries.
    weight: usize,
    /// The number of entries.
    entries: usize,
    /// The id the next new entry gets.
    next_id: u64,
    /// Entries by bucket, then key (so a bucket-wide invalidation is one removal).
    buckets: HashMap<String, HashMap<String, Entry>>,
    /// The CLOCK ring: entries in insertion order, by bucket, key and id (stale items, whose
    /// entry was invalidated or replaced, are skipped and dropped).
    ring: VecDeque<(String, String, u64)>,
}

impl Shard {
    /// The entry of (`bucket`, `key`), if cached.
    fn entry(&mut self, bucket: &str, key: &str) -> Option<&mut Entry> {
        self.buckets.get_mut(bucket)?.get_mut(key)
    }

    /// Stores `answer` and evicts down to `budget`.
    fn fill(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        answer: Answer,
        budget: usize,
    ) {
        if self.entry(bucket, key).is_none() {
            self.insert(bucket, key);
        }
        let Some(entry) = self.entry(bucket, key) else {
            return;
        };
        let (added, removed) = entry.store(version_id, answer);
        entry.weight = (entry.weight + added).saturating_sub(removed);
        self.weight = (self.weight + added).saturating_sub(removed);
        self.evict(budget);
    }

    /// Adds an empty entry for (`bucket`, `key`) and puts it on the ring.
    fn insert(&mut self, bucket: &str, key: &str) {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        let weight = entry_weight(bucket, key);
        let entry = Entry {
            latest: None,
            versions: Vec::new(),
            weight,
            id,
            referenced: false,
        };
        let keys = match self.buckets.get_mut(bucket) {
            Some(keys) => keys,
            None => self.buckets.entry(bucket.to_owned()).or_default(),
        };
        keys.insert(key.to_owned(), entry);
        self.weight += weight;
        self.entries += 1;
        self.ring.push_back((bucket.to_owned(), key.to_owned(), id));
        // Invalidations leave stale items behind; drop them before they outnumber the entries.
        if self.ring.len() > 2 * self.entries + 64 {
            let buckets = &self.buckets;
            self.ring.retain(|(b, k, id)| {
                buckets
                    .get(b)
                    .and_then(|keys| keys.get(k))
                    .is_some_and(|e| e.id == *id)
            });
        }
    }

    /// Removes entries until the shard weighs at most `budget`: CLOCK, a referenced entry gets a
    /// second pass.
    fn evict(&mut self, budget: usize) {
        while self.weight > budget {
            let Some((bucket, key, id)) = self.ring.pop_front() else {
                return;
            };
            let Some(entry) = self.entry(&bucket, &key).filter(|e| e.id == id) else {
                continue;
            };
            if entry.referenced {
                entry.referenced = false;
                self.ring.push_back((bucket, key, id));
            } else {
                self.remove(&bucket, &key);
            }
        }
    }

    /// Drops the entry of (`bucket`, `key`).
    fn remove(&mut self, bucket: &str, key: &str) {
        let Some(keys) = self.buckets.get_mut(bucket) else {
            return;
        };
        if let Some(entry) = keys.remove(key) {
            self.weight = self.weight.saturating_sub(entry.weight);
            self.entries = self.entries.saturating_sub(1);
        }
        if keys.is_empty() {
            self.buckets.remove(bucket);
        }
    }

    /// Drops every entry of `bucket`.
    fn remove_bucket(&mut self, bucket: &str) {
        if let Some(keys) = self.buckets.remove(bucket) {
            let weight: usize = keys.values().map(|e| e.weight).sum();
            self.weight = self.weight.saturating_sub(weight);
            self.entries = self.entries.saturating_sub(keys.len());
        }
    }
}

/// The cache, shared by the store (lookups and fills) and its writer thread (invalidation).
#[derive(Debug)]
pub(crate) struct ObjectCache {
    shards: Box<[Mutex<Shard>]>,
    /// Each shard's share of the capacity.
    shard_budget: usize,
    hasher: RandomState,
}

impl Default for ObjectCache {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl ObjectCache {
    /// A cache of at most about `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            shard_budget: capacity / SHARDS,
            hasher: RandomState::new(),
        }
    }

    /// The cached answer of a `want` read of (`bucket`, `key`, `version_id`).
    pub(crate) fn get(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        want: Want,
    ) -> Lookup {
        let index = self.shard_of(bucket, key);
        let found = {
            let mut shard = self.lock(index);
            let generation = shard.generation;
            let hit = shard.entry(bucket, key).and_then(|entry| {
                let answer = entry.answer(version_id, want)?.clone();
                entry.referenced = true;
                Some(answer)
            });
            match hit {
                Some(answer) => answer,
                None => {
                    return Lookup::Miss(Ticket {
                        shard: index,
                        generation,
                    });
                }
            }
        };
        Lookup::Hit(found.map(|version| version.record(want)))
    }

    /// Stores the answer `found` of a `want` read of (`bucket`, `key`, `version_id`) made after
    /// `ticket` was issued, unless an invalidation of its shard happened since.
    pub(crate) fn fill(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        found: Option<&ObjectRecord>,
        want: Want,
        ticket: Ticket,
    ) {
        // A cache of no capacity (`--object-cache-bytes 0`) keeps nothing: build nothing.
        if self.shard_budget == 0 || self.lock(ticket.shard).generation != ticket.generation {
            return;
        }
        // Built outside the lock; a version too big for the shard is not cached.
        let answer = found.map(|record| Version::new(record, want));
        if answer_weight(&answer) > self.shard_budget / 8 {
            return;
        }
        let mut shard = self.lock(ticket.shard);
        if shard.generation != ticket.generation {
            return;
        }
        // A metadata read does not replace a cached version that also has the inline bytes.
        let richer = want == Want::Meta
            && shard
                .entry(bucket, key)
                .and_then(|e| e.answer(version_id, Want::Whole))
                .is_some();
        if !richer {
            shard.fill(bucket, key, version_id, answer, self.shard_budget);
        }
    }

    /// Drops everything cached about (`bucket`, `key`) and voids fills of its shard's reads that
    /// started before.
    pub(crate) fn invalidate_key(&self, bucket: &str, key: &str) {
        let mut shard = self.lock(self.shard_of(bucket, key));
        shard.generation = shard.generation.wrapping_add(1);
        shard.remove(bucket, key);
    }

    /// Drops everything cached about the objects of `bucket` and voids fills of reads that
    /// started before.
    pub(crate) fn invalidate_bucket(&self, bucket: &str) {
        for index in 0..self.shards.len() {
            let mut shard = self.lock(index);
            shard.generation = shard.generation.wrapping_add(1);
            shard.remove_bucket(bucket);
        }
    }

    /// The shard of (`bucket`, `key`).
    fn shard_of(&self, bucket: &str, key: &str) -> usize {
        let hash = self.hasher.hash_one((bucket, key));
        // The remainder is below `SHARDS`, so it fits in usize.
        usize::try_from(hash % self.shards.len() as u64).unwrap_or(0)
    }

    /// Shard `index`, locked. Every update leaves a shard usable (at worst its weight estimate is
    /// off until entries go), so a poisoned lock is taken over.
    fn lock(&self, index: usize) -> MutexGuard<'_, Shard> {
        self.shards[index % self.shards.len()]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The estimated bytes and the number of entries held.
    #[cfg(test)]
    fn usage(&self) -> (usize, usize) {
        (0..self.shards.len())
            .map(|i| {
                let shard = self.lock(i);
                (shard.weight, shard.entries)
            })
            .fold((0, 0), |(w, n), (sw, sn)| (w + sw, n + sn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_meta::conformance::fixtures::object;

    fn miss(lookup: Lookup) -> Ticket {
        match lookup {
            Lookup::Miss(ticket) => ticket,
            Lookup::Hit(_) => panic!("expected a miss"),
        }
    }

    fn hit(lookup: Lookup) -> Option<ObjectRecord> {
        match lookup {
            Lookup::Hit(found) => found,
            Lookup::Miss(_) => panic!("expected a hit"),
        }
    }

    fn inline(bucket: &str, key: &str, body: &[u8]) -> ObjectRecord {
        let mut record = object(bucket, key, "null");
        record.size = body.len() as u64;
        record.data = DataRef::Inline(Bytes::copy_from_slice(body));
        record
    }

    #[test]
    fn a_fill_after_an_invalidation_is_dropped() {
        let cache = ObjectCache::default();
        let old = inline("b", "k", b"old");
        let ticket = miss(cache.get("b", "k", None, Want::Whole));
        cache.invalidate_key("b", "k");
        cache.fill("b", "k", None, Some(&old), Want::Whole, ticket);
        let ticket = miss(cache.get("b", "k", None, Want::Whole));
        cache.invalidate_bucket("b");
        cache.fill("b", "k", None, Some(&old), Want::Whole, ticket);
        let ticket = miss(cache.get("b", "k", None, Want::Whole));
        let new = inline("b", "k", b"new");
        cache.fill("b", "k", None, Some(&new), Want::Whole, ticket);
        assert_eq!(hit(cache.get("b", "k", None, Want::Whole)), Some(new));
    }

    #[test]
    fn invalidation_drops_the_key_or_the_bucket() {
        let cache = ObjectCache::default();
        for key in ["k1", "k2"] {
            let ticket = miss(cache.get("b", key, None, Want::Meta));
            cache.fill("b", key, None, None, Want::Meta, ticket);
            assert_eq!(hit(cache.get("b", key, None, Want::Whole)), None);
        }
        let ticket = miss(cache.get("other", "k1", None, Want::Meta));
        cache.fill("other", "k1", None, None, Want::Meta, ticket);
        cache.invalidate_key("b", "k1");
        miss(cache.get("b", "k1", None, Want::Meta));
        hit(cache.get("b", "k2", None, Want::Meta));
        cache.invalidate_bucket("b");
        miss(cache.get("b", "k2", None, Want::Meta));
        hit(cache.get("other", "k1", None, Want::Meta));
        assert_eq!(cache.usage().1, 1);
    }

    #[test]
    fn metadata_reads_leave_inline_bytes_out_and_do_not_serve_whole_reads() {
        let cache = ObjectCache::default();
        let record = inline("b", "k", b"body");
        let ticket = miss(cache.get("b", "k", None, Want::Meta));
        cache.fill(
            "b",
            "k",
            None,
            Some(&record.without_inline()),
            Want::Meta,
            ticket,
        );
        assert_eq!(
            hit(cache.get("b", "k", None, Want::Meta)),
            Some(record.without_inline())
        );
        let ticket = miss(cache.get("b", "k", None, Want::Whole));
        cache.fill("b", "k", None, Some(&record), Want::Whole, ticket);
        assert_eq!(
            hit(cache.get("b", "k", None, Want::Whole)),
            Some(record.clone())
        );
        // A later metadata fill keeps the bytes.
        cache.fill(
            "b",
            "k",
            None,
            Some(&record.without_inline()),
            Want::Meta,
            ticket,
        );
        assert_eq!(
            hit(cache.get("b", "k", None, Want::Whole)),
            Some(record.clone())
        );
        assert_eq!(
            hit(cache.get("b", "k", None, Want::Meta)),
            Some(record.without_inline())
        );
    }

    #[test]
    fn versions_by_id_and_the_latest_by_its_id() {
        let cache = ObjectCache::default();
        let v1 = object("b", "k", "v1");
        let v2 = object("b", "k", "v2");
        let ticket = miss(cache.get("b", "k", None, Want::Whole));
        cache.fill("b", "k", None, Some(&v2), Want::Whole, ticket);
        assert_eq!(hit(cache.get("b", "k", Some("v2"), Want::Whole)), Some(v2));
        let ticket = miss(cache.get("b", "k", Some("v1"), Want::Whole));
        cache.fill("b", "k", Some("v1"), Some(&v1), Want::Whole, ticket);
        assert_eq!(hit(cache.get("b", "k", Some("v1"), Want::Meta)), Some(v1));
        let ticket = miss(cache.get("b", "k", Some("gone"), Want::Whole));
        cache.fill("b", "k", Some("gone"), None, Want::Whole, ticket);
        assert_eq!(hit(cache.get("b", "k", Some("gone"), Want::Whole)), None);
        for i in 0..MAX_VERSIONS_PER_KEY + 2 {
            let id = format!("x{i}");
            cache.fill("b", "k", Some(&id), None, Want::Whole, ticket);
        }
        let last = format!("x{}", MAX_VERSIONS_PER_KEY + 1);
        miss(cache.get("b", "k", Some(&last), Want::Whole));
    }

    #[test]
    fn size_is_bounded() {
        let capacity = 1 << 20;
        let cache = ObjectCache::with_capacity(capacity);
        let body = vec![7u8; 1000];
        for i in 0..2000 {
            let key = format!("k{i}");
            let ticket = miss(cache.get("b", &key, None, Want::Whole));
            cache.fill(
                "b",
                &key,
                None,
                Some(&inline("b", &key, &body)),
                Want::Whole,
                ticket,
            );
        }
        let (weight, entries) = cache.usage();
        assert!(weight <= capacity, "{weight} > {capacity}");
        assert!(entries > 50 && entries < 2000, "{entries} entries");
        // Too big for a shard: not cached.
        let big = inline("b", "big", &vec![0u8; capacity / SHARDS]);
        let ticket = miss(cache.get("b", "big", None, Want::Whole));
        cache.fill("b", "big", None, Some(&big), Want::Whole, ticket);
        miss(cache.get("b", "big", None, Want::Whole));
    }

    #[test]
    fn eviction_spares_recently_read_entries() {
        // One shard's budget is 1/SHARDS of the capacity; use keys of a single shard.
        let capacity = 512 << 10;
        let cache = ObjectCache::with_capacity(capacity);
        let shard = cache.shard_of("b", "hot");
        let keys: Vec<String> = (0..100_000)
            .map(|i| format!("k{i}"))
            .filter(|k| cache.shard_of("b", k) == shard)
            .take(200)
            .collect();
        let body = vec![1u8; 200];
        let fill = |key: &str| {
            let ticket = miss(cache.get("b", key, None, Want::Whole));
            cache.fill(
                "b",
                key,
                None,
                Some(&inline("b", key, &body)),
                Want::Whole,
                ticket,
            );
        };
        fill("hot");
        for key in &keys {
            hit(cache.get("b", "hot", None, Want::Whole));
            fill(key);
        }
        hit(cache.get("b", "hot", None, Want::Whole));
        miss(cache.get("b", &keys[0], None, Want::Whole));
        let (weight, _) = cache.usage();
        assert!(weight <= capacity / SHARDS, "{weight}");
    }

    /// This process's resident bytes (Linux).
    fn resident() -> usize {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
        let pages: usize = statm
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        pages * 4096
    }

    /// The weight is what the process really holds: fills 64 MiB of 4 KiB inline objects and
    /// compares the growth of the resident set with the cache's weight. Alone, since other tests'
    /// allocations would count: `cargo test -p ossd-meta-sqlite --lib -- --ignored --exact
    /// object_cache::tests::the_weight_is_the_resident_memory --nocapture`.
    #[test]
    #[ignore = "measures the process's RSS: run alone"]
    fn the_weight_is_the_resident_memory() {
        let capacity = DEFAULT_CAPACITY;
        let cache = ObjectCache::with_capacity(capacity);
        let body = vec![7u8; 4096];
        let before = resident();
        for i in 0..40_000 {
            let key = format!("bench/{i:08}");
            let ticket = miss(cache.get("ossd-bench", &key, None, Want::Whole));
            let mut record = inline("ossd-bench", &key, &body);
            record
                .headers
                .push(("content-type".into(), "application/octet-stream".into()));
            cache.fill("ossd-bench", &key, None, Some(&record), Want::Whole, ticket);
        }
        let grown = resident().saturating_sub(before);
        let (weight, entries) = cache.usage();
        println!("{entries} entries, weight {weight}, resident set grew by {grown}");
        assert!(weight <= capacity);
        assert!(grown < weight + weight / 4, "{grown} vs {weight}");
        assert!(grown > weight - weight / 4, "{grown} vs {weight}");
    }

    #[test]
    fn the_weight_follows_jemallocs_size_classes() {
        let classes = [
            (0, 0),
            (1, 8),
            (8, 8),
            (9, 16),
            (100, 112),
            (128, 128),
            (129, 160),
            (257, 320),
            (1000, 1024),
            (4096, 4096),
            (4097, 5120),
            (100_000, 114_688),
        ];
        for (len, class) in classes {
            assert_eq!(alloc(len), class, "{len}");
        }
    }

    #[test]
    fn the_ring_does_not_grow_under_invalidations() {
        let cache = ObjectCache::default();
        for _ in 0..10_000 {
            let ticket = miss(cache.get("b", "k", None, Want::Meta));
            cache.fill("b", "k", None, None, Want::Meta, ticket);
            cache.invalidate_key("b", "k");
        }
        let shard = cache.lock(cache.shard_of("b", "k"));
        assert!(shard.ring.len() <= 100, "{}", shard.ring.len());
    }
}
