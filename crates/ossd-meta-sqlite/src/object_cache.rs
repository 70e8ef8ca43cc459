//! An exact, bounded in-memory cache of object versions: the answers of `get_object` and
//! `get_object_meta`, so that a GET or HEAD that hits needs neither SQLite nor the blocking pool.
//!
//! Exactness follows the bucket cache's rule (`cache.rs`): only this process writes the database,
//! every write goes through the one writer thread, and every queued mutation declares what it may
//! change ([`crate::scope::Scope`]: one key, or a whole bucket). After a batch commits (or fails)
//! and before it answers any caller, the writer drops those keys (or buckets) here and moves the
//! generation of every shard it touched. A read that missed fills only if its shard's generation
//! has not moved since it looked, so a read whose snapshot predates a concurrent write cannot
//! store the value that write replaced. Then the writer stores the record of each put of the batch
//! as its key's latest version (write-through: the key's next read needs no database read), unless
//! a later mutation of the batch may have changed the key ([`ObjectCache::store_latest`]).
//!
//! Entries are keyed by (bucket, key) and spread over [`SHARDS`] mutex-guarded shards. A lookup
//! hashes (bucket, key) once (foldhash, randomly seeded: keys are client-chosen, see
//! [`ObjectCache`]); the hash picks the shard and finds the entry in the shard's table, and the
//! miss's [`Ticket`] carries it to the fill. Each shard keeps its entries in slots (the table
//! holds slot numbers) and evicts with CLOCK, its hand walking the slots; an entry's name (bucket
//! and key, one buffer) is its only copy of them. Each entry holds the latest version's answer
//! and up to [`MAX_VERSIONS_PER_KEY`] answers by version id; "no such key / version" is an answer
//! too. A version is kept as its record without the bucket and key (the entry has them), with the
//! inline bytes once a GET read them or a put stored them. Each shard keeps at most its share of
//! the capacity (the heap its entries take, [`Version::weight`] and [`entry_weight`]).

use foldhash::fast::RandomState;
use hashbrown::HashTable;
use ossd_meta::{Bytes, DataRef, ObjectPart, ObjectRecord, PartRef, RestoreState, StoredChecksum};
use ossd_types::{ObjectAcl, ObjectType, StorageClass};
use std::hash::BuildHasher;
use std::mem::size_of;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The default budget: the most heap bytes (records, keys and inline bodies, with the
/// allocator's and the tables' overhead) the cache holds.
pub(crate) const DEFAULT_CAPACITY: usize = 64 << 20;

/// How many independently locked parts the cache has.
const SHARDS: usize = 32;

/// The most versions cached by id for one key, besides the latest.
pub(crate) const MAX_VERSIONS_PER_KEY: usize = 8;

/// The heap bytes of an entry besides its versions: its name's buffer, its slot and its item in
/// the shard's table (slot numbers).
fn entry_weight(bucket: &str, key: &str) -> usize {
    alloc(bucket.len() + key.len()) + slot(size_of::<Option<Entry>>()) + slot(size_of::<u32>())
}

/// What a read returns: the whole record, or the record without inline bytes (HEAD, ACL checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// `get_object`: inline bytes included.
    Whole,
    /// `get_object_meta`: inline bytes left out.
    Meta,
}

/// What a missed lookup saw: its hash, and its shard's generation (its fill is dropped if that
/// moved).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    hash: u64,
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

/// A cached version's record: an [`ObjectRecord`] without its bucket and key (the entry's name
/// has them), with the fields most versions leave empty behind one pointer. 216 bytes instead of
/// 400: with the `Arc`'s counters, a 256-byte allocation instead of 448.
#[derive(Debug)]
struct Cached {
    version_id: String,
    revision: String,
    etag: String,
    headers: Vec<(String, String)>,
    user_meta: Vec<(String, String)>,
    tags: Vec<(String, String)>,
    /// With its inline bytes only when the version is `whole`.
    data: DataRef,
    size: u64,
    crc64: u64,
    last_modified_ms: i64,
    delete_marker: bool,
    object_type: ObjectType,
    storage_class: StorageClass,
    acl: ObjectAcl,
    /// The symlink target, restore, checksum and parts, when any is set.
    rare: Option<Box<Rare>>,
}

