//! One batch of a large write in flight: written to the temp file on a blocking task while the
//! writer's [`BatchHasher`](crate::BatchHasher) hashes it on another, so MD5 (the slowest step)
//! runs alongside the file write and its flushes. The task hands the file back when done; the
//! writer waits for it (and the hash) before the next batch.

use std::sync::Arc;

use bytes::Bytes;
use tokio::task::{JoinHandle, spawn_blocking};

use super::layout::Layout;
use super::sink::Sink;
use crate::BlobError;

/// The task writing a batch.
#[derive(Debug)]
pub(crate) struct Batch {
    sink: JoinHandle<Result<Sink, BlobError>>,
}

impl Batch {
    /// Starts writing `chunks`; the first batch (no sink yet) creates the temp file.
    pub(crate) fn start(layout: Arc<Layout>, sink: Option<Sink>, chunks: Arc<Vec<Bytes>>) -> Self {
        Self {
            sink: spawn_blocking(move || fill(sink, layout, &chunks)),
        }
    }

    /// Waits for the task and takes back the sink.
    pub(crate) async fn settle(self) -> Result<Sink, BlobError> {
        self.sink.await?
    }

    /// Waits for the batch and deletes the temp file on the blocking pool.
    pub(crate) async fn discard(self) {
        if let Ok(Ok(sink)) = self.sink.await {
            let _ = spawn_blocking(move || drop(sink)).await;
        }
    }
}

/// Writes the last batch, then makes the blob durable; returns its id.
pub(crate) async fn finish(
    layout: Arc<Layout>,
    sink: Option<Sink>,
    chunks: Arc<Vec<Bytes>>,
) -> Result<String, BlobError> {
    spawn_blocking(move || fill(sink, layout, &chunks)?.persist()).await?
}

fn fill(sink: Option<Sink>, layout: Arc<Layout>, chunks: &[Bytes]) -> Result<Sink, BlobError> {
    let mut sink = match sink {
        Some(sink) => sink,
        None => Sink::create(layout)?,
    };
    for chunk in chunks {
        sink.write(chunk)?;
    }
    Ok(sink)
}
