//! Policies: CreatePolicy, GetPolicy, ListPolicies, UpdatePolicyDescription, DeletePolicy
//! (docs/protocol/ram.md#ram-actions, docs/protocol/ram.md#ram-action-semantics, docs/protocol/authorization.md#system-policies). System policies come from `ossd-policy`: listed and readable with
//! `PolicyType: System`, attachable, never deleted or versioned.

use super::counted::Creation;
use super::{
    CountedPolicy, Fail, Listed, NewPolicy, Out, Page, PolicyDetail, PolicyName, PolicyRef,
    RamOutcome, RamPolicy,
};
use crate::Entity;
use crate::store::{EntityKind, PolicyRecord, PolicyType, Stored, Txn, VersionRecord, child, fold};
use crate::{Iam, codes};

/// Most custom policies per account (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_POLICIES: u64 = 1500;
/// The CreateDate / UpdateDate reported for system policies (2017-04-27T00:00:00Z).
pub(super) const SYSTEM_POLICY_DATE: i64 = 1_493_251_200;

/// A system policy by name, any case: `(name, description, document)`.
pub(crate) fn system_named(name: &str) -> Option<(&'static str, &'static str, &'static str)> {
    ossd_policy::system_policies()
        .iter()
        .copied()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
}

/// The `DefaultVersion` of a system policy.
pub(crate) fn system_version(name: &str) -> &'static str {
    ossd_policy::system_policy_default_version(name).unwrap_or("v1")
}

impl RamPolicy {
    /// A custom policy.
    pub(crate) fn custom(p: &PolicyRecord) -> Self {
        Self {
            name: p.name.clone(),
            policy_type: PolicyType::Custom,
            description: p.description.clone(),
            default_version: format!("v{}", p.default_version),
            created: p.created,
            updated: p.updated,
        }
    }

    /// A system policy.
    pub(crate) fn system((name, description, _): (&str, &str, &str)) -> Self {
        Self {
            name: name.to_owned(),
            policy_type: PolicyType::System,
            description: description.to_owned(),
            default_version: system_version(name).to_owned(),
            created: SYSTEM_POLICY_DATE,
            updated: SYSTEM_POLICY_DATE,
        }
    }
}

impl Iam {
    /// A policy of either type, or 404 `EntityNotExist.Policy`.
    pub(super) async fn described(&self, ptype: PolicyType, name: &str) -> Result<RamPolicy, Fail> {
        match ptype {
            PolicyType::System => system_named(name)
                .map(RamPolicy::system)
                .ok_or_else(|| codes::not_exist(Entity::Policy).into()),
            PolicyType::Custom => Ok(RamPolicy::custom(&self.policy_named(name).await?.value)),
        }
    }

    /// How many entities a policy is attached to.
    pub(super) async fn attachment_count(
        &self,
        ptype: PolicyType,
        name: &str,
    ) -> Result<usize, Fail> {
        let prefix = self.store().layout.attachments(ptype, name);
        Ok(self
            .store()
            .scan_all::<serde_json::Value>(&prefix)
            .await?
            .len())
    }

    /// CreatePolicy: version `v1`, the default.
    pub(super) async fn create_policy(&self, new: &NewPolicy) -> Out {
        let name = new.policy_name.as_str();
        let document = new.document.as_str();
        let description = new.description.as_deref().unwrap_or_default();
        if system_named(name).is_some() {
            return Err(codes::already_exists(Entity::Policy).into());
        }
        let now = self.now();
        let record = PolicyRecord {
            name: name.to_owned(),
            description: description.to_owned(),
            default_version: 1,
            last_version: 1,
            created: now,
            updated: now,
        };
        let version = VersionRecord {
            number: 1,
            document: document.to_owned(),
            created: now,
        };
        let layout = &self.store().layout;
        let mut txn = Txn::new();
        txn.empty(&layout.versions(name))
            .put(&child(&layout.versions(name), "v1"), &version);
        let key = layout.policy(name);
        let creation = Creation {
            counter: "policies",
            limit: MAX_POLICIES,
            what: Entity::Policy,
            key,
            record: &record,
        };
        self.create_counted(creation, txn).await?;
        Ok(RamOutcome::PolicyCreated(RamPolicy::custom(&record)))
    }

    /// GetPolicy: the policy with AttachmentCount and its default version.
    pub(super) async fn get_policy(&self, policy: &PolicyRef) -> Out {
        let (name, ptype) = (policy.name.as_str(), policy.policy_type);
        let described = self.described(ptype, name).await?;
        let Some((document, _)) = self.default_document(ptype, &described.name).await? else {
            return Err(codes::not_exist(Entity::Policy).into());
        };
        let count = self.attachment_count(ptype, name).await?;
        let created = self.default_version_date(ptype, name).await?;
        Ok(RamOutcome::Policy(PolicyDetail {
            default_version_created: created.unwrap_or(described.created),
            policy: described,
            document,
            attachment_count: count,
        }))
    }

