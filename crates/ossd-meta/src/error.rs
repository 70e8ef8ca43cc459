//! The errors of a metadata store: outcomes the semantics define (a missing bucket, a failed
//! precondition, …), misuse by the caller, stored state that breaks an invariant, and backend
//! failures that keep their cause as [`std::error::Error::source`] ([`ErrorChain`] prints it).

use std::fmt;

use crate::ObjectRecord;

/// Any error, as the cause of a backend failure.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Errors of a metadata backend.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MetaError {
    /// The bucket does not exist.
    #[error("no such bucket")]
    NoSuchBucket,
    /// A bucket with that name exists already (any owner).
    #[error("bucket already exists")]
    BucketAlreadyExists,
    /// The bucket still has object versions or multipart uploads.
    #[error("bucket not empty")]
    BucketNotEmpty,
    /// The named version does not exist.
    #[error("no such version")]
    NoSuchVersion,
    /// The multipart upload (bucket, key, upload id) does not exist: never created, completed or
    /// aborted.
    #[error("no such upload")]
    NoSuchUpload,
    /// A completion's record uses a blob that is not (or no longer) a part of the upload: the
    /// part was replaced after the caller read it. OSS answers 400 `InvalidPart`.
    #[error("invalid part")]
    InvalidPart,
    /// A [`crate::Precondition`] (or an [`crate::IamCheck`]) did not hold at commit time;
    /// carries the current object record, if any.
    #[error("precondition failed")]
    PreconditionFailed(Option<Box<ObjectRecord>>),
    /// The backend cannot do this (e.g. a consistent file copy of an in-memory store).
    #[error("not supported by this metadata backend: {0}")]
    NotSupported(&'static str),
    /// A new upload was given an empty id (the caller generates ids).
    #[error("empty upload id")]
    InvalidUploadId,
    /// A new upload was given an id that another upload has (the caller generates unique ids).
    #[error("upload id {0:?} is already in use")]
    UploadIdInUse(String),
    /// A new version was given an id that another version of the key has.
    #[error("version id {version_id:?} is already used by key {key:?}")]
    VersionIdInUse {
        /// The key.
        key: String,
        /// The id already used.
        version_id: String,
    },
    /// An upload was completed with a record for another bucket or key.
    #[error("completing upload {upload_id:?} of {upload} with a record for {record}")]
    UploadRecordMismatch {
        /// The upload.
        upload_id: String,
        /// `bucket/key` of the upload.
        upload: String,
        /// `bucket/key` of the record.
        record: String,
    },
    /// Stored metadata breaks an invariant of the store (an index naming nothing, a record that
    /// does not decode); `source` is the decoding error, if any.
    #[error("corrupt metadata: {what}")]
    Corrupt {
        /// What is wrong.
        what: &'static str,
        /// The underlying error.
        #[source]
        source: Option<BoxError>,
    },
    /// The stored metadata has a schema version newer than this build knows.
    #[error("metadata schema version {found} is newer than this build ({supported})")]
    SchemaTooNew {
        /// The stored version.
        found: u64,
        /// The newest version this build knows.
        supported: u64,
    },
    /// The backend can no longer serve (stopped, closed, or poisoned by a panic).
    #[error("metadata backend unavailable: {0}")]
    Unavailable(&'static str),
    /// The backend failed (I/O, the database, a background task); the source is the cause. For
    /// logs, never for clients.
    #[error("metadata backend failed")]
    Backend(#[source] BoxError),
}

impl MetaError {
    /// A [`MetaError::Backend`] caused by `source`.
    pub fn backend(source: impl Into<BoxError>) -> Self {
        Self::Backend(source.into())
    }

    /// A [`MetaError::Corrupt`] without an underlying error.
    pub fn corrupt(what: &'static str) -> Self {
        Self::Corrupt { what, source: None }
    }
}

/// Displays an error followed by each of its sources, `outer: inner: …`, for logs.
#[derive(Debug, Clone, Copy)]
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut next = self.0.source();
        while let Some(e) = next {
            write!(f, ": {e}")?;
            next = e.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_failures_keep_their_cause() {
        let io = std::io::Error::other("disk on fire");
        let e = MetaError::backend(io);
        assert_eq!(e.to_string(), "metadata backend failed");
        let source = std::error::Error::source(&e).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("disk on fire"));
        assert_eq!(
            ErrorChain(&e).to_string(),
            "metadata backend failed: disk on fire"
        );
        let corrupt = MetaError::corrupt("an index names nothing");
        assert_eq!(
            ErrorChain(&corrupt).to_string(),
            "corrupt metadata: an index names nothing"
        );
    }
}
