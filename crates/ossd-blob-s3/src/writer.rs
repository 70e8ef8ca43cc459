//! A write into the S3 backend. Bodies up to the inline threshold stay in memory, as with the
//! local store. Past it the body goes to an OpenDAL writer under a fresh id: OpenDAL gathers
//! [`PART`] bytes and sends them as one part of a multipart upload, at most [`CONCURRENT_PARTS`]
//! parts in flight (a body shorter than one part is sent as one PutObject at the end). MD5 and
//! CRC-64 are computed on the blocking pool, batch by batch, while the batch is handed to the
//! uploader. Memory per write is bounded by about `(CONCURRENT_PARTS + 1) × PART + BATCH`
//! (≈ 24.25 MiB): `write` waits while the backend is behind.

use std::mem;
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use bytes::Bytes;
use ossd_blob::{BlobError, BlobWrite, Checksums, Digests, Written, WrittenBlob};
use tokio::runtime::Handle;
use tokio::task::spawn_blocking;

use crate::id;
use crate::store::{Inner, backend_error};

/// Bytes of one part of a multipart upload (S3's minimum is 5 MiB, but for the last part).
pub const PART: usize = 8 * 1024 * 1024;
/// Parts of one write uploaded at once.
pub const CONCURRENT_PARTS: usize = 2;
/// Bytes gathered before they are hashed and handed to the uploader.
const BATCH: usize = 256 * 1024;

/// An in-progress write to the backend.
pub(crate) struct S3Writer {
    inner: Arc<Inner>,
    threshold: usize,
    inline: Vec<u8>,
    upload: Option<Upload>,
    pending: Vec<Bytes>,
    pending_len: usize,
    digests: Option<Digests>,
    closed: bool,
}

/// The backend half of a write that outgrew the inline threshold.
struct Upload {
    id: String,
    started: Instant,
    writer: opendal::Writer,
}

impl S3Writer {
    pub(crate) fn new(inner: Arc<Inner>, threshold: usize) -> Self {
        Self {
            inner,
            threshold,
            inline: Vec::new(),
            upload: None,
            pending: Vec::new(),
            pending_len: 0,
            digests: Some(Digests::new()),
            closed: false,
        }
    }

    async fn write_chunk(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        if self.upload.is_none() {
            if self.inline.len().saturating_add(chunk.len()) <= self.threshold {
                self.inline.extend_from_slice(&chunk);
                return Ok(());
            }
            self.start().await?;
            let head = mem::take(&mut self.inline);
            self.push(Bytes::from(head));
        }
        self.push(chunk);
        if self.pending_len >= BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Opens the backend writer under a new id.
    async fn start(&mut self) -> Result<(), BlobError> {
        let id = id::new_id();
        let writer = self
            .inner
            .op
            .writer_with(&id)
            .chunk(PART)
            .concurrent(CONCURRENT_PARTS)
            .await
            .map_err(backend_error("write", &id))?;
        self.upload = Some(Upload {
            id,
            started: Instant::now(),
            writer,
        });
        Ok(())
    }

    fn push(&mut self, chunk: Bytes) {
        if !chunk.is_empty() {
            self.pending_len += chunk.len();
            self.pending.push(chunk);
        }
    }

    /// Hashes the pending chunks on the blocking pool while handing them to the uploader.
    async fn flush(&mut self) -> Result<(), BlobError> {
        let chunks = mem::take(&mut self.pending);
        self.pending_len = 0;
        if chunks.is_empty() {
            return Ok(());
        }
        let (Some(upload), Some(mut digests)) = (self.upload.as_mut(), self.digests.take()) else {
            return Err(BlobError::WriterClosed);
        };
        let hashed = chunks.clone();
        let hashing = spawn_blocking(move || {
            for chunk in &hashed {
                digests.update(chunk);
            }
            digests
        });
        let sent = upload.writer.write(chunks);
        let (digests, sent) = tokio::join!(hashing, sent);
        self.digests = Some(digests?);
        sent.map_err(backend_error("write", &upload.id))
    }

    async fn finish_blob(&mut self) -> Result<WrittenBlob, BlobError> {
        self.flush().await?;
        let (Some(mut upload), Some(digests)) = (self.upload.take(), self.digests.take()) else {
            return Err(BlobError::WriterClosed);
        };
        // The orphan sweep dates a blob by its id and trusts that no write outlasts `max_write`
        // (docs/scale-out.md, "Blobs"): a write that did is abandoned, not completed.
        if upload.started.elapsed() > self.inner.max_write {
            abort(upload).await;
            return Err(BlobError::Backend {
                op: "write",
                key: String::new(),
                source: "the write took longer than the S3 backend's longest write".into(),
            });
        }
        if let Err(e) = upload.writer.close().await {
            let error = backend_error("complete", &upload.id)(e);
            abort(upload).await;
            return Err(error);
        }
        Ok(WrittenBlob::new(Written::Blob(upload.id), digests.finish()))
    }
}

#[async_trait]
impl BlobWrite for S3Writer {
    async fn write(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        if self.closed {
            return Err(BlobError::WriterClosed);
        }
        let result = self.write_chunk(chunk).await;
        self.closed = result.is_err();
        result
    }

    async fn finish(mut self: Box<Self>) -> Result<WrittenBlob, BlobError> {
        if self.closed {
            return Err(BlobError::WriterClosed);
        }
        self.closed = true;
        if self.upload.is_some() {
            return self.finish_blob().await;
        }
        let data = mem::take(&mut self.inline);
        let (data, sums) = spawn_blocking(move || {
            let sums = Checksums::of(&data);
            (data, sums)
        })
        .await?;
        Ok(WrittenBlob::new(Written::Inline(data), sums))
    }

    async fn abort(mut self: Box<Self>) {
        if let Some(upload) = self.upload.take() {
            abort(upload).await;
        }
    }
}

impl Drop for S3Writer {
    fn drop(&mut self) {
        // An unfinished multipart upload is aborted in the background (its parts would
        // otherwise stay in the bucket, invisible, until a lifecycle rule removes them).
        if let (Some(upload), Ok(runtime)) = (self.upload.take(), Handle::try_current()) {
            runtime.spawn(abort(upload));
        }
    }
}

/// Abandons an upload; failures are logged (the parts then wait for the bucket's lifecycle).
async fn abort(mut upload: Upload) {
    if let Err(e) = upload.writer.abort().await {
        tracing::warn!(id = %upload.id, error = %e, "could not abort an upload to the blob backend");
    }
}
