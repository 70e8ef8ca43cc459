//! Resolving an AccessKey id (+ security token) to its secret and [`Caller`]
//! (docs/protocol/ram.md#accesskey-pairs, docs/protocol/sts.md#sessions-and-tokens,
//! #sts-credential-errors).

use crate::store::{
    KeyRecord, KeyStatus, ROOT_OWNER, RoleRecord, StoreError, UserRecord, access_key,
};
use crate::token::{SessionClaims, TEMP_KEY_PREFIX};
use crate::{Caller, Iam, IamError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::sync::Arc;
use zeroize::Zeroizing;

/// A long-term key's unsealed secret and the sealed text it came from (a cached secret serves a
/// key record only while the record holds the same sealed text). Its `Debug` prints neither.
pub(crate) struct UnsealedSecret {
    sealed: String,
    secret: Zeroizing<String>,
}

impl std::fmt::Debug for UnsealedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UnsealedSecret(..)")
    }
}

/// The result of resolving an AccessKey id (+ security token).
pub struct Resolved {
    /// The secret to verify the request's signature with.
    pub secret: Zeroizing<String>,
    /// Who the credentials belong to.
    pub caller: Caller,
}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("caller", &self.caller)
            .finish_non_exhaustive()
    }
}

/// Associated data of a sealed long-term secret: binds it to its key id.
pub(crate) fn secret_context(access_key_id: &str) -> Vec<u8> {
    format!("ossd-iam ak/{access_key_id}").into_bytes()
}

impl Iam {
    /// OSS/RPC request authentication: the secret to verify the signature with, and the caller.
    /// `STS.` ids require `token` (sealed, stateless, docs/protocol/sts.md#sessions-and-tokens,
    /// #sts-credential-errors: InvalidSecurityToken.*, SecurityTokenExpired,
    /// AccessKeyIdAndSecurityTokenNotMatch); long-term keys must be Active; a deleted role
    /// invalidates its sessions.
    pub async fn resolve(
        &self,
        access_key_id: &str,
        token: Option<&str>,
    ) -> Result<Resolved, IamError> {
        let token = token.filter(|t| !t.is_empty());
        let result = match (access_key_id.starts_with(TEMP_KEY_PREFIX), token) {
            (true, Some(token)) => self.resolve_session(access_key_id, token).await,
            (true, None) => Err(IamError::MissingSecurityToken),
            (false, Some(_)) => Err(IamError::InvalidAccessKeyId),
            (false, None) => self.resolve_long_term(access_key_id).await,
        };
        if let Err(e) = &result {
            self.inner.counters.resolve_failed();
            tracing::debug!(access_key_id, error = %e, "credentials refused");
        }
        result
    }

    /// Opens the token, then checks key id, expiry and that the role still exists.
    async fn resolve_session(
        &self,
        access_key_id: &str,
        token: &str,
    ) -> Result<Resolved, IamError> {
        let (claims, secret) = SessionClaims::open(&self.inner.keyring, token)
            .ok_or(IamError::InvalidSecurityToken)?;
        if claims.access_key_id != access_key_id {
            return Err(IamError::AccessKeyIdAndSecurityTokenNotMatch);
        }
        if self.now() >= claims.expires_at {
            return Err(IamError::SecurityTokenExpired);
        }
        if claims.account_id != self.inner.account_id {
            return Err(IamError::InvalidSecurityToken);
        }
        if let Some(owner) = &claims.owner {
            let caller = self.session_owner(owner, &claims.access_key_id).await?;
            return Ok(Resolved { secret, caller });
        }
        let role = self.role_by_id(&claims.role_id).await?;
        if claims.account_id != self.inner.account_id || role.is_none() {
            return Err(IamError::InvalidSecurityToken);
        }
        let caller = Caller::Session {
            account_id: claims.account_id,
            role_id: claims.role_id,
            role_name: role.map_or(claims.role_name, |r| r.name),
            session_name: claims.session_name,
            session_policy: claims.session_policy,
            expires_at: claims.expires_at,
            access_key_id: claims.access_key_id,
        };
        Ok(Resolved { secret, caller })
    }

    /// The caller of a GetSessionToken session (docs/protocol/aws-sts.md#getsessiontoken): the
    /// account root or the user, who must still exist; `access_key_id` is the temporary one.
    async fn session_owner(&self, owner: &str, access_key_id: &str) -> Result<Caller, IamError> {
        let (account_id, access_key_id) = (self.inner.account_id.clone(), access_key_id.to_owned());
        if owner == ROOT_OWNER {
            return Ok(Caller::Root {
                account_id,
                access_key_id,
            });
        }
        let user = self.user_by_id(owner).await?;
        let user = user.ok_or(IamError::InvalidSecurityToken)?;
        Ok(Caller::User {
            account_id,
            user_id: user.id,
            user_name: user.name,
            access_key_id,
        })
    }

    /// Looks the key up, checks it is Active, unseals the secret and names its owner.
    async fn resolve_long_term(&self, access_key_id: &str) -> Result<Resolved, IamError> {
        let key = self.key_by_id(access_key_id).await?;
        // A key found deleted or disabled (by another node: this one's writes empty the whole
        // cache) leaves the secret cache too.
        let forget = || self.inner.secrets.remove(&access_key_id.to_owned());
        let key = match key {
            Some(key) if key.account == self.inner.account_id => key,
            _ => {
                forget();
                return Err(IamError::InvalidAccessKeyId);
            }
        };
        if key.status != KeyStatus::Active {
            forget();
            return Err(IamError::AccessKeyInactive);
        }
        let secret = self.secret_of(&key)?;
        let caller = self.key_owner(&key).await?;
        self.mark_used(access_key_id);
        Ok(Resolved { secret, caller })
    }

