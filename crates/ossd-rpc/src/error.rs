//! The one mapping of RPC failures to the wire: [`RpcFailure`] (everything that can go wrong at
//! the RPC endpoint, typed) → [`WireError`] (HTTP status, `Code`, `Message`,
//! `AccessDeniedDetail`). Codes and messages follow the RAM and STS error-code references
//! (<https://api.aliyun.com/document/Ram/2015-05-01/errorCode>,
//! <https://api.aliyun.com/document/Sts/2015-04-01/errorCode>) and docs/ram-sts.md.

use crate::Service;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ossd_iam::{ActionError, Denial, Entity, IamError, Problem};
use ossd_sig::rpc::RpcSigError;
use serde_json::{Value, json};

/// Everything that can fail an RPC request, before or inside the action.
#[derive(Debug, thiserror::Error)]
pub enum RpcFailure {
    /// The RAM or STS action failed.
    #[error("{}: {error}", service.prefix())]
    Action {
        /// The API the action belongs to (its wording of some messages differs).
        service: Service,
        /// Why it failed.
        #[source]
        error: ActionError,
    },
    /// The signature is missing, malformed, stale or wrong.
    #[error("signature: {0}")]
    Signature(#[source] RpcSigError),
    /// The AccessKey or security token did not resolve.
    #[error("credentials: {0}")]
    Credentials(#[source] IamError),
    /// The request body is larger than the endpoint reads.
    #[error("the request body is too large")]
    BodyTooLarge,
    /// The request body could not be read.
    #[error("the request body could not be read")]
    BodyUnreadable,
    /// `Version` names no API ossd serves.
    #[error("unknown API version")]
    InvalidVersion,
    /// The signature nonce was used already by this AccessKey.
    #[error("signature nonce used already")]
    NonceUsed,
}

impl RpcFailure {
    /// The denial behind a `NoPermission` failure.
    pub fn denial(&self) -> Option<&Denial> {
        match self {
            Self::Action { error, .. } => error.denial(),
            _ => None,
        }
    }

    /// The error as clients see it.
    pub fn to_wire(&self) -> WireError {
        match self {
            Self::Action { service, error } => action(*service, error),
            Self::Signature(e) => signature(e),
            Self::Credentials(e) => credentials(e),
            Self::BodyTooLarge => {
                WireError::new(400, "InvalidParameter", "The request body is too large.")
            }
            Self::BodyUnreadable => WireError::new(
                400,
                "InvalidParameter",
                "The request body could not be read.",
            ),
            Self::InvalidVersion => WireError::new(
                400,
                "InvalidVersion",
                "Specified parameter Version is not valid.",
            ),
            Self::NonceUsed => WireError::new(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ),
        }
    }
}

/// An RPC error as written: HTTP status, `Code`, `Message`, and the `AccessDeniedDetail` of
/// permission errors. The server adds `RequestId`, `HostId` and `Recommend`.
#[derive(Debug, Clone, PartialEq)]
pub struct WireError {
    /// HTTP status (4xx/5xx).
    pub status: u16,
    /// The error `Code`.
    pub code: String,
    /// The error `Message`.
    pub message: String,
    /// `AccessDeniedDetail` of `NoPermission` errors that a policy evaluation decided.
    pub access_denied_detail: Option<Value>,
}

impl WireError {
    fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            access_denied_detail: None,
        }
    }
}

