//! The object commands of `ossd` — `mb`, `rb`, `ls`, `cp`, `mv`, `rm`, `cat`, `stat`,
//! `presign`, `sync` — for everyday work against an OSS endpoint (docs/cli.md). They sign with
//! V4 through the signer, HTTP transport and connection settings of `ossd admin`
//! (`crate::admin::{conn, oss_request, transport}`), path-style.

mod bucket;
mod client;
mod cp;
mod error;
mod etag;
mod jobs;
mod listing;
mod ls;
mod multipart;
mod object;
mod output;
mod paths;
mod presign;
mod progress;
mod resume;
mod rm;
mod sync;
mod transfer;
mod units;
mod walk;
mod xml;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Subcommand;

use crate::admin::conn::{ConnArgs, CredentialSource};

use self::client::ObjectClient;
use self::error::{OssError, UsageError};
use self::output::Printer;

/// The object commands, at the top level of `ossd`.
#[derive(Debug, Subcommand)]
pub(crate) enum ObjectCommand {
    /// Make a bucket: `ossd mb oss://demo`.
    Mb(bucket::MbArgs),
    /// Remove a bucket (`--force`: every object, version and upload in it first).
    Rb(bucket::RbArgs),
    /// List buckets, or the objects and prefixes under `oss://bucket/prefix`.
    Ls(ls::LsArgs),
    /// Copy local → remote, remote → local or remote → remote (`-r` for directories).
    Cp(cp::CpArgs),
    /// Move: copy, then remove the source.
    Mv(cp::CpArgs),
    /// Remove objects (`-r` for a prefix, `--versions` for every version).
    Rm(rm::RmArgs),
    /// Write an object to standard output.
    Cat(object::CatArgs),
    /// Show an object's size, ETag, type, metadata and version.
    Stat(object::StatArgs),
    /// Print a presigned URL (V4) for a GET or a PUT.
    Presign(presign::PresignArgs),
    /// Make a prefix like a local directory, or a local directory like a prefix.
    Sync(sync::SyncArgs),
}

/// Flags every object command takes: the connection (as `ossd admin`) and `--quiet`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Common {
    /// Endpoint, credentials and `--json`.
    #[command(flatten)]
    pub conn: ConnArgs,
    /// Print no per-object action lines and no progress (results and errors still print).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// What every command runs with: the client and the printer (cheap to clone into tasks).
#[derive(Clone)]
pub(crate) struct Ctx {
    /// Signed OSS client, shared with parallel transfers.
    pub client: Arc<ObjectClient>,
    /// Output modes.
    pub out: Printer,
}

/// Exit status of a failed request or local failure.
const EXIT_ERROR: u8 = 1;
/// Exit status of a command line that cannot be acted on (as clap's own usage errors).
const EXIT_USAGE: u8 = 2;

/// Runs an object command; on failure prints `ossd: <Code>: <Message> (RequestId …)` (or the
/// local error) to stderr and exits 1, or 2 for a usage error.
pub(crate) fn run(command: ObjectCommand) -> ExitCode {
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| runtime.block_on(execute(command)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if closed_output(&e) => ExitCode::SUCCESS,
        Err(e) => {
            progress::clear_line();
            if let Some(oss) = e.downcast_ref::<OssError>() {
                eprintln!("ossd: {oss}");
                ExitCode::from(EXIT_ERROR)
            } else if let Some(usage) = e.downcast_ref::<UsageError>() {
                eprintln!("ossd: {usage}");
                ExitCode::from(EXIT_USAGE)
            } else {
                eprintln!("ossd: {e:#}");
                ExitCode::from(EXIT_ERROR)
            }
        }
    }
}

/// Whether the error is standard output closed by its reader (`ossd ls | head`): not a failure.
fn closed_output(e: &anyhow::Error) -> bool {
    e.downcast_ref::<output::StdoutClosed>().is_some()
}

