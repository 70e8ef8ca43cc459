//! Reading named entities for handlers, failing with the `EntityNotExist.*` codes of
//! docs/protocol/ram.md#ram-error-codes.

use super::Fail;
use crate::Entity;
use crate::store::{GroupRecord, PolicyRecord, RoleRecord, Stored, UserRecord};
use crate::{Iam, codes};

impl Iam {
    /// The user `name` (any case), or 404 `EntityNotExist.User`.
    pub(crate) async fn user_named(&self, name: &str) -> Result<Stored<UserRecord>, Fail> {
        let key = self.store().layout.user(name);
        let found = self.store().get(&key).await?;
        found.ok_or_else(|| codes::not_exist(Entity::User).into())
    }

    /// The group `name`, or 404 `EntityNotExist.Group`.
    pub(crate) async fn group_named(&self, name: &str) -> Result<Stored<GroupRecord>, Fail> {
        let key = self.store().layout.group(name);
        let found = self.store().get(&key).await?;
        found.ok_or_else(|| codes::not_exist(Entity::Group).into())
    }

    /// The role `name`, or 404 `EntityNotExist.Role`.
    pub(crate) async fn role_named(&self, name: &str) -> Result<Stored<RoleRecord>, Fail> {
        let key = self.store().layout.role(name);
        let found = self.store().get(&key).await?;
        found.ok_or_else(|| codes::not_exist(Entity::Role).into())
    }

    /// The custom policy `name`, or 404 `EntityNotExist.Policy`.
    pub(crate) async fn policy_named(&self, name: &str) -> Result<Stored<PolicyRecord>, Fail> {
        let key = self.store().layout.policy(name);
        let found = self.store().get(&key).await?;
        found.ok_or_else(|| codes::not_exist(Entity::Policy).into())
    }
}
