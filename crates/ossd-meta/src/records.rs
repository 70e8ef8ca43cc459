//! The records a metadata backend stores and the query/outcome types of [`crate::MetaStore`].

use bytes::Bytes;
use ossd_types::{BucketAcl, ETag, ObjectAcl, ObjectType, StorageClass, VersioningState};
use serde::{Deserialize, Serialize};

pub use ossd_types::NULL_VERSION;

/// A bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketRecord {
    /// The bucket name (validated by the caller).
    pub name: String,
    /// Owning account id.
    pub owner: String,
    /// Creation time, Unix milliseconds.
    pub created_ms: i64,
    /// Canned ACL.
    pub acl: BucketAcl,
    /// Default storage class.
    pub storage_class: StorageClass,
    /// Region id, e.g. `cn-hangzhou`.
    pub region: String,
    /// Versioning state.
    pub versioning: VersioningState,
}

/// One stored piece of object data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRef {
    /// Blob id in the blob store.
    pub blob: String,
    /// Length in bytes.
    pub size: u64,
}

/// Where an object version's bytes are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataRef {
    /// Small objects live in the metadata record itself (a reference-counted slice: a cached
    /// record hands its bytes out without copying them; the same JSON as a `Vec<u8>`).
    Inline(#[serde(with = "inline_bytes")] Bytes),
    /// The concatenation of these blobs, in order (one for a plain PUT; several for multipart
    /// and append).
    Parts(Vec<PartRef>),
}

impl DataRef {
    /// The blob ids this data uses.
    pub fn blob_ids(&self) -> impl Iterator<Item = &str> {
        let parts: &[PartRef] = match self {
            DataRef::Inline(_) => &[],
            DataRef::Parts(p) => p,
        };
        parts.iter().map(|p| p.blob.as_str())
    }
}

/// One version of an object (or a delete marker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectRecord {
    /// Bucket name.
    pub bucket: String,
    /// Object key.
    pub key: String,
    /// Version id ([`NULL_VERSION`] when not versioned).
    pub version_id: String,
    /// A unique id of this write, for compare-and-set ([`Precondition::Revision`]).
    pub revision: String,
    /// Whether this version is a delete marker (then the data fields are empty).
    pub delete_marker: bool,
    /// Content length.
    pub size: u64,
    /// ETag inner text (uppercase hex, no quotes).
    pub etag: String,
    /// CRC-64/XZ of the content.
    pub crc64: u64,
    /// Last modification, Unix milliseconds.
    pub last_modified_ms: i64,
    /// How the object was written.
    pub object_type: ObjectType,
    /// Storage class.
    pub storage_class: StorageClass,
    /// Object ACL.
    pub acl: ObjectAcl,
    /// Stored standard headers (lowercase names): content-type, content-disposition,
    /// content-encoding, content-language, cache-control, expires.
    pub headers: Vec<(String, String)>,
    /// User metadata, names lowercased without the `x-oss-meta-` prefix, values as sent.
    pub user_meta: Vec<(String, String)>,
    /// Object tags, in the order given.
    pub tags: Vec<(String, String)>,
    /// Target key, for symlinks.
    pub symlink_target: Option<String>,
    /// The bytes.
    pub data: DataRef,
    /// The last RestoreObject of an archived version (absent in records written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore: Option<RestoreState>,
    /// The S3 flexible checksum of the content, when one was sent or computed (absent in
    /// records written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<StoredChecksum>,
    /// The parts of a multipart object, in order (empty for other objects and for multipart
    /// objects completed before parts were recorded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<ObjectPart>,
}

/// An S3 flexible checksum as stored (docs/protocol/s3-chunked.md#checksum-algorithms,
/// #multipart-checksums).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredChecksum {
    /// The algorithm as S3 names it: `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1` or `SHA256`.
    pub algorithm: String,
    /// The Base64 value; a COMPOSITE multipart checksum ends with `-<part count>`.
    pub value: String,
    /// Whether this is a COMPOSITE multipart checksum (else FULL_OBJECT).
    #[serde(default)]
    pub composite: bool,
}

