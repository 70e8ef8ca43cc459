//! CopyObject: the source's bytes stream into a new data file (data files are write-once and
//! owned by one record, so reclamation never needs reference counts).

use ossd_meta::ObjectRecord;
use ossd_types::ObjectType;

use crate::write::{BodyStream, WriteSpec, record_from, write_precondition};
use crate::{Store, StoreError};

/// The largest source CopyObject accepts (1 GiB, as OSS; larger copies use UploadPartCopy).
pub const MAX_COPY_SIZE: u64 = 1024 * 1024 * 1024;

impl Store {
    /// Copies `source`'s bytes into a new version described by `spec`.
    pub async fn copy_object(
        &self,
        source: &ObjectRecord,
        spec: WriteSpec,
        now_ms: i64,
    ) -> Result<ObjectRecord, StoreError> {
        if source.size > MAX_COPY_SIZE {
            return Err(StoreError::EntityTooLarge);
        }
        let data = self.read(source, 0, source.size).await?;
        let body: BodyStream = data;
        let written = self
            .write_body(
                body,
                self.inline_threshold,
                Some(source.size),
                MAX_COPY_SIZE,
            )
            .await?;
        let cond = write_precondition(spec.forbid_overwrite, &spec.etag_condition);
        let mut record = record_from(spec, written, ObjectType::Normal, now_ms);
        // The bytes are the source's: so is a whole-data S3 checksum (a COMPOSITE one describes
        // the source's parts, which the copy does not have).
        if record.checksum.is_none() {
            record.checksum = source.checksum.clone().filter(|c| !c.composite);
        }
        self.commit(record, cond).await
    }
}
