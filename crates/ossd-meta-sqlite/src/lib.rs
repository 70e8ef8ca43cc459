//! SQLite metadata backend: [`SqliteMeta`] implements [`MetaStore`] over one database file.
//!
//! - One writer thread owns the only writing connection and commits queued mutations in groups:
//!   one transaction for everything queued, a savepoint per mutation so that one failure does not
//!   fail the others. A syncer thread `fdatasync`s the WAL for every commit so far and only then
//!   answers the callers, while the writer runs the next batch (`writer.rs`, `syncer.rs`).
//! - A few reader connections serve reads on the blocking pool, each read in one snapshot.
//! - Bucket records and bucket configuration documents are served from an in-memory cache
//!   (`cache.rs`) that the writer invalidates after each commit, before acknowledging it.
//! - So are object versions (`object_cache.rs`, bounded by bytes): every mutation declares the key
//!   or bucket it may change (`scope.rs`), and the writer drops those before acknowledging it.
//! - WAL (`synchronous=NORMAL` plus the syncer: as durable as `FULL`), foreign keys on; schema
//!   versions by `PRAGMA user_version`.
//! - Versioning rules, preconditions and listing come from `ossd-meta`, shared with every backend.
//! - The IAM key-value space (schema v2) is one `iam` table; commits go through the same writer.
//! - Multipart uploads (schema v3) are `uploads` and `parts` tables; their writes go through the
//!   same writer, each in its savepoint, with the rules of `ossd_meta::uploads`.
//! - GetBucketStat's figures (schema v4, back-filled once from the rows) are one `bucket_stats`
//!   row per bucket, changed in the savepoint of every write that changes them.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod backup;
mod bucket_stats;
mod buckets;
mod cache;
mod checkpoint;
mod codec;
mod cursor;
mod error;
mod iam;
mod object_cache;
mod objects;
mod perms;
mod readers;
mod schema;
mod scope;
mod stats;
mod stmt;
mod syncer;
mod txn;
mod upload_txn;
mod uploads;
mod writer;

/// The tests run on jemalloc, the `ossd` binary's allocator, whose size classes the object
/// cache's weight follows.
#[cfg(all(test, not(target_env = "msvc")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

pub use error::SqliteError;
pub use stats::WriterStats;

use async_trait::async_trait;
use cache::Lookup;
use object_cache::Want;
use ossd_meta::uploads::{apply_abort, apply_complete, apply_create_upload, apply_put_part};
use ossd_meta::versioning::{DeleteRequest, apply_delete, apply_put, apply_update};
use ossd_meta::{
    BucketRecord, BucketStats, BucketSwap, CompleteOutcome, ConfigSwap, DeleteOutcome, IamCheck,
    IamItem, IamWrite, ListPage, ListQuery, ListUploadsQuery, ListVersionsQuery, MetaError,
    MetaStore, ObjectRecord, PartRecord, Precondition, PutOutcome, UploadRecord, UploadsPage,
    VersionsPage,
};
use readers::Readers;
use scope::{Caches, Scope};
use std::path::Path;
use std::sync::Arc;
use txn::SqlTxn;
use uploads::OwnedUploadRef;
use writer::Writer;

/// The schema version this build creates and expects (`PRAGMA user_version`).
pub fn schema_version() -> usize {
    schema::current_version()
}

/// Settings of a [`SqliteMeta`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteOptions {
    /// The memory budget of the object-version cache, in bytes of heap (0: no cache).
    pub object_cache_bytes: usize,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            object_cache_bytes: DEFAULT_OBJECT_CACHE_BYTES,
        }
    }
}

/// The default budget of the object-version cache: 64 MiB.
pub const DEFAULT_OBJECT_CACHE_BYTES: usize = object_cache::DEFAULT_CAPACITY;

/// A [`MetaStore`] in one SQLite database file. Dropping it waits for queued writes to commit.
#[derive(Debug)]
pub struct SqliteMeta {
    writer: Writer,
    readers: Arc<Readers>,
    cache: Arc<Caches>,
    path: std::path::PathBuf,
}

