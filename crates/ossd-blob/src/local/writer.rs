//! The async half of a local write. Bodies up to the inline threshold stay in memory. Past it,
//! chunks are gathered into batches of about [`BATCH`] bytes and each batch is handed to the
//! blocking pool (see [`Batch`]) while the next one is read from the network. At most one batch
//! is in flight and one gathering (bounded memory; `write` waits for the disk), and no blocking
//! thread is held while a slow client trickles data in.

use std::mem;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use tokio::runtime::Handle;
use tokio::task::spawn_blocking;

use super::batch::{self, Batch, State};
use super::layout::Layout;
use crate::{BlobError, BlobWrite, Checksums, Digests, Written, WrittenBlob};

/// Bytes gathered before a batch goes to the blocking pool.
const BATCH: usize = 256 * 1024;

/// Inline bodies up to this size are hashed on the calling thread (tens of microseconds).
const HASH_HERE_MAX: usize = 16 * 1024;

/// A write into a [`LocalFs`](crate::LocalFs).
#[derive(Debug)]
pub(crate) struct LocalWriter {
    layout: Arc<Layout>,
    threshold: usize,
    inline: Vec<u8>,
    streaming: bool,
    pending: Vec<Bytes>,
    pending_len: usize,
    in_flight: Option<Batch>,
    closed: bool,
}

impl LocalWriter {
    /// A writer that keeps bodies of at most `threshold` bytes inline.
    pub(crate) fn new(layout: Arc<Layout>, threshold: usize) -> Self {
        let (inline, pending, in_flight) = (Vec::new(), Vec::new(), None);
        Self {
            layout,
            threshold,
            inline,
            streaming: false,
            pending,
            pending_len: 0,
            in_flight,
            closed: false,
        }
    }

    async fn write_chunk(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        if !self.streaming {
            if self.inline.len().saturating_add(chunk.len()) <= self.threshold {
                self.inline.extend_from_slice(&chunk);
                return Ok(());
            }
            self.streaming = true;
            let head = mem::take(&mut self.inline);
            self.push(Bytes::from(head));
        }
        self.push(chunk);
        if self.pending_len >= BATCH {
            let state = self.settle().await?;
            let chunks = self.take_pending();
            self.in_flight = Some(Batch::start(self.layout.clone(), state, chunks));
        }
        Ok(())
    }

    async fn finish_blob(&mut self) -> Result<WrittenBlob, BlobError> {
        let state = self.settle().await?;
        let chunks = self.take_pending();
        let (id, digests) = batch::finish(self.layout.clone(), state, chunks).await?;
        Ok(WrittenBlob::new(Written::Blob(id), digests.finish()))
    }

    fn push(&mut self, chunk: Bytes) {
        if !chunk.is_empty() {
            self.pending_len += chunk.len();
            self.pending.push(chunk);
        }
    }

    fn take_pending(&mut self) -> Vec<Bytes> {
        self.pending_len = 0;
        mem::take(&mut self.pending)
    }

    /// Waits for the batch in flight, if any, and takes back the write's state.
    async fn settle(&mut self) -> Result<State, BlobError> {
        match self.in_flight.take() {
            None => Ok((None, Digests::new())),
            Some(batch) => batch
                .settle()
                .await
                .map(|(sink, digests)| (Some(sink), digests)),
        }
    }
}

#[async_trait]
impl BlobWrite for LocalWriter {
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
        if self.streaming {
            self.finish_blob().await
        } else {
            inline_blob(mem::take(&mut self.inline)).await
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

/// The result of a body that stayed within the inline threshold.
async fn inline_blob(data: Vec<u8>) -> Result<WrittenBlob, BlobError> {
    let (data, sums) = if data.len() <= HASH_HERE_MAX {
        let sums = Checksums::of(&data);
        (data, sums)
    } else {
        spawn_blocking(move || {
            let sums = Checksums::of(&data);
            (data, sums)
        })
        .await?
    };
    Ok(WrittenBlob::new(Written::Inline(data), sums))
}
