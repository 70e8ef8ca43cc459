//! `ossd admin sts …`: AssumeRole (prints the temporary credentials) and GetCallerIdentity.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::Value;

use super::output::kv;
use super::request::Params;
use super::{Ctx, read_input};

/// Fields shown after AssumeRole: the credentials, then the assumed role.
const SUMMARY_FIELDS: [&str; 6] = [
    "AccessKeyId",
    "AccessKeySecret",
    "SecurityToken",
    "Expiration",
    "AssumedRoleArn",
    "AssumedRoleId",
];

/// Fields shown for the caller.
const IDENTITY_FIELDS: [&str; 6] = [
    "IdentityType",
    "AccountId",
    "UserId",
    "RoleId",
    "PrincipalId",
    "Arn",
];

/// `ossd admin sts` subcommands.
#[derive(Debug, Subcommand)]
pub(super) enum StsCmd {
    /// Get temporary credentials for a role (the caller must be allowed sts:AssumeRole).
    AssumeRole {
        /// Role ARN, e.g. `acs:ram::<account>:role/RamOssTest`.
        role_arn: String,
        /// Session name (2–64 of letters, digits, `.`, `@`, `-`, `_`).
        #[arg(long)]
        session: String,
        /// Validity in seconds (900 up to the role's maximum; server default 3600).
        #[arg(long, value_name = "SECS")]
        duration: Option<u32>,
        /// Session policy narrowing the role's permissions (a file, or `-` for standard input).
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
    },
    /// Show who the credentials belong to (GetCallerIdentity).
    Whoami,
}

/// Runs an `sts` subcommand.
pub(super) async fn run(cmd: StsCmd, ctx: &Ctx) -> anyhow::Result<()> {
    match cmd {
        StsCmd::AssumeRole {
            role_arn,
            session,
            duration,
            policy,
        } => {
            let policy = policy.map(|p| read_input(&p)).transpose()?;
            let params = Params::new()
                .set("RoleArn", role_arn)
                .set("RoleSessionName", session)
                .opt("DurationSeconds", duration.map(|d| d.to_string()))
                .opt("Policy", policy);
            let v = ctx.client.sts("AssumeRole", params).await?;
            ctx.out.emit(&v, credentials)
        }
        StsCmd::Whoami => {
            let v = ctx.client.sts("GetCallerIdentity", Params::new()).await?;
            ctx.out.emit(&v, |v| kv(v, &IDENTITY_FIELDS))
        }
    }
}

/// The summary of an AssumeRole response: the credentials, then the assumed role.
fn credentials(v: &Value) -> String {
    let mut all = v["Credentials"].as_object().cloned().unwrap_or_default();
    let user = &v["AssumedRoleUser"];
    all.insert("AssumedRoleArn".to_owned(), user["Arn"].clone());
    all.insert("AssumedRoleId".to_owned(), user["AssumedRoleId"].clone());
    kv(&Value::Object(all), &SUMMARY_FIELDS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credential_summary() {
        let v = json!({
            "RequestId": "R",
            "AssumedRoleUser": {"AssumedRoleId": "34:alice", "Arn": "acs:ram::1:role/r/alice"},
            "Credentials": {"SecurityToken": "CAIS1", "Expiration": "2026-11-28T15:52:19Z",
                            "AccessKeySecret": "sec", "AccessKeyId": "STS.x"}
        });
        assert_eq!(
            credentials(&v),
            "AccessKeyId      STS.x\nAccessKeySecret  sec\nSecurityToken    CAIS1\n\
             Expiration       2026-11-28T15:52:19Z\nAssumedRoleArn   acs:ram::1:role/r/alice\n\
             AssumedRoleId    34:alice\n"
        );
    }
}
