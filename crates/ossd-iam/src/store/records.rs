//! The JSON records stored under the keys of [`super::layout`]. Times are Unix seconds.

use serde::{Deserialize, Serialize};

/// A policy's type: built in (read-only) or created in the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PolicyType {
    /// Built in (docs/protocol/authorization.md#system-policies).
    System,
    /// Created with CreatePolicy.
    Custom,
}

impl PolicyType {
    /// The wire and key spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::System => "System",
            Self::Custom => "Custom",
        }
    }

    /// Parses `System` / `Custom` (exact spelling).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "System" => Some(Self::System),
            "Custom" => Some(Self::Custom),
            _ => None,
        }
    }
}

/// An empty record (index entries whose key says everything).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Empty {}

/// The value of an id index: the entity's name as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct NameRef {
    /// The name.
    pub name: String,
}

/// A RAM user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    /// UserId (16 digits).
    pub id: String,
    /// UserName as given.
    pub name: String,
    /// DisplayName.
    #[serde(default)]
    pub display_name: String,
    /// Comments.
    #[serde(default)]
    pub comments: String,
    /// Email.
    #[serde(default)]
    pub email: String,
    /// MobilePhone.
    #[serde(default)]
    pub mobile_phone: String,
    /// CreateDate.
    pub created: i64,
    /// UpdateDate.
    pub updated: i64,
}

/// `Active` or `Inactive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyStatus {
    /// Usable.
    Active,
    /// Refused at authentication.
    Inactive,
}

impl KeyStatus {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Inactive => "Inactive",
        }
    }

    /// Parses `Active` / `Inactive`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "Active" => Some(Self::Active),
            "Inactive" => Some(Self::Inactive),
            _ => None,
        }
    }
}

/// The owner of a long-term AccessKey in [`KeyRecord::owner`].
pub(crate) const ROOT_OWNER: &str = "root";

/// A long-term AccessKey. The secret is sealed (AES-256-GCM under the master key, bound to the
/// key id); `Debug` leaves it out all the same.
#[derive(Clone, Serialize, Deserialize)]
pub struct KeyRecord {
    /// AccessKeyId.
    pub id: String,
    /// The account.
    pub account: String,
    /// [`ROOT_OWNER`] or the UserId.
    pub owner: String,
    /// Status.
    pub status: KeyStatus,
    /// CreateDate.
    pub created: i64,
    /// The sealed secret, base64.
    pub sealed_secret: String,
}

impl std::fmt::Debug for KeyRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRecord")
            .field("id", &self.id)
            .field("account", &self.account)
            .field("owner", &self.owner)
            .field("status", &self.status)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

/// A group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupRecord {
    /// GroupId (`g-` + 16 alphanumerics).
    pub id: String,
    /// GroupName as given.
    pub name: String,
    /// Comments.
    #[serde(default)]
    pub comments: String,
    /// CreateDate.
    pub created: i64,
    /// UpdateDate.
    pub updated: i64,
}

/// A membership (stored in both directions).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Joined {
    /// JoinDate.
    pub joined: i64,
}

/// A role.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RoleRecord {
    /// RoleId (18 digits).
    pub id: String,
    /// RoleName as given.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// AssumeRolePolicyDocument, verbatim.
    pub trust_policy: String,
    /// MaxSessionDuration, seconds.
    pub max_session_duration: u32,
    /// AllowConsoleLogin.
    #[serde(default)]
    pub allow_console_login: bool,
    /// CreateDate.
    pub created: i64,
    /// UpdateDate.
    pub updated: i64,
}

/// A custom policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PolicyRecord {
    /// PolicyName as given.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// The number of the default version (`v{n}`).
    pub default_version: u32,
    /// The highest version number ever used (ids are never reused).
    pub last_version: u32,
    /// CreateDate.
    pub created: i64,
    /// UpdateDate.
    pub updated: i64,
}

/// One version of a custom policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct VersionRecord {
    /// The version number (`v{n}`).
    pub number: u32,
    /// PolicyDocument, verbatim.
    pub document: String,
    /// CreateDate.
    pub created: i64,
}

/// An attachment seen from the entity: the policy's stored name and the AttachDate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AttachedRecord {
    /// PolicyName as stored.
    pub name: String,
    /// AttachDate.
    pub attached: i64,
}

/// An attachment seen from the policy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AttachmentRecord {
    /// AttachDate.
    pub attached: i64,
}

/// An account-wide counter.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Counter {
    /// The count.
    pub n: u64,
}

/// The account's Block Public Access settings (the four S3 settings; OSS's one flag is all four).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct PublicAccessBlockRecord {
    /// BlockPublicAcls.
    pub block_public_acls: bool,
    /// IgnorePublicAcls.
    pub ignore_public_acls: bool,
    /// BlockPublicPolicy.
    pub block_public_policy: bool,
    /// RestrictPublicBuckets.
    pub restrict_public_buckets: bool,
}

/// The account alias.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AliasRecord {
    /// AccountAlias.
    pub alias: String,
}

/// The master-key check box.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct KeyCheck {
    /// A known plaintext sealed under the master key, base64.
    pub sealed: String,
}
