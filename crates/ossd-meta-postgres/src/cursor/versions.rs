//! The cursor over all versions: keys in byte order, newest version first within a key (a range
//! of the `versions_by_seq` index).

use super::Chunks;
use crate::codec::{bigint, column, decode_record};
use crate::conn::Conn;
use ossd_meta::listing::{RecordCursor, key_successor};
use ossd_meta::{MetaError, ObjectRecord};
use std::collections::VecDeque;
use tokio_postgres::Row;

/// Versions of keys from `$2` (inclusive) up to `$3` (exclusive).
const FROM_BOUNDED: &str = "SELECT doc, key, seq FROM versions
    WHERE bucket = $1 AND key >= $2 AND key < $3 ORDER BY key, seq DESC LIMIT $4";
/// Versions of keys from `$2` (inclusive) to the end of the bucket.
const FROM_OPEN: &str = "SELECT doc, key, seq FROM versions
    WHERE bucket = $1 AND key >= $2 ORDER BY key, seq DESC LIMIT $3";
/// The rest of key `$2`'s versions, older than `$3`.
const SAME_KEY: &str = "SELECT doc, key, seq FROM versions
    WHERE bucket = $1 AND key = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4";
/// The sequence number of one version of a key.
const SEQ_OF: &str = "SELECT seq FROM versions WHERE bucket = $1 AND key = $2 AND version_id = $3";

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

/// One row read: the record's JSON and its place.
type VersionRow = (String, Vec<u8>, i64);

/// Every version of each key with the prefix.
pub(crate) struct VersionsCursor<'a, 'c> {
    conn: &'a Conn<'c>,
    bucket: String,
    chunks: Chunks,
    position: Position,
    buffer: VecDeque<String>,
}

impl<'a, 'c> VersionsCursor<'a, 'c> {
    /// A cursor over `bucket`'s versions with `prefix`; `first` sizes the first read.
    pub(crate) fn new(conn: &'a Conn<'c>, bucket: &str, prefix: &str, first: usize) -> Self {
        Self {
            conn,
            bucket: bucket.to_owned(),
            chunks: Chunks::new(prefix, first),
            position: Position::Done,
            buffer: VecDeque::new(),
        }
    }

    /// Up to `limit` versions starting at the first version of the first key `>= from`.
    fn read_from(&self, from: &[u8], limit: usize) -> Result<Vec<VersionRow>, MetaError> {
        let n = bigint(limit);
        let rows = match &self.chunks.end {
            Some(end) => self
                .conn
                .query(FROM_BOUNDED, &[&self.bucket, &from, end, &n])?,
            None => self.conn.query(FROM_OPEN, &[&self.bucket, &from, &n])?,
        };
        rows.iter().map(version_row).collect()
    }

    /// Up to `limit` versions after (`key`, `seq`): the rest of that key, then the next keys.
    fn read_after(&self, key: &[u8], seq: i64, limit: usize) -> Result<Vec<VersionRow>, MetaError> {
        let n = bigint(limit);
        let rows = self.conn.query(SAME_KEY, &[&self.bucket, &key, &seq, &n])?;
        let mut rows = rows
            .iter()
            .map(version_row)
            .collect::<Result<Vec<_>, _>>()?;
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
        self.buffer.extend(rows.into_iter().map(|(doc, ..)| doc));
        Ok(())
    }
}

/// Reads a row selected as `doc, key, seq`.
fn version_row(r: &Row) -> Result<VersionRow, MetaError> {
    Ok((column(r, 0)?, column(r, 1)?, column(r, 2)?))
}

impl RecordCursor for VersionsCursor<'_, '_> {
    fn seek(&mut self, from: &[u8]) -> Result<(), MetaError> {
        self.buffer.clear();
        self.chunks.restart();
        self.position = Position::From(from.to_vec());
        Ok(())
    }

    fn seek_after_version(&mut self, key: &[u8], version_id: &str) -> Result<bool, MetaError> {
        let found = self.conn.opt(SEQ_OF, &[&self.bucket, &key, &version_id])?;
        let Some(row) = found else { return Ok(false) };
        let seq: i64 = column(&row, 0)?;
        self.buffer.clear();
        self.chunks.restart();
        self.position = Position::After(key.to_vec(), seq);
        Ok(true)
    }

    fn next(&mut self) -> Result<Option<ObjectRecord>, MetaError> {
        if self.buffer.is_empty() {
            self.fill()?;
        }
        self.buffer
            .pop_front()
            .map(|doc| decode_record(&doc))
            .transpose()
    }
}
