//! The storage seam: write-once blobs named by an id the store chooses, read back by byte range,
//! deleted by id. Objects made of several blobs (multipart, append) are lists kept by the caller.

use async_trait::async_trait;
use bytes::Bytes;

use crate::{BlobError, BlobReader, Checksums};

/// Where the bytes of a finished write live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// At most the writer's inline threshold: the caller stores these bytes in the metadata record.
    Inline(Vec<u8>),
    /// Durably stored as the blob with this id.
    Blob(String),
}

/// A finished write: where the bytes are, and their size and checksums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenBlob {
    /// Inline bytes or a blob id.
    pub data: Written,
    /// Number of bytes written.
    pub size: u64,
    /// Binary MD5 of the bytes.
    pub md5: [u8; 16],
    /// CRC-64/XZ of the bytes.
    pub crc64: u64,
}

/// A place that stores object data as immutable blobs.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Starts a write; a body of at most `inline_threshold` bytes comes back [`Written::Inline`].
    fn writer(&self, inline_threshold: usize) -> Box<dyn BlobWrite>;

    /// Opens `len` bytes of blob `id` from `offset`; a missing blob fails here, not mid-stream.
    async fn open(&self, id: &str, offset: u64, len: u64) -> Result<BlobReader, BlobError>;

    /// Deletes blobs; ids that do not exist are not an error.
    async fn delete(&self, ids: &[String]) -> Result<(), BlobError>;

    /// Every stored blob id, for the startup sweep of blobs no metadata references.
    async fn list(&self) -> Result<Vec<String>, BlobError>;

    /// The stored blob ids last written at least `age` ago: what a sweep may consider when other
    /// nodes sharing the store may have finished a blob whose record is not committed yet
    /// (docs/scale-out.md, "Blobs"). The default lists every blob: right for stores only one
    /// process uses.
    async fn list_older_than(&self, age: std::time::Duration) -> Result<Vec<String>, BlobError> {
        let _ = age;
        self.list().await
    }

    /// Where blob `id` lives when this store keeps blobs as local files (backups hard-link or
    /// copy them); `None` for other stores (the default) and for malformed ids.
    fn local_file(&self, id: &str) -> Option<BlobFile> {
        let _ = id;
        None
    }
}

/// The file of one blob in a local-directory store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobFile {
    /// Absolute (or working-directory relative) path of the file.
    pub path: std::path::PathBuf,
    /// The same path relative to the store's root directory (`objects/xx/yy/<id>`).
    pub relative: std::path::PathBuf,
}

/// An in-progress write; dropping it unfinished discards what was written.
#[async_trait]
pub trait BlobWrite: Send {
    /// Appends a chunk; waits when the disk is behind (backpressure).
    async fn write(&mut self, chunk: Bytes) -> Result<(), BlobError>;

    /// Makes the data durable; only after this returns may metadata point at the blob.
    async fn finish(self: Box<Self>) -> Result<WrittenBlob, BlobError>;

    /// Discards what was written, waiting until it is gone.
    async fn abort(self: Box<Self>);
}

impl WrittenBlob {
    /// A finished write of `data` with these checksums.
    pub fn new(data: Written, sums: Checksums) -> Self {
        Self {
            data,
            size: sums.size,
            md5: sums.md5,
            crc64: sums.crc64,
        }
    }
}
