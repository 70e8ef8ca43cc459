//! [`RecordCursor`]s in SQL: one over the `current` index, one over all `versions`; and the
//! [`ossd_meta::listing::UploadCursor`] over `uploads`. All read in chunks that start small after
//! each seek (a folded common prefix wastes little) and double. The versions cursor reads only each
//! record's JSON, never its `inline` bytes, and decodes a record only when it is taken; the current
//! one reads `current`'s listing columns (schema v5) straight into [`ListEntry`]s, no JSON.

use crate::codec::listed_from_row;
use crate::stmt;
use ossd_meta::listing::{RecordCursor, key_successor, prefix_successor};
use ossd_meta::{ListEntry, MetaError};
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

/// Current versions from `?2` (inclusive) up to `?3` (exclusive): `current` alone (schema v5).
const CURRENT_BOUNDED: &str = "SELECT key, listing, restore FROM current
    WHERE bucket = ?1 AND key >= ?2 AND key < ?3 ORDER BY key LIMIT ?4";
/// Current versions from `?2` (inclusive) to the end of the bucket.
const CURRENT_OPEN: &str = "SELECT key, listing, restore FROM current
    WHERE bucket = ?1 AND key >= ?2 ORDER BY key LIMIT ?3";

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

/// The latest non-marker version of each key with the prefix, in key order, as listing entries.
#[derive(Debug)]
pub(crate) struct CurrentCursor<'c> {
    conn: &'c Connection,
    bucket: String,
    chunks: Chunks,
    /// Where the next read starts (inclusive); `None` when the range is exhausted.
    from: Option<Vec<u8>>,
    buffer: VecDeque<ListEntry>,
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

    /// Reads the next chunk into the (empty) buffer.
    fn fill(&mut self) -> Result<(), MetaError> {
        let Some(from) = self.from.take() else {
            return Ok(());
        };
        let limit = self.chunks.take();
        let n = i64::try_from(limit).unwrap_or(i64::MAX);
        let map = listed_from_row;
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
            // The record's key is the row's key (`current.key`).
            self.from = rows.last().map(|e| key_successor(e.key.as_bytes()));
        }
        self.buffer = VecDeque::from(rows);
        Ok(())
    }
}

impl RecordCursor<ListEntry> for CurrentCursor<'_> {
    fn seek(&mut self, from: &[u8]) -> Result<(), MetaError> {
        self.buffer.clear();
        self.chunks.restart();
        self.from = Some(from.to_vec());
        Ok(())
    }

    fn next(&mut self) -> Result<Option<ListEntry>, MetaError> {
        if self.buffer.is_empty() {
            self.fill()?;
        }
        Ok(self.buffer.pop_front())
    }
}
