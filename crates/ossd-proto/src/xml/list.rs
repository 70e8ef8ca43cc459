//! ListObjects v1 and ListObjectsV2 (docs/protocol/buckets.md#listobjects, #listobjectsv2); both
//! use the root `ListBucketResult`.

use super::service::Owner;
use super::writer::{XmlWriter, escape_text, maybe_url_encode, push_key};
use crate::time_fmt::Iso8601Run;
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
///
/// The entries are written in bulk ([`XmlWriter::compact_text`]): the fixed tags between two
/// values as one string, the values appended in place, the `<Owner>` markup made once per page,
/// the dates through one [`Iso8601Run`].
/// The text is what [`XmlWriter::elem_key`], [`XmlWriter::elem`] and [`XmlWriter::node`] write
/// (`tests/xml_list.rs` compares with documents written element by element).
fn write_entries(
    w: &mut XmlWriter,
    objs: &[ObjectSummary],
    cps: &[String],
    url: bool,
    owner: Option<&Owner>,
) {
    let owner = owner.map(Owner::markup);
    let mut dates = Iso8601Run::default();
    let b = w.compact_text();
    for o in objs {
        b.push_str("<Contents><Key>");
        push_key(b, &o.key, url);
        b.push_str("</Key><LastModified>");
        dates.push(b, o.last_modified_ms);
        b.push_str("</LastModified><ETag>\"");
        b.push_str(&escape_text(o.etag.inner()));
        b.push_str("\"</ETag><Type>");
        b.push_str(o.object_type.as_str());
        b.push_str("</Type><Size>");
        push_decimal(b, o.size);
        b.push_str("</Size><StorageClass>");
        b.push_str(o.storage_class.as_str());
        b.push_str("</StorageClass>");
        if let Some(info) = &o.restore_info {
            b.push_str("<RestoreInfo>");
            b.push_str(&escape_text(info));
            b.push_str("</RestoreInfo>");
        }
        if let Some(owner) = &owner {
            b.push_str(owner);
        }
        b.push_str("</Contents>");
    }
    write_common_prefixes(w, cps, url);
}

/// Appends `n` in decimal (what `Display` writes, without the formatting machinery: a listing
/// writes one size per entry), the digits laid out in an array and appended at once.
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
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::{ObjectSummary, Owner, XmlWriter, push_decimal, write_entries};
    use crate::time_fmt::iso8601_ms;
    use ossd_types::{ETag, ObjectType, StorageClass};

    #[test]
    fn decimal_is_what_display_writes() {
        for n in [0, 1, 9, 10, 4096, 1_000_000_007, u64::MAX] {
            let mut out = String::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }

    /// The entries written element by element, as before the bulk writer.
    fn by_elements(objs: &[ObjectSummary], url: bool, owner: Option<&Owner>) -> String {
        let mut w = XmlWriter::new();
        for o in objs {
            w.node("Contents", |w| {
                w.elem_key("Key", &o.key, url)
                    .elem("LastModified", &iso8601_ms(o.last_modified_ms))
                    .elem("ETag", &format!("\"{}\"", o.etag.inner()))
                    .elem("Type", o.object_type.as_str())
                    .elem_display("Size", o.size)
                    .elem("StorageClass", o.storage_class.as_str());
                if let Some(info) = &o.restore_info {
                    w.elem("RestoreInfo", info);
                }
                if let Some(owner) = owner {
                    owner.write(w);
                }
            });
        }
        w.finish()
    }

    #[test]
    fn bulk_entries_are_what_elements_write() {
        let keys = [
            "plain/key.txt",
            "a&b<c>\"d\"",
            "ctl\u{1}\r\n\t",
            "中 文+%",
            "",
        ];
        let objs: Vec<ObjectSummary> = keys
            .iter()
            .enumerate()
            .map(|(i, key)| ObjectSummary {
                key: (*key).to_owned(),
                last_modified_ms: [
                    -1,
                    1_736_929_800_123,
                    1_736_929_800_999,
                    1_736_929_801_000,
                    1_736_929_801_000,
                ][i],
                etag: ETag::from_inner(if i == 1 {
                    "A&B-2"
                } else {
                    "5EB63BBBE01EEED093CB22BB8F5ACDC3"
                }),
                object_type: [
                    ObjectType::Normal,
                    ObjectType::Multipart,
                    ObjectType::Appendable,
                ][i % 3],
                size: [0, 4096, u64::MAX, 1, 10][i],
                storage_class: [StorageClass::Standard, StorageClass::Archive][i % 2],
                restore_info: (i == 3).then(|| "ongoing-request=\"true\" & <x>".to_owned()),
            })
            .collect();
        let owner = Owner {
            id: "1234&5".to_owned(),
            display_name: "<name>".to_owned(),
        };
        for url in [false, true] {
            for owner in [None, Some(&owner)] {
                let mut w = XmlWriter::new();
                write_entries(&mut w, &objs, &[], url, owner);
                assert_eq!(w.finish(), by_elements(&objs, url, owner), "url {url}");
            }
        }
    }
}
