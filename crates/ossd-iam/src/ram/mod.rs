//! The RAM API (docs/protocol/ram.md#ram-api): dispatching an action, authorizing it (6.9), running it with retries
//! on concurrent changes, and the shared [`Fail`] type of the handlers.

mod alias;
mod attach;
mod counted;
mod groups;
mod keys;
mod lookup;
mod outcome;
mod page;
mod policies;
mod resources;
mod roles;
mod users;
mod versions;

use crate::ActionError;
use crate::params::Params;
use crate::store::{StoreError, Txn};
use crate::{Caller, Iam, IamError, RamAction};
use ossd_meta::ErrorChain;
use ossd_policy::RequestContext;
use std::collections::BTreeMap;

pub(crate) use keys::MAX_KEYS;
pub use outcome::{
    AccessKey, Attached, CountedPolicy, Group, Listed, Membership, NewAccessKey, PolicyDetail,
    PolicyEntities, PolicyVersion, RamOutcome, RamPolicy, Role, User,
};
pub use resources::STUB_ACTIONS;

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
    /// Runs one RAM action (docs/protocol/ram.md#ram-actions; stubs of docs/protocol/ram.md#sdk-only-actions answer InvalidAction.NotFound) for `caller`
    /// (authorized with `ram:<Action>` on the docs/protocol/authorization.md#ram-and-sts-action-resources resource; root always allowed).
    /// `params` are the decoded RPC parameters. Returns the typed outcome (`ossd-rpc` renders it).
    pub async fn ram(
        &self,
        caller: &Caller,
        action: RamAction,
        params: &BTreeMap<String, String>,
        ctx: &RequestContext,
    ) -> Result<RamOutcome, ActionError> {
        let p = Params(params);
        let targets = resources::for_action(action, caller, p, &self.inner.account_id)?;
        self.authorize_ram(caller, action.name(), &targets, ctx)
            .await?;
        for _ in 0..ATTEMPTS {
            match self.run_ram(caller, action, p).await {
                Ok(body) => return Ok(body),
                Err(Fail::Action(e)) => return Err(e),
                Err(Fail::Backend(m)) => return Err(internal(m)),
                Err(Fail::Conflict) => {
                    tracing::debug!(action = action.name(), "concurrent IAM change; retrying");
                }
            }
        }
        Err(internal(IamError::TooManyConflicts(action.name())))
    }

    /// Runs the handler of `action` once.
    async fn run_ram(&self, caller: &Caller, action: RamAction, p: Params<'_>) -> Out {
        use RamAction as A;
        match action {
            A::CreateUser | A::GetUser | A::UpdateUser | A::ListUsers | A::DeleteUser => {
                self.user_action(action, p).await
            }
            A::CreateAccessKey
            | A::ListAccessKeys
            | A::UpdateAccessKey
            | A::DeleteAccessKey
            | A::GetAccessKeyLastUsed => self.key_action(caller, action, p).await,
            A::CreateGroup
            | A::GetGroup
            | A::UpdateGroup
            | A::ListGroups
            | A::DeleteGroup
            | A::AddUserToGroup
            | A::RemoveUserFromGroup
            | A::ListGroupsForUser
            | A::ListUsersForGroup => self.group_action(action, p).await,
            A::CreateRole | A::GetRole | A::UpdateRole | A::ListRoles | A::DeleteRole => {
                self.role_action(action, p).await
            }
            A::CreatePolicy
            | A::GetPolicy
            | A::ListPolicies
            | A::UpdatePolicyDescription
            | A::DeletePolicy => self.policy_action(action, p).await,
            A::CreatePolicyVersion
            | A::GetPolicyVersion
            | A::ListPolicyVersions
            | A::DeletePolicyVersion
            | A::SetDefaultPolicyVersion => self.version_action(action, p).await,
            A::GetAccountAlias | A::SetAccountAlias | A::ClearAccountAlias => {
                self.alias_action(action, p).await
            }
            A::AttachPolicyToUser
            | A::AttachPolicyToGroup
            | A::AttachPolicyToRole
            | A::DetachPolicyFromUser
            | A::DetachPolicyFromGroup
            | A::DetachPolicyFromRole
            | A::ListPoliciesForUser
            | A::ListPoliciesForGroup
            | A::ListPoliciesForRole
            | A::ListEntitiesForPolicy => self.attach_action(action, p).await,
        }
    }

    /// Commits `txn`, counting the write.
    pub(crate) async fn commit(&self, txn: Txn) -> Result<(), Fail> {
        self.store().commit(txn).await?;
        self.inner.counters.wrote();
        Ok(())
    }
}
