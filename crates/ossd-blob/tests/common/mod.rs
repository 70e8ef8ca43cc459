//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use md5::{Digest, Md5};
use ossd_blob::{BlobReader, BlobStore, LocalFs, WrittenBlob, crc64};
use tempfile::TempDir;

/// A fresh store in a temp directory (kept alive by the returned guard).
pub(crate) fn store() -> (TempDir, LocalFs) {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalFs::open(dir.path()).unwrap();
    (dir, store)
}

/// `n` deterministic pseudo-random bytes.
pub(crate) fn body(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// Writes `data` in chunks of `chunk` bytes and finishes.
pub(crate) async fn write(
    store: &dyn BlobStore,
    threshold: usize,
    data: &[u8],
    chunk: usize,
) -> WrittenBlob {
    let mut writer = store.writer(threshold);
    for piece in data.chunks(chunk.max(1)) {
        writer.write(Bytes::copy_from_slice(piece)).await.unwrap();
    }
    writer.finish().await.unwrap()
}

/// All bytes of a reader, checking that no chunk exceeds `max_chunk`.
pub(crate) async fn read_all(mut reader: BlobReader, max_chunk: usize) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(chunk) = reader.next().await {
        let chunk = chunk.unwrap();
        assert!(
            !chunk.is_empty() && chunk.len() <= max_chunk,
            "chunk of {}",
            chunk.len()
        );
        out.extend_from_slice(&chunk);
    }
    out
}

/// Asserts that a result's size and checksums are those of `data`.
pub(crate) fn assert_sums(written: &WrittenBlob, data: &[u8]) {
    assert_eq!(written.size, data.len() as u64);
    assert_eq!(written.md5, <[u8; 16]>::from(Md5::digest(data)));
    assert_eq!(written.crc64, crc64(data));
}

/// Number of entries in `<root>/tmp`.
pub(crate) fn tmp_entries(root: &Path) -> usize {
    std::fs::read_dir(root.join("tmp")).unwrap().count()
}

/// Waits (up to 5 s) until `cond` holds; background cleanup is asynchronous.
pub(crate) async fn eventually(mut cond: impl FnMut() -> bool) {
    for _ in 0..500 {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("condition not reached within 5 s");
}
