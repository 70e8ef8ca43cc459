//! The `bucket_stats` row of each bucket (schema v4): changed by the writer inside the write's
//! savepoint ([`add`]), read on a reader ([`get`]).

use crate::buckets::require;
use crate::stmt::{exec, one};
use ossd_meta::{BucketStats, ClassStats, MetaError, StatsDelta};
use rusqlite::{Connection, Row, ToSql};

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
/// forward.
pub(crate) fn add(conn: &Connection, bucket: &str, delta: &StatsDelta) -> Result<(), MetaError> {
    const SQL: &str = "UPDATE bucket_stats SET
        standard_objects = max(standard_objects + ?2, 0),
        standard_bytes = max(standard_bytes + ?3, 0),
        standard_billed = max(standard_billed + ?4, 0),
        ia_objects = max(ia_objects + ?5, 0),
        ia_bytes = max(ia_bytes + ?6, 0),
        ia_billed = max(ia_billed + ?7, 0),
        archive_objects = max(archive_objects + ?8, 0),
        archive_bytes = max(archive_bytes + ?9, 0),
        archive_billed = max(archive_billed + ?10, 0),
        cold_archive_objects = max(cold_archive_objects + ?11, 0),
        cold_archive_bytes = max(cold_archive_bytes + ?12, 0),
        cold_archive_billed = max(cold_archive_billed + ?13, 0),
        deep_cold_objects = max(deep_cold_objects + ?14, 0),
        deep_cold_bytes = max(deep_cold_bytes + ?15, 0),
        deep_cold_billed = max(deep_cold_billed + ?16, 0),
        delete_markers = max(delete_markers + ?17, 0),
        uploads = max(uploads + ?18, 0),
        parts = max(parts + ?19, 0),
        part_bytes = max(part_bytes + ?20, 0),
        last_modified_ms = max(last_modified_ms, ?21)
        WHERE bucket = ?1";
    let mut changes: Vec<i64> = Vec::with_capacity(COLUMNS.len());
    for class in &delta.classes {
        changes.extend([class.objects, class.bytes, class.billed_bytes]);
    }
    changes.extend([
        delta.delete_markers,
        delta.uploads,
        delta.parts,
        delta.part_bytes,
        delta.at_ms,
    ]);
    let mut values: Vec<&dyn ToSql> = Vec::with_capacity(changes.len() + 1);
    values.push(&bucket);
    values.extend(changes.iter().map(|v| v as &dyn ToSql));
    match exec(conn, SQL, values.as_slice())? {
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
