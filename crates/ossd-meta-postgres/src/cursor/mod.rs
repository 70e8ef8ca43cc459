//! [`RecordCursor`]s in SQL: one over the `current_versions` index, one over all `versions`; and
//! the [`ossd_meta::listing::UploadCursor`] over `uploads`. Every read is a keyset range of an
//! index (`key >= $from AND key < $end ORDER BY key LIMIT $n`), never an OFFSET; chunks start
//! small after each seek (a folded common prefix wastes little) and double. Listings read only
//! each record's JSON, never its `inline` bytes, and decode a record only when it is taken.

use crate::codec::{bigint, column, decode_record};
use crate::conn::Conn;
use ossd_meta::listing::{RecordCursor, key_successor, prefix_successor};
use ossd_meta::{MetaError, ObjectRecord};
use std::collections::VecDeque;

mod uploads;
mod versions;

pub(crate) use uploads::UploadsCursor;
pub(crate) use versions::VersionsCursor;

/// The first chunk read after a seek.
const MIN_CHUNK: usize = 2;
/// The largest chunk read at once.
const MAX_CHUNK: usize = 1024;

/// Current versions from `$2` (inclusive) up to `$3` (exclusive): the ListObjects statement
/// whose plan
/// `PgMeta::explain_listing` shows (with [`CURRENT_OPEN`]).
pub(crate) const CURRENT_BOUNDED: &str = "SELECT key, doc FROM current_versions
    WHERE bucket = $1 AND key >= $2 AND key < $3 ORDER BY key LIMIT $4";
/// Current versions from `$2` (inclusive) to the end of the bucket.
pub(crate) const CURRENT_OPEN: &str = "SELECT key, doc FROM current_versions
    WHERE bucket = $1 AND key >= $2 ORDER BY key LIMIT $3";

/// The chunking shared by the cursors: the key range end and the size of the next read.
#[derive(Debug)]
pub(crate) struct Chunks {
    pub(crate) end: Option<Vec<u8>>,
    size: usize,
    first: Option<usize>,
}

impl Chunks {
    /// Chunks for keys starting with `prefix`; the read after the first seek is `first` rows.
    pub(crate) fn new(prefix: &str, first: usize) -> Self {
        Self {
            end: prefix_successor(prefix.as_bytes()),
            size: MIN_CHUNK,
            first: Some(first.clamp(MIN_CHUNK, MAX_CHUNK)),
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
pub(crate) struct CurrentCursor<'a, 'c> {
    conn: &'a Conn<'c>,
    bucket: String,
    chunks: Chunks,
    /// Where the next read starts (inclusive); `None` when the range is exhausted.
    from: Option<Vec<u8>>,
    buffer: VecDeque<String>,
}

impl<'a, 'c> CurrentCursor<'a, 'c> {
    /// A cursor over `bucket`'s current versions with `prefix`; `first` sizes the first read.
    pub(crate) fn new(conn: &'a Conn<'c>, bucket: &str, prefix: &str, first: usize) -> Self {
        Self {
            conn,
            bucket: bucket.to_owned(),
            chunks: Chunks::new(prefix, first),
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
        let n = bigint(limit);
        let rows = match &self.chunks.end {
            Some(end) => self
                .conn
                .query(CURRENT_BOUNDED, &[&self.bucket, &from, end, &n])?,
            None => self.conn.query(CURRENT_OPEN, &[&self.bucket, &from, &n])?,
        };
        if rows.len() == limit
            && let Some(last) = rows.last()
        {
            self.from = Some(key_successor(column(last, 0)?));
        }
        for row in &rows {
            self.buffer.push_back(column(row, 1)?);
        }
        Ok(())
    }
}

impl RecordCursor for CurrentCursor<'_, '_> {
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
        self.buffer
            .pop_front()
            .map(|doc| decode_record(&doc))
            .transpose()
    }
}
