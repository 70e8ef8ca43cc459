//! The failures of this backend, typed, and their conversion into [`MetaError::Backend`] (the
//! [`PgError`] is its source, and the PostgreSQL, pool or JSON error the source of that).

use ossd_meta::MetaError;

/// Why the PostgreSQL backend failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PgError {
    /// The `postgres://` URL does not parse.
    #[error("invalid PostgreSQL URL")]
    Url(#[source] tokio_postgres::Error),
    /// The `pool_size` parameter of the URL is not a positive number.
    #[error("invalid pool_size {0:?} (a number from 1)")]
    PoolSize(String),
    /// The connection pool could not be built.
    #[error("building the connection pool")]
    Pool(#[source] deadpool_postgres::BuildError),
    /// No connection could be taken from the pool (timeout, or the server refused one).
    #[error("taking a connection from the pool")]
    Checkout(#[source] deadpool_postgres::PoolError),
    /// A statement failed.
    #[error("postgres")]
    Sql(#[source] tokio_postgres::Error),
    /// A record could not be encoded as JSON.
    #[error("encoding {what}")]
    Encode {
        /// The record.
        what: &'static str,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// A stored number is out of the range this build reads (a negative revision).
    #[error("stored {0} out of range")]
    Range(&'static str),
    /// A blocking task panicked or was cancelled.
    #[error("{what} task")]
    Task {
        /// The task.
        what: &'static str,
        /// The underlying error.
        #[source]
        source: tokio::task::JoinError,
    },
    /// A transaction kept failing with serialization failures or deadlocks.
    #[error("transaction still conflicting after {0} attempts")]
    Conflicts(u32),
}

impl From<PgError> for MetaError {
    fn from(e: PgError) -> Self {
        MetaError::backend(e)
    }
}

/// A stored JSON document (`what`) that does not decode, as corrupt metadata.
pub(crate) fn undecodable(what: &'static str, e: serde_json::Error) -> MetaError {
    MetaError::Corrupt {
        what,
        source: Some(Box::new(e)),
    }
}

/// A stored column that this build cannot read, as corrupt metadata.
pub(crate) fn bad_column(what: &'static str, e: impl Into<ossd_meta::BoxError>) -> MetaError {
    MetaError::Corrupt {
        what,
        source: Some(e.into()),
    }
}
