//! The `Principal` element of bucket and trust policies: grammar and matching
//! (docs/protocol/policy.md#document-structure, #trust-policies, #bucket-policy-principals).
//! IAM-grammar principals (`{"AWS": …}`) map onto the same entries
//! (docs/protocol/iam-grammar.md#principals).

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
    /// `arn:aws:iam::{acct}:user/{name}`: that RAM user (name compared case-insensitively).
    User {
        /// The user's account.
        account: String,
        /// The user's name.
        name: String,
    },
    /// `arn:aws:iam::{acct}:role/{name}`: every session of that role.
    Role {
        /// The role's account.
        account: String,
        /// The role's name.
        name: String,
    },
    /// A `Service` or `Federated` principal: never matches a caller of this server.
    Nobody,
}

/// One value of an IAM-grammar `"AWS"` principal (docs/protocol/iam-grammar.md#principals).
enum AwsPrincipal {
    /// `"*"`.
    Anyone,
    /// `"{acct}"` or `arn:aws:iam::{acct}:root`.
    Account(String),
    /// `arn:aws:iam::{acct}:user/[{path}/]{name}`.
    User(String, String),
    /// `arn:aws:iam::{acct}:role/[{path}/]{name}`.
    Role(String, String),
    /// `arn:aws:sts::{acct}:assumed-role/{role}/{session}`.
    Session(String, String, String),
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
    /// The bucket-policy principal of everyone (`"*"`, `[]`, or none in a RAM-grammar statement).
    pub(crate) fn anyone() -> Self {
        Self::Bucket(vec![BucketEntry::Anyone])
    }

    /// Whether a bucket-policy principal names everyone (`*`), anonymous callers included.
    pub(crate) fn names_anyone(&self) -> bool {
        matches!(self, Self::Bucket(entries) if entries.contains(&BucketEntry::Anyone))
    }

    /// Parses a bucket-policy `Principal`: a string or an array of strings, or an IAM-grammar
    /// object (`{"AWS": …, "Service": …}`).
    pub(crate) fn parse_bucket(json: &Json) -> Result<Self, String> {
        if matches!(json, Json::Array(items) if items.is_empty()) {
            return Ok(Self::anyone());
        }
        if let Json::Object(members) = json {
            return parse_members(members, BucketEntry::from_member).map(Self::Bucket);
        }
        let entries = string_list(json, "Principal")?;
        entries
            .into_iter()
            .map(BucketEntry::parse)
            .collect::<Result<_, _>>()
            .map(Self::Bucket)
    }

    /// Parses a trust-policy `Principal`: an object with `RAM` (or IAM-grammar `AWS`),
    /// `Service`, `Federated` members.
    pub(crate) fn parse_trust(json: &Json) -> Result<Self, String> {
        let Json::Object(members) = json else {
            return Err("trust policy \"Principal\" must be an object".to_owned());
        };
        parse_members(members, TrustEntry::parse).map(Self::Trust)
    }

    /// Whether `caller` is named, applying the bucket owner rule
    /// (docs/protocol/authorization.md#account-root) when `owner_root` is set: the owner is bound
    /// only by its own UID, or by `*` with a Condition.
    pub(crate) fn matches(&self, caller: &Caller, owner_root: bool, has_condition: bool) -> bool {
        match self {
            Self::Bucket(entries) if owner_root => entries.iter().any(|e| match e {
                BucketEntry::Anyone => has_condition,
                BucketEntry::Uid(_) => e.matches(caller),
                BucketEntry::Session { .. }
                | BucketEntry::User { .. }
                | BucketEntry::Role { .. }
                | BucketEntry::Nobody => false,
            }),
            Self::Bucket(entries) => entries.iter().any(|e| e.matches(caller)),
            Self::Trust(entries) => entries.iter().any(|e| e.matches(caller)),
        }
    }
}

/// The entries of an object-form `Principal`, each member's values parsed by `entry`.
fn parse_members<E>(
    members: &[(String, Json)],
    entry: fn(&str, &str) -> Result<E, String>,
) -> Result<Vec<E>, String> {
    if members.is_empty() {
        return Err("empty \"Principal\"".to_owned());
    }
    let mut entries = Vec::new();
    for (name, value) in members {
        for value in string_list(value, name)? {
            entries.push(entry(name, value)?);
        }
    }
    Ok(entries)
}

