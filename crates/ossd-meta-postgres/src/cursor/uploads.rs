//! The cursor over uploads: (key, upload id) order, a range of the `uploads` primary key that
//! never reads `parts`. Rows are decoded only when taken.

use super::Chunks;
use crate::codec::{bigint, column};
use crate::conn::Conn;
use crate::error::undecodable;
use ossd_meta::listing::UploadCursor;
use ossd_meta::{MetaError, UploadRecord};
use std::collections::VecDeque;

/// Uploads after (`$2`, `$3`) of keys below `$4`.
const UPLOADS_BOUNDED: &str = "SELECT key, upload_id, doc FROM uploads
    WHERE bucket = $1 AND (key, upload_id) > ($2, $3) AND key < $4
    ORDER BY key, upload_id LIMIT $5";
/// Uploads after (`$2`, `$3`) to the end of the bucket.
const UPLOADS_OPEN: &str = "SELECT key, upload_id, doc FROM uploads
    WHERE bucket = $1 AND (key, upload_id) > ($2, $3)
    ORDER BY key, upload_id LIMIT $4";

/// The uploads of keys with the prefix.
pub(crate) struct UploadsCursor<'a, 'c> {
    conn: &'a Conn<'c>,
    bucket: String,
    chunks: Chunks,
    /// The next read returns uploads after this (key, upload id); `None` when exhausted.
    after: Option<(Vec<u8>, String)>,
    /// Documents read and not yet taken.
    buffer: VecDeque<String>,
}

impl<'a, 'c> UploadsCursor<'a, 'c> {
    /// A cursor over `bucket`'s uploads with `prefix`; `first` sizes the first read.
    pub(crate) fn new(conn: &'a Conn<'c>, bucket: &str, prefix: &str, first: usize) -> Self {
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
        let n = bigint(limit);
        let rows = match &self.chunks.end {
            Some(end) => self
                .conn
                .query(UPLOADS_BOUNDED, &[&self.bucket, &key, &id, end, &n])?,
            None => self
                .conn
                .query(UPLOADS_OPEN, &[&self.bucket, &key, &id, &n])?,
        };
        if rows.len() == limit
            && let Some(last) = rows.last()
        {
            self.after = Some((column(last, 0)?, column(last, 1)?));
        }
        for row in &rows {
            self.buffer.push_back(column(row, 2)?);
        }
        Ok(())
    }
}

impl UploadCursor for UploadsCursor<'_, '_> {
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
