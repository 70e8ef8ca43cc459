//! The in-memory data: buckets with their configuration, versions per key, the index of current
//! versions, multipart uploads, and blob reference counts; and the [`VersionTxn`] primitives over
//! them.

use super::uploads::UploadState;
use crate::versioning::VersionTxn;
use crate::{BucketRecord, BucketStats, MetaError, ObjectRecord, StatsDelta};
use ossd_types::VersioningState;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Everything a [`super::MemoryMeta`] holds.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Buckets by name.
    pub buckets: BTreeMap<String, BucketState>,
    /// How many stored versions and parts reference each blob.
    pub blob_refs: HashMap<String, u64>,
    /// The id of every upload in progress (ids are unique in the store).
    pub upload_ids: HashSet<String>,
    /// The IAM key-value space.
    pub iam: super::iam::IamSpace,
}

/// One bucket and its objects.
#[derive(Debug)]
pub(super) struct BucketState {
    /// The bucket record.
    pub record: BucketRecord,
    /// Configuration documents by kind.
    pub configs: BTreeMap<String, String>,
    /// All versions of each key (as bytes), oldest first; no entry has an empty list.
    pub versions: BTreeMap<Vec<u8>, Vec<ObjectRecord>>,
    /// Keys whose newest version is not a delete marker.
    pub current: BTreeSet<Vec<u8>>,
    /// Uploads in progress by (key as bytes, upload id): the listing order.
    pub uploads: BTreeMap<(Vec<u8>, String), UploadState>,
    /// The figures GetBucketStat reports, changed by the write rules.
    pub stats: BucketStats,
}

impl BucketState {
    /// A bucket with no objects.
    pub(super) fn new(record: BucketRecord) -> Self {
        Self {
            record,
            configs: BTreeMap::new(),
            versions: BTreeMap::new(),
            current: BTreeSet::new(),
            uploads: BTreeMap::new(),
            stats: BucketStats::default(),
        }
    }

    /// Re-derives whether `key` is in the current index from its newest version.
    fn refresh_current(&mut self, key: &[u8]) {
        let live = self
            .versions
            .get(key)
            .and_then(|v| v.last())
            .is_some_and(|r| !r.delete_marker);
        if live {
            self.current.insert(key.to_vec());
        } else {
            self.current.remove(key);
        }
    }
}

impl State {
    /// The bucket named `name`, or [`MetaError::NoSuchBucket`].
    pub(super) fn bucket(&self, name: &str) -> Result<&BucketState, MetaError> {
        self.buckets.get(name).ok_or(MetaError::NoSuchBucket)
    }

    /// The bucket named `name`, mutably, or [`MetaError::NoSuchBucket`].
    pub(super) fn bucket_mut(&mut self, name: &str) -> Result<&mut BucketState, MetaError> {
        self.buckets.get_mut(name).ok_or(MetaError::NoSuchBucket)
    }
}

/// Adds one to (`add`) or removes one from the reference count of each blob of `record`.
fn count_blobs(refs: &mut HashMap<String, u64>, record: &ObjectRecord, add: bool) {
    for blob in record.data.blob_ids() {
        count_blob(refs, blob, add);
    }
}

/// Adds one to (`add`) or removes one from the reference count of `blob`.
pub(super) fn count_blob(refs: &mut HashMap<String, u64>, blob: &str, add: bool) {
    if add {
        *refs.entry(blob.to_owned()).or_default() += 1;
    } else if let Some(n) = refs.get_mut(blob) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            refs.remove(blob);
        }
    }
}

impl VersionTxn for State {
    fn versioning(&mut self, bucket: &str) -> Result<VersioningState, MetaError> {
        Ok(self.bucket(bucket)?.record.versioning)
    }

    fn latest(&mut self, bucket: &str, key: &str) -> Result<Option<ObjectRecord>, MetaError> {
        let versions = self.bucket(bucket)?.versions.get(key.as_bytes());
        Ok(versions.and_then(|v| v.last()).cloned())
    }

    fn version(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        let versions = self.bucket(bucket)?.versions.get(key.as_bytes());
        let found = versions.and_then(|v| v.iter().find(|r| r.version_id == version_id));
        Ok(found.cloned())
    }

    fn push(&mut self, record: ObjectRecord) -> Result<(), MetaError> {
        let b = self
            .buckets
            .get_mut(&record.bucket)
            .ok_or(MetaError::NoSuchBucket)?;
        count_blobs(&mut self.blob_refs, &record, true);
        let key = record.key.as_bytes().to_vec();
        b.versions.entry(key.clone()).or_default().push(record);
        b.refresh_current(&key);
        Ok(())
    }

    fn remove(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        let b = self.bucket_mut(bucket)?;
        let Some(versions) = b.versions.get_mut(key.as_bytes()) else {
            return Ok(None);
        };
        let Some(at) = versions.iter().position(|r| r.version_id == version_id) else {
            return Ok(None);
        };
        let removed = versions.remove(at);
        if versions.is_empty() {
            b.versions.remove(key.as_bytes());
        }
        b.refresh_current(key.as_bytes());
        count_blobs(&mut self.blob_refs, &removed, false);
        Ok(Some(removed))
    }

    fn replace(&mut self, record: ObjectRecord) -> Result<(), MetaError> {
        let b = self
            .buckets
            .get_mut(&record.bucket)
            .ok_or(MetaError::NoSuchBucket)?;
        let key = record.key.as_bytes().to_vec();
        let slot = b
            .versions
            .get_mut(&key)
            .and_then(|v| v.iter_mut().find(|r| r.version_id == record.version_id))
            .ok_or(MetaError::NoSuchVersion)?;
        count_blobs(&mut self.blob_refs, &record, true);
        let old = std::mem::replace(slot, record);
        count_blobs(&mut self.blob_refs, &old, false);
        b.refresh_current(&key);
        Ok(())
    }

    fn add_stats(&mut self, bucket: &str, delta: &StatsDelta) -> Result<(), MetaError> {
        self.bucket_mut(bucket)?.stats.apply(delta);
        Ok(())
    }
}
