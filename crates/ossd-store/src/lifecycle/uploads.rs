//! `AbortMultipartUpload` rules: uploads initiated long enough ago are aborted and their parts'
//! data reclaimed. Uploads have no tags and no size, so only prefixes (and `<Not>` prefixes)
//! select them.

use ossd_meta::{ListUploadsQuery, MetaError, UploadRecord};
use ossd_types::lifecycle::{LifecycleRule, LifecycleTime, Subject};

use super::{LifecycleReport, PAGE, common_prefix};
use crate::{Store, StoreError};

impl Store {
    /// Aborts every upload of `bucket` that one of `rules` (all with an abort limit) selects.
    pub(super) async fn abort_old_uploads(
        &self,
        bucket: &str,
        rules: &[&LifecycleRule],
        time: LifecycleTime,
        report: &mut LifecycleReport,
    ) -> Result<(), StoreError> {
        let mut query = ListUploadsQuery {
            bucket: bucket.to_owned(),
            prefix: common_prefix(rules.iter().map(|r| r.prefix.as_str())),
            max_uploads: PAGE,
            ..ListUploadsQuery::default()
        };
        loop {
            // The listing seeks past its markers, so aborting the last upload listed is safe.
            let page = self.meta.list_uploads(&query).await?;
            for upload in page.uploads.iter().filter(|u| due(u, rules, time)) {
                self.abort_due(upload, report).await?;
            }
            match (page.truncated, page.next_key_marker) {
                (true, Some(key)) => {
                    query.key_marker = key;
                    query.upload_id_marker = page.next_upload_id_marker.unwrap_or_default();
                }
                _ => return Ok(()),
            }
        }
    }

    /// Aborts one upload; one completed or aborted meanwhile is skipped.
    async fn abort_due(
        &self,
        upload: &UploadRecord,
        report: &mut LifecycleReport,
    ) -> Result<(), StoreError> {
        let parts = match self
            .meta
            .abort_upload(&upload.bucket, &upload.key, &upload.upload_id)
            .await
        {
            Ok(parts) => parts,
            Err(MetaError::NoSuchUpload) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        report.uploads_aborted += 1;
        report.bytes_reclaimed += parts.iter().map(|p| p.size).sum::<u64>();
        self.reclaim_unreferenced(parts.into_iter().map(|p| p.blob).collect())
            .await;
        Ok(())
    }
}

/// Whether a rule selects `upload` and its limit has passed since it was initiated.
fn due(upload: &UploadRecord, rules: &[&LifecycleRule], time: LifecycleTime) -> bool {
    let subject = Subject {
        key: &upload.key,
        tags: &[],
        size: None,
    };
    rules.iter().any(|r| {
        r.selects(subject)
            && r.abort_uploads
                .is_some_and(|limit| time.reached(limit, upload.initiated_ms))
    })
}
