//! The `Principal` element of bucket and trust policies: grammar and matching
//! (docs/protocol/policy.md#document-structure, #trust-policies, #bucket-policy-principals).

use crate::caller::Caller;
use crate::json::Json;
use crate::parse::{clip, string_list};
use crate::wildcard;

/// A parsed `Principal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PrincipalSpec {
    /// Bucket policy: a list of entries (an empty list means everyone).
    Bucket(Vec<BucketEntry>),
    /// Trust policy: the `RAM`, `Service` and `Federated` entries.
    Trust(Vec<TrustEntry>),
}

/// One bucket-policy principal (docs/protocol/policy.md#bucket-policy-principals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BucketEntry {
    /// `"*"`: everyone, including anonymous callers.
    Anyone,
    /// An account UID (its root) or a RAM UserId.
    Uid(String),
    /// `arn:sts::{acct}:assumed-role/{role}/{session}`: account and rest are wildcard patterns.
    Session {
        /// Pattern for the account field.
        account: String,
        /// Pattern for `assumed-role/{role}/{session}`, lower-cased.
        rest: String,
    },
}

/// One trust-policy principal (docs/protocol/policy.md#trust-policies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TrustEntry {
    /// `acs:ram::{acct}:root`: any RAM user or role session of the account.
    Account(String),
    /// `acs:ram::{acct}:user/{name}`.
    User(String, String),
    /// `acs:ram::{acct}:role/{name}`: sessions of that role.
    Role(String, String),
    /// A `Service` or `Federated` entry: never matches an AssumeRole caller.
    Other,
}

impl PrincipalSpec {
    /// Parses a bucket-policy `Principal`: a string or an array of strings.
    pub(crate) fn parse_bucket(json: &Json) -> Result<Self, String> {
        if matches!(json, Json::Array(items) if items.is_empty()) {
            return Ok(Self::Bucket(vec![BucketEntry::Anyone]));
        }
        let entries = string_list(json, "Principal")?;
        entries
            .into_iter()
            .map(BucketEntry::parse)
            .collect::<Result<_, _>>()
            .map(Self::Bucket)
    }

    /// Parses a trust-policy `Principal`: an object with `RAM`, `Service`, `Federated` members.
    pub(crate) fn parse_trust(json: &Json) -> Result<Self, String> {
        let Json::Object(members) = json else {
            return Err("trust policy \"Principal\" must be an object".to_owned());
        };
        if members.is_empty() {
            return Err("empty \"Principal\"".to_owned());
        }
        let mut entries = Vec::new();
        for (name, value) in members {
            let values = string_list(value, name)?;
            for value in values {
                entries.push(TrustEntry::parse(name, value)?);
            }
        }
        Ok(Self::Trust(entries))
    }

    /// Whether `caller` is named, applying the bucket owner rule
    /// (docs/protocol/authorization.md#account-root) when `owner_root` is set: the owner is bound
    /// only by its own UID, or by `*` with a Condition.
    pub(crate) fn matches(&self, caller: &Caller, owner_root: bool, has_condition: bool) -> bool {
        match self {
            Self::Bucket(entries) if owner_root => entries.iter().any(|e| match e {
                BucketEntry::Anyone => has_condition,
                BucketEntry::Uid(_) => e.matches(caller),
                BucketEntry::Session { .. } => false,
            }),
            Self::Bucket(entries) => entries.iter().any(|e| e.matches(caller)),
            Self::Trust(entries) => entries.iter().any(|e| e.matches(caller)),
        }
    }
}

impl BucketEntry {
    /// Validates `*`, a numeric UID or an `arn:sts::…:assumed-role/…` pattern.
    fn parse(text: &str) -> Result<Self, String> {
        if text == "*" {
            return Ok(Self::Anyone);
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Self::Uid(text.to_owned()));
        }
        let fields: Vec<&str> = text.splitn(5, ':').collect();
        match fields.as_slice() {
            ["arn", "sts", "" | "*", account, rest] if !account.is_empty() && !rest.is_empty() => {
                Ok(Self::Session {
                    account: (*account).to_owned(),
                    rest: rest.to_lowercase(),
                })
            }
            _ => Err(format!("invalid principal \"{}\"", clip(text))),
        }
    }

    /// Whether this entry names `caller`.
    fn matches(&self, caller: &Caller) -> bool {
        match (self, caller) {
            (Self::Anyone, _) => true,
            (Self::Uid(uid), Caller::Root { account_id }) => uid == account_id,
            (Self::Uid(uid), Caller::User { user_id, .. }) => uid == user_id,
            (
                Self::Session { account, rest },
                Caller::RoleSession {
                    account_id,
                    role_name,
                    session_name,
                },
            ) => {
                let actual = format!("assumed-role/{role_name}/{session_name}").to_lowercase();
                wildcard::matches(account, account_id) && wildcard::matches(rest, &actual)
            }
            _ => false,
        }
    }
}

impl TrustEntry {
    /// Validates one value of the member `kind` (`RAM`, `Service` or `Federated`).
    fn parse(kind: &str, text: &str) -> Result<Self, String> {
        match kind {
            "RAM" => Self::parse_ram(text),
            "Service" | "Federated" if !wildcard::has_wildcard(text) => Ok(Self::Other),
            "Service" | "Federated" => {
                Err(format!("wildcards are not supported in \"{}\"", clip(text)))
            }
            _ => Err(format!("unknown principal type \"{}\"", clip(kind))),
        }
    }

    /// Parses `acs:ram::{acct}:root|user/{name}|role/{name}`; wildcards are not supported.
    fn parse_ram(text: &str) -> Result<Self, String> {
        let invalid = || format!("invalid RAM principal \"{}\"", clip(text));
        if wildcard::has_wildcard(text) {
            return Err(invalid());
        }
        let fields: Vec<&str> = text.splitn(5, ':').collect();
        let ["acs", "ram", "" | "*", account, rest] = fields.as_slice() else {
            return Err(invalid());
        };
        if account.is_empty() || account.contains('/') {
            return Err(invalid());
        }
        let account = (*account).to_owned();
        match rest.split_once('/') {
            None if *rest == "root" => Ok(Self::Account(account)),
            Some(("user", name)) if valid_name(name) => Ok(Self::User(account, name.to_owned())),
            Some(("role", name)) if valid_name(name) => Ok(Self::Role(account, name.to_owned())),
            _ => Err(invalid()),
        }
    }

    /// Whether this entry names `caller` (docs/protocol/authorization.md#assumerole-authorization
    /// step 3). Names compare case-insensitively.
    fn matches(&self, caller: &Caller) -> bool {
        match (self, caller) {
            (
                Self::Account(a),
                Caller::User { account_id, .. } | Caller::RoleSession { account_id, .. },
            ) => a == account_id,
            (
                Self::User(a, n),
                Caller::User {
                    account_id,
                    user_name,
                    ..
                },
            ) => a == account_id && n.eq_ignore_ascii_case(user_name),
            (
                Self::Role(a, n),
                Caller::RoleSession {
                    account_id,
                    role_name,
                    ..
                },
            ) => a == account_id && n.eq_ignore_ascii_case(role_name),
            _ => false,
        }
    }
}

/// A user or role name: non-empty, no further `/`.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('/')
}
