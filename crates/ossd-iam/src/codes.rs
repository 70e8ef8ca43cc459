//! The catalogue of STS/RAM errors this crate answers with (docs/protocol/sts.md#assumerole,
//! docs/protocol/rpc.md#common-error-codes, docs/protocol/ram.md#ram-action-semantics,
//! #ram-error-codes): one constructor per code, so codes and messages are spelled in one place.

use crate::RpcError;

/// 400 `Missing{Param}` / `{Param} is mandatory for this action.`
/// (docs/protocol/rpc.md#common-error-codes).
pub(crate) fn missing(param: &str) -> RpcError {
    RpcError::new(
        400,
        format!("Missing{param}"),
        format!("{param} is mandatory for this action."),
    )
}

/// 400 `InvalidParameter.{Param}.InvalidChars`.
pub(crate) fn invalid_chars(param: &str) -> RpcError {
    let message = format!(r#"The parameter - "{param}" contains invalid chars."#);
    RpcError::new(
        400,
        format!("InvalidParameter.{param}.InvalidChars"),
        message,
    )
}

/// 400 `InvalidParameter.{Param}.Length`.
pub(crate) fn too_long(param: &str) -> RpcError {
    let message = format!(r#"The parameter - "{param}" beyond the length limit."#);
    RpcError::new(400, format!("InvalidParameter.{param}.Length"), message)
}

/// 400 `InvalidParameter.{Param}.Format`.
pub(crate) fn bad_format(param: &str) -> RpcError {
    let message = format!(r#"The format of the parameter - "{param}" is incorrect."#);
    RpcError::new(400, format!("InvalidParameter.{param}.Format"), message)
}

/// 400 `InvalidParameter.{Param}` / `The parameter - "{Param}" is incorrect.`
pub(crate) fn incorrect(param: &str) -> RpcError {
    let message = format!(r#"The parameter - "{param}" is incorrect."#);
    RpcError::new(400, format!("InvalidParameter.{param}"), message)
}

/// 400 `InvalidParameter.{Param}` for a number outside `min..=max`.
pub(crate) fn out_of_range(param: &str, min: u64, max: u64) -> RpcError {
    let message = format!(r#"The parameter - "{param}" MUST be in the range of {min} and {max}."#);
    RpcError::new(400, format!("InvalidParameter.{param}"), message)
}

/// 400 `InvalidParameter.AccountAlias.Length`.
pub(crate) fn alias_length() -> RpcError {
    let message = r#"The parameter - "AccountAlias" MUST be in the range of 3 and 63."#;
    RpcError::new(400, "InvalidParameter.AccountAlias.Length", message)
}

/// 400 `InvalidParameter.AccountAlias.Format`.
pub(crate) fn alias_format() -> RpcError {
    let message = r#"The format of parameter - "AccountAlias" is incorrect."#;
    RpcError::new(400, "InvalidParameter.AccountAlias.Format", message)
}

/// 400 `InvalidParameter.{Param}` / `The parameter {Param} is wrongly formed.` (STS,
/// docs/protocol/sts.md#assumerole).
pub(crate) fn wrongly_formed(param: &str) -> RpcError {
    let message = format!("The parameter {param} is wrongly formed.");
    RpcError::new(400, format!("InvalidParameter.{param}"), message)
}

/// 400 `InvalidParameter.DurationSeconds` with the role's maximum
/// (docs/protocol/sts.md#assumerole).
pub(crate) fn duration(max: u32) -> RpcError {
    let message = if max == 3600 {
        "The Min/Max value of DurationSeconds is 15min/1hr.".to_owned()
    } else {
        format!("The Min/Max value of DurationSeconds is 15min/{max}s.")
    };
    RpcError::new(400, "InvalidParameter.DurationSeconds", message)
}

/// 404 `EntityNotExist.{what}` with its message.
pub(crate) fn not_exist(what: &str) -> RpcError {
    let message = match what {
        "User" => "The user does not exist.",
        "User.AccessKey" => "The user access key does not exist.",
        "User.Policy" => "The indicate policy of the user does not exist.",
        "User.Group" => "The user has not joined the group.",
        "Group" => "The group does not exist.",
        "Group.Policy" => "The indicate policy attached to the group does not exist.",
        "Role.Policy" => "The indicate policy attached to the role does not exist.",
        "Policy" => "The policy does not exist.",
        "Policy.Version" => "The policy version does not exist.",
        _ => "The role does not exist.",
    };
    RpcError::new(404, format!("EntityNotExist.{what}"), message)
}

/// 404 `EntityNotExist.Role` as STS words it (docs/protocol/sts.md#assumerole step 4).
pub(crate) fn sts_role_not_exist() -> RpcError {
    RpcError::new(404, "EntityNotExist.Role", "The specified Role not exists.")
}

/// 409 `EntityAlreadyExists.{what}` with its message.
pub(crate) fn already_exists(what: &str) -> RpcError {
    let message = match what {
        "User" => "The user does already EXIST.",
        "User.Group" => "The user has already joined the group.",
        "User.Policy" => "The user has already been attached this policy.",
        "Group" => "The group does already EXIST.",
        "Group.Policy" => "The group has already been attached this policy.",
        "Role.Policy" => "The role has already been attached this policy.",
        "Policy" => "The policy does already EXIST.",
        _ => "The role does already EXIST.",
    };
    RpcError::new(409, format!("EntityAlreadyExists.{what}"), message)
}

/// 409 `DeleteConflict.{what}` with its message.
pub(crate) fn delete_conflict(what: &str) -> RpcError {
    let message = match what {
        "User.Group" => "The user CAN NOT be in any group while deleting the user.",
        "User.AccessKey" => "The user CAN NOT has any access key while deleting the user.",
        "User.Policy" => "The user CAN NOT has any attached policy while deleting the user.",
        "Group.User" => "The group CAN NOT has any user member while deleting the group.",
        "Group.Policy" => "The entity CAN NOT has any attached policy while deleting the group.",
        "Policy.User" => "The policy CAN NOT been attached to any user while deleting the policy.",
        "Policy.Group" => {
            "The policy CAN NOT been attached to any group while deleting the policy."
        }
        "Policy.Role" => "The policy CAN NOT been attached to any role while deleting the policy.",
        "Policy.Version" => "The policy CAN NOT has any version except the default version.",
        "Policy.Version.Default" => "The default policy version CAN NOT been deleted directly.",
        _ => "The role CAN NOT has any attached policy while deleting the role.",
    };
    RpcError::new(409, format!("DeleteConflict.{what}"), message)
}

/// 409 `LimitExceeded.{what}`: `The count of {noun} beyond the current limits.`
pub(crate) fn limit_exceeded(what: &str) -> RpcError {
    let message = match what {
        "User.AccessKey" => {
            "The access key count of the user access keys beyond the current limits.".to_owned()
        }
        _ => format!("The count of {} beyond the current limits.", noun(what)),
    };
    RpcError::new(409, format!("LimitExceeded.{what}"), message)
}

/// The words for a limit's subject.
fn noun(what: &str) -> &'static str {
    match what {
        "User" => "users",
        "User.Group" => "groups of the user",
        "User.Policy" => "policies attached to the user",
        "Group" => "groups",
        "Group.Policy" => "policies attached to the group",
        "Role" => "roles",
        "Role.Policy" => "policies attached to the role",
        "Policy" => "policies",
        _ => "policy versions",
    }
}

/// 403 `NoPermission` (RAM wording, docs/protocol/ram.md#ram-api-general-rules).
pub(crate) fn no_permission_ram() -> RpcError {
    RpcError::new(
        403,
        "NoPermission",
        "You are not authorized to do this action.",
    )
}

/// 403 `NoPermission` (STS wording, docs/protocol/sts.md#assumerole step 5).
pub(crate) fn no_permission_sts() -> RpcError {
    RpcError::new(
        403,
        "NoPermission",
        "You are not authorized to do this action. You should be authorized by RAM.",
    )
}

/// 403 `NoPermission` for a root caller of AssumeRole (docs/protocol/sts.md#assumerole step 2).
pub(crate) fn root_cannot_assume() -> RpcError {
    RpcError::new(
        403,
        "NoPermission",
        "Roles may not be assumed by root accounts.",
    )
}

/// 404 `InvalidAction.NotFound` (docs/protocol/sts.md#actions,
/// docs/protocol/ram.md#sdk-only-actions).
pub(crate) fn action_not_found() -> RpcError {
    RpcError::new(
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    )
}

/// 500 `InternalError` (RAM wording).
pub(crate) fn internal() -> RpcError {
    RpcError::new(500, "InternalError", "An internal error occurred.")
}

/// 500 `InternalError` (STS wording, docs/protocol/sts.md#getcalleridentity).
pub(crate) fn sts_internal() -> RpcError {
    RpcError::new(
        500,
        "InternalError",
        "STS Server Internal Error happened, please send the RequestId to us.",
    )
}

/// A rejected policy document, with the code and message its kind calls for
/// (docs/protocol/policy.md#validation-and-size-limits).
pub(crate) fn policy(e: &ossd_policy::PolicyError) -> RpcError {
    RpcError::new(e.http_status(), e.code(), e.message())
}
