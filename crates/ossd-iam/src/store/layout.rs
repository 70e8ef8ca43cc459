//! The key layout of IAM state in the metadata KV space (`MetaStore::iam_*`).
//!
//! Global keys:
//! - `meta/keycheck`: a box sealed under the master key, to detect a wrong `master.key` at open;
//! - `ak/{AccessKeyId}`: every long-term AccessKey (root's and users'), its secret sealed.
//!
//! Per account, under `acct/{AccountId}/` (names lower-cased in keys, stored as given in values;
//! relations use immutable ids so renames touch one record):
//! - `user/{name}` → user; `user-id/{UserId}` → `{name}` (index);
//! - `user-key/{UserId|root}/{AccessKeyId}` → `{}` (keys of a user / of root);
//! - `root` → a lock record touched by root-key changes (counts stay exact);
//! - `group/{name}` → group; `group-id/{GroupId}` → `{name}`;
//! - `member/{UserId}/{GroupId}` and `group-member/{GroupId}/{UserId}` → `{JoinDate}`;
//! - `role/{name}` → role (trust policy inside); `role-id/{RoleId}` → `{name}`;
//! - `policy/{name}` → custom policy; `policy-version/{name}/{VersionId}` → version document;
//! - `attached/{user|group|role}/{EntityId}/{System|Custom}/{policy}` → `{AttachDate, name}`;
//! - `attachment/{System|Custom}/{policy}/{user|group|role}/{EntityId}` → `{AttachDate}`;
//! - `count/{users|groups|roles|policies}` → `{n}` (account-wide limits, compare-and-set);
//! - `alias` → the account alias;
//! - `public-access-block` → the account's Block Public Access settings.

use super::PolicyType;

/// The key of the master-key check box.
pub(crate) const KEYCHECK: &str = "meta/keycheck";

/// The key of a long-term AccessKey.
pub(crate) fn access_key(id: &str) -> String {
    format!("ak/{id}")
}

/// Which entity a policy is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntityKind {
    /// A RAM user.
    User,
    /// A group.
    Group,
    /// A role.
    Role,
}

impl EntityKind {
    /// The key segment.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
            Self::Role => "role",
        }
    }

    /// Parses a key segment.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "user" => Some(Self::User),
            "group" => Some(Self::Group),
            "role" => Some(Self::Role),
            _ => None,
        }
    }
}

/// The per-account key builder.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    base: String,
}

/// A name's key form.
pub(crate) fn fold(name: &str) -> String {
    name.to_ascii_lowercase()
}

impl Layout {
    /// The layout of `account_id`.
    pub(crate) fn new(account_id: &str) -> Self {
        Self {
            base: format!("acct/{account_id}/"),
        }
    }

    /// `acct/{A}/{rest}`.
    fn key(&self, rest: &str) -> String {
        format!("{}{rest}", self.base)
    }

    /// Prefix of all users.
    pub(crate) fn users(&self) -> String {
        self.key("user/")
    }

    /// A user by name.
    pub(crate) fn user(&self, name: &str) -> String {
        self.key(&format!("user/{}", fold(name)))
    }

    /// The id index of a user.
    pub(crate) fn user_id(&self, id: &str) -> String {
        self.key(&format!("user-id/{id}"))
    }

    /// Prefix of the AccessKeys of a user (`owner` = UserId, or `root`).
    pub(crate) fn owner_keys(&self, owner: &str) -> String {
        self.key(&format!("user-key/{owner}/"))
    }

    /// The root lock record.
    pub(crate) fn root(&self) -> String {
        self.key("root")
    }

    /// Prefix of all groups.
    pub(crate) fn groups(&self) -> String {
        self.key("group/")
    }

    /// A group by name.
    pub(crate) fn group(&self, name: &str) -> String {
        self.key(&format!("group/{}", fold(name)))
    }

    /// The id index of a group.
    pub(crate) fn group_id(&self, id: &str) -> String {
        self.key(&format!("group-id/{id}"))
    }

    /// Prefix of a user's memberships.
    pub(crate) fn memberships(&self, user_id: &str) -> String {
        self.key(&format!("member/{user_id}/"))
    }

    /// Prefix of a group's members.
    pub(crate) fn members(&self, group_id: &str) -> String {
        self.key(&format!("group-member/{group_id}/"))
    }

    /// Prefix of all roles.
    pub(crate) fn roles(&self) -> String {
        self.key("role/")
    }

    /// A role by name.
    pub(crate) fn role(&self, name: &str) -> String {
        self.key(&format!("role/{}", fold(name)))
    }

    /// The id index of a role.
    pub(crate) fn role_id(&self, id: &str) -> String {
        self.key(&format!("role-id/{id}"))
    }

    /// Prefix of all custom policies.
    pub(crate) fn policies(&self) -> String {
        self.key("policy/")
    }

    /// A custom policy by name.
    pub(crate) fn policy(&self, name: &str) -> String {
        self.key(&format!("policy/{}", fold(name)))
    }

    /// Prefix of a custom policy's versions.
    pub(crate) fn versions(&self, name: &str) -> String {
        self.key(&format!("policy-version/{}/", fold(name)))
    }

    /// Prefix of the policies attached to an entity.
    pub(crate) fn attached(&self, kind: EntityKind, id: &str) -> String {
        self.key(&format!("attached/{}/{id}/", kind.as_str()))
    }

    /// Prefix of the entities a policy is attached to.
    pub(crate) fn attachments(&self, ptype: PolicyType, name: &str) -> String {
        self.key(&format!("attachment/{}/{}/", ptype.as_str(), fold(name)))
    }

    /// An account-wide counter.
    pub(crate) fn counter(&self, what: &str) -> String {
        self.key(&format!("count/{what}"))
    }

    /// The account alias.
    pub(crate) fn alias(&self) -> String {
        self.key("alias")
    }

    /// The account's Block Public Access settings.
    pub(crate) fn public_access_block(&self) -> String {
        self.key("public-access-block")
    }
}

/// `{prefix}{child}`: one key under a prefix made by [`Layout`].
pub(crate) fn child(prefix: &str, child: &str) -> String {
    format!("{prefix}{child}")
}
