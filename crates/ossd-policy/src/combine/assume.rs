//! Authorising AssumeRole: the caller's permission AND the role's trust
//! (docs/protocol/authorization.md#assumerole-authorization).

use super::{Subject, evaluate_if, session_gate};
use crate::arn::ram_role_arn;
use crate::caller::Caller;
use crate::context::RequestContext;
use crate::document::Policy;
use crate::evaluate::{Decision, Evaluation};
use crate::kind::PolicyKind;
use crate::reason::{AllowReason, Authorization, DenyReason};
use crate::request::Request;

/// The action authorised by [`authorize_assume_role`].
const ASSUME_ROLE: &str = "sts:AssumeRole";

/// The role a caller wants to assume.
#[derive(Debug, Clone, Copy)]
pub struct RoleTarget<'a> {
    /// The account that owns the role.
    pub account_id: &'a str,
    /// The role's name.
    pub role_name: &'a str,
    /// The role's trust policy; a policy not parsed as [`PolicyKind::Trust`] trusts no one.
    pub trust_policy: &'a Policy,
}

/// Whether `subject` may assume `role` (docs/protocol/authorization.md#assumerole-authorization).
///
/// Root → [`DenyReason::RootCannotAssumeRole`]; then the session gate; then A = the caller's
/// identity policies allow `sts:AssumeRole` on `acs:ram:*:{roleAcct}:role/{name}`, and B = the
/// trust policy allows the caller. Any explicit Deny denies; allow only if A and B allow.
pub fn authorize_assume_role(
    subject: &Subject<'_>,
    role: &RoleTarget<'_>,
    context: &RequestContext,
) -> Authorization {
    if matches!(subject.caller, Caller::Root { .. }) {
        return Authorization::deny(DenyReason::RootCannotAssumeRole, None);
    }
    let arn = ram_role_arn(role.account_id, role.role_name);
    let request = Request::new(ASSUME_ROLE, &arn, context).with_caller(subject.caller);
    if let Err(denied) = session_gate(subject.session, &request) {
        return denied;
    }
    let ram_caller = subject.caller.is_ram_identity();
    let identity = evaluate_if(ram_caller, subject.identity, &request);
    let trusted = role.trust_policy.kind() == PolicyKind::Trust;
    let trust = evaluate_if(
        ram_caller && trusted,
        &[role.trust_policy],
        &request.with_principal(subject.caller),
    );
    combine(identity, trust)
}

/// Explicit denies first (identity, then trust), then missing allows, else allow.
fn combine(identity: Evaluation, trust: Evaluation) -> Authorization {
    use Decision::{Allow, ExplicitDeny};
    let deny = |reason, e: Evaluation| Authorization::deny(reason, e.matched);
    match (identity.decision, trust.decision) {
        (ExplicitDeny, _) => deny(DenyReason::IdentityPolicy { explicit: true }, identity),
        (_, ExplicitDeny) => deny(DenyReason::TrustPolicy { explicit: true }, trust),
        (Allow, Allow) => Authorization::allow(AllowReason::IdentityPolicy, identity.matched),
        (Allow, _) => deny(DenyReason::TrustPolicy { explicit: false }, trust),
        _ => deny(DenyReason::IdentityPolicy { explicit: false }, identity),
    }
}
