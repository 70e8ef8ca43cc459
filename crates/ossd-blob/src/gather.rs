//! What every [`BlobWrite`](crate::BlobWrite) of a store with files does with the body, whatever
//! the store: [`Gathering`] holds it inline while it fits the inline threshold and then gathers
//! it into batches of about [`BATCH`] bytes for the store; [`BatchHasher`] computes MD5 and
//! CRC-64 batch by batch on the blocking pool while the store writes the batch; [`inline_blob`]
//! is the result of a body that stayed inline.

use std::mem;
use std::sync::Arc;

use bytes::Bytes;
use tokio::task::{JoinHandle, spawn_blocking};

use crate::{BlobError, Checksums, Digests, Written, WrittenBlob};

/// Bytes gathered before a batch goes to the store (and to the hasher).
pub const BATCH: usize = 256 * 1024;

/// Inline bodies up to this size are hashed on the calling thread (tens of microseconds).
const HASH_HERE_MAX: usize = 16 * 1024;

/// A write's body as it arrives: inline up to the threshold, then batches; and whether the
/// write is closed (finished, or failed: a failed write takes no more chunks).
#[derive(Debug)]
pub struct Gathering {
    threshold: usize,
    inline: Vec<u8>,
    streaming: bool,
    pending: Vec<Bytes>,
    pending_len: usize,
    closed: bool,
}

/// What one chunk led to.
#[derive(Debug, Default)]
#[must_use]
pub struct Pushed {
    /// The body has just outgrown the inline threshold: the store opens its blob now.
    pub opened: bool,
    /// A full batch to hash and store.
    pub batch: Option<Vec<Bytes>>,
}

/// The body at the end of a write.
#[derive(Debug)]
pub enum Gathered {
    /// The whole body, within the inline threshold.
    Inline(Vec<u8>),
    /// The chunks after the last batch (possibly none).
    Rest(Vec<Bytes>),
}

impl Gathering {
    /// A body kept inline while it is at most `threshold` bytes.
    pub fn new(threshold: usize) -> Self {
        Self {
            threshold,
            inline: Vec::new(),
            streaming: false,
            pending: Vec::new(),
            pending_len: 0,
            closed: false,
        }
    }

    /// Takes the next chunk; [`BlobError::WriterClosed`] once the write is closed.
    pub fn push(&mut self, chunk: Bytes) -> Result<Pushed, BlobError> {
        if self.closed {
            return Err(BlobError::WriterClosed);
        }
        let mut pushed = Pushed::default();
        if !self.streaming {
            if self.inline.len().saturating_add(chunk.len()) <= self.threshold {
                self.inline.extend_from_slice(&chunk);
                return Ok(pushed);
            }
            self.streaming = true;
            pushed.opened = true;
            let head = mem::take(&mut self.inline);
            self.add(Bytes::from(head));
        }
        self.add(chunk);
        if self.pending_len >= BATCH {
            pushed.batch = Some(self.take_pending());
        }
        Ok(pushed)
    }

    /// Closes the write when `result` is a failure; returns it.
    pub fn closing_on_error<T>(&mut self, result: Result<T, BlobError>) -> Result<T, BlobError> {
        self.closed |= result.is_err();
        result
    }

    /// Closes the write and hands over the rest of the body; [`BlobError::WriterClosed`] if
    /// it was closed already.
    pub fn finish(&mut self) -> Result<Gathered, BlobError> {
        if self.closed {
            return Err(BlobError::WriterClosed);
        }
        self.closed = true;
        Ok(match self.streaming {
            true => Gathered::Rest(self.take_pending()),
            false => Gathered::Inline(mem::take(&mut self.inline)),
        })
    }

    fn add(&mut self, chunk: Bytes) {
        if !chunk.is_empty() {
            self.pending_len += chunk.len();
            self.pending.push(chunk);
        }
    }

    fn take_pending(&mut self) -> Vec<Bytes> {
        self.pending_len = 0;
        mem::take(&mut self.pending)
    }
}

/// MD5 and CRC-64 of a streamed body, one batch at a time on the blocking pool: a batch is
/// hashed while the store writes it (and, until [`BatchHasher::settle`], while the next batch
/// is gathered).
#[derive(Debug)]
pub struct BatchHasher {
    /// The digests so far, when no batch is being hashed (`None` after a failed task).
    idle: Option<Digests>,
    /// The task hashing a batch; it hands the digests back.
    running: Option<JoinHandle<Digests>>,
}

