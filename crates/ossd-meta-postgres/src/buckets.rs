//! Bucket and bucket-configuration statements, and the bucket and key locks of writes. Bucket-wide
//! writes lock the bucket row `FOR UPDATE` (see the crate docs), so they are ordered with every
//! object and upload write of the bucket, which hold it `FOR SHARE`.

use crate::codec::{bigint, bucket_from_row, column};
use crate::conn::Conn;
use ossd_meta::{BucketRecord, BucketSwap, ConfigSwap, MetaError};

/// Inserts a bucket and its zero figures; the name must be free.
pub(crate) fn create(conn: &Conn<'_>, b: &BucketRecord) -> Result<(), MetaError> {
    const SQL: &str =
        "INSERT INTO buckets (name, owner, created_ms, acl, storage_class, region, versioning)
        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING";
    const STATS: &str = "INSERT INTO bucket_stats (bucket) VALUES ($1)";
    let values: [&(dyn tokio_postgres::types::ToSql + Sync); 7] = [
        &b.name,
        &b.owner,
        &b.created_ms,
        &b.acl.as_str(),
        &b.storage_class.as_str(),
        &b.region,
        &b.versioning.as_str(),
    ];
    if conn.exec(SQL, &values)? == 0 {
        return Err(MetaError::BucketAlreadyExists);
    }
    conn.exec(STATS, &[&b.name])?;
    Ok(())
}

/// Replaces an existing bucket's record.
pub(crate) fn update(conn: &Conn<'_>, b: &BucketRecord) -> Result<(), MetaError> {
    const SQL: &str = "UPDATE buckets SET owner = $2, created_ms = $3, acl = $4,
        storage_class = $5, region = $6, versioning = $7 WHERE name = $1";
    let values: [&(dyn tokio_postgres::types::ToSql + Sync); 7] = [
        &b.name,
        &b.owner,
        &b.created_ms,
        &b.acl.as_str(),
        &b.storage_class.as_str(),
        &b.region,
        &b.versioning.as_str(),
    ];
    match conn.exec(SQL, &values)? {
        0 => Err(MetaError::NoSuchBucket),
        _ => Ok(()),
    }
}

/// Replaces the record of bucket `expected.name` with `b` if it is still `expected`: the row is
/// read under its lock, so nothing commits between the compare and the update.
pub(crate) fn swap(
    conn: &Conn<'_>,
    expected: &BucketRecord,
    b: &BucketRecord,
) -> Result<BucketSwap, MetaError> {
    const SQL: &str = "SELECT name, owner, created_ms, acl, storage_class, region, versioning
        FROM buckets WHERE name = $1 FOR UPDATE";
    if b.name != expected.name {
        return Err(MetaError::NotSupported("renaming a bucket"));
    }
    let current = match conn.opt(SQL, &[&expected.name])? {
        Some(row) => bucket_from_row(&row)?,
        None => return Err(MetaError::NoSuchBucket),
    };
    if current != *expected {
        return Ok(BucketSwap::Changed(Box::new(current)));
    }
    update(conn, b)?;
    Ok(BucketSwap::Swapped)
}

/// Deletes a bucket with no versions and no uploads left, its configuration and its figures.
pub(crate) fn delete(conn: &Conn<'_>, name: &str) -> Result<(), MetaError> {
    const ANY_VERSION: &str = "SELECT 1 FROM versions WHERE bucket = $1 LIMIT 1";
    const ANY_UPLOAD: &str = "SELECT 1 FROM uploads WHERE bucket = $1 LIMIT 1";
    lock(conn, name)?;
    for any in [ANY_VERSION, ANY_UPLOAD] {
        if conn.opt(any, &[&name])?.is_some() {
            return Err(MetaError::BucketNotEmpty);
        }
    }
    conn.exec("DELETE FROM bucket_config WHERE bucket = $1", &[&name])?;
    conn.exec("DELETE FROM bucket_stats WHERE bucket = $1", &[&name])?;
    conn.exec("DELETE FROM current_versions WHERE bucket = $1", &[&name])?;
    conn.exec("DELETE FROM key_locks WHERE bucket = $1", &[&name])?;
    conn.exec("DELETE FROM buckets WHERE name = $1", &[&name])?;
    Ok(())
}

/// Locks the row of bucket `name` exclusively until the transaction ends and returns its
/// versioning state as stored; [`MetaError::NoSuchBucket`] if it does not exist. Every
/// bucket-wide write (configuration, DeleteBucket) starts here.
pub(crate) fn lock(conn: &Conn<'_>, name: &str) -> Result<String, MetaError> {
    const SQL: &str = "SELECT versioning FROM buckets WHERE name = $1 FOR UPDATE";
    match conn.opt(SQL, &[&name])? {
        Some(row) => column(&row, 0),
        None => Err(MetaError::NoSuchBucket),
    }
}

/// As [`lock`], but shared with the other writes of the bucket's objects and uploads
/// (`FOR SHARE`): the bucket-wide writes wait for them and they for those.
pub(crate) fn share(conn: &Conn<'_>, name: &str) -> Result<String, MetaError> {
    const SQL: &str = "SELECT versioning FROM buckets WHERE name = $1 FOR SHARE";
    match conn.opt(SQL, &[&name])? {
        Some(row) => column(&row, 0),
        None => Err(MetaError::NoSuchBucket),
    }
}

