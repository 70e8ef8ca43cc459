//! Rows to records and back: object records as JSON plus an `inline` BLOB, the listing fields of
//! `current` rows in a fixed layout, buckets as columns, upload and part records as JSON.

use crate::error::{SqliteError, bad_column, undecodable};
use ossd_meta::{BucketRecord, Bytes, DataRef, ListEntry, MetaError, ObjectRecord, RestoreState};
use ossd_types::{BucketAcl, ObjectType, StorageClass, TypesError, VersioningState};
use rusqlite::Row;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The columns that select a [`BucketRecord`], in [`bucket_from_row`]'s order.
pub(crate) const BUCKET_COLUMNS: &str =
    "name, owner, created_ms, acl, storage_class, region, versioning";

/// An object record ready to store: its JSON (without inline bytes) and the inline bytes.
#[derive(Debug)]
pub(crate) struct EncodedRecord {
    /// The record as JSON; inline data is stored empty here.
    pub doc: String,
    /// The inline data, for records whose data is inline: the record's own buffer (a reference
    /// count, not a copy), bound to the statement as a byte slice.
    pub inline: Option<Bytes>,
}

impl EncodedRecord {
    /// The inline bytes as the `inline` column's value (NULL for a record without them).
    pub(crate) fn inline(&self) -> Option<&[u8]> {
        self.inline.as_deref()
    }
}

/// Encodes `record`. Its inline bytes (if any) are left out of the JSON and returned beside it;
/// the record keeps them (no copy: the buffer is shared).
pub(crate) fn encode(record: &mut ObjectRecord) -> Result<EncodedRecord, MetaError> {
    let inline = match &mut record.data {
        DataRef::Inline(bytes) => Some(std::mem::take(bytes)),
        DataRef::Parts(_) => None,
    };
    let doc = serde_json::to_string(record).map_err(|source| SqliteError::Encode {
        what: "object record",
        source,
    });
    if let Some(bytes) = &inline {
        record.data = DataRef::Inline(bytes.clone());
    }
    Ok(EncodedRecord { doc: doc?, inline })
}

/// A stored object record not yet decoded (listings skip most rows of a folded common prefix).
/// Only the JSON: listings never carry inline bytes, so the `inline` column is not read (an
/// inline record decodes with an empty [`DataRef::Inline`]; its `size` is the length).
#[derive(Debug)]
pub(crate) struct RawRecord {
    doc: String,
}

impl RawRecord {
    /// Reads column `doc` (at `col`).
    pub(crate) fn from_row(row: &Row<'_>, col: usize) -> rusqlite::Result<Self> {
        Ok(Self { doc: row.get(col)? })
    }

    /// Decodes the record (without inline bytes).
    pub(crate) fn decode(self) -> Result<ObjectRecord, MetaError> {
        serde_json::from_str(&self.doc).map_err(|e| undecodable("stored object record", e))
    }
}

/// Decodes an object record from columns `doc` (at `col`) and `inline` (at `col + 1`).
pub(crate) fn record_from_row(row: &Row<'_>, col: usize) -> rusqlite::Result<ObjectRecord> {
    let mut record = meta_from_row(row, col)?;
    if let Some(bytes) = row.get::<_, Option<Vec<u8>>>(col + 1)? {
        record.data = DataRef::Inline(bytes.into());
    }
    Ok(record)
}

/// Decodes an object record from column `doc` (at `col`) alone: an inline record comes with an
/// empty [`DataRef::Inline`] (the JSON stores it so), for metadata-only reads.
pub(crate) fn meta_from_row(row: &Row<'_>, col: usize) -> rusqlite::Result<ObjectRecord> {
    let doc = row.get_ref(col)?.as_str()?;
    serde_json::from_str(doc).map_err(|e| bad_column(col, e))
}

/// The codes of object types and storage classes in `current.listing` (schema v5, whose
/// back-fill spells the same mapping in SQL).
pub(crate) struct ListedCodes;

impl ListedCodes {
    /// The code of an object type.
    pub(crate) fn object_type(t: ObjectType) -> u8 {
        match t {
            ObjectType::Normal => 0,
            ObjectType::Multipart => 1,
            ObjectType::Appendable => 2,
            ObjectType::Symlink => 3,
        }
    }

    /// The object type of a code.
    fn to_object_type(code: u8) -> Option<ObjectType> {
        Some(match code {
            0 => ObjectType::Normal,
            1 => ObjectType::Multipart,
            2 => ObjectType::Appendable,
            3 => ObjectType::Symlink,
            _ => return None,
        })
    }

    /// The code of a storage class.
    pub(crate) fn storage_class(c: StorageClass) -> u8 {
        match c {
            StorageClass::Standard => 0,
            StorageClass::Ia => 1,
            StorageClass::Archive => 2,
            StorageClass::ColdArchive => 3,
            StorageClass::DeepColdArchive => 4,
        }
    }

