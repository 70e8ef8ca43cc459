//! The failures of this backend, typed, and their conversion into [`MetaError::Backend`] (the
//! [`SqliteError`] is its source, and the SQLite, JSON or I/O error the source of that).

use std::path::PathBuf;
use std::sync::Arc;

use ossd_meta::MetaError;
use rusqlite::types::Type;

/// Why the SQLite backend failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SqliteError {
    /// A SQLite call failed.
    #[error("sqlite")]
    Sql(#[from] rusqlite::Error),
    /// The transaction of a group commit failed: every mutation of the batch shares the cause.
    #[error("group commit")]
    Commit(#[source] Arc<rusqlite::Error>),
    /// The WAL could not be synced after a group commit (then or earlier: after a failed sync
    /// the store commits nothing more until restarted).
    #[error("syncing the WAL")]
    WalSync(#[source] Arc<std::io::Error>),
    /// A record could not be encoded as JSON.
    #[error("encoding {what}")]
    Encode {
        /// The record.
        what: &'static str,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// A file-system operation on the database files failed.
    #[error("{op} {}", path.display())]
    Io {
        /// What was being done.
        op: &'static str,
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The database would not switch to write-ahead logging.
    #[error("journal_mode is {0}, not wal")]
    NotWal(String),
    /// A backup was asked to overwrite an existing file.
    #[error("backup target {} exists already", .0.display())]
    BackupExists(PathBuf),
    /// A backup path SQLite cannot be given.
    #[error("backup path {} is not UTF-8", .0.display())]
    PathNotUtf8(PathBuf),
    /// The writer thread could not be started.
    #[error("starting the writer thread")]
    WriterThread(#[source] std::io::Error),
    /// A blocking task (a read, a backup) panicked or was cancelled.
    #[error("{what} task")]
    Task {
        /// The task.
        what: &'static str,
        /// The underlying error.
        #[source]
        source: tokio::task::JoinError,
    },
    /// A mutation panicked; its savepoint was rolled back.
    #[error("a metadata mutation panicked")]
    Panicked,
    /// A mutation was dropped before the writer ran it.
    #[error("the mutation did not run")]
    NotRun,
}

impl From<SqliteError> for MetaError {
    fn from(e: SqliteError) -> Self {
        MetaError::backend(e)
    }
}

/// A SQLite error as a backend error.
pub(crate) fn sql(e: rusqlite::Error) -> MetaError {
    SqliteError::Sql(e).into()
}

/// A stored JSON document (`what`) that does not decode, as corrupt metadata.
pub(crate) fn undecodable(what: &'static str, e: serde_json::Error) -> MetaError {
    MetaError::Corrupt {
        what,
        source: Some(Box::new(e)),
    }
}

/// A failure to decode column `col` (a stored value this build cannot read), as a SQLite error.
pub(crate) fn bad_column<E>(col: usize, e: E) -> rusqlite::Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    rusqlite::Error::FromSqlConversionFailure(col, Type::Text, Box::new(e))
}
