//! [`RpcCode`]: every RAM/STS error code ossd sends, one variant per code family, with its HTTP
//! status, its wire spelling, its default message and a bounded metrics label
//! (<https://api.aliyun.com/document/Ram/2015-05-01/errorCode>,
//! <https://api.aliyun.com/document/Sts/2015-04-01/errorCode>, docs/protocol/rpc.md#common-error-codes,
//! docs/protocol/ram.md#ram-error-codes). `error.rs` builds every wire error from one.

use std::borrow::Cow;

use ossd_iam::Entity;

/// The check an `InvalidParameter.{param}.{check}` code names after the parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamCheck {
    /// `.InvalidChars`: characters the parameter does not allow.
    InvalidChars,
    /// `.Length`: longer (or shorter) than allowed.
    Length,
    /// `.Format`: not of the required format.
    Format,
}

impl ParamCheck {
    /// The code suffix, without its dot.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidChars => "InvalidChars",
            Self::Length => "Length",
            Self::Format => "Format",
        }
    }
}

/// A RAM/STS error code. Data-carrying variants are the codes whose text has a variable part;
/// [`RpcCode::family`] drops that part, so metrics labels never hold request input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RpcCode<'a> {
    /// 400 `InvalidVersion`: `Version` names no API ossd serves.
    InvalidVersion,
    /// 404 `InvalidAction.NotFound`: no such action.
    ActionNotFound,
    /// 400 `Missing{name}`: a required parameter is absent or empty.
    Missing(&'a str),
    /// 400 `MissingParameter`: a required ACS3 header is absent.
    MissingParameter,
    /// 400 `InvalidParameter`: a parameter is repeated, unsupported or unreadable.
    InvalidParameter,
    /// 400 `InvalidParameter.{param}[.{check}]`: a parameter's value is wrong.
    InvalidParameterOf {
        /// The parameter name (`UserName`, `DurationSeconds`, `PolicyGrammar`, ...).
        param: &'a str,
        /// The failed check, when the code names one.
        check: Option<ParamCheck>,
    },
    /// 400 `MalformedPolicyDocument`: an identity or trust policy fails the grammar.
    MalformedPolicyDocument,
    /// 400 `InvalidSignatureMethod`.
    InvalidSignatureMethod,
    /// 400 `IncompleteSignature`: the ACS3 `Authorization` header is malformed.
    IncompleteSignature,
    /// 400 `InvalidTimeStamp.Format`.
    TimeStampFormat,
    /// 400 `InvalidTimeStamp.Expired`.
    TimeStampExpired,
    /// 400 `SignatureDoesNotMatch` (the message carries the server's string to sign).
    SignatureDoesNotMatch,
    /// 400 `SignatureNonceUsed`.
    SignatureNonceUsed,
    /// 404 `InvalidAccessKeyId.NotFound`.
    AccessKeyNotFound,
    /// 400 `InvalidAccessKeyId.Inactive`.
    AccessKeyInactive,
    /// 400 `InvalidSecurityToken.Malformed`.
    SecurityTokenMalformed,
    /// 400 `InvalidSecurityToken.MismatchWithAccessKey`.
    SecurityTokenMismatch,
    /// 400 `InvalidSecurityToken.Expired`.
    SecurityTokenExpired,
    /// 404 `EntityNotExist.{entity}`.
    EntityNotExist(Entity),
    /// 409 `EntityAlreadyExists.{entity}`.
    EntityAlreadyExists(Entity),
    /// 409 `DeleteConflict.{entity}`: dependents block a deletion.
    DeleteConflict(Entity),
    /// 409 `LimitExceeded.{entity}`.
    LimitExceeded(Entity),
    /// 403 `NoPermission`.
    NoPermission,
    /// 500 `InternalError`.
    InternalError,
}