/// The fields of a [`Cached`] record that most versions leave empty.
#[derive(Debug)]
struct Rare {
    symlink_target: Option<String>,
    restore: Option<RestoreState>,
    checksum: Option<StoredChecksum>,
    parts: Vec<ObjectPart>,
}

impl Cached {
    /// `r` with `data` for its data, without its bucket and key.
    fn new(r: &ObjectRecord, data: DataRef) -> Self {
        // Spelled out so that a new field of `ObjectRecord` does not compile until it is kept.
        let ObjectRecord {
            bucket: _,
            key: _,
            version_id,
            revision,
            delete_marker,
            size,
            etag,
            crc64,
            last_modified_ms,
            object_type,
            storage_class,
            acl,
            headers,
            user_meta,
            tags,
            symlink_target,
            data: _,
            restore,
            checksum,
            parts,
        } = r;
        let rare = (symlink_target.is_some()
            || restore.is_some()
            || checksum.is_some()
            || !parts.is_empty())
        .then(|| {
            Box::new(Rare {
                symlink_target: symlink_target.clone(),
                restore: restore.clone(),
                checksum: checksum.clone(),
                parts: parts.clone(),
            })
        });
        Self {
            version_id: version_id.clone(),
            revision: revision.clone(),
            etag: etag.clone(),
            headers: headers.clone(),
            user_meta: user_meta.clone(),
            tags: tags.clone(),
            data,
            size: *size,
            crc64: *crc64,
            last_modified_ms: *last_modified_ms,
            delete_marker: *delete_marker,
            object_type: *object_type,
            storage_class: *storage_class,
            acl: *acl,
            rare,
        }
    }

    /// The record of (`bucket`, `key`) that a `want` read returns: without inline bytes for
    /// [`Want::Meta`].
    fn record(&self, bucket: &str, key: &str, want: Want) -> ObjectRecord {
        let Self {
            version_id,
            revision,
            etag,
            headers,
            user_meta,
            tags,
            data,
            size,
            crc64,
            last_modified_ms,
            delete_marker,
            object_type,
            storage_class,
            acl,
            rare,
        } = self;
        let (symlink_target, restore, checksum, parts) = match rare.as_deref() {
            Some(Rare {
                symlink_target,
                restore,
                checksum,
                parts,
            }) => (
                symlink_target.clone(),
                restore.clone(),
                checksum.clone(),
                parts.clone(),
            ),
            None => (None, None, None, Vec::new()),
        };
        ObjectRecord {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            version_id: version_id.clone(),
            revision: revision.clone(),
            delete_marker: *delete_marker,
            size: *size,
            etag: etag.clone(),
            crc64: *crc64,
            last_modified_ms: *last_modified_ms,
            object_type: *object_type,
            storage_class: *storage_class,
            acl: *acl,
            headers: headers.clone(),
            user_meta: user_meta.clone(),
            tags: tags.clone(),
            symlink_target,
            data: data_for(data, want),
            restore,
            checksum,
            parts,
        }
    }