    /// The CreateDate of a custom policy's default version.
    async fn default_version_date(
        &self,
        ptype: PolicyType,
        name: &str,
    ) -> Result<Option<i64>, Fail> {
        if ptype == PolicyType::System {
            return Ok(None);
        }
        let policy = self.policy_named(name).await?;
        let key = child(
            &self.store().layout.versions(name),
            &format!("v{}", policy.value.default_version),
        );
        let version = self.store().get::<VersionRecord>(&key).await?;
        Ok(version.map(|v| v.value.created))
    }

    /// UpdatePolicyDescription (custom policies).
    pub(super) async fn update_policy_description(
        &self,
        name: &PolicyName,
        description: &str,
    ) -> Out {
        let name = name.as_str();
        let stored = self.policy_named(name).await?;
        let mut record = stored.value.clone();
        record.description = description.to_owned();
        record.updated = self.now();
        let key = self.store().layout.policy(name);
        let mut txn = Txn::new();
        txn.expect(&key, Some(&stored)).put(&key, &record);
        self.commit(txn).await?;
        Ok(RamOutcome::PolicyUpdated(RamPolicy::custom(&record)))
    }

    /// DeletePolicy: refused while attached; `CascadingDelete` also removes non-default versions.
    pub(super) async fn delete_policy(&self, name: &PolicyName, cascading: bool) -> Out {
        let name = name.as_str();
        let stored = self.policy_named(name).await?;
        self.check_unattached(name).await?;
        let layout = &self.store().layout;
        let versions = self
            .store()
            .scan_all::<VersionRecord>(&layout.versions(name))
            .await?;
        if versions.len() > 1 && !cascading {
            return Err(codes::delete_conflict(Entity::PolicyVersion).into());
        }
        let mut txn = Txn::new();
        txn.expect(&layout.policy(name), Some(&stored))
            .empty(&layout.attachments(PolicyType::Custom, name))
            .delete(&layout.policy(name));
        for (id, _) in &versions {
            txn.delete(&child(&layout.versions(name), id));
        }
        self.delete_counted("policies", txn).await?;
        Ok(RamOutcome::Done)
    }

    /// 409 `DeleteConflict.Policy.{User,Group,Role}` while a custom policy is attached.
    async fn check_unattached(&self, name: &str) -> Result<(), Fail> {
        let prefix = self.store().layout.attachments(PolicyType::Custom, name);
        for kind in [EntityKind::User, EntityKind::Group, EntityKind::Role] {
            let of_kind = child(&prefix, &format!("{}/", kind.as_str()));
            if !self.store().is_empty(&of_kind).await? {
                let what = match kind {
                    EntityKind::User => Entity::PolicyUser,
                    EntityKind::Group => Entity::PolicyGroup,
                    EntityKind::Role => Entity::PolicyRole,
                };
                return Err(codes::delete_conflict(what).into());
            }
        }
        Ok(())
    }

    /// ListPolicies: system policies first, then custom ones, each by name.
    pub(super) async fn list_policies(&self, filter: Option<PolicyType>, page: &Page) -> Out {
        let (mut found, more) = self
            .policies_after(filter, &page.marker, page.max_items)
            .await?;
        let next = more
            .then(|| {
                found
                    .last()
                    .map(|d| format!("{}/{}", d.policy_type.as_str(), fold(&d.name)))
            })
            .flatten();
        let mut items = Vec::new();
        for policy in found.drain(..) {
            let attachment_count = self
                .attachment_count(policy.policy_type, &policy.name)
                .await?;
            items.push(CountedPolicy {
                policy,
                attachment_count,
            });
        }
        Ok(RamOutcome::Policies(Listed {
            items,
            marker: next,
        }))
    }

    /// Up to `max` policies of type `filter` after `marker` (`{type}/{name}`), and whether more follow.
    async fn policies_after(
        &self,
        filter: Option<PolicyType>,
        marker: &str,
        max: usize,
    ) -> Result<(Vec<RamPolicy>, bool), Fail> {
        let (after_type, after_name) = marker.split_once('/').unwrap_or(("", ""));
        let mut found = Vec::new();
        if filter != Some(PolicyType::Custom) && after_type != "Custom" {
            let mut system: Vec<_> = ossd_policy::system_policies().to_vec();
            system.sort_by_key(|(n, _, _)| fold(n));
            let after = if after_type == "System" {
                after_name
            } else {
                ""
            };
            found.extend(
                system
                    .into_iter()
                    .filter(|(n, _, _)| fold(n).as_str() > after)
                    .map(RamPolicy::system),
            );
        }
        if filter != Some(PolicyType::System) {
            let after = if after_type == "Custom" {
                after_name
            } else {
                ""
            };
            let want = (max + 1).saturating_sub(found.len());
            let page: Vec<(String, Stored<PolicyRecord>)> = self
                .store()
                .scan(&self.store().layout.policies(), after, want)
                .await?;
            found.extend(page.iter().map(|(_, r)| RamPolicy::custom(&r.value)));
        }
        let more = found.len() > max;
        found.truncate(max);
        Ok((found, more))
    }
}
