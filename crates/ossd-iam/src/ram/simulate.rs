//! SimulatePrincipalPolicy, an ossd extension (docs/protocol/ram.md#simulateprincipalpolicy-ossd-extension):
//! the decision the server's own evaluation makes for a principal — a RAM user, or a role with an
//! optional session policy — on one action and resource with given condition values, and the
//! statement that decided. The evaluation is the one a real request gets: for an `oss:` action on
//! a bucket the server fills in [`Simulation::bucket`] (owner, bucket policy, the ACL's verdict)
//! and [`Iam::oss_decision`] combines it with the identity and session policies exactly as for a
//! signed request (docs/protocol/authorization.md#oss-request-authorization); other actions go
//! through `ossd_policy::authorize_ram`. A denial carries the same [`Denial`] a `NoPermission` /
//! AccessDenied does.

use ossd_policy::{
    Authorization, MatchedStatement, Outcome, Policy, PolicyKind, Request, RequestContext,
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
    /// The bucket an `oss:` resource names, as the server stores it; `None`: no bucket was
    /// looked up (evaluated as a bucket of the account with no bucket policy and no ACL grant).
    pub bucket: Option<SimulatedBucket>,
}

/// The bucket of an `oss:` simulation, as a real request would find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimulatedBucket {
    /// The bucket does not exist: a real request is answered 404 `NoSuchBucket`.
    Missing,
    /// The bucket exists.
    Found {
        /// The account owning it.
        owner: String,
        /// Its bucket policy JSON, if it has one.
        policy: Option<String>,
        /// Whether its ACL (for an existing object, the object's effective ACL) grants the
        /// action (docs/protocol/authorization.md#oss-request-authorization step 7).
        acl_allows: bool,
    },
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
    /// Allowed or denied and by what (identity, session or bucket policy, ACL); `None` when the
    /// bucket does not exist.
    pub outcome: Option<Outcome>,
    /// The bucket the resource names when it does not exist (the request would get
    /// `NoSuchBucket` before any policy is evaluated).
    pub missing_bucket: Option<String>,
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
            bucket: None,
        })
    }

    /// The bucket and key the resource names for an `oss:` action
    /// (`acs:oss:<region>:<account>:<bucket>` or `…:<bucket>/<key>`); `None` for another
    /// action, a service-level resource or a bucket name with wildcards.
    pub fn oss_target(&self) -> Option<(&str, Option<&str>)> {
        if !self.is_oss() {
            return None;
        }
        let mut parts = self.resource.splitn(5, ':');
        let (Some("acs"), Some("oss"), Some(_), Some(_), Some(rest)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let (bucket, key) = match rest.split_once('/') {
            Some((bucket, key)) => (bucket, Some(key)),
            None => (rest, None),
        };
        let concrete = !bucket.is_empty() && !bucket.contains(['*', '?']);
        concrete.then_some((bucket, key))
    }

    /// Whether the action is an `oss:` one (compared ASCII case-insensitively).
    fn is_oss(&self) -> bool {
        self.action
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("oss:"))
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
        let decision: Authorization = match &sim.bucket {
            Some(SimulatedBucket::Missing) => {
                let bucket = sim.oss_target().map(|(b, _)| b.to_owned());
                return Ok(RamOutcome::Simulated(Simulated {
                    action: sim.action.clone(),
                    resource: sim.resource.clone(),
                    allowed: false,
                    matched: None,
                    denial: None,
                    outcome: None,
                    missing_bucket: Some(bucket.unwrap_or_default()),
                }));
            }
            Some(SimulatedBucket::Found {
                owner,
                policy,
                acl_allows,
            }) => self.oss_decision(
                &subject,
                owner,
                policy.as_deref(),
                *acl_allows,
                ossd_policy::PublicAccessBlock::default(),
                &request,
            ),
            None if sim.is_oss() => self.oss_decision(
                &subject,
                &self.inner.account_id,
                None,
                false,
                ossd_policy::PublicAccessBlock::default(),
                &request,
            ),
            None => ossd_policy::authorize_ram(&subject, &self.inner.account_id, &request),
        };
        let allowed = decision.is_allowed();
        Ok(RamOutcome::Simulated(Simulated {
            action: sim.action.clone(),
            resource: sim.resource.clone(),
            allowed,
            matched: decision.matched.clone(),
            denial: (!allowed).then(|| denial(&caller, &sim.action, &sim.resource, &decision)),
            outcome: Some(decision.outcome),
            missing_bucket: None,
        }))
    }
}