impl BatchHasher {
    /// A hasher that has seen no bytes.
    pub fn new() -> Self {
        Self {
            idle: Some(Digests::new()),
            running: None,
        }
    }

    /// Starts hashing `batch` after the batches before it (waiting for the previous one).
    pub async fn start(&mut self, batch: Arc<Vec<Bytes>>) -> Result<(), BlobError> {
        let mut digests = self.take().await?;
        self.running = Some(spawn_blocking(move || {
            batch.iter().for_each(|chunk| digests.update(chunk));
            digests
        }));
        Ok(())
    }

    /// Waits for the batch being hashed, if any.
    pub async fn settle(&mut self) -> Result<(), BlobError> {
        self.idle = Some(self.take().await?);
        Ok(())
    }

    /// Size, MD5 and CRC-64 of every batch hashed.
    pub async fn finish(mut self) -> Result<Checksums, BlobError> {
        Ok(self.take().await?.finish())
    }

    async fn take(&mut self) -> Result<Digests, BlobError> {
        match self.running.take() {
            Some(task) => Ok(task.await?),
            None => self.idle.take().ok_or(BlobError::WriterClosed),
        }
    }
}

impl Default for BatchHasher {
    fn default() -> Self {
        Self::new()
    }
}

/// The result of a body that stayed within the inline threshold: hashed on this thread when
/// small, on the blocking pool otherwise.
pub async fn inline_blob(data: Vec<u8>) -> Result<WrittenBlob, BlobError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(len: usize, byte: u8) -> Bytes {
        Bytes::from(vec![byte; len])
    }

    #[test]
    fn inline_until_the_threshold_then_batches() -> Result<(), BlobError> {
        let mut g = Gathering::new(10);
        let p = g.push(chunk(6, 1))?;
        assert!(!p.opened && p.batch.is_none());
        let p = g.push(chunk(BATCH, 2))?;
        assert!(p.opened);
        let batch = p.batch.unwrap_or_default();
        assert_eq!(batch.iter().map(Bytes::len).sum::<usize>(), BATCH + 6);
        assert_eq!(batch[0], chunk(6, 1), "the inline head comes first");
        let p = g.push(chunk(3, 3))?;
        assert!(!p.opened && p.batch.is_none());
        match g.finish()? {
            Gathered::Rest(rest) => assert_eq!(rest, vec![chunk(3, 3)]),
            Gathered::Inline(_) => panic!("streamed"),
        }
        assert!(matches!(g.push(chunk(1, 4)), Err(BlobError::WriterClosed)));
        assert!(matches!(g.finish(), Err(BlobError::WriterClosed)));
        Ok(())
    }

    #[test]
    fn a_failure_closes_the_write() -> Result<(), BlobError> {
        let mut g = Gathering::new(10);
        let failed: Result<(), BlobError> = Err(BlobError::WriterClosed);
        assert!(g.closing_on_error(failed).is_err());
        assert!(matches!(g.push(chunk(1, 1)), Err(BlobError::WriterClosed)));
        let mut g = Gathering::new(10);
        g.closing_on_error(Ok(()))?;
        match g.finish()? {
            Gathered::Inline(data) => assert!(data.is_empty()),
            Gathered::Rest(_) => panic!("inline"),
        }
        Ok(())
    }

    #[tokio::test]
    async fn batches_hash_like_one_pass() -> Result<(), BlobError> {
        let body: Vec<u8> = (0..700_000u32).map(|i| (i % 253) as u8).collect();
        let mut hasher = BatchHasher::new();
        for part in body.chunks(BATCH) {
            let batch = vec![Bytes::copy_from_slice(part)];
            hasher.start(Arc::new(batch)).await?;
        }
        hasher.settle().await?;
        assert_eq!(hasher.finish().await?, Checksums::of(&body));
        let small = inline_blob(b"abc".to_vec()).await?;
        let big = inline_blob(body.clone()).await?;
        assert_eq!(small.md5, Checksums::of(b"abc").md5);
        assert_eq!(
            (big.size, big.md5),
            (body.len() as u64, Checksums::of(&body).md5)
        );
        Ok(())
    }
}
