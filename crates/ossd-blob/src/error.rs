//! The one error type of this crate.

use std::io;
use std::path::{Path, PathBuf};

/// Longest id kept verbatim in an [`BlobError::InvalidId`].
const MAX_ID_IN_ERROR: usize = 80;

/// Why storing, reading or deleting object data failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BlobError {
    /// No blob with this id exists.
    #[error("blob {0} not found")]
    NotFound(String),
    /// The id is not one this store could have produced (so it cannot name a file outside the store).
    #[error("invalid blob id {0:?}")]
    InvalidId(String),
    /// The requested byte range does not lie within the blob.
    #[error("range {offset}+{len} is outside blob {id} of {size} bytes")]
    OutOfRange {
        /// The blob.
        id: String,
        /// First byte requested.
        offset: u64,
        /// Number of bytes requested.
        len: u64,
        /// The blob's actual size.
        size: u64,
    },
    /// The writer already failed or finished; drop or abort it.
    #[error("blob writer is no longer usable")]
    WriterClosed,
    /// A file-system operation failed (the `io::Error` is the source).
    #[error("{op} {}", path.display())]
    Io {
        /// What was being done.
        op: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A remote blob store (an S3-compatible backend) refused or failed a request, after its
    /// retries; the backend's error is the source.
    #[error("{op} {key} in the blob backend")]
    Backend {
        /// What was being done.
        op: &'static str,
        /// The blob id (or key prefix) involved.
        key: String,
        /// The underlying error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A background I/O task panicked or was cancelled.
    #[error("blob I/O task failed")]
    Task(#[from] tokio::task::JoinError),
    /// The store can no longer serve (a lock poisoned by a panic).
    #[error("blob store unavailable: {0}")]
    Unavailable(&'static str),
    /// A failure injected by [`FaultyStore`](crate::FaultyStore).
    #[error("injected fault: {0}")]
    Injected(&'static str),
}

impl BlobError {
    /// An [`BlobError::InvalidId`], truncating absurdly long input.
    pub(crate) fn invalid_id(id: &str) -> Self {
        let shown: String = id.chars().take(MAX_ID_IN_ERROR).collect();
        Self::InvalidId(shown)
    }

    /// A closure turning an `io::Error` into a [`BlobError::Io`] about `path`.
    pub(crate) fn io(op: &'static str, path: &Path) -> impl FnOnce(io::Error) -> Self {
        move |source| Self::Io {
            op,
            path: path.to_path_buf(),
            source,
        }
    }
}
