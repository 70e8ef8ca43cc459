//! OSS operation → RAM action → resource (docs/protocol/authorization.md#oss-action-map,
//! #request-resource-examples), as one table.

mod markdown;
mod s3;
mod table;

pub use table::rows;

pub use markdown::actions_markdown;
pub use s3::{S3Alias, s3_action, s3_aliases};

/// Which resource an operation is authorised on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceLevel {
    /// `acs:oss:{region}:{callerAcct}:*`.
    Service,
    /// `acs:oss:{region}:{ownerAcct}:{bucket}`.
    Bucket,
    /// `acs:oss:{region}:{ownerAcct}:{bucket}/{key}` (LiveChannel: the channel name as key).
    Object,
}

/// How an ACL can grant the operation when no policy decides
/// (docs/protocol/authorization.md#oss-request-authorization step 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Management API: ACLs never grant it.
    Management,
    /// Data read: granted by `public-read` and `public-read-write`.
    Read,
    /// Data write: granted by `public-read-write`.
    Write,
}

/// What the canned ACLs grant when no policy decides
/// (docs/protocol/buckets.md#acls-and-anonymous-access).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AclGrant {
    /// No ACL grants it.
    Never,
    /// Granted when the object's effective ACL (its own, else the bucket's) is `public-read` or
    /// `public-read-write`.
    ObjectRead,
    /// Granted when the bucket's ACL is `public-read` or `public-read-write` (listings).
    BucketRead,
    /// Granted when the effective ACL is `public-read-write`.
    Write,
}

/// One row of the OSS action map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OssAction {
    /// The OSS API name, e.g. `GetObject`.
    pub operation: &'static str,
    /// The RAM action, e.g. `oss:GetObject`.
    pub action: &'static str,
    /// The action used instead when the request carries `versionId`.
    pub version_action: Option<&'static str>,
    /// The resource level.
    pub resource: ResourceLevel,
    /// The kind of API (data read, data write, management), which chooses the denial message.
    pub access: Access,
    /// What the canned ACLs grant.
    pub acl: AclGrant,
    /// Extra actions and condition keys (documentation).
    pub notes: &'static str,
}

impl OssAction {
    /// The action for a request with (`true`) or without a `versionId`.
    pub fn action_for(&self, versioned: bool) -> &'static str {
        match self.version_action {
            Some(action) if versioned => action,
            _ => self.action,
        }
    }

    /// The S3 name of [`OssAction::action_for`], if it has one
    /// (docs/protocol/iam-grammar.md#actions).
    pub fn s3_action_for(&self, versioned: bool) -> Option<&'static str> {
        s3_action(self.action_for(versioned))
    }
}

/// The RAM action of an OSS API operation (name compared ASCII case-insensitively).
pub fn oss_action(operation_name: &str) -> Option<OssAction> {
    table::OSS_ACTIONS
        .iter()
        .find(|a| a.operation.eq_ignore_ascii_case(operation_name))
        .copied()
}

/// Every row of the OSS action map, in table order.
pub fn oss_actions() -> &'static [OssAction] {
    table::OSS_ACTIONS
}

/// The resource ARN of an OSS request (docs/protocol/authorization.md#oss-action-map,
/// #request-resource-examples).
///
/// No bucket → service level `acs:oss:{region}:{account}:*` (`account` = the caller's);
/// a bucket → `…:{bucket}`; a bucket and key → `…:{bucket}/{key}` with the decoded key.
/// `account` is the bucket owner's. A missing region leaves the field empty (matches `*`).
pub fn oss_resource_arn(
    region: Option<&str>,
    account: &str,
    bucket: Option<&str>,
    key: Option<&str>,
) -> String {
    let region = region.unwrap_or("");
    // Appended piece by piece rather than through `format!`: every request builds one.
    let tail = bucket.map_or(1, str::len) + key.map_or(0, |k| k.len() + 1);
    let mut arn = String::with_capacity(10 + region.len() + account.len() + tail);
    for part in ["acs:oss:", region, ":", account, ":"] {
        arn.push_str(part);
    }
    match (bucket, key) {
        (None, _) => arn.push('*'),
        (Some(bucket), None) => arn.push_str(bucket),
        (Some(bucket), Some(key)) => {
            arn.push_str(bucket);
            arn.push('/');
            arn.push_str(key);
        }
    }
    arn
}
