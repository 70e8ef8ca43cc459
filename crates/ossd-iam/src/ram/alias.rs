//! The account alias: GetAccountAlias, SetAccountAlias, ClearAccountAlias
//! (docs/protocol/ram.md#ram-actions, #ram-action-semantics; stored only).

use super::{Out, RamOutcome};
use crate::params::Params;
use crate::store::{AliasRecord, Txn};
use crate::{Iam, RamAction, validate};

impl Iam {
    /// Dispatches the alias actions.
    pub(super) async fn alias_action(&self, action: RamAction, p: Params<'_>) -> Out {
        let key = self.store().layout.alias();
        match action {
            RamAction::GetAccountAlias => {
                let found = self.store().get::<AliasRecord>(&key).await?;
                let alias = found.map(|a| a.value.alias).unwrap_or_default();
                Ok(RamOutcome::AccountAlias(alias))
            }
            RamAction::SetAccountAlias => {
                let alias = p.raw("AccountAlias").unwrap_or_default();
                validate::account_alias(alias)?;
                let mut txn = Txn::new();
                txn.put(
                    &key,
                    &AliasRecord {
                        alias: alias.to_owned(),
                    },
                );
                self.commit(txn).await?;
                Ok(RamOutcome::Done)
            }
            _ => {
                let mut txn = Txn::new();
                txn.delete(&key);
                self.commit(txn).await?;
                Ok(RamOutcome::Done)
            }
        }
    }
}
