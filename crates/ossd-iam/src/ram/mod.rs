//! The RAM API (docs/protocol/ram.md#ram-api): a typed [`RamCall`], authorized on its resources, run
//! with retries on concurrent changes; the shared [`Fail`] type of the handlers.

mod alias;
mod attach;
mod call;
mod counted;
mod groups;
mod keys;
mod lookup;
mod outcome;
mod page;
mod policies;
mod roles;
mod simulate;
mod stubs;
mod users;
mod values;
mod versions;

use crate::ActionError;
use crate::store::{StoreError, Txn};
use crate::{Caller, Iam, IamError, RamAction};
use ossd_meta::ErrorChain;
use ossd_policy::RequestContext;

pub use call::{
    GroupUpdate, KeyRef, NewGroup, NewPolicy, NewPolicyVersion, NewRole, NewUser, RamCall,
    RamNames, RoleUpdate, UserUpdate,
};
pub(crate) use keys::MAX_KEYS;
pub use outcome::{
    AccessKey, Attached, CountedPolicy, Group, Listed, Membership, NewAccessKey, PolicyDetail,
    PolicyEntities, PolicyVersion, RamOutcome, RamPolicy, Role, User,
};
pub use simulate::{Simulated, SimulatedBucket, SimulatedPrincipal, Simulation};
pub use stubs::STUB_ACTIONS;
pub use values::{
    AccountAlias, GroupName, Page, PolicyDocument, PolicyName, PolicyRef, RoleName,
    SessionDuration, UserName, VersionId, text,
};

/// How often an action is re-run after a concurrent change before giving up.
const ATTEMPTS: usize = 16;

/// Why a handler stopped.
#[derive(Debug)]
pub(crate) enum Fail {
    /// An error for the client.
    Action(ActionError),
    /// A commit check failed: re-run the action.
    Conflict,
    /// The store failed (logged with its source chain, answered with InternalError).
    Backend(IamError),
}

impl From<ActionError> for Fail {
    fn from(e: ActionError) -> Self {
        Self::Action(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => Self::Conflict,
            other => Self::Backend(other.into()),
        }
    }
}

impl From<IamError> for Fail {
    fn from(e: IamError) -> Self {
        Self::Backend(e)
    }
}

/// A handler's result.
pub(crate) type Out = Result<RamOutcome, Fail>;

/// Logs a backend failure with its source chain and returns it as an error.
pub(crate) fn internal(e: impl Into<IamError>) -> ActionError {
    let e = e.into();
    tracing::error!(error = %ErrorChain(&e), "identity store failure");
    ActionError::Backend(e)
}

impl Iam {
    /// Runs one RAM call (docs/protocol/ram.md#ram-actions) for `caller`, authorized with
    /// `ram:<Action>` on [`RamCall::resources`] (docs/protocol/authorization.md#ram-and-sts-action-resources;
    /// root always allowed). Returns the typed outcome (`ossd-rpc` renders it).
    pub async fn ram(
        &self,
        caller: &Caller,
        call: &RamCall,
        ctx: &RequestContext,
    ) -> Result<RamOutcome, ActionError> {
        let targets = call.resources(caller, &self.inner.account_id)?;
        self.authorize_ram(caller, call.name(), &targets, ctx)
            .await?;
        for _ in 0..ATTEMPTS {
            match self.run_ram(caller, call).await {
                Ok(body) => return Ok(body),
                Err(Fail::Action(e)) => return Err(e),
                Err(Fail::Backend(m)) => return Err(internal(m)),
                Err(Fail::Conflict) => {
                    tracing::debug!(action = call.name(), "concurrent IAM change; retrying");
                }
            }
        }
        Err(internal(IamError::TooManyConflicts(call.name())))
    }

    /// Authorizes `caller` for `action` on the names as sent (`ossd-rpc` asks before it answers
    /// with the parameter error of a call that does not parse, so that callers not allowed to
    /// make the call get `NoPermission` or the `Missing{Name}` of a name first).
    pub async fn authorize_ram_names(
        &self,
        caller: &Caller,
        action: RamAction,
        names: &RamNames<'_>,
        ctx: &RequestContext,
    ) -> Result<(), ActionError> {
        let targets = names.resources(action, caller, &self.inner.account_id)?;
        self.authorize_ram(caller, action.name(), &targets, ctx)
            .await
    }

