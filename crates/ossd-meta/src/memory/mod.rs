//! [`MemoryMeta`]: a complete in-memory [`MetaStore`] (BTreeMaps behind one mutex), used by
//! `ossd serve --memory` and by tests. Nothing survives the process. Every write, multipart
//! uploads included, applies the shared rules of [`crate::versioning`] and [`crate::uploads`]
//! under the one lock.

mod buckets;
mod cursor;
mod iam;
mod state;
mod upload_cursor;
mod uploads;

use crate::uploads::{UploadRef, apply_abort, apply_complete, apply_create_upload, apply_put_part};
use crate::versioning::{DeleteRequest, apply_delete, apply_put, apply_update};
use crate::{
    BucketRecord, BucketStats, BucketSwap, CompleteOutcome, ConfigSwap, DeleteOutcome, IamCheck,
    IamItem, IamWrite, ListPage, ListQuery, ListUploadsQuery, ListVersionsQuery, MetaError,
    MetaStore, ObjectRecord, PartRecord, Precondition, PutOutcome, UploadRecord, UploadsPage,
    VersionsPage, listing,
};
use async_trait::async_trait;
use cursor::{CurrentCursor, VersionsCursor};
use state::State;
use std::sync::{Mutex, MutexGuard};
use upload_cursor::UploadsCursor;

/// An in-memory metadata store. Every operation takes one lock, so each is atomic.
#[derive(Debug, Default)]
pub struct MemoryMeta {
    state: Mutex<State>,
}

impl MemoryMeta {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Locks the state; a poisoned lock (a panic while holding it) makes the store unavailable.
    fn lock(&self) -> Result<MutexGuard<'_, State>, MetaError> {
        self.state
            .lock()
            .map_err(|_| MetaError::Unavailable("memory store lock poisoned"))
    }

    /// One version (the latest when `version_id` is `None`), copied out by `copy`.
    fn find(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        copy: fn(&ObjectRecord) -> ObjectRecord,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        let state = self.lock()?;
        let Some(versions) = state.bucket(bucket)?.versions.get(key.as_bytes()) else {
            return Ok(None);
        };
        let found = match version_id {
            None => versions.last(),
            Some(id) => versions.iter().find(|r| r.version_id == id),
        };
        Ok(found.map(copy))
    }
}

#[async_trait]
impl MetaStore for MemoryMeta {
    async fn create_bucket(&self, bucket: BucketRecord) -> Result<(), MetaError> {
        self.lock()?.create_bucket(bucket)
    }

    async fn create_bucket_with_configs(
        &self,
        bucket: BucketRecord,
        configs: Vec<(String, String)>,
    ) -> Result<(), MetaError> {
        let mut state = self.lock()?;
        let name = bucket.name.clone();
        state.create_bucket(bucket)?;
        state.bucket_mut(&name)?.configs.extend(configs);
        Ok(())
    }

    async fn get_bucket(&self, name: &str) -> Result<Option<BucketRecord>, MetaError> {
        Ok(self.lock()?.buckets.get(name).map(|b| b.record.clone()))
    }

    async fn update_bucket(&self, bucket: BucketRecord) -> Result<(), MetaError> {
        let mut state = self.lock()?;
        let slot = state.bucket_mut(&bucket.name)?;
        slot.record = bucket;
        Ok(())
    }

    async fn swap_bucket(
        &self,
        expected: &BucketRecord,
        bucket: BucketRecord,
    ) -> Result<BucketSwap, MetaError> {
        if bucket.name != expected.name {
            return Err(MetaError::NotSupported("renaming a bucket"));
        }
        let mut state = self.lock()?;
        let slot = state.bucket_mut(&expected.name)?;
        if slot.record != *expected {
            return Ok(BucketSwap::Changed(Box::new(slot.record.clone())));
        }
        slot.record = bucket;
        Ok(BucketSwap::Swapped)
    }

    async fn delete_bucket(&self, name: &str) -> Result<(), MetaError> {
        self.lock()?.delete_bucket(name)
    }

    async fn list_buckets(
        &self,
        owner: &str,
        prefix: &str,
        marker: &str,
        max: usize,
    ) -> Result<(Vec<BucketRecord>, bool), MetaError> {
        Ok(self.lock()?.list_buckets(owner, prefix, marker, max))
    }

