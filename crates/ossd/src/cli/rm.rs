//! `ossd rm`: one object (or one version), every object under a prefix (`-r`), or every
//! version and delete marker (`--versions`) of a key or, with `-r`, under a prefix; several
//! deletes at a time.

use serde_json::json;

use super::Ctx;
use super::error::usage;
use super::jobs::run_bounded;
use super::listing;
use super::paths::Remote;
use super::transfer;

/// `ossd rm oss://bucket/key`.
#[derive(Debug, clap::Args)]
pub(crate) struct RmArgs {
    /// Connection and output.
    #[command(flatten)]
    pub common: super::Common,
    /// The object, or with `-r` the prefix: `oss://bucket/key`.
    pub target: String,
    /// Every object under the prefix (as a directory: `oss://b/photos` means `photos/…`).
    #[arg(short, long)]
    pub recursive: bool,
    /// Every version and delete marker, not only the current versions (permanent).
    #[arg(long, conflicts_with = "version_id")]
    pub versions: bool,
    /// Delete this version of the object (permanent).
    #[arg(long, conflicts_with = "recursive")]
    pub version_id: Option<String>,
}

/// Deletes.
pub(crate) async fn run(args: RmArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let target = Remote::parse(&args.target)?;
    match (args.recursive, args.versions) {
        (false, false) => {
            if target.key.is_empty() {
                return Err(usage(format!(
                    "{target} names no object (rb removes buckets)"
                )));
            }
            delete(ctx, &target, args.version_id.as_deref()).await
        }
        (true, false) => {
            let prefix = target.dir_prefix();
            let objects = listing::all_objects(&ctx.client, &target.bucket, &prefix).await?;
            let tasks = objects.into_iter().map(|o| {
                let (ctx, one) = (ctx.clone(), target.with_key(o.key));
                async move { delete(&ctx, &one, None).await }
            });
            run_bounded(tasks, DELETES_AT_ONCE).await
        }
        (recursive, true) => {
            let prefix = if recursive {
                target.dir_prefix()
            } else {
                target.key.clone()
            };
            let all = listing::all_versions(&ctx.client, &target.bucket, &prefix).await?;
            for v in all
                .iter()
                .filter(|v| recursive || v.object.key == target.key)
            {
                delete(
                    ctx,
                    &target.with_key(v.object.key.as_str()),
                    Some(&v.version_id),
                )
                .await?;
            }
            Ok(())
        }
    }
}

/// Deletes sent at once by `rm -r` and `rb --force`.
pub(crate) const DELETES_AT_ONCE: usize = 8;

/// Deletes one object or version and prints the action.
pub(crate) async fn delete(
    ctx: &Ctx,
    target: &Remote,
    version: Option<&str>,
) -> anyhow::Result<()> {
    transfer::delete(&ctx.client, target, version).await?;
    ctx.out.action(
        &json!({"action": "delete", "target": target.to_string(), "version_id": version}),
        || match version {
            Some(v) => format!("delete: {target} (version {v})"),
            None => format!("delete: {target}"),
        },
    )
}
