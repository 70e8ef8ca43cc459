//! RAM calls run as the account root from inside the server (seeding, reset, dev identities):
//! the same typed `Iam::ram` code path as RPC requests, without a signature.

use ossd_iam::{
    AccessKey, ActionError, Caller, Entity, Group, GroupName, Iam, Listed, Page, PolicyRef,
    PolicyType, RamAction, RamCall, RamOutcome, RamPolicy, Role, RoleName, User, UserName,
};
use ossd_policy::RequestContext;

/// The AccessKey id recorded as the signer of internal actions (never a real key).
const INTERNAL_KEY: &str = "ossd-emulator";

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

    /// `AttachPolicyTo{User,Group,Role}` of `policy` to the holder `name`.
    pub(crate) fn attach(self, policy: PolicyRef, name: &str) -> Result<RamCall, ActionError> {
        Ok(match self {
            Self::User => RamCall::AttachPolicyToUser {
                policy,
                user_name: UserName::new("UserName", name)?,
            },
            Self::Group => RamCall::AttachPolicyToGroup {
                policy,
                group_name: GroupName::new("GroupName", name)?,
            },
            Self::Role => RamCall::AttachPolicyToRole {
                policy,
                role_name: RoleName::new("RoleName", name)?,
            },
        })
    }

    /// `DetachPolicyFrom{User,Group,Role}` of `policy` from the holder `name`.
    pub(crate) fn detach(self, policy: PolicyRef, name: &str) -> Result<RamCall, ActionError> {
        Ok(match self {
            Self::User => RamCall::DetachPolicyFromUser {
                policy,
                user_name: UserName::new("UserName", name)?,
            },
            Self::Group => RamCall::DetachPolicyFromGroup {
                policy,
                group_name: GroupName::new("GroupName", name)?,
            },
            Self::Role => RamCall::DetachPolicyFromRole {
                policy,
                role_name: RoleName::new("RoleName", name)?,
            },
        })
    }

    /// `ListPoliciesFor{User,Group,Role}` of the holder `name`.
    pub(crate) fn list_policies(self, name: &str) -> Result<RamCall, ActionError> {
        Ok(match self {
            Self::User => RamCall::ListPoliciesForUser {
                user_name: UserName::new("UserName", name)?,
            },
            Self::Group => RamCall::ListPoliciesForGroup {
                group_name: GroupName::new("GroupName", name)?,
            },
            Self::Role => RamCall::ListPoliciesForRole {
                role_name: RoleName::new("RoleName", name)?,
            },
        })
    }

    /// The action of [`Self::list_policies`].
    pub(crate) const fn list_policies_action(self) -> RamAction {
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

    /// Runs `call`.
    pub(crate) async fn call(&self, call: &RamCall) -> Result<RamOutcome, ActionError> {
        self.iam.ram(&self.caller, call, &self.ctx).await
    }

    /// Runs `call`, treating "`exists` already exists" as success.
    pub(crate) async fn call_tolerating(
        &self,
        call: &RamCall,
        exists: Entity,
    ) -> Result<(), ActionError> {
        match self.call(call).await {
            Err(ActionError::AlreadyExists(e)) if e == exists => Ok(()),
            other => other.map(drop),
        }
    }

    /// Every item of a paged list call (`list` of a page), following `Marker` while the list
    /// is truncated; `page` picks the list out of the call's outcome.
    async fn all_pages<T>(
        &self,
        list: impl Fn(Page) -> RamCall,
        page: fn(RamOutcome) -> Option<Listed<T>>,
    ) -> Result<Vec<T>, ActionError> {
        let mut items = Vec::new();
        let mut marker = String::new();
        loop {
            let wanted = Page {
                marker: std::mem::take(&mut marker),
                max_items: Page::MAX_ITEMS,
            };
            let Some(listed) = page(self.call(&list(wanted)).await?) else {
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
        self.all_pages(RamCall::ListUsers, |o| match o {
            RamOutcome::Users(page) => Some(page),
            _ => None,
        })
        .await
    }

    /// Every group.
    pub(crate) async fn groups(&self) -> Result<Vec<Group>, ActionError> {
        self.all_pages(RamCall::ListGroups, |o| match o {
            RamOutcome::Groups(page) => Some(page),
            _ => None,
        })
        .await
    }

    /// Every role.
    pub(crate) async fn roles(&self) -> Result<Vec<Role>, ActionError> {
        self.all_pages(RamCall::ListRoles, |o| match o {
            RamOutcome::Roles(page) => Some(page),
            _ => None,
        })
        .await
    }

    /// Every custom policy.
    pub(crate) async fn custom_policies(&self) -> Result<Vec<RamPolicy>, ActionError> {
        let custom = |page| RamCall::ListPolicies {
            policy_type: Some(PolicyType::Custom),
            page,
        };
        let policies = self
            .all_pages(custom, |o| match o {
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
        match self.call(&holder.list_policies(name)?).await? {
            RamOutcome::PoliciesAttached(items) => {
                Ok(items.into_iter().map(|a| a.entity).collect())
            }
            _ => Ok(Vec::new()),
        }
    }

    /// The groups user `user_name` is in.
    pub(crate) async fn groups_of(&self, user_name: &str) -> Result<Vec<Group>, ActionError> {
        let user_name = UserName::new("UserName", user_name)?;
        match self.call(&RamCall::ListGroupsForUser { user_name }).await? {
            RamOutcome::GroupsForUser(groups) => Ok(groups.into_iter().map(|m| m.entity).collect()),
            _ => Ok(Vec::new()),
        }
    }

    /// The AccessKeys of user `user_name`, or of root when `None`.
    pub(crate) async fn access_keys(
        &self,
        user_name: Option<&str>,
    ) -> Result<Vec<AccessKey>, ActionError> {
        let user_name = user_name
            .map(|n| UserName::new("UserName", n))
            .transpose()?;
        match self.call(&RamCall::ListAccessKeys { user_name }).await? {
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
