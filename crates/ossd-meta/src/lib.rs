//! Metadata storage for ossd: the records (buckets, object versions, multipart uploads and their
//! parts), the [`MetaStore`] trait every backend implements, the listing algorithm they share, an
//! in-memory backend, and a conformance suite that every backend must pass.
//!
//! Semantics live here, not in the backends: versioning rules for writes and deletes, preconditions
//! checked inside the same transaction as the write, multipart-upload rules, and listing with
//! prefix/delimiter/marker.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

#[cfg(any(test, feature = "conformance"))]
#[allow(clippy::expect_used)] // a test suite: a panic is a failed test
pub mod conformance;
mod error;
mod iam;
pub mod listing;
mod memory;
mod multipart;
mod observer;
mod records;
mod snapshot;
mod stats;
pub mod uploads;
pub mod versioning;

/// The type of [`DataRef::Inline`]'s bytes, for backends that build records.
pub use bytes::Bytes;
pub use error::{BoxError, ErrorChain, MetaError};
pub use iam::{IamCheck, IamItem, IamWrite};
pub use memory::MemoryMeta;
pub use multipart::*;
pub use observer::CommitObserver;
pub use records::*;
pub use snapshot::MetaSnapshot;
pub use stats::*;

use async_trait::async_trait;

/// The outcome of [`MetaStore::swap_bucket_config`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSwap {
    /// The document was as expected and has been replaced.
    Swapped,
    /// The document was not as expected (it is this one now; `None`: absent); nothing was written.
    Changed(Option<String>),
}

/// The outcome of [`MetaStore::swap_bucket`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BucketSwap {
    /// The record was as expected and has been replaced.
    Swapped,
    /// The record was not as expected (it is this one now); nothing was written.
    Changed(Box<BucketRecord>),
}

