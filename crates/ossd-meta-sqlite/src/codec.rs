//! Rows to records and back: object records as JSON plus an `inline` BLOB, buckets as columns,
//! upload and part records as JSON.

use crate::error::{SqliteError, bad_column, undecodable};
use ossd_meta::{BucketRecord, DataRef, MetaError, ObjectRecord};
use ossd_types::{BucketAcl, StorageClass, TypesError, VersioningState};
use rusqlite::Row;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The columns that select a [`BucketRecord`], in [`bucket_from_row`]'s order.
pub(crate) const BUCKET_COLUMNS: &str =
    "name, owner, created_ms, acl, storage_class, region, versioning";

/// An object record ready to store: its JSON (without inline bytes) and the inline bytes.
#[derive(Debug)]
pub(crate) struct EncodedRecord {
    /// The record as JSON; inline data is stored empty here.
    pub doc: String,
    /// The inline data, for records whose data is inline.
    pub inline: Option<Vec<u8>>,
}

/// Encodes `record`, moving its inline bytes (if any) out of it.
pub(crate) fn encode(record: &mut ObjectRecord) -> Result<EncodedRecord, MetaError> {
    let inline = match &mut record.data {
        DataRef::Inline(bytes) => Some(std::mem::take(bytes)),
        DataRef::Parts(_) => None,
    };
    let doc = serde_json::to_string(record).map_err(|source| SqliteError::Encode {
        what: "object record",
        source,
    })?;
    Ok(EncodedRecord { doc, inline })
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
        record.data = DataRef::Inline(bytes);
    }
    Ok(record)
}

/// Decodes an object record from column `doc` (at `col`) alone: an inline record comes with an
/// empty [`DataRef::Inline`] (the JSON stores it so), for metadata-only reads.
pub(crate) fn meta_from_row(row: &Row<'_>, col: usize) -> rusqlite::Result<ObjectRecord> {
    let doc = row.get_ref(col)?.as_str()?;
    serde_json::from_str(doc).map_err(|e| bad_column(col, e))
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
