//! `ossd admin user …`: CreateUser, GetUser, DeleteUser, ListUsers.

use clap::Subcommand;

use super::Ctx;
use super::output::{items, kv, table};
use super::request::Params;

/// Fields shown for one user.
const USER_FIELDS: [&str; 8] = [
    "UserName",
    "UserId",
    "DisplayName",
    "Comments",
    "Email",
    "MobilePhone",
    "CreateDate",
    "UpdateDate",
];

/// Columns of `user list`.
const LIST_COLUMNS: [&str; 4] = ["UserName", "UserId", "DisplayName", "CreateDate"];

/// `ossd admin user` subcommands.
#[derive(Debug, Subcommand)]
pub(super) enum UserCmd {
    /// Create a RAM user.
    Create {
        /// Logon name (letters, digits, `.`, `-`, `_`).
        name: String,
        /// Display name.
        #[arg(long)]
        display_name: Option<String>,
        /// Free-text comments.
        #[arg(long)]
        comments: Option<String>,
    },
    /// Show a RAM user.
    Get {
        /// User name.
        name: String,
    },
    /// Delete a RAM user (it must have no AccessKeys, groups or policies).
    Delete {
        /// User name.
        name: String,
    },
    /// List RAM users.
    List,
}

/// Runs a `user` subcommand.
pub(super) async fn run(cmd: UserCmd, ctx: &Ctx) -> anyhow::Result<()> {
    match cmd {
        UserCmd::Create {
            name,
            display_name,
            comments,
        } => {
            let params = Params::new()
                .set("UserName", name)
                .opt("DisplayName", display_name)
                .opt("Comments", comments);
            let v = ctx.client.ram("CreateUser", params).await?;
            ctx.out.emit(&v, |v| kv(&v["User"], &USER_FIELDS))
        }
        UserCmd::Get { name } => {
            let v = ctx.client.ram("GetUser", user(name)).await?;
            ctx.out.emit(&v, |v| kv(&v["User"], &USER_FIELDS))
        }
        UserCmd::Delete { name } => {
            let v = ctx.client.ram("DeleteUser", user(name.clone())).await?;
            ctx.out.emit(&v, |_| format!("Deleted user {name}."))
        }
        UserCmd::List => {
            let v = ctx
                .client
                .ram_list_all("ListUsers", Params::new(), "Users", "User")
                .await?;
            ctx.out
                .emit(&v, |v| table(items(v, "Users", "User"), &LIST_COLUMNS))
        }
    }
}

/// `UserName=name`.
fn user(name: String) -> Params {
    Params::new().set("UserName", name)
}
