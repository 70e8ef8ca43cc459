//! Denials and their details: [`Denied`] for OSS (docs/protocol/access-denied.md#oss-accessdenied-document, docs/protocol/access-denied.md#choosing-code-message-and-ec) and the [`Denial`] of STS/RAM
//! `NoPermission` errors (docs/protocol/access-denied.md#rpc-accessdenieddetail).

use crate::{Caller, Denial};
use ossd_policy::{Access, Authorization, DenyReason};

/// Message of a session-policy denial (docs/protocol/access-denied.md#choosing-code-message-and-ec).
const BY_AUTHORIZER: &str = "Access denied by authorizer's policy.";
/// Message of explicit Deny denials (docs/protocol/access-denied.md#choosing-code-message-and-ec, sic for RAM policies too).
const BY_BUCKET_POLICY: &str = "Access denied by bucket policy.";
/// Message of data APIs nothing allowed (docs/protocol/access-denied.md#choosing-code-message-and-ec).
const NO_RIGHT_DATA: &str = "You have no right to access this object because of bucket acl.";
/// Message of management APIs nothing allowed (docs/protocol/access-denied.md#choosing-code-message-and-ec).
const NOT_YOURS: &str = "The bucket you access does not belong to you.";

/// A denied OSS request with what docs/protocol/access-denied.md#oss-accessdenied-document, docs/protocol/access-denied.md#choosing-code-message-and-ec needs for the AccessDenied body (message, EC, which policy type denied, explicit or implicit, the action and resource).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    /// `Message` of the AccessDenied error.
    pub message: String,
    /// `EC` (also the `x-oss-ec` header).
    pub ec: Option<&'static str>,
    /// `AccessDeniedDetail/AuthAction`, e.g. `oss:PutObject`.
    pub auth_action: String,
    /// The resource ARN that was denied.
    pub resource: String,
    /// `AccessDeniedDetail/PolicyType` (empty when no policy was involved).
    pub policy_type: String,
    /// `NoPermissionType`: `ExplicitDeny` when true, else `ImplicitDeny`.
    pub explicit: bool,
    /// The statement that decided, when one did (for the audit trail).
    pub matched: Option<ossd_policy::MatchedStatement>,
}

impl Denied {
    /// The denial for `reason` on (`action`, `resource`) of an API of kind `access`.
    pub(crate) fn new(reason: DenyReason, action: &str, resource: &str, access: Access) -> Self {
        let message = match reason {
            DenyReason::SessionPolicy { .. } => BY_AUTHORIZER,
            reason if reason.is_explicit() => BY_BUCKET_POLICY,
            _ if access == Access::Management => NOT_YOURS,
            _ => NO_RIGHT_DATA,
        };
        Self {
            message: message.to_owned(),
            ec: Some(reason.oss_ec()),
            auth_action: action.to_owned(),
            resource: resource.to_owned(),
            policy_type: reason
                .policy_type()
                .map(|p| p.as_str())
                .unwrap_or_default()
                .to_owned(),
            explicit: reason.is_explicit(),
            matched: None,
        }
    }

    /// The same denial naming the statement that decided it.
    pub(crate) fn with_matched(mut self, matched: Option<ossd_policy::MatchedStatement>) -> Self {
        self.matched = matched;
        self
    }

    /// `NoPermissionType` as spelled on the wire.
    pub fn no_permission_type(&self) -> &'static str {
        if self.explicit {
            "ExplicitDeny"
        } else {
            "ImplicitDeny"
        }
    }
}

/// The [`Denial`] of a `NoPermission` RAM/STS error for `decision` on (`action`, `resource`).
pub(crate) fn denial(
    caller: &Caller,
    action: &str,
    resource: &str,
    decision: &Authorization,
) -> Denial {
    let reason = decision.deny_reason();
    Denial {
        action: action.to_owned(),
        resource: resource.to_owned(),
        principal_type: caller.principal_type(),
        principal_name: caller.display_name(),
        principal_owner: caller.account_id().unwrap_or_default().to_owned(),
        explicit: reason.is_some_and(DenyReason::is_explicit),
        policy_type: reason.and_then(DenyReason::policy_type).map(|p| p.as_str()),
        matched: decision.matched.clone(),
    }
}
