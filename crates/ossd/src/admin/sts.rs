//! `ossd admin sts …`: AssumeRole (prints the temporary credentials) and GetCallerIdentity.

use std::path::PathBuf;

use anyhow::Context;
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
        /// Print `export` lines instead: OSS_* (ali-oss, oss2, alibabacloud-oss-v2), AWS_*
        /// (AWS CLI, boto3) and OSSD_* (the ossd CLI); `eval "$(ossd admin sts assume-role … --env)"`.
        #[arg(long)]
        env: bool,
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
            env,
        } => {
            let policy = policy.map(|p| read_input(&p)).transpose()?;
            let params = Params::new()
                .set("RoleArn", role_arn)
                .set("RoleSessionName", session)
                .opt("DurationSeconds", duration.map(|d| d.to_string()))
                .opt("Policy", policy);
            let v = ctx.client.sts("AssumeRole", params).await?;
            if env {
                print!("{}", env_lines(&v)?);
                return Ok(());
            }
            ctx.out.emit(&v, credentials)
        }
        StsCmd::Whoami => {
            let v = ctx.client.sts("GetCallerIdentity", Params::new()).await?;
            ctx.out.emit(&v, |v| kv(v, &IDENTITY_FIELDS))
        }
    }
}

/// The variables each client family reads the credentials from: (id, secret, token).
const ENV_FAMILIES: [(&str, [&str; 3]); 3] = [
    (
        "ali-oss (process.env), oss2 and alibabacloud-oss-v2 (EnvironmentVariableCredentialsProvider)",
        [
            "OSS_ACCESS_KEY_ID",
            "OSS_ACCESS_KEY_SECRET",
            "OSS_SESSION_TOKEN",
        ],
    ),
    (
        "AWS CLI and boto3 (S3 dialect, docs/s3.md)",
        [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ],
    ),
    (
        "ossd CLI (ossd ls, ossd cp, ossd admin ...)",
        [
            "OSSD_ACCESS_KEY_ID",
            "OSSD_ACCESS_KEY_SECRET",
            "OSSD_SECURITY_TOKEN",
        ],
    ),
];

/// Shell `export` lines for the credentials of an AssumeRole response, with a comment per
/// client family; values single-quoted.
fn env_lines(v: &Value) -> anyhow::Result<String> {
    let field = |name: &str| {
        v["Credentials"][name]
            .as_str()
            .filter(|s| !s.is_empty())
            .with_context(|| format!("AssumeRole returned no Credentials.{name}"))
    };
    let values = [
        field("AccessKeyId")?,
        field("AccessKeySecret")?,
        field("SecurityToken")?,
    ];
    let mut out = format!(
        "# STS credentials of {}, valid until {}\n",
        v["AssumedRoleUser"]["Arn"].as_str().unwrap_or("the role"),
        v["Credentials"]["Expiration"].as_str().unwrap_or("?"),
    );
    for (clients, names) in ENV_FAMILIES {
        out.push_str(&format!("# {clients}\n"));
        for (name, value) in names.iter().zip(values) {
            out.push_str(&format!(
                "export {name}='{}'\n",
                value.replace('\'', "'\\''")
            ));
        }
    }
    Ok(out)
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
        let env = env_lines(&v).unwrap_or_default();
        for line in [
            "export OSS_SESSION_TOKEN='CAIS1'",
            "export AWS_SECRET_ACCESS_KEY='sec'",
            "export OSSD_ACCESS_KEY_ID='STS.x'",
        ] {
            assert!(env.lines().any(|l| l == line), "{line} in {env}");
        }
        assert_eq!(
            credentials(&v),
            "AccessKeyId      STS.x\nAccessKeySecret  sec\nSecurityToken    CAIS1\n\
             Expiration       2026-11-28T15:52:19Z\nAssumedRoleArn   acs:ram::1:role/r/alice\n\
             AssumedRoleId    34:alice\n"
        );
    }
}