    /// Runs `call` once.
    async fn run_ram(&self, caller: &Caller, call: &RamCall) -> Out {
        use RamCall as C;
        use attach::Holder;
        match call {
            C::CreateUser(new) => self.create_user(new).await,
            C::GetUser { user_name } => self.get_user(user_name).await,
            C::UpdateUser(update) => self.update_user(update).await,
            C::ListUsers(page) => self.list_users(page).await,
            C::DeleteUser { user_name } => self.delete_user(user_name).await,
            C::CreateAccessKey { user_name } => {
                let owner = self.key_owner_of(caller, user_name.as_ref()).await?;
                self.create_key(&owner).await
            }
            C::ListAccessKeys { user_name } => {
                let owner = self.key_owner_of(caller, user_name.as_ref()).await?;
                self.list_keys(&owner).await
            }
            C::UpdateAccessKey { key, status } => {
                self.update_key(caller, key, status.as_deref()).await
            }
            C::DeleteAccessKey(key) => self.delete_key(caller, key).await,
            C::GetAccessKeyLastUsed(key) => self.key_last_used(caller, key).await,
            C::CreateGroup(new) => self.create_group(new).await,
            C::GetGroup { group_name } => self.get_group(group_name).await,
            C::UpdateGroup(update) => self.update_group(update).await,
            C::ListGroups(page) => self.list_groups(page).await,
            C::DeleteGroup { group_name } => self.delete_group(group_name).await,
            C::AddUserToGroup {
                user_name,
                group_name,
            } => self.add_user_to_group(user_name, group_name).await,
            C::RemoveUserFromGroup {
                user_name,
                group_name,
            } => self.remove_user_from_group(user_name, group_name).await,
            C::ListGroupsForUser { user_name } => self.list_groups_for_user(user_name).await,
            C::ListUsersForGroup { group_name, page } => {
                self.list_users_for_group(group_name, page).await
            }
            C::CreateRole(new) => self.create_role(new).await,
            C::GetRole { role_name } => self.get_role(role_name).await,
            C::UpdateRole(update) => self.update_role(update).await,
            C::ListRoles(page) => self.list_roles(page).await,
            C::DeleteRole { role_name } => self.delete_role(role_name).await,
            C::CreatePolicy(new) => self.create_policy(new).await,
            C::GetPolicy(policy) => self.get_policy(policy).await,
            C::ListPolicies { policy_type, page } => self.list_policies(*policy_type, page).await,
            C::UpdatePolicyDescription {
                policy_name,
                description,
            } => {
                self.update_policy_description(policy_name, description)
                    .await
            }
            C::DeletePolicy {
                policy_name,
                cascading,
            } => self.delete_policy(policy_name, *cascading).await,
            C::CreatePolicyVersion(new) => self.create_version(new).await,
            C::GetPolicyVersion { policy, version } => self.get_version(policy, *version).await,
            C::ListPolicyVersions(policy) => self.list_versions(policy).await,
            C::DeletePolicyVersion {
                policy_name,
                version,
            } => self.delete_version(policy_name, *version).await,
            C::SetDefaultPolicyVersion {
                policy_name,
                version,
            } => self.set_default_version(policy_name, *version).await,
            C::AttachPolicyToUser { policy, user_name } => {
                self.attach(policy, Holder::user(user_name)).await
            }
            C::AttachPolicyToGroup { policy, group_name } => {
                self.attach(policy, Holder::group(group_name)).await
            }
            C::AttachPolicyToRole { policy, role_name } => {
                self.attach(policy, Holder::role(role_name)).await
            }
            C::DetachPolicyFromUser { policy, user_name } => {
                self.detach(policy, Holder::user(user_name)).await
            }
            C::DetachPolicyFromGroup { policy, group_name } => {
                self.detach(policy, Holder::group(group_name)).await
            }
            C::DetachPolicyFromRole { policy, role_name } => {
                self.detach(policy, Holder::role(role_name)).await
            }
            C::ListPoliciesForUser { user_name } => {
                self.list_policies_for(Holder::user(user_name)).await
            }
            C::ListPoliciesForGroup { group_name } => {
                self.list_policies_for(Holder::group(group_name)).await
            }
            C::ListPoliciesForRole { role_name } => {
                self.list_policies_for(Holder::role(role_name)).await
            }
            C::ListEntitiesForPolicy(policy) => self.list_entities_for_policy(policy).await,
            C::GetAccountAlias => self.get_alias().await,
            C::SetAccountAlias { alias } => self.set_alias(alias).await,
            C::ClearAccountAlias => self.clear_alias().await,
            C::SimulatePrincipalPolicy(sim) => self.simulate(sim).await,
        }
    }

    /// Commits `txn`, counting the write.
    pub(crate) async fn commit(&self, txn: Txn) -> Result<(), Fail> {
        self.store().commit(txn).await?;
        self.inner.counters.wrote();
        Ok(())
    }
}
