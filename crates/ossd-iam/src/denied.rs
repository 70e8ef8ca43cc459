//! Denials and their details: [`Denied`] for OSS
//! (docs/protocol/access-denied.md#oss-accessdenied-document, #choosing-code-message-and-ec) and
//! the `AccessDeniedDetail` object of STS/RAM `NoPermission` errors
//! (docs/protocol/access-denied.md#rpc-accessdenieddetail).

use crate::Caller;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ossd_policy::{Access, Authorization, DenyReason};
use serde_json::{Value, json};

/// Message of a session-policy denial
/// (docs/protocol/access-denied.md#choosing-code-message-and-ec).
const BY_AUTHORIZER: &str = "Access denied by authorizer's policy.";
/// Message of explicit Deny denials (docs/protocol/access-denied.md#choosing-code-message-and-ec,
/// sic for RAM policies too).
const BY_BUCKET_POLICY: &str = "Access denied by bucket policy.";
/// Message of data APIs nothing allowed
/// (docs/protocol/access-denied.md#choosing-code-message-and-ec).
const NO_RIGHT_DATA: &str = "You have no right to access this object because of bucket acl.";
/// Message of management APIs nothing allowed
/// (docs/protocol/access-denied.md#choosing-code-message-and-ec).
const NOT_YOURS: &str = "The bucket you access does not belong to you.";

/// A denied OSS request with what the AccessDenied body needs (docs/protocol/access-denied.md):
/// message, EC, which policy type denied, explicit or implicit, the action and resource.
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

/// The `AccessDeniedDetail` object of a `NoPermission` RPC error
/// (docs/protocol/access-denied.md#rpc-accessdenieddetail).
pub(crate) fn access_denied_detail(
    caller: &Caller,
    action: &str,
    resource: &str,
    decision: &Authorization,
) -> Value {
    let reason = decision.deny_reason();
    let policy_type = reason.and_then(DenyReason::policy_type).map(|p| p.as_str());
    let explicit = reason.is_some_and(DenyReason::is_explicit);
    json!({
        "AuthAction": action,
        "AuthPrincipalDisplayName": caller.display_name(),
        "AuthPrincipalOwnerId": caller.account_id().unwrap_or_default(),
        "AuthPrincipalType": caller.principal_type(),
        "NoPermissionType": if explicit { "ExplicitDeny" } else { "ImplicitDeny" },
        "PolicyType": policy_type.unwrap_or_default(),
        "EncodedDiagnosticMessage": diagnostic(caller, action, resource, decision),
    })
}

/// `EncodedDiagnosticMessage`: base64 of the decision record (ossd's choice,
/// docs/protocol/access-denied.md#oss-accessdenied-document).
fn diagnostic(caller: &Caller, action: &str, resource: &str, decision: &Authorization) -> String {
    let reason = decision.deny_reason();
    let matched: Vec<Value> = decision
        .matched
        .iter()
        .map(|m| json!({ "PolicyIdentifier": m.policy_name, "StatementIndex": m.statement_index }))
        .collect();
    let record = json!({
        "AuthAction": action,
        "AuthResource": resource,
        "AuthPrincipal": {
            "AuthPrincipalType": caller.principal_type(),
            "AuthPrincipalOwnerId": caller.account_id().unwrap_or_default(),
            "AuthPrincipalDisplayName": caller.display_name(),
        },
        "ExplicitDeny": reason.is_some_and(DenyReason::is_explicit),
        "NoPermissionPolicyType": reason.and_then(DenyReason::policy_type).map(|p| p.as_str()),
        "MatchedPolicies": matched,
    });
    STANDARD.encode(record.to_string())
}
