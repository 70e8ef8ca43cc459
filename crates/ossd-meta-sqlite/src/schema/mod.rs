//! Opening connections (pragmas) and schema migrations by `PRAGMA user_version`.
//!
//! Migration `n` (1-based) brings the schema from version `n - 1` to `n` in one transaction. Later
//! features (multipart uploads, IAM) append migrations; never edit a released one.

use crate::error::{SqliteError, sql};
use ossd_meta::MetaError;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

#[cfg(test)]
mod tests;

/// The migrations, in order; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("v001_objects.sql"),
    include_str!("v002_iam.sql"),
    include_str!("v003_uploads.sql"),
    include_str!("v004_bucket_stats.sql"),
    include_str!("v005_current_listing.sql"),
    include_str!("v006_versions_by_id_partial.sql"),
];

/// How long a connection waits for a lock before failing with `SQLITE_BUSY`.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema version this build writes.
pub(crate) fn current_version() -> usize {
    MIGRATIONS.len()
}

/// Opens (creating if needed) the database for writing: files private (0600), WAL,
/// `synchronous=FULL`, foreign keys on, and migrated to the current schema.
pub(crate) fn open_writer(path: &Path) -> Result<Connection, MetaError> {
    crate::perms::private_files(path)?;
    let mut conn = Connection::open(path).map_err(sql)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(sql)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(SqliteError::NotWal(mode).into());
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(sql)?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(sql)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Prepared statements each reader connection keeps (rusqlite's default is 16).
const READER_STATEMENT_CACHE: usize = 64;

/// Opens a read-only connection to an existing database.
pub(crate) fn open_reader(path: &Path) -> Result<Connection, MetaError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
    conn.pragma_update(None, "query_only", true).map_err(sql)?;
    // The query planner stability guarantee (https://www.sqlite.org/c3ref/c_dbconfig_defensive.html):
    // without it a statement whose `LIMIT ?` (every listing's) SQLite read as a constant when
    // planning is compiled again each time the limit is bound (≈ 100k instructions a page).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
        .map_err(sql)?;
    // Room for every statement a reader runs (object, listing, version, upload, IAM and
    // transaction statements), so the hot ones are not evicted and compiled again.
    conn.set_prepared_statement_cache_capacity(READER_STATEMENT_CACHE);
    Ok(conn)
}

/// Applies the migrations the database lacks; refuses a database newer than this build.
fn migrate(conn: &mut Connection) -> Result<(), MetaError> {
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(sql)?;
    let found = usize::try_from(found).unwrap_or(usize::MAX);
    if found > MIGRATIONS.len() {
        return Err(MetaError::SchemaTooNew {
            found: u64::try_from(found).unwrap_or(u64::MAX),
            supported: MIGRATIONS.len() as u64,
        });
    }
    apply(conn, found, MIGRATIONS.len())
}

/// Applies migrations `found + 1 ..= target`, each in its own transaction.
fn apply(conn: &mut Connection, found: usize, target: usize) -> Result<(), MetaError> {
    for (done, migration) in MIGRATIONS.iter().enumerate().take(target).skip(found) {
        let tx = conn.transaction().map_err(sql)?;
        tx.execute_batch(migration).map_err(sql)?;
        let version = i64::try_from(done + 1).map_err(MetaError::backend)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
    }
    Ok(())
}
