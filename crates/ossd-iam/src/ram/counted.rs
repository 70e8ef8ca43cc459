//! Creating and deleting entities under an account-wide limit (users, groups, roles, custom
//! policies): the commit bumps or drops the account counter under a revision check, so the
//! limit and the name's uniqueness hold however many calls race.

use super::Fail;
use crate::Entity;
use crate::store::{Counter, Stored, Txn};
use crate::{Iam, codes};
use serde::Serialize;

/// A named entity about to be created.
pub(super) struct Creation<'a, T> {
    /// The counter (`users`, `groups`, `roles`, `policies`).
    pub counter: &'a str,
    /// The account-wide limit.
    pub limit: u64,
    /// The suffix of `LimitExceeded.*` / `EntityAlreadyExists.*`.
    pub what: Entity,
    /// The record's key.
    pub key: String,
    /// The record.
    pub record: &'a T,
}

impl Iam {
    /// The account-wide counter `what`, with its key.
    async fn counter(&self, what: &str) -> Result<(String, Option<Stored<Counter>>), Fail> {
        let key = self.store().layout.counter(what);
        let stored = self.store().get::<Counter>(&key).await?;
        Ok((key, stored))
    }

    /// Commits `txn` plus the creation of `c`: limit, then name, then counter and record.
    pub(super) async fn create_counted<T: Serialize>(
        &self,
        c: Creation<'_, T>,
        mut txn: Txn,
    ) -> Result<(), Fail> {
        let (count_key, count) = self.counter(c.counter).await?;
        let n = count.as_ref().map_or(0, |s| s.value.n);
        if n >= c.limit {
            return Err(codes::limit_exceeded(c.what).into());
        }
        if self
            .store()
            .get::<serde_json::Value>(&c.key)
            .await?
            .is_some()
        {
            return Err(codes::already_exists(c.what).into());
        }
        txn.expect(&count_key, count.as_ref())
            .put(&count_key, &Counter { n: n + 1 })
            .absent(&c.key)
            .put(&c.key, c.record);
        self.commit(txn).await
    }

    /// Commits `txn` (which deletes an entity) plus the decrement of counter `counter`.
    pub(super) async fn delete_counted(&self, counter: &str, mut txn: Txn) -> Result<(), Fail> {
        let (count_key, count) = self.counter(counter).await?;
        let n = count.as_ref().map_or(0, |s| s.value.n);
        txn.expect(&count_key, count.as_ref()).put(
            &count_key,
            &Counter {
                n: n.saturating_sub(1),
            },
        );
        self.commit(txn).await
    }

    /// Adds the checks that every prefix of `dependents` is empty, failing with its
    /// `DeleteConflict.*` code when one is not.
    pub(super) async fn require_no_dependents(
        &self,
        dependents: &[(String, Entity)],
        txn: &mut Txn,
    ) -> Result<(), Fail> {
        for (prefix, conflict) in dependents {
            if !self.store().is_empty(prefix).await? {
                return Err(codes::delete_conflict(*conflict).into());
            }
            txn.empty(prefix);
        }
        Ok(())
    }

    /// Moves a record from `old_key` to `new_key` in `txn` when a rename changes its key (not
    /// for a change of case only), failing with `EntityAlreadyExists.{what}` if the name is taken.
    pub(super) async fn rekey(
        &self,
        old_key: &str,
        new_key: &str,
        what: Entity,
        txn: &mut Txn,
    ) -> Result<(), Fail> {
        if old_key == new_key {
            return Ok(());
        }
        if self
            .store()
            .get::<serde_json::Value>(new_key)
            .await?
            .is_some()
        {
            return Err(codes::already_exists(what).into());
        }
        txn.absent(new_key).delete(old_key);
        Ok(())
    }
}
