//! Multipart uploads (docs/protocol/multipart.md): initiate, upload a part (each part is its own
//! blob, never inline), abort, and the part listing. Completion is in `complete.rs`, UploadPartCopy
//! in `part_copy.rs`.

use ossd_blob::{Written, WrittenBlob};
use ossd_meta::{MetaError, PartRecord, Precondition, UploadChecksum, UploadRecord};
use ossd_types::{ETag, ObjectType};

use crate::write::{BodyStream, WriteSpec, empty_record};
use crate::{Store, StoreError};

/// The largest part (5 GiB, as OSS).
pub const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;

/// The smallest part other than the last (100 KiB, as OSS); checked at completion.
pub const MIN_PART_SIZE: u64 = 100 * 1024;

/// The highest part number (as OSS).
pub const MAX_PART_NUMBER: u32 = 10_000;

/// Where a part goes and what the client declared about it.
#[derive(Debug, Clone)]
pub struct PartUpload {
    /// Bucket.
    pub bucket: String,
    /// Key.
    pub key: String,
    /// The upload id.
    pub upload_id: String,
    /// 1 to 10000.
    pub part_number: u32,
    /// Expected MD5 of the body (Content-MD5).
    pub content_md5: Option<[u8; 16]>,
    /// Declared Content-Length, when known.
    pub content_length: Option<u64>,
    /// The body's S3 checksum, set by the body's reader once it ended (stored with the part).
    pub checksum: crate::BodyChecksum,
}

/// One page of an upload's parts.
#[derive(Debug, Clone)]
pub struct PartsPage {
    /// The upload (its template carries the storage class).
    pub upload: UploadRecord,
    /// Parts ascending by number.
    pub parts: Vec<PartRecord>,
    /// Whether more parts follow.
    pub truncated: bool,
}

/// A fresh upload id: 32 uppercase hex characters
/// (docs/protocol/multipart.md#initiatemultipartupload), time-ordered so that the uploads of one
/// key list in initiation order.
#[allow(clippy::disallowed_methods)] // a unique id ordered by real time, never read back as a time
fn new_upload_id() -> String {
    uuid::Uuid::now_v7().simple().to_string().to_uppercase()
}

/// Checks a part number is within 1..=10000.
pub(crate) fn check_part_number(n: u32) -> Result<(), StoreError> {
    if (1..=MAX_PART_NUMBER).contains(&n) {
        Ok(())
    } else {
        Err(StoreError::InvalidArgument(
            "Part number must be an integer between 1 and 10000, inclusive.",
        ))
    }
}

/// Maps the metadata errors of upload calls.
pub(crate) fn upload_error(e: MetaError) -> StoreError {
    match e {
        MetaError::NoSuchUpload => StoreError::NoSuchUpload,
        MetaError::InvalidPart => StoreError::InvalidPart,
        MetaError::NoSuchBucket => StoreError::NoSuchBucket,
        MetaError::PreconditionFailed(_) => StoreError::FileAlreadyExists,
        other => StoreError::Meta(other),
    }
}

impl Store {
    /// Starts an upload whose object will carry `spec`'s attributes. With
    /// `forbid_overwrite` an existing object fails the call at once (the header is checked again
    /// at completion when sent there).
    pub async fn initiate_multipart(
        &self,
        spec: WriteSpec,
        now_ms: i64,
    ) -> Result<UploadRecord, StoreError> {
        self.initiate_multipart_with(spec, None, now_ms).await
    }

    /// [`Store::initiate_multipart`] with the S3 checksum the parts and the object will carry
    /// (docs/protocol/s3-chunked.md#multipart-checksums).
    pub async fn initiate_multipart_with(
        &self,
        spec: WriteSpec,
        checksum: Option<UploadChecksum>,
        now_ms: i64,
    ) -> Result<UploadRecord, StoreError> {
        if spec.forbid_overwrite {
            let latest = self.meta.get_object(&spec.bucket, &spec.key, None).await?;
            ossd_meta::versioning::check_precondition(&Precondition::NotExists, latest.as_ref())
                .map_err(upload_error)?;
        }
        let upload = UploadRecord {
            bucket: spec.bucket.clone(),
            key: spec.key.clone(),
            upload_id: new_upload_id(),
            initiated_ms: now_ms,
            template: empty_record(&spec, ObjectType::Multipart, now_ms),
            checksum,
        };
        self.meta
            .create_upload(upload.clone())
            .await
            .map_err(upload_error)?;
        Ok(upload)
    }

