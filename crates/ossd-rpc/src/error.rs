//! The one mapping of RPC failures to the wire: [`RpcFailure`] (everything that can go wrong at
//! the RPC endpoint, typed) → an [`RpcCode`] and its message → [`WireError`] (HTTP status,
//! `Code`, `Message`, `AccessDeniedDetail`). Codes and messages follow the RAM and STS
//! error-code references (<https://api.aliyun.com/document/Ram/2015-05-01/errorCode>,
//! <https://api.aliyun.com/document/Sts/2015-04-01/errorCode>) and docs/ram-sts.md.

use std::borrow::Cow;

use crate::Service;
use crate::code::{ParamCheck, RpcCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ossd_iam::{ActionError, Denial, Entity, IamError, Problem};
use ossd_meta::ErrorChain;
use ossd_policy::{PolicyError, PolicyKind};
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
                WireError::with(RpcCode::InvalidParameter, "The request body is too large.")
            }
            Self::BodyUnreadable => WireError::with(
                RpcCode::InvalidParameter,
                "The request body could not be read.",
            ),
            Self::InvalidVersion => WireError::new(RpcCode::InvalidVersion),
            Self::NonceUsed => WireError::new(RpcCode::SignatureNonceUsed),
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
    /// The code's family ([`RpcCode::family`]): the metrics label, free of request input.
    pub family: &'static str,
    /// The error `Message`.
    pub message: String,
    /// `AccessDeniedDetail` of `NoPermission` errors that a policy evaluation decided.
    pub access_denied_detail: Option<Value>,
}

impl WireError {
    /// `code` with its default message.
    pub fn new(code: RpcCode<'_>) -> Self {
        let message = code.default_message();
        Self::with(code, message)
    }

    /// `code` with `message`.
    pub fn with(code: RpcCode<'_>, message: impl Into<String>) -> Self {
        Self {
            status: code.status(),
            code: code.code().into_owned(),
            family: code.family(),
            message: message.into(),
            access_denied_detail: None,
        }
    }
}

/// The code of a failed action.
pub fn action_code(e: &ActionError) -> RpcCode<'_> {
    match e {
        ActionError::Missing { param } => RpcCode::Missing(param),
        ActionError::Invalid { param, problem } => RpcCode::InvalidParameterOf {
            param,
            check: match problem {
                Problem::InvalidChars => Some(ParamCheck::InvalidChars),
                Problem::TooLong => Some(ParamCheck::Length),
                Problem::Format => Some(ParamCheck::Format),
                _ => None,
            },
        },
        ActionError::AliasLength => RpcCode::InvalidParameterOf {
            param: "AccountAlias",
            check: Some(ParamCheck::Length),
        },
        ActionError::AliasFormat => RpcCode::InvalidParameterOf {
            param: "AccountAlias",
            check: Some(ParamCheck::Format),
        },
        ActionError::Duration { .. } => RpcCode::InvalidParameterOf {
            param: "DurationSeconds",
            check: None,
        },
        ActionError::NotExist(what) => RpcCode::EntityNotExist(*what),
        ActionError::AlreadyExists(what) => RpcCode::EntityAlreadyExists(*what),
        ActionError::DeleteConflict(what) => RpcCode::DeleteConflict(*what),
        ActionError::LimitExceeded(what) => RpcCode::LimitExceeded(*what),
        ActionError::NoPermission(_) | ActionError::RootCannotAssume => RpcCode::NoPermission,
        ActionError::UnknownAction => RpcCode::ActionNotFound,
        ActionError::Policy(e) => policy_code(e),
        // `Backend`, and whatever a later `ActionError` adds.
        _ => RpcCode::InternalError,
    }
}

/// The wire form of a failed action.
pub fn action(service: Service, e: &ActionError) -> WireError {
    let code = action_code(e);
    let message: Cow<'static, str> = match e {
        ActionError::Invalid {
            param,
            problem: Problem::OutOfRange { min, max },
        } => {
            format!(r#"The parameter - "{param}" MUST be in the range of {min} and {max}."#).into()
        }
        ActionError::Invalid {
            param,
            problem: Problem::WronglyFormed,
        } => format!("The parameter {param} is wrongly formed.").into(),
        ActionError::AliasLength => {
            r#"The parameter - "AccountAlias" MUST be in the range of 3 and 63."#.into()
        }
        ActionError::AliasFormat => {
            r#"The format of parameter - "AccountAlias" is incorrect."#.into()
        }
        ActionError::Duration { max: 3600 } => {
            "The Min/Max value of DurationSeconds is 15min/1hr.".into()
        }
        ActionError::Duration { max } => {
            format!("The Min/Max value of DurationSeconds is 15min/{max}s.").into()
        }
        ActionError::NotExist(Entity::Role) if service == Service::Sts => {
            "The specified Role not exists.".into()
        }
        ActionError::NoPermission(_) if service == Service::Sts => {
            "You are not authorized to do this action. You should be authorized by RAM.".into()
        }
        ActionError::RootCannotAssume => "Roles may not be assumed by root accounts.".into(),
        ActionError::Policy(e) => e.message().into(),
        _ if code == RpcCode::InternalError && service == Service::Sts => {
            "STS Server Internal Error happened, please send the RequestId to us.".into()
        }
        _ => code.default_message(),
    };
    WireError {
        access_denied_detail: e.denial().map(access_denied_detail),
        ..WireError::with(code, message)
    }
}