impl RpcCode<'_> {
    /// The HTTP status.
    pub const fn status(&self) -> u16 {
        match self {
            Self::ActionNotFound | Self::AccessKeyNotFound | Self::EntityNotExist(_) => 404,
            Self::EntityAlreadyExists(_) | Self::DeleteConflict(_) | Self::LimitExceeded(_) => 409,
            Self::NoPermission => 403,
            Self::InternalError => 500,
            _ => 400,
        }
    }

    /// The `Code` as written on the wire.
    pub fn code(&self) -> Cow<'static, str> {
        match self {
            Self::Missing(name) => format!("Missing{name}").into(),
            Self::InvalidParameterOf { param, check: None } => {
                format!("InvalidParameter.{param}").into()
            }
            Self::InvalidParameterOf {
                param,
                check: Some(check),
            } => format!("InvalidParameter.{param}.{}", check.as_str()).into(),
            Self::EntityNotExist(e) => format!("EntityNotExist.{e}").into(),
            Self::EntityAlreadyExists(e) => format!("EntityAlreadyExists.{e}").into(),
            Self::DeleteConflict(e) => format!("DeleteConflict.{e}").into(),
            Self::LimitExceeded(e) => format!("LimitExceeded.{e}").into(),
            fixed => fixed.family().into(),
        }
    }

    /// The code without its variable part: the label of `ossd_errors_total` (a closed set).
    /// A fixed code is its own family; `Missing{name}` is `Missing`, `InvalidParameter.{...}`
    /// is `InvalidParameter`, `EntityNotExist.{entity}` is `EntityNotExist`, and so on.
    pub const fn family(&self) -> &'static str {
        match self {
            Self::InvalidVersion => "InvalidVersion",
            Self::ActionNotFound => "InvalidAction.NotFound",
            Self::Missing(_) => "Missing",
            Self::MissingParameter => "MissingParameter",
            Self::InvalidParameter | Self::InvalidParameterOf { .. } => "InvalidParameter",
            Self::MalformedPolicyDocument => "MalformedPolicyDocument",
            Self::InvalidSignatureMethod => "InvalidSignatureMethod",
            Self::IncompleteSignature => "IncompleteSignature",
            Self::TimeStampFormat => "InvalidTimeStamp.Format",
            Self::TimeStampExpired => "InvalidTimeStamp.Expired",
            Self::SignatureDoesNotMatch => "SignatureDoesNotMatch",
            Self::SignatureNonceUsed => "SignatureNonceUsed",
            Self::AccessKeyNotFound => "InvalidAccessKeyId.NotFound",
            Self::AccessKeyInactive => "InvalidAccessKeyId.Inactive",
            Self::SecurityTokenMalformed => "InvalidSecurityToken.Malformed",
            Self::SecurityTokenMismatch => "InvalidSecurityToken.MismatchWithAccessKey",
            Self::SecurityTokenExpired => "InvalidSecurityToken.Expired",
            Self::EntityNotExist(_) => "EntityNotExist",
            Self::EntityAlreadyExists(_) => "EntityAlreadyExists",
            Self::DeleteConflict(_) => "DeleteConflict",
            Self::LimitExceeded(_) => "LimitExceeded",
            Self::NoPermission => "NoPermission",
            Self::InternalError => "InternalError",
        }
    }

    /// The message sent when the failure gives no more precise one (the RAM wording where RAM
    /// and STS differ).
    pub fn default_message(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::InvalidVersion => "Specified parameter Version is not valid.",
            Self::ActionNotFound => "Specified api is not found, please check your url and method.",
            Self::Missing(name) => return format!("{name} is mandatory for this action.").into(),
            Self::MissingParameter => {
                "The input parameter that is mandatory for processing this request is not supplied."
            }
            Self::InvalidParameter => "The specified parameter is not valid.",
            Self::InvalidParameterOf { param, check } => {
                return match check {
                    None => format!(r#"The parameter - "{param}" is incorrect."#),
                    Some(ParamCheck::InvalidChars) => {
                        format!(r#"The parameter - "{param}" contains invalid chars."#)
                    }
                    Some(ParamCheck::Length) => {
                        format!(r#"The parameter - "{param}" beyond the length limit."#)
                    }
                    Some(ParamCheck::Format) => {
                        format!(r#"The format of the parameter - "{param}" is incorrect."#)
                    }
                }
                .into();
            }
            Self::MalformedPolicyDocument => "The policy document is malformed.",
            Self::InvalidSignatureMethod => "Specified signature method is not supported.",
            Self::IncompleteSignature => {
                "The request signature does not conform to Aliyun standards."
            }
            Self::TimeStampFormat => "Specified time stamp or date value is not well formatted.",
            Self::TimeStampExpired => "Specified time stamp or date value is expired.",
            Self::SignatureDoesNotMatch => {
                "Specified signature is not matched with our calculation."
            }
            Self::SignatureNonceUsed => "Specified signature nonce was used already.",
            Self::AccessKeyNotFound => "Specified access key is not found.",
            Self::AccessKeyInactive => "Specified access key is disabled.",
            Self::SecurityTokenMalformed => "Specified SecurityToken is malformed.",
            Self::SecurityTokenMismatch => "Specified SecurityToken mismatch with the AccessKey.",
            Self::SecurityTokenExpired => "Specified SecurityToken is expired.",
            Self::EntityNotExist(e) => not_exist(*e),
            Self::EntityAlreadyExists(e) => already_exists(*e),
            Self::DeleteConflict(e) => delete_conflict(*e),
            Self::LimitExceeded(e) => return limit_exceeded(*e).into(),
            Self::NoPermission => "You are not authorized to do this action.",
            Self::InternalError => "An internal error occurred.",
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const ENTITIES: [Entity; 15] = [
        Entity::User,
        Entity::UserAccessKey,
        Entity::UserPolicy,
        Entity::UserGroup,
        Entity::Group,
        Entity::GroupUser,
        Entity::GroupPolicy,
        Entity::Role,
        Entity::RolePolicy,
        Entity::Policy,
        Entity::PolicyUser,
        Entity::PolicyGroup,
        Entity::PolicyRole,
        Entity::PolicyVersion,
        Entity::PolicyVersionDefault,
    ];

    /// Every variant with its expected status and wire code.
    fn every_code() -> Vec<(RpcCode<'static>, u16, String)> {
        let mut all = vec![
            (RpcCode::InvalidVersion, 400, "InvalidVersion".to_owned()),
            (
                RpcCode::ActionNotFound,
                404,
                "InvalidAction.NotFound".to_owned(),
            ),
            (
                RpcCode::Missing("RoleArn"),
                400,
                "MissingRoleArn".to_owned(),
            ),
            (
                RpcCode::MissingParameter,
                400,
                "MissingParameter".to_owned(),
            ),
            (
                RpcCode::InvalidParameter,
                400,
                "InvalidParameter".to_owned(),
            ),
            (
                RpcCode::InvalidParameterOf {
                    param: "UserName",
                    check: None,
                },
                400,
                "InvalidParameter.UserName".to_owned(),
            ),
            (
                RpcCode::InvalidParameterOf {
                    param: "UserName",
                    check: Some(ParamCheck::InvalidChars),
                },
                400,
                "InvalidParameter.UserName.InvalidChars".to_owned(),
            ),
            (
                RpcCode::InvalidParameterOf {
                    param: "UserName",
                    check: Some(ParamCheck::Length),
                },
                400,
                "InvalidParameter.UserName.Length".to_owned(),
            ),
            (
                RpcCode::InvalidParameterOf {
                    param: "Email",
                    check: Some(ParamCheck::Format),
                },
                400,
                "InvalidParameter.Email.Format".to_owned(),
            ),
            (
                RpcCode::MalformedPolicyDocument,
                400,
                "MalformedPolicyDocument".to_owned(),
            ),
            (
                RpcCode::InvalidSignatureMethod,
                400,
                "InvalidSignatureMethod".to_owned(),
            ),
            (
                RpcCode::IncompleteSignature,
                400,
                "IncompleteSignature".to_owned(),
            ),
            (
                RpcCode::TimeStampFormat,
                400,
                "InvalidTimeStamp.Format".to_owned(),
            ),
            (
                RpcCode::TimeStampExpired,
                400,
                "InvalidTimeStamp.Expired".to_owned(),
            ),
            (
                RpcCode::SignatureDoesNotMatch,
                400,
                "SignatureDoesNotMatch".to_owned(),
            ),
            (
                RpcCode::SignatureNonceUsed,
                400,
                "SignatureNonceUsed".to_owned(),
            ),
            (
                RpcCode::AccessKeyNotFound,
                404,
                "InvalidAccessKeyId.NotFound".to_owned(),
            ),
            (
                RpcCode::AccessKeyInactive,
                400,
                "InvalidAccessKeyId.Inactive".to_owned(),
            ),
            (
                RpcCode::SecurityTokenMalformed,
                400,
                "InvalidSecurityToken.Malformed".to_owned(),
            ),
            (
                RpcCode::SecurityTokenMismatch,
                400,
                "InvalidSecurityToken.MismatchWithAccessKey".to_owned(),
            ),
            (
                RpcCode::SecurityTokenExpired,
                400,
                "InvalidSecurityToken.Expired".to_owned(),
            ),
            (RpcCode::NoPermission, 403, "NoPermission".to_owned()),
            (RpcCode::InternalError, 500, "InternalError".to_owned()),
        ];
        for e in ENTITIES {
            all.push((
                RpcCode::EntityNotExist(e),
                404,
                format!("EntityNotExist.{e}"),
            ));
            all.push((
                RpcCode::EntityAlreadyExists(e),
                409,
                format!("EntityAlreadyExists.{e}"),
            ));
            all.push((
                RpcCode::DeleteConflict(e),
                409,
                format!("DeleteConflict.{e}"),
            ));
            all.push((RpcCode::LimitExceeded(e), 409, format!("LimitExceeded.{e}")));
        }
        all
    }

    #[test]
    fn every_variant_has_its_code_status_and_a_message() {
        for (code, status, wire) in every_code() {
            assert_eq!(code.status(), status, "{wire}");
            assert_eq!(code.code(), wire);
            assert!(
                wire.starts_with(code.family()),
                "{wire} is not of family {}",
                code.family()
            );
            let message = code.default_message();
            assert!(message.ends_with('.'), "{wire}: {message}");
        }
        assert_eq!(
            RpcCode::Missing("RoleArn").default_message(),
            "RoleArn is mandatory for this action."
        );
        assert_eq!(
            RpcCode::LimitExceeded(Entity::Group).default_message(),
            "The count of groups beyond the current limits."
        );
    }

    #[test]
    fn families_are_a_closed_set_free_of_request_input() {
        let families: BTreeSet<&str> = every_code().iter().map(|(c, ..)| c.family()).collect();
        // 15 entities x 4 families plus the fixed codes collapse to one label each.
        assert_eq!(families.len(), 23);
        let input = "x\"}\n{evil";
        let tainted = [
            RpcCode::Missing(input),
            RpcCode::InvalidParameterOf {
                param: input,
                check: Some(ParamCheck::Length),
            },
        ];
        for code in tainted {
            assert!(code.code().contains(input));
            assert!(!code.family().contains(input));
            assert!(families.contains(code.family()));
        }
        for family in &families {
            assert!(
                family
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.'),
                "{family}"
            );
        }
    }
}
