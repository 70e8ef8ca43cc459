//! Policy versions: CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion,
//! SetDefaultPolicyVersion (docs/protocol/ram.md#ram-actions, #ram-action-semantics). At most five
//! versions; ids `v1`, `v2`, … are never reused. System policies have one read-only version.

use super::policies::{system_named, system_version};
use super::{
    Fail, NewPolicyVersion, Out, PolicyName, PolicyRef, PolicyVersion, RamOutcome, VersionId,
};
use crate::Entity;
use crate::store::{PolicyRecord, PolicyType, Stored, Txn, VersionRecord, child};
use crate::{Iam, codes};

/// Most versions per custom policy (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_VERSIONS: usize = 5;

/// A version as returned.
fn version_of(id: &str, document: &str, is_default: bool, created: i64) -> PolicyVersion {
    PolicyVersion {
        id: id.to_owned(),
        document: document.to_owned(),
        is_default,
        created,
    }
}

impl Iam {
    /// The versions of custom policy `name`, oldest first.
    async fn versions_of(&self, name: &str) -> Result<Vec<Stored<VersionRecord>>, Fail> {
        let prefix = self.store().layout.versions(name);
        let mut versions: Vec<_> = self
            .store()
            .scan_all::<VersionRecord>(&prefix)
            .await?
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        versions.sort_by_key(|v| v.value.number);
        Ok(versions)
    }

    /// The key of version `number` of policy `name`.
    fn version_key(&self, name: &str, number: u32) -> String {
        child(&self.store().layout.versions(name), &format!("v{number}"))
    }

    /// CreatePolicyVersion: `SetAsDefault`, `RotateStrategy`.
    pub(super) async fn create_version(&self, new: &NewPolicyVersion) -> Out {
        let name = new.policy_name.as_str();
        let document = new.document.as_str();
        let (set_default, rotate) = (new.set_as_default, new.rotate);
        let stored = self.policy_named(name).await?;
        let mut txn = Txn::new();
        self.make_room(&stored.value, rotate, &mut txn).await?;
        let mut policy = stored.value.clone();
        policy.last_version += 1;
        policy.updated = self.now();
        let number = policy.last_version;
        if set_default {
            policy.default_version = number;
        }
        let version = VersionRecord {
            number,
            document: document.to_owned(),
            created: policy.updated,
        };
        let (policy_key, key) = (
            self.store().layout.policy(name),
            self.version_key(name, number),
        );
        txn.expect(&policy_key, Some(&stored))
            .put(&policy_key, &policy)
            .absent(&key)
            .put(&key, &version);
        self.commit(txn).await?;
        let body = version_of(
            &format!("v{number}"),
            document,
            set_default,
            version.created,
        );
        Ok(RamOutcome::PolicyVersion(body))
    }

    /// At the version limit: deletes the oldest non-default version (`rotate`) or fails with
    /// 409 `LimitExceeded.Policy.Version`.
    async fn make_room(
        &self,
        policy: &PolicyRecord,
        rotate: bool,
        txn: &mut Txn,
    ) -> Result<(), Fail> {
        let versions = self.versions_of(&policy.name).await?;
        if versions.len() < MAX_VERSIONS {
            return Ok(());
        }
        let oldest = versions
            .iter()
            .find(|v| v.value.number != policy.default_version);
        match oldest {
            Some(old) if rotate => {
                txn.delete(&self.version_key(&policy.name, old.value.number));
                Ok(())
            }
            _ => Err(codes::limit_exceeded(Entity::PolicyVersion).into()),
        }
    }

    /// GetPolicyVersion.
    pub(super) async fn get_version(&self, policy: &PolicyRef, version: VersionId) -> Out {
        let (name, ptype) = (policy.name.as_str(), policy.policy_type);
        let (id, number) = (version.to_string(), version.number());
        let id = id.as_str();
        let body = match ptype {
            PolicyType::System => {
                let (n, _, doc) =
                    system_named(name).ok_or_else(|| codes::not_exist(Entity::Policy))?;
                if system_version(n) != id {
                    return Err(codes::not_exist(Entity::PolicyVersion).into());
                }
                version_of(id, doc, true, super::policies::SYSTEM_POLICY_DATE)
            }
            PolicyType::Custom => {
                let policy = self.policy_named(name).await?;
                let found = self
                    .store()
                    .get::<VersionRecord>(&self.version_key(name, number))
                    .await?;
                let v = found.ok_or_else(|| codes::not_exist(Entity::PolicyVersion))?;
                let is_default = policy.value.default_version == number;
                version_of(id, &v.value.document, is_default, v.value.created)
            }
        };
        Ok(RamOutcome::PolicyVersion(body))
    }

    /// ListPolicyVersions.
    pub(super) async fn list_versions(&self, policy: &PolicyRef) -> Out {
        let name = policy.name.as_str();
        let items = match policy.policy_type {
            PolicyType::System => {
                let (n, _, doc) =
                    system_named(name).ok_or_else(|| codes::not_exist(Entity::Policy))?;
                let date = super::policies::SYSTEM_POLICY_DATE;
                vec![version_of(system_version(n), doc, true, date)]
            }
            PolicyType::Custom => {
                let policy = self.policy_named(name).await?;
                let default = policy.value.default_version;
                let versions = self.versions_of(name).await?;
                versions
                    .iter()
                    .map(|v| {
                        let id = format!("v{}", v.value.number);
                        version_of(
                            &id,
                            &v.value.document,
                            v.value.number == default,
                            v.value.created,
                        )
                    })
                    .collect()
            }
        };
        Ok(RamOutcome::PolicyVersions(items))
    }

    /// The custom policy `name` and its version `version`.
    async fn named_version(
        &self,
        name: &PolicyName,
        version: VersionId,
    ) -> Result<(Stored<PolicyRecord>, Stored<VersionRecord>), Fail> {
        let (name, number) = (name.as_str(), version.number());
        let policy = self.policy_named(name).await?;
        let found = self
            .store()
            .get::<VersionRecord>(&self.version_key(name, number))
            .await?;
        let version = found.ok_or_else(|| codes::not_exist(Entity::PolicyVersion))?;
        Ok((policy, version))
    }

    /// DeletePolicyVersion: never the default.
    pub(super) async fn delete_version(&self, name: &PolicyName, version: VersionId) -> Out {
        let (policy, version) = self.named_version(name, version).await?;
        if version.value.number == policy.value.default_version {
            return Err(codes::delete_conflict(Entity::PolicyVersionDefault).into());
        }
        let name = &policy.value.name;
        let key = self.version_key(name, version.value.number);
        let mut txn = Txn::new();
        txn.touch(&self.store().layout.policy(name), &policy)
            .expect(&key, Some(&version))
            .delete(&key);
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// SetDefaultPolicyVersion.
    pub(super) async fn set_default_version(&self, name: &PolicyName, version: VersionId) -> Out {
        let (policy, version) = self.named_version(name, version).await?;
        let mut record = policy.value.clone();
        record.default_version = version.value.number;
        record.updated = self.now();
        let key = self.store().layout.policy(&record.name);
        let mut txn = Txn::new();
        txn.expect(&key, Some(&policy)).put(&key, &record).expect(
            &self.version_key(&record.name, version.value.number),
            Some(&version),
        );
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }
}
