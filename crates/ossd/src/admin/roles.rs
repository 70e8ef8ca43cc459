//! `ossd admin role …`: CreateRole (trusting an account or a given trust policy), GetRole,
//! UpdateRole (trust policy, maximum session, description), DeleteRole, ListRoles.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use serde_json::{Value, json};

use super::output::{items, kv, table};
use super::request::Params;
use super::{Ctx, read_input};

/// Fields shown for one role (the ARN right after the name, for scripts and eyes).
const ROLE_FIELDS: [&str; 8] = [
    "RoleName",
    "Arn",
    "RoleId",
    "Description",
    "MaxSessionDuration",
    "CreateDate",
    "UpdateDate",
    "AssumeRolePolicyDocument",
];

/// Columns of `role list`.
const LIST_COLUMNS: [&str; 4] = ["RoleName", "Arn", "MaxSessionDuration", "CreateDate"];

/// `ossd admin role` subcommands.
#[derive(Debug, Subcommand)]
pub(super) enum RoleCmd {
    /// Create a role; without --trust-policy it trusts the RAM identities of one account.
    Create {
        /// Role name (letters, digits, `.`, `-`).
        name: String,
        /// Account whose RAM users and roles may assume the role (default: the caller's).
        #[arg(long, value_name = "ACCOUNT_ID", conflicts_with = "trust_policy")]
        trust_account: Option<String>,
        /// Trust policy document (a file, or `-` for standard input).
        #[arg(long, value_name = "FILE")]
        trust_policy: Option<PathBuf>,
        /// Longest STS session, in seconds (3600–43200; server default 3600).
        #[arg(long, value_name = "SECS")]
        max_session_duration: Option<u32>,
        /// Description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Show a role, including its ARN.
    Get {
        /// Role name.
        name: String,
    },
    /// Change a role's trust policy, maximum session or description (UpdateRole).
    Update {
        /// Role name.
        name: String,
        /// Trust the RAM identities of this account instead.
        #[arg(long, value_name = "ACCOUNT_ID", conflicts_with = "trust_policy")]
        trust_account: Option<String>,
        /// The new trust policy document (a file, or `-` for standard input).
        #[arg(long, value_name = "FILE")]
        trust_policy: Option<PathBuf>,
        /// Longest STS session, in seconds (3600–43200).
        #[arg(long, value_name = "SECS")]
        max_session_duration: Option<u32>,
        /// Description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a role (it must have no attached policies).
    Delete {
        /// Role name.
        name: String,
    },
    /// List roles.
    List,
}

/// Runs a `role` subcommand.
pub(super) async fn run(cmd: RoleCmd, ctx: &Ctx) -> anyhow::Result<()> {
    match cmd {
        RoleCmd::Create {
            name,
            trust_account,
            trust_policy,
            max_session_duration,
            description,
        } => {
            let trust = match (trust_policy, trust_account) {
                (Some(path), _) => read_input(&path)?,
                (None, Some(account)) => trust_document(&account),
                (None, None) => trust_document(&caller_account(ctx).await?),
            };
            let params = Params::new()
                .set("RoleName", name)
                .set("AssumeRolePolicyDocument", trust)
                .opt(
                    "MaxSessionDuration",
                    max_session_duration.map(|d| d.to_string()),
                )
                .opt("Description", description);
            let v = ctx.client.ram("CreateRole", params).await?;
            ctx.out.emit(&v, |v| kv(&v["Role"], &ROLE_FIELDS))
        }
        RoleCmd::Get { name } => {
            let v = ctx.client.ram("GetRole", role(&name)).await?;
            ctx.out.emit(&v, |v| kv(&v["Role"], &ROLE_FIELDS))
        }
        RoleCmd::Update {
            name,
            trust_account,
            trust_policy,
            max_session_duration,
            description,
        } => {
            let trust = match (trust_policy, trust_account) {
                (Some(path), _) => Some(read_input(&path)?),
                (None, Some(account)) => Some(trust_document(&account)),
                (None, None) => None,
            };
            if trust.is_none() && max_session_duration.is_none() && description.is_none() {
                anyhow::bail!(
                    "nothing to change: give --trust-policy, --trust-account, \
                     --max-session-duration or --description"
                );
            }
            let params = role(&name)
                .opt("NewAssumeRolePolicyDocument", trust)
                .opt(
                    "NewMaxSessionDuration",
                    max_session_duration.map(|d| d.to_string()),
                )
                .opt("NewDescription", description);
            let v = ctx.client.ram("UpdateRole", params).await?;
            ctx.out.emit(&v, |v| kv(&v["Role"], &ROLE_FIELDS))
        }
        RoleCmd::Delete { name } => {
            let v = ctx.client.ram("DeleteRole", role(&name)).await?;
            ctx.out.emit(&v, |_| format!("Deleted role {name}."))
        }
        RoleCmd::List => {
            let v = ctx
                .client
                .ram_list_all("ListRoles", Params::new(), "Roles", "Role")
                .await?;
            ctx.out
                .emit(&v, |v| table(items(v, "Roles", "Role"), &LIST_COLUMNS))
        }
    }
}

/// `RoleName=name`.
fn role(name: &str) -> Params {
    Params::new().set("RoleName", name)
}

/// The caller's account id (GetCallerIdentity).
async fn caller_account(ctx: &Ctx) -> anyhow::Result<String> {
    let me = ctx.client.sts("GetCallerIdentity", Params::new()).await?;
    me.get("AccountId")
        .and_then(Value::as_str)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .context("GetCallerIdentity returned no AccountId")
}

/// A trust policy letting the RAM identities of `account` assume the role
/// (docs/protocol/ram.md#roles-and-trust-policies).
fn trust_document(account: &str) -> String {
    json!({
        "Statement": [{
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": { "RAM": [format!("acs:ram::{account}:root")] }
        }],
        "Version": "1"
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_policy_for_an_account() {
        assert_eq!(
            trust_document("1234567890123456"),
            r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::1234567890123456:root"]}}],"Version":"1"}"#
        );
    }
}
