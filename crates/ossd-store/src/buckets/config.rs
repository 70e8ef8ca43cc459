//! The one typed API over a bucket's configuration documents: [`BucketConfigs::get`], `put`,
//! `delete` and a read-modify-write [`BucketConfigs::update`] by compare-and-set
//! (`MetaStore::swap_bucket_config`), so concurrent updates of the same document (two PutStyle,
//! a partial DeleteBucketTags racing a PutBucketTags) never lose one another's change, on one
//! node or many. The document kinds implement [`BucketConfig`].

use std::convert::Infallible;

use ossd_meta::{ConfigSwap, MetaStore};
use ossd_types::BucketConfig;

use super::{MAX_ATTEMPTS, meta_err};
use crate::StoreError;

/// The configuration documents of buckets; see [`crate::Store::bucket_configs`].
#[derive(Clone, Copy)]
pub struct BucketConfigs<'a> {
    meta: &'a dyn MetaStore,
}

/// What an update makes of the current configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update<C> {
    /// Nothing to store.
    Keep,
    /// Store this value (one that encodes to no document removes it).
    Put(C),
    /// Remove the document.
    Delete,
}

/// Why a read-modify-write ([`BucketConfigs::update`], [`super::Buckets::update`]) failed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError<E> {
    /// The change refused the current value (configuration or record); nothing was stored.
    #[error("update refused")]
    Refused(E),
    /// The storage failed, or the bucket does not exist.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl UpdateError<Infallible> {
    /// The storage error of an update whose change cannot refuse.
    pub fn into_store(self) -> StoreError {
        match self {
            Self::Store(e) => e,
            Self::Refused(never) => match never {},
        }
    }
}

impl<'a> BucketConfigs<'a> {
    pub(super) fn new(meta: &'a dyn MetaStore) -> Self {
        Self { meta }
    }

    /// The bucket's `C` configuration, `None` when it has none. A stored document that no longer
    /// decodes is logged and counts as none. [`StoreError::NoSuchBucket`] when the bucket does
    /// not exist.
    pub async fn get<C: BucketConfig>(&self, bucket: &str) -> Result<Option<C>, StoreError> {
        let doc = self.read::<C>(bucket).await?;
        Ok(doc.and_then(|d| decode(bucket, &d)))
    }

    /// Replaces the bucket's `C` configuration with `config` (a value that encodes to no
    /// document, such as an empty tag set, removes it).
    pub async fn put<C: BucketConfig>(&self, bucket: &str, config: &C) -> Result<(), StoreError> {
        self.write::<C>(bucket, config.encode()).await
    }

    /// Removes the bucket's `C` configuration; no error when it has none.
    pub async fn delete<C: BucketConfig>(&self, bucket: &str) -> Result<(), StoreError> {
        self.write::<C>(bucket, None).await
    }

    /// Applies `change` to the bucket's current `C` configuration and stores the result if
    /// nothing changed the document meanwhile; otherwise applies `change` again to what is
    /// there now. `change` may therefore run several times. Returns whether a document was
    /// written (`false` when `change` kept the current one).
    pub async fn update<C, E, F>(&self, bucket: &str, mut change: F) -> Result<bool, UpdateError<E>>
    where
        C: BucketConfig,
        F: FnMut(Option<C>) -> Result<Update<C>, E>,
    {
        let mut current = self.read::<C>(bucket).await?;
        for _ in 0..MAX_ATTEMPTS {
            let value = current.as_deref().and_then(|d| decode::<C>(bucket, d));
            let doc = match change(value).map_err(UpdateError::Refused)? {
                Update::Keep => return Ok(false),
                Update::Put(c) => c.encode(),
                Update::Delete => None,
            };
            match self
                .meta
                .swap_bucket_config(bucket, C::KIND, current.as_deref(), doc)
                .await
                .map_err(meta_err)?
            {
                ConfigSwap::Swapped => return Ok(true),
                ConfigSwap::Changed(now) => current = now,
            }
        }
        Err(StoreError::Contended.into())
    }

    async fn read<C: BucketConfig>(&self, bucket: &str) -> Result<Option<String>, StoreError> {
        self.meta
            .get_bucket_config(bucket, C::KIND)
            .await
            .map_err(meta_err)
    }

    async fn write<C: BucketConfig>(
        &self,
        bucket: &str,
        doc: Option<String>,
    ) -> Result<(), StoreError> {
        self.meta
            .put_bucket_config(bucket, C::KIND, doc)
            .await
            .map_err(meta_err)
    }
}

/// The value of a stored document; `None` (logged) when it no longer decodes.
fn decode<C: BucketConfig>(bucket: &str, doc: &str) -> Option<C> {
    match C::decode(doc) {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::warn!(bucket, kind = C::KIND, error = %e, "stored bucket configuration is invalid; ignored");
            None
        }
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
