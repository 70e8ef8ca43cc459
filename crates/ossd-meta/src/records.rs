//! The records a metadata backend stores and the query/outcome types of [`crate::MetaStore`].

use ossd_types::{BucketAcl, ObjectAcl, ObjectType, StorageClass, VersioningState};
use serde::{Deserialize, Serialize};

/// The version id of objects written while versioning is not enabled.
pub const NULL_VERSION: &str = "null";

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
    /// Small objects live in the metadata record itself.
    Inline(Vec<u8>),
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
}

impl ObjectRecord {
    /// A copy without inline bytes: [`DataRef::Inline`] becomes empty (`size` still gives the
    /// length), [`DataRef::Parts`] is kept. What listings and
    /// [`crate::MetaStore::get_object_meta`] return; never write such a copy back.
    pub fn without_inline(&self) -> ObjectRecord {
        let data = match &self.data {
            DataRef::Inline(_) => DataRef::Inline(Vec::new()),
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
        }
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

/// One page of [`ListQuery`] results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListPage {
    /// Objects, sorted by key; without inline bytes (see [`ObjectRecord::without_inline`]).
    pub objects: Vec<ObjectRecord>,
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
