//! The typed parameter values of [`RamCall`](super::RamCall)s: entity and policy names, policy
//! documents, version ids, the account alias and list pages. Each constructor applies the rules of
//! docs/protocol/ram.md#names-and-limits and fails with the error clients see for that parameter;
//! `param` names the parameter in the error (`UserName`, `NewUserName`, ...).

use crate::store::PolicyType;
use crate::validate::{self, MAX_COMMENTS, MAX_DESCRIPTION, MAX_DISPLAY_NAME};
use crate::{ActionError, codes};
use ossd_policy::{Policy, PolicyKind};

/// Defines a validated name type.
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, $check:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// `value` as the parameter `param`, or the error for its rules.
            pub fn new(param: &str, value: &str) -> Result<Self, ActionError> {
                $check(param, value)?;
                Ok(Self(value.to_owned()))
            }

            /// The name as sent.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_type! {
    /// A RAM user name: 1–64 letters, digits, `.`, `-`, `_`.
    UserName, validate::user_or_group_name
}

name_type! {
    /// A group name: 1–64 letters, digits, `.`, `-`, `_`.
    GroupName, validate::user_or_group_name
}

name_type! {
    /// A role name: 1–64 letters, digits, `.`, `-`.
    RoleName, validate::role_name
}

/// Checks a `PolicyName` (the parameter is always called so).
fn policy_name(_param: &str, value: &str) -> Result<(), ActionError> {
    validate::policy_name(value)
}

name_type! {
    /// A policy name: 1–128 letters, digits, `-`.
    PolicyName, policy_name
}

/// A policy with its type: `PolicyName` + `PolicyType`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRef {
    /// The name (system policies match in any case).
    pub name: PolicyName,
    /// System or custom.
    pub policy_type: PolicyType,
}

/// A policy document that `ossd-policy` accepted, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument(String);

impl PolicyDocument {
    /// An identity policy (CreatePolicy, CreatePolicyVersion).
    pub fn identity(text: &str) -> Result<Self, ActionError> {
        Self::parse(text, PolicyKind::Identity)
    }

    /// A role's trust policy (CreateRole, UpdateRole).
    pub fn trust(text: &str) -> Result<Self, ActionError> {
        Self::parse(text, PolicyKind::Trust)
    }

    /// `text` if it parses as `kind`.
    fn parse(text: &str, kind: PolicyKind) -> Result<Self, ActionError> {
        Policy::parse(text, kind).map_err(codes::policy)?;
        Ok(Self(text.to_owned()))
    }

    /// The document as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A policy version id `v<n>` (n ≥ 1, no leading zeros).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionId(u32);

impl VersionId {
    /// `VersionId`, or 400 `InvalidParameter.VersionId.Format`.
    pub fn new(value: &str) -> Result<Self, ActionError> {
        validate::version_id(value).map(Self)
    }

    /// The version number.
    pub const fn number(self) -> u32 {
        self.0
    }
}

impl std::fmt::Display for VersionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// A role's `MaxSessionDuration`: 3600–43200 seconds (docs/protocol/ram.md#names-and-limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionDuration(u32);

impl SessionDuration {
    /// The shortest and longest duration.
    pub const RANGE: (u32, u32) = (3600, 43200);
    /// The duration of a role created without one.
    pub const DEFAULT: Self = Self(3600);

    /// `seconds` as the parameter `param`, or 400 `InvalidParameter.{param}` (out of range).
    pub fn new(param: &str, seconds: u64) -> Result<Self, ActionError> {
        let (min, max) = Self::RANGE;
        u32::try_from(seconds)
            .ok()
            .filter(|s| (min..=max).contains(s))
            .map(Self)
            .ok_or_else(|| Self::out_of_range(param))
    }

    /// The decimal `text` as the parameter `param` (not a number: out of range too).
    pub fn parse(param: &str, text: &str) -> Result<Self, ActionError> {
        let seconds = text.parse().map_err(|_| Self::out_of_range(param))?;
        Self::new(param, seconds)
    }

    /// 400 `InvalidParameter.{param}`: not within [`Self::RANGE`].
    fn out_of_range(param: &str) -> ActionError {
        let (min, max) = Self::RANGE;
        let (min, max) = (min.into(), max.into());
        ActionError::invalid(param, crate::Problem::OutOfRange { min, max })
    }

    /// The seconds.
    pub const fn seconds(self) -> u32 {
        self.0
    }
}

/// The account alias: 3–63 lower-case letters, digits and `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountAlias(String);

impl AccountAlias {
    /// `AccountAlias` (empty: `MissingAccountAlias`).
    pub fn new(value: &str) -> Result<Self, ActionError> {
        validate::account_alias(value)?;
        Ok(Self(value.to_owned()))
    }

    /// The alias.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One page of a list action: `Marker` (empty: from the start) and `MaxItems`
/// (docs/protocol/ram.md#ram-action-semantics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The marker of a previous truncated page, or empty.
    pub marker: String,
    /// The most items to return.
    pub max_items: usize,
}

impl Page {
    /// `MaxItems` when not sent.
    pub const DEFAULT_MAX_ITEMS: usize = 100;
    /// The largest `MaxItems`.
    pub const MAX_ITEMS: usize = 1000;
}

impl Default for Page {
    fn default() -> Self {
        Self {
            marker: String::new(),
            max_items: Self::DEFAULT_MAX_ITEMS,
        }
    }
}

/// The free-text and contact fields of users, groups, roles and policies, each returning the
/// value when it follows its rule.
pub mod text {
    use super::*;

    /// A user's `DisplayName` / `NewDisplayName`: at most 128 characters, no control characters.
    pub fn display_name(param: &str, value: &str) -> Result<String, ActionError> {
        validate::text(param, value, MAX_DISPLAY_NAME)?;
        Ok(value.to_owned())
    }

    /// A user's or group's `Comments` / `NewComments`: at most 128 characters.
    pub fn comments(param: &str, value: &str) -> Result<String, ActionError> {
        validate::text(param, value, MAX_COMMENTS)?;
        Ok(value.to_owned())
    }

    /// A role's or policy's `Description` / `NewDescription`: at most 1024 characters.
    pub fn description(param: &str, value: &str) -> Result<String, ActionError> {
        validate::text(param, value, MAX_DESCRIPTION)?;
        Ok(value.to_owned())
    }

    /// `Email` / `NewEmail`: `local@domain.tld`.
    pub fn email(param: &str, value: &str) -> Result<String, ActionError> {
        validate::email(param, value)?;
        Ok(value.to_owned())
    }

    /// `MobilePhone` / `NewMobilePhone`: `<country code>-<number>`.
    pub fn mobile_phone(param: &str, value: &str) -> Result<String, ActionError> {
        validate::mobile_phone(param, value)?;
        Ok(value.to_owned())
    }
}
