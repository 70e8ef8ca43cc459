//! Carrying out the walk's [`Action`]s. Each one first re-reads its version: if a client changed
//! the key since it was listed (a new version, a removed marker, new tags), the action is
//! skipped.

use ossd_meta::{DeleteOutcome, ListVersionsQuery, MetaError, ObjectRecord};
use ossd_types::StorageClass;
use ossd_types::lifecycle::LifecycleTime;

use super::{Action, LifecycleReport, Target};
use crate::{Store, StoreError};

impl Store {
    /// Runs `actions` in order, counting what they removed into `report`.
    pub(super) async fn run_actions(
        &self,
        bucket: &str,
        actions: &[Action],
        time: LifecycleTime,
        report: &mut LifecycleReport,
    ) -> Result<(), StoreError> {
        for action in actions {
            match action {
                Action::Expire(t) => {
                    if self.is_latest(bucket, t, false).await? {
                        let out = self
                            .delete_object(bucket, &t.key, None, time.now_ms)
                            .await?;
                        report.expired += 1;
                        report.bytes_reclaimed += removed_bytes(&out);
                    }
                }
                Action::RemoveVersion(t) => {
                    // Only while it is still noncurrent: never remove what became current again.
                    let latest = self.latest(bucket, &t.key).await?;
                    if latest.is_some_and(|l| l.version_id != t.version_id) {
                        let out = self.remove_version(bucket, t, time).await?;
                        if !out.removed.is_empty() {
                            report.noncurrent_expired += 1;
                            report.bytes_reclaimed += removed_bytes(&out);
                        }
                    }
                }
                Action::RemoveMarker(t) => {
                    if self.is_latest(bucket, t, true).await? && self.alone(bucket, &t.key).await? {
                        let out = self.remove_version(bucket, t, time).await?;
                        report.markers_removed += u64::from(!out.removed.is_empty());
                    }
                }
                Action::Transition(t, class) => {
                    if self.transition(bucket, t, *class).await? {
                        report.transitioned += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// Moves the version `t` to `class` with a metadata-only update, if it is unchanged since it
    /// was listed. Its data stays where it is; like an object uploaded in an archive class, it
    /// must then be restored before it is read (`ObjectRecord::restore_status`), so any earlier
    /// restore is forgotten. Its last-modified time is kept.
    async fn transition(
        &self,
        bucket: &str,
        t: &Target,
        class: StorageClass,
    ) -> Result<bool, StoreError> {
        let Some(mut record) = self
            .meta
            .get_object(bucket, &t.key, Some(&t.version_id))
            .await?
            .filter(|r| r.revision == t.revision && !r.delete_marker)
        else {
            return Ok(false);
        };
        record.storage_class = class;
        record.restore = None;
        match self.update_record(record).await {
            Ok(()) => Ok(true),
            // Changed or removed by a client since it was read: the client wins.
            Err(StoreError::NoSuchKey) | Err(StoreError::Meta(MetaError::NoSuchVersion)) => {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// The latest version of `key` (possibly a delete marker).
    async fn latest(&self, bucket: &str, key: &str) -> Result<Option<ObjectRecord>, StoreError> {
        Ok(self.meta.get_object(bucket, key, None).await?)
    }

    /// Whether `t` is still the latest version of its key, unchanged, and a marker or not.
    async fn is_latest(&self, bucket: &str, t: &Target, marker: bool) -> Result<bool, StoreError> {
        Ok(self.latest(bucket, &t.key).await?.is_some_and(|l| {
            l.version_id == t.version_id && l.revision == t.revision && l.delete_marker == marker
        }))
    }

    /// Whether `key` has exactly one version.
    async fn alone(&self, bucket: &str, key: &str) -> Result<bool, StoreError> {
        let query = ListVersionsQuery {
            bucket: bucket.to_owned(),
            prefix: key.to_owned(),
            max_keys: 2,
            ..ListVersionsQuery::default()
        };
        let page = self.meta.list_versions(&query).await?;
        Ok(page.versions.iter().filter(|v| v.record.key == key).count() == 1)
    }

    /// Deletes one version for good (its data is reclaimed).
    async fn remove_version(
        &self,
        bucket: &str,
        t: &Target,
        time: LifecycleTime,
    ) -> Result<DeleteOutcome, StoreError> {
        self.delete_object(bucket, &t.key, Some(&t.version_id), time.now_ms)
            .await
    }
}

/// The bytes of the object versions a delete removed (markers have none).
fn removed_bytes(out: &DeleteOutcome) -> u64 {
    out.removed
        .iter()
        .filter(|r| !r.delete_marker)
        .map(|r| r.size)
        .sum()
}
