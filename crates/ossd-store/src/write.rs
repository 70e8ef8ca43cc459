//! PutObject, PutSymlink and metadata-only updates: the body streams through a hashing blob
//! writer, and the object becomes visible only at the metadata commit.

use std::pin::Pin;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use ossd_blob::{Written, WrittenBlob};
use ossd_meta::{DataRef, EtagCondition, MetaError, ObjectRecord, PartRef, Precondition};
use ossd_types::{ETag, ObjectAcl, ObjectType, StorageClass};

use crate::{MAX_OBJECT_SIZE, Store, StoreError};

/// A request body: chunks, or the error that stopped reading it.
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// Everything about a new object version except its bytes.
#[derive(Debug, Clone)]
pub struct WriteSpec {
    /// Bucket (must exist).
    pub bucket: String,
    /// Key (validated).
    pub key: String,
    /// Standard headers to store (lowercase names).
    pub headers: Vec<(String, String)>,
    /// User metadata (lowercase names without prefix).
    pub user_meta: Vec<(String, String)>,
    /// Tags.
    pub tags: Vec<(String, String)>,
    /// Object ACL.
    pub acl: ObjectAcl,
    /// Storage class.
    pub storage_class: StorageClass,
    /// Expected MD5 of the body (Content-MD5).
    pub content_md5: Option<[u8; 16]>,
    /// Refuse to replace an existing object.
    pub forbid_overwrite: bool,
    /// S3's conditional write (`If-Match`/`If-None-Match`), checked at the commit.
    pub etag_condition: EtagCondition,
    /// Declared Content-Length, when known.
    pub content_length: Option<u64>,
    /// The body's S3 checksum, set by the body's reader once it ended (stored with the data).
    pub checksum: crate::BodyChecksum,
}

/// The metadata precondition of a write. `forbid_overwrite` alone is OSS's
/// `x-oss-forbid-overwrite` (409 `FileAlreadyExists`); with an ETag condition (which only the S3
/// dialect sends) it joins it as `If-None-Match: *`, so both are checked in the same transaction.
pub(crate) fn write_precondition(forbid_overwrite: bool, etag: &EtagCondition) -> Precondition {
    match (forbid_overwrite, etag.is_empty()) {
        (false, true) => Precondition::None,
        (true, true) => Precondition::NotExists,
        (false, false) => Precondition::ETag(etag.clone()),
        (true, false) => Precondition::ETag(EtagCondition {
            if_none_match: Some("*".to_owned()),
            ..etag.clone()
        }),
    }
}

/// The error for a write whose `cond` failed against `current` (the latest version, `None` when
/// absent or a delete marker): an `If-Match` on no object is `NoSuchKey`, as S3 answers
/// (docs/s3.md#conditional-writes); another failed ETag condition `PreconditionFailed`; a failed
/// `x-oss-forbid-overwrite` (or revision check) `FileAlreadyExists`.
pub(crate) fn precondition_error(
    cond: &Precondition,
    current: Option<&ObjectRecord>,
) -> StoreError {
    let Precondition::ETag(etag) = cond else {
        return StoreError::FileAlreadyExists;
    };
    let Some(current) = current else {
        return if etag.if_match.is_some() {
            StoreError::NoSuchKey
        } else {
            StoreError::PreconditionFailed("If-None-Match")
        };
    };
    let if_match_only = EtagCondition {
        if_none_match: None,
        ..etag.clone()
    };
    if if_match_only.holds(Some(current)) {
        StoreError::PreconditionFailed("If-None-Match")
    } else {
        StoreError::PreconditionFailed("If-Match")
    }
}