impl SqliteMeta {
    /// Opens (creating and migrating if needed) the database at `path` and starts its writer,
    /// with the default [`SqliteOptions`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, MetaError> {
        Self::open_with(path, &SqliteOptions::default())
    }

    /// [`Self::open`] with `options`.
    pub fn open_with(path: impl AsRef<Path>, options: &SqliteOptions) -> Result<Self, MetaError> {
        let path = path.as_ref().to_path_buf();
        let cache = Arc::new(Caches::new(options.object_cache_bytes));
        let conn = schema::open_writer(&path)?;
        let writer = Writer::spawn(conn, &path, Arc::clone(&cache))?;
        Ok(Self {
            writer,
            readers: Arc::new(Readers::new(path.clone())),
            cache,
            path,
        })
    }

    /// Group-commit counters since opening: transactions committed and mutations in them.
    pub fn stats(&self) -> WriterStats {
        self.writer.stats()
    }

    /// `get_object` (`Want::Whole`) or `get_object_meta` (`Want::Meta`): from the object cache,
    /// else read and cached.
    async fn read_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        want: Want,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        let ticket = match self.cache.objects.get(bucket, key, version_id, want) {
            object_cache::Lookup::Hit(found) => return Ok(found),
            object_cache::Lookup::Miss(ticket) => ticket,
        };
        let read = move |c: &rusqlite::Connection, b: &str, k: &str, v: Option<&str>| match want {
            Want::Whole => objects::get(c, b, k, v),
            Want::Meta => objects::get_meta(c, b, k, v),
        };
        // On this thread with borrowed names when a reader is at hand (no copies of them), else
        // on the blocking pool with owned ones.
        let found = match self.readers.try_point(|c| read(c, bucket, key, version_id)) {
            Ok(found) => found?,
            Err(_) => {
                let (b, k) = (bucket.to_owned(), key.to_owned());
                let v = version_id.map(str::to_owned);
                let owned = move |c: &rusqlite::Connection| read(c, &b, &k, v.as_deref());
                self.readers.run(owned).await?
            }
        };
        let objects = &self.cache.objects;
        objects.fill(bucket, key, version_id, found.as_ref(), want, ticket);
        Ok(found)
    }
}

#[async_trait]
impl MetaStore for SqliteMeta {
    async fn create_bucket(&self, bucket: BucketRecord) -> Result<(), MetaError> {
        let scope = Scope::bucket(&bucket.name);
        let write = move |c: &_| buckets::create(c, &bucket);
        self.writer.submit(scope, write).await
    }

    async fn create_bucket_with_configs(
        &self,
        bucket: BucketRecord,
        configs: Vec<(String, String)>,
    ) -> Result<(), MetaError> {
        let scope = Scope::bucket(&bucket.name);
        // One mutation, so one savepoint: the bucket and its documents commit together.
        let write = move |c: &_| {
            buckets::create(c, &bucket)?;
            for (kind, doc) in &configs {
                buckets::put_config(c, &bucket.name, kind, Some(doc))?;
            }
            Ok(())
        };
        self.writer.submit(scope, write).await
    }

    async fn get_bucket(&self, name: &str) -> Result<Option<BucketRecord>, MetaError> {
        let ticket = match self.cache.buckets.bucket(name) {
            Lookup::Hit(found) => return Ok(found),
            Lookup::Miss(ticket) => ticket,
        };
        let owned = name.to_owned();
        let found = self.readers.run(move |c| buckets::get(c, &owned)).await?;
        self.cache.buckets.fill_bucket(name, &found, ticket);
        Ok(found)
    }

    async fn update_bucket(&self, bucket: BucketRecord) -> Result<(), MetaError> {
        let scope = Scope::bucket(&bucket.name);
        let write = move |c: &_| buckets::update(c, &bucket);
        self.writer.submit(scope, write).await
    }

    async fn swap_bucket(
        &self,
        expected: &BucketRecord,
        bucket: BucketRecord,
    ) -> Result<BucketSwap, MetaError> {
        let scope = Scope::bucket(&expected.name);
        let expected = expected.clone();
        let write = move |c: &_| buckets::swap(c, &expected, &bucket);
        self.writer.submit(scope, write).await
    }

