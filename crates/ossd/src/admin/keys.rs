//! `ossd admin key …`: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey. Without
//! `--user` the keys are the caller's own (the root's when signing with the root key).

use clap::Subcommand;

use super::Ctx;
use super::output::{items, kv, table};
use super::request::Params;

/// Fields shown for a new key (the only time the secret is shown).
const CREATED_FIELDS: [&str; 4] = ["AccessKeyId", "AccessKeySecret", "Status", "CreateDate"];

/// Columns of `key list`.
const LIST_COLUMNS: [&str; 3] = ["AccessKeyId", "Status", "CreateDate"];

/// `ossd admin key` subcommands.
#[derive(Debug, Subcommand)]
pub(super) enum KeyCmd {
    /// Create an AccessKey; its secret is printed this once only.
    Create {
        /// Owner (default: the caller).
        #[arg(long)]
        user: Option<String>,
    },
    /// List AccessKeys (ids and status, never secrets).
    List {
        /// Owner (default: the caller).
        #[arg(long)]
        user: Option<String>,
    },
    /// Disable an AccessKey (status Inactive).
    Disable(KeyRef),
    /// Enable an AccessKey (status Active).
    Enable(KeyRef),
    /// Delete an AccessKey.
    Delete(KeyRef),
}

/// One AccessKey of a user.
#[derive(Debug, clap::Args)]
pub(super) struct KeyRef {
    /// AccessKey id.
    id: String,
    /// Owner (default: the caller).
    #[arg(long)]
    user: Option<String>,
}

impl KeyRef {
    /// `UserAccessKeyId` and the optional `UserName`.
    fn params(&self) -> Params {
        Params::new()
            .set("UserAccessKeyId", self.id.as_str())
            .opt("UserName", self.user.as_deref())
    }
}

/// Runs a `key` subcommand.
pub(super) async fn run(cmd: KeyCmd, ctx: &Ctx) -> anyhow::Result<()> {
    match cmd {
        KeyCmd::Create { user } => {
            let params = Params::new().opt("UserName", user);
            let v = ctx.client.ram("CreateAccessKey", params).await?;
            ctx.out.emit(&v, |v| kv(&v["AccessKey"], &CREATED_FIELDS))?;
            eprintln!("Store the AccessKeySecret now: it cannot be retrieved again.");
            Ok(())
        }
        KeyCmd::List { user } => {
            let params = Params::new().opt("UserName", user);
            let v = ctx.client.ram("ListAccessKeys", params).await?;
            ctx.out.emit(&v, |v| {
                table(items(v, "AccessKeys", "AccessKey"), &LIST_COLUMNS)
            })
        }
        KeyCmd::Disable(key) => set_status(ctx, &key, "Inactive").await,
        KeyCmd::Enable(key) => set_status(ctx, &key, "Active").await,
        KeyCmd::Delete(key) => {
            let v = ctx.client.ram("DeleteAccessKey", key.params()).await?;
            ctx.out
                .emit(&v, |_| format!("Deleted AccessKey {}.", key.id))
        }
    }
}

/// UpdateAccessKey with `status`.
async fn set_status(ctx: &Ctx, key: &KeyRef, status: &str) -> anyhow::Result<()> {
    let params = key.params().set("Status", status);
    let v = ctx.client.ram("UpdateAccessKey", params).await?;
    ctx.out
        .emit(&v, |_| format!("AccessKey {} is now {status}.", key.id))
}
