//! [`RecordCursor`]s in SQL: one over the `current` index, one over all `versions`; and the
//! [`ossd_meta::listing::UploadCursor`] over `uploads`. All read in chunks that start small after
//! each seek (a folded common prefix wastes little) and double, and decode a record only when it
//! is taken. Listings read only each record's JSON, never its `inline` bytes.

use crate::codec::RawRecord;
use crate::stmt;
use ossd_meta::listing::{RecordCursor, key_successor, prefix_successor};
use ossd_meta::{MetaError, ObjectRecord};
use rusqlite::{Connection, params};
use std::collections::VecDeque;

#[cfg(test)]
mod tests;
mod uploads;
mod versions;

pub(crate) use uploads::UploadsCursor;
pub(crate) use versions::VersionsCursor;

/// The first chunk read after a seek.
const MIN_CHUNK: usize = 2;
/// The largest chunk read at once.
const MAX_CHUNK: usize = 1024;

/// Current versions from `?2` (inclusive) up to `?3` (exclusive).
const CURRENT_BOUNDED: &str =
    "SELECT c.key, v.doc FROM current c JOIN versions v ON v.id = c.version_row
    WHERE c.bucket = ?1 AND c.key >= ?2 AND c.key < ?3 ORDER BY c.key LIMIT ?4";
/// Current versions from `?2` (inclusive) to the end of the bucket.
const CURRENT_OPEN: &str =
    "SELECT c.key, v.doc FROM current c JOIN versions v ON v.id = c.version_row
    WHERE c.bucket = ?1 AND c.key >= ?2 ORDER BY c.key LIMIT ?3";

/// The chunking shared by both cursors: the key range end and the size of the next read.
#[derive(Debug)]
pub(crate) struct Chunks {
    pub(crate) end: Option<Vec<u8>>,
    size: usize,
    first: Option<usize>,
}

impl Chunks {
    /// Chunks for keys starting with `prefix`; the read after the first seek is `first` rows.
    pub(crate) fn new(prefix: &str, first: usize) -> Self {
        let first = Some(first.clamp(MIN_CHUNK, MAX_CHUNK));
        Self {
            end: prefix_successor(prefix.as_bytes()),
            size: MIN_CHUNK,
            first,
        }
    }

    /// Starts over after a seek: the first seek reads the caller's size, later ones start small.
    pub(crate) fn restart(&mut self) {
        self.size = self.first.take().unwrap_or(MIN_CHUNK);
    }

    /// The size of the next read, doubling the one after.
    pub(crate) fn take(&mut self) -> usize {
        let size = self.size;
        self.size = (size * 2).min(MAX_CHUNK);
        size
    }
}

/// The latest non-marker version of each key with the prefix, in key order.
#[derive(Debug)]
pub(crate) struct CurrentCursor<'c> {
    conn: &'c Connection,
    bucket: String,
    chunks: Chunks,
    /// Where the next read starts (inclusive); `None` when the range is exhausted.
    from: Option<Vec<u8>>,
    buffer: VecDeque<RawRecord>,
}

impl<'c> CurrentCursor<'c> {
    /// A cursor over `bucket`'s current versions with `prefix`; `first` sizes the first read.
    pub(crate) fn new(conn: &'c Connection, bucket: &str, prefix: &str, first: usize) -> Self {
        let chunks = Chunks::new(prefix, first);
        Self {
            conn,
            bucket: bucket.to_owned(),
            chunks,
            from: None,
            buffer: VecDeque::new(),
        }
    }

    /// Reads the next chunk into the buffer.
    fn fill(&mut self) -> Result<(), MetaError> {
        let Some(from) = self.from.take() else {
            return Ok(());
        };
        let limit = self.chunks.take();
        let n = i64::try_from(limit).unwrap_or(i64::MAX);
        let map = |r: &rusqlite::Row<'_>| Ok((r.get::<_, Vec<u8>>(0)?, RawRecord::from_row(r, 1)?));
        let rows = match &self.chunks.end {
            Some(end) => stmt::all(
                self.conn,
                CURRENT_BOUNDED,
                params![self.bucket, from, end, n],
                map,
            )?,
            None => stmt::all(self.conn, CURRENT_OPEN, params![self.bucket, from, n], map)?,
        };
        if rows.len() == limit {
            self.from = rows.last().map(|(key, _)| key_successor(key));
        }
        self.buffer.extend(rows.into_iter().map(|(_, raw)| raw));
        Ok(())
    }
}

impl RecordCursor for CurrentCursor<'_> {
    fn seek(&mut self, from: &[u8]) -> Result<(), MetaError> {
        self.buffer.clear();
        self.chunks.restart();
        self.from = Some(from.to_vec());
        Ok(())
    }

    fn next(&mut self) -> Result<Option<ObjectRecord>, MetaError> {
        if self.buffer.is_empty() {
            self.fill()?;
        }
        self.buffer.pop_front().map(RawRecord::decode).transpose()
    }
}
