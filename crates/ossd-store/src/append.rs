//! AppendObject: each append stores its bytes as one more blob of the object, so nothing already
//! written is copied; the CRC-64 is combined and the position checked in the commit itself.

use ossd_blob::crc64_combine;
use ossd_meta::{DataRef, MetaError, ObjectRecord, PartRef, Precondition};
use ossd_types::ObjectType;

use crate::write::{BodyStream, WriteSpec, data_ref, empty_record, etag_of, md5_of, new_revision};
use crate::{MAX_OBJECT_SIZE, Store, StoreError};

impl Store {
    /// Appends `body` at `position`; the first append (position 0) creates the object with
    /// `spec`'s attributes, later ones keep the object's attributes.
    pub async fn append_object(
        &self,
        spec: WriteSpec,
        position: u64,
        body: BodyStream,
        now_ms: i64,
    ) -> Result<ObjectRecord, StoreError> {
        let current = self.meta.get_object(&spec.bucket, &spec.key, None).await?;
        let current = current.filter(|r| !r.delete_marker);
        check_position(current.as_ref(), position)?;
        let room = MAX_OBJECT_SIZE - position;
        let written = self.write_body(body, 0, spec.content_length, room).await?;
        if spec.content_md5.is_some_and(|m| m != written.md5) {
            self.discard(&written).await;
            return Err(StoreError::InvalidDigest);
        }
        // Appends write no inline data (threshold 0): the clone is one blob id.
        let new_part = match data_ref(written.clone()) {
            DataRef::Parts(p) => p,
            DataRef::Inline(_) => Vec::new(),
        };
        let expected = Precondition::Revision(current.as_ref().map(|c| c.revision.clone()));
        let record = match current {
            Some(cur) => extend(
                cur,
                new_part,
                written.size,
                written.crc64,
                &written.md5,
                now_ms,
            ),
            None => {
                let mut r = empty_record(&spec, ObjectType::Appendable, now_ms);
                r.size = written.size;
                r.crc64 = written.crc64;
                r.etag = etag_of(&written.md5);
                r.data = DataRef::Parts(new_part);
                r
            }
        };
        match self.meta.put_object(record.clone(), expected).await {
            Ok(outcome) => {
                let mut record = record;
                record.version_id = outcome.version_id;
                self.reclaim(&outcome.replaced, Some(&record)).await;
                Ok(record)
            }
            Err(e) => {
                self.discard(&written).await;
                Err(match e {
                    MetaError::PreconditionFailed(cur) => {
                        StoreError::PositionNotEqualToLength(cur.map_or(0, |c| c.size))
                    }
                    MetaError::NoSuchBucket => StoreError::NoSuchBucket,
                    other => StoreError::Meta(other),
                })
            }
        }
    }
}

fn check_position(current: Option<&ObjectRecord>, position: u64) -> Result<(), StoreError> {
    match current {
        Some(c) if c.object_type != ObjectType::Appendable => Err(StoreError::ObjectNotAppendable),
        Some(c) if c.size != position => Err(StoreError::PositionNotEqualToLength(c.size)),
        None if position != 0 => Err(StoreError::PositionNotEqualToLength(0)),
        _ => Ok(()),
    }
}

/// The record after appending a part of `size` bytes with checksum `crc` and MD5 `md5`.
fn extend(
    mut cur: ObjectRecord,
    part: Vec<PartRef>,
    size: u64,
    crc: u64,
    md5: &[u8; 16],
    now_ms: i64,
) -> ObjectRecord {
    let mut parts = match std::mem::replace(&mut cur.data, DataRef::Inline(bytes::Bytes::new())) {
        DataRef::Parts(p) => p,
        DataRef::Inline(_) => Vec::new(),
    };
    parts.extend(part);
    cur.crc64 = crc64_combine(cur.crc64, crc, size);
    // An S3 checksum of the earlier bytes no longer describes the object.
    cur.checksum = None;
    cur.size += size;
    // Not the content MD5 (OSS documents the same): a digest of the previous ETag and this part.
    let mut seed = cur.etag.clone().into_bytes();
    seed.extend_from_slice(md5);
    cur.etag = etag_of(&md5_of(&seed));
    cur.data = DataRef::Parts(parts);
    cur.last_modified_ms = now_ms;
    cur.revision = new_revision();
    cur
}
