//! Policy versions: CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion,
//! SetDefaultPolicyVersion (docs/protocol/ram.md#ram-actions, #ram-action-semantics). At most five
//! versions; ids `v1`, `v2`, … are never reused. System policies have one read-only version.

use super::policies::{check_document, policy_name, system_named, system_version};
use super::{Fail, Out, PolicyVersion, RamOutcome};
use crate::Entity;
use crate::params::Params;
use crate::store::{PolicyRecord, PolicyType, Stored, Txn, VersionRecord, child};
use crate::{Iam, RamAction, codes, validate};

/// Most versions per custom policy (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_VERSIONS: usize = 5;
/// The RotateStrategy that makes room by deleting the oldest non-default version.
const ROTATE: &str = "DeleteOldestNonDefaultVersionWhenLimitExceeded";

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
    /// Dispatches the version actions.
    pub(super) async fn version_action(&self, action: RamAction, p: Params<'_>) -> Out {
        match action {
            RamAction::CreatePolicyVersion => self.create_version(p).await,
            RamAction::GetPolicyVersion => self.get_version(p).await,
            RamAction::ListPolicyVersions => self.list_versions(p).await,
            RamAction::DeletePolicyVersion => self.delete_version(p).await,
            _ => self.set_default_version(p).await,
        }
    }

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
    async fn create_version(&self, p: Params<'_>) -> Out {
        let name = policy_name(p)?;
        let document = p.required("PolicyDocument")?;
        check_document(document)?;
        let set_default = p.bool("SetAsDefault")?.unwrap_or(false);
        let rotate = match p.opt("RotateStrategy") {
            None | Some("None") => false,
            Some(ROTATE) => true,
            Some(_) => return Err(codes::incorrect("RotateStrategy").into()),
        };
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
    async fn get_version(&self, p: Params<'_>) -> Out {
        let name = policy_name(p)?;
        let ptype = p.required_policy_type()?;
        let id = p.required("VersionId")?;
        let number = validate::version_id(id)?;
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
    async fn list_versions(&self, p: Params<'_>) -> Out {
        let name = policy_name(p)?;
        let items = match p.required_policy_type()? {
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

    /// The custom policy and version named by `PolicyName` / `VersionId`.
    async fn named_version(
        &self,
        p: Params<'_>,
    ) -> Result<(Stored<PolicyRecord>, Stored<VersionRecord>), Fail> {
        let name = policy_name(p)?;
        let number = validate::version_id(p.required("VersionId")?)?;
        let policy = self.policy_named(name).await?;
        let found = self
            .store()
            .get::<VersionRecord>(&self.version_key(name, number))
            .await?;
        let version = found.ok_or_else(|| codes::not_exist(Entity::PolicyVersion))?;
        Ok((policy, version))
    }

    /// DeletePolicyVersion: never the default.
    async fn delete_version(&self, p: Params<'_>) -> Out {
        let (policy, version) = self.named_version(p).await?;
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
    async fn set_default_version(&self, p: Params<'_>) -> Out {
        let (policy, version) = self.named_version(p).await?;
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
