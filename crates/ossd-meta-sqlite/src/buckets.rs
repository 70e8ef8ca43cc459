//! Bucket and bucket-configuration statements (writes run on the writer, reads on a reader).

use crate::codec::{BUCKET_COLUMNS, bucket_from_row};
use crate::error::sql;
use crate::stmt::{exec, one};
use ossd_meta::{BucketRecord, BucketSwap, ConfigSwap, MetaError};
use rusqlite::{Connection, params};

/// Inserts a bucket; the name must be free.
pub(crate) fn create(conn: &Connection, b: &BucketRecord) -> Result<(), MetaError> {
    const SQL: &str =
        "INSERT INTO buckets (name, owner, created_ms, acl, storage_class, region, versioning)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO NOTHING";
    let values = params![
        b.name,
        b.owner,
        b.created_ms,
        b.acl.as_str(),
        b.storage_class.as_str(),
        b.region,
        b.versioning.as_str()
    ];
    match exec(conn, SQL, values)? {
        0 => Err(MetaError::BucketAlreadyExists),
        _ => crate::bucket_stats::create(conn, &b.name),
    }
}

/// Replaces an existing bucket's record.
pub(crate) fn update(conn: &Connection, b: &BucketRecord) -> Result<(), MetaError> {
    const SQL: &str =
        "UPDATE buckets SET owner = ?2, created_ms = ?3, acl = ?4, storage_class = ?5,
        region = ?6, versioning = ?7 WHERE name = ?1";
    let values = params![
        b.name,
        b.owner,
        b.created_ms,
        b.acl.as_str(),
        b.storage_class.as_str(),
        b.region,
        b.versioning.as_str()
    ];
    match exec(conn, SQL, values)? {
        0 => Err(MetaError::NoSuchBucket),
        _ => Ok(()),
    }
}

/// Replaces the record of bucket `expected.name` with `b` if it is still `expected` (run on the
/// writer, so nothing commits between the read and the update).
pub(crate) fn swap(
    conn: &Connection,
    expected: &BucketRecord,
    b: &BucketRecord,
) -> Result<BucketSwap, MetaError> {
    if b.name != expected.name {
        return Err(MetaError::NotSupported("renaming a bucket"));
    }
    let current = get(conn, &expected.name)?.ok_or(MetaError::NoSuchBucket)?;
    if current != *expected {
        return Ok(BucketSwap::Changed(Box::new(current)));
    }
    update(conn, b)?;
    Ok(BucketSwap::Swapped)
}

/// Deletes a bucket with no versions and no uploads left, its configuration and its figures.
pub(crate) fn delete(conn: &Connection, name: &str) -> Result<(), MetaError> {
    const ANY_VERSION: &str = "SELECT 1 FROM versions WHERE bucket = ?1 LIMIT 1";
    const ANY_UPLOAD: &str = "SELECT 1 FROM uploads WHERE bucket = ?1 LIMIT 1";
    require(conn, name)?;
    for any in [ANY_VERSION, ANY_UPLOAD] {
        if one(conn, any, [name], |_| Ok(()))?.is_some() {
            return Err(MetaError::BucketNotEmpty);
        }
    }
    exec(conn, "DELETE FROM bucket_config WHERE bucket = ?1", [name])?;
    exec(conn, "DELETE FROM bucket_stats WHERE bucket = ?1", [name])?;
    exec(conn, "DELETE FROM buckets WHERE name = ?1", [name])?;
    Ok(())
}

/// Writes (`Some`) or removes (`None`) a configuration document of an existing bucket.
pub(crate) fn put_config(
    conn: &Connection,
    bucket: &str,
    kind: &str,
    doc: Option<&str>,
) -> Result<(), MetaError> {
    const SET: &str = "INSERT INTO bucket_config (bucket, kind, doc) VALUES (?1, ?2, ?3)
        ON CONFLICT (bucket, kind) DO UPDATE SET doc = excluded.doc";
    const UNSET: &str = "DELETE FROM bucket_config WHERE bucket = ?1 AND kind = ?2";
    require(conn, bucket)?;
    match doc {
        Some(doc) => exec(conn, SET, params![bucket, kind, doc])?,
        None => exec(conn, UNSET, params![bucket, kind])?,
    };
    Ok(())
}

/// Writes or removes a configuration document of an existing bucket if it is still `expected`;
/// otherwise leaves it and returns it.
pub(crate) fn swap_config(
    conn: &Connection,
    bucket: &str,
    kind: &str,
    expected: Option<&str>,
    doc: Option<&str>,
) -> Result<ConfigSwap, MetaError> {
    let current = get_config(conn, bucket, kind)?;
    if current.as_deref() != expected {
        return Ok(ConfigSwap::Changed(current));
    }
    put_config(conn, bucket, kind, doc)?;
    Ok(ConfigSwap::Swapped)
}

/// Reads a bucket.
pub(crate) fn get(conn: &Connection, name: &str) -> Result<Option<BucketRecord>, MetaError> {
    let statement = format!("SELECT {BUCKET_COLUMNS} FROM buckets WHERE name = ?1");
    one(conn, &statement, [name], bucket_from_row)
}

/// Fails with [`MetaError::NoSuchBucket`] unless bucket `name` exists.
pub(crate) fn require(conn: &Connection, name: &str) -> Result<(), MetaError> {
    match one(
        conn,
        "SELECT 1 FROM buckets WHERE name = ?1",
        [name],
        |_| Ok(()),
    )? {
        Some(()) => Ok(()),
        None => Err(MetaError::NoSuchBucket),
    }
}

/// Reads a configuration document of an existing bucket.
pub(crate) fn get_config(
    conn: &Connection,
    bucket: &str,
    kind: &str,
) -> Result<Option<String>, MetaError> {
    const SQL: &str = "SELECT doc FROM bucket_config WHERE bucket = ?1 AND kind = ?2";
    require(conn, bucket)?;
    one(conn, SQL, [bucket, kind], |r| r.get(0))
}

/// Up to `max` buckets of `owner` named with `prefix` after `marker`, and whether more follow.
pub(crate) fn list(
    conn: &Connection,
    owner: &str,
    prefix: &str,
    marker: &str,
    max: usize,
) -> Result<(Vec<BucketRecord>, bool), MetaError> {
    if max == 0 {
        return Ok((Vec::new(), false));
    }
    let statement = format!(
        "SELECT {BUCKET_COLUMNS} FROM buckets WHERE owner = ?1 AND name >= ?2 AND name > ?3 ORDER BY name"
    );
    let mut stmt = conn.prepare_cached(&statement).map_err(sql)?;
    let rows = stmt
        .query_map([owner, prefix, marker], bucket_from_row)
        .map_err(sql)?;
    let mut found = Vec::new();
    for row in rows {
        let bucket = row.map_err(sql)?;
        if !bucket.name.starts_with(prefix) || found.len() == max {
            return Ok((found, bucket.name.starts_with(prefix)));
        }
        found.push(bucket);
    }
    Ok((found, false))
}
