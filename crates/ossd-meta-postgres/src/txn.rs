//! The [`VersionTxn`] primitives in SQL, run inside one write transaction. They keep the
//! `current_versions` index (with its copy of each current record) and the `blob_refs` counts
//! in step with `versions`.
//!
//! [`VersionTxn::versioning`], which every write rule calls first, locks the bucket row
//! (`SELECT … FOR UPDATE`): the writes of one bucket run one after another, so each sees the
//! rows the previous one committed (READ COMMITTED takes a new snapshot per statement).

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
}

impl<'a, 'c> SqlTxn<'a, 'c> {
    /// Operations on `conn`, which must be inside a write transaction.
    pub(crate) fn new(conn: &'a Conn<'c>) -> Self {
        Self { conn }
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
        const DROP_LAST: &str = "DELETE FROM blob_refs WHERE blob = $1 AND count = 1";
        const DROP_ONE: &str = "UPDATE blob_refs SET count = count - 1 WHERE blob = $1";
        for blob in record.data.blob_ids() {
            if add {
                self.conn.exec(ADD, &[&blob])?;
            } else if self.conn.exec(DROP_LAST, &[&blob])? == 0 {
                self.conn.exec(DROP_ONE, &[&blob])?;
            }
        }
        Ok(())
    }
}

impl VersionTxn for SqlTxn<'_, '_> {
    fn versioning(&mut self, bucket: &str) -> Result<VersioningState, MetaError> {
        let state = buckets::lock(self.conn, bucket)?;
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
        crate::bucket_stats::add(self.conn, bucket, delta)
    }
}