    /// The upload `upload_id` of `bucket`/`key`, or [`StoreError::NoSuchUpload`].
    pub async fn upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<UploadRecord, StoreError> {
        self.meta
            .get_upload(bucket, key, upload_id)
            .await
            .map_err(upload_error)?
            .ok_or(StoreError::NoSuchUpload)
    }

    /// Streams `body` into a new blob and records it as part `to.part_number` (replacing, and
    /// reclaiming, an earlier part with that number).
    pub async fn upload_part(
        &self,
        to: PartUpload,
        body: BodyStream,
        now_ms: i64,
    ) -> Result<PartRecord, StoreError> {
        check_part_number(to.part_number)?;
        if to.content_length.is_some_and(|l| l > MAX_PART_SIZE) {
            return Err(StoreError::EntityTooLarge);
        }
        let upload = self.upload(&to.bucket, &to.key, &to.upload_id).await?;
        let written = self
            .write_body(body, 0, to.content_length, MAX_PART_SIZE)
            .await?;
        if to.content_md5.is_some_and(|m| m != written.md5) {
            self.discard(&written).await;
            return Err(StoreError::InvalidDigest);
        }
        let checksum = to.checksum.stored();
        if let Err(e) = crate::checksum::check_part(
            upload.checksum.as_ref(),
            checksum.as_ref(),
            to.checksum.sent(),
        ) {
            self.discard(&written).await;
            return Err(e);
        }
        self.record_part(&to, written, now_ms).await
    }

    /// Commits a written part; on failure its data is discarded.
    pub(crate) async fn record_part(
        &self,
        to: &PartUpload,
        written: WrittenBlob,
        now_ms: i64,
    ) -> Result<PartRecord, StoreError> {
        let blob = match &written.data {
            Written::Blob(id) => id.clone(),
            // Only an empty part comes back inline (threshold 0): it has no data at all.
            Written::Inline(_) => String::new(),
        };
        let part = PartRecord {
            upload_id: to.upload_id.clone(),
            part_number: to.part_number,
            etag: ETag::from_md5(&written.md5).inner().to_owned(),
            md5: written.md5,
            size: written.size,
            crc64: written.crc64,
            last_modified_ms: now_ms,
            blob,
            checksum: to.checksum.stored(),
        };
        match self.meta.put_part(&to.bucket, &to.key, part.clone()).await {
            Ok(replaced) => {
                let old = replaced.map(|p| p.blob).into_iter().collect();
                self.reclaim_unreferenced(old).await;
                Ok(part)
            }
            Err(e) => {
                self.discard(&written).await;
                Err(upload_error(e))
            }
        }
    }

    /// Aborts an upload and deletes its parts' data.
    pub async fn abort_multipart(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<(), StoreError> {
        let parts = self
            .meta
            .abort_upload(bucket, key, upload_id)
            .await
            .map_err(upload_error)?;
        self.reclaim_unreferenced(parts.into_iter().map(|p| p.blob).collect())
            .await;
        Ok(())
    }

    /// Aborts every upload in progress in `bucket` (as S3's DeleteBucket does); returns how
    /// many. An upload initiated meanwhile may survive, and then DeleteBucket finds it.
    pub async fn abort_all_uploads(&self, bucket: &str) -> Result<usize, StoreError> {
        let mut aborted = 0;
        loop {
            let page = self
                .list_uploads(&ossd_meta::ListUploadsQuery {
                    bucket: bucket.to_owned(),
                    prefix: String::new(),
                    delimiter: None,
                    key_marker: String::new(),
                    upload_id_marker: String::new(),
                    max_uploads: 1000,
                })
                .await?;
            if page.uploads.is_empty() {
                return Ok(aborted);
            }
            for upload in page.uploads {
                match self
                    .abort_multipart(bucket, &upload.key, &upload.upload_id)
                    .await
                {
                    Ok(()) => aborted += 1,
                    // Completed or aborted by someone else meanwhile.
                    Err(StoreError::NoSuchUpload) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }

    /// Up to `max` parts numbered above `marker`.
    pub async fn list_parts(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        marker: u32,
        max: usize,
    ) -> Result<PartsPage, StoreError> {
        let upload = self.upload(bucket, key, upload_id).await?;
        let (parts, truncated) = self
            .meta
            .list_parts(bucket, key, upload_id, marker, max)
            .await
            .map_err(upload_error)?;
        Ok(PartsPage {
            upload,
            parts,
            truncated,
        })
    }
}
