//! Parameter rules of docs/protocol/ram.md#names-and-limits, docs/protocol/sts.md#assumerole (names, lengths, formats), each failing with its code.

use crate::ActionError;
use crate::codes;

/// Longest UserName / GroupName / RoleName.
pub(crate) const MAX_ENTITY_NAME: usize = 64;
/// Longest PolicyName.
pub(crate) const MAX_POLICY_NAME: usize = 128;
/// Longest DisplayName.
pub(crate) const MAX_DISPLAY_NAME: usize = 128;
/// Longest user / group Comments.
pub(crate) const MAX_COMMENTS: usize = 128;
/// Longest role / policy Description.
pub(crate) const MAX_DESCRIPTION: usize = 1024;
/// Longest Email (Design).
pub(crate) const MAX_EMAIL: usize = 128;
/// Shortest and longest AccountAlias.
pub(crate) const ALIAS_LEN: (usize, usize) = (3, 63);
/// Shortest and longest RoleSessionName.
pub(crate) const SESSION_NAME_LEN: (usize, usize) = (2, 64);
/// Shortest and longest ExternalId.
pub(crate) const EXTERNAL_ID_LEN: (usize, usize) = (2, 1224);
/// Shortest and longest SourceIdentity (Design).
pub(crate) const SOURCE_IDENTITY_LEN: (usize, usize) = (2, 64);

/// A name of 1..=`max` characters from letters, digits and `extra`; `param` names the errors.
fn name(param: &str, value: &str, max: usize, extra: &[char]) -> Result<(), ActionError> {
    if value.is_empty() {
        return Err(codes::missing(param));
    }
    if value.chars().count() > max {
        return Err(codes::too_long(param));
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
    {
        return Err(codes::invalid_chars(param));
    }
    Ok(())
}

/// UserName / NewUserName / GroupName / NewGroupName: letters, digits, `.`, `-`, `_`.
pub(crate) fn user_or_group_name(param: &str, value: &str) -> Result<(), ActionError> {
    name(param, value, MAX_ENTITY_NAME, &['.', '-', '_'])
}

/// RoleName: letters, digits, `.`, `-`.
pub(crate) fn role_name(param: &str, value: &str) -> Result<(), ActionError> {
    name(param, value, MAX_ENTITY_NAME, &['.', '-'])
}

/// PolicyName: letters, digits, `-`.
pub(crate) fn policy_name(value: &str) -> Result<(), ActionError> {
    name("PolicyName", value, MAX_POLICY_NAME, &['-'])
}

/// A free-text field of at most `max` characters without control characters.
pub(crate) fn text(param: &str, value: &str, max: usize) -> Result<(), ActionError> {
    if value.chars().count() > max {
        return Err(codes::too_long(param));
    }
    if value.chars().any(char::is_control) {
        return Err(codes::invalid_chars(param));
    }
    Ok(())
}

/// Email: `local@domain.tld`, no spaces.
pub(crate) fn email(param: &str, value: &str) -> Result<(), ActionError> {
    let ok = value.len() <= MAX_EMAIL
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        })
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(codes::bad_format(param))
    }
}

/// MobilePhone: `<country code>-<number>`, e.g. `86-18600008888`.
pub(crate) fn mobile_phone(param: &str, value: &str) -> Result<(), ActionError> {
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    match value.split_once('-') {
        Some((cc, number)) if digits(cc, 5) && digits(number, 20) => Ok(()),
        _ => Err(codes::bad_format(param)),
    }
}

/// AccountAlias: 3–63 of lower-case letters, digits, `-`, not starting or ending with `-`.
pub(crate) fn account_alias(value: &str) -> Result<(), ActionError> {
    if value.is_empty() {
        return Err(codes::missing("AccountAlias"));
    }
    if !(ALIAS_LEN.0..=ALIAS_LEN.1).contains(&value.len()) {
        return Err(ActionError::AliasLength);
    }
    let chars_ok = value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !chars_ok || value.starts_with('-') || value.ends_with('-') {
        return Err(ActionError::AliasFormat);
    }
    Ok(())
}

/// A policy VersionId: `v` followed by a positive decimal number; returns the number.
pub(crate) fn version_id(value: &str) -> Result<u32, ActionError> {
    let number = value.strip_prefix('v').filter(|n| !n.starts_with('0'));
    number
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| codes::bad_format("VersionId"))
}

/// Whether `value` has a length in `range` and only characters `allowed` accepts.
pub(crate) fn pattern(
    value: &str,
    (min, max): (usize, usize),
    allowed: impl Fn(char) -> bool,
) -> bool {
    (min..=max).contains(&value.chars().count()) && value.chars().all(allowed)
}

/// RoleSessionName: 2–64 of `[a-zA-Z0-9.@\-_]`.
pub(crate) fn session_name(value: &str) -> bool {
    pattern(value, SESSION_NAME_LEN, |c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-' | '_')
    })
}

/// ExternalId: 2–1224 of `[\w+=,.@:\/-]`.
pub(crate) fn external_id(value: &str) -> bool {
    pattern(value, EXTERNAL_ID_LEN, |c| {
        c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c)
    })
}

/// SourceIdentity: 2–64 of `[\w+=,.@-]` (Design).
pub(crate) fn source_identity(value: &str) -> bool {
    pattern(value, SOURCE_IDENTITY_LEN, |c| {
        c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Problem;

    #[test]
    fn names() {
        assert!(user_or_group_name("UserName", "a.b-c_d9").is_ok());
        let problem = |r: Result<(), ActionError>| match r {
            Err(ActionError::Invalid { param, problem }) => Some((param, problem)),
            _ => None,
        };
        let chars = Some(("UserName".to_owned(), Problem::InvalidChars));
        assert_eq!(problem(user_or_group_name("UserName", "a b")), chars);
        let long = "a".repeat(65);
        let too_long = Some(("UserName".to_owned(), Problem::TooLong));
        assert_eq!(problem(user_or_group_name("UserName", &long)), too_long);
        let chars = Some(("RoleName".to_owned(), Problem::InvalidChars));
        assert_eq!(problem(role_name("RoleName", "a_b")), chars);
        assert!(policy_name("Ram-Test1").is_ok());
        assert!(policy_name("Ram_Test").is_err());
    }

    #[test]
    fn formats() {
        assert!(email("Email", "a@example.com").is_ok());
        assert!(email("Email", "a@b").is_err());
        assert!(mobile_phone("MobilePhone", "86-18600008888").is_ok());
        assert!(mobile_phone("MobilePhone", "18600008888").is_err());
        assert!(account_alias("my-corp").is_ok());
        assert!(account_alias("My-corp").is_err());
        assert!(account_alias("ab").is_err());
        assert_eq!(version_id("v12").ok(), Some(12));
        assert!(
            version_id("v0").is_err() && version_id("v01").is_err() && version_id("1").is_err()
        );
        assert!(session_name("sessiontest") && !session_name("a") && !session_name("a b"));
        assert!(external_id("abc:/-") && !external_id("a b"));
    }
}
