//! Rows to records and back: object records as JSON plus an `inline` BYTEA, buckets as columns,
//! upload and part records as JSON (the same encoding as the SQLite backend).

use crate::error::{PgError, bad_column, undecodable};
use ossd_meta::{BucketRecord, DataRef, MetaError, ObjectRecord};
use ossd_types::{BucketAcl, StorageClass, TypesError, VersioningState};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

/// An object record ready to store: its JSON (without inline bytes) and the inline bytes.
#[derive(Debug)]
pub(crate) struct EncodedRecord {
    /// The record as JSON; inline data is stored empty here.
    pub(crate) doc: String,
    /// The inline data, for records whose data is inline.
    pub(crate) inline: Option<Vec<u8>>,
}

/// Encodes `record` without changing it (the inline bytes are copied out).
pub(crate) fn encode(record: &ObjectRecord) -> Result<EncodedRecord, MetaError> {
    let (doc, inline) = match &record.data {
        DataRef::Inline(bytes) => {
            let empty = ObjectRecord {
                data: DataRef::Inline(ossd_meta::Bytes::new()),
                ..record.clone()
            };
            (to_json("object record", &empty)?, Some(bytes.to_vec()))
        }
        DataRef::Parts(_) => (to_json("object record", record)?, None),
    };
    Ok(EncodedRecord { doc, inline })
}

/// Reads column `col` as `T`.
pub(crate) fn column<'r, T: FromSql<'r>>(row: &'r Row, col: usize) -> Result<T, MetaError> {
    row.try_get(col)
        .map_err(|e| bad_column("a stored column", e))
}

/// Decodes an object record from the JSON in `doc` (an inline record comes with empty bytes).
pub(crate) fn decode_record(doc: &str) -> Result<ObjectRecord, MetaError> {
    serde_json::from_str(doc).map_err(|e| undecodable("stored object record", e))
}

/// Decodes an object record from columns `doc` (at `col`) and `inline` (at `col + 1`).
pub(crate) fn record_from_row(row: &Row, col: usize) -> Result<ObjectRecord, MetaError> {
    let mut record = decode_record(column(row, col)?)?;
    if let Some(bytes) = column::<Option<Vec<u8>>>(row, col + 1)? {
        record.data = DataRef::Inline(bytes.into());
    }
    Ok(record)
}

/// Decodes a bucket selected as `name, owner, created_ms, acl, storage_class, region,
/// versioning`.
pub(crate) fn bucket_from_row(row: &Row) -> Result<BucketRecord, MetaError> {
    Ok(BucketRecord {
        name: column(row, 0)?,
        owner: column(row, 1)?,
        created_ms: column(row, 2)?,
        acl: spelled(row, 3, BucketAcl::parse)?,
        storage_class: spelled(row, 4, StorageClass::parse)?,
        region: column(row, 5)?,
        versioning: spelled(row, 6, VersioningState::parse)?,
    })
}

/// Parses the text in column `col` with `parse` (one of the OSS-spelled enums).
pub(crate) fn spelled<T>(
    row: &Row,
    col: usize,
    parse: fn(&str) -> Result<T, TypesError>,
) -> Result<T, MetaError> {
    parse(column(row, col)?).map_err(|e| bad_column("a stored bucket setting", e))
}

/// Encodes a document stored as JSON (an upload or part record); `what` names it in errors.
pub(crate) fn to_json<T: Serialize>(what: &'static str, value: &T) -> Result<String, MetaError> {
    serde_json::to_string(value).map_err(|source| PgError::Encode { what, source }.into())
}

/// Decodes the JSON document in column `col`; `what` names it in errors.
pub(crate) fn json_from_row<T: DeserializeOwned>(
    row: &Row,
    col: usize,
    what: &'static str,
) -> Result<T, MetaError> {
    serde_json::from_str(column(row, col)?).map_err(|e| undecodable(what, e))
}

/// A count or length as a SQL BIGINT (values beyond `i64::MAX` do not occur; clamped).
pub(crate) fn bigint(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
