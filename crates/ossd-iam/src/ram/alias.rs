//! The account alias: GetAccountAlias, SetAccountAlias, ClearAccountAlias
//! (docs/protocol/ram.md#ram-actions, #ram-action-semantics; stored only).

use super::{AccountAlias, Out, RamOutcome};
use crate::Iam;
use crate::store::{AliasRecord, Txn};

impl Iam {
    /// GetAccountAlias (empty when none is set).
    pub(super) async fn get_alias(&self) -> Out {
        let key = self.store().layout.alias();
        let found = self.store().get::<AliasRecord>(&key).await?;
        let alias = found.map(|a| a.value.alias).unwrap_or_default();
        Ok(RamOutcome::AccountAlias(alias))
    }

    /// SetAccountAlias.
    pub(super) async fn set_alias(&self, alias: &AccountAlias) -> Out {
        let key = self.store().layout.alias();
        let mut txn = Txn::new();
        txn.put(
            &key,
            &AliasRecord {
                alias: alias.as_str().to_owned(),
            },
        );
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// ClearAccountAlias.
    pub(super) async fn clear_alias(&self) -> Out {
        let mut txn = Txn::new();
        txn.delete(&self.store().layout.alias());
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }
}
