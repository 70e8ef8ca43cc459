//! `ossd admin policy version …` and `policy update`: CreatePolicyVersion, ListPolicyVersions,
//! SetDefaultPolicyVersion, DeletePolicyVersion of a custom policy
//! (docs/protocol/ram.md#ram-api). `policy update` makes a new default version, first deleting
//! the oldest non-default one when the policy has the most versions RAM keeps.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use serde_json::Value;

use super::output::{items, kv, table, text};
use super::request::Params;
use super::{Ctx, read_input};

/// The most versions a custom policy has (RAM's limit; a sixth is `LimitExceeded.Policy.Version`).
pub(super) const MAX_VERSIONS: usize = 5;

/// Fields shown for one version.
const VERSION_FIELDS: [&str; 3] = ["VersionId", "IsDefaultVersion", "CreateDate"];

/// `ossd admin policy version` subcommands.
#[derive(Debug, Subcommand)]
pub(super) enum VersionCmd {
    /// Add a version to a custom policy (at most 5 versions).
    Create {
        /// Policy name.
        name: String,
        /// Policy document (a file, or `-` for standard input).
        #[arg(long, value_name = "FILE")]
        document: PathBuf,
        /// Make the new version the default one (the one that applies).
        #[arg(long)]
        set_default: bool,
    },
    /// List the versions of a custom policy.
    List {
        /// Policy name.
        name: String,
    },
    /// Make a version the default one.
    SetDefault {
        /// Policy name.
        name: String,
        /// Version id, e.g. `v2`.
        version: String,
    },
    /// Delete a version that is not the default one.
    Delete {
        /// Policy name.
        name: String,
        /// Version id, e.g. `v1`.
        version: String,
    },
}

/// Runs a `policy version` subcommand.
pub(super) async fn run(cmd: VersionCmd, ctx: &Ctx) -> anyhow::Result<()> {
    match cmd {
        VersionCmd::Create {
            name,
            document,
            set_default,
        } => {
            let v = create(ctx, &name, read_input(&document)?, set_default).await?;
            ctx.out
                .emit(&v, |v| kv(&v["PolicyVersion"], &VERSION_FIELDS))
        }
        VersionCmd::List { name } => {
            let v = list(ctx, &name).await?;
            ctx.out.emit(&v, |v| {
                table(items(v, "PolicyVersions", "PolicyVersion"), &VERSION_FIELDS)
            })
        }
        VersionCmd::SetDefault { name, version } => {
            let params = Params::new()
                .set("PolicyName", name.as_str())
                .set("VersionId", version.as_str());
            let v = ctx.client.ram("SetDefaultPolicyVersion", params).await?;
            ctx.out.emit(&v, |_| {
                format!("Version {version} is now the default of policy {name}.")
            })
        }
        VersionCmd::Delete { name, version } => {
            let v = delete(ctx, &name, &version).await?;
            ctx.out.emit(&v, |_| {
                format!("Deleted version {version} of policy {name}.")
            })
        }
    }
}

/// `policy update`: the document becomes the new default version; at the limit, the oldest
/// non-default version is deleted first (and named in the output).
pub(super) async fn update(ctx: &Ctx, name: &str, document: PathBuf) -> anyhow::Result<()> {
    let document = read_input(&document)?;
    let listed = list(ctx, name).await?;
    let versions = items(&listed, "PolicyVersions", "PolicyVersion");
    let dropped = if versions.len() >= MAX_VERSIONS {
        let oldest = oldest_non_default(versions).with_context(|| {
            format!("policy {name} has {MAX_VERSIONS} versions and none to delete")
        })?;
        delete(ctx, name, &oldest).await?;
        Some(oldest)
    } else {
        None
    };
    let v = create(ctx, name, document, true).await?;
    ctx.out.emit(&v, |v| {
        let mut out = kv(&v["PolicyVersion"], &VERSION_FIELDS);
        if let Some(old) = &dropped {
            out.push_str(&format!(
                "Deleted version {old} (the oldest non-default; {MAX_VERSIONS} at most).\n"
            ));
        }
        out
    })
}

/// CreatePolicyVersion.
async fn create(
    ctx: &Ctx,
    name: &str,
    document: String,
    set_default: bool,
) -> anyhow::Result<Value> {
    let params = Params::new()
        .set("PolicyName", name)
        .set("PolicyDocument", document)
        .set("SetAsDefault", if set_default { "true" } else { "false" });
    ctx.client.ram("CreatePolicyVersion", params).await
}

/// ListPolicyVersions of the custom policy `name`.
async fn list(ctx: &Ctx, name: &str) -> anyhow::Result<Value> {
    let params = Params::new()
        .set("PolicyName", name)
        .set("PolicyType", "Custom");
    ctx.client.ram("ListPolicyVersions", params).await
}

/// DeletePolicyVersion.
async fn delete(ctx: &Ctx, name: &str, version: &str) -> anyhow::Result<Value> {
    let params = Params::new()
        .set("PolicyName", name)
        .set("VersionId", version);
    ctx.client.ram("DeletePolicyVersion", params).await
}

/// The id of the oldest version that is not the default: the lowest `vN`.
fn oldest_non_default(versions: &[Value]) -> Option<String> {
    versions
        .iter()
        .filter(|v| !matches!(&v["IsDefaultVersion"], Value::Bool(true)))
        .map(|v| text(&v["VersionId"]))
        .filter_map(|id| {
            let n: u64 = id.strip_prefix('v')?.parse().ok()?;
            Some((n, id))
        })
        .min()
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn oldest_non_default_is_the_lowest_number() {
        let versions = [
            json!({"VersionId": "v10", "IsDefaultVersion": false}),
            json!({"VersionId": "v2", "IsDefaultVersion": true}),
            json!({"VersionId": "v3", "IsDefaultVersion": false}),
        ];
        assert_eq!(oldest_non_default(&versions).as_deref(), Some("v3"));
        assert_eq!(oldest_non_default(&versions[1..2]), None);
    }
}
