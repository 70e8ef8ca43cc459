//! [`Iam`]: the identity service handle (store, keyring, caches, counters) and opening it.

use crate::cache::Cache;
use crate::identity::PolicySet;
use crate::stats::Counters;
use crate::store::{KEYCHECK, KeyCheck, KeyRecord, RoleRecord, Store, StoreError, Txn, UserRecord};
use crate::{IamError, IamStats, Keyring};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ossd_meta::MetaStore;
use ossd_types::Clock;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The plaintext of the master-key check box.
const KEYCHECK_PLAIN: &[u8] = b"ossd-iam keycheck v1";
/// Associated data of the master-key check box.
const KEYCHECK_CONTEXT: &[u8] = b"ossd-iam keycheck";

/// The shared state behind an [`Iam`].
pub(crate) struct Inner {
    pub store: Store,
    pub keyring: Keyring,
    pub account_id: String,
    pub clock: Arc<dyn Clock>,
    pub counters: Counters,
    pub keys: Cache<String, Option<KeyRecord>>,
    /// Unsealed secrets of long-term keys by id (resolve.rs, `secret_of`).
    pub secrets: Cache<String, Arc<crate::resolve::UnsealedSecret>>,
    pub users: Cache<String, Option<UserRecord>>,
    /// The account's Block Public Access settings (one entry, key `()`; public_access.rs).
    pub public_access: Cache<(), Option<ossd_policy::PublicAccessBlock>>,
    pub roles: Cache<String, Option<RoleRecord>>,
    pub policies: Cache<crate::identity::Principal, Arc<PolicySet>>,
    pub last_used: Mutex<HashMap<String, i64>>,
    pub parsed: crate::parsed::ParsedPolicies,
}

/// The identity service: RAM entities, STS tokens, `resolve` and `authorize`. Cheap to clone.
#[derive(Clone)]
pub struct Iam {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Iam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Iam")
            .field("account_id", &self.inner.account_id)
            .field("keyring", &self.inner.keyring)
            .finish_non_exhaustive()
    }
}

impl Iam {
    /// Opens the identity state of `account_id` in `meta`, checking that `keyring` is the key
    /// the stored secrets were sealed with (the first open records a check box).
    pub async fn open(
        meta: Arc<dyn MetaStore>,
        keyring: Keyring,
        account_id: String,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, IamError> {
        let store = Store::new(meta, &account_id);
        check_master_key(&store, &keyring).await?;
        let inner = Inner {
            store,
            keyring,
            account_id,
            clock,
            counters: Counters::default(),
            keys: Cache::default(),
            secrets: Cache::default(),
            users: Cache::default(),
            public_access: Cache::default(),
            roles: Cache::default(),
            policies: Cache::default(),
            last_used: Mutex::new(HashMap::new()),
            parsed: crate::parsed::ParsedPolicies::default(),
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// The account this service manages.
    pub fn account_id(&self) -> &str {
        &self.inner.account_id
    }

    /// Counters for metrics: tokens issued, denials.
    pub fn stats(&self) -> IamStats {
        self.inner.counters.snapshot()
    }

    /// Now, Unix seconds.
    pub(crate) fn now(&self) -> i64 {
        self.inner.clock.now().unix_timestamp()
    }

    /// The store.
    /// Drops every cached IAM value now: another node sharing the metadata store committed an
    /// IAM change (docs/scale-out.md, "Caches"). Without this, cached values live at most 5 s.
    pub fn invalidate_caches(&self) {
        self.store().invalidate();
    }

    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }
}

/// Opens the check box, or records one if there is none yet.
async fn check_master_key(store: &Store, keyring: &Keyring) -> Result<(), IamError> {
    for _ in 0..3 {
        if let Some(found) = store.get::<KeyCheck>(KEYCHECK).await? {
            let sealed = STANDARD.decode(&found.value.sealed).unwrap_or_default();
            let opened = keyring.open(KEYCHECK_CONTEXT, &sealed);
            return match opened {
                Some(plain) if plain.as_slice() == KEYCHECK_PLAIN => Ok(()),
                _ => Err(IamError::MasterKeyMismatch),
            };
        }
        let sealed = STANDARD.encode(keyring.seal(KEYCHECK_CONTEXT, KEYCHECK_PLAIN)?);
        let mut txn = Txn::new();
        txn.absent(KEYCHECK).put(KEYCHECK, &KeyCheck { sealed });
        match store.commit(txn).await {
            Ok(()) => return Ok(()),
            Err(StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(IamError::TooManyConflicts("recording the master key check"))
}
