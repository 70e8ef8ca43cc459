//! Roles: CreateRole, GetRole, UpdateRole, ListRoles, DeleteRole
//! (docs/protocol/ram.md#roles-and-trust-policies, #ram-actions, #ram-action-semantics). The trust
//! policy is validated by `ossd-policy` (kind Trust) and stored verbatim.

use super::counted::Creation;
use super::{Listed, NewRole, Out, Page, RamOutcome, Role, RoleName, RoleUpdate, SessionDuration};
use crate::Entity;
use crate::store::{EntityKind, NameRef, RoleRecord, Txn};
use crate::{Iam, ids};

/// Most roles per account (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_ROLES: u64 = 1000;

impl Iam {
    /// The entity ARN of role `name`.
    pub(crate) fn role_arn(&self, name: &str) -> String {
        format!("acs:ram::{}:role/{name}", self.inner.account_id)
    }

    /// The typed role of record `r`.
    fn role(&self, r: &RoleRecord) -> Role {
        Role::new(r, &self.inner.account_id)
    }

    /// CreateRole's record (id and times filled in).
    fn new_role(&self, new: &NewRole) -> RoleRecord {
        let now = self.now();
        RoleRecord {
            id: ids::role_id(),
            name: new.role_name.as_str().to_owned(),
            description: new.description.clone().unwrap_or_default(),
            trust_policy: new.trust_policy.as_str().to_owned(),
            max_session_duration: new
                .max_session_duration
                .unwrap_or(SessionDuration::DEFAULT)
                .seconds(),
            allow_console_login: new.allow_console_login.unwrap_or(false),
            created: now,
            updated: now,
        }
    }

    /// CreateRole.
    pub(super) async fn create_role(&self, new: &NewRole) -> Out {
        let role = self.new_role(new);
        let layout = &self.store().layout;
        let mut txn = Txn::new();
        let index = layout.role_id(&role.id);
        txn.absent(&index).put(
            &index,
            &NameRef {
                name: role.name.clone(),
            },
        );
        let key = layout.role(&role.name);
        let creation = Creation {
            counter: "roles",
            limit: MAX_ROLES,
            what: Entity::Role,
            key,
            record: &role,
        };
        self.create_counted(creation, txn).await?;
        Ok(RamOutcome::RoleCreated(self.role(&role)))
    }

    /// GetRole.
    pub(super) async fn get_role(&self, name: &RoleName) -> Out {
        let role = self.role_named(name.as_str()).await?;
        Ok(RamOutcome::Role(self.role(&role.value)))
    }

    /// UpdateRole: `New*` fields; existing sessions keep their expiration.
    pub(super) async fn update_role(&self, update: &RoleUpdate) -> Out {
        let name = update.role_name.as_str();
        let stored = self.role_named(name).await?;
        let mut role = stored.value.clone();
        if let Some(trust) = &update.new_trust_policy {
            trust.as_str().clone_into(&mut role.trust_policy);
        }
        if let Some(d) = &update.new_description {
            d.clone_into(&mut role.description);
        }
        if let Some(d) = update.new_max_session_duration {
            role.max_session_duration = d.seconds();
        }
        role.allow_console_login = update
            .new_allow_console_login
            .unwrap_or(role.allow_console_login);
        role.updated = self.now();
        let key = self.store().layout.role(name);
        let mut txn = Txn::new();
        txn.expect(&key, Some(&stored)).put(&key, &role);
        self.commit(txn).await?;
        Ok(RamOutcome::RoleUpdated(self.role(&role)))
    }

    /// ListRoles.
    pub(super) async fn list_roles(&self, page: &Page) -> Out {
        let page = self
            .page::<RoleRecord>(&self.store().layout.roles(), page)
            .await?;
        Ok(RamOutcome::Roles(Listed {
            items: page
                .items
                .iter()
                .map(|(_, r)| self.role(&r.value))
                .collect(),
            marker: page.next,
        }))
    }

    /// DeleteRole: refused while policies are attached; its sessions stop working.
    pub(super) async fn delete_role(&self, name: &RoleName) -> Out {
        let name = name.as_str();
        let role = self.role_named(name).await?;
        let layout = &self.store().layout;
        let attached = layout.attached(EntityKind::Role, &role.value.id);
        let mut txn = Txn::new();
        self.require_no_dependents(&[(attached, Entity::RolePolicy)], &mut txn)
            .await?;
        txn.expect(&layout.role(name), Some(&role))
            .delete(&layout.role(name))
            .delete(&layout.role_id(&role.value.id));
        self.delete_counted("roles", txn).await?;
        Ok(RamOutcome::Done)
    }
}
