//! Object semantics over the metadata store and the blob store: streamed writes that become
//! visible atomically, reads through symlinks and ranges, append, copy, delete, and the
//! reclamation of data that no record references any more; and the bucket service
//! ([`Store::buckets`], [`Store::bucket_configs`]) with the listings.
//!
//! Write order is always: data to a temp file (hashed on the way) → fsync → rename → metadata
//! commit → delete replaced data. A crash at any point leaves, at worst, files that no record
//! names; [`Store::sweep_orphans`] removes them at startup.
//!
//! Multipart uploads store each part as its own blob; completing an upload builds the object
//! *by reference* (its data is the chosen parts' blobs in order), so nothing is copied.
//!
//! Versioning: reads address a version or the latest; a latest delete marker and a named delete
//! marker are distinct errors (404 vs 405, docs/protocol/versioning.md#version-semantics). An
//! append modifies the current appendable version in place (same version id) in an `Enabled`
//! bucket; in a `Suspended` bucket it writes the `null` version, which then shares the earlier
//! blobs with the version it extended (reclamation checks references, so shared blobs are kept).
//!
//! Lifecycle: [`Store::apply_lifecycle`] applies a bucket's rules (expiry of current and
//! noncurrent versions, lone delete markers, old uploads) through the same delete and abort
//! paths, so the data leaves the disk at once.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod append;
mod backup;
mod buckets;
mod checksum;
mod complete;
mod conditions;
mod copy;
mod delete;
mod error;
mod gate;
mod lifecycle;
mod listing;
mod multipart;
mod part_copy;
mod read;
mod write;

pub use backup::{BLOBS_DIR, BackupFile, META_FILE, StoreBackup};
pub use buckets::{BucketConfigs, Buckets, InitialConfigs, Update, UpdateError};
pub use checksum::{BodyChecksum, parse_stored};
pub use complete::{CompleteRequest, multipart_etag};
pub use conditions::{ConditionFailure, Conditions, check_body_conditions, check_conditions};
pub use copy::MAX_COPY_SIZE;
pub use error::StoreError;
pub use gate::ReclaimPause;
pub use lifecycle::LifecycleReport;
pub use multipart::{MAX_PART_NUMBER, MAX_PART_SIZE, MIN_PART_SIZE, PartUpload, PartsPage};
pub use read::{ByteStream, ObjectBody};
pub use write::{BodyStream, WriteSpec};

use std::sync::Arc;

use ossd_blob::BlobStore;
use ossd_meta::{MetaStore, ObjectRecord};

/// The largest object a single PUT, append or copy may produce (5 GiB, as OSS).
pub const MAX_OBJECT_SIZE: u64 = 5 * 1024 * 1024 * 1024;

/// Objects up to this size are kept inside the metadata record (one commit, no file).
pub const DEFAULT_INLINE_THRESHOLD: usize = 4096;

/// The object store: metadata + data, with OSS write/read semantics.
#[derive(Clone)]
pub struct Store {
    meta: Arc<dyn MetaStore>,
    blobs: Arc<dyn BlobStore>,
    inline_threshold: usize,
    gate: Arc<gate::ReclaimGate>,
}

impl Store {
    /// A store over the given backends.
    pub fn new(
        meta: Arc<dyn MetaStore>,
        blobs: Arc<dyn BlobStore>,
        inline_threshold: usize,
    ) -> Self {
        Self {
            meta,
            blobs,
            inline_threshold,
            gate: Arc::default(),
        }
    }

    /// Deletes the data of records that a committed write or delete removed, keeping blobs the
    /// surviving record `keep` still uses (append shares its earlier parts) and blobs any other
    /// stored record still references (an append in a `Suspended` bucket shares the blobs of
    /// the version it extended).
    pub(crate) async fn reclaim(&self, removed: &[ObjectRecord], keep: Option<&ObjectRecord>) {
        let kept: Vec<&str> = keep
            .map(|k| k.data.blob_ids().collect())
            .unwrap_or_default();
        let ids: Vec<String> = removed
            .iter()
            .flat_map(|r| r.data.blob_ids())
            .filter(|id| !kept.contains(id))
            .map(str::to_owned)
            .collect();
        self.reclaim_unreferenced(ids).await;
    }

    /// Deletes those of `ids` that no stored record references any more. When the check fails
    /// nothing is deleted: the startup sweep finds whatever is left.
    pub(crate) async fn reclaim_unreferenced(&self, mut ids: Vec<String>) {
        ids.retain(|id| !id.is_empty());
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return;
        }
        match self.meta.blobs_referenced(&ids).await {
            Ok(used) => {
                let free = ids
                    .into_iter()
                    .zip(used)
                    .filter(|(_, u)| !u)
                    .map(|(id, _)| id)
                    .collect();
                self.reclaim_ids(free).await;
            }
            Err(e) => {
                let error = ossd_meta::ErrorChain(&e);
                tracing::warn!(%error, "could not check data references");
            }
        }
    }

    /// Removes data files that no metadata record references (crash leftovers). Run before
    /// serving; returns how many files were removed.
    pub async fn sweep_orphans(&self) -> Result<usize, StoreError> {
        let ids = self.blobs.list().await?;
        self.delete_orphans(ids).await
    }

    /// As [`Store::sweep_orphans`], for a blob store other nodes write while this runs: only
    /// blobs last written at least `grace` ago are considered. A node commits the record of a
    /// blob moments after finishing it, so a blob with no record after `grace` is a leftover
    /// (docs/scale-out.md, "Blobs").
    pub async fn sweep_orphans_older_than(
        &self,
        grace: std::time::Duration,
    ) -> Result<usize, StoreError> {
        let ids = self.blobs.list_older_than(grace).await?;
        self.delete_orphans(ids).await
    }

    /// Deletes those of `ids` that no record references; returns how many.
    async fn delete_orphans(&self, ids: Vec<String>) -> Result<usize, StoreError> {
        let mut orphans = Vec::new();
        for chunk in ids.chunks(500) {
            let used = self.meta.blobs_referenced(chunk).await?;
            orphans.extend(
                chunk
                    .iter()
                    .zip(used)
                    .filter(|(_, u)| !u)
                    .map(|(id, _)| id.clone()),
            );
        }
        self.blobs.delete(&orphans).await?;
        Ok(orphans.len())
    }
}
