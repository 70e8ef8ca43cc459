//! Write semantics shared by every backend: versioning rules for put and delete, and preconditions,
//! written once over [`VersionTxn`], the handful of primitive operations a backend performs inside
//! one transaction.
//!
//! - `Enabled`: a put adds `record.version_id` as the newest version (replacing a version with the
//!   same id, if any); a delete without version id adds a delete marker with the given id.
//! - `Suspended` (and `Disabled`): a put replaces the `null` version wherever it is and becomes the
//!   newest version; a delete without version id removes the `null` version and, when `Suspended`,
//!   adds a `null` delete marker.
//! - A delete with a version id removes exactly that version; a version that does not exist is not
//!   an error (the outcome lists nothing removed), matching OSS's 204 for such deletes.

use crate::{
    DataRef, DeleteOutcome, MetaError, NULL_VERSION, ObjectRecord, Precondition, PutOutcome,
    StatsDelta,
};
use ossd_types::{ObjectAcl, ObjectType, StorageClass, VersioningState};

/// The primitive operations of one write transaction, implemented by each backend.
///
/// `push`, `remove` and `replace` keep the backend's index of current versions and its blob
/// reference counts up to date; the bucket's figures ([`crate::BucketStats`]) change only through
/// `add_stats`, which every write rule calls with what it changed.
pub trait VersionTxn {
    /// The bucket's versioning state; [`MetaError::NoSuchBucket`] if it does not exist.
    fn versioning(&mut self, bucket: &str) -> Result<VersioningState, MetaError>;
    /// The newest version of `key` (possibly a delete marker).
    fn latest(&mut self, bucket: &str, key: &str) -> Result<Option<ObjectRecord>, MetaError>;
    /// The version of `key` with id `version_id`.
    fn version(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<Option<ObjectRecord>, MetaError>;
    /// Adds `record` as the newest version of its key; its version id is not in use for the key.
    fn push(&mut self, record: ObjectRecord) -> Result<(), MetaError>;
    /// Removes one version and returns it, or `None` if it does not exist.
    fn remove(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<Option<ObjectRecord>, MetaError>;
    /// Replaces an existing version (same bucket, key and version id) in place.
    fn replace(&mut self, record: ObjectRecord) -> Result<(), MetaError>;
    /// Applies `delta` to the figures of `bucket` (which exists) with
    /// [`crate::BucketStats::apply`]'s rules.
    fn add_stats(&mut self, bucket: &str, delta: &StatsDelta) -> Result<(), MetaError>;
}

/// Applies `delta` to `bucket`'s figures unless it changes none.
pub(crate) fn record_stats(
    txn: &mut dyn VersionTxn,
    bucket: &str,
    delta: &StatsDelta,
) -> Result<(), MetaError> {
    if delta.is_empty() {
        return Ok(());
    }
    txn.add_stats(bucket, delta)
}

/// Checks `condition` against `latest`; a delete marker counts as no object.
pub fn check_precondition(
    condition: &Precondition,
    latest: Option<&ObjectRecord>,
) -> Result<(), MetaError> {
    let current = latest.filter(|r| !r.delete_marker);
    let holds = match condition {
        Precondition::None => true,
        Precondition::NotExists | Precondition::Revision(None) => current.is_none(),
        Precondition::Revision(Some(rev)) => current.is_some_and(|c| c.revision == *rev),
        Precondition::ETag(cond) => cond.holds(current),
    };
    if holds {
        Ok(())
    } else {
        Err(MetaError::PreconditionFailed(
            current.cloned().map(Box::new),
        ))
    }
}

/// Applies [`crate::MetaStore::put_object`]. A version with the record's id (after it became
/// `null` outside `Enabled`) is replaced: that is how the `null` version is overwritten, and how an
/// append rewrites the current version of an `Enabled` bucket under its own id.
pub fn apply_put(
    txn: &mut dyn VersionTxn,
    mut record: ObjectRecord,
    condition: &Precondition,
) -> Result<PutOutcome, MetaError> {
    let state = txn.versioning(&record.bucket)?;
    let latest = txn.latest(&record.bucket, &record.key)?;
    check_precondition(condition, latest.as_ref())?;
    if state != VersioningState::Enabled {
        record.version_id = NULL_VERSION.to_owned();
    }
    let replaced = txn.remove(&record.bucket, &record.key, &record.version_id)?;
    let version_id = record.version_id.clone();
    let mut delta = StatsDelta::at(record.last_modified_ms);
    if let Some(old) = &replaced {
        delta.version(old, false);
    }
    delta.version(&record, true);
    let bucket = record.bucket.clone();
    txn.push(record)?;
    record_stats(txn, &bucket, &delta)?;
    Ok(PutOutcome {
        version_id,
        replaced: replaced.into_iter().collect(),
    })
}

/// Applies [`crate::MetaStore::update_object`]: the version must exist
/// ([`MetaError::NoSuchVersion`]) and `condition` is checked against it.
pub fn apply_update(
    txn: &mut dyn VersionTxn,
    record: ObjectRecord,
    condition: &Precondition,
) -> Result<(), MetaError> {
    txn.versioning(&record.bucket)?;
    let existing = txn.version(&record.bucket, &record.key, &record.version_id)?;
    let existing = existing.ok_or(MetaError::NoSuchVersion)?;
    check_precondition(condition, Some(&existing))?;
    let mut delta = StatsDelta::at(record.last_modified_ms);
    delta.version(&existing, false).version(&record, true);
    let bucket = record.bucket.clone();
    txn.replace(record)?;
    record_stats(txn, &bucket, &delta)
}

/// Where and when a delete happens; the arguments of [`crate::MetaStore::delete_object`].
#[derive(Debug, Clone, Copy)]
pub struct DeleteRequest<'a> {
    /// Bucket.
    pub bucket: &'a str,
    /// Key.
    pub key: &'a str,
    /// The version to remove, or `None` for a plain delete.
    pub version_id: Option<&'a str>,
    /// The id of a delete marker created in an `Enabled` bucket (also its revision).
    pub marker_version_id: &'a str,
    /// Now, Unix milliseconds (the marker's last-modified time).
    pub now_ms: i64,
}

/// Applies [`crate::MetaStore::delete_object`].
pub fn apply_delete(
    txn: &mut dyn VersionTxn,
    req: DeleteRequest<'_>,
) -> Result<DeleteOutcome, MetaError> {
    let state = txn.versioning(req.bucket)?;
    let outcome = delete_versions(txn, &req, state)?;
    let mut delta = StatsDelta::at(req.now_ms);
    for removed in &outcome.removed {
        delta.version(removed, false);
    }
    if outcome.marker_created.is_some() {
        delta.delete_markers += 1;
    }
    record_stats(txn, req.bucket, &delta)?;
    Ok(outcome)
}

/// The writes of [`apply_delete`] in versioning state `state`, without the figures.
fn delete_versions(
    txn: &mut dyn VersionTxn,
    req: &DeleteRequest<'_>,
    state: VersioningState,
) -> Result<DeleteOutcome, MetaError> {
    let mut outcome = DeleteOutcome::default();
    if let Some(version_id) = req.version_id {
        outcome
            .removed
            .extend(txn.remove(req.bucket, req.key, version_id)?);
        return Ok(outcome);
    }
    let marker_id = match state {
        VersioningState::Enabled => req.marker_version_id,
        VersioningState::Suspended | VersioningState::Disabled => {
            outcome
                .removed
                .extend(txn.remove(req.bucket, req.key, NULL_VERSION)?);
            if state == VersioningState::Disabled {
                return Ok(outcome);
            }
            NULL_VERSION
        }
    };
    ensure_unused(txn, req.bucket, req.key, marker_id)?;
    txn.push(delete_marker(req, marker_id))?;
    outcome.marker_created = Some(marker_id.to_owned());
    Ok(outcome)
}

/// Fails if `key` already has a version `version_id` (version ids are unique within a key).
fn ensure_unused(
    txn: &mut dyn VersionTxn,
    bucket: &str,
    key: &str,
    version_id: &str,
) -> Result<(), MetaError> {
    match txn.version(bucket, key, version_id)? {
        Some(_) => Err(MetaError::VersionIdInUse {
            key: key.to_owned(),
            version_id: version_id.to_owned(),
        }),
        None => Ok(()),
    }
}

/// A delete marker record for `req` with id `version_id`.
pub fn delete_marker(req: &DeleteRequest<'_>, version_id: &str) -> ObjectRecord {
    ObjectRecord {
        bucket: req.bucket.to_owned(),
        key: req.key.to_owned(),
        version_id: version_id.to_owned(),
        revision: req.marker_version_id.to_owned(),
        delete_marker: true,
        size: 0,
        etag: String::new(),
        crc64: 0,
        last_modified_ms: req.now_ms,
        object_type: ObjectType::Normal,
        storage_class: StorageClass::Standard,
        acl: ObjectAcl::Default,
        headers: Vec::new(),
        user_meta: Vec::new(),
        tags: Vec::new(),
        symlink_target: None,
        data: DataRef::Inline(bytes::Bytes::new()),
        restore: None,
        checksum: None,
        parts: Vec::new(),
    }
}