/// The wire form of a failed action.
pub fn action(service: Service, e: &ActionError) -> WireError {
    match e {
        ActionError::Missing { param } => WireError::new(
            400,
            format!("Missing{param}"),
            format!("{param} is mandatory for this action."),
        ),
        ActionError::Invalid { param, problem } => invalid(param, *problem),
        ActionError::AliasLength => WireError::new(
            400,
            "InvalidParameter.AccountAlias.Length",
            r#"The parameter - "AccountAlias" MUST be in the range of 3 and 63."#,
        ),
        ActionError::AliasFormat => WireError::new(
            400,
            "InvalidParameter.AccountAlias.Format",
            r#"The format of parameter - "AccountAlias" is incorrect."#,
        ),
        ActionError::Duration { max } => {
            let message = if *max == 3600 {
                "The Min/Max value of DurationSeconds is 15min/1hr.".to_owned()
            } else {
                format!("The Min/Max value of DurationSeconds is 15min/{max}s.")
            };
            WireError::new(400, "InvalidParameter.DurationSeconds", message)
        }
        ActionError::NotExist(Entity::Role) if service == Service::Sts => {
            WireError::new(404, "EntityNotExist.Role", "The specified Role not exists.")
        }
        ActionError::NotExist(what) => {
            WireError::new(404, format!("EntityNotExist.{what}"), not_exist(*what))
        }
        ActionError::AlreadyExists(what) => WireError::new(
            409,
            format!("EntityAlreadyExists.{what}"),
            already_exists(*what),
        ),
        ActionError::DeleteConflict(what) => WireError::new(
            409,
            format!("DeleteConflict.{what}"),
            delete_conflict(*what),
        ),
        ActionError::LimitExceeded(what) => {
            WireError::new(409, format!("LimitExceeded.{what}"), limit_exceeded(*what))
        }
        ActionError::NoPermission(denial) => {
            let message = match service {
                Service::Ram => "You are not authorized to do this action.",
                Service::Sts => {
                    "You are not authorized to do this action. You should be authorized by RAM."
                }
            };
            WireError {
                access_denied_detail: denial.as_deref().map(access_denied_detail),
                ..WireError::new(403, "NoPermission", message)
            }
        }
        ActionError::RootCannotAssume => WireError::new(
            403,
            "NoPermission",
            "Roles may not be assumed by root accounts.",
        ),
        ActionError::UnknownAction => WireError::new(
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        ),
        ActionError::Policy(e) => WireError::new(e.http_status(), e.code(), e.message()),
        // `Backend`, and whatever a later `ActionError` adds.
        _ => {
            let message = match service {
                Service::Ram => "An internal error occurred.",
                Service::Sts => {
                    "STS Server Internal Error happened, please send the RequestId to us."
                }
            };
            WireError::new(500, "InternalError", message)
        }
    }
}