    /// The heap bytes this record holds, as the allocator counts them ([`alloc`]), in its `Arc`.
    fn weight(&self) -> usize {
        let checksum = |c: &Option<StoredChecksum>| {
            c.as_ref()
                .map_or(0, |c| string(&c.algorithm) + string(&c.value))
        };
        let data = match &self.data {
            // The buffer, and the reference count `Bytes` adds beside it once shared.
            DataRef::Inline(bytes) if !bytes.is_empty() => {
                alloc(bytes.len()) + alloc(3 * size_of::<usize>())
            }
            DataRef::Inline(_) => 0,
            DataRef::Parts(parts) => {
                vec_of::<PartRef>(parts.capacity())
                    + parts.iter().map(|p| string(&p.blob)).sum::<usize>()
            }
        };
        let rare = self.rare.as_deref().map_or(0, |r| {
            alloc(size_of::<Rare>())
                + r.symlink_target.as_ref().map_or(0, string)
                + r.restore
                    .as_ref()
                    .and_then(|s| s.tier.as_ref())
                    .map_or(0, string)
                + checksum(&r.checksum)
                + vec_of::<ObjectPart>(r.parts.capacity())
                + r.parts.iter().map(|p| checksum(&p.checksum)).sum::<usize>()
        });
        // The record behind its `Arc` (two counters before it).
        alloc(2 * size_of::<usize>() + size_of::<Self>())
            + string(&self.version_id)
            + string(&self.revision)
            + string(&self.etag)
            + pairs(&self.headers)
            + pairs(&self.user_meta)
            + pairs(&self.tags)
            + data
            + rare
    }
}

/// The data a `want` read returns of `data`: inline bytes left out for [`Want::Meta`].
fn data_for(data: &DataRef, want: Want) -> DataRef {
    match (data, want) {
        (DataRef::Inline(_), Want::Meta) => DataRef::Inline(Bytes::new()),
        (data, _) => data.clone(),
    }
}

/// One cached version.
#[derive(Debug, Clone)]
struct Version {
    /// The record, with its inline bytes when `whole` (shared with the records handed out: a
    /// hit copies no body).
    record: Arc<Cached>,
    /// Whether the record has its inline bytes (a whole read supplied them) or has none to have.
    whole: bool,
}

impl Version {
    /// The parts of `record`, a `want` read's answer, worth keeping.
    fn new(record: &ObjectRecord, want: Want) -> Self {
        let data = data_for(&record.data, want);
        Self {
            whole: want == Want::Whole || !matches!(data, DataRef::Inline(_)),
            record: Arc::new(Cached::new(record, data)),
        }
    }

    /// Whether this can answer a read for `want` (a whole read of inline data needs the bytes).
    fn serves(&self, want: Want) -> bool {
        want == Want::Meta || self.whole
    }

    /// The record of (`bucket`, `key`) that `want` asks for.
    fn record(&self, bucket: &str, key: &str, want: Want) -> ObjectRecord {
        self.record.record(bucket, key, want)
    }

    /// The heap bytes this version holds.
    fn weight(&self) -> usize {
        self.record.weight()
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

/// The bytes a hash table or vector takes per item of `size` bytes: they grow by doubling, so
/// on average about two thirds of their slots are in use (hash tables also keep a control byte).
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
    /// The bucket name followed by the key.
    name: Box<str>,
    /// The length of the bucket name in `name`.
    bucket_len: usize,
    /// The answer for the latest version (`version_id` `None`), if cached.
    latest: Option<Answer>,
    /// Answers by version id.
    versions: Vec<(String, Answer)>,
    /// The estimated heap bytes of this entry.
    weight: usize,
    /// CLOCK's reference bit: set on every hit, cleared when the hand passes.
    referenced: bool,
}

impl Entry {
    /// The bucket name and the key.
    fn names(&self) -> (&str, &str) {
        // `bucket_len` is the length of a `&str` this name starts with: a character boundary.
        self.name
            .split_at_checked(self.bucket_len)
            .unwrap_or(("", ""))
    }

