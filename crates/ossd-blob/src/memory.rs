//! [`MemoryBlobs`]: blobs kept in process memory, for `ossd serve --memory` (nothing touches the
//! disk; everything is gone when the process exits). Writes hash MD5 + CRC-64 as they stream
//! and honour the inline threshold exactly like [`LocalFs`](crate::LocalFs); a blob becomes
//! visible only when its write finishes, and reads hand out zero-copy slices of it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};

use crate::{
    BlobError, BlobReader, BlobStore, BlobWrite, Digests, READ_CHUNK, Written, WrittenBlob, id,
};

/// A [`BlobStore`] in memory. Cheap to clone; clones share the blobs.
#[derive(Clone, Debug, Default)]
pub struct MemoryBlobs {
    blobs: Arc<RwLock<HashMap<String, Bytes>>>,
}

impl MemoryBlobs {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of stored blobs.
    pub fn len(&self) -> usize {
        self.read_map().map_or(0, |m| m.len())
    }

    /// Whether no blob is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read_map(
        &self,
    ) -> Result<std::sync::RwLockReadGuard<'_, HashMap<String, Bytes>>, BlobError> {
        self.blobs.read().map_err(|_| poisoned())
    }

    fn write_map(
        &self,
    ) -> Result<std::sync::RwLockWriteGuard<'_, HashMap<String, Bytes>>, BlobError> {
        self.blobs.write().map_err(|_| poisoned())
    }
}

/// A panic while holding the lock left the map poisoned.
fn poisoned() -> BlobError {
    BlobError::Unavailable("memory blob store lock poisoned")
}

#[async_trait]
impl BlobStore for MemoryBlobs {
    fn writer(&self, inline_threshold: usize) -> Box<dyn BlobWrite> {
        Box::new(MemoryWriter {
            store: self.clone(),
            threshold: inline_threshold,
            chunks: Vec::new(),
            digests: Digests::new(),
            closed: false,
        })
    }

    async fn open(&self, id: &str, offset: u64, len: u64) -> Result<BlobReader, BlobError> {
        let id = id::check(id)?;
        let data = self
            .read_map()?
            .get(id)
            .cloned()
            .ok_or_else(|| BlobError::NotFound(id.to_owned()))?;
        let size = data.len() as u64;
        let out_of_range = || BlobError::OutOfRange {
            id: id.to_owned(),
            offset,
            len,
            size,
        };
        let end = offset
            .checked_add(len)
            .filter(|e| *e <= size)
            .ok_or_else(out_of_range)?;
        let (start, end) = (
            usize::try_from(offset).map_err(|_| out_of_range())?,
            usize::try_from(end).map_err(|_| out_of_range())?,
        );
        let range = data.slice(start..end);
        let chunks: Vec<std::io::Result<Bytes>> = (0..range.len())
            .step_by(READ_CHUNK)
            .map(|at| Ok(range.slice(at..range.len().min(at + READ_CHUNK))))
            .collect();
        Ok(BlobReader::new(futures_util::stream::iter(chunks)))
    }

    async fn delete(&self, ids: &[String]) -> Result<(), BlobError> {
        let ids = ids
            .iter()
            .map(|i| id::check(i))
            .collect::<Result<Vec<_>, _>>()?;
        let mut map = self.write_map()?;
        for id in ids {
            map.remove(id);
        }
        Ok(())
    }

    async fn list(&self) -> Result<Vec<String>, BlobError> {
        Ok(self.read_map()?.keys().cloned().collect())
    }
}

/// A write into a [`MemoryBlobs`]: chunks are kept (not copied) and hashed as they arrive.
struct MemoryWriter {
    store: MemoryBlobs,
    threshold: usize,
    chunks: Vec<Bytes>,
    digests: Digests,
    closed: bool,
}

#[async_trait]
impl BlobWrite for MemoryWriter {
    async fn write(&mut self, chunk: Bytes) -> Result<(), BlobError> {
        if self.closed {
            return Err(BlobError::WriterClosed);
        }
        if !chunk.is_empty() {
            self.digests.update(&chunk);
            self.chunks.push(chunk);
        }
        Ok(())
    }

    async fn finish(self: Box<Self>) -> Result<WrittenBlob, BlobError> {
        if self.closed {
            return Err(BlobError::WriterClosed);
        }
        let sums = self.digests.finish();
        let data = concat(self.chunks);
        if data.len() <= self.threshold {
            return Ok(WrittenBlob::new(Written::Inline(data.to_vec()), sums));
        }
        let id = id::new_id();
        self.store.write_map()?.insert(id.clone(), data);
        Ok(WrittenBlob::new(Written::Blob(id), sums))
    }

    async fn abort(self: Box<Self>) {}
}

