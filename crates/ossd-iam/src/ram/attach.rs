//! Attachments: AttachPolicyTo{User,Group,Role}, DetachPolicyFrom{…}, ListPoliciesFor{…},
//! ListEntitiesForPolicy (docs/protocol/ram.md#ram-actions, #ram-action-semantics). Stored in both
//! directions with the AttachDate; the target's record is touched so that per-entity limits hold
//! under concurrency.

use super::policies::system_named;
use super::{
    Attached, Fail, Group, GroupName, Out, PolicyEntities, PolicyRef, RamOutcome, Role, RoleName,
    User, UserName,
};
use crate::Entity;
use crate::identity::attached_suffix;
use crate::store::{
    AttachedRecord, AttachmentRecord, EntityKind, GroupRecord, PolicyType, RoleRecord, Stored, Txn,
    UserRecord, child, fold,
};
use crate::{Iam, codes};
use serde_json::Value;

/// Most system / custom policies per entity: users 20 + 10, groups and roles 20 + 5
/// (docs/protocol/ram.md#names-and-limits).
const fn attach_limit(kind: EntityKind, ptype: PolicyType) -> usize {
    match (kind, ptype) {
        (_, PolicyType::System) => 20,
        (EntityKind::User, PolicyType::Custom) => 10,
        (_, PolicyType::Custom) => 5,
    }
}

/// The user, group or role a policy is attached to, by name.
#[derive(Clone, Copy)]
pub(super) struct Holder<'a> {
    kind: EntityKind,
    name: &'a str,
}

impl<'a> Holder<'a> {
    /// A user.
    pub(super) fn user(name: &'a UserName) -> Self {
        let (kind, name) = (EntityKind::User, name.as_str());
        Self { kind, name }
    }

    /// A group.
    pub(super) fn group(name: &'a GroupName) -> Self {
        let (kind, name) = (EntityKind::Group, name.as_str());
        Self { kind, name }
    }

    /// A role.
    pub(super) fn role(name: &'a RoleName) -> Self {
        let (kind, name) = (EntityKind::Role, name.as_str());
        Self { kind, name }
    }
}

/// The [`Entity`] of an attachment target in error codes.
const fn entity(kind: EntityKind) -> Entity {
    match kind {
        EntityKind::User => Entity::User,
        EntityKind::Group => Entity::Group,
        EntityKind::Role => Entity::Role,
    }
}

/// The [`Entity`] of a policy attached to a target (`User.Policy`, ...).
const fn policy_of(kind: EntityKind) -> Entity {
    match kind {
        EntityKind::User => Entity::UserPolicy,
        EntityKind::Group => Entity::GroupPolicy,
        EntityKind::Role => Entity::RolePolicy,
    }
}

/// An attachment target as read: its id, record key and raw record (for touching).
struct Target {
    kind: EntityKind,
    id: String,
    key: String,
    stored: Stored<Value>,
}

impl Iam {
    /// The target entity `holder`, as read.
    async fn target(&self, holder: Holder<'_>) -> Result<Target, Fail> {
        let (kind, name) = (holder.kind, holder.name);
        let layout = &self.store().layout;
        let key = match kind {
            EntityKind::User => layout.user(name),
            EntityKind::Group => layout.group(name),
            EntityKind::Role => layout.role(name),
        };
        let stored = self.store().get::<Value>(&key).await?;
        let stored = stored.ok_or_else(|| codes::not_exist(entity(kind)))?;
        let id = stored
            .value
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        Ok(Target {
            kind,
            id,
            key,
            stored,
        })
    }

    /// The policy `policy`: its stored name and (custom) record.
    async fn attachable(
        &self,
        policy: &PolicyRef,
    ) -> Result<(PolicyType, String, Option<Stored<Value>>), Fail> {
        let (name, ptype) = (policy.name.as_str(), policy.policy_type);
        match ptype {
            PolicyType::System => {
                let (n, _, _) =
                    system_named(name).ok_or_else(|| codes::not_exist(Entity::Policy))?;
                Ok((ptype, n.to_owned(), None))
            }
            PolicyType::Custom => {
                let key = self.store().layout.policy(name);
                let found = self.store().get::<Value>(&key).await?;
                let stored = found.ok_or_else(|| codes::not_exist(Entity::Policy))?;
                let stored_name = stored
                    .value
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(name)
                    .to_owned();
                Ok((ptype, stored_name, Some(stored)))
            }
        }
    }

    /// The two keys of an attachment.
    fn attachment_keys(&self, t: &Target, ptype: PolicyType, name: &str) -> (String, String) {
        let layout = &self.store().layout;
        let forward = child(
            &layout.attached(t.kind, &t.id),
            &format!("{}/{}", ptype.as_str(), fold(name)),
        );
        let backward = child(
            &layout.attachments(ptype, name),
            &format!("{}/{}", t.kind.as_str(), t.id),
        );
        (forward, backward)
    }