impl StoredChecksum {
    /// `COMPOSITE` or `FULL_OBJECT`, as S3 writes the checksum type.
    pub fn type_name(&self) -> &'static str {
        if self.composite {
            "COMPOSITE"
        } else {
            "FULL_OBJECT"
        }
    }
}

/// One part of a completed multipart object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectPart {
    /// The part number it was uploaded with.
    pub number: u32,
    /// Length in bytes.
    pub size: u64,
    /// The part's checksum, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<StoredChecksum>,
}

/// A restore of an archived version: readable from `ready_ms` until `expiry_ms` (Unix ms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreState {
    /// When the restored copy becomes readable.
    pub ready_ms: i64,
    /// When the restored copy expires and the version is frozen again.
    pub expiry_ms: i64,
    /// The tier requested (`Expedited`, `Standard`, `Bulk`; cold archive classes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
}

/// Where an archived version stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreStatus {
    /// Not an archive class: always readable, never restored.
    NotArchived,
    /// Archived and not restored (never, or the restored copy expired).
    Frozen,
    /// A restore was requested and is not finished.
    InProgress,
    /// Restored and readable until `expiry_ms`.
    Restored {
        /// When the restored copy expires, Unix ms.
        expiry_ms: i64,
    },
}

impl RestoreStatus {
    /// Whether the bytes may be read (GetObject, copy source).
    pub fn readable(self) -> bool {
        matches!(self, Self::NotArchived | Self::Restored { .. })
    }
}

/// Whether objects of this class must be restored before they are read (Archive, Cold Archive,
/// Deep Cold Archive).
pub fn is_archive_class(class: StorageClass) -> bool {
    matches!(
        class,
        StorageClass::Archive | StorageClass::ColdArchive | StorageClass::DeepColdArchive
    )
}

/// [`DataRef::Inline`]'s bytes in serde as a `Vec<u8>` is (a sequence of numbers in JSON), so
/// that records stored before it was [`Bytes`] read back unchanged.
mod inline_bytes {
    use bytes::Bytes;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(bytes: &Bytes, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(bytes.iter())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
        Vec::<u8>::deserialize(d).map(Bytes::from)
    }
}

impl ObjectRecord {
    /// A copy without inline bytes: [`DataRef::Inline`] becomes empty (`size` still gives the
    /// length), [`DataRef::Parts`] is kept. What listings and
    /// [`crate::MetaStore::get_object_meta`] return; never write such a copy back.
    pub fn without_inline(&self) -> ObjectRecord {
        let data = match &self.data {
            DataRef::Inline(_) => DataRef::Inline(Bytes::new()),
            DataRef::Parts(parts) => DataRef::Parts(parts.clone()),
        };
        ObjectRecord {
            bucket: self.bucket.clone(),
            key: self.key.clone(),
            version_id: self.version_id.clone(),
            revision: self.revision.clone(),
            delete_marker: self.delete_marker,
            size: self.size,
            etag: self.etag.clone(),
            crc64: self.crc64,
            last_modified_ms: self.last_modified_ms,
            object_type: self.object_type,
            storage_class: self.storage_class,
            acl: self.acl,
            headers: self.headers.clone(),
            user_meta: self.user_meta.clone(),
            tags: self.tags.clone(),
            symlink_target: self.symlink_target.clone(),
            data,
            restore: self.restore.clone(),
            checksum: self.checksum.clone(),
            parts: self.parts.clone(),
        }
    }

    /// The restore status at `now_ms` (Unix ms).
    pub fn restore_status(&self, now_ms: i64) -> RestoreStatus {
        restore_status(self.storage_class, self.restore.as_ref(), now_ms)
    }
}

