//! CompleteMultipartUpload (docs/protocol/multipart.md#completemultipartupload): validate the part
//! list, then commit an object whose data is the chosen parts' blobs in order (by reference, no
//! bytes copied), with the multipart ETag of docs/protocol/objects.md#etag and the CRC-64 combined
//! from the parts' CRCs (no re-read).

use ossd_blob::crc64_combine;
use ossd_meta::{
    DataRef, EtagCondition, MetaError, ObjectPart, ObjectRecord, PartRecord, PartRef,
    StoredChecksum, UploadRecord,
};
use ossd_types::{ETag, ObjectAcl, ObjectType};

use crate::multipart::{MIN_PART_SIZE, upload_error};
use crate::write::{md5_of, new_revision, new_version_id, precondition_error, write_precondition};
use crate::{Store, StoreError};

/// Parts read per ListParts call while collecting an upload's parts.
const PARTS_PAGE: usize = 1000;

/// What a CompleteMultipartUpload asks for.
#[derive(Debug, Clone)]
pub struct CompleteRequest {
    /// Bucket.
    pub bucket: String,
    /// Key.
    pub key: String,
    /// The upload id.
    pub upload_id: String,
    /// `(part number, ETag)` in request order; `None` uses every uploaded part in number order
    /// (`x-oss-complete-all: yes`).
    pub parts: Option<Vec<(u32, String)>>,
    /// Refuse to replace an existing object (`x-oss-forbid-overwrite: true`).
    pub forbid_overwrite: bool,
    /// S3's conditional write (`If-Match`/`If-None-Match`), checked at the commit.
    pub etag_condition: EtagCondition,
    /// An object ACL given at completion, overriding the one given at initiation.
    pub acl: Option<ObjectAcl>,
    /// The S3 checksums the request states for its parts (`(part number, checksum)`), each
    /// checked against the part's stored one (`InvalidPart`).
    pub part_checksums: Vec<(u32, StoredChecksum)>,
    /// The object's S3 checksum as the client computed it (`x-amz-checksum-<alg>` of the
    /// Complete request), checked against the one computed from the parts (`BadDigest`).
    pub checksum: Option<StoredChecksum>,
}

impl Store {
    /// Completes an upload: the new object version becomes visible at the metadata commit; the
    /// data of a replaced version and of uploaded-but-unlisted parts is reclaimed afterwards.
    pub async fn complete_multipart(
        &self,
        req: CompleteRequest,
        now_ms: i64,
    ) -> Result<ObjectRecord, StoreError> {
        let upload = self.upload(&req.bucket, &req.key, &req.upload_id).await?;
        let uploaded = self.all_parts(&req).await?;
        let chosen = choose_parts(&uploaded, req.parts.as_deref())?;
        check_sizes(&chosen)?;
        check_part_checksums(&chosen, &req.part_checksums)?;
        let checksum = crate::checksum::multipart_checksum(upload.checksum.as_ref(), &chosen)?;
        if let Some(expected) = &req.checksum {
            let same = checksum.as_ref().is_some_and(|c| {
                c.algorithm == expected.algorithm && c.value == expected.value.trim()
            });
            if !same {
                return Err(StoreError::BadDigest(expected.algorithm.clone()));
            }
        }
        let mut record = assemble(&upload, &chosen, now_ms);
        record.checksum = checksum;
        if let Some(acl) = req.acl {
            record.acl = acl;
        }
        let cond = write_precondition(req.forbid_overwrite, &req.etag_condition);
        let outcome = self
            .meta
            .complete_upload(
                &req.bucket,
                &req.key,
                &req.upload_id,
                record.clone(),
                cond.clone(),
            )
            .await
            .map_err(|e| match e {
                MetaError::PreconditionFailed(current) => {
                    precondition_error(&cond, current.as_deref())
                }
                other => upload_error(other),
            })?;
        record.version_id = outcome.version_id;
        self.reclaim(&outcome.replaced, Some(&record)).await;
        let unused = outcome.unused_parts.into_iter().map(|p| p.blob).collect();
        self.reclaim_unreferenced(unused).await;
        Ok(record)
    }