/// A fresh, time-ordered version id.
#[allow(clippy::disallowed_methods)] // a unique id ordered by real time, never read back as a time
pub(crate) fn new_version_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// A fresh revision id for compare-and-set.
pub(crate) fn new_revision() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl Store {
    /// Streams `body` into a new object version and commits it.
    pub async fn put_object(
        &self,
        spec: WriteSpec,
        body: BodyStream,
        now_ms: i64,
    ) -> Result<ObjectRecord, StoreError> {
        if spec.content_length.is_some_and(|l| l > MAX_OBJECT_SIZE) {
            return Err(StoreError::EntityTooLarge);
        }
        let written = self
            .write_body(
                body,
                self.inline_threshold,
                spec.content_length,
                MAX_OBJECT_SIZE,
            )
            .await?;
        if spec.content_md5.is_some_and(|m| m != written.md5) {
            self.discard(&written).await;
            return Err(StoreError::InvalidDigest);
        }
        let cond = write_precondition(spec.forbid_overwrite, &spec.etag_condition);
        let record = record_from(spec, written, ObjectType::Normal, now_ms);
        self.commit(record, cond).await
    }

    /// Creates a symlink to `target` (no data).
    pub async fn put_symlink(
        &self,
        spec: WriteSpec,
        target: String,
        now_ms: i64,
    ) -> Result<ObjectRecord, StoreError> {
        let mut record = empty_record(&spec, ObjectType::Symlink, now_ms);
        record.etag = symlink_etag(&target);
        record.symlink_target = Some(target);
        let cond = write_precondition(spec.forbid_overwrite, &spec.etag_condition);
        self.commit(record, cond).await
    }

    /// Commits a record built elsewhere (copy, append) and reclaims what it replaced.
    pub(crate) async fn commit(
        &self,
        mut record: ObjectRecord,
        cond: Precondition,
    ) -> Result<ObjectRecord, StoreError> {
        match self.meta.put_object(record.clone(), cond.clone()).await {
            Ok(outcome) => {
                record.version_id = outcome.version_id;
                self.reclaim(&outcome.replaced, Some(&record)).await;
                Ok(record)
            }
            Err(e) => {
                self.discard_data(&record.data).await;
                Err(match e {
                    MetaError::PreconditionFailed(current) => {
                        precondition_error(&cond, current.as_deref())
                    }
                    MetaError::NoSuchBucket => StoreError::NoSuchBucket,
                    other => StoreError::Meta(other),
                })
            }
        }
    }

    /// Replaces the metadata of an existing version (ACL, tags) without touching its data.
    pub async fn update_record(&self, record: ObjectRecord) -> Result<(), StoreError> {
        let cond = Precondition::Revision(Some(record.revision.clone()));
        let mut record = record;
        record.revision = new_revision();
        self.meta
            .update_object(record, cond)
            .await
            .map_err(|e| match e {
                MetaError::PreconditionFailed(_) => StoreError::NoSuchKey,
                other => StoreError::Meta(other),
            })
    }

    /// Streams a body into the blob store, enforcing the declared length and `max` bytes.
    pub(crate) async fn write_body(
        &self,
        mut body: BodyStream,
        inline_threshold: usize,
        declared: Option<u64>,
        max: u64,
    ) -> Result<WrittenBlob, StoreError> {
        let mut writer = self.blobs.writer(inline_threshold);
        let mut total: u64 = 0;
        while let Some(chunk) = body.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    writer.abort().await;
                    return Err(StoreError::Body(e));
                }
            };
            total += chunk.len() as u64;
            if total > max || declared.is_some_and(|d| total > d) {
                writer.abort().await;
                return Err(if total > max {
                    StoreError::EntityTooLarge
                } else {
                    StoreError::IncompleteBody
                });
            }
            writer.write(chunk).await?;
        }
        if declared.is_some_and(|d| d != total) {
            writer.abort().await;
            return Err(StoreError::IncompleteBody);
        }
        Ok(writer.finish().await?)
    }

    /// Removes the data of a blob that will not be committed.
    pub(crate) async fn discard(&self, written: &WrittenBlob) {
        if let Written::Blob(id) = &written.data {
            self.reclaim_ids(vec![id.clone()]).await;
        }
    }

    async fn discard_data(&self, data: &DataRef) {
        self.reclaim_ids(data.blob_ids().map(str::to_owned).collect())
            .await;
    }

    /// Deletes blobs now, or queues them while a backup holds a [`crate::ReclaimPause`].
    pub(crate) async fn reclaim_ids(&self, ids: Vec<String>) {
        let ids = self.gate.admit(ids);
        self.delete_blobs(ids).await;
    }

    /// Deletes blobs (no pause check: the gate has admitted them).
    pub(crate) async fn delete_blobs(&self, ids: Vec<String>) {
        if ids.is_empty() {
            return;
        }
        if let Err(e) = self.blobs.delete(&ids).await {
            let error = ossd_meta::ErrorChain(&e);
            tracing::warn!(%error, "could not delete replaced or uncommitted data");
        }
    }
}

/// The data reference of freshly written bytes. Inline bytes move into the record without a
/// copy: `Bytes::from(Vec<u8>)` takes over the vector's allocation
/// (<https://docs.rs/bytes/1/bytes/struct.Bytes.html#impl-From%3CVec%3Cu8%3E%3E-for-Bytes>),
/// trimmed to its length first (a no-op for a body that came in one chunk) so that the record,
/// and the object cache that keeps it, hold no spare capacity the cache's weight would miss.
pub(crate) fn data_ref(written: WrittenBlob) -> DataRef {
    match written.data {
        Written::Inline(mut bytes) => {
            bytes.shrink_to_fit();
            DataRef::Inline(Bytes::from(bytes))
        }
        Written::Blob(blob) => DataRef::Parts(vec![PartRef {
            blob,
            size: written.size,
        }]),
    }
}

/// A new record for `spec` holding `written`; takes both so that nothing is copied (the
/// request path of every PutObject, docs/performance.md "CPU per small PUT").
pub(crate) fn record_from(
    spec: WriteSpec,
    written: WrittenBlob,
    object_type: ObjectType,
    now_ms: i64,
) -> ObjectRecord {
    let checksum = spec.checksum.stored();
    let mut r = owned_record(spec, object_type, now_ms, etag_of(&written.md5));
    r.size = written.size;
    r.crc64 = written.crc64;
    r.checksum = checksum;
    r.data = data_ref(written);
    r
}

