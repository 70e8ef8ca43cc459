//! ListObjects v1 and ListObjectsV2 (docs/protocol/buckets.md#listobjects, #listobjectsv2); both
//! use the root `ListBucketResult`.

use super::service::Owner;
use super::writer::{XmlWriter, maybe_url_encode};
use crate::time_fmt::push_iso8601_ms;
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
    /// The `<Owner>` written in every entry (the bucket owner's account).
    pub owner: Owner,
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
            let owner = Some(&self.owner);
            write_entries(w, &self.contents, &self.common_prefixes, url, owner);
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
    /// The `<Owner>` of every entry (the bucket owner's account), written with `fetch_owner`.
    pub owner: Owner,
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
            let owner = self.fetch_owner.then_some(&self.owner);
            write_entries(w, &self.contents, &self.common_prefixes, url, owner);
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

/// Writes the `<Contents>` entries (each with `owner`, when given), then the common prefixes.
fn write_entries(
    w: &mut XmlWriter,
    objs: &[ObjectSummary],
    cps: &[String],
    url: bool,
    owner: Option<&Owner>,
) {
    for o in objs {
        w.node("Contents", |w| {
            w.elem_key("Key", &o.key, url)
                .elem_plain_with("LastModified", |b| push_iso8601_ms(b, o.last_modified_ms))
                .elem_with("ETag", |b| {
                    b.push('"');
                    b.push_str(o.etag.inner());
                    b.push('"');
                })
                .elem_plain("Type", o.object_type.as_str())
                .elem_plain_with("Size", |b| push_decimal(b, o.size))
                .elem_plain("StorageClass", o.storage_class.as_str());
            if let Some(info) = &o.restore_info {
                w.elem("RestoreInfo", info);
            }
            if let Some(owner) = owner {
                owner.write(w);
            }
        });
    }
    write_common_prefixes(w, cps, url);
}

/// Appends `n` in decimal (what `Display` writes, without the formatting machinery: a listing
/// writes one size per entry).
fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        // `n % 10` is below 10, so the cast keeps it whole.
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::push_decimal;

    #[test]
    fn decimal_is_what_display_writes() {
        for n in [0, 1, 9, 10, 4096, 1_000_000_007, u64::MAX] {
            let mut out = String::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }
}