    /// The caller a long-term key belongs to.
    async fn key_owner(&self, key: &KeyRecord) -> Result<Caller, IamError> {
        let (account_id, access_key_id) = (key.account.clone(), key.id.clone());
        if key.owner == ROOT_OWNER {
            return Ok(Caller::Root {
                account_id,
                access_key_id,
            });
        }
        let user = self.user_by_id(&key.owner).await?;
        let user = user.ok_or(IamError::InvalidAccessKeyId)?;
        Ok(Caller::User {
            account_id,
            user_id: user.id,
            user_name: user.name,
            access_key_id,
        })
    }

    /// The secret of `key` (Active, checked by the caller): unsealed once, then from
    /// `Inner::secrets` while the key record holds the same sealed text. Opening the box (base64,
    /// AEAD) cost ≈ 4.5k instructions per request. The cache holds the plaintext in memory only
    /// (zeroized on drop, never printed), at most `cache::MAX_ENTRIES` keys, each for at most
    /// `cache::MAX_AGE`; any IAM write of this process empties it, and a key found deleted or
    /// disabled is dropped from it.
    fn secret_of(&self, key: &KeyRecord) -> Result<Zeroizing<String>, IamError> {
        let generation = self.store().generation();
        let cached = self.inner.secrets.get(generation, &key.id);
        if let Some(hit) = cached.filter(|s| s.sealed == key.sealed_secret) {
            return Ok(Zeroizing::new(hit.secret.as_str().to_owned()));
        }
        let secret = self.unseal_secret(key)?;
        let entry = UnsealedSecret {
            sealed: key.sealed_secret.clone(),
            secret: secret.clone(),
        };
        let id = key.id.clone();
        self.inner.secrets.insert(generation, id, Arc::new(entry));
        Ok(secret)
    }

    /// Opens a key's sealed secret.
    pub(crate) fn unseal_secret(&self, key: &KeyRecord) -> Result<Zeroizing<String>, IamError> {
        let sealed = STANDARD
            .decode(&key.sealed_secret)
            .map_err(|_| IamError::MasterKeyMismatch)?;
        let plain = self
            .inner
            .keyring
            .open(&secret_context(&key.id), &sealed)
            .ok_or(IamError::MasterKeyMismatch)?;
        let text = String::from_utf8(plain.to_vec()).map_err(|_| IamError::MasterKeyMismatch)?;
        Ok(Zeroizing::new(text))
    }

    /// Seals a secret for storage under key `access_key_id`.
    pub(crate) fn seal_secret(
        &self,
        access_key_id: &str,
        secret: &str,
    ) -> Result<String, IamError> {
        let sealed = self
            .inner
            .keyring
            .seal(&secret_context(access_key_id), secret.as_bytes())?;
        Ok(STANDARD.encode(sealed))
    }

    /// Records that a key was used now (in memory, for GetAccessKeyLastUsed).
    fn mark_used(&self, access_key_id: &str) {
        let now = self.now();
        if let Ok(mut used) = self.inner.last_used.lock() {
            used.insert(access_key_id.to_owned(), now);
        }
    }

    /// A long-term key by id, cached.
    pub(crate) async fn key_by_id(&self, id: &str) -> Result<Option<KeyRecord>, StoreError> {
        let generation = self.store().generation();
        if let Some(found) = self.inner.keys.get(generation, &id.to_owned()) {
            return Ok(found);
        }
        let found = self
            .store()
            .get::<KeyRecord>(&access_key(id))
            .await?
            .map(|s| s.value);
        self.inner
            .keys
            .insert(generation, id.to_owned(), found.clone());
        Ok(found)
    }

    /// A user by UserId, cached.
    pub(crate) async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError> {
        let generation = self.store().generation();
        if let Some(found) = self.inner.users.get(generation, &id.to_owned()) {
            return Ok(found);
        }
        let found = self
            .load_by_id(&self.store().layout.user_id(id), |l, n| l.user(n))
            .await?;
        self.inner
            .users
            .insert(generation, id.to_owned(), found.clone());
        Ok(found)
    }

    /// A role by RoleId, cached.
    pub(crate) async fn role_by_id(&self, id: &str) -> Result<Option<RoleRecord>, StoreError> {
        let generation = self.store().generation();
        if let Some(found) = self.inner.roles.get(generation, &id.to_owned()) {
            return Ok(found);
        }
        let found = self
            .load_by_id(&self.store().layout.role_id(id), |l, n| l.role(n))
            .await?;
        let found: Option<RoleRecord> = found.filter(|r: &RoleRecord| r.id == id);
        self.inner
            .roles
            .insert(generation, id.to_owned(), found.clone());
        Ok(found)
    }

    /// Follows an id index to the record it names.
    pub(crate) async fn load_by_id<T: serde::de::DeserializeOwned>(
        &self,
        index_key: &str,
        record_key: impl Fn(&crate::store::Layout, &str) -> String,
    ) -> Result<Option<T>, StoreError> {
        let store = self.store();
        let Some(index) = store.get::<crate::store::NameRef>(index_key).await? else {
            return Ok(None);
        };
        let record = store
            .get::<T>(&record_key(&store.layout, &index.value.name))
            .await?;
        Ok(record.map(|r| r.value))
    }
}
