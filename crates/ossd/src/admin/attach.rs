//! `ossd admin attach|detach|policies-for`: AttachPolicyTo*, DetachPolicyFrom*,
//! ListPoliciesFor* for a user, a group or a role.

use super::Ctx;
use super::output::{items, table};
use super::policies::{PolicyType, find};
use super::request::Params;

/// Columns of `policies-for`.
const LIST_COLUMNS: [&str; 5] = [
    "PolicyName",
    "PolicyType",
    "DefaultVersion",
    "AttachDate",
    "Description",
];

/// Exactly one of a user, a group or a role.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub(super) struct Target {
    /// A RAM user.
    #[arg(long)]
    user: Option<String>,
    /// A RAM group.
    #[arg(long)]
    group: Option<String>,
    /// A RAM role.
    #[arg(long)]
    role: Option<String>,
}

/// The kind of entity a policy is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// RAM user.
    User,
    /// RAM group.
    Group,
    /// RAM role.
    Role,
}

impl Kind {
    /// The action suffix (`AttachPolicyTo{User}`) and the word shown to people.
    fn noun(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
            Self::Role => "Role",
        }
    }

    /// The name parameter.
    fn param(self) -> &'static str {
        match self {
            Self::User => "UserName",
            Self::Group => "GroupName",
            Self::Role => "RoleName",
        }
    }
}

impl Target {
    /// The entity kind and name (clap guarantees exactly one is set).
    fn entity(&self) -> anyhow::Result<(Kind, &str)> {
        let given = [
            (Kind::User, &self.user),
            (Kind::Group, &self.group),
            (Kind::Role, &self.role),
        ];
        given
            .into_iter()
            .find_map(|(k, n)| n.as_deref().map(|n| (k, n)))
            .ok_or_else(|| anyhow::anyhow!("give one of --user, --group or --role"))
    }
}

/// Flags of `attach` and `detach`.
#[derive(Debug, clap::Args)]
pub(super) struct AttachArgs {
    /// Policy name.
    #[arg(long)]
    policy: String,
    /// Policy type (default: System if a system policy has the name, else Custom).
    #[arg(long = "type", value_enum, ignore_case = true)]
    kind: Option<PolicyType>,
    /// The user, group or role.
    #[command(flatten)]
    target: Target,
}

/// Attaches (`attach = true`) or detaches the policy.
pub(super) async fn attach(args: AttachArgs, attach: bool, ctx: &Ctx) -> anyhow::Result<()> {
    let (kind, name) = args.target.entity()?;
    let policy_type = match args.kind {
        Some(t) => t,
        None => find(ctx, &args.policy).await?.0,
    };
    let action = if attach {
        format!("AttachPolicyTo{}", kind.noun())
    } else {
        format!("DetachPolicyFrom{}", kind.noun())
    };
    let params = Params::new()
        .set("PolicyName", args.policy.as_str())
        .set("PolicyType", policy_type.as_str())
        .set(kind.param(), name);
    let v = ctx.client.ram(&action, params).await?;
    let (verb, prep) = if attach {
        ("Attached", "to")
    } else {
        ("Detached", "from")
    };
    ctx.out.emit(&v, |_| {
        format!(
            "{verb} {} policy {} {prep} {} {name}.",
            policy_type.as_str(),
            args.policy,
            kind.noun().to_lowercase()
        )
    })
}

/// Lists the policies attached to the target.
pub(super) async fn policies_for(target: Target, ctx: &Ctx) -> anyhow::Result<()> {
    let (kind, name) = target.entity()?;
    let action = format!("ListPoliciesFor{}", kind.noun());
    let v = ctx
        .client
        .ram(&action, Params::new().set(kind.param(), name))
        .await?;
    ctx.out
        .emit(&v, |v| table(items(v, "Policies", "Policy"), &LIST_COLUMNS))
}
