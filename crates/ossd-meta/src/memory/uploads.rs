//! Multipart uploads in the in-memory [`State`]: each bucket keeps its uploads in listing order,
//! each upload its parts by number; part blobs count in the store's blob references. The
//! [`UploadTxn`] primitives and the upload reads.

use super::state::{State, count_blob};
use crate::uploads::{UploadRef, UploadTxn};
use crate::{MetaError, PartRecord, UploadRecord};
use std::collections::BTreeMap;

/// One upload in progress and its parts.
#[derive(Debug)]
pub(super) struct UploadState {
    /// The upload.
    pub record: UploadRecord,
    /// Its parts by part number.
    pub parts: BTreeMap<u32, PartRecord>,
}

/// The map key of an upload in its bucket.
fn slot(at: UploadRef<'_>) -> (Vec<u8>, String) {
    (at.key.as_bytes().to_vec(), at.upload_id.to_owned())
}

impl State {
    /// The upload `at`, or `None`; [`MetaError::NoSuchBucket`] if the bucket does not exist.
    pub(super) fn find_upload(&self, at: UploadRef<'_>) -> Result<Option<&UploadState>, MetaError> {
        Ok(self.bucket(at.bucket)?.uploads.get(&slot(at)))
    }

    /// The upload `at`, mutably, which must exist.
    fn upload_mut(&mut self, at: UploadRef<'_>) -> Result<&mut UploadState, MetaError> {
        let bucket = self.bucket_mut(at.bucket)?;
        bucket
            .uploads
            .get_mut(&slot(at))
            .ok_or(MetaError::NoSuchUpload)
    }

    /// Up to `max` parts of upload `at` numbered above `marker`, and whether more follow.
    pub(super) fn list_parts(
        &self,
        at: UploadRef<'_>,
        marker: u32,
        max: usize,
    ) -> Result<(Vec<PartRecord>, bool), MetaError> {
        let upload = self.find_upload(at)?.ok_or(MetaError::NoSuchUpload)?;
        if max == 0 {
            return Ok((Vec::new(), false));
        }
        let mut parts: Vec<PartRecord> = upload
            .parts
            .range(marker.saturating_add(1)..)
            .filter(|(n, _)| **n > marker)
            .take(max.saturating_add(1))
            .map(|(_, p)| p.clone())
            .collect();
        let more = parts.len() > max;
        parts.truncate(max);
        Ok((parts, more))
    }
}

impl UploadTxn for State {
    fn insert_upload(&mut self, upload: UploadRecord) -> Result<bool, MetaError> {
        let bucket = self
            .buckets
            .get_mut(&upload.bucket)
            .ok_or(MetaError::NoSuchBucket)?;
        if !self.upload_ids.insert(upload.upload_id.clone()) {
            return Ok(false);
        }
        let at = (upload.key.as_bytes().to_vec(), upload.upload_id.clone());
        let state = UploadState {
            record: upload,
            parts: BTreeMap::new(),
        };
        bucket.uploads.insert(at, state);
        Ok(true)
    }

    fn upload(&mut self, at: UploadRef<'_>) -> Result<Option<UploadRecord>, MetaError> {
        Ok(self.find_upload(at)?.map(|u| u.record.clone()))
    }

    fn parts(&mut self, at: UploadRef<'_>) -> Result<Vec<PartRecord>, MetaError> {
        let upload = self.find_upload(at)?.ok_or(MetaError::NoSuchUpload)?;
        Ok(upload.parts.values().cloned().collect())
    }

    fn upsert_part(
        &mut self,
        at: UploadRef<'_>,
        part: PartRecord,
    ) -> Result<Option<PartRecord>, MetaError> {
        let blob = part.blob.clone();
        let replaced = self.upload_mut(at)?.parts.insert(part.part_number, part);
        count_blob(&mut self.blob_refs, &blob, true);
        if let Some(old) = &replaced {
            count_blob(&mut self.blob_refs, &old.blob, false);
        }
        Ok(replaced)
    }

    fn remove_upload(&mut self, at: UploadRef<'_>) -> Result<(), MetaError> {
        let bucket = self.bucket_mut(at.bucket)?;
        let removed = bucket
            .uploads
            .remove(&slot(at))
            .ok_or(MetaError::NoSuchUpload)?;
        self.upload_ids.remove(at.upload_id);
        for part in removed.parts.values() {
            count_blob(&mut self.blob_refs, &part.blob, false);
        }
        Ok(())
    }
}
