//! Object reads: one version (whole, or without its inline bytes) in one statement each,
//! listings (keyset cursors that never read inline bytes), blob references.

use crate::buckets::require;
use crate::codec::{column, decode_record, record_from_row};
use crate::conn::Conn;
use crate::cursor::{CurrentCursor, VersionsCursor};
use ossd_meta::{
    ListPage, ListQuery, ListVersionsQuery, MetaError, ObjectRecord, VersionsPage, listing,
};

/// Reads one version, or the newest (possibly a delete marker) when `version_id` is `None`;
/// with `meta_only`, without the `inline` column. One statement: the bucket row, joined with
/// the version if there is one (no row at all: [`MetaError::NoSuchBucket`]).
pub(crate) fn get(
    conn: &Conn<'_>,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    meta_only: bool,
) -> Result<Option<ObjectRecord>, MetaError> {
    const LATEST: &str = "SELECT v.doc, v.inline FROM buckets b
        LEFT JOIN LATERAL (SELECT doc, inline FROM versions
            WHERE bucket = b.name AND key = $2 ORDER BY seq DESC LIMIT 1) v ON TRUE
        WHERE b.name = $1";
    const LATEST_META: &str = "SELECT v.doc FROM buckets b
        LEFT JOIN LATERAL (SELECT doc FROM versions
            WHERE bucket = b.name AND key = $2 ORDER BY seq DESC LIMIT 1) v ON TRUE
        WHERE b.name = $1";
    const BY_ID: &str = "SELECT v.doc, v.inline FROM buckets b
        LEFT JOIN versions v ON v.bucket = b.name AND v.key = $2 AND v.version_id = $3
        WHERE b.name = $1";
    const BY_ID_META: &str = "SELECT v.doc FROM buckets b
        LEFT JOIN versions v ON v.bucket = b.name AND v.key = $2 AND v.version_id = $3
        WHERE b.name = $1";
    let key = key.as_bytes();
    let row = match (version_id, meta_only) {
        (None, false) => conn.opt(LATEST, &[&bucket, &key])?,
        (None, true) => conn.opt(LATEST_META, &[&bucket, &key])?,
        (Some(id), false) => conn.opt(BY_ID, &[&bucket, &key, &id])?,
        (Some(id), true) => conn.opt(BY_ID_META, &[&bucket, &key, &id])?,
    };
    let Some(row) = row else {
        return Err(MetaError::NoSuchBucket);
    };
    if column::<Option<&str>>(&row, 0)?.is_none() {
        return Ok(None);
    }
    if meta_only {
        decode_record(column(&row, 0)?).map(Some)
    } else {
        record_from_row(&row, 0).map(Some)
    }
}

/// The first read of a listing: the whole page when there is no delimiter to skip over.
pub(crate) fn first_chunk(delimiter: Option<&str>, max_keys: usize) -> usize {
    match delimiter {
        Some(d) if !d.is_empty() => 0,
        _ => max_keys.saturating_add(1),
    }
}

/// One ListObjects page.
pub(crate) fn list(conn: &Conn<'_>, query: &ListQuery) -> Result<ListPage, MetaError> {
    require(conn, &query.bucket)?;
    let first = first_chunk(query.delimiter.as_deref(), query.max_keys);
    let cursor = CurrentCursor::new(conn, &query.bucket, &query.prefix, first);
    listing::list_objects(&mut listing::Entries(cursor), query)
}

/// One ListObjectVersions page.
pub(crate) fn list_versions(
    conn: &Conn<'_>,
    query: &ListVersionsQuery,
) -> Result<VersionsPage, MetaError> {
    require(conn, &query.bucket)?;
    let first = first_chunk(query.delimiter.as_deref(), query.max_keys);
    let mut cursor = VersionsCursor::new(conn, &query.bucket, &query.prefix, first);
    listing::list_versions(&mut cursor, query)
}

/// For each blob id, whether any version (`blob_refs`) or any part of an upload in progress
/// (`parts_by_blob`) references it; one statement for the whole batch.
pub(crate) fn blobs_referenced(
    conn: &Conn<'_>,
    blob_ids: &[String],
) -> Result<Vec<bool>, MetaError> {
    const SQL: &str = "SELECT blob FROM blob_refs WHERE blob = ANY($1)
        UNION SELECT blob FROM parts WHERE blob = ANY($1)";
    if blob_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = conn.query(SQL, &[&blob_ids])?;
    let mut referenced = std::collections::HashSet::with_capacity(rows.len());
    for row in &rows {
        referenced.insert(column::<String>(row, 0)?);
    }
    Ok(blob_ids.iter().map(|id| referenced.contains(id)).collect())
}
