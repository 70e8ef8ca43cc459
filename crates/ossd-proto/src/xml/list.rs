//! ListObjects v1 and ListObjectsV2 (docs/protocol/buckets.md#listobjects, #listobjectsv2); both
//! use the root `ListBucketResult`.

use super::service::Owner;
use super::writer::{XmlWriter, maybe_url_encode};
use crate::time_fmt::iso8601_ms;
use ossd_types::{ETag, ObjectType, StorageClass};

/// About how many bytes one `<Contents>` entry takes (a key of a few dozen bytes, a date, an
/// ETag, type, size, storage class): room reserved up front so a page is not regrown.
const LISTING_BYTES_PER_ENTRY: usize = 320;

/// One `<Contents>` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectSummary {
    /// The object key.
    pub key: String,
    /// Last modification, Unix milliseconds.
    pub last_modified_ms: i64,
    /// The ETag, written quoted.
    pub etag: ETag,
    /// `<Type>`.
    pub object_type: ObjectType,
    /// Size in bytes.
    pub size: u64,
    /// Storage class.
    pub storage_class: StorageClass,
    /// `<RestoreInfo>` (the `x-oss-restore` value) once a restore of an archived object was
    /// requested.
    pub restore_info: Option<String>,
    /// The owner: always written in v1, in v2 only with `fetch-owner=true`.
    pub owner: Owner,
}

/// The ListObjects (v1) response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListObjectsResult {
    /// Bucket name.
    pub name: String,
    /// The request's `prefix` (empty when absent).
    pub prefix: String,
    /// The request's `marker` (empty when absent).
    pub marker: String,
    /// The effective `max-keys`.
    pub max_keys: u32,
    /// The request's `delimiter` (empty when absent).
    pub delimiter: String,
    /// `encoding-type=url`: writes `<EncodingType>` and percent-encodes the key-like fields.
    pub encoding_url: bool,
    /// Set when truncated: writes `<IsTruncated>true` and `<NextMarker>`.
    pub next_marker: Option<String>,
    /// The objects, in key order.
    pub contents: Vec<ObjectSummary>,
    /// The common prefixes, in order.
    pub common_prefixes: Vec<String>,
}

impl ListObjectsResult {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let url = self.encoding_url;
        let mut w = XmlWriter::new();
        w.reserve(LISTING_BYTES_PER_ENTRY * (self.contents.len() + self.common_prefixes.len()));
        w.node("ListBucketResult", |w| {
            w.elem("Name", &self.name)
                .elem_key("Prefix", &self.prefix, url)
                .elem_key("Marker", &self.marker, url)
                .elem_display("MaxKeys", self.max_keys)
                .elem_key("Delimiter", &self.delimiter, url);
            write_encoding_type(w, url);
            w.elem_display("IsTruncated", self.next_marker.is_some());
            if let Some(next) = &self.next_marker {
                w.elem_key("NextMarker", next, url);
            }
            write_entries(w, &self.contents, &self.common_prefixes, url, true);
        });
        w.finish()
    }
}

/// The ListObjectsV2 response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListObjectsV2Result {
    /// Bucket name.
    pub name: String,
    /// The request's `prefix` (empty when absent).
    pub prefix: String,
    /// The request's `start-after`, written when given.
    pub start_after: Option<String>,
    /// The request's `continuation-token`, written when given.
    pub continuation_token: Option<String>,
    /// The effective `max-keys`.
    pub max_keys: u32,
    /// The request's `delimiter` (empty when absent).
    pub delimiter: String,
    /// `encoding-type=url`: writes `<EncodingType>` and percent-encodes the key-like fields.
    pub encoding_url: bool,
    /// Set when truncated: writes `<IsTruncated>true` and `<NextContinuationToken>`.
    pub next_continuation_token: Option<String>,
    /// `fetch-owner=true`: write `<Owner>` in each `<Contents>`.
    pub fetch_owner: bool,
    /// The objects, in key order.
    pub contents: Vec<ObjectSummary>,
    /// The common prefixes, in order.
    pub common_prefixes: Vec<String>,
}

impl ListObjectsV2Result {
    /// The response document; `<KeyCount>` is the number of Contents plus CommonPrefixes.
    pub fn to_xml(&self) -> String {
        let url = self.encoding_url;
        let enc = |s: &str| maybe_url_encode(s, url).into_owned();
        let mut w = XmlWriter::new();
        w.reserve(LISTING_BYTES_PER_ENTRY * (self.contents.len() + self.common_prefixes.len()));
        w.node("ListBucketResult", |w| {
            w.elem("Name", &self.name)
                .elem_key("Prefix", &self.prefix, url);
            if let Some(start_after) = &self.start_after {
                w.elem_key("StartAfter", start_after, url);
            }
            w.elem_opt(
                "ContinuationToken",
                self.continuation_token.as_deref().map(enc).as_deref(),
            )
            .elem_display("MaxKeys", self.max_keys)
            .elem_key("Delimiter", &self.delimiter, url);
            write_encoding_type(w, url);
            w.elem_display("IsTruncated", self.next_continuation_token.is_some());
            let next = self.next_continuation_token.as_deref().map(enc);
            w.elem_opt("NextContinuationToken", next.as_deref())
                .elem_display("KeyCount", self.contents.len() + self.common_prefixes.len());
            write_entries(
                w,
                &self.contents,
                &self.common_prefixes,
                url,
                self.fetch_owner,
            );
        });
        w.finish()
    }
}

/// Writes `<EncodingType>url</EncodingType>` when requested.
pub(crate) fn write_encoding_type(w: &mut XmlWriter, url: bool) {
    if url {
        w.elem("EncodingType", "url");
    }
}

/// Writes the `<CommonPrefixes><Prefix>` entries.
pub(crate) fn write_common_prefixes(w: &mut XmlWriter, prefixes: &[String], url: bool) {
    for p in prefixes {
        w.node("CommonPrefixes", |w| {
            w.elem_key("Prefix", p, url);
        });
    }
}

fn write_entries(
    w: &mut XmlWriter,
    objs: &[ObjectSummary],
    cps: &[String],
    url: bool,
    owner: bool,
) {
    for o in objs {
        w.node("Contents", |w| {
            w.elem_key("Key", &o.key, url)
                .elem("LastModified", &iso8601_ms(o.last_modified_ms))
                .elem("ETag", &o.etag.quoted())
                .elem("Type", o.object_type.as_str())
                .elem_display("Size", o.size)
                .elem("StorageClass", o.storage_class.as_str());
            if let Some(info) = &o.restore_info {
                w.elem("RestoreInfo", info);
            }
            if owner {
                o.owner.write(w);
            }
        });
    }
    write_common_prefixes(w, cps, url);
}
