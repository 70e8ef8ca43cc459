//! The cursor over uploads: (key, upload id) order, a range scan of the `uploads` primary key that
//! never reads `parts`. Rows are decoded only when taken.

use super::Chunks;
use crate::error::undecodable;
use crate::stmt;
use ossd_meta::listing::UploadCursor;
use ossd_meta::{MetaError, UploadRecord};
use rusqlite::{Connection, Row, params};
use std::collections::VecDeque;

/// Uploads after (`?2`, `?3`) of keys below `?4`.
pub(super) const UPLOADS_BOUNDED: &str = "SELECT key, upload_id, doc FROM uploads
    WHERE bucket = ?1 AND (key, upload_id) > (?2, ?3) AND key < ?4
    ORDER BY key, upload_id LIMIT ?5";
/// Uploads after (`?2`, `?3`) to the end of the bucket.
pub(super) const UPLOADS_OPEN: &str = "SELECT key, upload_id, doc FROM uploads
    WHERE bucket = ?1 AND (key, upload_id) > (?2, ?3)
    ORDER BY key, upload_id LIMIT ?4";

/// One row read: its place and the undecoded document.
type UploadRow = (Vec<u8>, String, String);

/// The uploads of keys with the prefix.
#[derive(Debug)]
pub(crate) struct UploadsCursor<'c> {
    conn: &'c Connection,
    bucket: String,
    chunks: Chunks,
    /// The next read returns uploads after this (key, upload id); `None` when exhausted.
    after: Option<(Vec<u8>, String)>,
    /// Documents read and not yet taken.
    buffer: VecDeque<String>,
}

impl<'c> UploadsCursor<'c> {
    /// A cursor over `bucket`'s uploads with `prefix`; `first` sizes the first read.
    pub(crate) fn new(conn: &'c Connection, bucket: &str, prefix: &str, first: usize) -> Self {
        Self {
            conn,
            bucket: bucket.to_owned(),
            chunks: Chunks::new(prefix, first),
            after: None,
            buffer: VecDeque::new(),
        }
    }

    /// Reads the next chunk into the buffer.
    fn fill(&mut self) -> Result<(), MetaError> {
        let Some((key, id)) = self.after.take() else {
            return Ok(());
        };
        let limit = self.chunks.take();
        let n = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = match &self.chunks.end {
            Some(end) => stmt::all(
                self.conn,
                UPLOADS_BOUNDED,
                params![self.bucket, key, id, end, n],
                row,
            )?,
            None => stmt::all(
                self.conn,
                UPLOADS_OPEN,
                params![self.bucket, key, id, n],
                row,
            )?,
        };
        if rows.len() == limit {
            self.after = rows.last().map(|(key, id, _)| (key.clone(), id.clone()));
        }
        self.buffer.extend(rows.into_iter().map(|(.., doc)| doc));
        Ok(())
    }
}

/// Reads a row selected as `key, upload_id, doc`.
fn row(r: &Row<'_>) -> rusqlite::Result<UploadRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

impl UploadCursor for UploadsCursor<'_> {
    fn seek(&mut self, key: &[u8], after_id: &str) -> Result<(), MetaError> {
        self.buffer.clear();
        self.chunks.restart();
        self.after = Some((key.to_vec(), after_id.to_owned()));
        Ok(())
    }

    fn next(&mut self) -> Result<Option<UploadRecord>, MetaError> {
        if self.buffer.is_empty() {
            self.fill()?;
        }
        let Some(doc) = self.buffer.pop_front() else {
            return Ok(None);
        };
        serde_json::from_str(&doc)
            .map(Some)
            .map_err(|e| undecodable("stored upload record", e))
    }
}
