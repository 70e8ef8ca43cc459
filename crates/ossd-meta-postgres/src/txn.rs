//! The [`VersionTxn`] primitives in SQL, run inside one write transaction. They keep the
//! `current_versions` index (with its copy of each current record) and the `blob_refs` counts
//! in step with `versions`.
//!
//! **Locks** (crate docs, "Isolation"). [`VersionTxn::versioning`], which every write rule calls
//! first, takes the bucket row `FOR SHARE` and, for a write of a key's versions, that key's row
//! of `key_locks` (one statement). `FOR SHARE` lets the writes of one bucket hold the row
//! together while excluding `FOR UPDATE` and `UPDATE`, which every bucket-wide change takes
//! (versioning state, configuration, DeleteBucket): such a change waits for the writes in
//! flight and the writes after it see its result (READ COMMITTED: a new snapshot per
//! statement). The key row orders the writes of one key, so each reads the versions the
//! previous one committed. What the key's writes share with other keys needs no bucket lock:
//! - `versions`, `current_versions` (the newest version, the sequence `MAX(seq) + 1`): rows of
//!   that key only, changed only under its lock.
//! - `blob_refs`: a count shared by every version naming the blob (copies, other keys, other
//!   buckets). An increment is one upsert; a decrement locks the count's row first
//!   (`SELECT … FOR UPDATE`), then deletes the last reference or decrements, so two decrements
//!   never both read a count of 2 (a guarded `DELETE … WHERE count = 1` skips a row whose
//!   change is not committed yet). The blobs of one record are counted in sorted order, so two
//!   records sharing blobs lock them in one order.
//! - `bucket_stats`: one atomic upsert `… SET n = bucket_stats.n + excluded.n` per write, in
//!   the shard of the written key (`bucket_stats.rs`), so writers of different keys rarely
//!   meet on a row; when they do, the second waits only for the first's commit.
//! - uploads and parts: a write of an upload locks its row (`FOR UPDATE` in the lookup every
//!   upload rule starts with), so its parts change one writer at a time.
//!
//! Every transaction writes at most one key and at most one upload (the server's multi-key
//! requests, DeleteObjects and CopyObject, are one transaction per written key), and takes its
//! locks in one order: bucket, key, upload, blob counts, the figures' shard. Only blob counts can
//! then be locked in opposite orders by two writes (one record's blobs are locked sorted, but
//! a replacement drops the old record's blobs before it counts the new one's), and only when
//! versions of different keys share blobs; PostgreSQL detects that deadlock (`40P01`) and the
//! transaction is retried (`conn.rs`).

use crate::buckets;
use crate::codec::{column, encode, record_from_row};
use crate::conn::Conn;
use crate::error::bad_column;
use ossd_meta::versioning::VersionTxn;
use ossd_meta::{MetaError, ObjectRecord, StatsDelta};
use ossd_types::VersioningState;

/// Version operations inside the current write transaction of a connection.
pub(crate) struct SqlTxn<'a, 'c> {
    conn: &'a Conn<'c>,
    /// The key the transaction writes: its versions, or an upload of it.
    key: &'a [u8],
    /// Whether the transaction writes versions of `key`, so [`VersionTxn::versioning`] locks
    /// the key (an upload write locks its upload row instead).
    versions: bool,
}

impl<'a, 'c> SqlTxn<'a, 'c> {
    /// Operations on `conn`, which must be inside a write transaction, that write the versions
    /// of `key` (and possibly an upload of it).
    pub(crate) fn object(conn: &'a Conn<'c>, key: &'a str) -> Self {
        Self {
            conn,
            key: key.as_bytes(),
            versions: true,
        }
    }

    /// Operations on `conn`, which must be inside a write transaction, that write an upload of
    /// `key` or its parts but no version.
    pub(crate) fn upload(conn: &'a Conn<'c>, key: &'a str) -> Self {
        Self {
            conn,
            key: key.as_bytes(),
            versions: false,
        }
    }

    /// The connection (for the upload primitives).
    pub(crate) fn conn(&self) -> &'a Conn<'c> {
        self.conn
    }