    /// Every part of the upload, ascending.
    async fn all_parts(&self, req: &CompleteRequest) -> Result<Vec<PartRecord>, StoreError> {
        let mut all: Vec<PartRecord> = Vec::new();
        loop {
            let marker = all.last().map_or(0, |p| p.part_number);
            let (page, truncated) = self
                .meta
                .list_parts(&req.bucket, &req.key, &req.upload_id, marker, PARTS_PAGE)
                .await
                .map_err(upload_error)?;
            let progressed = !page.is_empty();
            all.extend(page);
            if !truncated || !progressed {
                return Ok(all);
            }
        }
    }
}

/// The parts the request names, checked against what was uploaded: ascending order
/// (`InvalidPartOrder`), each number uploaded with that ETag (`InvalidPart`), at least one.
pub(crate) fn choose_parts(
    uploaded: &[PartRecord],
    wanted: Option<&[(u32, String)]>,
) -> Result<Vec<PartRecord>, StoreError> {
    let Some(wanted) = wanted else {
        if uploaded.is_empty() {
            return Err(StoreError::InvalidPart);
        }
        return Ok(uploaded.to_vec());
    };
    if wanted.is_empty() {
        return Err(StoreError::InvalidPart);
    }
    if wanted.windows(2).any(|w| w[0].0 >= w[1].0) {
        return Err(StoreError::InvalidPartOrder);
    }
    wanted
        .iter()
        .map(|(number, etag)| {
            let etag = etag.trim().trim_matches('"');
            uploaded
                .iter()
                .find(|p| p.part_number == *number && p.etag.eq_ignore_ascii_case(etag))
                .cloned()
                .ok_or(StoreError::InvalidPart)
        })
        .collect()
}

/// Each stated part checksum must be the part's stored one, of the same algorithm (S3 answers
/// `InvalidPart`, as for a wrong ETag).
fn check_part_checksums(
    chosen: &[PartRecord],
    stated: &[(u32, StoredChecksum)],
) -> Result<(), StoreError> {
    for (number, claim) in stated {
        let stored = chosen
            .iter()
            .find(|p| p.part_number == *number)
            .and_then(|p| p.checksum.as_ref());
        let same = stored.is_some_and(|s| {
            s.algorithm.eq_ignore_ascii_case(&claim.algorithm) && s.value == claim.value
        });
        if !same {
            return Err(StoreError::InvalidPart);
        }
    }
    Ok(())
}

/// Every part but the last must be at least [`MIN_PART_SIZE`] (`EntityTooSmall`).
pub(crate) fn check_sizes(parts: &[PartRecord]) -> Result<(), StoreError> {
    let Some((_, all_but_last)) = parts.split_last() else {
        return Err(StoreError::InvalidPart);
    };
    if all_but_last.iter().any(|p| p.size < MIN_PART_SIZE) {
        return Err(StoreError::EntityTooSmall);
    }
    Ok(())
}

/// The multipart ETag (docs/protocol/objects.md#etag): `HEX(MD5(md5_1 ‖ … ‖ md5_n))-n`, uppercase,
/// unquoted.
pub fn multipart_etag(md5s: &[[u8; 16]]) -> String {
    let concat: Vec<u8> = md5s.iter().flatten().copied().collect();
    format!(
        "{}-{}",
        ETag::from_md5(&md5_of(&concat)).inner(),
        md5s.len()
    )
}

/// The object record of `parts` assembled with `upload`'s attributes.
fn assemble(upload: &UploadRecord, parts: &[PartRecord], now_ms: i64) -> ObjectRecord {
    let md5s: Vec<[u8; 16]> = parts.iter().map(|p| p.md5).collect();
    let mut record = upload.template.clone();
    record.bucket = upload.bucket.clone();
    record.key = upload.key.clone();
    record.version_id = new_version_id();
    record.revision = new_revision();
    record.delete_marker = false;
    record.size = parts.iter().map(|p| p.size).sum();
    record.etag = multipart_etag(&md5s);
    record.crc64 = parts
        .iter()
        .fold(0, |crc, p| crc64_combine(crc, p.crc64, p.size));
    record.last_modified_ms = now_ms;
    record.object_type = ObjectType::Multipart;
    record.parts = parts
        .iter()
        .map(|p| ObjectPart {
            number: p.part_number,
            size: p.size,
            checksum: p.checksum.clone(),
        })
        .collect();
    record.data = DataRef::Parts(
        parts
            .iter()
            .filter(|p| p.size > 0 && !p.blob.is_empty())
            .map(|p| PartRef {
                blob: p.blob.clone(),
                size: p.size,
            })
            .collect(),
    );
    record
}
