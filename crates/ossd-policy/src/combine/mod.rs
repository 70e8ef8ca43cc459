//! Combined decisions over several policy sets (docs/protocol/authorization.md).

mod assume;
mod oss;

pub use assume::{RoleTarget, authorize_assume_role};
pub use oss::{OssTarget, authorize_oss};

use crate::caller::Caller;
use crate::document::Policy;
use crate::evaluate::{Decision, Evaluation, evaluate};
use crate::reason::{AllowReason, Authorization, DenyReason};
use crate::request::Request;

/// A caller with the policies that govern it in its own account.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// Who is calling.
    pub caller: &'a Caller,
    /// Identity-based policies: the user's plus its groups', or the role's
    /// (docs/protocol/authorization.md#identity-based-policies).
    pub identity: &'a [&'a Policy],
    /// The STS session policy carried by a role session's token, if any
    /// (docs/protocol/authorization.md#session-policies).
    pub session: Option<&'a Policy>,
}

/// RAM identity-based decision (docs/protocol/authorization.md#identity-based-policies): Deny
/// first, then Allow, else implicit deny.
pub fn authorize_identity(policies: &[&Policy], request: &Request<'_>) -> Authorization {
    let evaluation = evaluate(policies, &without_principal(request));
    match evaluation.decision {
        Decision::Allow => Authorization::allow(AllowReason::IdentityPolicy, evaluation.matched),
        decision => Authorization::deny(
            DenyReason::IdentityPolicy {
                explicit: decision == Decision::ExplicitDeny,
            },
            evaluation.matched,
        ),
    }
}

/// Role session decision (docs/protocol/authorization.md#session-policies): the session policy
/// gate, then the role's policies.
pub fn authorize_session(
    session: Option<&Policy>,
    role_policies: &[&Policy],
    request: &Request<'_>,
) -> Authorization {
    match session_gate(session, request) {
        Err(denied) => denied,
        Ok(()) => authorize_identity(role_policies, request),
    }
}

/// RAM API decision in `account_id` (docs/protocol/authorization.md): its root may do everything;
/// RAM users and role sessions of the account need their policies; anyone else is implicitly
/// denied.
pub fn authorize_ram(
    subject: &Subject<'_>,
    account_id: &str,
    request: &Request<'_>,
) -> Authorization {
    let request = &request.with_caller(subject.caller);
    if let Err(denied) = session_gate(subject.session, request) {
        return denied;
    }
    match subject.caller {
        caller if caller.is_root_of(account_id) => {
            Authorization::allow(AllowReason::AccountRoot, None)
        }
        caller if caller.is_ram_identity() && caller.account_id() == Some(account_id) => {
            authorize_identity(subject.identity, request)
        }
        _ => Authorization::deny(DenyReason::IdentityPolicy { explicit: false }, None),
    }
}

/// The session policy gate: without Allow from the session policy the request is denied.
pub(crate) fn session_gate(
    session: Option<&Policy>,
    request: &Request<'_>,
) -> Result<(), Authorization> {
    let Some(policy) = session else {
        return Ok(());
    };
    let evaluation = evaluate(&[policy], &without_principal(request));
    match evaluation.decision {
        Decision::Allow => Ok(()),
        decision => Err(Authorization::deny(
            DenyReason::SessionPolicy {
                explicit: decision == Decision::ExplicitDeny,
            },
            evaluation.matched,
        )),
    }
}

/// The request stripped of principal and owner, for identity and session policies (the caller
/// stays for caller-derived condition keys).
fn without_principal<'a>(request: &Request<'a>) -> Request<'a> {
    Request {
        principal: None,
        resource_owner: None,
        ..*request
    }
}

/// A policy set's evaluation, or an implicit deny when the set does not apply.
fn evaluate_if(applicable: bool, policies: &[&Policy], request: &Request<'_>) -> Evaluation {
    if applicable {
        evaluate(policies, request)
    } else {
        Evaluation::implicit_deny()
    }
}
