//! The `bucket_stats` row of each bucket (schema v4): changed by the writer inside the write's
//! savepoint ([`add`]), read on a reader ([`get`]).

use crate::buckets::require;
use crate::stmt::{exec, one};
use ossd_meta::{BucketStats, ClassStats, MetaError, StatsDelta};
use rusqlite::{Connection, Row, ToSql};
use std::fmt::Write as _;

/// The columns of the figures, in the order of [`BucketStats`]: three per storage class (in the
/// order of [`ossd_meta::STAT_CLASSES`]), then markers, uploads, parts, part bytes, time.
const COLUMNS: [&str; 20] = [
    "standard_objects",
    "standard_bytes",
    "standard_billed",
    "ia_objects",
    "ia_bytes",
    "ia_billed",
    "archive_objects",
    "archive_bytes",
    "archive_billed",
    "cold_archive_objects",
    "cold_archive_bytes",
    "cold_archive_billed",
    "deep_cold_objects",
    "deep_cold_bytes",
    "deep_cold_billed",
    "delete_markers",
    "uploads",
    "parts",
    "part_bytes",
    "last_modified_ms",
];

/// Adds the zero row of a new bucket.
pub(crate) fn create(conn: &Connection, bucket: &str) -> Result<(), MetaError> {
    const SQL: &str = "INSERT INTO bucket_stats (bucket) VALUES (?1) ON CONFLICT DO NOTHING";
    exec(conn, SQL, [bucket])?;
    Ok(())
}

/// Applies `delta` to the row of `bucket`: counts move and stay at or above zero, the time only
/// forward. Only the columns `delta` changes are named (a PUT changes three of the nineteen
/// counts): each distinct set is one cached statement, and SQLite evaluates no `max(c + 0, 0)` for
/// the others (which, since no count is ever negative, would leave them as they are).
pub(crate) fn add(conn: &Connection, bucket: &str, delta: &StatsDelta) -> Result<(), MetaError> {
    let mut changes: Vec<i64> = Vec::with_capacity(COLUMNS.len() - 1);
    for class in &delta.classes {
        changes.extend([class.objects, class.bytes, class.billed_bytes]);
    }
    changes.extend([
        delta.delete_markers,
        delta.uploads,
        delta.parts,
        delta.part_bytes,
    ]);
    let mut sql = String::with_capacity(256);
    sql.push_str("UPDATE bucket_stats SET last_modified_ms = max(last_modified_ms, ?2)");
    let mut values: Vec<&dyn ToSql> = Vec::with_capacity(COLUMNS.len() + 1);
    values.extend([&bucket as &dyn ToSql, &delta.at_ms]);
    for (column, change) in COLUMNS.iter().zip(&changes) {
        if *change != 0 {
            values.push(change);
            let n = values.len();
            // Writing to a String cannot fail.
            let _ = write!(sql, ", {column} = max({column} + ?{n}, 0)");
        }
    }
    sql.push_str(" WHERE bucket = ?1");
    match exec(conn, &sql, values.as_slice())? {
        0 => Err(MetaError::NoSuchBucket),
        _ => Ok(()),
    }
}

/// Reads the figures of `bucket`; [`MetaError::NoSuchBucket`] if it does not exist.
pub(crate) fn get(conn: &Connection, bucket: &str) -> Result<BucketStats, MetaError> {
    require(conn, bucket)?;
    let statement = format!(
        "SELECT {} FROM bucket_stats WHERE bucket = ?1",
        COLUMNS.join(", ")
    );
    let found = one(conn, &statement, [bucket], stats_from_row)?;
    Ok(found.unwrap_or_default())
}

/// Decodes a row selected with [`COLUMNS`] (a negative count, which [`add`] never writes,
/// reads as zero).
fn stats_from_row(row: &Row<'_>) -> rusqlite::Result<BucketStats> {
    let count = |col: usize| -> rusqlite::Result<u64> {
        Ok(u64::try_from(row.get::<_, i64>(col)?).unwrap_or(0))
    };
    let mut stats = BucketStats::default();
    for (i, class) in stats.classes.iter_mut().enumerate() {
        *class = ClassStats {
            objects: count(3 * i)?,
            bytes: count(3 * i + 1)?,
            billed_bytes: count(3 * i + 2)?,
        };
    }
    stats.delete_markers = count(15)?;
    stats.uploads = count(16)?;
    stats.parts = count(17)?;
    stats.part_bytes = count(18)?;
    stats.last_modified_ms = row.get(19)?;
    Ok(stats)
}