    /// Whether this is the entry of (`bucket`, `key`).
    fn is(&self, bucket: &str, key: &str) -> bool {
        self.bucket_len == bucket.len()
            && self.name.len() == bucket.len() + key.len()
            && self.names() == (bucket, key)
    }

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
                        .filter(|a| a.as_ref().is_some_and(|v| v.record.version_id == id))
                }),
        }?;
        match found {
            Some(version) if !version.serves(want) => None,
            _ => Some(found),
        }
    }

    /// Stores `answer`, which weighs `added`, for `version_id`; returns the change in weight
    /// (added, removed).
    fn store(
        &mut self,
        version_id: Option<&str>,
        (answer, added): (Answer, usize),
    ) -> (usize, usize) {
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
    /// The entries; `None` slots are free (listed in `free`).
    slots: Vec<Option<Entry>>,
    /// The free slots.
    free: Vec<u32>,
    /// The slot of every entry, by the hash of its (bucket, key).
    table: HashTable<u32>,
    /// CLOCK's hand: the next slot eviction looks at.
    hand: usize,
}

impl Shard {
    /// The slot of the entry of (`bucket`, `key`), whose hash is `hash`, if cached.
    fn find(&self, hash: u64, bucket: &str, key: &str) -> Option<usize> {
        let slots = &self.slots;
        let is = |&at: &u32| {
            slots
                .get(at as usize)
                .and_then(Option::as_ref)
                .is_some_and(|e| e.is(bucket, key))
        };
        self.table.find(hash, is).map(|&at| at as usize)
    }

    /// The entry in slot `at`.
    fn at(&mut self, at: usize) -> Option<&mut Entry> {
        self.slots.get_mut(at).and_then(Option::as_mut)
    }

    /// Stores `answer` and its weight (found by a read of (`bucket`, `key`), whose hash is
    /// `hash`) and evicts down to `budget`.
    fn fill(
        &mut self,
        hasher: &RandomState,
        hash: u64,
        (bucket, key): (&str, &str),
        version_id: Option<&str>,
        answer: (Answer, usize),
        budget: usize,
    ) {
        let at = match self.find(hash, bucket, key) {
            Some(at) => at,
            None => self.insert(hasher, hash, bucket, key),
        };
        let Some(entry) = self.at(at) else {
            return;
        };
        let (added, removed) = entry.store(version_id, answer);
        entry.weight = (entry.weight + added).saturating_sub(removed);
        self.weight = (self.weight + added).saturating_sub(removed);
        self.evict(hasher, budget, at);
    }

    /// Adds an empty entry for (`bucket`, `key`), whose hash is `hash`; returns its slot.
    fn insert(&mut self, hasher: &RandomState, hash: u64, bucket: &str, key: &str) -> usize {
        let weight = entry_weight(bucket, key);
        let mut name = String::with_capacity(bucket.len() + key.len());
        name.push_str(bucket);
        name.push_str(key);
        let entry = Entry {
            name: name.into_boxed_str(),
            bucket_len: bucket.len(),
            latest: None,
            versions: Vec::new(),
            weight,
            referenced: false,
        };
        let at = match self.free.pop() {
            Some(at) => at,
            None => {
                self.slots.push(None);
                // A shard holds far fewer than 2^32 entries (each weighs tens of bytes at least).
                u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
            }
        };
        if let Some(slot) = self.slots.get_mut(at as usize) {
            *slot = Some(entry);
        }
        let slots = &self.slots;
        let rehash = |&at: &u32| {
            slots
                .get(at as usize)
                .and_then(Option::as_ref)
                .map_or(0, |e| hasher.hash_one(e.names()))
        };
        self.table.insert_unique(hash, at, rehash);
        self.weight += weight;
        at as usize
    }

    /// Removes entries until the shard weighs at most `budget`, sparing slot `keep` (the entry
    /// just filled): CLOCK, a referenced entry gets a second pass.
    fn evict(&mut self, hasher: &RandomState, budget: usize, keep: usize) {
        // Two turns of the hand clear every reference bit and so reach every entry.
        let mut steps = 2 * self.slots.len() + 1;
        while self.weight > budget && steps > 0 {
            steps -= 1;
            let at = self.hand;
            self.hand = (at + 1) % self.slots.len().max(1);
            let Some(entry) = self.at(at) else {
                continue;
            };
            if entry.referenced {
                entry.referenced = false;
            } else if at != keep {
                self.remove_at(hasher, at);
            }
        }
    }