    async fn get_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
    ) -> Result<Option<String>, MetaError> {
        Ok(self.lock()?.bucket(bucket)?.configs.get(kind).cloned())
    }

    async fn put_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
        doc: Option<String>,
    ) -> Result<(), MetaError> {
        let mut state = self.lock()?;
        let configs = &mut state.bucket_mut(bucket)?.configs;
        match doc {
            Some(doc) => configs.insert(kind.to_owned(), doc),
            None => configs.remove(kind),
        };
        Ok(())
    }

    async fn swap_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
        expected: Option<&str>,
        doc: Option<String>,
    ) -> Result<ConfigSwap, MetaError> {
        let mut state = self.lock()?;
        let configs = &mut state.bucket_mut(bucket)?.configs;
        let current = configs.get(kind);
        if current.map(String::as_str) != expected {
            return Ok(ConfigSwap::Changed(current.cloned()));
        }
        match doc {
            Some(doc) => configs.insert(kind.to_owned(), doc),
            None => configs.remove(kind),
        };
        Ok(ConfigSwap::Swapped)
    }

    async fn get_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        self.find(bucket, key, version_id, ObjectRecord::clone)
    }

    async fn get_object_meta(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        self.find(bucket, key, version_id, ObjectRecord::without_inline)
    }

    async fn put_object(
        &self,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<PutOutcome, MetaError> {
        apply_put(&mut *self.lock()?, record, &condition)
    }

    async fn update_object(
        &self,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<(), MetaError> {
        apply_update(&mut *self.lock()?, record, &condition)
    }

    async fn delete_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        marker_version_id: &str,
        now_ms: i64,
    ) -> Result<DeleteOutcome, MetaError> {
        let req = DeleteRequest {
            bucket,
            key,
            version_id,
            marker_version_id,
            now_ms,
        };
        apply_delete(&mut *self.lock()?, req)
    }

    async fn list_objects(&self, query: &ListQuery) -> Result<ListPage, MetaError> {
        let state = self.lock()?;
        let cursor = CurrentCursor::new(state.bucket(&query.bucket)?, &query.prefix);
        listing::list_objects(&mut listing::Entries(cursor), query)
    }

    async fn list_versions(&self, query: &ListVersionsQuery) -> Result<VersionsPage, MetaError> {
        let state = self.lock()?;
        let mut cursor = VersionsCursor::new(state.bucket(&query.bucket)?, &query.prefix);
        listing::list_versions(&mut cursor, query)
    }

    async fn blobs_referenced(&self, blob_ids: &[String]) -> Result<Vec<bool>, MetaError> {
        let state = self.lock()?;
        Ok(blob_ids
            .iter()
            .map(|id| state.blob_refs.contains_key(id))
            .collect())
    }

    async fn iam_get(&self, key: &str) -> Result<Option<IamItem>, MetaError> {
        Ok(self.lock()?.iam.get(key))
    }

    async fn iam_scan(
        &self,
        prefix: &str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<(String, IamItem)>, MetaError> {
        Ok(self.lock()?.iam.scan(prefix, after, limit))
    }

    async fn iam_commit(
        &self,
        checks: Vec<IamCheck>,
        writes: Vec<IamWrite>,
    ) -> Result<(), MetaError> {
        self.lock()?.iam.commit(&checks, writes)
    }

    async fn create_upload(&self, upload: UploadRecord) -> Result<(), MetaError> {
        apply_create_upload(&mut *self.lock()?, upload)
    }

    async fn get_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Option<UploadRecord>, MetaError> {
        let at = UploadRef::new(bucket, key, upload_id);
        Ok(self.lock()?.find_upload(at)?.map(|u| u.record.clone()))
    }

    async fn put_part(
        &self,
        bucket: &str,
        key: &str,
        part: PartRecord,
    ) -> Result<Option<PartRecord>, MetaError> {
        apply_put_part(&mut *self.lock()?, bucket, key, part)
    }

    async fn list_parts(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number_marker: u32,
        max_parts: usize,
    ) -> Result<(Vec<PartRecord>, bool), MetaError> {
        let at = UploadRef::new(bucket, key, upload_id);
        self.lock()?.list_parts(at, part_number_marker, max_parts)
    }

    async fn list_uploads(&self, query: &ListUploadsQuery) -> Result<UploadsPage, MetaError> {
        let state = self.lock()?;
        let mut cursor = UploadsCursor::new(state.bucket(&query.bucket)?, &query.prefix);
        listing::list_uploads(&mut cursor, query)
    }

    async fn complete_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<CompleteOutcome, MetaError> {
        let at = UploadRef::new(bucket, key, upload_id);
        apply_complete(&mut *self.lock()?, at, record, &condition)
    }

    async fn abort_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Vec<PartRecord>, MetaError> {
        let at = UploadRef::new(bucket, key, upload_id);
        apply_abort(&mut *self.lock()?, at)
    }

    async fn bucket_stats(&self, bucket: &str) -> Result<BucketStats, MetaError> {
        Ok(self.lock()?.bucket(bucket)?.stats)
    }
}

#[cfg(test)]
mod tests;
