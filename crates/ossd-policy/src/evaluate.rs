//! Evaluating a set of policies for one request
//! (docs/protocol/authorization.md#evaluating-one-policy-set).

use crate::action::ActionName;
use crate::arn;
use crate::document::{Effect, PatternList, Policy, Statement};
use crate::request::Request;

/// The result of one policy set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Some applicable statement allows and none denies.
    Allow,
    /// Some applicable statement denies.
    ExplicitDeny,
    /// No statement applies.
    ImplicitDeny,
}

/// The statement that decided an evaluation, for AccessDenied details and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedStatement {
    /// Index of the policy in the slice given to [`evaluate`].
    pub policy_index: usize,
    /// The policy's name, from [`Policy::with_name`].
    pub policy_name: Option<String>,
    /// Index of the statement within the policy.
    pub statement_index: usize,
    /// The statement's `Sid`.
    pub sid: Option<String>,
}

/// A decision and the statement behind it (the first Deny, else the first Allow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// The deciding statement; `None` for [`Decision::ImplicitDeny`].
    pub matched: Option<MatchedStatement>,
}

impl Evaluation {
    /// An implicit deny with no matched statement.
    pub const fn implicit_deny() -> Self {
        Self {
            decision: Decision::ImplicitDeny,
            matched: None,
        }
    }

    /// A decision made by `matched`.
    const fn decided(decision: Decision, matched: MatchedStatement) -> Self {
        Self {
            decision,
            matched: Some(matched),
        }
    }
}

/// Evaluates `policies` for `request`: any applicable Deny wins, then any Allow
/// (docs/protocol/authorization.md#evaluating-one-policy-set).
pub fn evaluate(policies: &[&Policy], request: &Request<'_>) -> Evaluation {
    let action = ActionName::new(request.action);
    let resource = arn::split(request.resource);
    let mut allow = None;
    for (policy_index, policy) in policies.iter().enumerate() {
        for (statement_index, statement) in policy.statements.iter().enumerate() {
            if !applies(statement, &action, resource.as_ref(), request) {
                continue;
            }
            let matched = || MatchedStatement::new(policy, policy_index, statement_index);
            match statement.effect {
                Effect::Deny => return Evaluation::decided(Decision::ExplicitDeny, matched()),
                Effect::Allow if allow.is_none() => allow = Some(matched()),
                Effect::Allow => {}
            }
        }
    }
    allow.map_or_else(Evaluation::implicit_deny, |m| {
        Evaluation::decided(Decision::Allow, m)
    })
}

impl MatchedStatement {
    /// Describes statement `statement_index` of `policy`, the `policy_index`-th of the set.
    fn new(policy: &Policy, policy_index: usize, statement_index: usize) -> Self {
        let sid = policy
            .statements
            .get(statement_index)
            .and_then(|s| s.sid.clone());
        Self {
            policy_index,
            policy_name: policy.name.clone(),
            statement_index,
            sid,
        }
    }
}

/// Whether `statement` applies: action, resource, principal and condition all hold.
/// `resource` is `request.resource` split into its ARN fields (`None`: not an ARN).
fn applies(
    statement: &Statement,
    action: &ActionName<'_>,
    resource: Option<&[&str; 5]>,
    request: &Request<'_>,
) -> bool {
    // Cheapest first; every check is pure, so stopping at the first failure changes nothing.
    let action_ok = || any_or_none(&statement.actions, |p| p.matches(action));
    let resource_ok = || {
        statement
            .resources
            .as_ref()
            .is_none_or(|list| any_or_none(list, |p| p.matches_fields(resource)))
    };
    let principal_ok = || {
        statement.principal.as_ref().is_none_or(|spec| {
            request.principal.is_some_and(|caller| {
                spec.matches(
                    caller,
                    request.is_owner_root(),
                    statement.condition.is_some(),
                )
            })
        })
    };
    let condition_ok = || {
        statement
            .condition
            .as_ref()
            .is_none_or(|c| c.holds(request.context, request.caller))
    };
    action_ok() && resource_ok() && principal_ok() && condition_ok()
}

/// `Action`: some pattern matches; `NotAction`: no pattern matches.
fn any_or_none<P>(list: &PatternList<P>, matches: impl Fn(&P) -> bool) -> bool {
    list.patterns.iter().any(matches) != list.negated
}
