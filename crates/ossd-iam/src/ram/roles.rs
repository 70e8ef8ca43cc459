//! Roles: CreateRole, GetRole, UpdateRole, ListRoles, DeleteRole
//! (docs/protocol/ram.md#roles-and-trust-policies, #ram-actions, #ram-action-semantics). The trust
//! policy is validated by `ossd-policy` (kind Trust) and stored verbatim.

use super::counted::Creation;
use super::{Fail, Listed, Out, RamOutcome, Role};
use crate::Entity;
use crate::params::Params;
use crate::store::{EntityKind, NameRef, RoleRecord, Txn};
use crate::validate::{self, MAX_DESCRIPTION};
use crate::{Iam, RamAction, codes, ids};
use ossd_policy::{Policy, PolicyKind};

/// Most roles per account (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_ROLES: u64 = 1000;
/// Shortest and longest MaxSessionDuration, and its default
/// (docs/protocol/ram.md#names-and-limits).
pub(super) const SESSION_DURATION: (u64, u64, u32) = (3600, 43200, 3600);

/// The validated `RoleName`.
fn role_name<'a>(p: Params<'a>) -> Result<&'a str, Fail> {
    let name = p.required("RoleName")?;
    validate::role_name("RoleName", name)?;
    Ok(name)
}

/// Validates a trust policy document.
fn check_trust(document: &str) -> Result<(), Fail> {
    Policy::parse(document, PolicyKind::Trust).map_err(codes::policy)?;
    Ok(())
}

impl Iam {
    /// The entity ARN of role `name`.
    pub(crate) fn role_arn(&self, name: &str) -> String {
        format!("acs:ram::{}:role/{name}", self.inner.account_id)
    }

    /// The typed role of record `r`.
    fn role(&self, r: &RoleRecord) -> Role {
        Role::new(r, &self.inner.account_id)
    }

    /// Dispatches the role actions.
    pub(super) async fn role_action(&self, action: RamAction, p: Params<'_>) -> Out {
        match action {
            RamAction::CreateRole => self.create_role(p).await,
            RamAction::GetRole => self.get_role(p).await,
            RamAction::UpdateRole => self.update_role(p).await,
            RamAction::ListRoles => self.list_roles(p).await,
            _ => self.delete_role(p).await,
        }
    }

    /// Validates CreateRole's parameters into a new record (id and times filled in).
    fn new_role(&self, p: Params<'_>) -> Result<RoleRecord, Fail> {
        let name = role_name(p)?;
        let trust = p.required("AssumeRolePolicyDocument")?;
        check_trust(trust)?;
        let description = p.opt("Description").unwrap_or_default();
        validate::text("Description", description, MAX_DESCRIPTION)?;
        let (min, max, default) = SESSION_DURATION;
        let duration = p.int("MaxSessionDuration", min, max)?;
        let now = self.now();
        Ok(RoleRecord {
            id: ids::role_id(),
            name: name.to_owned(),
            description: description.to_owned(),
            trust_policy: trust.to_owned(),
            max_session_duration: duration.map_or(default, |d| d as u32),
            allow_console_login: p.bool("AllowConsoleLogin")?.unwrap_or(false),
            created: now,
            updated: now,
        })
    }

    /// CreateRole.
    async fn create_role(&self, p: Params<'_>) -> Out {
        let role = self.new_role(p)?;
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
    async fn get_role(&self, p: Params<'_>) -> Out {
        let role = self.role_named(role_name(p)?).await?;
        Ok(RamOutcome::Role(self.role(&role.value)))
    }

    /// UpdateRole: `New*` fields; existing sessions keep their expiration.
    async fn update_role(&self, p: Params<'_>) -> Out {
        let name = role_name(p)?;
        if let Some(trust) = p.opt("NewAssumeRolePolicyDocument") {
            check_trust(trust)?;
        }
        if let Some(d) = p.raw("NewDescription") {
            validate::text("NewDescription", d, MAX_DESCRIPTION)?;
        }
        let (min, max, _) = SESSION_DURATION;
        let duration = p.int("NewMaxSessionDuration", min, max)?;
        let console = p.bool("NewAllowConsoleLogin")?;
        let stored = self.role_named(name).await?;
        let mut role = stored.value.clone();
        if let Some(trust) = p.opt("NewAssumeRolePolicyDocument") {
            role.trust_policy = trust.to_owned();
        }
        if let Some(d) = p.raw("NewDescription") {
            role.description = d.to_owned();
        }
        role.max_session_duration = duration.map_or(role.max_session_duration, |d| d as u32);
        role.allow_console_login = console.unwrap_or(role.allow_console_login);
        role.updated = self.now();
        let key = self.store().layout.role(name);
        let mut txn = Txn::new();
        txn.expect(&key, Some(&stored)).put(&key, &role);
        self.commit(txn).await?;
        Ok(RamOutcome::RoleUpdated(self.role(&role)))
    }

    /// ListRoles.
    async fn list_roles(&self, p: Params<'_>) -> Out {
        let max = p.max_items()?;
        let page = self
            .page::<RoleRecord>(&self.store().layout.roles(), p.marker(), max)
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
    async fn delete_role(&self, p: Params<'_>) -> Out {
        let name = role_name(p)?;
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
