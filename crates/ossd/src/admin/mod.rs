//! `ossd admin`: manage RAM users, AccessKeys, groups, roles and policies, and call STS, over the
//! server's RPC API (v1 HMAC-SHA1 signed `POST /` requests, docs/protocol/sts.md,
//! docs/protocol/ram.md#ram-api); and server operations (`lifecycle run`, `audit tail`, `backup`)
//! over OSS-signed requests to `/-/admin/...`; and `restore`, offline. The connection settings,
//! the OSS V4 signer and the HTTP transport are shared with the object commands (`crate::cli`).

mod attach;
mod audit;
mod backup;
mod client;
pub(crate) mod conn;
mod emulator;
mod groups;
mod keys;
mod lifecycle;
pub(crate) mod oss_request;
mod output;
mod policies;
mod request;
mod response;
mod restore;
mod roles;
mod sts;
pub(crate) mod transport;
mod users;
mod versions;

use clap::Subcommand;

use self::client::Client;
use self::output::Printer;
use self::response::ApiError;

/// Flags and subcommand of `ossd admin`.
#[derive(Debug, clap::Args)]
pub(crate) struct AdminArgs {
    /// Endpoint, credentials and output format.
    #[command(flatten)]
    conn: conn::ConnArgs,
    /// What to do.
    #[command(subcommand)]
    command: AdminCommand,
}

/// The command families of `ossd admin`.
#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// RAM users.
    #[command(subcommand)]
    User(users::UserCmd),
    /// AccessKeys of a RAM user (or of the caller).
    #[command(subcommand)]
    Key(keys::KeyCmd),
    /// RAM groups and their members.
    #[command(subcommand)]
    Group(groups::GroupCmd),
    /// RAM roles.
    #[command(subcommand)]
    Role(roles::RoleCmd),
    /// Custom and system policies.
    #[command(subcommand)]
    Policy(policies::PolicyCmd),
    /// Attach a policy to a user, group or role.
    Attach(attach::AttachArgs),
    /// Detach a policy from a user, group or role.
    Detach(attach::AttachArgs),
    /// List the policies attached to a user, group or role.
    PoliciesFor(attach::Target),
    /// Security Token Service: temporary credentials and the caller's identity.
    #[command(subcommand)]
    Sts(sts::StsCmd),
    /// Bucket lifecycle rules: apply them now (root AccessKey only).
    #[command(subcommand)]
    Lifecycle(lifecycle::LifecycleCmd),
    /// Move or show the clock of a `--dev` server (expiry tests; root only).
    Clock(emulator::ClockArgs),
    /// Return a `--dev` / `--seed` server to its seeded state (root only).
    Reset,
    /// The audit trail of RAM/STS changes, denials and administrative actions (root only).
    #[command(subcommand)]
    Audit(audit::AuditCmd),
    /// Back up metadata and data while the server runs, into a directory on its machine
    /// (root only).
    Backup(backup::BackupArgs),
    /// Restore a backup into a data directory (offline: `--data-dir` is the target; no server
    /// or credentials needed).
    Restore(restore::RestoreArgs),
}

/// What every command needs: the client and the printer.
pub(crate) struct Ctx {
    /// Signed RPC client.
    pub client: Client,
    /// Output format.
    pub out: Printer,
}

/// Runs `ossd admin`; on failure prints `Code: Message (RequestId)` (or the local error) to
/// stderr and exits with status 1.
pub(crate) fn run(args: AdminArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    if let Err(e) = runtime.block_on(execute(args)) {
        match e.downcast_ref::<ApiError>() {
            Some(api) => eprintln!("{api}"),
            None => eprintln!("error: {e:#}"),
        }
        std::process::exit(1);
    }
    Ok(())
}

/// Builds the context and dispatches to the command family.
async fn execute(args: AdminArgs) -> anyhow::Result<()> {
    // Restore is offline: no endpoint, no credentials.
    let data_dir = args.conn.data_dir.clone();
    if let AdminCommand::Restore(r) = &args.command {
        return restore::run(r, &data_dir);
    }
    let ctx = Ctx {
        client: Client::new(&args.conn)?,
        out: Printer::new(args.conn.json),
    };
    match args.command {
        AdminCommand::User(cmd) => users::run(cmd, &ctx).await,
        AdminCommand::Key(cmd) => keys::run(cmd, &ctx).await,
        AdminCommand::Group(cmd) => groups::run(cmd, &ctx).await,
        AdminCommand::Role(cmd) => roles::run(cmd, &ctx).await,
        AdminCommand::Policy(cmd) => policies::run(cmd, &ctx).await,
        AdminCommand::Attach(a) => attach::attach(a, true, &ctx).await,
        AdminCommand::Detach(a) => attach::attach(a, false, &ctx).await,
        AdminCommand::PoliciesFor(t) => attach::policies_for(t, &ctx).await,
        AdminCommand::Sts(cmd) => sts::run(cmd, &ctx).await,
        AdminCommand::Lifecycle(cmd) => lifecycle::run(cmd, &ctx).await,
        AdminCommand::Clock(a) => emulator::clock(a, &ctx).await,
        AdminCommand::Reset => emulator::reset(&ctx).await,
        AdminCommand::Audit(cmd) => audit::run(cmd, &ctx).await,
        AdminCommand::Backup(a) => backup::run(a, &ctx).await,
        AdminCommand::Restore(r) => restore::run(&r, &data_dir),
    }
}

/// Reads a file, or standard input for `-`.
pub(crate) fn read_input(path: &std::path::Path) -> anyhow::Result<String> {
    use anyhow::Context;
    use std::io::Read;
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading standard input")?;
    } else {
        text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    }
    Ok(text.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    /// A stand-in for the binary's top-level parser.
    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        admin: AdminArgs,
    }

    fn parse(args: &[&str]) -> Result<AdminArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("admin").chain(args.iter().copied())).map(|c| c.admin)
    }

    #[test]
    fn command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_anywhere() -> Result<(), clap::Error> {
        let a = parse(&["user", "list", "--json", "--endpoint", "https://h:1"])?;
        assert!(a.conn.json);
        assert_eq!(a.conn.endpoint.as_deref(), Some("https://h:1"));
        assert!(matches!(
            a.command,
            AdminCommand::User(users::UserCmd::List)
        ));
        Ok(())
    }

    #[test]
    fn exactly_one_target() {
        assert!(parse(&["attach", "--policy", "P", "--user", "u"]).is_ok());
        assert!(parse(&["attach", "--policy", "P", "--type", "custom", "--role", "r"]).is_ok());
        assert!(parse(&["attach", "--policy", "P", "--user", "u", "--role", "r"]).is_err());
        assert!(parse(&["detach", "--policy", "P"]).is_err());
        assert!(parse(&["policies-for", "--group", "g"]).is_ok());
        assert!(parse(&["policy", "get", "P", "--type", "Bogus"]).is_err());
    }

    #[test]
    fn role_trust_flags_conflict() {
        let both = [
            "role",
            "create",
            "R",
            "--trust-account",
            "1",
            "--trust-policy",
            "f",
        ];
        assert!(parse(&both).is_err());
        assert!(parse(&["role", "create", "R", "--max-session-duration", "7200"]).is_ok());
        let sts = [
            "sts",
            "assume-role",
            "acs:ram::1:role/R",
            "--session",
            "s",
            "--duration",
            "3000",
        ];
        assert!(parse(&sts).is_ok());
    }
}
