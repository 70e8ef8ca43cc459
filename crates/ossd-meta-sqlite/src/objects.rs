//! Object reads on a reader connection: one version (whole, or without its inline bytes),
//! listings (which never read inline bytes), blob references (of versions and of upload parts).

use crate::buckets::require;
use crate::codec::{meta_from_row, record_from_row};
use crate::cursor::{CurrentCursor, VersionsCursor};
use crate::stmt::one;
use ossd_meta::{
    ListPage, ListQuery, ListVersionsQuery, MetaError, NULL_VERSION, ObjectRecord, VersionsPage,
    listing,
};
use rusqlite::{Connection, params};

/// [`get`] of a version whose id is not `null`.
pub(crate) const GET_BY_ID: &str = "SELECT * FROM (SELECT doc, inline FROM versions
        WHERE bucket = ?1 AND key = ?2 AND version_id = ?3 AND version_id <> 'null')
    UNION ALL SELECT NULL, NULL FROM buckets WHERE name = ?1";
/// [`get`] of the `null` version.
pub(crate) const GET_NULL: &str = "SELECT * FROM (SELECT doc, inline FROM versions
        WHERE bucket = ?1 AND key = ?2 AND version_id = 'null' ORDER BY seq DESC LIMIT 1)
    UNION ALL SELECT NULL, NULL FROM buckets WHERE name = ?1";
/// [`get_meta`] of a version whose id is not `null`.
pub(crate) const META_BY_ID: &str = "SELECT * FROM (SELECT doc FROM versions
        WHERE bucket = ?1 AND key = ?2 AND version_id = ?3 AND version_id <> 'null')
    UNION ALL SELECT NULL FROM buckets WHERE name = ?1";
/// [`get_meta`] of the `null` version.
pub(crate) const META_NULL: &str = "SELECT * FROM (SELECT doc FROM versions
        WHERE bucket = ?1 AND key = ?2 AND version_id = 'null' ORDER BY seq DESC LIMIT 1)
    UNION ALL SELECT NULL FROM buckets WHERE name = ?1";

/// Reads one version, or the newest (possibly a delete marker) when `version_id` is `None`.
///
/// One statement (so one snapshot, without a transaction around it): the version's row if it
/// exists, else a row of NULLs if the bucket exists, else none ([`MetaError::NoSuchBucket`]).
/// `UNION ALL` runs its parts in order and the first row ends the read, so a found version
/// costs no bucket lookup: its row implies the bucket's (`versions.bucket` references
/// `buckets`, and a bucket with versions cannot be deleted).
///
/// A version id other than `null` is found through the partial index `versions_by_id` (the
/// literal `version_id <> 'null'` lets SQLite use it); the `null` version, which that index leaves
/// out since schema v6 (`schema/v006_versions_by_id_partial.sql`), through `versions_by_seq`,
/// reading the key's versions newest first until it (at most the versions of one key).
pub(crate) fn get(
    conn: &Connection,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
) -> Result<Option<ObjectRecord>, MetaError> {
    const LATEST: &str = "SELECT * FROM (SELECT doc, inline FROM versions
            WHERE bucket = ?1 AND key = ?2 ORDER BY seq DESC LIMIT 1)
        UNION ALL SELECT NULL, NULL FROM buckets WHERE name = ?1";
    let decode = |r: &rusqlite::Row<'_>| found(r, |r| record_from_row(r, 0));
    let row = match version_id {
        None => one(conn, LATEST, params![bucket, key.as_bytes()], decode),
        Some(NULL_VERSION) => one(conn, GET_NULL, params![bucket, key.as_bytes()], decode),
        Some(id) => one(conn, GET_BY_ID, params![bucket, key.as_bytes(), id], decode),
    };
    row?.ok_or(MetaError::NoSuchBucket)
}

/// As [`get`] (the same lookups by version id), without reading the `inline` column: an inline
/// record comes with an empty [`ossd_meta::DataRef::Inline`] (HEAD and ACL checks never use the
/// bytes).
pub(crate) fn get_meta(
    conn: &Connection,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
) -> Result<Option<ObjectRecord>, MetaError> {
    const LATEST: &str = "SELECT * FROM (SELECT doc FROM versions
            WHERE bucket = ?1 AND key = ?2 ORDER BY seq DESC LIMIT 1)
        UNION ALL SELECT NULL FROM buckets WHERE name = ?1";
    let decode = |r: &rusqlite::Row<'_>| found(r, |r| meta_from_row(r, 0));
    let row = match version_id {
        None => one(conn, LATEST, params![bucket, key.as_bytes()], decode),
        Some(NULL_VERSION) => one(conn, META_NULL, params![bucket, key.as_bytes()], decode),
        Some(id) => one(
            conn,
            META_BY_ID,
            params![bucket, key.as_bytes(), id],
            decode,
        ),
    };
    row?.ok_or(MetaError::NoSuchBucket)
}

/// A row of [`get`] or [`get_meta`]: the version decoded by `decode`, or `None` when its `doc`
/// (column 0) is NULL (the bucket's row: no such version).
fn found(
    row: &rusqlite::Row<'_>,
    decode: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<ObjectRecord>,
) -> rusqlite::Result<Option<ObjectRecord>> {
    match row.get_ref(0)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => decode(row).map(Some),
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
pub(crate) fn list(conn: &Connection, query: &ListQuery) -> Result<ListPage, MetaError> {
    require(conn, &query.bucket)?;
    let first = first_chunk(query.delimiter.as_deref(), query.max_keys);
    let mut cursor = CurrentCursor::new(conn, &query.bucket, &query.prefix, first);
    listing::list_objects(&mut cursor, query)
}

/// One ListObjectVersions page.
pub(crate) fn list_versions(
    conn: &Connection,
    query: &ListVersionsQuery,
) -> Result<VersionsPage, MetaError> {
    require(conn, &query.bucket)?;
    let first = first_chunk(query.delimiter.as_deref(), query.max_keys);
    let mut cursor = VersionsCursor::new(conn, &query.bucket, &query.prefix, first);
    listing::list_versions(&mut cursor, query)
}

/// Whether blob `?1` is referenced: by a version (`blob_refs`) or by a part (`parts_by_blob`).
pub(crate) const BLOB_REFERENCED: &str =
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM blob_refs WHERE blob = ?1)
    OR EXISTS (SELECT 1 FROM parts WHERE blob = ?1)";

/// For each blob id, whether any version or any part of an upload in progress references it.
pub(crate) fn blobs_referenced(
    conn: &Connection,
    blob_ids: &[String],
) -> Result<Vec<bool>, MetaError> {
    blob_ids
        .iter()
        .map(|id| Ok(one(conn, BLOB_REFERENCED, [id], |_| Ok(()))?.is_some()))
        .collect()
}