    /// The storage class of a code.
    fn to_storage_class(code: u8) -> Option<StorageClass> {
        Some(match code {
            0 => StorageClass::Standard,
            1 => StorageClass::Ia,
            2 => StorageClass::Archive,
            3 => StorageClass::ColdArchive,
            4 => StorageClass::DeepColdArchive,
            _ => return None,
        })
    }
}

/// The fixed part of `current.listing` (schema v5), before the ETag: byte 0 the object type,
/// byte 1 the storage class ([`ListedCodes`]), bytes 2..10 the size (`u64`), bytes 10..18 the
/// last modification (`i64` Unix ms), both big-endian; the ETag's UTF-8 follows. One column
/// rather than five: a listing page reads 100 rows, and each column read costs as much as
/// decoding this whole layout.
const LISTING_HEAD: usize = 18;

/// The listing columns of a `current` row: `listing` and `restore`.
#[derive(Debug)]
pub(crate) struct Listed {
    /// `listing` ([`LISTING_HEAD`]).
    pub listing: Vec<u8>,
    /// `restore` as JSON.
    pub restore: Option<String>,
}

impl Listed {
    /// The listing columns of a version with these fields.
    fn new(
        etag: &str,
        size: u64,
        mtime_ms: i64,
        object_type: ObjectType,
        storage_class: StorageClass,
        restore: Option<&RestoreState>,
    ) -> Result<Self, MetaError> {
        let restore = restore.map(|r| to_json("restore state", r)).transpose()?;
        let mut listing = Vec::with_capacity(LISTING_HEAD + etag.len());
        listing.push(ListedCodes::object_type(object_type));
        listing.push(ListedCodes::storage_class(storage_class));
        listing.extend_from_slice(&size.to_be_bytes());
        listing.extend_from_slice(&mtime_ms.to_be_bytes());
        listing.extend_from_slice(etag.as_bytes());
        Ok(Self { listing, restore })
    }

    /// The listing columns of `record`.
    pub(crate) fn of_record(r: &ObjectRecord) -> Result<Self, MetaError> {
        let restore = r.restore.as_ref();
        Self::new(
            &r.etag,
            r.size,
            r.last_modified_ms,
            r.object_type,
            r.storage_class,
            restore,
        )
    }

    /// The listing columns of `entry`.
    pub(crate) fn of_entry(e: &ListEntry) -> Result<Self, MetaError> {
        let restore = e.restore.as_ref();
        Self::new(
            &e.etag,
            e.size,
            e.last_modified_ms,
            e.object_type,
            e.storage_class,
            restore,
        )
    }
}

/// A `current.listing` value this build cannot read.
#[derive(Debug, thiserror::Error)]
#[error("malformed listing column of a current version")]
struct MalformedListing;

/// Decodes a [`ListEntry`] from a `current` row selected as `key, listing, restore` (no JSON
/// unless the version has a restore).
pub(crate) fn listed_from_row(row: &Row<'_>) -> rusqlite::Result<ListEntry> {
    let key = std::str::from_utf8(row.get_ref(0)?.as_bytes()?).map_err(|e| bad_column(0, e))?;
    let listing = row.get_ref(1)?.as_blob()?;
    let restore = match row.get_ref(2)?.as_str_or_null()? {
        None => None,
        Some(json) => Some(serde_json::from_str(json).map_err(|e| bad_column(2, e))?),
    };
    let mut entry = decode_listing(listing).ok_or_else(|| bad_column(1, MalformedListing))?;
    entry.key = key.to_owned();
    entry.restore = restore;
    Ok(entry)
}

/// The fields of `listing` ([`LISTING_HEAD`]), with an empty key and no restore.
fn decode_listing(listing: &[u8]) -> Option<ListEntry> {
    let (head, etag) = listing.split_at_checked(LISTING_HEAD)?;
    let [
        t,
        c,
        s0,
        s1,
        s2,
        s3,
        s4,
        s5,
        s6,
        s7,
        m0,
        m1,
        m2,
        m3,
        m4,
        m5,
        m6,
        m7,
    ] = <[u8; LISTING_HEAD]>::try_from(head).ok()?;
    Some(ListEntry {
        key: String::new(),
        etag: std::str::from_utf8(etag).ok()?.to_owned(),
        size: u64::from_be_bytes([s0, s1, s2, s3, s4, s5, s6, s7]),
        last_modified_ms: i64::from_be_bytes([m0, m1, m2, m3, m4, m5, m6, m7]),
        object_type: ListedCodes::to_object_type(t)?,
        storage_class: ListedCodes::to_storage_class(c)?,
        restore: None,
    })
}