/// `InvalidParameter.{param}[.{problem}]` with its message.
fn invalid(param: &str, problem: Problem) -> WireError {
    let (code, message) = match problem {
        Problem::InvalidChars => (
            format!("InvalidParameter.{param}.InvalidChars"),
            format!(r#"The parameter - "{param}" contains invalid chars."#),
        ),
        Problem::TooLong => (
            format!("InvalidParameter.{param}.Length"),
            format!(r#"The parameter - "{param}" beyond the length limit."#),
        ),
        Problem::Format => (
            format!("InvalidParameter.{param}.Format"),
            format!(r#"The format of the parameter - "{param}" is incorrect."#),
        ),
        Problem::Incorrect => (
            format!("InvalidParameter.{param}"),
            format!(r#"The parameter - "{param}" is incorrect."#),
        ),
        Problem::OutOfRange { min, max } => (
            format!("InvalidParameter.{param}"),
            format!(r#"The parameter - "{param}" MUST be in the range of {min} and {max}."#),
        ),
        Problem::WronglyFormed => (
            format!("InvalidParameter.{param}"),
            format!("The parameter {param} is wrongly formed."),
        ),
    };
    WireError::new(400, code, message)
}

/// The message of `EntityNotExist.{what}`.
fn not_exist(what: Entity) -> &'static str {
    match what {
        Entity::User => "The user does not exist.",
        Entity::UserAccessKey => "The user access key does not exist.",
        Entity::UserPolicy => "The indicate policy of the user does not exist.",
        Entity::UserGroup => "The user has not joined the group.",
        Entity::Group => "The group does not exist.",
        Entity::GroupPolicy => "The indicate policy attached to the group does not exist.",
        Entity::RolePolicy => "The indicate policy attached to the role does not exist.",
        Entity::Policy => "The policy does not exist.",
        Entity::PolicyVersion => "The policy version does not exist.",
        _ => "The role does not exist.",
    }
}

/// The message of `EntityAlreadyExists.{what}`.
fn already_exists(what: Entity) -> &'static str {
    match what {
        Entity::User => "The user does already EXIST.",
        Entity::UserAccessKey => "The access key id is already in use.",
        Entity::UserGroup => "The user has already joined the group.",
        Entity::UserPolicy => "The user has already been attached this policy.",
        Entity::Group => "The group does already EXIST.",
        Entity::GroupPolicy => "The group has already been attached this policy.",
        Entity::RolePolicy => "The role has already been attached this policy.",
        Entity::Policy => "The policy does already EXIST.",
        _ => "The role does already EXIST.",
    }
}

/// The message of `DeleteConflict.{what}`.
fn delete_conflict(what: Entity) -> &'static str {
    match what {
        Entity::UserGroup => "The user CAN NOT be in any group while deleting the user.",
        Entity::UserAccessKey => "The user CAN NOT has any access key while deleting the user.",
        Entity::UserPolicy => "The user CAN NOT has any attached policy while deleting the user.",
        Entity::GroupUser => "The group CAN NOT has any user member while deleting the group.",
        Entity::GroupPolicy => {
            "The entity CAN NOT has any attached policy while deleting the group."
        }
        Entity::PolicyUser => {
            "The policy CAN NOT been attached to any user while deleting the policy."
        }
        Entity::PolicyGroup => {
            "The policy CAN NOT been attached to any group while deleting the policy."
        }
        Entity::PolicyRole => {
            "The policy CAN NOT been attached to any role while deleting the policy."
        }
        Entity::PolicyVersion => "The policy CAN NOT has any version except the default version.",
        Entity::PolicyVersionDefault => "The default policy version CAN NOT been deleted directly.",
        _ => "The role CAN NOT has any attached policy while deleting the role.",
    }
}

/// The message of `LimitExceeded.{what}`.
fn limit_exceeded(what: Entity) -> String {
    let noun = match what {
        Entity::UserAccessKey => {
            return "The access key count of the user access keys beyond the current limits."
                .to_owned();
        }
        Entity::User => "users",
        Entity::UserGroup => "groups of the user",
        Entity::UserPolicy => "policies attached to the user",
        Entity::Group => "groups",
        Entity::GroupPolicy => "policies attached to the group",
        Entity::Role => "roles",
        Entity::RolePolicy => "policies attached to the role",
        Entity::Policy => "policies",
        _ => "policy versions",
    };
    format!("The count of {noun} beyond the current limits.")
}

/// The `AccessDeniedDetail` object of a `NoPermission` error.
pub fn access_denied_detail(d: &Denial) -> Value {
    json!({
        "AuthAction": d.action,
        "AuthPrincipalDisplayName": d.principal_name,
        "AuthPrincipalOwnerId": d.principal_owner,
        "AuthPrincipalType": d.principal_type,
        "NoPermissionType": if d.explicit { "ExplicitDeny" } else { "ImplicitDeny" },
        "PolicyType": d.policy_type.unwrap_or_default(),
        "EncodedDiagnosticMessage": diagnostic(d),
    })
}

/// `EncodedDiagnosticMessage`: base64 of the decision record.
fn diagnostic(d: &Denial) -> String {
    let matched: Vec<Value> = d
        .matched
        .iter()
        .map(|m| json!({ "PolicyIdentifier": m.policy_name, "StatementIndex": m.statement_index }))
        .collect();
    let record = json!({
        "AuthAction": d.action,
        "AuthResource": d.resource,
        "AuthPrincipal": {
            "AuthPrincipalType": d.principal_type,
            "AuthPrincipalOwnerId": d.principal_owner,
            "AuthPrincipalDisplayName": d.principal_name,
        },
        "ExplicitDeny": d.explicit,
        "NoPermissionPolicyType": d.policy_type,
        "MatchedPolicies": matched,
    });
    STANDARD.encode(record.to_string())
}

/// The wire form of a signature failure.
fn signature(e: &RpcSigError) -> WireError {
    let (status, code, message) = e.code();
    WireError::new(status, code.into_owned(), message)
}

/// The wire form of a credential failure (an unknown or disabled AccessKey, a bad token).
fn credentials(e: &IamError) -> WireError {
    let sig = match e {
        IamError::InvalidAccessKeyId => RpcSigError::AccessKeyNotFound,
        IamError::AccessKeyInactive => RpcSigError::AccessKeyInactive,
        IamError::InvalidSecurityToken => RpcSigError::SecurityTokenMalformed,
        IamError::AccessKeyIdAndSecurityTokenNotMatch => RpcSigError::SecurityTokenMismatch,
        IamError::SecurityTokenExpired => RpcSigError::SecurityTokenExpired,
        IamError::MissingSecurityToken => RpcSigError::Missing {
            name: "SecurityToken",
        },
        other => {
            tracing::error!(error = %other, "identity backend failure");
            return WireError::new(
                500,
                "InternalError",
                "The request processing has failed due to some unknown error, exception or failure.",
            );
        }
    };
    signature(&sig)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn wording_follows_the_service() {
        let role = ActionError::NotExist(Entity::Role);
        let sts = action(Service::Sts, &role);
        let ram = action(Service::Ram, &role);
        assert_eq!(
            (sts.status, sts.code.as_str()),
            (404, "EntityNotExist.Role")
        );
        assert_eq!(sts.message, "The specified Role not exists.");
        assert_eq!(ram.message, "The role does not exist.");
        let missing = action(
            Service::Ram,
            &ActionError::Missing {
                param: "UserName".to_owned(),
            },
        );
        assert_eq!(missing.code, "MissingUserName");
        assert_eq!(missing.message, "UserName is mandatory for this action.");
        let limit = action(
            Service::Ram,
            &ActionError::LimitExceeded(Entity::UserPolicy),
        );
        assert_eq!(
            (limit.status, limit.message.as_str()),
            (
                409,
                "The count of policies attached to the user beyond the current limits."
            )
        );
    }

    #[test]
    fn denials_render_their_detail_and_diagnostic() {
        let denial = Denial {
            action: "ram:CreateUser".to_owned(),
            resource: "acs:ram:*:1:user/*".to_owned(),
            principal_type: "SubUser",
            principal_name: "alice".to_owned(),
            principal_owner: "1".to_owned(),
            explicit: true,
            policy_type: Some("Custom"),
            matched: Some(ossd_policy::MatchedStatement {
                policy_index: 0,
                policy_name: Some("deny-users".to_owned()),
                statement_index: 1,
                sid: None,
            }),
        };
        let e = ActionError::NoPermission(Some(Box::new(denial)));
        let wire = action(Service::Ram, &e);
        assert_eq!((wire.status, wire.code.as_str()), (403, "NoPermission"));
        let detail = wire.access_denied_detail.unwrap_or_default();
        assert_eq!(detail["NoPermissionType"], "ExplicitDeny");
        assert_eq!(detail["PolicyType"], "Custom");
        let encoded = detail["EncodedDiagnosticMessage"]
            .as_str()
            .unwrap_or_default();
        let decoded = STANDARD.decode(encoded).unwrap_or_default();
        let record: Value = serde_json::from_slice(&decoded).unwrap_or_default();
        assert_eq!(
            record["MatchedPolicies"][0]["PolicyIdentifier"],
            "deny-users"
        );
        assert_eq!(record["AuthResource"], "acs:ram:*:1:user/*");
        let plain = action(Service::Sts, &ActionError::NoPermission(None));
        assert!(plain.access_denied_detail.is_none());
        assert!(plain.message.ends_with("You should be authorized by RAM."));
    }
}