/// The code of a rejected policy document (docs/protocol/policy.md#validation-and-size-limits).
/// RAM and STS never parse bucket policies; their OSS code has no RPC variant.
fn policy_code(e: &PolicyError) -> RpcCode<'static> {
    match e {
        PolicyError::Malformed {
            kind: PolicyKind::Session,
            ..
        } => RpcCode::InvalidParameterOf {
            param: "PolicyGrammar",
            check: None,
        },
        PolicyError::TooLong {
            kind: PolicyKind::Session,
            ..
        } => RpcCode::InvalidParameterOf {
            param: "PolicySize",
            check: None,
        },
        PolicyError::TooLong {
            kind: PolicyKind::Identity,
            ..
        } => RpcCode::InvalidParameterOf {
            param: "PolicyDocument",
            check: Some(ParamCheck::Length),
        },
        PolicyError::TooLong {
            kind: PolicyKind::Trust,
            ..
        } => RpcCode::InvalidParameterOf {
            param: "AssumeRolePolicyDocument",
            check: Some(ParamCheck::Length),
        },
        _ => RpcCode::MalformedPolicyDocument,
    }
}

/// The code of a signature failure (docs/protocol/rpc.md#common-error-codes).
pub fn signature_code(e: &RpcSigError) -> RpcCode<'static> {
    match e {
        RpcSigError::Missing { name } => RpcCode::Missing(name),
        RpcSigError::MissingParameter { .. } => RpcCode::MissingParameter,
        RpcSigError::InvalidSignatureMethod => RpcCode::InvalidSignatureMethod,
        RpcSigError::IncompleteSignature(_) => RpcCode::IncompleteSignature,
        RpcSigError::TimestampFormat => RpcCode::TimeStampFormat,
        RpcSigError::TimestampExpired => RpcCode::TimeStampExpired,
        RpcSigError::SignatureDoesNotMatch { .. } | RpcSigError::PayloadHashMismatch { .. } => {
            RpcCode::SignatureDoesNotMatch
        }
        RpcSigError::SignatureNonceUsed => RpcCode::SignatureNonceUsed,
        RpcSigError::AccessKeyNotFound => RpcCode::AccessKeyNotFound,
        RpcSigError::AccessKeyInactive => RpcCode::AccessKeyInactive,
        RpcSigError::SecurityTokenMalformed => RpcCode::SecurityTokenMalformed,
        RpcSigError::SecurityTokenMismatch => RpcCode::SecurityTokenMismatch,
        RpcSigError::SecurityTokenExpired => RpcCode::SecurityTokenExpired,
        // `InvalidParameter`, and whatever a later `RpcSigError` adds.
        _ => RpcCode::InvalidParameter,
    }
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

