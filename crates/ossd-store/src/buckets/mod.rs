//! The bucket service: bucket records (create, get, delete, list, figures, and
//! [`Buckets::update`], the one read-modify-write of a record by compare-and-set behind the ACL
//! and versioning changes) and the typed configuration documents of a bucket ([`BucketConfigs`]).
//! Everything the HTTP layer does to a bucket goes through here.

mod config;

pub use config::{BucketConfigs, Update, UpdateError};

use std::convert::Infallible;

use ossd_meta::{BucketRecord, BucketStats, BucketSwap, MetaError, MetaStore};
use ossd_types::{BucketAcl, BucketConfig, VersioningState};

use crate::{Store, StoreError};

/// How many buckets [`Buckets::list_all`] reads at a time.
const PAGE: usize = 1000;

/// How many times a read-modify-write ([`Buckets::update`], [`BucketConfigs::update`]) is
/// re-applied after losing a race. Every conflict means another update succeeded, so this ends
/// early only under extreme contention ([`StoreError::Contended`]).
const MAX_ATTEMPTS: usize = 1000;

/// The configuration documents a bucket is created with ([`Buckets::create_with`]).
#[derive(Debug, Clone, Default)]
pub struct InitialConfigs(Vec<(String, String)>);

impl InitialConfigs {
    /// Adds `config` (a value that encodes to no document adds nothing).
    #[must_use]
    pub fn with<C: BucketConfig>(mut self, config: &C) -> Self {
        if let Some(doc) = config.encode() {
            self.0.retain(|(kind, _)| kind != C::KIND);
            self.0.push((C::KIND.to_owned(), doc));
        }
        self
    }

    /// How many documents there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Bucket records; see [`Store::buckets`].
#[derive(Clone, Copy)]
pub struct Buckets<'a> {
    meta: &'a dyn MetaStore,
}

impl Store {
    /// The bucket service: records, listings and figures.
    pub fn buckets(&self) -> Buckets<'_> {
        Buckets {
            meta: self.meta.as_ref(),
        }
    }

    /// The typed configuration documents of buckets (CORS, Referer, lifecycle, policy, styles,
    /// tags).
    pub fn bucket_configs(&self) -> BucketConfigs<'_> {
        BucketConfigs::new(self.meta.as_ref())
    }
}

impl Buckets<'_> {
    /// Creates the bucket `record` describes (name, owner, ACL, storage class, region,
    /// versioning). Returns `false` when the name is taken already, by any owner: nothing is
    /// changed then.
    pub async fn create(&self, record: BucketRecord) -> Result<bool, StoreError> {
        match self.meta.create_bucket(record).await {
            Ok(()) => Ok(true),
            Err(MetaError::BucketAlreadyExists) => Ok(false),
            Err(e) => Err(meta_err(e)),
        }
    }

    /// [`Buckets::create`] with configuration documents written in the same atomic step
    /// (`MetaStore::create_bucket_with_configs`): the bucket never exists without them.
    pub async fn create_with(
        &self,
        record: BucketRecord,
        configs: InitialConfigs,
    ) -> Result<bool, StoreError> {
        match self
            .meta
            .create_bucket_with_configs(record, configs.0)
            .await
        {
            Ok(()) => Ok(true),
            Err(MetaError::BucketAlreadyExists) => Ok(false),
            Err(e) => Err(meta_err(e)),
        }
    }

    /// The bucket's record, `None` when it does not exist.
    pub async fn get(&self, name: &str) -> Result<Option<BucketRecord>, StoreError> {
        self.meta.get_bucket(name).await.map_err(meta_err)
    }

    /// Deletes an empty bucket with its configuration documents: [`StoreError::BucketNotEmpty`]
    /// while it has any object version (delete markers included) or multipart upload.
    pub async fn delete(&self, name: &str) -> Result<(), StoreError> {
        self.meta.delete_bucket(name).await.map_err(meta_err)
    }

    /// The buckets of `owner` whose name starts with `prefix` and sorts after `marker`, at most
    /// `max`, by name; the flag says whether more follow.
    pub async fn list(
        &self,
        owner: &str,
        prefix: &str,
        marker: &str,
        max: usize,
    ) -> Result<(Vec<BucketRecord>, bool), StoreError> {
        self.meta
            .list_buckets(owner, prefix, marker, max)
            .await
            .map_err(meta_err)
    }

    /// Every bucket of `owner`, by name.
    pub async fn list_all(&self, owner: &str) -> Result<Vec<BucketRecord>, StoreError> {
        let mut all: Vec<BucketRecord> = Vec::new();
        loop {
            let marker = all.last().map(|b| b.name.clone()).unwrap_or_default();
            let (page, more) = self.list(owner, "", &marker, PAGE).await?;
            all.extend(page);
            if !more {
                return Ok(all);
            }
        }
    }

    /// Applies `change` to the bucket's current record and stores the result if nothing changed
    /// the record meanwhile (compare-and-set, `MetaStore::swap_bucket`); otherwise applies
    /// `change` again to what is there now, so concurrent updates (PutBucketAcl and
    /// PutBucketVersioning) never lose one another. `change` may therefore run several times;
    /// it must not rename the bucket. Returns the record as stored (unchanged, and not written,
    /// when `change` changed nothing). [`StoreError::NoSuchBucket`] when the bucket does not
    /// exist.
    pub async fn update<E, F>(
        &self,
        name: &str,
        mut change: F,
    ) -> Result<BucketRecord, UpdateError<E>>
    where
        F: FnMut(&mut BucketRecord) -> Result<(), E>,
    {
        let mut current = self.get(name).await?.ok_or(StoreError::NoSuchBucket)?;
        for _ in 0..MAX_ATTEMPTS {
            let mut next = current.clone();
            change(&mut next).map_err(UpdateError::Refused)?;
            if next == current {
                return Ok(next);
            }
            match self
                .meta
                .swap_bucket(&current, next.clone())
                .await
                .map_err(meta_err)?
            {
                BucketSwap::Swapped => return Ok(next),
                BucketSwap::Changed(now) => current = *now,
            }
        }
        Err(StoreError::Contended.into())
    }

    /// Sets the bucket's canned ACL (an [`Buckets::update`]).
    pub async fn set_acl(&self, name: &str, acl: BucketAcl) -> Result<(), StoreError> {
        self.update(name, |b| {
            b.acl = acl;
            Ok::<_, Infallible>(())
        })
        .await
        .map(drop)
        .map_err(UpdateError::into_store)
    }

    /// Sets the bucket's versioning state (an [`Buckets::update`]).
    pub async fn set_versioning(
        &self,
        name: &str,
        state: VersioningState,
    ) -> Result<(), StoreError> {
        self.update(name, |b| {
            b.versioning = state;
            Ok::<_, Infallible>(())
        })
        .await
        .map(drop)
        .map_err(UpdateError::into_store)
    }

    /// The bucket's figures (GetBucketStat), kept exact by every write.
    pub async fn stats(&self, name: &str) -> Result<BucketStats, StoreError> {
        self.meta.bucket_stats(name).await.map_err(meta_err)
    }
}

/// A metadata error of a bucket operation, with the bucket outcomes as their own variants.
pub(crate) fn meta_err(e: MetaError) -> StoreError {
    match e {
        MetaError::NoSuchBucket => StoreError::NoSuchBucket,
        MetaError::BucketNotEmpty => StoreError::BucketNotEmpty,
        e => StoreError::Meta(e),
    }
}

#[cfg(test)]
mod tests;
