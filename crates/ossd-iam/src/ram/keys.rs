//! AccessKeys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
//! GetAccessKeyLastUsed (docs/protocol/ram.md#accesskey-pairs, #ram-actions,
//! #ram-action-semantics). Secrets are sealed at rest; only CreateAccessKey returns one.

use super::{AccessKey, Fail, KeyRef, NewAccessKey, Out, RamOutcome, UserName};
use crate::Entity;
use crate::store::{
    Empty, KeyRecord, KeyStatus, NameRef, ROOT_OWNER, Stored, Txn, UserRecord, access_key, child,
};
use crate::{Caller, Iam, codes, ids};

/// Most AccessKeys per user (and for root) (docs/protocol/ram.md#names-and-limits).
pub(crate) const MAX_KEYS: usize = 2;

/// Whose keys an action manages.
pub(super) enum Owner {
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
    /// `UserName`, else the calling user, else (root) the root keys.
    pub(super) async fn key_owner_of(
        &self,
        caller: &Caller,
        user_name: Option<&UserName>,
    ) -> Result<Owner, Fail> {
        if let Some(name) = user_name {
            return Ok(Owner::User(self.user_named(name.as_str()).await?));
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
    pub(super) async fn create_key(&self, owner: &Owner) -> Out {
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
    pub(super) async fn list_keys(&self, owner: &Owner) -> Out {
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
    async fn owned_key(&self, owner: &Owner, id: &str) -> Result<Stored<KeyRecord>, Fail> {
        if id.is_empty() {
            return Err(codes::missing("UserAccessKeyId").into());
        }
        let found = self.store().get::<KeyRecord>(&access_key(id)).await?;
        found
            .filter(|k| k.value.owner == owner.id() && k.value.account == self.inner.account_id)
            .ok_or_else(|| codes::not_exist(Entity::UserAccessKey).into())
    }

    /// UpdateAccessKey: `Status` Active / Inactive.
    pub(super) async fn update_key(
        &self,
        caller: &Caller,
        key: &KeyRef,
        status: Option<&str>,
    ) -> Out {
        let owner = self.key_owner_of(caller, key.user_name.as_ref()).await?;
        let status = status
            .filter(|s| !s.is_empty())
            .ok_or_else(|| codes::missing("Status"))?;
        let status = KeyStatus::parse(status).ok_or_else(|| codes::incorrect("Status"))?;
        let key = self.owned_key(&owner, &key.access_key_id).await?;
        let mut record = key.value.clone();
        record.status = status;
        let mut txn = Txn::new();
        txn.expect(&access_key(&record.id), Some(&key))
            .put(&access_key(&record.id), &record);
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// DeleteAccessKey.
    pub(super) async fn delete_key(&self, caller: &Caller, key: &KeyRef) -> Out {
        let owner = &self.key_owner_of(caller, key.user_name.as_ref()).await?;
        let key = self.owned_key(owner, &key.access_key_id).await?;
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
    pub(super) async fn key_last_used(&self, caller: &Caller, key: &KeyRef) -> Out {
        let owner = self.key_owner_of(caller, key.user_name.as_ref()).await?;
        let key = self.owned_key(&owner, &key.access_key_id).await?;
        let used = self
            .inner
            .last_used
            .lock()
            .ok()
            .and_then(|m| m.get(&key.value.id).copied());
        Ok(RamOutcome::AccessKeyLastUsed(used))
    }
}