/// The chunks as one buffer (no copy for a single chunk).
fn concat(mut chunks: Vec<Bytes>) -> Bytes {
    if chunks.len() == 1 {
        return chunks.pop().unwrap_or_default();
    }
    let total = chunks.iter().map(Bytes::len).sum();
    let mut out = BytesMut::with_capacity(total);
    for c in &chunks {
        out.extend_from_slice(c);
    }
    out.freeze()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{Checksums, crc64};
    use futures_util::StreamExt;

    async fn put(store: &MemoryBlobs, threshold: usize, parts: &[&[u8]]) -> WrittenBlob {
        let mut w = store.writer(threshold);
        for p in parts {
            w.write(Bytes::copy_from_slice(p)).await.unwrap();
        }
        w.finish().await.unwrap()
    }

    async fn read(store: &MemoryBlobs, id: &str, offset: u64, len: u64) -> Vec<u8> {
        let mut r = store.open(id, offset, len).await.unwrap();
        let mut out = Vec::new();
        while let Some(chunk) = r.next().await {
            let chunk = chunk.unwrap();
            assert!(chunk.len() <= READ_CHUNK);
            out.extend_from_slice(&chunk);
        }
        out
    }

    fn blob_id(w: &WrittenBlob) -> String {
        match &w.data {
            Written::Blob(id) => id.clone(),
            Written::Inline(_) => panic!("expected a blob"),
        }
    }

    #[tokio::test]
    async fn small_bodies_stay_inline_with_checksums() {
        let store = MemoryBlobs::new();
        let w = put(&store, 16, &[b"hello ", b"world"]).await;
        assert_eq!(w.data, Written::Inline(b"hello world".to_vec()));
        let sums = Checksums::of(b"hello world");
        assert_eq!((w.size, w.md5, w.crc64), (sums.size, sums.md5, sums.crc64));
        assert!(store.is_empty());
        let exact = put(&store, 11, &[b"hello world"]).await;
        assert!(matches!(exact.data, Written::Inline(_)));
        let empty = put(&store, 0, &[]).await;
        assert_eq!(empty.data, Written::Inline(Vec::new()));
        assert_eq!(empty.crc64, 0);
    }

    #[tokio::test]
    async fn large_bodies_become_blobs_read_back_by_range() {
        let store = MemoryBlobs::new();
        let body: Vec<u8> = (0..(READ_CHUNK * 2 + 123))
            .map(|i| (i % 251) as u8)
            .collect();
        let (a, b) = body.split_at(1000);
        let w = put(&store, 4096, &[a, b]).await;
        let id = blob_id(&w);
        assert_eq!(w.size, body.len() as u64);
        assert_eq!(w.crc64, crc64(&body));
        assert_eq!(w.md5, Checksums::of(&body).md5);
        assert_eq!(read(&store, &id, 0, body.len() as u64).await, body);
        assert_eq!(read(&store, &id, 10, 20).await, &body[10..30]);
        assert_eq!(read(&store, &id, body.len() as u64, 0).await, b"");
        assert_eq!(store.list().await.unwrap(), vec![id.clone()]);
    }

    #[tokio::test]
    async fn bad_ranges_ids_and_missing_blobs_are_errors() {
        let store = MemoryBlobs::new();
        let id = blob_id(&put(&store, 0, &[b"abc"]).await);
        assert!(matches!(
            store.open(&id, 2, 2).await,
            Err(BlobError::OutOfRange { size: 3, .. })
        ));
        assert!(matches!(
            store.open(&id, u64::MAX, 2).await,
            Err(BlobError::OutOfRange { .. })
        ));
        assert!(matches!(
            store.open("../etc/passwd", 0, 1).await,
            Err(BlobError::InvalidId(_))
        ));
        let missing = "0123456789abcdef0123456789abcdef";
        assert!(matches!(
            store.open(missing, 0, 0).await,
            Err(BlobError::NotFound(_))
        ));
        store
            .delete(&[id.clone(), missing.to_owned()])
            .await
            .unwrap();
        assert!(matches!(
            store.open(&id, 0, 1).await,
            Err(BlobError::NotFound(_))
        ));
        assert!(store.list().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn unfinished_writes_leave_nothing_and_reads_survive_delete() {
        let store = MemoryBlobs::new();
        let mut w = store.writer(0);
        w.write(Bytes::from_static(b"partial")).await.unwrap();
        w.abort().await;
        let mut dropped = store.writer(0);
        dropped.write(Bytes::from_static(b"partial")).await.unwrap();
        drop(dropped);
        assert!(store.is_empty());
        let id = blob_id(&put(&store, 0, &[b"kept while reading"]).await);
        let mut reader = store.open(&id, 0, 4).await.unwrap();
        store.delete(std::slice::from_ref(&id)).await.unwrap();
        assert_eq!(&reader.next().await.unwrap().unwrap()[..], b"kept");
    }
}
