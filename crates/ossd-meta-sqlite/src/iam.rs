//! The IAM key-value space in SQL: reads on a reader connection, commits on the writer (inside the
//! mutation's savepoint, so a failed check rolls back nothing but itself).

use crate::error::sql;
use crate::stmt::{all, exec, one};
use ossd_meta::{IamCheck, IamItem, IamWrite, MetaError};
use rusqlite::{Connection, Row, params};

/// Reads one item.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<IamItem>, MetaError> {
    const SQL: &str = "SELECT value, revision FROM iam WHERE key = ?1";
    one(conn, SQL, [key], item_from_row)
}

/// Up to `limit` items with `prefix` after `after`, ascending.
pub(crate) fn scan(
    conn: &Connection,
    prefix: &str,
    after: &str,
    limit: usize,
) -> Result<Vec<(String, IamItem)>, MetaError> {
    const SQL: &str = "SELECT key, value, revision FROM iam
        WHERE key >= ?1 AND key > ?2 ORDER BY key LIMIT ?3";
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = all(conn, SQL, params![prefix, after, limit], |r| {
        Ok((r.get::<_, String>(0)?, item_at(r, 1)?))
    })?;
    Ok(rows
        .into_iter()
        .take_while(|(k, _)| k.starts_with(prefix))
        .collect())
}

/// Checks every condition, then applies the writes under one new revision.
pub(crate) fn commit(
    conn: &Connection,
    checks: &[IamCheck],
    writes: &[IamWrite],
) -> Result<(), MetaError> {
    for check in checks {
        if !holds(conn, check)? {
            return Err(MetaError::PreconditionFailed(None));
        }
    }
    if writes.is_empty() {
        return Ok(());
    }
    let revision = next_revision(conn)?;
    for write in writes {
        apply(conn, write, revision)?;
    }
    Ok(())
}

/// Whether one check holds in the current transaction.
fn holds(conn: &Connection, check: &IamCheck) -> Result<bool, MetaError> {
    const FIRST_FROM: &str = "SELECT key FROM iam WHERE key >= ?1 ORDER BY key LIMIT 1";
    match check {
        IamCheck::Revision { key, expected } => {
            let found = get(conn, key)?.map(|i| i.revision);
            Ok(found == *expected)
        }
        IamCheck::EmptyPrefix { prefix } => {
            let first: Option<String> = one(conn, FIRST_FROM, [prefix], |r| r.get(0))?;
            Ok(!first.is_some_and(|k| k.starts_with(prefix.as_str())))
        }
    }
}

/// Takes the next revision from the counter.
fn next_revision(conn: &Connection) -> Result<i64, MetaError> {
    const SQL: &str = "UPDATE iam_revision SET last = last + 1 WHERE id = 0 RETURNING last";
    let mut stmt = conn.prepare_cached(SQL).map_err(sql)?;
    stmt.query_row([], |r| r.get(0)).map_err(sql)
}

/// Applies one write at `revision`.
fn apply(conn: &Connection, write: &IamWrite, revision: i64) -> Result<(), MetaError> {
    const PUT: &str = "INSERT INTO iam (key, value, revision) VALUES (?1, ?2, ?3)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, revision = excluded.revision";
    const DELETE: &str = "DELETE FROM iam WHERE key = ?1";
    match write {
        IamWrite::Put { key, value } => exec(conn, PUT, params![key, value, revision])?,
        IamWrite::Delete { key } => exec(conn, DELETE, [key])?,
    };
    Ok(())
}

/// An item from a `value, revision` row.
fn item_from_row(row: &Row<'_>) -> rusqlite::Result<IamItem> {
    item_at(row, 0)
}

/// An item from the `value, revision` columns starting at `col`.
fn item_at(row: &Row<'_>, col: usize) -> rusqlite::Result<IamItem> {
    let revision: i64 = row.get(col + 1)?;
    Ok(IamItem {
        value: row.get(col)?,
        revision: u64::try_from(revision).map_err(|e| crate::error::bad_column(col + 1, e))?,
    })
}
