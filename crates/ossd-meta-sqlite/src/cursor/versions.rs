//! The cursor over all versions: keys in byte order, newest version first within a key.

use super::Chunks;
use crate::codec::RawRecord;
use crate::stmt;
use ossd_meta::listing::{RecordCursor, key_successor};
use ossd_meta::{MetaError, NULL_VERSION, ObjectRecord};
use rusqlite::{Connection, Row, params};
use std::collections::VecDeque;

/// Versions of keys from `?2` (inclusive) up to `?3` (exclusive).
pub(super) const FROM_BOUNDED: &str = "SELECT doc, key, seq FROM versions
    WHERE bucket = ?1 AND key >= ?2 AND key < ?3 ORDER BY key, seq DESC LIMIT ?4";
/// Versions of keys from `?2` (inclusive) to the end of the bucket.
pub(super) const FROM_OPEN: &str = "SELECT doc, key, seq FROM versions
    WHERE bucket = ?1 AND key >= ?2 ORDER BY key, seq DESC LIMIT ?3";
/// The rest of key `?2`'s versions, older than `?3`.
pub(super) const SAME_KEY: &str = "SELECT doc, key, seq FROM versions
    WHERE bucket = ?1 AND key = ?2 AND seq < ?3 ORDER BY seq DESC LIMIT ?4";

/// The sequence number of one version of a key, by id other than `null`: the literal
/// `version_id <> 'null'` lets SQLite use the partial index `versions_by_id`
/// (`schema/v006_versions_by_id_partial.sql`).
pub(super) const SEQ_OF: &str = "SELECT seq FROM versions
    WHERE bucket = ?1 AND key = ?2 AND version_id = ?3 AND version_id <> 'null'";
/// The sequence number of key `?2`'s `null` version, which `versions_by_id` leaves out: read
/// through `versions_by_seq`, the key's versions newest first until it (at most the versions of
/// one key).
pub(super) const SEQ_OF_NULL: &str = "SELECT seq FROM versions
    WHERE bucket = ?1 AND key = ?2 AND version_id = 'null' ORDER BY seq DESC LIMIT 1";

/// Where the next read starts.
#[derive(Debug)]
enum Position {
    /// At the first version of the first key `>=` this.
    From(Vec<u8>),
    /// After this version (key and sequence number).
    After(Vec<u8>, i64),
    /// Past the end.
    Done,
}

/// One row read: the record and its place.
type VersionRow = (RawRecord, Vec<u8>, i64);

/// Every version of each key with the prefix.
#[derive(Debug)]
pub(crate) struct VersionsCursor<'c> {
    conn: &'c Connection,
    bucket: String,
    chunks: Chunks,
    position: Position,
    buffer: VecDeque<RawRecord>,
}

impl<'c> VersionsCursor<'c> {
    /// A cursor over `bucket`'s versions with `prefix`; `first` sizes the first read.
    pub(crate) fn new(conn: &'c Connection, bucket: &str, prefix: &str, first: usize) -> Self {
        let chunks = Chunks::new(prefix, first);
        let (bucket, buffer) = (bucket.to_owned(), VecDeque::new());
        Self {
            conn,
            bucket,
            chunks,
            position: Position::Done,
            buffer,
        }
    }

    /// Up to `limit` versions starting at the first version of the first key `>= from`.
    fn read_from(&self, from: &[u8], limit: usize) -> Result<Vec<VersionRow>, MetaError> {
        let n = i64::try_from(limit).unwrap_or(i64::MAX);
        match &self.chunks.end {
            Some(end) => stmt::all(
                self.conn,
                FROM_BOUNDED,
                params![self.bucket, from, end, n],
                row,
            ),
            None => stmt::all(self.conn, FROM_OPEN, params![self.bucket, from, n], row),
        }
    }

    /// Up to `limit` versions after (`key`, `seq`): the rest of that key, then the next keys.
    fn read_after(&self, key: &[u8], seq: i64, limit: usize) -> Result<Vec<VersionRow>, MetaError> {
        let n = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = stmt::all(self.conn, SAME_KEY, params![self.bucket, key, seq, n], row)?;
        if rows.len() < limit {
            rows.extend(self.read_from(&key_successor(key), limit - rows.len())?);
        }
        Ok(rows)
    }

    /// Reads the next chunk into the buffer.
    fn fill(&mut self) -> Result<(), MetaError> {
        let limit = self.chunks.take();
        let rows = match std::mem::replace(&mut self.position, Position::Done) {
            Position::Done => return Ok(()),
            Position::From(from) => self.read_from(&from, limit)?,
            Position::After(key, seq) => self.read_after(&key, seq, limit)?,
        };
        if rows.len() == limit
            && let Some((_, key, seq)) = rows.last()
        {
            self.position = Position::After(key.clone(), *seq);
        }
        self.buffer
            .extend(rows.into_iter().map(|(record, ..)| record));
        Ok(())
    }
}

/// Decodes a row selected as `doc, key, seq`.
fn row(r: &Row<'_>) -> rusqlite::Result<VersionRow> {
    Ok((RawRecord::from_row(r, 0)?, r.get(1)?, r.get(2)?))
}

impl RecordCursor for VersionsCursor<'_> {
    fn seek(&mut self, from: &[u8]) -> Result<(), MetaError> {
        self.buffer.clear();
        self.chunks.restart();
        self.position = Position::From(from.to_vec());
        Ok(())
    }

    fn seek_after_version(&mut self, key: &[u8], version_id: &str) -> Result<bool, MetaError> {
        let read = |r: &Row<'_>| r.get::<_, i64>(0);
        let seq = match version_id {
            NULL_VERSION => stmt::one(self.conn, SEQ_OF_NULL, params![self.bucket, key], read)?,
            id => stmt::one(self.conn, SEQ_OF, params![self.bucket, key, id], read)?,
        };
        let Some(seq) = seq else { return Ok(false) };
        self.buffer.clear();
        self.chunks.restart();
        self.position = Position::After(key.to_vec(), seq);
        Ok(true)
    }

    fn next(&mut self) -> Result<Option<ObjectRecord>, MetaError> {
        if self.buffer.is_empty() {
            self.fill()?;
        }
        self.buffer.pop_front().map(RawRecord::decode).transpose()
    }
}
