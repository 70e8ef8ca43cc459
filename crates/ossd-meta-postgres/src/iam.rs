//! The IAM key-value space in SQL. A commit first locks the one row of `iam_revision`, so IAM
//! commits run one after another and each check sees every earlier commit.

use crate::codec::{bigint, column};
use crate::conn::Conn;
use crate::error::PgError;
use ossd_meta::{IamCheck, IamItem, IamWrite, MetaError};
use tokio_postgres::Row;

/// Reads one item.
pub(crate) fn get(conn: &Conn<'_>, key: &str) -> Result<Option<IamItem>, MetaError> {
    const SQL: &str = "SELECT value, revision FROM iam WHERE key = $1";
    conn.opt(SQL, &[&key])?.map(|r| item_at(&r, 0)).transpose()
}

/// Up to `limit` items with `prefix` after `after`, ascending: a range of the primary key.
pub(crate) fn scan(
    conn: &Conn<'_>,
    prefix: &str,
    after: &str,
    limit: usize,
) -> Result<Vec<(String, IamItem)>, MetaError> {
    const BOUNDED: &str = "SELECT key, value, revision FROM iam
        WHERE key >= $1 AND key > $2 AND key < $3 ORDER BY key LIMIT $4";
    const OPEN: &str = "SELECT key, value, revision FROM iam
        WHERE key >= $1 AND key > $2 ORDER BY key LIMIT $3";
    let limit = bigint(limit);
    let rows = match text_successor(prefix) {
        Some(end) => conn.query(BOUNDED, &[&prefix, &after, &end, &limit])?,
        None => conn.query(OPEN, &[&prefix, &after, &limit])?,
    };
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let key: String = column(row, 0)?;
        if !key.starts_with(prefix) {
            break;
        }
        items.push((key, item_at(row, 1)?));
    }
    Ok(items)
}

/// The smallest string that sorts (by UTF-8 bytes, which is code point order) after every
/// string starting with `prefix`; `None` for the empty prefix (or one of only `char::MAX`).
pub(crate) fn text_successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// Checks every condition, then applies the writes under one new revision; with `notify`, each
/// written key is announced to the other nodes when the transaction commits
/// (docs/scale-out.md, "Caches").
pub(crate) fn commit(
    conn: &Conn<'_>,
    notify: bool,
    checks: &[IamCheck],
    writes: &[IamWrite],
) -> Result<(), MetaError> {
    const LOCK: &str = "SELECT last FROM iam_revision WHERE id = 0 FOR UPDATE";
    const NEXT: &str = "UPDATE iam_revision SET last = last + 1 WHERE id = 0 RETURNING last";
    if conn.opt(LOCK, &[])?.is_none() {
        return Err(MetaError::corrupt("the IAM revision counter is missing"));
    }
    for check in checks {
        if !holds(conn, check)? {
            return Err(MetaError::PreconditionFailed(None));
        }
    }
    if writes.is_empty() {
        return Ok(());
    }
    let revision: i64 = match conn.opt(NEXT, &[])? {
        Some(row) => column(&row, 0)?,
        None => return Err(MetaError::corrupt("the IAM revision counter is missing")),
    };
    for write in writes {
        apply(conn, write, revision)?;
        if notify {
            let key = match write {
                IamWrite::Put { key, .. } | IamWrite::Delete { key } => key,
            };
            crate::cluster::notify(conn, crate::cluster::ChangeKind::Iam, key)?;
        }
    }
    Ok(())
}

/// Whether one check holds in the current transaction.
fn holds(conn: &Conn<'_>, check: &IamCheck) -> Result<bool, MetaError> {
    const FIRST_FROM: &str = "SELECT key FROM iam WHERE key >= $1 ORDER BY key LIMIT 1";
    match check {
        IamCheck::Revision { key, expected } => {
            let found = get(conn, key)?.map(|i| i.revision);
            Ok(found == *expected)
        }
        IamCheck::EmptyPrefix { prefix } => {
            let first = conn.opt(FIRST_FROM, &[prefix])?;
            let first: Option<String> = first.map(|r| column(&r, 0)).transpose()?;
            Ok(!first.is_some_and(|k| k.starts_with(prefix.as_str())))
        }
    }
}

/// Applies one write at `revision`.
fn apply(conn: &Conn<'_>, write: &IamWrite, revision: i64) -> Result<(), MetaError> {
    const PUT: &str = "INSERT INTO iam (key, value, revision) VALUES ($1, $2, $3)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, revision = excluded.revision";
    const DELETE: &str = "DELETE FROM iam WHERE key = $1";
    match write {
        IamWrite::Put { key, value } => conn.exec(PUT, &[key, value, &revision])?,
        IamWrite::Delete { key } => conn.exec(DELETE, &[key])?,
    };
    Ok(())
}

/// An item from the `value, revision` columns starting at `col`.
fn item_at(row: &Row, col: usize) -> Result<IamItem, MetaError> {
    let revision: i64 = column(row, col + 1)?;
    Ok(IamItem {
        value: column(row, col)?,
        revision: u64::try_from(revision).map_err(|_| PgError::Range("IAM revision"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::text_successor;

    #[test]
    fn successors_stay_text() {
        assert_eq!(text_successor("user/"), Some("user0".to_owned()));
        assert_eq!(text_successor(""), None);
        assert_eq!(text_successor("a\u{D7FF}"), Some("a\u{E000}".to_owned()));
        assert_eq!(text_successor("a\u{10FFFF}"), Some("b".to_owned()));
        assert!(text_successor("é").is_some_and(|s| s.as_bytes() > "é".as_bytes()));
    }
}
