//! AccessKeys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
//! GetAccessKeyLastUsed (docs/protocol/ram.md#accesskey-pairs, #ram-actions,
//! #ram-action-semantics). Secrets are sealed at rest; only CreateAccessKey returns one.

use super::{AccessKey, Fail, NewAccessKey, Out, RamOutcome};
use crate::Entity;
use crate::params::Params;
use crate::store::{
    Empty, KeyRecord, KeyStatus, NameRef, ROOT_OWNER, Stored, Txn, UserRecord, access_key, child,
};
use crate::{Caller, Iam, RamAction, codes, ids, validate};

/// Most AccessKeys per user (and for root) (docs/protocol/ram.md#names-and-limits).
pub(crate) const MAX_KEYS: usize = 2;

/// Whose keys an action manages.
enum Owner {
    /// The account root.
    Root,
    /// A RAM user, as read.
    User(Stored<UserRecord>),
}

impl Owner {
    /// The owner id of key records and index keys.
    fn id(&self) -> &str {
        match self {
            Self::Root => ROOT_OWNER,
            Self::User(u) => &u.value.id,
        }
    }
}

impl Iam {
    /// Dispatches the AccessKey actions.
    pub(super) async fn key_action(
        &self,
        caller: &Caller,
        action: RamAction,
        p: Params<'_>,
    ) -> Out {
        let owner = self.key_owner_of(caller, p).await?;
        match action {
            RamAction::CreateAccessKey => self.create_key(&owner).await,
            RamAction::ListAccessKeys => self.list_keys(&owner).await,
            RamAction::UpdateAccessKey => self.update_key(&owner, p).await,
            RamAction::DeleteAccessKey => self.delete_key(&owner, p).await,
            _ => self.key_last_used(&owner, p).await,
        }
    }

    /// `UserName`, else the calling user, else (root) the root keys.
    async fn key_owner_of(&self, caller: &Caller, p: Params<'_>) -> Result<Owner, Fail> {
        if let Some(name) = p.opt("UserName") {
            validate::user_or_group_name("UserName", name)?;
            return Ok(Owner::User(self.user_named(name).await?));
        }
        match caller {
            Caller::Root { .. } => Ok(Owner::Root),
            Caller::User { user_id, .. } => {
                let index = self.store().layout.user_id(user_id);
                let found = self.store().get::<NameRef>(&index).await?;
                let name = found.ok_or_else(|| codes::not_exist(Entity::User))?;
                Ok(Owner::User(self.user_named(&name.value.name).await?))
            }
            _ => Err(codes::missing("UserName").into()),
        }
    }

    /// Locks the owner in `txn` (its record, or the root lock) so that key counts stay exact.
    async fn lock_owner(&self, owner: &Owner, txn: &mut Txn) -> Result<(), Fail> {
        let layout = &self.store().layout;
        match owner {
            Owner::User(u) => txn.touch(&layout.user(&u.value.name), u),
            Owner::Root => {
                let lock = self.store().get::<Empty>(&layout.root()).await?;
                txn.lock(&layout.root(), lock.as_ref())
            }
        };
        Ok(())
    }

    /// CreateAccessKey.
    async fn create_key(&self, owner: &Owner) -> Out {
        let prefix = self.store().layout.owner_keys(owner.id());
        let mut txn = Txn::new();
        self.lock_owner(owner, &mut txn).await?;
        if self
            .store()
            .scan::<Empty>(&prefix, "", MAX_KEYS)
            .await?
            .len()
            >= MAX_KEYS
        {
            return Err(codes::limit_exceeded(Entity::UserAccessKey).into());
        }
        let (id, secret) = (ids::access_key_id(), ids::access_key_secret());
        let record = KeyRecord {
            id: id.clone(),
            account: self.inner.account_id.clone(),
            owner: owner.id().to_owned(),
            status: KeyStatus::Active,
            created: self.now(),
            sealed_secret: self.seal_secret(&id, &secret)?,
        };
        txn.absent(&access_key(&id))
            .put(&access_key(&id), &record)
            .put(&child(&prefix, &id), &Empty {});
        self.commit(txn).await?;
        Ok(RamOutcome::AccessKeyCreated(NewAccessKey {
            key: AccessKey::from(&record),
            secret,
        }))
    }

    /// ListAccessKeys.
    async fn list_keys(&self, owner: &Owner) -> Out {
        let prefix = self.store().layout.owner_keys(owner.id());
        let mut keys = Vec::new();
        for (id, _) in self.store().scan_all::<Empty>(&prefix).await? {
            if let Some(k) = self.store().get::<KeyRecord>(&access_key(&id)).await? {
                keys.push(AccessKey::from(&k.value));
            }
        }
        Ok(RamOutcome::AccessKeys(keys))
    }

    /// The key `UserAccessKeyId` of `owner`, or 404 `EntityNotExist.User.AccessKey`.
    async fn owned_key(&self, owner: &Owner, p: Params<'_>) -> Result<Stored<KeyRecord>, Fail> {
        let id = p.required("UserAccessKeyId")?;
        let found = self.store().get::<KeyRecord>(&access_key(id)).await?;
        found
            .filter(|k| k.value.owner == owner.id() && k.value.account == self.inner.account_id)
            .ok_or_else(|| codes::not_exist(Entity::UserAccessKey).into())
    }

    /// UpdateAccessKey: `Status` Active / Inactive.
    async fn update_key(&self, owner: &Owner, p: Params<'_>) -> Out {
        let status = p.required("Status")?;
        let status = KeyStatus::parse(status).ok_or_else(|| codes::incorrect("Status"))?;
        let key = self.owned_key(owner, p).await?;
        let mut record = key.value.clone();
        record.status = status;
        let mut txn = Txn::new();
        txn.expect(&access_key(&record.id), Some(&key))
            .put(&access_key(&record.id), &record);
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// DeleteAccessKey.
    async fn delete_key(&self, owner: &Owner, p: Params<'_>) -> Out {
        let key = self.owned_key(owner, p).await?;
        let id = &key.value.id;
        let index = child(&self.store().layout.owner_keys(owner.id()), id);
        let mut txn = Txn::new();
        txn.expect(&access_key(id), Some(&key))
            .delete(&access_key(id))
            .delete(&index);
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// GetAccessKeyLastUsed: known only for uses seen by this process since it started.
    async fn key_last_used(&self, owner: &Owner, p: Params<'_>) -> Out {
        let key = self.owned_key(owner, p).await?;
        let used = self
            .inner
            .last_used
            .lock()
            .ok()
            .and_then(|m| m.get(&key.value.id).copied());
        Ok(RamOutcome::AccessKeyLastUsed(used))
    }
}
