//! The records of multipart uploads and the query/outcome types of the upload methods of
//! [`crate::MetaStore`].
//!
//! An upload is identified by (bucket, key, upload id); the upload id alone is unique in a store.
//! Parts are rows of their upload keyed by part number; a part's blob is referenced (for
//! [`crate::MetaStore::blobs_referenced`]) while the part row exists.

use crate::ObjectRecord;
use serde::{Deserialize, Serialize};

/// An in-progress multipart upload: the attributes the final object will get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadRecord {
    /// Bucket name.
    pub bucket: String,
    /// Object key the upload will create.
    pub key: String,
    /// The upload id: non-empty, unique in the store; uploads of one key list in upload id order,
    /// so ids should grow with initiation time.
    pub upload_id: String,
    /// Initiation time, Unix milliseconds.
    pub initiated_ms: i64,
    /// Template of the object to create: headers, user_meta, tags, acl, storage_class
    /// (data/size/etag unused).
    pub template: ObjectRecord,
    /// The S3 checksum the parts and the object carry (`x-amz-checksum-algorithm`,
    /// `x-amz-checksum-type`), when one was chosen (absent in records written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<UploadChecksum>,
}

/// The checksum an upload was initiated with (docs/protocol/s3-chunked.md#multipart-checksums).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadChecksum {
    /// The algorithm as S3 names it (`CRC32`, …).
    pub algorithm: String,
    /// COMPOSITE (else FULL_OBJECT).
    pub composite: bool,
}

/// One uploaded part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRecord {
    /// The upload this part belongs to.
    pub upload_id: String,
    /// Part number (the caller validates 1..=10000).
    pub part_number: u32,
    /// ETag inner text (uppercase hex MD5, no quotes).
    pub etag: String,
    /// MD5 of the part's bytes.
    pub md5: [u8; 16],
    /// Length in bytes.
    pub size: u64,
    /// CRC-64/XZ of the part's bytes.
    pub crc64: u64,
    /// Upload time, Unix milliseconds.
    pub last_modified_ms: i64,
    /// The blob holding the bytes.
    pub blob: String,
    /// The part's S3 checksum, when one was sent or computed (absent in records written
    /// before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<crate::StoredChecksum>,
}

/// A ListMultipartUploads query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListUploadsQuery {
    /// Bucket.
    pub bucket: String,
    /// Only keys starting with this.
    pub prefix: String,
    /// Fold keys containing this after the prefix into common prefixes.
    pub delimiter: Option<String>,
    /// Start after this key (all its uploads when `upload_id_marker` is empty).
    pub key_marker: String,
    /// Within `key_marker`, start after this upload id (ignored without a key marker).
    pub upload_id_marker: String,
    /// At most this many uploads + common prefixes (`0` gives an empty page, not truncated).
    pub max_uploads: usize,
}

/// One page of [`ListUploadsQuery`] results.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UploadsPage {
    /// Uploads: keys ascending, upload ids ascending within a key.
    pub uploads: Vec<UploadRecord>,
    /// Common prefixes, sorted.
    pub common_prefixes: Vec<String>,
    /// Whether more results follow.
    pub truncated: bool,
    /// Where the next page starts, when truncated: the last key or common prefix returned.
    pub next_key_marker: Option<String>,
    /// Where the next page starts within that key, when truncated and the last entry was an
    /// upload (`None` after a common prefix).
    pub next_upload_id_marker: Option<String>,
}

/// The result of [`crate::MetaStore::complete_upload`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteOutcome {
    /// The version id given to the new object.
    pub version_id: String,
    /// Records that this write removed (the old `null` version); their data is garbage.
    pub replaced: Vec<ObjectRecord>,
    /// The upload's parts whose blobs the new object does not use; their blobs are garbage.
    pub unused_parts: Vec<PartRecord>,
}