/// The restore status at `now_ms` of a version of class `class` whose last restore is `restore`.
fn restore_status(
    class: StorageClass,
    restore: Option<&RestoreState>,
    now_ms: i64,
) -> RestoreStatus {
    if !is_archive_class(class) {
        return RestoreStatus::NotArchived;
    }
    match restore {
        Some(r) if now_ms >= r.expiry_ms => RestoreStatus::Frozen,
        Some(r) if now_ms < r.ready_ms => RestoreStatus::InProgress,
        Some(r) => RestoreStatus::Restored {
            expiry_ms: r.expiry_ms,
        },
        None => RestoreStatus::Frozen,
    }
}

/// A condition checked inside the write transaction against the current (latest) version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// Always write.
    None,
    /// The key must have no current version, or only a delete marker (`x-oss-forbid-overwrite`).
    NotExists,
    /// The latest version must have this revision (`None` = must not exist); used by append.
    Revision(Option<String>),
    /// S3's conditional write: the latest version's ETag against `If-Match`/`If-None-Match`.
    ETag(EtagCondition),
}

/// The `If-Match` and `If-None-Match` lists of a conditional write (S3's PutObject,
/// CompleteMultipartUpload and CopyObject destination), checked in the write transaction.
/// A delete marker counts as no object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EtagCondition {
    /// The current version must exist and its ETag be in this list (`*` = any).
    pub if_match: Option<String>,
    /// There must be no current version, or its ETag must not be in this list (`*` = any).
    pub if_none_match: Option<String>,
}

impl EtagCondition {
    /// Whether neither list was given.
    pub fn is_empty(&self) -> bool {
        self.if_match.is_none() && self.if_none_match.is_none()
    }

    /// Whether the condition holds for the current version `current` (`None` when there is no
    /// object or only a delete marker).
    pub fn holds(&self, current: Option<&ObjectRecord>) -> bool {
        let etag = current.map(|c| ETag::from_inner(c.etag.clone()));
        let matched = self
            .if_match
            .as_deref()
            .is_none_or(|list| etag.as_ref().is_some_and(|e| e.matches_list(list)));
        let none_matched = self
            .if_none_match
            .as_deref()
            .is_none_or(|list| etag.as_ref().is_none_or(|e| !e.matches_list(list)));
        matched && none_matched
    }
}

/// The result of [`crate::MetaStore::put_object`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutOutcome {
    /// The version id given to the new record.
    pub version_id: String,
    /// Records that this write removed (the old `null` version); their data may be garbage.
    pub replaced: Vec<ObjectRecord>,
}

/// The result of [`crate::MetaStore::delete_object`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeleteOutcome {
    /// Records removed; their data may be garbage.
    pub removed: Vec<ObjectRecord>,
    /// The version id of a delete marker created by this call.
    pub marker_created: Option<String>,
}

/// A ListObjects query over the latest non-marker versions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListQuery {
    /// Bucket.
    pub bucket: String,
    /// Only keys starting with this.
    pub prefix: String,
    /// Fold keys containing this after the prefix into common prefixes.
    pub delimiter: Option<String>,
    /// Only keys (and common prefixes) sorting strictly after this.
    pub start_after: String,
    /// At most this many entries + common prefixes (1..=1000).
    pub max_keys: usize,
}

/// One object of a [`ListPage`]: the fields of the latest version that a listing renders
/// (docs/protocol/buckets.md#listobjectsv2), so that a backend need not decode whole records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    /// Object key.
    pub key: String,
    /// ETag inner text (uppercase hex, no quotes).
    pub etag: String,
    /// Content length.
    pub size: u64,
    /// Last modification, Unix milliseconds.
    pub last_modified_ms: i64,
    /// How the object was written.
    pub object_type: ObjectType,
    /// Storage class.
    pub storage_class: StorageClass,
    /// The last RestoreObject of an archived object.
    pub restore: Option<RestoreState>,
}

impl ListEntry {
    /// The restore status at `now_ms` (Unix ms), as [`ObjectRecord::restore_status`].
    pub fn restore_status(&self, now_ms: i64) -> RestoreStatus {
        restore_status(self.storage_class, self.restore.as_ref(), now_ms)
    }
}

