//! The `bucket_stats` row of each bucket: changed inside the write's transaction ([`add`]),
//! read with one statement ([`get`]).

use crate::codec::column;
use crate::conn::Conn;
use ossd_meta::{BucketStats, ClassStats, MetaError, StatsDelta};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

/// Applies `delta` to the row of `bucket`: counts move and stay at or above zero, the time only
/// forward. The increments are relative, so they also compose under concurrent writers.
pub(crate) fn add(conn: &Conn<'_>, bucket: &str, delta: &StatsDelta) -> Result<(), MetaError> {
    const SQL: &str = "UPDATE bucket_stats SET
        standard_objects = GREATEST(standard_objects + $2, 0),
        standard_bytes = GREATEST(standard_bytes + $3, 0),
        standard_billed = GREATEST(standard_billed + $4, 0),
        ia_objects = GREATEST(ia_objects + $5, 0),
        ia_bytes = GREATEST(ia_bytes + $6, 0),
        ia_billed = GREATEST(ia_billed + $7, 0),
        archive_objects = GREATEST(archive_objects + $8, 0),
        archive_bytes = GREATEST(archive_bytes + $9, 0),
        archive_billed = GREATEST(archive_billed + $10, 0),
        cold_archive_objects = GREATEST(cold_archive_objects + $11, 0),
        cold_archive_bytes = GREATEST(cold_archive_bytes + $12, 0),
        cold_archive_billed = GREATEST(cold_archive_billed + $13, 0),
        deep_cold_objects = GREATEST(deep_cold_objects + $14, 0),
        deep_cold_bytes = GREATEST(deep_cold_bytes + $15, 0),
        deep_cold_billed = GREATEST(deep_cold_billed + $16, 0),
        delete_markers = GREATEST(delete_markers + $17, 0),
        uploads = GREATEST(uploads + $18, 0),
        parts = GREATEST(parts + $19, 0),
        part_bytes = GREATEST(part_bytes + $20, 0),
        last_modified_ms = GREATEST(last_modified_ms, $21)
        WHERE bucket = $1";
    let mut changes: Vec<i64> = Vec::with_capacity(20);
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
    let mut values: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(changes.len() + 1);
    values.push(&bucket);
    values.extend(changes.iter().map(|v| v as &(dyn ToSql + Sync)));
    match conn.exec(SQL, &values)? {
        0 => Err(MetaError::NoSuchBucket),
        _ => Ok(()),
    }
}

/// Reads the figures of `bucket`; [`MetaError::NoSuchBucket`] if it does not exist.
pub(crate) fn get(conn: &Conn<'_>, bucket: &str) -> Result<BucketStats, MetaError> {
    const SQL: &str = "SELECT s.standard_objects, s.standard_bytes, s.standard_billed,
        s.ia_objects, s.ia_bytes, s.ia_billed,
        s.archive_objects, s.archive_bytes, s.archive_billed,
        s.cold_archive_objects, s.cold_archive_bytes, s.cold_archive_billed,
        s.deep_cold_objects, s.deep_cold_bytes, s.deep_cold_billed,
        s.delete_markers, s.uploads, s.parts, s.part_bytes, s.last_modified_ms, b.name
        FROM buckets b LEFT JOIN bucket_stats s ON s.bucket = b.name WHERE b.name = $1";
    match conn.opt(SQL, &[&bucket])? {
        Some(row) => stats_from_row(&row),
        None => Err(MetaError::NoSuchBucket),
    }
}

/// Decodes the figures selected by [`get`] (a missing row or a negative count, which [`add`]
/// never writes, reads as zero).
fn stats_from_row(row: &Row) -> Result<BucketStats, MetaError> {
    let count = |col: usize| -> Result<u64, MetaError> {
        let value: Option<i64> = column(row, col)?;
        Ok(value.and_then(|v| u64::try_from(v).ok()).unwrap_or(0))
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
    stats.last_modified_ms = column::<Option<i64>>(row, 19)?.unwrap_or(0);
    Ok(stats)
}