/// The metadata store. All methods are atomic; writes are durable when they return.
#[async_trait]
pub trait MetaStore: Send + Sync + 'static {
    /// Creates a bucket. Fails with [`MetaError::BucketAlreadyExists`] if the name is taken.
    async fn create_bucket(&self, bucket: BucketRecord) -> Result<(), MetaError>;
    /// Creates a bucket with configuration documents (`(kind, doc)` pairs, as
    /// [`MetaStore::put_bucket_config`] writes them) in one atomic step: the bucket never exists
    /// without them (the defaults a new bucket gets, docs/protocol/buckets.md#new-bucket-defaults).
    /// Fails as [`MetaStore::create_bucket`], writing nothing.
    async fn create_bucket_with_configs(
        &self,
        bucket: BucketRecord,
        configs: Vec<(String, String)>,
    ) -> Result<(), MetaError>;
    /// Reads a bucket.
    async fn get_bucket(&self, name: &str) -> Result<Option<BucketRecord>, MetaError>;
    /// Replaces a bucket's record (ACL, versioning, ...) unconditionally. The name must exist.
    /// A read-modify-write uses [`MetaStore::swap_bucket`] instead.
    async fn update_bucket(&self, bucket: BucketRecord) -> Result<(), MetaError>;
    /// Replaces the record of bucket `expected.name` with `bucket` only if it is still
    /// `expected`, atomically: the compare-and-set behind read-modify-write updates of a bucket
    /// (ACL, versioning), so that concurrent updates never lose one another. When the record
    /// differs, nothing is written and [`BucketSwap::Changed`] carries the current one;
    /// [`MetaError::NoSuchBucket`] if the bucket does not exist, [`MetaError::NotSupported`] if
    /// `bucket` has another name.
    async fn swap_bucket(
        &self,
        expected: &BucketRecord,
        bucket: BucketRecord,
    ) -> Result<BucketSwap, MetaError>;
    /// Deletes an empty bucket and its configuration documents; [`MetaError::BucketNotEmpty`]
    /// while it has any object version (delete markers included) or multipart upload.
    async fn delete_bucket(&self, name: &str) -> Result<(), MetaError>;
    /// Buckets of `owner` whose name starts with `prefix` and sorts after `marker`, at most `max`;
    /// the flag says whether more follow (`max == 0` gives an empty list and `false`).
    async fn list_buckets(
        &self,
        owner: &str,
        prefix: &str,
        marker: &str,
        max: usize,
    ) -> Result<(Vec<BucketRecord>, bool), MetaError>;
    /// Reads a bucket configuration document (`kind` = "cors", "lifecycle", "policy", ...);
    /// [`MetaError::NoSuchBucket`] if the bucket does not exist.
    async fn get_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
    ) -> Result<Option<String>, MetaError>;
    /// Writes (`Some`) or removes (`None`) a bucket configuration document.
    async fn put_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
        doc: Option<String>,
    ) -> Result<(), MetaError>;
    /// Writes (`Some`) or removes (`None`) a bucket configuration document only if it is still
    /// `expected` (`None`: absent), atomically: the compare-and-set behind read-modify-write
    /// updates of a document that holds several entries (image styles), so that concurrent
    /// updates never lose one another. When the document differs, nothing is written and
    /// [`ConfigSwap::Changed`] carries the current one; [`MetaError::NoSuchBucket`] if the bucket
    /// does not exist.
    async fn swap_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
        expected: Option<&str>,
        doc: Option<String>,
    ) -> Result<ConfigSwap, MetaError>;

    /// Reads one version, or the latest version (which may be a delete marker) when `version_id`
    /// is `None`. `Ok(None)` when there is no such key or version; [`MetaError::NoSuchBucket`]
    /// when there is no such bucket.
    async fn get_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<ObjectRecord>, MetaError>;
    /// As [`MetaStore::get_object`], but the record comes without inline bytes (see
    /// [`ObjectRecord::without_inline`]): for HEAD and ACL checks, which use only metadata.
    /// Never write such a record back. The default reads the whole record and drops the bytes.
    async fn get_object_meta(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        let mut record = self.get_object(bucket, key, version_id).await?;
        if let Some(DataRef::Inline(bytes)) = record.as_mut().map(|r| &mut r.data) {
            *bytes = bytes::Bytes::new();
        }
        Ok(record)
    }
    /// Writes a new object version, following the bucket's versioning state read in the same
    /// transaction: `Enabled` keeps older versions and uses `record.version_id`; otherwise the
    /// `null` version is replaced and the record's version id becomes `"null"`. An existing version
    /// with the same id is replaced in either case (how an append rewrites the current version of
    /// an `Enabled` bucket) and returned in [`PutOutcome::replaced`]; the new record becomes the
    /// newest version. `condition` is checked against the latest version, a delete marker counting
    /// as no object; on failure nothing is written.
    async fn put_object(
        &self,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<PutOutcome, MetaError>;
    /// Replaces the record of an existing version in place (ACL, tags, metadata), keeping its
    /// position among versions. `condition` is checked against that version;
    /// [`MetaError::NoSuchVersion`] if it does not exist.
    async fn update_object(
        &self,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<(), MetaError>;
    /// Deletes as OSS does: with a version id, removes that version; without one, removes the
    /// current version (`Disabled`), adds a delete marker with id `marker_version_id`
    /// (`Enabled`), or replaces the `null` version with a `null` delete marker (`Suspended`).
    /// A version id that does not exist is not an error: the outcome removes nothing (OSS answers
    /// 204). `Enabled` adds a marker even for a key that has no versions. `marker_version_id` is
    /// also the marker's revision, so pass a fresh id whatever the versioning state.
    async fn delete_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        marker_version_id: &str,
        now_ms: i64,
    ) -> Result<DeleteOutcome, MetaError>;
    /// Lists the latest non-marker version of each key (ListObjects v1/v2); `max_keys == 0` gives
    /// an empty page that is not truncated. Records come without inline bytes
    /// ([`ObjectRecord::without_inline`]); read one with [`MetaStore::get_object`] for its data.
    async fn list_objects(&self, query: &ListQuery) -> Result<ListPage, MetaError>;
    /// Lists every version and delete marker, newest first within a key (ListObjectVersions).
    /// Records come without inline bytes, as in [`MetaStore::list_objects`].
    async fn list_versions(&self, query: &ListVersionsQuery) -> Result<VersionsPage, MetaError>;
    /// For each blob id, whether any record still references it (used by the orphan sweep): an
    /// object version, or a part of an upload in progress.
    async fn blobs_referenced(&self, blob_ids: &[String]) -> Result<Vec<bool>, MetaError>;

    /// Reads one IAM item.
    async fn iam_get(&self, key: &str) -> Result<Option<IamItem>, MetaError>;
    /// Up to `limit` IAM items whose key starts with `prefix` and sorts after `after` (byte
    /// order), ascending.
    async fn iam_scan(
        &self,
        prefix: &str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<(String, IamItem)>, MetaError>;
    /// Atomically checks every [`IamCheck`] and, if all hold, applies the writes in order (all
    /// puts of one commit share one new revision). Any failed check writes nothing and gives
    /// [`MetaError::PreconditionFailed`]`(None)`. Durable when it returns.
    async fn iam_commit(
        &self,
        checks: Vec<IamCheck>,
        writes: Vec<IamWrite>,
    ) -> Result<(), MetaError>;

    /// Creates a multipart upload; [`MetaError::NoSuchBucket`] if the bucket does not exist. The
    /// upload id must be non-empty and unused in the store (a backend error otherwise).
    async fn create_upload(&self, upload: UploadRecord) -> Result<(), MetaError>;
    /// Reads an upload (bucket, key and upload id must all match); `Ok(None)` when there is no
    /// such upload, [`MetaError::NoSuchBucket`] when there is no such bucket.
    async fn get_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Option<UploadRecord>, MetaError>;
    /// Stores a part of upload `part.upload_id` (of `bucket`/`key`), replacing the part with the
    /// same number, which is returned: its blob is garbage (`None` when there was none, or it had
    /// `part`'s own blob). [`MetaError::NoSuchUpload`] if the upload is gone: then nothing is
    /// written and `part.blob` is the caller's to delete.
    async fn put_part(
        &self,
        bucket: &str,
        key: &str,
        part: PartRecord,
    ) -> Result<Option<PartRecord>, MetaError>;
    /// Up to `max_parts` parts with numbers above `part_number_marker`, ascending, and whether
    /// more follow (`max_parts == 0` gives an empty list and `false`);
    /// [`MetaError::NoSuchUpload`] if the upload does not exist.
    async fn list_parts(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number_marker: u32,
        max_parts: usize,
    ) -> Result<(Vec<PartRecord>, bool), MetaError>;
    /// Lists uploads (ListMultipartUploads): keys ascending, then upload ids ascending (initiation
    /// order), with delimiter folding as in [`MetaStore::list_objects`]. Reads no parts.
    async fn list_uploads(&self, query: &ListUploadsQuery) -> Result<UploadsPage, MetaError>;
    /// Atomically: checks the upload exists ([`MetaError::NoSuchUpload`]), writes `record` as a
    /// new object version with the rules of [`MetaStore::put_object`] (`record.data` =
    /// [`DataRef::Parts`] of the chosen parts' blobs, in order; each must be a blob of a part of
    /// the upload now, else [`MetaError::InvalidPart`]), then deletes the upload and all its
    /// parts. Returns the new version id, the replaced object records and the parts `record`
    /// does not use (all garbage). `condition` is checked as by `put_object`; on any failure
    /// nothing changes and the upload stays.
    async fn complete_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<CompleteOutcome, MetaError>;
    /// Deletes the upload and its parts, returning the parts (their blobs become garbage).
    /// [`MetaError::NoSuchUpload`] if absent.
    async fn abort_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Vec<PartRecord>, MetaError>;
    /// The figures of bucket `bucket` (GetBucketStat), kept with every write (see
    /// [`BucketStats`]); [`MetaError::NoSuchBucket`] if it does not exist.
    async fn bucket_stats(&self, bucket: &str) -> Result<BucketStats, MetaError>;
    /// Installs `observer` to hear of every commit (and, with a database server, of every
    /// operation's round trips) from now on, replacing any earlier one. Backends without batched
    /// commits or a server may ignore it (the default).
    fn set_commit_observer(&self, observer: std::sync::Arc<dyn CommitObserver>) {
        let _ = observer;
    }
    /// Writes a consistent snapshot of the whole store to the new file `path` while serving
    /// (writes go on; the copy is one point in time) and summarizes what it holds. Backends
    /// without a file form answer [`MetaError::NotSupported`] (the default).
    async fn backup_to(&self, path: &std::path::Path) -> Result<MetaSnapshot, MetaError> {
        let _ = path;
        Err(MetaError::NotSupported("backup"))
    }
}