impl AwsPrincipal {
    /// Parses one `"AWS"` value; wildcards are not supported except `"*"` itself.
    fn parse(text: &str) -> Result<Self, String> {
        let invalid = || format!("invalid AWS principal \"{}\"", clip(text));
        if text == "*" {
            return Ok(Self::Anyone);
        }
        if wildcard::has_wildcard(text) {
            return Err(format!(
                "wildcards are not supported in AWS principal \"{}\"",
                clip(text)
            ));
        }
        if valid_account(text) {
            return Ok(Self::Account(text.to_owned()));
        }
        let (service, rest) = text
            .strip_prefix("arn:aws:")
            .and_then(|rest| rest.split_once("::"))
            .ok_or_else(invalid)?;
        match service {
            "iam" | "sts" => Self::from_rest(service, rest).ok_or_else(invalid),
            _ => Err(invalid()),
        }
    }

    /// `{acct}:{rest}` of an `arn:aws:{service}::` principal.
    fn from_rest(service: &str, account_and_rest: &str) -> Option<Self> {
        let (account, rest) = account_and_rest.split_once(':')?;
        if !valid_account(account) {
            return None;
        }
        let account = account.to_owned();
        let (head, tail) = match rest.split_once('/') {
            None => (rest, ""),
            Some(split) => split,
        };
        // A user or role path (`user/division/name`) ends with the name.
        let name = tail.rsplit('/').next().filter(|n| valid_name(n));
        match (service, head) {
            ("iam", "root") if tail.is_empty() => Some(Self::Account(account)),
            ("iam", "user") => name.map(|n| Self::User(account, n.to_owned())),
            ("iam", "role") => name.map(|n| Self::Role(account, n.to_owned())),
            ("sts", "assumed-role") => {
                let (role, session) = tail.split_once('/')?;
                (valid_name(role) && valid_name(session))
                    .then(|| Self::Session(account, role.to_owned(), session.to_owned()))
            }
            _ => None,
        }
    }
}

/// An account id: non-empty ASCII alphanumerics.
fn valid_account(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl BucketEntry {
    /// One value of the member `kind` of an object-form bucket-policy `Principal`
    /// (docs/protocol/iam-grammar.md#principals): an account is its root (as an OSS UID), a user,
    /// a role (all its sessions) or one session; `Service` / `Federated` never match.
    fn from_member(kind: &str, text: &str) -> Result<Self, String> {
        match kind {
            "AWS" => Ok(match AwsPrincipal::parse(text)? {
                AwsPrincipal::Anyone => Self::Anyone,
                AwsPrincipal::Account(account) => Self::Uid(account),
                AwsPrincipal::User(account, name) => Self::User { account, name },
                AwsPrincipal::Role(account, name) => Self::Role { account, name },
                AwsPrincipal::Session(account, role, session) => Self::Session {
                    account,
                    rest: format!("assumed-role/{role}/{session}").to_lowercase(),
                },
            }),
            "Service" | "Federated" if !wildcard::has_wildcard(text) => Ok(Self::Nobody),
            "Service" | "Federated" => {
                Err(format!("wildcards are not supported in \"{}\"", clip(text)))
            }
            _ => Err(format!("unsupported principal type \"{}\"", clip(kind))),
        }
    }

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
            (
                Self::User { account, name },
                Caller::User {
                    account_id,
                    user_name,
                    ..
                },
            ) => account == account_id && name.eq_ignore_ascii_case(user_name),
            (
                Self::Role { account, name },
                Caller::RoleSession {
                    account_id,
                    role_name,
                    ..
                },
            ) => account == account_id && name.eq_ignore_ascii_case(role_name),
            _ => false,
        }
    }
}

impl TrustEntry {
    /// Validates one value of the member `kind` (`RAM`, `AWS`, `Service` or `Federated`).
    fn parse(kind: &str, text: &str) -> Result<Self, String> {
        match kind {
            "RAM" => Self::parse_ram(text),
            "AWS" => Self::parse_aws(text),
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

    /// Maps an `"AWS"` value (docs/protocol/iam-grammar.md#principals): an account, a user or a
    /// role; `"*"` and single sessions cannot be trusted, as in RAM.
    fn parse_aws(text: &str) -> Result<Self, String> {
        match AwsPrincipal::parse(text)? {
            AwsPrincipal::Account(account) => Ok(Self::Account(account)),
            AwsPrincipal::User(account, name) => Ok(Self::User(account, name)),
            AwsPrincipal::Role(account, name) => Ok(Self::Role(account, name)),
            AwsPrincipal::Anyone => Err("a trust policy cannot trust \"*\"".to_owned()),
            AwsPrincipal::Session(..) => Err(format!(
                "a trust policy cannot name a role session \"{}\"",
                clip(text)
            )),
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