    /// AttachPolicyTo{User,Group,Role}.
    pub(super) async fn attach(&self, policy: &PolicyRef, holder: Holder<'_>) -> Out {
        let kind = holder.kind;
        let (ptype, name, policy) = self.attachable(policy).await?;
        let target = self.target(holder).await?;
        let (forward, backward) = self.attachment_keys(&target, ptype, &name);
        if self.store().get::<Value>(&forward).await?.is_some() {
            return Err(codes::already_exists(policy_of(kind)).into());
        }
        let prefix = child(
            &self.store().layout.attached(kind, &target.id),
            &format!("{}/", ptype.as_str()),
        );
        let limit = attach_limit(kind, ptype);
        if self.store().scan::<Value>(&prefix, "", limit).await?.len() >= limit {
            return Err(codes::limit_exceeded(policy_of(kind)).into());
        }
        let attached = self.now();
        let mut txn = Txn::new();
        txn.touch(&target.key, &target.stored).absent(&forward);
        if let Some(policy) = &policy {
            txn.expect(&self.store().layout.policy(&name), Some(policy));
        }
        txn.put(&forward, &AttachedRecord { name, attached })
            .put(&backward, &AttachmentRecord { attached });
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// DetachPolicyFrom{User,Group,Role}.
    pub(super) async fn detach(&self, policy: &PolicyRef, holder: Holder<'_>) -> Out {
        let kind = holder.kind;
        let (ptype, name, _) = self.attachable(policy).await?;
        let target = self.target(holder).await?;
        let (forward, backward) = self.attachment_keys(&target, ptype, &name);
        let Some(found) = self.store().get::<Value>(&forward).await? else {
            return Err(codes::not_exist(policy_of(kind)).into());
        };
        let mut txn = Txn::new();
        txn.expect(&forward, Some(&found))
            .delete(&forward)
            .delete(&backward);
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// ListPoliciesFor{User,Group,Role}.
    pub(super) async fn list_policies_for(&self, holder: Holder<'_>) -> Out {
        let kind = holder.kind;
        let target = self.target(holder).await?;
        let prefix = self.store().layout.attached(kind, &target.id);
        let mut items = Vec::new();
        for (suffix, record) in self.store().scan_all::<AttachedRecord>(&prefix).await? {
            let Some((ptype, _)) = attached_suffix(&suffix) else {
                continue;
            };
            let Ok(d) = self.described(ptype, &record.value.name).await else {
                continue;
            };
            items.push(Attached {
                entity: d,
                attached: record.value.attached,
            });
        }
        Ok(RamOutcome::PoliciesAttached(items))
    }

    /// ListEntitiesForPolicy: the users, groups and roles a policy is attached to.
    pub(super) async fn list_entities_for_policy(&self, policy: &PolicyRef) -> Out {
        let (name, ptype) = (policy.name.as_str(), policy.policy_type);
        self.described(ptype, name).await?;
        let prefix = self.store().layout.attachments(ptype, name);
        let mut found = PolicyEntities::default();
        for (suffix, record) in self.store().scan_all::<AttachmentRecord>(&prefix).await? {
            let Some((kind, id)) = suffix.split_once('/') else {
                continue;
            };
            let at = record.value.attached;
            match EntityKind::parse(kind) {
                Some(EntityKind::User) => found.users.extend(self.user_entity(id, at).await?),
                Some(EntityKind::Group) => found.groups.extend(self.group_entity(id, at).await?),
                Some(EntityKind::Role) => found.roles.extend(self.role_entity(id, at).await?),
                None => {}
            }
        }
        Ok(RamOutcome::PolicyEntities(found))
    }

    /// A user of ListEntitiesForPolicy.
    async fn user_entity(&self, id: &str, at: i64) -> Result<Option<Attached<User>>, Fail> {
        let index = self.store().layout.user_id(id);
        let user = self
            .load_by_id::<UserRecord>(&index, |l, n| l.user(n))
            .await?;
        Ok(user.map(|u| Attached {
            entity: User::from(&u),
            attached: at,
        }))
    }

    /// A group of ListEntitiesForPolicy.
    async fn group_entity(&self, id: &str, at: i64) -> Result<Option<Attached<Group>>, Fail> {
        let index = self.store().layout.group_id(id);
        let group = self
            .load_by_id::<GroupRecord>(&index, |l, n| l.group(n))
            .await?;
        Ok(group.map(|g| Attached {
            entity: Group::from(&g),
            attached: at,
        }))
    }

    /// A role of ListEntitiesForPolicy.
    async fn role_entity(&self, id: &str, at: i64) -> Result<Option<Attached<Role>>, Fail> {
        let index = self.store().layout.role_id(id);
        let role = self
            .load_by_id::<RoleRecord>(&index, |l, n| l.role(n))
            .await?;
        Ok(role.map(|r| Attached {
            entity: Role::new(&r, &self.inner.account_id),
            attached: at,
        }))
    }
}