/// The fields of a stored object record that a listing renders, borrowed from its JSON where
/// it has no escapes; every other field (headers, metadata, tags, data, ...) is skipped unread.
#[derive(Deserialize)]
struct ListedDoc<'a> {
    #[serde(borrow)]
    key: Cow<'a, str>,
    #[serde(borrow)]
    etag: Cow<'a, str>,
    size: u64,
    last_modified_ms: i64,
    #[serde(borrow)]
    object_type: Cow<'a, str>,
    #[serde(borrow)]
    storage_class: Cow<'a, str>,
    #[serde(default)]
    restore: Option<RestoreState>,
}

/// Decodes the [`ListEntry`] of the object record JSON in column `doc` (at `col`), without
/// building the whole [`ObjectRecord`]: what `current` gets when an older version becomes
/// the current one again.
pub(crate) fn entry_from_row(row: &Row<'_>, col: usize) -> rusqlite::Result<ListEntry> {
    entry_from_json(row.get_ref(col)?.as_str()?).map_err(|e| bad_column(col, e))
}

/// Decodes a [`ListEntry`] from a stored object record's JSON.
fn entry_from_json(doc: &str) -> Result<ListEntry, ListedError> {
    let d: ListedDoc<'_> = serde_json::from_str(doc)?;
    Ok(ListEntry {
        key: d.key.into_owned(),
        etag: d.etag.into_owned(),
        size: d.size,
        last_modified_ms: d.last_modified_ms,
        object_type: ObjectType::parse(&d.object_type)?,
        storage_class: StorageClass::parse(&d.storage_class)?,
        restore: d.restore,
    })
}

