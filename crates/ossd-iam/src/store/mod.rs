//! Typed access to IAM state in the metadata KV space: the key [`layout`], the [`records`], reads
//! that decode them, and commits built with [`Txn`] whose checks make every invariant atomic.

mod layout;
mod records;
mod txn;

pub(crate) use layout::{EntityKind, KEYCHECK, Layout, access_key, child, fold};
pub use records::*;
pub(crate) use txn::Txn;

use ossd_meta::{MetaError, MetaStore};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Items read per scan page.
const PAGE: usize = 1000;

/// A record and the revision it was read at.
#[derive(Debug, Clone)]
pub(crate) struct Stored<T> {
    /// The decoded record.
    pub value: T,
    /// Its revision (for [`Txn::expect`]).
    pub revision: u64,
}

/// Why an operation on the identity store failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A check of the commit failed: something changed since it was read (retry).
    #[error("concurrent change")]
    Conflict,
    /// The metadata store failed (its error shown as is, with its sources).
    #[error(transparent)]
    Meta(MetaError),
    /// A stored record does not decode.
    #[error("undecodable record {key}")]
    Decode {
        /// The record's key (names an entity, never holds a secret).
        key: String,
        /// The decoding error.
        #[source]
        source: serde_json::Error,
    },
    /// A record does not encode.
    #[error("unencodable record {key}")]
    Encode {
        /// The record's key.
        key: String,
        /// The encoding error.
        #[source]
        source: serde_json::Error,
    },
}

impl From<MetaError> for StoreError {
    fn from(e: MetaError) -> Self {
        match e {
            MetaError::PreconditionFailed(_) => Self::Conflict,
            other => Self::Meta(other),
        }
    }
}

/// The IAM state of one account over a [`MetaStore`].
pub(crate) struct Store {
    meta: Arc<dyn MetaStore>,
    /// Keys of the account.
    pub layout: Layout,
    generation: AtomicU64,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("layout", &self.layout)
            .finish_non_exhaustive()
    }
}

/// Decodes one stored item.
fn decode<T: DeserializeOwned>(
    key: &str,
    item: ossd_meta::IamItem,
) -> Result<Stored<T>, StoreError> {
    let value = serde_json::from_str(&item.value).map_err(|source| StoreError::Decode {
        key: key.to_owned(),
        source,
    })?;
    Ok(Stored {
        value,
        revision: item.revision,
    })
}

impl Store {
    /// The state of `account_id` in `meta`.
    pub(crate) fn new(meta: Arc<dyn MetaStore>, account_id: &str) -> Self {
        Self {
            meta,
            layout: Layout::new(account_id),
            generation: AtomicU64::new(0),
        }
    }

    /// Bumped by every commit of this process; caches compare it.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Moves the generation without a local commit (a change made by another node), so every
    /// cache starts over.
    pub(crate) fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Reads one record.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<Stored<T>>, StoreError> {
        match self.meta.iam_get(key).await? {
            Some(item) => decode(key, item).map(Some),
            None => Ok(None),
        }
    }

    /// Up to `limit` records under `prefix` after `prefix + after`, as (key suffix, record).
    pub(crate) async fn scan<T: DeserializeOwned>(
        &self,
        prefix: &str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<(String, Stored<T>)>, StoreError> {
        let start = if after.is_empty() {
            String::new()
        } else {
            child(prefix, after)
        };
        let items = self.meta.iam_scan(prefix, &start, limit).await?;
        items
            .into_iter()
            .map(|(key, item)| {
                let suffix = key.get(prefix.len()..).unwrap_or_default().to_owned();
                decode(&key, item).map(|v| (suffix, v))
            })
            .collect()
    }

    /// Every record under `prefix`.
    pub(crate) async fn scan_all<T: DeserializeOwned>(
        &self,
        prefix: &str,
    ) -> Result<Vec<(String, Stored<T>)>, StoreError> {
        let mut all: Vec<(String, Stored<T>)> = Vec::new();
        loop {
            let after = all.last().map(|(k, _)| k.clone()).unwrap_or_default();
            let page = self.scan(prefix, &after, PAGE).await?;
            let done = page.len() < PAGE;
            all.extend(page);
            if done {
                return Ok(all);
            }
        }
    }

    /// Whether no key starts with `prefix`.
    pub(crate) async fn is_empty(&self, prefix: &str) -> Result<bool, StoreError> {
        Ok(self.meta.iam_scan(prefix, "", 1).await?.is_empty())
    }

    /// Commits `txn` atomically; [`StoreError::Conflict`] if a check failed.
    pub(crate) async fn commit(&self, txn: Txn) -> Result<(), StoreError> {
        if let Some(e) = txn.error {
            return Err(e);
        }
        let result = self.meta.iam_commit(txn.checks, txn.writes).await;
        self.generation.fetch_add(1, Ordering::AcqRel);
        result.map_err(StoreError::from)
    }
}
