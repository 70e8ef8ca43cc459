//! [`FaultyStore`]: wraps a [`BlobStore`] and fails chosen operations, so callers can test their
//! error paths (a disk that fills mid-upload, a blob that vanishes, a read that breaks mid-stream).
//! Each fault is armed with a countdown: `n` means "the n-th such operation from now fails once".

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use bytes::Bytes;
use futures_util::StreamExt;

use crate::{BlobError, BlobReader, BlobStore, BlobWrite, WrittenBlob};

/// A [`BlobStore`] that fails the operations it is told to.
#[derive(Debug, Default)]
pub struct FaultyStore<S> {
    inner: S,
    faults: Arc<Faults>,
}

/// Countdowns; 0 is disarmed.
#[derive(Debug, Default)]
struct Faults {
    write: AtomicU64,
    finish: AtomicU64,
    open: AtomicU64,
    chunk: AtomicU64,
}

/// Counts one operation down; true when this is the one that must fail.
fn trip(countdown: &AtomicU64) -> bool {
    let prev = countdown.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    prev == Ok(1)
}

impl<S> FaultyStore<S> {
    /// Wraps `inner` with no fault armed.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            faults: Arc::default(),
        }
    }

    /// The wrapped store.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The `n`-th `write` call from now, on any writer, fails (0 disarms).
    pub fn fail_nth_write(&self, n: u64) {
        self.faults.write.store(n, Ordering::SeqCst);
    }

    /// The `n`-th `finish` from now fails after discarding the data (0 disarms).
    pub fn fail_nth_finish(&self, n: u64) {
        self.faults.finish.store(n, Ordering::SeqCst);
    }

    /// The `n`-th `open` from now fails with [`BlobError::Injected`] (0 disarms).
    pub fn fail_nth_open(&self, n: u64) {
        self.faults.open.store(n, Ordering::SeqCst);
    }

    /// The `n`-th chunk yielded by any reader from now is an I/O error instead (0 disarms).
    pub fn fail_nth_read_chunk(&self, n: u64) {
        self.faults.chunk.store(n, Ordering::SeqCst);
    }
}

#[async_trait]
impl<S: BlobStore> BlobStore for FaultyStore<S> {
    fn writer(&self, inline_threshold: usize) -> Box<dyn BlobWrite> {
        let inner = self.inner.writer(inline_threshold);
        Box::new(FaultyWriter {
            inner,
            faults: self.faults.clone(),
            failed: false,
        })
    }

    async fn open(&self, id: &str, offset: u64, len: u64) -> Result<BlobReader, BlobError> {
        if trip(&self.faults.open) {
            return Err(BlobError::Injected("open"));
        }
        let reader = self.inner.open(id, offset, len).await?;
        let faults = self.faults.clone();
        Ok(BlobReader::new(reader.map(move |chunk| {
            match trip(&faults.chunk) {
                true => Err(io::Error::other("injected fault: read")),
                false => chunk,
            }
        })))
    }

    async fn delete(&self, ids: &[String]) -> Result<(), BlobError> {
        self.inner.delete(ids).await
    }

    async fn list(&self) -> Result<Vec<String>, BlobError> {
        self.inner.list().await
    }

    async fn list_older_than(&self, age: std::time::Duration) -> Result<Vec<String>, BlobError> {
        self.inner.list_older_than(age).await
    }

    fn local_file(&self, id: &str) -> Option<crate::BlobFile> {
        self.inner.local_file(id)
    }
}

/// A writer of a [`FaultyStore`]; after an injected failure it behaves like a broken writer.
struct FaultyWriter {
    inner: Box<dyn BlobWrite>,
    faults: Arc<Faults>,
    failed: bool,
}

#[async_trait]
impl BlobWrite for FaultyWriter {
    async fn write(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        if self.failed {
            return Err(BlobError::WriterClosed);
        }
        if trip(&self.faults.write) {
            self.failed = true;
            return Err(BlobError::Injected("write"));
        }
        self.inner.write(chunk).await
    }

    async fn finish(self: Box<Self>) -> Result<WrittenBlob, BlobError> {
        if self.failed {
            return Err(BlobError::WriterClosed);
        }
        if trip(&self.faults.finish) {
            self.inner.abort().await;
            return Err(BlobError::Injected("finish"));
        }
        self.inner.finish().await
    }

    async fn abort(self: Box<Self>) {
        self.inner.abort().await;
    }
}