/// Why a stored record's JSON gave no [`ListEntry`].
#[derive(Debug, thiserror::Error)]
enum ListedError {
    /// Not the JSON of an object record.
    #[error("stored object record for a listing")]
    Json(#[from] serde_json::Error),
    /// An object type or storage class with no OSS spelling.
    #[error("stored object record for a listing")]
    Spelling(#[from] TypesError),
}

/// Decodes a bucket selected with [`BUCKET_COLUMNS`].
pub(crate) fn bucket_from_row(row: &Row<'_>) -> rusqlite::Result<BucketRecord> {
    Ok(BucketRecord {
        name: row.get(0)?,
        owner: row.get(1)?,
        created_ms: row.get(2)?,
        acl: spelled(row, 3, BucketAcl::parse)?,
        storage_class: spelled(row, 4, StorageClass::parse)?,
        region: row.get(5)?,
        versioning: spelled(row, 6, VersioningState::parse)?,
    })
}

/// Parses the text in column `col` with `parse` (one of the OSS-spelled enums).
fn spelled<T>(
    row: &Row<'_>,
    col: usize,
    parse: fn(&str) -> Result<T, TypesError>,
) -> rusqlite::Result<T> {
    parse(row.get_ref(col)?.as_str()?).map_err(|e| bad_column(col, e))
}

/// Encodes a document stored as JSON (an upload or part record); `what` names it in errors.
pub(crate) fn to_json<T: Serialize>(what: &'static str, value: &T) -> Result<String, MetaError> {
    serde_json::to_string(value).map_err(|source| SqliteError::Encode { what, source }.into())
}

/// Decodes the JSON document in column `col`.
pub(crate) fn json_from_row<T: DeserializeOwned>(row: &Row<'_>, col: usize) -> rusqlite::Result<T> {
    let doc = row.get_ref(col)?.as_str()?;
    serde_json::from_str(doc).map_err(|e| bad_column(col, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ossd_meta::{ObjectPart, PartRef, StoredChecksum};
    use ossd_types::ObjectAcl;

    /// A record with every field set, restore included.
    fn record() -> ObjectRecord {
        ObjectRecord {
            bucket: "b".to_owned(),
            key: "dir/é \"quoted\"\\key\u{1}".to_owned(),
            version_id: "v1".to_owned(),
            revision: "r1".to_owned(),
            delete_marker: false,
            size: 5,
            etag: "5D41402ABC4B2A76B9719D911017C592-2".to_owned(),
            crc64: 7,
            last_modified_ms: 1_700_000_000_123,
            object_type: ObjectType::Multipart,
            storage_class: StorageClass::ColdArchive,
            acl: ObjectAcl::PublicRead,
            headers: vec![("content-type".to_owned(), "text/plain".to_owned())],
            user_meta: vec![("k".to_owned(), "v".to_owned())],
            tags: vec![("t".to_owned(), "u".to_owned())],
            symlink_target: None,
            data: DataRef::Parts(vec![PartRef {
                blob: "blob-1".to_owned(),
                size: 5,
            }]),
            restore: Some(RestoreState {
                ready_ms: 1,
                expiry_ms: 2,
                tier: Some("Bulk".to_owned()),
            }),
            checksum: Some(StoredChecksum {
                algorithm: "CRC32".to_owned(),
                value: "AAAAAA==-2".to_owned(),
                composite: true,
            }),
            parts: vec![ObjectPart {
                number: 1,
                size: 5,
                checksum: None,
            }],
        }
    }

    #[test]
    fn spelled_fields_decode_escaped_and_refuse_unknown_spellings() {
        let mut rec = record();
        let doc = encode(&mut rec).expect("encode").doc;
        let class = format!("\"{}\"", StorageClass::ColdArchive.as_str());
        let escaped = doc.replace(&class, &class.replacen('C', "\\u0043", 1));
        assert_ne!(escaped, doc);
        let back: ObjectRecord = serde_json::from_str(&escaped).expect("decode");
        assert_eq!(back, rec);
        let unknown = doc.replace(&class, "\"Glacier\"");
        assert!(serde_json::from_str::<ObjectRecord>(&unknown).is_err());
        let number = doc.replace(&class, "1");
        assert!(serde_json::from_str::<ObjectRecord>(&number).is_err());
    }

    #[test]
    fn entry_has_every_listed_field_of_the_stored_record() {
        let mut rec = record();
        let encoded = encode(&mut rec).expect("encode");
        let entry = entry_from_json(&encoded.doc).expect("decode");
        assert_eq!(entry, ListEntry::from(rec));
    }

    #[test]
    fn entry_of_an_inline_record_without_optional_fields() {
        let mut rec = ObjectRecord {
            data: DataRef::Inline(ossd_meta::Bytes::from_static(b"hello")),
            restore: None,
            checksum: None,
            parts: Vec::new(),
            object_type: ObjectType::Appendable,
            storage_class: StorageClass::Standard,
            ..record()
        };
        let encoded = encode(&mut rec).expect("encode");
        assert!(!encoded.doc.contains("restore"), "{}", encoded.doc);
        // The bytes are beside the JSON, not in it, and the record keeps them.
        assert_eq!(encoded.inline(), Some(&b"hello"[..]));
        assert!(!encoded.doc.contains("104,101"), "{}", encoded.doc);
        assert_eq!(
            rec.data,
            DataRef::Inline(ossd_meta::Bytes::from_static(b"hello"))
        );
        let entry = entry_from_json(&encoded.doc).expect("decode");
        assert_eq!(entry, ListEntry::from(rec));
    }

    #[test]
    fn entry_ignores_unknown_fields_and_reads_old_documents() {
        // A record as written before `restore`, `checksum` and `parts` existed, plus a field
        // a later version might add.
        let doc = r#"{"bucket":"b","key":"a/b.txt","version_id":"null","revision":"r",
            "delete_marker":false,"size":11,"etag":"ABC","crc64":1,"last_modified_ms":5,
            "object_type":"Normal","storage_class":"IA","acl":"default","headers":[],
            "user_meta":[["x","y"]],"tags":[],"symlink_target":null,
            "data":{"Parts":[{"blob":"b1","size":11}]},"future":{"nested":[1,2,{"a":null}]}}"#;
        let entry = entry_from_json(doc).expect("decode");
        assert_eq!(
            entry,
            ListEntry {
                key: "a/b.txt".to_owned(),
                etag: "ABC".to_owned(),
                size: 11,
                last_modified_ms: 5,
                object_type: ObjectType::Normal,
                storage_class: StorageClass::Ia,
                restore: None,
            }
        );
    }

    #[test]
    fn listing_layout_round_trips_and_refuses_malformed_values() {
        let mut rec = record();
        rec.last_modified_ms = -1;
        let listed = Listed::of_record(&rec).expect("listing");
        let mut entry = decode_listing(&listed.listing).expect("decode");
        entry.key.clone_from(&rec.key);
        entry.restore.clone_from(&rec.restore);
        assert_eq!(entry, ListEntry::from(rec));
        assert!(decode_listing(&listed.listing[..LISTING_HEAD - 1]).is_none());
        let mut unknown = listed.listing.clone();
        unknown[1] = 9;
        assert!(decode_listing(&unknown).is_none());
        let mut not_utf8 = listed.listing;
        not_utf8.push(0xff);
        assert!(decode_listing(&not_utf8).is_none());
    }

    #[test]
    fn entry_refuses_unknown_spellings_and_missing_fields() {
        let doc = r#"{"key":"k","etag":"E","size":1,"last_modified_ms":0,
            "object_type":"Normal","storage_class":"Glacier"}"#;
        assert!(matches!(
            entry_from_json(doc),
            Err(ListedError::Spelling(_))
        ));
        let doc = r#"{"key":"k","etag":"E","last_modified_ms":0,
            "object_type":"Normal","storage_class":"Standard"}"#;
        assert!(matches!(entry_from_json(doc), Err(ListedError::Json(_))));
    }
}
