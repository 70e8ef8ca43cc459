//! `ossd admin group …`: CreateGroup, DeleteGroup, ListGroups, AddUserToGroup,
//! RemoveUserFromGroup.

use clap::Subcommand;

use super::Ctx;
use super::output::{items, kv, table};
use super::request::Params;

/// Fields shown for a new group.
const GROUP_FIELDS: [&str; 4] = ["GroupName", "GroupId", "Comments", "CreateDate"];

/// Columns of `group list`.
const LIST_COLUMNS: [&str; 4] = ["GroupName", "GroupId", "Comments", "CreateDate"];

/// `ossd admin group` subcommands.
#[derive(Debug, Subcommand)]
pub(super) enum GroupCmd {
    /// Create a group.
    Create {
        /// Group name (letters, digits, `.`, `-`, `_`).
        name: String,
        /// Free-text comments.
        #[arg(long)]
        comments: Option<String>,
    },
    /// Delete a group (it must have no members or policies).
    Delete {
        /// Group name.
        name: String,
    },
    /// List groups.
    List,
    /// Add a user to a group.
    AddUser(Membership),
    /// Remove a user from a group.
    RemoveUser(Membership),
}

/// A user's membership of a group.
#[derive(Debug, clap::Args)]
pub(super) struct Membership {
    /// Group name.
    group: String,
    /// User name.
    user: String,
}

impl Membership {
    /// `GroupName` and `UserName`.
    fn params(&self) -> Params {
        Params::new()
            .set("GroupName", self.group.as_str())
            .set("UserName", self.user.as_str())
    }
}

/// Runs a `group` subcommand.
pub(super) async fn run(cmd: GroupCmd, ctx: &Ctx) -> anyhow::Result<()> {
    match cmd {
        GroupCmd::Create { name, comments } => {
            let params = Params::new()
                .set("GroupName", name)
                .opt("Comments", comments);
            let v = ctx.client.ram("CreateGroup", params).await?;
            ctx.out.emit(&v, |v| kv(&v["Group"], &GROUP_FIELDS))
        }
        GroupCmd::Delete { name } => {
            let params = Params::new().set("GroupName", name.as_str());
            let v = ctx.client.ram("DeleteGroup", params).await?;
            ctx.out.emit(&v, |_| format!("Deleted group {name}."))
        }
        GroupCmd::List => {
            let v = ctx
                .client
                .ram_list_all("ListGroups", Params::new(), "Groups", "Group")
                .await?;
            ctx.out
                .emit(&v, |v| table(items(v, "Groups", "Group"), &LIST_COLUMNS))
        }
        GroupCmd::AddUser(m) => {
            let v = ctx.client.ram("AddUserToGroup", m.params()).await?;
            ctx.out.emit(&v, |_| {
                format!("Added user {} to group {}.", m.user, m.group)
            })
        }
        GroupCmd::RemoveUser(m) => {
            let v = ctx.client.ram("RemoveUserFromGroup", m.params()).await?;
            ctx.out.emit(&v, |_| {
                format!("Removed user {} from group {}.", m.user, m.group)
            })
        }
    }
}