/// A record with `spec`'s attributes and no data.
pub(crate) fn empty_record(spec: &WriteSpec, object_type: ObjectType, now_ms: i64) -> ObjectRecord {
    owned_record(spec.clone(), object_type, now_ms, EMPTY_ETAG.to_owned())
}

/// The ETag of no bytes: the uppercase hex MD5 of the empty string (RFC 1321, appendix A.5).
pub(crate) const EMPTY_ETAG: &str = "D41D8CD98F00B204E9800998ECF8427E";

/// The ETag (inner text) of bytes whose MD5 is `md5`.
pub(crate) fn etag_of(md5: &[u8; 16]) -> String {
    ETag::from_md5(md5).inner().to_owned()
}

/// A record with `spec`'s attributes (moved, not cloned), `etag` and no data.
fn owned_record(
    spec: WriteSpec,
    object_type: ObjectType,
    now_ms: i64,
    etag: String,
) -> ObjectRecord {
    ObjectRecord {
        bucket: spec.bucket,
        key: spec.key,
        version_id: new_version_id(),
        revision: new_revision(),
        delete_marker: false,
        size: 0,
        etag,
        crc64: 0,
        last_modified_ms: now_ms,
        object_type,
        storage_class: spec.storage_class,
        acl: spec.acl,
        headers: spec.headers,
        user_meta: spec.user_meta,
        tags: spec.tags,
        symlink_target: None,
        data: DataRef::Inline(Bytes::new()),
        restore: None,
        checksum: None,
        parts: Vec::new(),
    }
}

fn symlink_etag(target: &str) -> String {
    etag_of(&md5_of(target.as_bytes()))
}

/// MD5 of a small buffer.
pub(crate) fn md5_of(data: &[u8]) -> [u8; 16] {
    use md5::{Digest, Md5};
    Md5::digest(data).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_blob::Checksums;

    fn spec() -> WriteSpec {
        WriteSpec {
            bucket: "b".into(),
            key: "k".into(),
            headers: vec![("content-type".into(), "text/plain".into())],
            user_meta: vec![("a".into(), "1".into())],
            tags: vec![("t".into(), "v".into())],
            acl: ObjectAcl::Default,
            storage_class: StorageClass::Standard,
            content_md5: None,
            forbid_overwrite: false,
            etag_condition: EtagCondition::default(),
            content_length: None,
            checksum: crate::BodyChecksum::default(),
        }
    }

    #[test]
    fn the_empty_etag_is_the_md5_of_no_bytes() {
        assert_eq!(EMPTY_ETAG, ETag::from_md5(&md5_of(b"")).inner());
        let r = empty_record(&spec(), ObjectType::Symlink, 7);
        assert_eq!(r.etag, EMPTY_ETAG);
        assert_eq!((r.bucket.as_str(), r.key.as_str(), r.size), ("b", "k", 0));
    }

    #[test]
    fn inline_bytes_move_into_the_record_without_a_copy() {
        let body = b"hello world".to_vec();
        let at = body.as_ptr();
        let sums = Checksums::of(&body);
        let written = WrittenBlob::new(Written::Inline(body), sums);
        let r = record_from(spec(), written, ObjectType::Normal, 9);
        let DataRef::Inline(data) = &r.data else {
            panic!("inline data expected, got {:?}", r.data);
        };
        assert_eq!(&data[..], b"hello world");
        assert_eq!(
            data.as_ptr(),
            at,
            "the record holds the written vector itself"
        );
        assert_eq!(r.etag, "5EB63BBBE01EEED093CB22BB8F5ACDC3");
        assert_eq!((r.size, r.crc64), (11, sums.crc64));
        assert_eq!(r.headers, spec().headers);
        assert_eq!((r.user_meta, r.tags), (spec().user_meta, spec().tags));
        assert_eq!(r.last_modified_ms, 9);
    }

    #[test]
    fn a_body_with_spare_capacity_and_a_blob_keep_their_data() {
        let mut body = Vec::with_capacity(4096);
        body.extend_from_slice(b"abc");
        let sums = Checksums::of(&body);
        let DataRef::Inline(data) = data_ref(WrittenBlob::new(Written::Inline(body), sums)) else {
            panic!("inline data expected");
        };
        assert_eq!(&data[..], b"abc");
        let blob = WrittenBlob::new(Written::Blob("id-1".into()), sums);
        match data_ref(blob) {
            DataRef::Parts(parts) => {
                assert_eq!(
                    parts,
                    vec![PartRef {
                        blob: "id-1".into(),
                        size: 3
                    }]
                );
            }
            other => panic!("parts expected, got {other:?}"),
        }
    }
}
