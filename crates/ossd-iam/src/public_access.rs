//! The account's Block Public Access settings (OSS API reference, PutPublicAccessBlock /
//! GetPublicAccessBlock / DeletePublicAccessBlock; docs/protocol/buckets.md#block-public-access):
//! one record in the account's IAM key space, `acct/{AccountId}/public-access-block`, read by
//! every bucket's authorization together with the bucket's own settings.

use ossd_policy::PublicAccessBlock;

use crate::store::{PublicAccessBlockRecord, Txn};
use crate::{Iam, IamError};

impl From<&PublicAccessBlockRecord> for PublicAccessBlock {
    fn from(r: &PublicAccessBlockRecord) -> Self {
        Self {
            block_public_acls: r.block_public_acls,
            ignore_public_acls: r.ignore_public_acls,
            block_public_policy: r.block_public_policy,
            restrict_public_buckets: r.restrict_public_buckets,
        }
    }
}

impl From<PublicAccessBlock> for PublicAccessBlockRecord {
    fn from(b: PublicAccessBlock) -> Self {
        Self {
            block_public_acls: b.block_public_acls,
            ignore_public_acls: b.ignore_public_acls,
            block_public_policy: b.block_public_policy,
            restrict_public_buckets: b.restrict_public_buckets,
        }
    }
}

impl Iam {
    /// The account's Block Public Access settings; `None` when none were set. Read by every
    /// authorization the settings can change, so cached like the other identity records
    /// (`cache.rs`: dropped on this process's writes, at most a few seconds old otherwise).
    pub async fn account_public_access_block(&self) -> Result<Option<PublicAccessBlock>, IamError> {
        let generation = self.store().generation();
        if let Some(found) = self.inner.public_access.get(generation, &()) {
            return Ok(found);
        }
        let key = self.store().layout.public_access_block();
        let found = self.store().get::<PublicAccessBlockRecord>(&key).await?;
        let settings = found.map(|r| PublicAccessBlock::from(&r.value));
        self.inner.public_access.insert(generation, (), settings);
        Ok(settings)
    }

    /// Sets the account's Block Public Access settings (`None` removes them).
    pub async fn set_account_public_access_block(
        &self,
        settings: Option<PublicAccessBlock>,
    ) -> Result<(), IamError> {
        let key = self.store().layout.public_access_block();
        let mut txn = Txn::new();
        match settings {
            Some(b) => {
                txn.put(&key, &PublicAccessBlockRecord::from(b));
            }
            None => {
                txn.delete(&key);
            }
        }
        self.store().commit(txn).await?;
        self.inner.counters.wrote();
        Ok(())
    }
}
