//! The `bucket_stats` rows of each bucket, 16 shards of its figures: changed inside the write's
//! transaction ([`add`], in the shard of the written key), summed by one statement ([`get`]).
//! One row per bucket would order every write of the bucket again, behind the row lock of the
//! figures held to the commit; with shards, writers of different keys mostly touch different
//! rows and PostgreSQL commits them together.

use crate::codec::column;
use crate::conn::Conn;
use ossd_meta::{BucketStats, ClassStats, MetaError, StatsDelta};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

/// How many rows hold the figures of a bucket.
const SHARDS: u64 = 16;

/// The shard of the figures that a write of `key` changes: FNV-1a (64 bits) of the key's bytes,
/// mod [`SHARDS`]; stable across nodes and builds.
pub(crate) fn shard(key: &[u8]) -> i16 {
    let hash = key.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    // The remainder is below 16.
    i16::try_from(hash % SHARDS).unwrap_or(0)
}

/// Applies `delta` to shard `shard` of `bucket`'s figures (inserted with the delta if missing):
/// relative increments, so they compose under concurrent writers; the time only moves forward.
/// A shard's counts are not clamped (see the migration, `v005`); [`get`] clamps the sums.
pub(crate) fn add(
    conn: &Conn<'_>,
    bucket: &str,
    shard: i16,
    delta: &StatsDelta,
) -> Result<(), MetaError> {
    const SQL: &str = "INSERT INTO bucket_stats (bucket, shard,
        standard_objects, standard_bytes, standard_billed, ia_objects, ia_bytes, ia_billed,
        archive_objects, archive_bytes, archive_billed,
        cold_archive_objects, cold_archive_bytes, cold_archive_billed,
        deep_cold_objects, deep_cold_bytes, deep_cold_billed,
        delete_markers, uploads, parts, part_bytes, last_modified_ms)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18, $19, $20, $21, $22)
        ON CONFLICT (bucket, shard) DO UPDATE SET
        standard_objects = bucket_stats.standard_objects + excluded.standard_objects,
        standard_bytes = bucket_stats.standard_bytes + excluded.standard_bytes,
        standard_billed = bucket_stats.standard_billed + excluded.standard_billed,
        ia_objects = bucket_stats.ia_objects + excluded.ia_objects,
        ia_bytes = bucket_stats.ia_bytes + excluded.ia_bytes,
        ia_billed = bucket_stats.ia_billed + excluded.ia_billed,
        archive_objects = bucket_stats.archive_objects + excluded.archive_objects,
        archive_bytes = bucket_stats.archive_bytes + excluded.archive_bytes,
        archive_billed = bucket_stats.archive_billed + excluded.archive_billed,
        cold_archive_objects = bucket_stats.cold_archive_objects + excluded.cold_archive_objects,
        cold_archive_bytes = bucket_stats.cold_archive_bytes + excluded.cold_archive_bytes,
        cold_archive_billed = bucket_stats.cold_archive_billed + excluded.cold_archive_billed,
        deep_cold_objects = bucket_stats.deep_cold_objects + excluded.deep_cold_objects,
        deep_cold_bytes = bucket_stats.deep_cold_bytes + excluded.deep_cold_bytes,
        deep_cold_billed = bucket_stats.deep_cold_billed + excluded.deep_cold_billed,
        delete_markers = bucket_stats.delete_markers + excluded.delete_markers,
        uploads = bucket_stats.uploads + excluded.uploads,
        parts = bucket_stats.parts + excluded.parts,
        part_bytes = bucket_stats.part_bytes + excluded.part_bytes,
        last_modified_ms = GREATEST(bucket_stats.last_modified_ms, excluded.last_modified_ms)";
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
    let mut values: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(changes.len() + 2);
    values.push(&bucket);
    values.push(&shard);
    values.extend(changes.iter().map(|v| v as &(dyn ToSql + Sync)));
    conn.exec(SQL, &values)?;
    Ok(())
}

/// Reads the figures of `bucket`, the sums of its shards; [`MetaError::NoSuchBucket`] if it
/// does not exist.
pub(crate) fn get(conn: &Conn<'_>, bucket: &str) -> Result<BucketStats, MetaError> {
    const SQL: &str = "SELECT SUM(s.standard_objects)::bigint, SUM(s.standard_bytes)::bigint,
        SUM(s.standard_billed)::bigint,
        SUM(s.ia_objects)::bigint, SUM(s.ia_bytes)::bigint, SUM(s.ia_billed)::bigint,
        SUM(s.archive_objects)::bigint, SUM(s.archive_bytes)::bigint,
        SUM(s.archive_billed)::bigint,
        SUM(s.cold_archive_objects)::bigint, SUM(s.cold_archive_bytes)::bigint,
        SUM(s.cold_archive_billed)::bigint,
        SUM(s.deep_cold_objects)::bigint, SUM(s.deep_cold_bytes)::bigint,
        SUM(s.deep_cold_billed)::bigint,
        SUM(s.delete_markers)::bigint, SUM(s.uploads)::bigint, SUM(s.parts)::bigint,
        SUM(s.part_bytes)::bigint, MAX(s.last_modified_ms), b.name
        FROM buckets b LEFT JOIN bucket_stats s ON s.bucket = b.name WHERE b.name = $1
        GROUP BY b.name";
    match conn.opt(SQL, &[&bucket])? {
        Some(row) => stats_from_row(&row),
        None => Err(MetaError::NoSuchBucket),
    }
}

/// Decodes the figures selected by [`get`] (no row, or a negative sum, reads as zero).
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
