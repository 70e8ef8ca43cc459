//! Errors of object operations.

use std::path::PathBuf;

use ossd_blob::BlobError;
use ossd_meta::MetaError;

/// Why an object operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The bucket does not exist.
    #[error("no such bucket")]
    NoSuchBucket,
    /// The bucket still has object versions or multipart uploads.
    #[error("bucket not empty")]
    BucketNotEmpty,
    /// A configuration update lost its compare-and-set too many times in a row.
    #[error("too many concurrent updates")]
    Contended,
    /// The key has no current version (or its latest is a delete marker).
    #[error("no such key")]
    NoSuchKey,
    /// The named version does not exist.
    #[error("no such version")]
    NoSuchVersion,
    /// The key's latest version is a delete marker (404 NoSuchKey with `x-oss-delete-marker`);
    /// carries the marker's version id.
    #[error("the current version is a delete marker")]
    CurrentIsDeleteMarker(String),
    /// The named version is a delete marker (405 MethodNotAllowed); carries its version id.
    #[error("the version is a delete marker")]
    VersionIsDeleteMarker(String),
    /// The multipart upload does not exist (never initiated, completed or aborted).
    #[error("no such upload")]
    NoSuchUpload,
    /// A part of the Complete list was not uploaded, or its ETag differs.
    #[error("invalid part")]
    InvalidPart,
    /// The Complete list is not in ascending part-number order.
    #[error("invalid part order")]
    InvalidPartOrder,
    /// A part other than the last is smaller than [`crate::MIN_PART_SIZE`].
    #[error("entity too small")]
    EntityTooSmall,
    /// An argument is out of range; the message is the one sent to the client.
    #[error("invalid argument: {0}")]
    InvalidArgument(&'static str),
    /// `x-oss-forbid-overwrite: true` and the key exists.
    #[error("file already exists")]
    FileAlreadyExists,
    /// A conditional write's ETag condition did not hold; carries the header that failed
    /// (`If-Match` or `If-None-Match`).
    #[error("precondition failed: {0}")]
    PreconditionFailed(&'static str),
    /// Append at a position other than the current length (which is carried).
    #[error("position not equal to length")]
    PositionNotEqualToLength(u64),
    /// Append to an object that is not appendable.
    #[error("object not appendable")]
    ObjectNotAppendable,
    /// The body's MD5 differs from Content-MD5.
    #[error("content md5 mismatch")]
    InvalidDigest,
    /// A checksum the client gave for the object differs from the one computed
    /// (`BadDigest`); the algorithm's S3 name.
    #[error("{0} checksum mismatch")]
    BadDigest(String),
    /// The request is refused as a whole (`InvalidRequest`), with the message to send.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The result would exceed [`crate::MAX_OBJECT_SIZE`].
    #[error("entity too large")]
    EntityTooLarge,
    /// A symlink's target is missing.
    #[error("symlink target does not exist")]
    SymlinkTargetNotExist,
    /// A symlink's target is itself a symlink (OSS follows one level only).
    #[error("symlink target is a symlink")]
    InvalidTargetType,
    /// The body ended early or could not be read (client went away); nothing was stored. The
    /// source says why.
    #[error("reading the request body")]
    Body(#[source] std::io::Error),
    /// The body's length differs from the declared Content-Length.
    #[error("incomplete body")]
    IncompleteBody,
    /// The data of the record read was deleted by a concurrent write; resolve again.
    #[error("object data replaced concurrently")]
    DataGone,
    /// The storage cannot be backed up as files (in-memory metadata or data).
    #[error("backup is not supported by this storage")]
    BackupNotSupported,
    /// Writing a backup failed: `op` on `path` (the `io::Error` is the source).
    #[error("backup: {op} {}", path.display())]
    Backup {
        /// What was being done.
        op: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The blocking task copying a backup's blobs panicked or was cancelled.
    #[error("backup copy task failed")]
    BackupTask(#[source] tokio::task::JoinError),
    /// Metadata backend failure.
    #[error(transparent)]
    Meta(#[from] MetaError),
    /// Data backend failure.
    #[error(transparent)]
    Blob(#[from] BlobError),
}