    async fn delete_bucket(&self, name: &str) -> Result<(), MetaError> {
        let owned = name.to_owned();
        let write = move |c: &_| buckets::delete(c, &owned);
        self.writer.submit(Scope::bucket(name), write).await
    }

    async fn list_buckets(
        &self,
        owner: &str,
        prefix: &str,
        marker: &str,
        max: usize,
    ) -> Result<(Vec<BucketRecord>, bool), MetaError> {
        let (owner, prefix, marker) = (owner.to_owned(), prefix.to_owned(), marker.to_owned());
        let read = move |c: &_| buckets::list(c, &owner, &prefix, &marker, max);
        self.readers.run(read).await
    }

    async fn get_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
    ) -> Result<Option<String>, MetaError> {
        let ticket = match self.cache.buckets.config(bucket, kind) {
            Lookup::Hit(doc) => return Ok(doc),
            Lookup::Miss(ticket) => ticket,
        };
        let (owned_bucket, owned_kind) = (bucket.to_owned(), kind.to_owned());
        let read = move |c: &_| buckets::get_config(c, &owned_bucket, &owned_kind);
        let doc = self.readers.run(read).await?;
        self.cache.buckets.fill_config(bucket, kind, &doc, ticket);
        Ok(doc)
    }

    async fn put_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
        doc: Option<String>,
    ) -> Result<(), MetaError> {
        let (owned_bucket, kind) = (bucket.to_owned(), kind.to_owned());
        let write = move |c: &_| buckets::put_config(c, &owned_bucket, &kind, doc.as_deref());
        self.writer.submit(Scope::bucket(bucket), write).await
    }

    async fn swap_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
        expected: Option<&str>,
        doc: Option<String>,
    ) -> Result<ConfigSwap, MetaError> {
        let (owned_bucket, kind) = (bucket.to_owned(), kind.to_owned());
        let expected = expected.map(str::to_owned);
        let write = move |c: &_| {
            buckets::swap_config(c, &owned_bucket, &kind, expected.as_deref(), doc.as_deref())
        };
        self.writer.submit(Scope::bucket(bucket), write).await
    }

    async fn get_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        self.read_object(bucket, key, version_id, Want::Whole).await
    }

    async fn get_object_meta(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        self.read_object(bucket, key, version_id, Want::Meta).await
    }

    async fn put_object(
        &self,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<PutOutcome, MetaError> {
        let scope = Scope::object(&record.bucket, &record.key);
        let write = move |c: &_| {
            let mut txn = SqlTxn::new(c);
            let outcome = apply_put(&mut txn, record, &condition)?;
            Ok((outcome, txn.take_pushed()))
        };
        self.writer.submit_put(scope, write).await
    }

    async fn update_object(
        &self,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<(), MetaError> {
        let scope = Scope::object(&record.bucket, &record.key);
        let write = move |c: &_| apply_update(&mut SqlTxn::new(c), record, &condition);
        self.writer.submit(scope, write).await
    }

    async fn delete_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        marker_version_id: &str,
        now_ms: i64,
    ) -> Result<DeleteOutcome, MetaError> {
        let scope = Scope::object(bucket, key);
        let (bucket, key) = (bucket.to_owned(), key.to_owned());
        let (version_id, marker) = (version_id.map(str::to_owned), marker_version_id.to_owned());
        self.writer
            .submit(scope, move |c| {
                let req = DeleteRequest {
                    bucket: &bucket,
                    key: &key,
                    version_id: version_id.as_deref(),
                    marker_version_id: &marker,
                    now_ms,
                };
                apply_delete(&mut SqlTxn::new(c), req)
            })
            .await
    }

    async fn list_objects(&self, query: &ListQuery) -> Result<ListPage, MetaError> {
        let query = query.clone();
        let short = query.max_keys <= readers::SHORT_LISTING;
        let list = move |c: &rusqlite::Connection| objects::list(c, &query);
        if short {
            self.readers.run_short(list).await
        } else {
            self.readers.run(list).await
        }
    }

    async fn list_versions(&self, query: &ListVersionsQuery) -> Result<VersionsPage, MetaError> {
        let query = query.clone();
        self.readers
            .run(move |c| objects::list_versions(c, &query))
            .await
    }

    async fn blobs_referenced(&self, blob_ids: &[String]) -> Result<Vec<bool>, MetaError> {
        let blob_ids = blob_ids.to_vec();
        let used = self
            .readers
            .run(move |c| objects::blobs_referenced(c, &blob_ids))
            .await?;
        // The caller deletes the blobs found unreferenced: that must not rest on a commit (the
        // removal of their last reference) that a power failure could still undo.
        self.writer.synced().await?;
        Ok(used)
    }

    async fn iam_get(&self, key: &str) -> Result<Option<IamItem>, MetaError> {
        let key = key.to_owned();
        self.readers.run(move |c| iam::get(c, &key)).await
    }

    async fn iam_scan(
        &self,
        prefix: &str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<(String, IamItem)>, MetaError> {
        let (prefix, after) = (prefix.to_owned(), after.to_owned());
        self.readers
            .run(move |c| iam::scan(c, &prefix, &after, limit))
            .await
    }

    async fn iam_commit(
        &self,
        checks: Vec<IamCheck>,
        writes: Vec<IamWrite>,
    ) -> Result<(), MetaError> {
        self.writer
            .submit(Scope::Nothing, move |c| iam::commit(c, &checks, &writes))
            .await
    }

    async fn create_upload(&self, upload: UploadRecord) -> Result<(), MetaError> {
        let write = move |c: &_| apply_create_upload(&mut SqlTxn::new(c), upload);
        self.writer.submit(Scope::Nothing, write).await
    }

    async fn get_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Option<UploadRecord>, MetaError> {
        let at = OwnedUploadRef::new(bucket, key, upload_id);
        self.readers.run(move |c| uploads::get(c, at.get())).await
    }

    async fn put_part(
        &self,
        bucket: &str,
        key: &str,
        part: PartRecord,
    ) -> Result<Option<PartRecord>, MetaError> {
        let (bucket, key) = (bucket.to_owned(), key.to_owned());
        let write = move |c: &_| apply_put_part(&mut SqlTxn::new(c), &bucket, &key, part);
        self.writer.submit(Scope::Nothing, write).await
    }

    async fn list_parts(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number_marker: u32,
        max_parts: usize,
    ) -> Result<(Vec<PartRecord>, bool), MetaError> {
        let at = OwnedUploadRef::new(bucket, key, upload_id);
        let read = move |c: &_| uploads::list_parts(c, at.get(), part_number_marker, max_parts);
        self.readers.run(read).await
    }

    async fn list_uploads(&self, query: &ListUploadsQuery) -> Result<UploadsPage, MetaError> {
        let query = query.clone();
        self.readers.run(move |c| uploads::list(c, &query)).await
    }

    async fn complete_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<CompleteOutcome, MetaError> {
        let scope = Scope::object(bucket, key);
        let at = OwnedUploadRef::new(bucket, key, upload_id);
        let write = move |c: &_| apply_complete(&mut SqlTxn::new(c), at.get(), record, &condition);
        self.writer.submit(scope, write).await
    }

    async fn abort_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Vec<PartRecord>, MetaError> {
        let at = OwnedUploadRef::new(bucket, key, upload_id);
        let write = move |c: &_| apply_abort(&mut SqlTxn::new(c), at.get());
        self.writer.submit(Scope::Nothing, write).await
    }

    async fn bucket_stats(&self, bucket: &str) -> Result<BucketStats, MetaError> {
        let bucket = bucket.to_owned();
        self.readers
            .run(move |c| bucket_stats::get(c, &bucket))
            .await
    }

    fn set_commit_observer(&self, observer: Arc<dyn ossd_meta::CommitObserver>) {
        self.writer.set_observer(observer);
    }

    async fn backup_to(&self, path: &Path) -> Result<ossd_meta::MetaSnapshot, MetaError> {
        let (source, dest) = (self.path.clone(), path.to_path_buf());
        let snapshot = tokio::task::spawn_blocking(move || backup::backup(&source, &dest))
            .await
            .map_err(|source| SqliteError::Task {
                what: "backup",
                source,
            })??;
        // The copy may hold commits not yet synced: report it only once they are on disk.
        self.writer.synced().await?;
        Ok(snapshot)
    }
}
