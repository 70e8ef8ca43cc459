//! One batch of a large write in flight: hashed on one blocking task and written to the temp
//! file on another, so MD5 (the slowest step) runs alongside the file write and its flushes.
//! Each task hands its state back when done; the writer waits for both before the next batch.

use std::sync::Arc;

use bytes::Bytes;
use tokio::task::{JoinHandle, spawn_blocking};

use super::layout::Layout;
use super::sink::Sink;
use crate::{BlobError, Digests};

/// The two tasks working on a batch.
#[derive(Debug)]
pub(crate) struct Batch {
    digests: JoinHandle<Digests>,
    sink: JoinHandle<Result<Sink, BlobError>>,
}

impl Batch {
    /// Starts hashing and writing `chunks`; the first batch (no sink yet) creates the temp file.
    pub(crate) fn start(layout: Arc<Layout>, state: State, chunks: Vec<Bytes>) -> Self {
        let (sink, digests) = state;
        let chunks = Arc::new(chunks);
        let hashed = chunks.clone();
        Self {
            digests: spawn_blocking(move || hash(digests, &hashed)),
            sink: spawn_blocking(move || fill(sink, layout, &chunks)),
        }
    }

    /// Waits for both tasks and takes back the sink and digests.
    pub(crate) async fn settle(self) -> Result<(Sink, Digests), BlobError> {
        let sink = self.sink.await??;
        let digests = self.digests.await?;
        Ok((sink, digests))
    }

    /// Waits for the batch and deletes the temp file on the blocking pool.
    pub(crate) async fn discard(self) {
        if let Ok(Ok(sink)) = self.sink.await {
            let _ = spawn_blocking(move || drop(sink)).await;
        }
    }
}

/// A write's state between batches: its temp file (once created) and the digests so far.
pub(crate) type State = (Option<Sink>, Digests);

/// Hashes the last batch alongside writing it, then makes the blob durable; returns the id and
/// the digests of the whole body.
pub(crate) async fn finish(
    layout: Arc<Layout>,
    state: State,
    chunks: Vec<Bytes>,
) -> Result<(String, Digests), BlobError> {
    let (sink, digests) = state;
    let chunks = Arc::new(chunks);
    let hashed = chunks.clone();
    let hashing = spawn_blocking(move || hash(digests, &hashed));
    let id = spawn_blocking(move || fill(sink, layout, &chunks)?.persist()).await??;
    Ok((id, hashing.await?))
}

fn hash(mut digests: Digests, chunks: &[Bytes]) -> Digests {
    chunks.iter().for_each(|chunk| digests.update(chunk));
    digests
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
