//! One authorisation question: may this action be done on this resource, in this context?

use crate::caller::Caller;
use crate::context::RequestContext;

/// The input of [`crate::evaluate`]: one (action, resource) pair and its context
/// (docs/protocol/authorization.md#evaluating-one-policy-set).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The RAM action, e.g. `oss:GetObject` (any case).
    pub action: &'a str,
    /// The resource ARN, e.g. `acs:oss:cn-hangzhou:123:bucket/key` (object key decoded).
    pub resource: &'a str,
    /// Condition key values.
    pub context: &'a RequestContext,
    /// The caller, for statements with a `Principal`; without it such statements never apply.
    pub principal: Option<&'a Caller>,
    /// The account owning the resource; enables the bucket owner rule
    /// (docs/protocol/authorization.md#account-root).
    pub resource_owner: Option<&'a str>,
    /// The caller, for the condition keys derived from it (`aws:PrincipalArn`, `aws:username`,
    /// docs/protocol/iam-grammar.md#condition-keys); kept when the principal is stripped for
    /// identity and session policies.
    pub caller: Option<&'a Caller>,
}

impl<'a> Request<'a> {
    /// A request without principal or owner (enough for identity and session policies).
    pub const fn new(action: &'a str, resource: &'a str, context: &'a RequestContext) -> Self {
        Self {
            action,
            resource,
            context,
            principal: None,
            resource_owner: None,
            caller: None,
        }
    }

    /// Sets the caller matched against `Principal` elements (and read by caller-derived
    /// condition keys).
    #[must_use]
    pub const fn with_principal(mut self, caller: &'a Caller) -> Self {
        self.principal = Some(caller);
        self.caller = Some(caller);
        self
    }

    /// Sets the caller read by caller-derived condition keys only.
    #[must_use]
    pub const fn with_caller(mut self, caller: &'a Caller) -> Self {
        self.caller = Some(caller);
        self
    }

    /// Sets the resource owner's account.
    #[must_use]
    pub const fn with_resource_owner(mut self, account_id: &'a str) -> Self {
        self.resource_owner = Some(account_id);
        self
    }

    /// Whether the principal is the root identity of the resource owner.
    pub(crate) fn is_owner_root(&self) -> bool {
        matches!((self.principal, self.resource_owner), (Some(c), Some(o)) if c.is_root_of(o))
    }
}
