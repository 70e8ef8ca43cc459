//! Registering a RAM user's AccessKey with a given id and secret (the emulator's documented dev
//! credentials and seed files), idempotently. CreateAccessKey always generates both.

use crate::ram::{Fail, MAX_KEYS, internal};
use crate::store::{Empty, KeyRecord, KeyStatus, Txn, access_key, child};
use crate::{ActionError, Entity, IamError};
use crate::{Iam, codes, validate};

/// How often registration re-runs after a concurrent change.
const ATTEMPTS: usize = 8;

impl Iam {
    /// Registers the AccessKey `access_key_id` / `secret` for the existing RAM user `user_name`
    /// (Active, secret sealed at rest). Running it again with the same pair changes nothing;
    /// an existing key of that user gets `secret` and is made Active. Fails with the RAM codes:
    /// `EntityNotExist.User`, `LimitExceeded.User.AccessKey` (a third key), and
    /// `EntityAlreadyExists.User.AccessKey` when the id belongs to someone else.
    pub async fn ensure_user_key(
        &self,
        user_name: &str,
        access_key_id: &str,
        secret: &str,
    ) -> Result<(), ActionError> {
        validate::user_or_group_name("UserName", user_name)?;
        if access_key_id.is_empty() || secret.is_empty() {
            return Err(codes::missing("AccessKeyId"));
        }
        for _ in 0..ATTEMPTS {
            match self
                .try_ensure_user_key(user_name, access_key_id, secret)
                .await
            {
                Ok(()) => return Ok(()),
                Err(Fail::Action(e)) => return Err(e),
                Err(Fail::Backend(m)) => return Err(internal(m)),
                Err(Fail::Conflict) => continue,
            }
        }
        Err(internal(IamError::TooManyConflicts(
            "registering a user key",
        )))
    }

    /// One attempt of [`Iam::ensure_user_key`].
    async fn try_ensure_user_key(
        &self,
        user_name: &str,
        access_key_id: &str,
        secret: &str,
    ) -> Result<(), Fail> {
        let user = self.user_named(user_name).await?;
        let owner = user.value.id.clone();
        let key = access_key(access_key_id);
        let existing = self.store().get::<KeyRecord>(&key).await?;
        let prefix = self.store().layout.owner_keys(&owner);
        if let Some(found) = &existing {
            let k = &found.value;
            if k.owner != owner || k.account != self.inner.account_id {
                return Err(codes::already_exists(Entity::UserAccessKey).into());
            }
            let same = self.unseal_secret(k).is_ok_and(|s| s.as_str() == secret);
            if same && k.status == KeyStatus::Active {
                return Ok(());
            }
        } else if self
            .store()
            .scan::<Empty>(&prefix, "", MAX_KEYS)
            .await?
            .len()
            >= MAX_KEYS
        {
            return Err(codes::limit_exceeded(Entity::UserAccessKey).into());
        }
        let record = KeyRecord {
            id: access_key_id.to_owned(),
            account: self.inner.account_id.clone(),
            owner,
            status: KeyStatus::Active,
            created: existing
                .as_ref()
                .map_or_else(|| self.now(), |e| e.value.created),
            sealed_secret: self.seal_secret(access_key_id, secret)?,
        };
        let mut txn = Txn::new();
        txn.touch(&self.store().layout.user(user_name), &user)
            .expect(&key, existing.as_ref())
            .put(&key, &record)
            .put(&child(&prefix, access_key_id), &Empty {});
        self.commit(txn).await
    }
}