/// The wire form of a signature failure: the code from [`signature_code`], the message (with
/// the parameter name or the string to sign) from `ossd-sig`.
fn signature(e: &RpcSigError) -> WireError {
    WireError::with(signature_code(e), e.message())
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
            tracing::error!(error = %ErrorChain(other), "identity backend failure");
            return WireError::with(
                RpcCode::InternalError,
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
    fn signature_codes_agree_with_ossd_sig() {
        let all = [
            RpcSigError::Missing { name: "Signature" },
            RpcSigError::MissingParameter { name: "x-acs-date" },
            RpcSigError::InvalidParameter { name: "Format" },
            RpcSigError::InvalidSignatureMethod,
            RpcSigError::IncompleteSignature("no SignedHeaders"),
            RpcSigError::TimestampFormat,
            RpcSigError::TimestampExpired,
            RpcSigError::SignatureDoesNotMatch {
                string_to_sign: "GET&%2F&".to_owned(),
            },
            RpcSigError::PayloadHashMismatch {
                string_to_sign: "ACS3".to_owned(),
            },
            RpcSigError::SignatureNonceUsed,
            RpcSigError::AccessKeyNotFound,
            RpcSigError::AccessKeyInactive,
            RpcSigError::SecurityTokenMalformed,
            RpcSigError::SecurityTokenMismatch,
            RpcSigError::SecurityTokenExpired,
        ];
        for e in &all {
            let (status, code, message) = e.code();
            let wire = signature(e);
            assert_eq!((wire.status, wire.code.as_str()), (status, code.as_ref()));
            assert_eq!(wire.message, message);
            assert_eq!(wire.family, signature_code(e).family());
            let fixed = !matches!(
                e,
                RpcSigError::Missing { .. }
                    | RpcSigError::MissingParameter { .. }
                    | RpcSigError::InvalidParameter { .. }
                    | RpcSigError::SignatureDoesNotMatch { .. }
                    | RpcSigError::PayloadHashMismatch { .. }
            );
            if fixed {
                assert_eq!(signature_code(e).default_message(), message, "{code}");
            }
        }
        assert_eq!(
            signature(&RpcSigError::Missing { name: "Signature" }).message,
            RpcCode::Missing("Signature").default_message()
        );
    }

    #[test]
    fn backend_failures_are_internal_errors_without_their_cause() {
        let backend = || {
            IamError::from(ossd_meta::MetaError::backend(std::io::Error::other(
                "disk on fire",
            )))
        };
        let ram = action(Service::Ram, &ActionError::Backend(backend()));
        assert_eq!((ram.status, ram.code.as_str()), (500, "InternalError"));
        assert_eq!(ram.message, RpcCode::InternalError.default_message());
        let sts = action(Service::Sts, &ActionError::Backend(backend()));
        assert_eq!(
            sts.message,
            "STS Server Internal Error happened, please send the RequestId to us."
        );
        let resolving = RpcFailure::Credentials(backend()).to_wire();
        assert_eq!(
            (resolving.status, resolving.code.as_str()),
            (500, "InternalError")
        );
        for wire in [ram, sts, resolving] {
            assert!(!wire.message.contains("disk"), "{}", wire.message);
        }
    }

    #[test]
    fn policy_codes_agree_with_ossd_policy() {
        for kind in [PolicyKind::Identity, PolicyKind::Trust, PolicyKind::Session] {
            let errors = [
                PolicyError::TooLong {
                    kind,
                    size: 7000,
                    limit: 6144,
                },
                PolicyError::Malformed {
                    kind,
                    detail: "bad".to_owned(),
                },
            ];
            for e in errors {
                let code = e.code();
                let wire = action(Service::Ram, &ActionError::Policy(e));
                assert_eq!((wire.status, wire.code.as_str()), (400, code));
            }
        }
    }

    #[test]
    fn request_failures_keep_their_wording() {
        let cases = [
            (
                RpcFailure::BodyTooLarge,
                400,
                "InvalidParameter",
                "The request body is too large.",
            ),
            (
                RpcFailure::InvalidVersion,
                400,
                "InvalidVersion",
                "Specified parameter Version is not valid.",
            ),
            (
                RpcFailure::NonceUsed,
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ),
            (
                RpcFailure::Credentials(IamError::InvalidAccessKeyId),
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ),
            (
                RpcFailure::Action {
                    service: Service::Sts,
                    error: ActionError::Duration { max: 3600 },
                },
                400,
                "InvalidParameter.DurationSeconds",
                "The Min/Max value of DurationSeconds is 15min/1hr.",
            ),
            (
                RpcFailure::Action {
                    service: Service::Ram,
                    error: ActionError::invalid(
                        "MaxItems",
                        Problem::OutOfRange { min: 1, max: 1000 },
                    ),
                },
                400,
                "InvalidParameter.MaxItems",
                r#"The parameter - "MaxItems" MUST be in the range of 1 and 1000."#,
            ),
            (
                RpcFailure::Action {
                    service: Service::Ram,
                    error: ActionError::AliasFormat,
                },
                400,
                "InvalidParameter.AccountAlias.Format",
                r#"The format of parameter - "AccountAlias" is incorrect."#,
            ),
            (
                RpcFailure::Action {
                    service: Service::Sts,
                    error: ActionError::RootCannotAssume,
                },
                403,
                "NoPermission",
                "Roles may not be assumed by root accounts.",
            ),
        ];
        for (failure, status, code, message) in cases {
            let wire = failure.to_wire();
            assert_eq!(
                (wire.status, wire.code.as_str(), wire.message.as_str()),
                (status, code, message)
            );
        }
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
