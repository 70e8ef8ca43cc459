//! RAM actions run as the account root from inside the server (seeding, reset, dev identities):
//! the same `Iam::ram` code path as RPC requests, without a signature.

use std::collections::BTreeMap;

use ossd_iam::{
    AccessKey, ActionError, Caller, Entity, Group, Iam, Listed, RamAction, RamOutcome, RamPolicy,
    Role, User,
};
use ossd_policy::RequestContext;

/// The AccessKey id recorded as the signer of internal actions (never a real key).
const INTERNAL_KEY: &str = "ossd-emulator";

/// Largest page requested from the paginated list actions.
const PAGE: &str = "1000";

/// An entity policies are attached to, with its attachment actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    /// A RAM user.
    User,
    /// A group.
    Group,
    /// A role.
    Role,
}

impl Holder {
    /// `User`, `Group` or `Role`.
    pub(crate) const fn word(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
            Self::Role => "Role",
        }
    }

    /// The parameter naming the holder (`UserName`, ...).
    pub(crate) const fn name_param(self) -> &'static str {
        match self {
            Self::User => "UserName",
            Self::Group => "GroupName",
            Self::Role => "RoleName",
        }
    }

    /// `AttachPolicyTo{User,Group,Role}`.
    pub(crate) const fn attach(self) -> RamAction {
        match self {
            Self::User => RamAction::AttachPolicyToUser,
            Self::Group => RamAction::AttachPolicyToGroup,
            Self::Role => RamAction::AttachPolicyToRole,
        }
    }

    /// `DetachPolicyFrom{User,Group,Role}`.
    pub(crate) const fn detach(self) -> RamAction {
        match self {
            Self::User => RamAction::DetachPolicyFromUser,
            Self::Group => RamAction::DetachPolicyFromGroup,
            Self::Role => RamAction::DetachPolicyFromRole,
        }
    }

    /// `ListPoliciesFor{User,Group,Role}`.
    pub(crate) const fn list_policies(self) -> RamAction {
        match self {
            Self::User => RamAction::ListPoliciesForUser,
            Self::Group => RamAction::ListPoliciesForGroup,
            Self::Role => RamAction::ListPoliciesForRole,
        }
    }

    /// The relation of an attachment (`User.Policy`, ...).
    pub(crate) const fn attached(self) -> Entity {
        match self {
            Self::User => Entity::UserPolicy,
            Self::Group => Entity::GroupPolicy,
            Self::Role => Entity::RolePolicy,
        }
    }
}

/// Runs RAM actions as root.
pub(crate) struct RootRam<'a> {
    iam: &'a Iam,
    caller: Caller,
    ctx: RequestContext,
}

impl<'a> RootRam<'a> {
    /// The root of `iam`'s account, acting at `now`.
    pub(crate) fn new(iam: &'a Iam, now: time::OffsetDateTime) -> Self {
        let caller = Caller::Root {
            account_id: iam.account_id().to_owned(),
            access_key_id: INTERNAL_KEY.to_owned(),
        };
        let ctx = RequestContext::at(now);
        Self { iam, caller, ctx }
    }

    /// Runs `action` with `params`.
    pub(crate) async fn call(
        &self,
        action: RamAction,
        params: &[(&str, &str)],
    ) -> Result<RamOutcome, ActionError> {
        let map: BTreeMap<String, String> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.iam.ram(&self.caller, action, &map, &self.ctx).await
    }

    /// Runs `action`, treating "`exists` already exists" as success.
    pub(crate) async fn call_tolerating(
        &self,
        action: RamAction,
        params: &[(&str, &str)],
        exists: Entity,
    ) -> Result<(), ActionError> {
        match self.call(action, params).await {
            Err(ActionError::AlreadyExists(e)) if e == exists => Ok(()),
            other => other.map(drop),
        }
    }

    /// Every item of the paged list `action`, following `Marker` while the list is truncated;
    /// `page` picks the list out of the action's outcome.
    async fn all_pages<T>(
        &self,
        action: RamAction,
        params: &[(&str, &str)],
        page: fn(RamOutcome) -> Option<Listed<T>>,
    ) -> Result<Vec<T>, ActionError> {
        let mut items = Vec::new();
        let mut marker = String::new();
        loop {
            let mut p = params.to_vec();
            p.push(("MaxItems", PAGE));
            if !marker.is_empty() {
                p.push(("Marker", &marker));
            }
            let Some(listed) = page(self.call(action, &p).await?) else {
                return Ok(items);
            };
            items.extend(listed.items);
            match listed.marker {
                Some(m) if !m.is_empty() => marker = m,
                _ => return Ok(items),
            }
        }
    }

    /// Every user.
    pub(crate) async fn users(&self) -> Result<Vec<User>, ActionError> {
        self.all_pages(RamAction::ListUsers, &[], |o| match o {
            RamOutcome::Users(page) => Some(page),
            _ => None,
        })
        .await
    }

    /// Every group.
    pub(crate) async fn groups(&self) -> Result<Vec<Group>, ActionError> {
        self.all_pages(RamAction::ListGroups, &[], |o| match o {
            RamOutcome::Groups(page) => Some(page),
            _ => None,
        })
        .await
    }

    /// Every role.
    pub(crate) async fn roles(&self) -> Result<Vec<Role>, ActionError> {
        self.all_pages(RamAction::ListRoles, &[], |o| match o {
            RamOutcome::Roles(page) => Some(page),
            _ => None,
        })
        .await
    }

    /// Every custom policy.
    pub(crate) async fn custom_policies(&self) -> Result<Vec<RamPolicy>, ActionError> {
        let custom = [("PolicyType", "Custom")];
        let policies = self
            .all_pages(RamAction::ListPolicies, &custom, |o| match o {
                RamOutcome::Policies(page) => Some(page),
                _ => None,
            })
            .await?;
        Ok(policies.into_iter().map(|c| c.policy).collect())
    }

    /// The policies attached to the `holder` `name`.
    pub(crate) async fn policies_of(
        &self,
        holder: Holder,
        name: &str,
    ) -> Result<Vec<RamPolicy>, ActionError> {
        let p = [(holder.name_param(), name)];
        match self.call(holder.list_policies(), &p).await? {
            RamOutcome::PoliciesAttached(items) => {
                Ok(items.into_iter().map(|a| a.entity).collect())
            }
            _ => Ok(Vec::new()),
        }
    }

    /// The groups user `user_name` is in.
    pub(crate) async fn groups_of(&self, user_name: &str) -> Result<Vec<Group>, ActionError> {
        let p = [("UserName", user_name)];
        match self.call(RamAction::ListGroupsForUser, &p).await? {
            RamOutcome::GroupsForUser(groups) => Ok(groups.into_iter().map(|m| m.entity).collect()),
            _ => Ok(Vec::new()),
        }
    }

    /// The AccessKeys of user `user_name`, or of root when `None`.
    pub(crate) async fn access_keys(
        &self,
        user_name: Option<&str>,
    ) -> Result<Vec<AccessKey>, ActionError> {
        let p: Vec<(&str, &str)> = user_name.map(|n| ("UserName", n)).into_iter().collect();
        match self.call(RamAction::ListAccessKeys, &p).await? {
            RamOutcome::AccessKeys(keys) => Ok(keys),
            _ => Ok(Vec::new()),
        }
    }
}

/// The RAM `Code` and `Message` of `e`, for the emulator's startup and reset errors.
pub(crate) fn code_and_message(e: &ActionError) -> (String, String) {
    let wire = ossd_rpc::error::action(ossd_rpc::Service::Ram, e);
    (wire.code, wire.message)
}
