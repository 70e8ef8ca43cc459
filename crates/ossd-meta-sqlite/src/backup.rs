//! Online backup: `VACUUM INTO` on a dedicated connection copies the database as of one read
//! transaction (writers go on meanwhile) into a new compact file, which is then summarized —
//! counts and the referenced blobs — from the copy itself.

use std::path::Path;

use ossd_meta::{MetaError, MetaSnapshot};
use rusqlite::{Connection, OpenFlags};

use crate::error::{SqliteError, sql};

/// How long the copy waits for a lock (the WAL index) before failing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Blob ids referenced by any version (`blob_refs`) or uploaded part (`parts`).
const REFERENCED_BLOBS: &str = "SELECT blob FROM blob_refs UNION SELECT blob FROM parts ORDER BY 1";
/// Buckets, versions, current objects and their total size.
const COUNTS: &str = "SELECT (SELECT count(*) FROM buckets), (SELECT count(*) FROM versions), \
     count(*), coalesce(sum(json_extract(v.doc, '$.size')), 0) \
     FROM current c JOIN versions v ON v.id = c.version_row";

/// Copies the database at `source` into the new file `dest` and summarizes the copy.
pub(crate) fn backup(source: &Path, dest: &Path) -> Result<MetaSnapshot, MetaError> {
    if dest.exists() {
        return Err(SqliteError::BackupExists(dest.to_path_buf()).into());
    }
    let dest_text = dest
        .to_str()
        .ok_or_else(|| SqliteError::PathNotUtf8(dest.to_path_buf()))?;
    // Not a pooled reader: those are `query_only`, which refuses `VACUUM INTO`. This connection
    // only reads `source`; it writes the new file.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(source, flags).map_err(sql)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
    conn.execute("VACUUM INTO ?1", [dest_text]).map_err(sql)?;
    drop(conn);
    summarize(dest)
}

/// Counts and referenced blobs of the database file at `path`.
pub(crate) fn summarize(path: &Path) -> Result<MetaSnapshot, MetaError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
    let (buckets, versions, objects, object_bytes) = conn
        .query_row(COUNTS, [], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .map_err(sql)?;
    let mut stmt = conn.prepare(REFERENCED_BLOBS).map_err(sql)?;
    let blobs = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    let count = |v: i64| u64::try_from(v).unwrap_or(0);
    Ok(MetaSnapshot {
        buckets: count(buckets),
        objects: count(objects),
        versions: count(versions),
        object_bytes: count(object_bytes),
        blobs,
    })
}
