//! `ossd admin policy …`: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, the versions of a
//! custom policy (`version …`, `update`: `super::versions`); and the lookup
//! that picks a policy's type (System when a system policy has the name, else Custom).

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use serde_json::Value;

use super::client::has_code;
use super::output::{at, document, items, kv, table, text};
use super::request::Params;
use super::{Ctx, read_input};

/// Fields shown for one policy.
const POLICY_FIELDS: [&str; 7] = [
    "PolicyName",
    "PolicyType",
    "DefaultVersion",
    "Description",
    "AttachmentCount",
    "CreateDate",
    "UpdateDate",
];

/// Columns of `policy list`.
const LIST_COLUMNS: [&str; 5] = [
    "PolicyName",
    "PolicyType",
    "DefaultVersion",
    "AttachmentCount",
    "Description",
];

/// `PolicyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum PolicyType {
    /// Built-in, read-only policies.
    #[value(name = "System")]
    System,
    /// Policies of this account.
    #[value(name = "Custom")]
    Custom,
}

impl PolicyType {
    /// The parameter value.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::System => "System",
            Self::Custom => "Custom",
        }
    }
}

/// `ossd admin policy` subcommands.
#[derive(Debug, Subcommand)]
pub(super) enum PolicyCmd {
    /// Create a custom policy from a JSON document.
    Create {
        /// Policy name (letters, digits, `-`).
        name: String,
        /// Policy document (a file, or `-` for standard input).
        #[arg(long, value_name = "FILE")]
        document: PathBuf,
        /// Description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Show a policy and its default document.
    Get {
        /// Policy name.
        name: String,
        /// Policy type (default: System if a system policy has the name, else Custom).
        #[arg(long = "type", value_enum, ignore_case = true)]
        kind: Option<PolicyType>,
    },
    /// List policies.
    List {
        /// Only this type.
        #[arg(long = "type", value_enum, ignore_case = true)]
        kind: Option<PolicyType>,
    },
    /// Delete a custom policy with all its versions (it must not be attached).
    Delete {
        /// Policy name.
        name: String,
    },
    /// Replace a custom policy's document: a new default version, deleting the oldest
    /// non-default version first when the policy has 5.
    Update {
        /// Policy name.
        name: String,
        /// The new document (a file, or `-` for standard input).
        #[arg(long, value_name = "FILE")]
        document: PathBuf,
    },
    /// The versions of a custom policy.
    #[command(subcommand)]
    Version(super::versions::VersionCmd),
}

/// Runs a `policy` subcommand.
pub(super) async fn run(cmd: PolicyCmd, ctx: &Ctx) -> anyhow::Result<()> {
    match cmd {
        PolicyCmd::Create {
            name,
            document,
            description,
        } => {
            let params = Params::new()
                .set("PolicyName", name)
                .set("PolicyDocument", read_input(&document)?)
                .opt("Description", description);
            let v = ctx.client.ram("CreatePolicy", params).await?;
            ctx.out.emit(&v, |v| kv(&v["Policy"], &POLICY_FIELDS))
        }
        PolicyCmd::Get { name, kind } => {
            let v = match kind {
                Some(kind) => get(ctx, &name, kind).await?,
                None => find(ctx, &name).await?.1,
            };
            ctx.out.emit(&v, describe)
        }
        PolicyCmd::List { kind } => {
            let params = Params::new().opt("PolicyType", kind.map(PolicyType::as_str));
            let v = ctx
                .client
                .ram_list_all("ListPolicies", params, "Policies", "Policy")
                .await?;
            ctx.out
                .emit(&v, |v| table(items(v, "Policies", "Policy"), &LIST_COLUMNS))
        }
        PolicyCmd::Delete { name } => {
            let params = Params::new()
                .set("PolicyName", name.as_str())
                .set("CascadingDelete", "true");
            let v = ctx.client.ram("DeletePolicy", params).await?;
            ctx.out.emit(&v, |_| format!("Deleted policy {name}."))
        }
        PolicyCmd::Update { name, document } => super::versions::update(ctx, &name, document).await,
        PolicyCmd::Version(cmd) => super::versions::run(cmd, ctx).await,
    }
}

/// GetPolicy of one type.
async fn get(ctx: &Ctx, name: &str, kind: PolicyType) -> anyhow::Result<Value> {
    let params = Params::new()
        .set("PolicyName", name)
        .set("PolicyType", kind.as_str());
    ctx.client.ram("GetPolicy", params).await
}

/// The policy named `name` and its type: the system policy if one has the name, else the
/// custom one.
pub(super) async fn find(ctx: &Ctx, name: &str) -> anyhow::Result<(PolicyType, Value)> {
    match get(ctx, name, PolicyType::System).await {
        Ok(v) => Ok((PolicyType::System, v)),
        Err(e) if has_code(&e, "EntityNotExist.Policy") => {
            let v = get(ctx, name, PolicyType::Custom).await?;
            Ok((PolicyType::Custom, v))
        }
        Err(e) => Err(e),
    }
}

/// The summary of a GetPolicy response: fields, then the default version's document.
fn describe(v: &Value) -> String {
    let mut out = kv(&v["Policy"], &POLICY_FIELDS);
    let doc = at(v, &["DefaultPolicyVersion", "PolicyDocument"])
        .or_else(|| at(v, &["Policy", "PolicyDocument"]))
        .map(text)
        .unwrap_or_default();
    if !doc.is_empty() {
        out.push_str("Document:\n");
        out.push_str(&document(&doc));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn describes_a_policy() {
        let v = json!({
            "Policy": {"PolicyName": "P", "PolicyType": "Custom", "DefaultVersion": "v1", "AttachmentCount": 0},
            "DefaultPolicyVersion": {"PolicyDocument": "{\"Version\":\"1\"}", "VersionId": "v1"}
        });
        assert_eq!(
            describe(&v),
            "PolicyName       P\nPolicyType       Custom\nDefaultVersion   v1\nAttachmentCount  0\n\
             Document:\n{\n  \"Version\": \"1\"\n}"
        );
    }
}