    /// Drops the entry in slot `at`, if any.
    fn remove_at(&mut self, hasher: &RandomState, at: usize) {
        let Some(entry) = self.slots.get_mut(at).and_then(Option::take) else {
            return;
        };
        let hash = hasher.hash_one(entry.names());
        if let Ok(found) = self.table.find_entry(hash, |&i| i as usize == at) {
            found.remove();
        }
        self.release(at, &entry);
    }

    /// Accounts for the removal of `entry` from slot `at` (already emptied).
    fn release(&mut self, at: usize, entry: &Entry) {
        self.weight = self.weight.saturating_sub(entry.weight);
        self.free.push(u32::try_from(at).unwrap_or(u32::MAX));
    }

    /// Drops every entry of `bucket`.
    fn remove_bucket(&mut self, bucket: &str) {
        let (slots, free, weight) = (&mut self.slots, &mut self.free, &mut self.weight);
        self.table.retain(|&mut at| {
            let Some(slot) = slots.get_mut(at as usize) else {
                return false;
            };
            if slot.as_ref().is_none_or(|e| e.names().0 != bucket) {
                return true;
            }
            if let Some(entry) = slot.take() {
                *weight = weight.saturating_sub(entry.weight);
                free.push(at);
            }
            false
        });
    }
}

/// The cache, shared by the store (lookups and fills) and its writer thread (invalidation).
///
/// Hashing is foldhash's fast variant with a random seed per process and per cache: keys are
/// chosen by clients, and without the seed they cannot pick keys that collide (hash flooding);
/// it is the hasher `hashbrown` itself defaults to, and several times cheaper than std's SipHash
/// on short keys. <https://docs.rs/foldhash/0.2.0/foldhash/#security>
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
            hasher: RandomState::default(),
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
        let hash = self.hasher.hash_one((bucket, key));
        let found = {
            let mut shard = self.lock(hash);
            let generation = shard.generation;
            let hit = shard
                .find(hash, bucket, key)
                .and_then(|at| shard.at(at))
                .and_then(|entry| {
                    let answer = entry.answer(version_id, want)?.clone();
                    entry.referenced = true;
                    Some(answer)
                });
            match hit {
                Some(answer) => answer,
                None => return Lookup::Miss(Ticket { hash, generation }),
            }
        };
        Lookup::Hit(found.map(|version| version.record(bucket, key, want)))
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
        // Built outside the lock (a fill whose generation moved meanwhile, rare, wastes it).
        let Some(answer) = self.answer_of(found, want) else {
            return;
        };
        let mut shard = self.lock(ticket.hash);
        if shard.generation != ticket.generation {
            return;
        }
        let at = shard.find(ticket.hash, bucket, key);
        // A metadata read does not replace a cached version that also has the inline bytes.
        let richer = want == Want::Meta
            && at
                .and_then(|at| shard.at(at))
                .and_then(|e| e.answer(version_id, Want::Whole))
                .is_some();
        if !richer {
            let names = (bucket, key);
            let budget = self.shard_budget;
            shard.fill(&self.hasher, ticket.hash, names, version_id, answer, budget);
        }
    }

    /// The cached form of `found` for a `want` read, with its weight; `None` when it is not to be
    /// kept: a cache of no capacity (`--object-cache-bytes 0`) keeps nothing (and builds
    /// nothing), and a version too big for its shard is not cached.
    fn answer_of(&self, found: Option<&ObjectRecord>, want: Want) -> Option<(Answer, usize)> {
        if self.shard_budget == 0 {
            return None;
        }
        let answer = found.map(|record| Version::new(record, want));
        let weight = answer_weight(&answer);
        (weight <= self.shard_budget / 8).then_some((answer, weight))
    }

    /// Stores `record`, inline bytes included, as the latest version of (`bucket`, `key`): the
    /// writer's own record of the version a committed put made that key's newest, stored after the
    /// batch's invalidation of the key (so the entry holds nothing older) and before the put is
    /// answered. Like a fill, a record too big for the shard is not kept.
    pub(crate) fn store_latest(&self, bucket: &str, key: &str, record: &ObjectRecord) {
        let Some(answer) = self.answer_of(Some(record), Want::Whole) else {
            return;
        };
        let hash = self.hasher.hash_one((bucket, key));
        let budget = self.shard_budget;
        let mut shard = self.lock(hash);
        shard.fill(&self.hasher, hash, (bucket, key), None, answer, budget);
    }

    /// Drops everything cached about (`bucket`, `key`) and voids fills of its shard's reads that
    /// started before.
    pub(crate) fn invalidate_key(&self, bucket: &str, key: &str) {
        let hash = self.hasher.hash_one((bucket, key));
        let mut shard = self.lock(hash);
        shard.generation = shard.generation.wrapping_add(1);
        if let Some(at) = shard.find(hash, bucket, key) {
            shard.remove_at(&self.hasher, at);
        }
    }

    /// Drops everything cached about the objects of `bucket` and voids fills of reads that
    /// started before.
    pub(crate) fn invalidate_bucket(&self, bucket: &str) {
        for shard in &self.shards {
            let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
            shard.generation = shard.generation.wrapping_add(1);
            shard.remove_bucket(bucket);
        }
    }

    /// The shard of the (bucket, key) whose hash is `hash`, locked. Every update leaves a shard
    /// usable (at worst its weight estimate is off until entries go), so a poisoned lock is
    /// taken over.
    fn lock(&self, hash: u64) -> MutexGuard<'_, Shard> {
        // Bits the table does not use to place entries (its low bits) nor to tag them (its top
        // seven); the remainder is below `SHARDS`, so it fits in usize.
        let index = usize::try_from((hash >> 40) % SHARDS as u64).unwrap_or(0);
        self.shards[index % self.shards.len()]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The shard number of (`bucket`, `key`).
    #[cfg(test)]
    fn shard_of(&self, bucket: &str, key: &str) -> u64 {
        (self.hasher.hash_one((bucket, key)) >> 40) % SHARDS as u64
    }

    /// The estimated bytes and the number of entries held.
    #[cfg(test)]
    fn usage(&self) -> (usize, usize) {
        self.shards
            .iter()
            .map(|s| {
                let shard = s.lock().unwrap_or_else(PoisonError::into_inner);
                (shard.weight, shard.table.len())
            })
            .fold((0, 0), |(w, n), (sw, sn)| (w + sw, n + sn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_meta::conformance::fixtures::object;

    /// The slots of every shard, free or in use.
    fn slots(cache: &ObjectCache) -> usize {
        cache
            .shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).slots.len())
            .sum()
    }

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
    fn every_field_comes_back_and_a_cached_record_takes_256_bytes() {
        // A record with the rarely set fields set.
        let cache = ObjectCache::default();
        let mut record = inline("b", "k", b"body");
        record.symlink_target = Some("target".to_owned());
        record.restore = Some(RestoreState {
            ready_ms: 1,
            expiry_ms: 2,
            tier: Some("Bulk".to_owned()),
        });
        record.checksum = Some(StoredChecksum {
            algorithm: "CRC32".to_owned(),
            value: "AAAAAA==-2".to_owned(),
            composite: true,
        });
        record.parts = vec![ObjectPart {
            number: 1,
            size: 4,
            checksum: None,
        }];
        record.tags = vec![("t".to_owned(), "u".to_owned())];
        let ticket = miss(cache.get("b", "k", None, Want::Whole));
        cache.fill("b", "k", None, Some(&record), Want::Whole, ticket);
        assert_eq!(
            hit(cache.get("b", "k", None, Want::Whole)).as_ref(),
            Some(&record)
        );
        assert_eq!(
            hit(cache.get("b", "k", None, Want::Meta)),
            Some(record.without_inline())
        );
        assert_eq!(alloc(2 * size_of::<usize>() + size_of::<Cached>()), 256);
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
        let (record, slot) = (size_of::<Cached>(), size_of::<Option<Entry>>());
        println!("a cached record is {record} bytes, an entry's slot {slot}");
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
    fn the_slots_do_not_grow_under_invalidations() {
        let cache = ObjectCache::default();
        for i in 0..10_000 {
            let key = format!("k{}", i % 3);
            let ticket = miss(cache.get("b", &key, None, Want::Meta));
            cache.fill("b", &key, None, None, Want::Meta, ticket);
            cache.invalidate_key("b", &key);
        }
        let slots = slots(&cache);
        assert!(slots <= 3, "{slots}");
        assert_eq!(cache.usage(), (0, 0));
    }

    #[test]
    fn bucket_invalidation_tells_bucket_from_key() {
        // ("b", "bk") and ("bb", "k") have the same name once joined.
        let cache = ObjectCache::default();
        let mut records = Vec::new();
        for (bucket, key) in [("b", "bk"), ("bb", "k"), ("b", "")] {
            let ticket = miss(cache.get(bucket, key, None, Want::Whole));
            let record = inline(bucket, key, b"x");
            cache.fill(bucket, key, None, Some(&record), Want::Whole, ticket);
            records.push(record);
        }
        assert_eq!(
            hit(cache.get("bb", "k", None, Want::Whole)).as_ref(),
            records.get(1)
        );
        miss(cache.get("bbk", "", None, Want::Whole));
        cache.invalidate_bucket("b");
        miss(cache.get("b", "bk", None, Want::Whole));
        miss(cache.get("b", "", None, Want::Whole));
        hit(cache.get("bb", "k", None, Want::Whole));
        assert_eq!(cache.usage().1, 1);
        // Freed slots are reused.
        let ticket = miss(cache.get("b", "bk", None, Want::Meta));
        cache.fill("b", "bk", None, None, Want::Meta, ticket);
        let slots = slots(&cache);
        assert!(slots <= 3, "{slots}");
    }

    #[test]
    fn eviction_follows_the_clock_and_spares_the_entry_just_filled() {
        let cache = ObjectCache::with_capacity(SHARDS << 14);
        let shard = cache.shard_of("b", "k0");
        let keys: Vec<String> = (0..100_000)
            .map(|i| format!("k{i}"))
            .filter(|k| cache.shard_of("b", k) == shard)
            .take(64)
            .collect();
        let fill = |key: &str| {
            let ticket = miss(cache.get("b", key, None, Want::Meta));
            cache.fill(
                "b",
                key,
                None,
                Some(&object("b", key, "null")),
                Want::Meta,
                ticket,
            );
        };
        // Fill until the shard evicts: the oldest entry goes first, never the one just filled.
        let mut filled = 0;
        while filled < keys.len() && cache.usage().1 == filled {
            fill(&keys[filled]);
            filled += 1;
        }
        assert!(filled > 2 && filled < keys.len(), "{filled}");
        let last = &keys[filled - 1];
        hit(cache.get("b", last, None, Want::Meta));
        miss(cache.get("b", &keys[0], None, Want::Meta));
        hit(cache.get("b", &keys[1], None, Want::Meta));
        // The next fill takes the freed slot; the hand moves on to the next unread entry (the
        // third: the second was just read, so it gets a second pass).
        fill(&keys[filled]);
        hit(cache.get("b", &keys[filled], None, Want::Meta));
        hit(cache.get("b", &keys[1], None, Want::Meta));
        miss(cache.get("b", &keys[2], None, Want::Meta));
    }
}