/// [`share`], then the lock of `key`'s row in `key_locks` (inserted if missing; the upsert locks
/// it either way), in one statement: the bucket row is read first and the key row only if the
/// bucket exists. Every write of a key's versions starts here.
pub(crate) fn share_with_key(conn: &Conn<'_>, name: &str, key: &[u8]) -> Result<String, MetaError> {
    const SQL: &str = "WITH b AS (SELECT versioning FROM buckets WHERE name = $1 FOR SHARE),
        k AS (INSERT INTO key_locks (bucket, key) SELECT $1, $2 FROM b
              ON CONFLICT (bucket, key) DO UPDATE SET key = excluded.key RETURNING 1)
        SELECT b.versioning, (SELECT count(*) FROM k) FROM b";
    match conn.opt(SQL, &[&name, &key])? {
        Some(row) => column(&row, 0),
        None => Err(MetaError::NoSuchBucket),
    }
}

/// Removes the lock row of `key` if the key has no version left (it is taken again, inserted,
/// by the next write); the transaction keeps the row's lock until it ends.
pub(crate) fn release_key(conn: &Conn<'_>, name: &str, key: &[u8]) -> Result<(), MetaError> {
    const SQL: &str = "DELETE FROM key_locks WHERE bucket = $1 AND key = $2
        AND NOT EXISTS (SELECT 1 FROM versions WHERE bucket = $1 AND key = $2)";
    conn.exec(SQL, &[&name, &key])?;
    Ok(())
}

/// Writes (`Some`) or removes (`None`) a configuration document of an existing bucket.
pub(crate) fn put_config(
    conn: &Conn<'_>,
    bucket: &str,
    kind: &str,
    doc: Option<&str>,
) -> Result<(), MetaError> {
    const SET: &str = "INSERT INTO bucket_config (bucket, kind, doc) VALUES ($1, $2, $3)
        ON CONFLICT (bucket, kind) DO UPDATE SET doc = excluded.doc";
    const UNSET: &str = "DELETE FROM bucket_config WHERE bucket = $1 AND kind = $2";
    lock(conn, bucket)?;
    match doc {
        Some(doc) => conn.exec(SET, &[&bucket, &kind, &doc])?,
        None => conn.exec(UNSET, &[&bucket, &kind])?,
    };
    Ok(())
}

/// Writes or removes a configuration document of an existing bucket if it is still `expected`;
/// otherwise leaves it and returns it. The bucket row lock makes the compare and the set one step.
pub(crate) fn swap_config(
    conn: &Conn<'_>,
    bucket: &str,
    kind: &str,
    expected: Option<&str>,
    doc: Option<&str>,
) -> Result<ConfigSwap, MetaError> {
    lock(conn, bucket)?;
    let current = config(conn, bucket, kind)?;
    if current.as_deref() != expected {
        return Ok(ConfigSwap::Changed(current));
    }
    put_config(conn, bucket, kind, doc)?;
    Ok(ConfigSwap::Swapped)
}

/// Reads a bucket.
pub(crate) fn get(conn: &Conn<'_>, name: &str) -> Result<Option<BucketRecord>, MetaError> {
    const SQL: &str = "SELECT name, owner, created_ms, acl, storage_class, region, versioning
        FROM buckets WHERE name = $1";
    conn.opt(SQL, &[&name])?
        .map(|row| bucket_from_row(&row))
        .transpose()
}

/// Reads a configuration document; [`MetaError::NoSuchBucket`] if the bucket does not exist
/// (one statement: the bucket row, joined with the document if there is one).
pub(crate) fn get_config(
    conn: &Conn<'_>,
    bucket: &str,
    kind: &str,
) -> Result<Option<String>, MetaError> {
    const SQL: &str = "SELECT c.doc FROM buckets b
        LEFT JOIN bucket_config c ON c.bucket = b.name AND c.kind = $2 WHERE b.name = $1";
    match conn.opt(SQL, &[&bucket, &kind])? {
        Some(row) => column(&row, 0),
        None => Err(MetaError::NoSuchBucket),
    }
}

/// The configuration document `kind` of `bucket` (which exists), in the current transaction.
fn config(conn: &Conn<'_>, bucket: &str, kind: &str) -> Result<Option<String>, MetaError> {
    const SQL: &str = "SELECT doc FROM bucket_config WHERE bucket = $1 AND kind = $2";
    conn.opt(SQL, &[&bucket, &kind])?
        .map(|row| column(&row, 0))
        .transpose()
}

/// Fails with [`MetaError::NoSuchBucket`] unless bucket `name` exists.
pub(crate) fn require(conn: &Conn<'_>, name: &str) -> Result<(), MetaError> {
    match conn.opt("SELECT 1 FROM buckets WHERE name = $1", &[&name])? {
        Some(_) => Ok(()),
        None => Err(MetaError::NoSuchBucket),
    }
}

/// Up to `max` buckets of `owner` named with `prefix` after `marker`, and whether more follow
/// (a keyset range of `buckets_by_owner`, one row more than asked).
pub(crate) fn list(
    conn: &Conn<'_>,
    owner: &str,
    prefix: &str,
    marker: &str,
    max: usize,
) -> Result<(Vec<BucketRecord>, bool), MetaError> {
    const SQL: &str = "SELECT name, owner, created_ms, acl, storage_class, region, versioning
        FROM buckets WHERE owner = $1 AND name >= $2 AND name > $3 ORDER BY name LIMIT $4";
    if max == 0 {
        return Ok((Vec::new(), false));
    }
    let limit = bigint(max.saturating_add(1));
    let rows = conn.query(SQL, &[&owner, &prefix, &marker, &limit])?;
    let mut found = Vec::new();
    for row in rows {
        let bucket = bucket_from_row(&row)?;
        if !bucket.name.starts_with(prefix) {
            return Ok((found, false));
        }
        if found.len() == max {
            return Ok((found, true));
        }
        found.push(bucket);
    }
    Ok((found, false))
}