/// Builds the context from the command's common flags and runs it.
async fn execute(command: ObjectCommand) -> anyhow::Result<()> {
    let common = match &command {
        ObjectCommand::Mb(a) => &a.common,
        ObjectCommand::Rb(a) => &a.common,
        ObjectCommand::Ls(a) => &a.common,
        ObjectCommand::Cp(a) | ObjectCommand::Mv(a) => &a.common,
        ObjectCommand::Rm(a) => &a.common,
        ObjectCommand::Cat(a) => &a.common,
        ObjectCommand::Stat(a) => &a.common,
        ObjectCommand::Presign(a) => &a.common,
        ObjectCommand::Sync(a) => &a.common,
    };
    let ctx = Ctx {
        client: Arc::new(ObjectClient::new(&common.conn)?),
        out: Printer::new(common.conn.json, common.quiet),
    };
    let result = match command {
        ObjectCommand::Mb(a) => bucket::mb(a, &ctx).await,
        ObjectCommand::Rb(a) => bucket::rb(a, &ctx).await,
        ObjectCommand::Ls(a) => ls::run(a, &ctx).await,
        ObjectCommand::Cp(a) => cp::run(a, cp::Mode::Copy, &ctx).await,
        ObjectCommand::Mv(a) => cp::run(a, cp::Mode::Move, &ctx).await,
        ObjectCommand::Rm(a) => rm::run(a, &ctx).await,
        ObjectCommand::Cat(a) => object::cat(a, &ctx).await,
        ObjectCommand::Stat(a) => object::stat(a, &ctx).await,
        ObjectCommand::Presign(a) => presign::run(a, &ctx),
        ObjectCommand::Sync(a) => sync::run(a, &ctx).await,
    };
    result.map_err(|e| explain(e, &ctx))
}

/// Adds a hint to an error whose likely cause the CLI knows: an AccessKey the server does not
/// know, taken from a source the user may not have meant (the `--dev` key because nothing named
/// credentials, the Alibaba Cloud tools' `OSS_*` variables, a profile).
fn explain(e: anyhow::Error, ctx: &Ctx) -> anyhow::Error {
    match e.downcast::<OssError>() {
        Ok(mut oss) => {
            if oss.code == "InvalidAccessKeyId" {
                oss.hint = source_hint(ctx.client.source());
            }
            oss.into()
        }
        Err(e) => e,
    }
}

/// Where an unknown AccessKey came from, and how to name another.
fn source_hint(source: &CredentialSource) -> Option<String> {
    const SET: &str = "set OSSD_ACCESS_KEY_ID and OSSD_ACCESS_KEY_SECRET";
    match source {
        CredentialSource::Dev => Some(format!(
            "no credentials were set and there is no ossd-data/identity.json here, so the --dev \
             root key was used; {SET}, or --data-dir to the server's data directory"
        )),
        CredentialSource::OssEnv => Some(format!(
            "the AccessKey came from OSS_ACCESS_KEY_ID (the Alibaba Cloud tools' variable, read \
             when OSSD_ACCESS_KEY_ID is not set); {SET}, or unset OSS_ACCESS_KEY_ID"
        )),
        CredentialSource::Profile { name, path } => Some(format!(
            "the AccessKey came from the profile {name:?} in {}; {SET}, or pick another \
             profile with --profile",
            path.display()
        )),
        CredentialSource::Flags | CredentialSource::IdentityFile => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    /// A stand-in for the binary's top-level parser.
    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        command: ObjectCommand,
    }

    fn parse(args: &[&str]) -> Result<ObjectCommand, clap::Error> {
        Cli::try_parse_from(std::iter::once("ossd").chain(args.iter().copied())).map(|c| c.command)
    }

    #[test]
    fn command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flags() -> Result<(), clap::Error> {
        let ObjectCommand::Cp(a) = parse(&[
            "cp",
            "-r",
            "dir",
            "oss://b/p/",
            "--json",
            "--part-size",
            "5MiB",
            "--endpoint",
            "http://h:1",
        ])?
        else {
            panic!("not cp");
        };
        assert!(a.recursive && a.common.conn.json);
        assert_eq!(a.tuning.part_size, 5 << 20);
        assert_eq!(a.common.conn.endpoint.as_deref(), Some("http://h:1"));
        assert!(parse(&["cp", "only-one"]).is_err());
        assert!(parse(&["ls"]).is_ok());
        assert!(parse(&["presign", "oss://b/k", "--method", "DELETE"]).is_err());
        assert!(parse(&["sync", "a", "oss://b", "--compare", "mtime", "--delete"]).is_ok());
        Ok(())
    }
}