    /// The sequence number and record of one version.
    fn find(
        &self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<Option<(i64, ObjectRecord)>, MetaError> {
        const SQL: &str = "SELECT seq, doc, inline FROM versions
                           WHERE bucket = $1 AND key = $2 AND version_id = $3";
        let found = self
            .conn
            .opt(SQL, &[&bucket, &key.as_bytes(), &version_id])?;
        found
            .map(|r| Ok((column(&r, 0)?, record_from_row(&r, 1)?)))
            .transpose()
    }

    /// Points `current_versions` at the newest version of `key`, or removes the key if that is
    /// a delete marker or there is none.
    fn refresh_current(&self, bucket: &str, key: &[u8]) -> Result<(), MetaError> {
        const NEWEST: &str = "SELECT seq, is_marker FROM versions
                              WHERE bucket = $1 AND key = $2 ORDER BY seq DESC LIMIT 1";
        let newest = self.conn.opt(NEWEST, &[&bucket, &key])?;
        let live = match newest {
            Some(row) if !column::<bool>(&row, 1)? => Some(column::<i64>(&row, 0)?),
            _ => None,
        };
        self.set_current(bucket, key, live)
    }

    /// Makes `current_versions` hold (a copy of) version `seq` of `key` (`None`: no current
    /// version).
    fn set_current(&self, bucket: &str, key: &[u8], seq: Option<i64>) -> Result<(), MetaError> {
        const SET: &str = "INSERT INTO current_versions (bucket, key, seq, doc)
                           SELECT bucket, key, seq, doc FROM versions
                           WHERE bucket = $1 AND key = $2 AND seq = $3
                           ON CONFLICT (bucket, key)
                           DO UPDATE SET seq = excluded.seq, doc = excluded.doc";
        const UNSET: &str = "DELETE FROM current_versions WHERE bucket = $1 AND key = $2";
        match seq {
            Some(seq) => self.conn.exec(SET, &[&bucket, &key, &seq])?,
            None => self.conn.exec(UNSET, &[&bucket, &key])?,
        };
        Ok(())
    }

    /// Adds one reference to (`add`) or drops one from each blob of `record`.
    fn count_blobs(&self, record: &ObjectRecord, add: bool) -> Result<(), MetaError> {
        const ADD: &str = "INSERT INTO blob_refs (blob, count) VALUES ($1, 1)
                           ON CONFLICT (blob) DO UPDATE SET count = blob_refs.count + 1";
        const COUNT: &str = "SELECT count FROM blob_refs WHERE blob = $1 FOR UPDATE";
        const DROP_LAST: &str = "DELETE FROM blob_refs WHERE blob = $1";
        const DROP_ONE: &str = "UPDATE blob_refs SET count = count - 1 WHERE blob = $1";
        let mut blobs: Vec<&str> = record.data.blob_ids().collect();
        blobs.sort_unstable();
        for blob in blobs {
            if add {
                self.conn.exec(ADD, &[&blob])?;
                continue;
            }
            // Locked before it is read: see the module docs.
            let Some(row) = self.conn.opt(COUNT, &[&blob])? else {
                continue;
            };
            if column::<i64>(&row, 0)? <= 1 {
                self.conn.exec(DROP_LAST, &[&blob])?;
            } else {
                self.conn.exec(DROP_ONE, &[&blob])?;
            }
        }
        Ok(())
    }
}

impl VersionTxn for SqlTxn<'_, '_> {
    fn versioning(&mut self, bucket: &str) -> Result<VersioningState, MetaError> {
        let state = if self.versions {
            buckets::share_with_key(self.conn, bucket, self.key)?
        } else {
            buckets::share(self.conn, bucket)?
        };
        VersioningState::parse(&state).map_err(|e| bad_column("a stored versioning state", e))
    }

    fn latest(&mut self, bucket: &str, key: &str) -> Result<Option<ObjectRecord>, MetaError> {
        const SQL: &str = "SELECT doc, inline FROM versions
                           WHERE bucket = $1 AND key = $2 ORDER BY seq DESC LIMIT 1";
        let found = self.conn.opt(SQL, &[&bucket, &key.as_bytes()])?;
        found.map(|r| record_from_row(&r, 0)).transpose()
    }

    fn version(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        Ok(self.find(bucket, key, version_id)?.map(|(_, r)| r))
    }

    fn push(&mut self, record: ObjectRecord) -> Result<(), MetaError> {
        const SQL: &str =
            "INSERT INTO versions (bucket, key, seq, version_id, is_marker, doc, inline)
            SELECT $1::text, $2::bytea, COALESCE(MAX(seq), 0) + 1, $3::text, $4::boolean, $5::text, $6::bytea
            FROM versions WHERE bucket = $1 AND key = $2
            RETURNING seq";
        let row = encode(&record)?;
        let (bucket, key) = (record.bucket.as_str(), record.key.as_bytes());
        let values: [&(dyn tokio_postgres::types::ToSql + Sync); 6] = [
            &bucket,
            &key,
            &record.version_id,
            &record.delete_marker,
            &row.doc,
            &row.inline,
        ];
        let inserted = self.conn.opt(SQL, &values)?;
        let seq: i64 = match inserted {
            Some(r) => column(&r, 0)?,
            None => return Err(MetaError::corrupt("a version insert returned no row")),
        };
        self.count_blobs(&record, true)?;
        self.set_current(bucket, key, (!record.delete_marker).then_some(seq))
    }

    fn remove(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        const SQL: &str = "DELETE FROM versions WHERE bucket = $1 AND key = $2 AND seq = $3";
        let Some((seq, record)) = self.find(bucket, key, version_id)? else {
            return Ok(None);
        };
        self.conn.exec(SQL, &[&bucket, &key.as_bytes(), &seq])?;
        self.count_blobs(&record, false)?;
        self.refresh_current(bucket, key.as_bytes())?;
        Ok(Some(record))
    }

    fn replace(&mut self, record: ObjectRecord) -> Result<(), MetaError> {
        const SQL: &str = "UPDATE versions SET is_marker = $4, doc = $5, inline = $6
                           WHERE bucket = $1 AND key = $2 AND seq = $3";
        let (bucket, key) = (record.bucket.as_str(), record.key.as_str());
        let Some((seq, old)) = self.find(bucket, key, &record.version_id)? else {
            return Err(MetaError::NoSuchVersion);
        };
        let row = encode(&record)?;
        let values: [&(dyn tokio_postgres::types::ToSql + Sync); 6] = [
            &bucket,
            &key.as_bytes(),
            &seq,
            &record.delete_marker,
            &row.doc,
            &row.inline,
        ];
        self.conn.exec(SQL, &values)?;
        self.count_blobs(&old, false)?;
        self.count_blobs(&record, true)?;
        self.refresh_current(bucket, key.as_bytes())
    }

    fn add_stats(&mut self, bucket: &str, delta: &StatsDelta) -> Result<(), MetaError> {
        let shard = crate::bucket_stats::shard(self.key);
        crate::bucket_stats::add(self.conn, bucket, shard, delta)
    }
}
