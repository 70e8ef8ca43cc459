//! UploadPartCopy (docs/protocol/multipart.md#uploadpartcopy): a byte range of an existing object
//! version streams into a new part blob (blobs are owned by one record, so the bytes are copied,
//! not shared).

use ossd_meta::{ObjectRecord, PartRecord};
use ossd_sig::checksum::ChecksumAlgorithm;

use crate::multipart::{MAX_PART_SIZE, PartUpload, check_part_number};
use crate::write::BodyStream;
use crate::{Store, StoreError};

/// The bytes `start..end` of a source of `size` bytes that `range` (inclusive `first..=last`,
/// from `x-oss-copy-source-range`) selects; the whole source when absent.
pub(crate) fn copy_range(range: Option<(u64, u64)>, size: u64) -> Result<(u64, u64), StoreError> {
    match range {
        None => Ok((0, size)),
        Some((first, last)) if first <= last && last < size => Ok((first, last + 1)),
        Some(_) => Err(StoreError::InvalidArgument(
            "The specified copy source range is invalid.",
        )),
    }
}

impl Store {
    /// Copies bytes `range` (inclusive) of `source` (the data record; resolve symlinks first)
    /// into part `to.part_number` of an upload.
    pub async fn upload_part_copy(
        &self,
        source: &ObjectRecord,
        range: Option<(u64, u64)>,
        to: PartUpload,
        now_ms: i64,
    ) -> Result<PartRecord, StoreError> {
        check_part_number(to.part_number)?;
        let (start, end) = copy_range(range, source.size)?;
        if end - start > MAX_PART_SIZE {
            return Err(StoreError::EntityTooLarge);
        }
        let upload = self.upload(&to.bucket, &to.key, &to.upload_id).await?;
        let data = self.read(source, start, end).await?;
        // An upload with a chosen checksum needs every part's, copied ones too.
        let chosen = upload.checksum.as_ref();
        let body: BodyStream = match chosen.and_then(|c| ChecksumAlgorithm::from_name(&c.algorithm))
        {
            Some(algorithm) => crate::checksum::hashing(data, algorithm, to.checksum.clone()),
            None => data,
        };
        let written = self
            .write_body(body, 0, Some(end - start), MAX_PART_SIZE)
            .await?;
        self.record_part(&to, written, now_ms).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert!(matches!(copy_range(None, 10), Ok((0, 10))));
        assert!(matches!(copy_range(Some((2, 4)), 10), Ok((2, 5))));
        assert!(matches!(copy_range(Some((0, 9)), 10), Ok((0, 10))));
        assert!(copy_range(Some((0, 10)), 10).is_err());
        assert!(copy_range(Some((5, 4)), 10).is_err());
    }
}
