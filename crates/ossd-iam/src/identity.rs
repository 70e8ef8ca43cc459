//! The identity-based policy set of a RAM user (its own and its groups' attachments) or of a role
//! (docs/protocol/authorization.md#identity-based-policies): read live from the store through a
//! cache that every IAM write invalidates, so a detached policy stops applying to existing sessions
//! at once.

use crate::Iam;
use crate::store::VersionRecord;
use crate::store::{AttachedRecord, Empty, EntityKind, PolicyRecord, PolicyType, StoreError};
use ossd_policy::{Policy, PolicyKind};
use std::sync::Arc;

/// Whose identity-based policies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Principal {
    /// A RAM user, by UserId.
    User(String),
    /// A role, by RoleId.
    Role(String),
}

/// A caller's identity-based policies, parsed and named.
#[derive(Debug, Default)]
pub(crate) struct PolicySet {
    /// The policies (default versions), in attachment order.
    pub policies: Vec<Policy>,
}

impl PolicySet {
    /// The policies as the slice `ossd-policy` evaluates.
    pub(crate) fn refs(&self) -> Vec<&Policy> {
        self.policies.iter().collect()
    }
}

/// The `(type, folded name)` of an `attached/…` key suffix.
pub(crate) fn attached_suffix(suffix: &str) -> Option<(PolicyType, &str)> {
    let (ptype, name) = suffix.split_once('/')?;
    Some((PolicyType::parse(ptype)?, name))
}

impl Iam {
    /// The policy set of `principal`, cached.
    pub(crate) async fn policy_set(
        &self,
        principal: &Principal,
    ) -> Result<Arc<PolicySet>, StoreError> {
        let generation = self.store().generation();
        if let Some(set) = self.inner.policies.get(generation, principal) {
            return Ok(set);
        }
        let set = Arc::new(self.load_policy_set(principal).await?);
        self.inner
            .policies
            .insert(generation, principal.clone(), Arc::clone(&set));
        Ok(set)
    }

    /// Reads the policy set of `principal` from the store.
    async fn load_policy_set(&self, principal: &Principal) -> Result<PolicySet, StoreError> {
        let layout = &self.store().layout;
        let mut entities = Vec::new();
        match principal {
            Principal::Role(id) => entities.push((EntityKind::Role, id.clone())),
            Principal::User(id) => {
                entities.push((EntityKind::User, id.clone()));
                let groups = self
                    .store()
                    .scan_all::<Empty>(&layout.memberships(id))
                    .await?;
                entities.extend(groups.into_iter().map(|(gid, _)| (EntityKind::Group, gid)));
            }
        }
        let mut set = PolicySet::default();
        for (kind, id) in entities {
            let attached = self
                .store()
                .scan_all::<AttachedRecord>(&layout.attached(kind, &id))
                .await?;
            for (suffix, record) in attached {
                let Some((ptype, _)) = attached_suffix(&suffix) else {
                    continue;
                };
                if let Some(policy) = self.load_policy(ptype, &record.value.name).await? {
                    set.policies.push(policy);
                }
            }
        }
        Ok(set)
    }

    /// The parsed default version of a policy; `None` if it is gone or (logged) unparsable.
    async fn load_policy(
        &self,
        ptype: PolicyType,
        name: &str,
    ) -> Result<Option<Policy>, StoreError> {
        let Some((document, _)) = self.default_document(ptype, name).await? else {
            return Ok(None);
        };
        match Policy::parse(&document, PolicyKind::Identity) {
            Ok(policy) => Ok(Some(policy.with_name(name))),
            Err(e) => {
                tracing::warn!(policy = name, error = %e, "stored policy does not parse; ignored");
                Ok(None)
            }
        }
    }

    /// The default version's document and number of a policy.
    pub(crate) async fn default_document(
        &self,
        ptype: PolicyType,
        name: &str,
    ) -> Result<Option<(String, u32)>, StoreError> {
        if ptype == PolicyType::System {
            return Ok(ossd_policy::system_policy(name).map(|(_, _, doc)| (doc.to_owned(), 1)));
        }
        let layout = &self.store().layout;
        let Some(policy) = self
            .store()
            .get::<PolicyRecord>(&layout.policy(name))
            .await?
        else {
            return Ok(None);
        };
        let number = policy.value.default_version;
        let key = crate::store::child(&layout.versions(name), &format!("v{number}"));
        let version = self.store().get::<VersionRecord>(&key).await?;
        Ok(version.map(|v| (v.value.document, number)))
    }
}
