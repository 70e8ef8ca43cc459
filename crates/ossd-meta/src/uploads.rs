//! Multipart-upload write rules shared by every backend, written once over [`UploadTxn`]: the
//! primitive upload and part operations of one transaction, on top of [`VersionTxn`] (completing
//! an upload writes an object version with the same rules as a put).
//!
//! - Every operation checks the bucket first ([`MetaError::NoSuchBucket`]), then the upload,
//!   addressed by bucket, key and upload id together ([`MetaError::NoSuchUpload`]).
//! - A part row exists only while its upload does: putting a part checks the upload in the same
//!   transaction, and completing or aborting removes the upload with all its parts.
//! - Every blob that stops being referenced is returned to the caller, who deletes it: the part a
//!   put replaced, the parts a completed object does not use, every part of an aborted upload,
//!   and the records a completion replaced. A blob that moves from a part to the completed object
//!   is referenced throughout (one transaction).

use crate::versioning::{VersionTxn, apply_put, record_stats};
use crate::{
    CompleteOutcome, MetaError, ObjectRecord, PartRecord, Precondition, StatsDelta, UploadRecord,
};
use std::collections::HashSet;

/// The primitive upload operations of one write transaction, implemented by each backend. The
/// upload addressed by an [`UploadRef`] exists, except for [`UploadTxn::upload`], which looks.
pub trait UploadTxn: VersionTxn {
    /// Adds `upload` (its bucket exists); `false`, and nothing written, if its upload id is
    /// already in use.
    fn insert_upload(&mut self, upload: UploadRecord) -> Result<bool, MetaError>;
    /// The upload with this bucket, key and id, if any.
    fn upload(&mut self, at: UploadRef<'_>) -> Result<Option<UploadRecord>, MetaError>;
    /// Every part of the upload, by part number ascending.
    fn parts(&mut self, at: UploadRef<'_>) -> Result<Vec<PartRecord>, MetaError>;
    /// Stores `part` in the upload, replacing and returning the part with the same number.
    fn upsert_part(
        &mut self,
        at: UploadRef<'_>,
        part: PartRecord,
    ) -> Result<Option<PartRecord>, MetaError>;
    /// Removes the upload and every part of it.
    fn remove_upload(&mut self, at: UploadRef<'_>) -> Result<(), MetaError>;
}

/// Which upload an operation addresses.
#[derive(Debug, Clone, Copy)]
pub struct UploadRef<'a> {
    /// Bucket.
    pub bucket: &'a str,
    /// Key.
    pub key: &'a str,
    /// Upload id.
    pub upload_id: &'a str,
}

impl<'a> UploadRef<'a> {
    /// The address of upload `upload_id` of `bucket`/`key`.
    pub fn new(bucket: &'a str, key: &'a str, upload_id: &'a str) -> Self {
        Self {
            bucket,
            key,
            upload_id,
        }
    }

    /// The upload, after checking the bucket; [`MetaError::NoSuchUpload`] if it does not exist.
    fn require(&self, txn: &mut dyn UploadTxn) -> Result<UploadRecord, MetaError> {
        txn.versioning(self.bucket)?;
        txn.upload(*self)?.ok_or(MetaError::NoSuchUpload)
    }
}

/// Applies [`crate::MetaStore::create_upload`]: [`MetaError::InvalidUploadId`] for an empty id,
/// [`MetaError::UploadIdInUse`] for one already used (the caller generates unique ids).
pub fn apply_create_upload(txn: &mut dyn UploadTxn, upload: UploadRecord) -> Result<(), MetaError> {
    txn.versioning(&upload.bucket)?;
    if upload.upload_id.is_empty() {
        return Err(MetaError::InvalidUploadId);
    }
    let id = upload.upload_id.clone();
    let bucket = upload.bucket.clone();
    let mut delta = StatsDelta::at(upload.initiated_ms);
    delta.upload(true);
    if txn.insert_upload(upload)? {
        record_stats(txn, &bucket, &delta)
    } else {
        Err(MetaError::UploadIdInUse(id))
    }
}

/// Applies [`crate::MetaStore::put_part`]: returns the replaced part, whose blob is garbage (not
/// when it is `part`'s own blob, which stays referenced).
pub fn apply_put_part(
    txn: &mut dyn UploadTxn,
    bucket: &str,
    key: &str,
    part: PartRecord,
) -> Result<Option<PartRecord>, MetaError> {
    let upload_id = part.upload_id.clone();
    let upload = UploadRef::new(bucket, key, &upload_id);
    upload.require(txn)?;
    let blob = part.blob.clone();
    let mut delta = StatsDelta::at(part.last_modified_ms);
    delta.part(&part, true);
    let replaced = txn.upsert_part(upload, part)?;
    if let Some(old) = &replaced {
        delta.part(old, false);
    }
    record_stats(txn, bucket, &delta)?;
    Ok(replaced.filter(|old| old.blob != blob))
}

/// Applies [`crate::MetaStore::complete_upload`]. Every blob of `record` must be the blob of a
/// part of the upload now ([`MetaError::InvalidPart`] otherwise: a part was replaced since the
/// caller read it, and its old blob may be deleted already). On any failure nothing is written
/// and the upload stays.
pub fn apply_complete(
    txn: &mut dyn UploadTxn,
    upload: UploadRef<'_>,
    record: ObjectRecord,
    condition: &Precondition,
) -> Result<CompleteOutcome, MetaError> {
    upload.require(txn)?;
    if record.bucket != upload.bucket || record.key != upload.key {
        return Err(MetaError::UploadRecordMismatch {
            upload_id: upload.upload_id.to_owned(),
            upload: format!("{}/{}", upload.bucket, upload.key),
            record: format!("{}/{}", record.bucket, record.key),
        });
    }
    let parts = txn.parts(upload)?;
    let used: HashSet<String> = record.data.blob_ids().map(str::to_owned).collect();
    let available: HashSet<&str> = parts.iter().map(|p| p.blob.as_str()).collect();
    if !used.iter().all(|b| available.contains(b.as_str())) {
        return Err(MetaError::InvalidPart);
    }
    let put = apply_put(txn, record, condition)?;
    txn.remove_upload(upload)?;
    record_stats(txn, upload.bucket, &upload_removed(&parts))?;
    let unused_parts = parts
        .into_iter()
        .filter(|p| !used.contains(&p.blob))
        .collect();
    Ok(CompleteOutcome {
        version_id: put.version_id,
        replaced: put.replaced,
        unused_parts,
    })
}

/// Applies [`crate::MetaStore::abort_upload`]: removes the upload and returns all its parts.
pub fn apply_abort(
    txn: &mut dyn UploadTxn,
    upload: UploadRef<'_>,
) -> Result<Vec<PartRecord>, MetaError> {
    upload.require(txn)?;
    let parts = txn.parts(upload)?;
    txn.remove_upload(upload)?;
    record_stats(txn, upload.bucket, &upload_removed(&parts))?;
    Ok(parts)
}

/// The change of figures when an upload with `parts` goes (completed or aborted). The time is
/// left: an abort carries none, and a completion's object version brings its own.
fn upload_removed(parts: &[PartRecord]) -> StatsDelta {
    let mut delta = StatsDelta::default();
    delta.upload(false);
    for part in parts {
        delta.part(part, false);
    }
    delta
}
