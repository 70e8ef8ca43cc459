//! DeleteObject: the metadata decides (versioning state, markers); the data of removed versions
//! is reclaimed after the commit.

use ossd_meta::{DeleteOutcome, MetaError};

use crate::write::new_version_id;
use crate::{Store, StoreError};

impl Store {
    /// Deletes `key` (or one version of it) as OSS does; deleting a missing key succeeds.
    pub async fn delete_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        now_ms: i64,
    ) -> Result<DeleteOutcome, StoreError> {
        let marker = new_version_id();
        let outcome = self
            .meta
            .delete_object(bucket, key, version_id, &marker, now_ms)
            .await
            .map_err(|e| match e {
                MetaError::NoSuchBucket => StoreError::NoSuchBucket,
                MetaError::NoSuchVersion => StoreError::NoSuchVersion,
                other => StoreError::Meta(other),
            })?;
        self.reclaim(&outcome.removed, None).await;
        Ok(outcome)
    }
}
