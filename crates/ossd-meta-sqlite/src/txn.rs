//! The [`VersionTxn`] primitives in SQL, run by the writer inside a mutation's savepoint. They keep
//! the `current` index and the `blob_refs` counts in step with `versions`.

use crate::codec::{Listed, encode, entry_from_row, record_from_row};
use crate::error::bad_column;
use crate::stmt;
use ossd_meta::versioning::VersionTxn;
use ossd_meta::{MetaError, NULL_VERSION, ObjectRecord, StatsDelta};
use ossd_types::VersioningState;
use rusqlite::{Connection, Params, Row, params};

/// Version operations on the writer's connection (inside the current transaction).
#[derive(Debug)]
pub(crate) struct SqlTxn<'c> {
    conn: &'c Connection,
    /// The record of the last version pushed, inline bytes included.
    pushed: Option<ObjectRecord>,
}

impl<'c> SqlTxn<'c> {
    /// Operations on `conn`, which must be inside a transaction.
    pub(crate) fn new(conn: &'c Connection) -> Self {
        Self { conn, pushed: None }
    }

    /// The record of the last version pushed (the newest version of its key), as stored.
    pub(crate) fn take_pushed(&mut self) -> Option<ObjectRecord> {
        self.pushed.take()
    }

    /// The connection, inside the current transaction (for the upload primitives).
    pub(crate) fn conn(&self) -> &'c Connection {
        self.conn
    }

    /// Runs one cached statement on the transaction.
    fn exec(&self, statement: &str, values: impl Params) -> Result<usize, MetaError> {
        stmt::exec(self.conn, statement, values)
    }

    /// Runs one cached query for at most one row on the transaction.
    fn row<T>(
        &self,
        statement: &str,
        values: impl Params,
        map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, MetaError> {
        stmt::one(self.conn, statement, values, map)
    }

    /// [`Self::find`] of a version whose id is not `null`.
    pub(crate) const FIND_BY_ID: &'static str = "SELECT id, doc, inline FROM versions
        WHERE bucket = ?1 AND key = ?2 AND version_id = ?3 AND version_id <> 'null'";
    /// [`Self::find`] of the `null` version.
    pub(crate) const FIND_NULL: &'static str = "SELECT id, doc, inline FROM versions
        WHERE bucket = ?1 AND key = ?2 AND version_id = 'null' ORDER BY seq DESC LIMIT 1";

    /// The row id and record of one version: by `versions_by_id` for an id other than `null`
    /// (the literal `version_id <> 'null'` lets SQLite use that partial index), through
    /// `versions_by_seq` for `null`, which the index leaves out since schema v6
    /// (`schema/v006_versions_by_id_partial.sql`): that reads the key's versions newest first
    /// until the `null` one, at most the versions of one key.
    fn find(
        &self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<Option<(i64, ObjectRecord)>, MetaError> {
        let decode = |r: &Row<'_>| Ok((r.get(0)?, record_from_row(r, 1)?));
        match version_id {
            NULL_VERSION => self.row(Self::FIND_NULL, params![bucket, key.as_bytes()], decode),
            id => self.row(
                Self::FIND_BY_ID,
                params![bucket, key.as_bytes(), id],
                decode,
            ),
        }
    }

    /// Points `current` at the newest version of `key`, or removes the key if that is a marker.
    fn refresh_current(&self, bucket: &str, key: &[u8]) -> Result<(), MetaError> {
        const NEWEST: &str = "SELECT id, is_marker, doc FROM versions
                              WHERE bucket = ?1 AND key = ?2 ORDER BY seq DESC LIMIT 1";
        let newest = self.row(NEWEST, params![bucket, key], |r| {
            match r.get::<_, bool>(1)? {
                true => Ok(None),
                false => Ok(Some((r.get::<_, i64>(0)?, entry_from_row(r, 2)?))),
            }
        })?;
        match newest.flatten() {
            Some((row, entry)) => {
                self.set_current(bucket, key, Some((row, Listed::of_entry(&entry)?)))
            }
            None => self.set_current(bucket, key, None),
        }
    }

    /// Makes `current` hold version row `row` (with its listing columns) for `key` (`None`: the
    /// key has no current version).
    fn set_current(
        &self,
        bucket: &str,
        key: &[u8],
        row: Option<(i64, Listed)>,
    ) -> Result<(), MetaError> {
        const SET: &str = "INSERT INTO current (bucket, key, version_row, listing, restore)
            VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (bucket, key) DO UPDATE SET version_row = excluded.version_row,
                listing = excluded.listing, restore = excluded.restore";
        const UNSET: &str = "DELETE FROM current WHERE bucket = ?1 AND key = ?2";
        match row {
            Some((row, l)) => self.exec(SET, params![bucket, key, row, l.listing, l.restore])?,
            None => self.exec(UNSET, params![bucket, key])?,
        };
        Ok(())
    }

    /// Adds one reference to (`add`) or drops one from each blob of `record`.
    fn count_blobs(&self, record: &ObjectRecord, add: bool) -> Result<(), MetaError> {
        const ADD: &str = "INSERT INTO blob_refs (blob, count) VALUES (?1, 1)
                           ON CONFLICT (blob) DO UPDATE SET count = count + 1";
        const DROP_LAST: &str = "DELETE FROM blob_refs WHERE blob = ?1 AND count = 1";
        const DROP_ONE: &str = "UPDATE blob_refs SET count = count - 1 WHERE blob = ?1";
        for blob in record.data.blob_ids() {
            if add {
                self.exec(ADD, [blob])?;
            } else if self.exec(DROP_LAST, [blob])? == 0 {
                self.exec(DROP_ONE, [blob])?;
            }
        }
        Ok(())
    }
}

impl VersionTxn for SqlTxn<'_> {
    fn versioning(&mut self, bucket: &str) -> Result<VersioningState, MetaError> {
        const SQL: &str = "SELECT versioning FROM buckets WHERE name = ?1";
        let state = self.row(SQL, [bucket], |r| {
            VersioningState::parse(r.get_ref(0)?.as_str()?).map_err(|e| bad_column(0, e))
        })?;
        state.ok_or(MetaError::NoSuchBucket)
    }

    fn latest(&mut self, bucket: &str, key: &str) -> Result<Option<ObjectRecord>, MetaError> {
        const SQL: &str = "SELECT doc, inline FROM versions
                           WHERE bucket = ?1 AND key = ?2 ORDER BY seq DESC LIMIT 1";
        self.row(SQL, params![bucket, key.as_bytes()], |r| {
            record_from_row(r, 0)
        })
    }

    fn version(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        Ok(self.find(bucket, key, version_id)?.map(|(_, r)| r))
    }

    fn push(&mut self, mut record: ObjectRecord) -> Result<(), MetaError> {
        const SQL: &str =
            "INSERT INTO versions (bucket, key, seq, version_id, is_marker, doc, inline)
            SELECT ?1, ?2, COALESCE(MAX(seq), 0) + 1, ?3, ?4, ?5, ?6
            FROM versions WHERE bucket = ?1 AND key = ?2";
        let row = encode(&mut record)?;
        let (bucket, key) = (record.bucket.as_str(), record.key.as_bytes());
        let values = params![
            bucket,
            key,
            record.version_id,
            record.delete_marker,
            row.doc,
            row.inline()
        ];
        self.exec(SQL, values)?;
        let current = match record.delete_marker {
            true => None,
            false => Some((self.conn.last_insert_rowid(), Listed::of_record(&record)?)),
        };
        self.count_blobs(&record, true)?;
        self.set_current(bucket, key, current)?;
        self.pushed = Some(record);
        Ok(())
    }

    fn remove(
        &mut self,
        bucket: &str,
        key: &str,
        version_id: &str,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        const SQL: &str = "DELETE FROM versions WHERE id = ?1";
        let Some((id, record)) = self.find(bucket, key, version_id)? else {
            return Ok(None);
        };
        self.exec(SQL, [id])?;
        self.count_blobs(&record, false)?;
        self.refresh_current(bucket, key.as_bytes())?;
        Ok(Some(record))
    }

    fn replace(&mut self, mut record: ObjectRecord) -> Result<(), MetaError> {
        const SQL: &str = "UPDATE versions SET is_marker = ?2, doc = ?3, inline = ?4 WHERE id = ?1";
        let (bucket, key) = (record.bucket.clone(), record.key.clone());
        let Some((id, old)) = self.find(&bucket, &key, &record.version_id)? else {
            return Err(MetaError::NoSuchVersion);
        };
        let row = encode(&mut record)?;
        let values = params![id, record.delete_marker, row.doc, row.inline()];
        self.exec(SQL, values)?;
        self.count_blobs(&old, false)?;
        self.count_blobs(&record, true)?;
        self.refresh_current(&bucket, key.as_bytes())
    }

    fn add_stats(&mut self, bucket: &str, delta: &StatsDelta) -> Result<(), MetaError> {
        crate::bucket_stats::add(self.conn, bucket, delta)
    }
}
