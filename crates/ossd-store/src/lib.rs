//! Object semantics over the metadata store and the blob store: streamed writes that become
//! visible atomically, reads through symlinks and ranges, append, copy, delete, and the
//! reclamation of data that no record references any more.
//!
//! Write order is always: data to a temp file (hashed on the way) → fsync → rename → metadata
//! commit → delete replaced data. A crash at any point leaves, at worst, files that no record
//! names; [`Store::sweep_orphans`] removes them at startup.

mod append;
mod conditions;
mod copy;
mod delete;
mod error;
mod read;
mod write;

pub use conditions::{ConditionFailure, Conditions, check_conditions};
pub use copy::MAX_COPY_SIZE;
pub use error::StoreError;
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
        }
    }

    /// The metadata store (buckets, configuration documents).
    pub fn meta(&self) -> &Arc<dyn MetaStore> {
        &self.meta
    }

    /// Deletes the data of records that a committed write or delete removed, keeping blobs the
    /// surviving record `keep` still uses (append shares its earlier parts).
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
        if ids.is_empty() {
            return;
        }
        if let Err(e) = self.blobs.delete(&ids).await {
            // The startup sweep removes whatever is left; nothing is lost.
            tracing::warn!(error = %e, count = ids.len(), "could not delete replaced data");
        }
    }

    /// Removes data files that no metadata record references (crash leftovers). Run before
    /// serving; returns how many files were removed.
    pub async fn sweep_orphans(&self) -> Result<usize, StoreError> {
        let ids = self.blobs.list().await?;
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
