//! SimulatePrincipalPolicy, an ossd extension (docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension):
//! the decision the server's own evaluation makes for a principal — a RAM user, or a role with an
//! optional session policy — on one action and resource with given condition values, and the
//! statement that decided. Identity-based policies (and the session policy) are evaluated as for
//! a real request (`ossd_policy::authorize_oss` for `oss:` actions as for a bucket owned by the
//! account with no bucket policy and no ACL grant, `ossd_policy::authorize_ram` otherwise); a
//! denial carries the same [`Denial`] a `NoPermission` error does.

use ossd_policy::{
    Authorization, MatchedStatement, OssTarget, Policy, PolicyKind, Request, RequestContext,
};

use super::values::{RoleName, UserName};
use super::{Fail, Out, RamOutcome};
use crate::authorize::policy_caller;
use crate::denied::denial;
use crate::identity::Principal;
use crate::{ActionError, Caller, Denial, Iam, codes};

/// Whom a simulation evaluates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimulatedPrincipal {
    /// A RAM user (`UserName`).
    User(UserName),
    /// A role session (`RoleName`), narrowed by a session policy when given (`SessionPolicy`).
    Role {
        /// The role.
        role_name: RoleName,
        /// The session policy's text, checked to parse as one.
        session_policy: Option<String>,
    },
}

/// SimulatePrincipalPolicy's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    /// The principal.
    pub principal: SimulatedPrincipal,
    /// `ActionName`, e.g. `oss:DeleteObject`.
    pub action: String,
    /// `ResourceArn`, e.g. `acs:oss:*:1234:bucket/key`.
    pub resource: String,
    /// The condition values (`ContextEntries`): `acs:SourceIp`, `acs:SecureTransport`,
    /// `oss:Prefix`, …
    pub context: RequestContext,
}

/// What a simulation decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulated {
    /// The action evaluated.
    pub action: String,
    /// The resource evaluated.
    pub resource: String,
    /// Whether the request would be allowed.
    pub allowed: bool,
    /// The deciding statement, when one decided (allow or deny).
    pub matched: Option<MatchedStatement>,
    /// The denial, as a `NoPermission` / AccessDenied of the same request would explain it.
    pub denial: Option<Denial>,
}

impl Simulation {
    /// A simulation; a session policy must parse as one (`MalformedPolicyDocument`).
    pub fn new(
        principal: SimulatedPrincipal,
        action: String,
        resource: String,
        context: RequestContext,
    ) -> Result<Self, ActionError> {
        if let SimulatedPrincipal::Role {
            session_policy: Some(text),
            ..
        } = &principal
        {
            Policy::parse(text, PolicyKind::Session).map_err(codes::policy)?;
        }
        Ok(Self {
            principal,
            action,
            resource,
            context,
        })
    }
}

impl Iam {
    /// Runs a simulation (the caller was authorized for `ram:SimulatePrincipalPolicy` on the
    /// principal's ARN).
    pub(crate) async fn simulate(&self, sim: &Simulation) -> Out {
        let account_id = self.inner.account_id.clone();
        let (caller, principal) = match &sim.principal {
            SimulatedPrincipal::User(name) => {
                let user = self.user_named(name.as_str()).await?.value;
                let caller = Caller::User {
                    account_id,
                    user_id: user.id.clone(),
                    user_name: user.name,
                    access_key_id: String::new(),
                };
                (caller, Principal::User(user.id))
            }
            SimulatedPrincipal::Role {
                role_name,
                session_policy,
            } => {
                let role = self.role_named(role_name.as_str()).await?.value;
                let caller = Caller::Session {
                    account_id,
                    role_id: role.id.clone(),
                    role_name: role.name,
                    session_name: "simulation".to_owned(),
                    session_policy: session_policy.clone(),
                    expires_at: i64::MAX,
                    access_key_id: String::new(),
                };
                (caller, Principal::Role(role.id))
            }
        };
        let identity = self.policy_set(&principal).await.map_err(Fail::from)?;
        let session = match &sim.principal {
            SimulatedPrincipal::Role {
                session_policy: Some(text),
                ..
            } => Some(Policy::parse(text, PolicyKind::Session).map_err(codes::policy)?),
            _ => None,
        };
        let policy_caller = policy_caller(&caller);
        let refs = identity.refs();
        let subject = ossd_policy::Subject {
            caller: &policy_caller,
            identity: &refs,
            session: session.as_ref(),
        };
        let request = Request::new(&sim.action, &sim.resource, &sim.context);
        let decision: Authorization = if sim.action.to_ascii_lowercase().starts_with("oss:") {
            let target = OssTarget {
                bucket_owner: &self.inner.account_id,
                bucket_policy: None,
                acl_allows: false,
            };
            ossd_policy::authorize_oss(&subject, &target, &request)
        } else {
            ossd_policy::authorize_ram(&subject, &self.inner.account_id, &request)
        };
        let allowed = decision.is_allowed();
        Ok(RamOutcome::Simulated(Simulated {
            action: sim.action.clone(),
            resource: sim.resource.clone(),
            allowed,
            matched: decision.matched.clone(),
            denial: (!allowed).then(|| denial(&caller, &sim.action, &sim.resource, &decision)),
        }))
    }
}
