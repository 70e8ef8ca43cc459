//! The async half of a local write. Bodies up to the inline threshold stay in memory. Past it,
//! chunks are gathered into batches of about [`BATCH`](crate::BATCH) bytes ([`Gathering`]) and
//! each batch is handed to the blocking pool (see [`Batch`]), and hashed there by the
//! [`BatchHasher`], while the next one is read from the network. At most one batch is in flight
//! and one gathering (bounded memory; `write` waits for the disk), and no blocking thread is
//! held while a slow client trickles data in.

use std::mem;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use tokio::runtime::Handle;

use super::batch::{self, Batch};
use super::layout::Layout;
use super::sink::Sink;
use crate::{
    BatchHasher, BlobError, BlobWrite, Gathered, Gathering, Written, WrittenBlob, inline_blob,
};

/// A write into a [`LocalFs`](crate::LocalFs).
#[derive(Debug)]
pub(crate) struct LocalWriter {
    layout: Arc<Layout>,
    body: Gathering,
    hasher: BatchHasher,
    in_flight: Option<Batch>,
}

impl LocalWriter {
    /// A writer that keeps bodies of at most `threshold` bytes inline.
    pub(crate) fn new(layout: Arc<Layout>, threshold: usize) -> Self {
        Self {
            layout,
            body: Gathering::new(threshold),
            hasher: BatchHasher::new(),
            in_flight: None,
        }
    }

    async fn write_chunk(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        let Some(batch) = self.body.push(chunk)?.batch else {
            return Ok(());
        };
        let sink = self.settle().await?;
        let batch = Arc::new(batch);
        self.hasher.start(batch.clone()).await?;
        self.in_flight = Some(Batch::start(self.layout.clone(), sink, batch));
        Ok(())
    }

    async fn finish_blob(&mut self, rest: Vec<Bytes>) -> Result<WrittenBlob, BlobError> {
        let sink = self.settle().await?;
        let rest = Arc::new(rest);
        self.hasher.start(rest.clone()).await?;
        let id = batch::finish(self.layout.clone(), sink, rest).await?;
        let sums = mem::take(&mut self.hasher).finish().await?;
        Ok(WrittenBlob::new(Written::Blob(id), sums))
    }

    /// Waits for the batch in flight, if any, and takes back the temp file.
    async fn settle(&mut self) -> Result<Option<Sink>, BlobError> {
        match self.in_flight.take() {
            None => Ok(None),
            Some(batch) => batch.settle().await.map(Some),
        }
    }
}

#[async_trait]
impl BlobWrite for LocalWriter {
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
        if let Some(batch) = self.in_flight.take() {
            batch.discard().await;
        }
    }
}

impl Drop for LocalWriter {
    fn drop(&mut self) {
        // The temp file is removed off this thread: unlinking a large file can take a while.
        if let (Some(batch), Ok(runtime)) = (self.in_flight.take(), Handle::try_current()) {
            runtime.spawn(batch.discard());
        }
    }
}
