//! Short constructors of the [`ActionError`]s handlers return; the wire codes and messages are
//! decided by `ossd-rpc`'s error mapping.

use crate::action_error::{ActionError, Entity, Problem};

/// `{param}` is required.
pub(crate) fn missing(param: &str) -> ActionError {
    ActionError::Missing {
        param: param.to_owned(),
    }
}

/// `{param}` contains invalid characters.
pub(crate) fn invalid_chars(param: &str) -> ActionError {
    ActionError::invalid(param, Problem::InvalidChars)
}

/// `{param}` is too long.
pub(crate) fn too_long(param: &str) -> ActionError {
    ActionError::invalid(param, Problem::TooLong)
}

/// `{param}` is not of the required format.
pub(crate) fn bad_format(param: &str) -> ActionError {
    ActionError::invalid(param, Problem::Format)
}

/// `{param}` is not an allowed value.
pub(crate) fn incorrect(param: &str) -> ActionError {
    ActionError::invalid(param, Problem::Incorrect)
}

/// `{param}` is malformed (STS).
pub(crate) fn wrongly_formed(param: &str) -> ActionError {
    ActionError::invalid(param, Problem::WronglyFormed)
}

/// The entity does not exist.
pub(crate) fn not_exist(what: Entity) -> ActionError {
    ActionError::NotExist(what)
}

/// The entity exists already.
pub(crate) fn already_exists(what: Entity) -> ActionError {
    ActionError::AlreadyExists(what)
}

/// A deletion is refused while dependents exist.
pub(crate) fn delete_conflict(what: Entity) -> ActionError {
    ActionError::DeleteConflict(what)
}

/// A count limit would be exceeded.
pub(crate) fn limit_exceeded(what: Entity) -> ActionError {
    ActionError::LimitExceeded(what)
}

/// A rejected policy document.
pub(crate) fn policy(e: ossd_policy::PolicyError) -> ActionError {
    ActionError::Policy(e)
}

/// `DurationSeconds` outside 900 to `max`.
pub(crate) fn duration(max: u32) -> ActionError {
    ActionError::Duration { max }
}