impl From<ObjectRecord> for ListEntry {
    fn from(r: ObjectRecord) -> Self {
        Self {
            key: r.key,
            etag: r.etag,
            size: r.size,
            last_modified_ms: r.last_modified_ms,
            object_type: r.object_type,
            storage_class: r.storage_class,
            restore: r.restore,
        }
    }
}

/// One page of [`ListQuery`] results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListPage {
    /// Objects, sorted by key.
    pub objects: Vec<ListEntry>,
    /// Common prefixes, sorted.
    pub common_prefixes: Vec<String>,
    /// Whether more results follow.
    pub truncated: bool,
    /// The last key or common prefix returned, when truncated.
    pub next_marker: Option<String>,
}

/// A ListObjectVersions query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListVersionsQuery {
    /// Bucket.
    pub bucket: String,
    /// Only keys starting with this.
    pub prefix: String,
    /// Fold keys containing this after the prefix into common prefixes.
    pub delimiter: Option<String>,
    /// Start after this key (all its versions when `version_id_marker` is empty).
    pub key_marker: String,
    /// Within `key_marker`, start after this version.
    pub version_id_marker: String,
    /// At most this many versions + common prefixes.
    pub max_keys: usize,
}

/// One page of [`ListVersionsQuery`] results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VersionsPage {
    /// Versions and delete markers: keys ascending, newest version first within a key.
    pub versions: Vec<VersionEntry>,
    /// Common prefixes, sorted.
    pub common_prefixes: Vec<String>,
    /// Whether more results follow.
    pub truncated: bool,
    /// Where the next page starts, when truncated.
    pub next_key_marker: Option<String>,
    /// Where the next page starts within that key, when truncated.
    pub next_version_id_marker: Option<String>,
}

/// A version in a [`VersionsPage`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionEntry {
    /// The record, without inline bytes (see [`ObjectRecord::without_inline`]).
    pub record: ObjectRecord,
    /// Whether it is the latest version of its key.
    pub is_latest: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_bytes_keep_the_json_of_a_byte_vector() -> Result<(), serde_json::Error> {
        let data = DataRef::Inline(Bytes::from_static(b"\x01\x02"));
        let json = serde_json::to_string(&data)?;
        // What `Inline(Vec<u8>)` wrote: stored records read back unchanged.
        assert_eq!(json, r#"{"Inline":[1,2]}"#);
        assert_eq!(serde_json::from_str::<DataRef>(&json)?, data);
        Ok(())
    }

    #[test]
    fn restore_field_is_optional_in_stored_json() -> Result<(), serde_json::Error> {
        let rec = ObjectRecord {
            bucket: "b".to_owned(),
            key: "k".to_owned(),
            version_id: NULL_VERSION.to_owned(),
            revision: "r".to_owned(),
            delete_marker: false,
            size: 0,
            etag: "E".to_owned(),
            crc64: 0,
            last_modified_ms: 0,
            object_type: ObjectType::Normal,
            storage_class: StorageClass::Archive,
            acl: ObjectAcl::Default,
            headers: Vec::new(),
            user_meta: Vec::new(),
            tags: Vec::new(),
            symlink_target: None,
            data: DataRef::Inline(Bytes::new()),
            restore: None,
            checksum: None,
            parts: Vec::new(),
        };
        let json = serde_json::to_string(&rec)?;
        assert!(!json.contains("restore"), "{json}");
        assert!(
            !json.contains("checksum") && !json.contains("parts"),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<ObjectRecord>(&json)?, rec);
        assert_eq!(rec.restore_status(0), RestoreStatus::Frozen);
        let restored = ObjectRecord {
            restore: Some(RestoreState {
                ready_ms: 10,
                expiry_ms: 20,
                tier: None,
            }),
            ..rec
        };
        let back: ObjectRecord = serde_json::from_str(&serde_json::to_string(&restored)?)?;
        assert_eq!(
            back.restore_status(15),
            RestoreStatus::Restored { expiry_ms: 20 }
        );
        assert_eq!(back.restore_status(5), RestoreStatus::InProgress);
        Ok(())
    }
}
