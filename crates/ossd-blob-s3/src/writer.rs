//! A write into the S3 backend. Bodies up to the inline threshold stay in memory, as with the
//! local store. Past it the body goes to an OpenDAL writer under a fresh id: OpenDAL gathers
//! [`PART`] bytes and sends them as one part of a multipart upload, at most [`CONCURRENT_PARTS`]
//! parts in flight (a body shorter than one part is sent as one PutObject at the end). The body
//! is gathered into batches of [`BATCH`](ossd_blob::BATCH) bytes ([`Gathering`]); MD5 and
//! CRC-64 are computed on the blocking pool by the [`BatchHasher`], batch by batch, while the
//! batch is handed to the uploader. Memory per write is bounded by about
//! `(CONCURRENT_PARTS + 1) × PART + BATCH` (≈ 24.25 MiB): `write` waits while the backend is
//! behind.

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use bytes::Bytes;
use ossd_blob::{
    BatchHasher, BlobError, BlobWrite, Gathered, Gathering, Written, WrittenBlob, inline_blob,
};
use tokio::runtime::Handle;

use crate::id;
use crate::store::{Inner, backend_error};

/// Bytes of one part of a multipart upload (S3's minimum is 5 MiB, but for the last part).
pub const PART: usize = 8 * 1024 * 1024;
/// Parts of one write uploaded at once.
pub const CONCURRENT_PARTS: usize = 2;

/// An in-progress write to the backend.
pub(crate) struct S3Writer {
    inner: Arc<Inner>,
    body: Gathering,
    hasher: BatchHasher,
    upload: Option<Upload>,
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
            body: Gathering::new(threshold),
            hasher: BatchHasher::new(),
            upload: None,
        }
    }

    async fn write_chunk(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        let pushed = self.body.push(chunk)?;
        if pushed.opened {
            self.start().await?;
        }
        match pushed.batch {
            Some(batch) => self.flush(batch).await,
            None => Ok(()),
        }
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

    /// Hashes `chunks` on the blocking pool while handing them to the uploader.
    async fn flush(&mut self, chunks: Vec<Bytes>) -> Result<(), BlobError> {
        if chunks.is_empty() {
            return Ok(());
        }
        let Some(upload) = self.upload.as_mut() else {
            return Err(BlobError::WriterClosed);
        };
        self.hasher.start(Arc::new(chunks.clone())).await?;
        let sent = upload.writer.write(chunks).await;
        self.hasher.settle().await?;
        sent.map_err(backend_error("write", &upload.id))
    }

    async fn finish_blob(&mut self, rest: Vec<Bytes>) -> Result<WrittenBlob, BlobError> {
        self.flush(rest).await?;
        let Some(mut upload) = self.upload.take() else {
            return Err(BlobError::WriterClosed);
        };
        let sums = std::mem::take(&mut self.hasher).finish().await?;
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
        Ok(WrittenBlob::new(Written::Blob(upload.id), sums))
    }
}

#[async_trait]
impl BlobWrite for S3Writer {
    async fn write(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        let result = self.write_chunk(chunk).await;
        self.body.closing_on_error(result)
    }

    async fn finish(mut self: Box<Self>) -> Result<WrittenBlob, BlobError> {
        match self.body.finish()? {
            Gathered::Inline(data) => inline_blob(data).await,
            Gathered::Rest(rest) => self.finish_blob(rest).await,
        }
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
