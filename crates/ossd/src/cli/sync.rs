//! `ossd sync`: make a prefix like a local directory (upload what is new or changed) or a local
//! directory like a prefix (download), by size and ETag (the ETag this CLI's upload would give
//! the file, docs/protocol/objects.md#etag) or by size and modification time; `--delete`
//! removes what the source does not have.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::SystemTime;

use serde_json::json;

use super::Ctx;
use super::error::usage;
use super::etag::{local_etag, same};
use super::listing::{self, ObjectEntry};
use super::paths::{Location, Remote, local_path_for};
use super::transfer::{self, PutOptions, TransferArgs, Tuning};
use super::walk::{self, LocalFile};

/// `ossd sync SOURCE TARGET`.
#[derive(Debug, clap::Args)]
pub(crate) struct SyncArgs {
    /// Connection and output.
    #[command(flatten)]
    pub common: super::Common,
    /// A local directory or `oss://bucket/prefix`.
    pub source: String,
    /// `oss://bucket/prefix` or a local directory.
    pub target: String,
    /// Also delete what exists only in the target.
    #[arg(long)]
    pub delete: bool,
    /// How an existing file and object are compared (besides their size).
    #[arg(long, value_enum, default_value_t = Compare::Etag)]
    pub compare: Compare,
    /// Print what would be done; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Multipart settings (also what a local file's ETag is computed with).
    #[command(flatten)]
    pub tuning: TransferArgs,
}

/// How a file and an object of the same size are found to differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Compare {
    /// The file's would-be ETag differs from the object's.
    Etag,
    /// The source is newer than the target.
    Mtime,
}

/// Runs a sync.
pub(crate) async fn run(args: SyncArgs, ctx: &Ctx) -> anyhow::Result<()> {
    match (
        Location::parse(&args.source)?,
        Location::parse(&args.target)?,
    ) {
        (Location::Local(dir), Location::Remote(prefix)) => up(&args, ctx, &dir, &prefix).await,
        (Location::Remote(prefix), Location::Local(dir)) => down(&args, ctx, &prefix, &dir).await,
        _ => Err(usage(
            "sync goes between a local directory and oss://bucket/prefix",
        )),
    }
}

/// The objects under `prefix` (as a directory) by relative key; "directory" markers left out.
async fn remote_map(ctx: &Ctx, prefix: &Remote) -> anyhow::Result<BTreeMap<String, ObjectEntry>> {
    let dir = prefix.dir_prefix();
    let objects = listing::all_objects(&ctx.client, &prefix.bucket, &dir).await?;
    Ok(objects
        .into_iter()
        .filter_map(|o| {
            let rel = o.key.strip_prefix(&dir)?.to_owned();
            (!rel.is_empty() && !rel.ends_with('/')).then_some((rel, o))
        })
        .collect())
}

/// Whether the file and the object differ.
async fn differs(
    file: &LocalFile,
    object: &ObjectEntry,
    compare: Compare,
    tuning: Tuning,
    upload: bool,
) -> anyhow::Result<bool> {
    if file.size != object.size {
        return Ok(true);
    }
    match compare {
        Compare::Etag => Ok(!same(&local_etag(&file.path, tuning).await?, &object.etag)),
        Compare::Mtime => {
            let remote = time::OffsetDateTime::parse(
                &object.last_modified,
                &time::format_description::well_known::Rfc3339,
            )
            .map(SystemTime::from)
            .unwrap_or(SystemTime::UNIX_EPOCH);
            Ok(if upload {
                file.modified > remote
            } else {
                remote > file.modified
            })
        }
    }
}

async fn up(args: &SyncArgs, ctx: &Ctx, dir: &Path, prefix: &Remote) -> anyhow::Result<()> {
    if !dir.is_dir() {
        return Err(usage(format!("{} is not a directory", dir.display())));
    }
    let tuning = args.tuning.tuning();
    let local = walk::files(dir)?;
    let remote = remote_map(ctx, prefix).await?;
    let opts = PutOptions::default();
    for file in &local {
        let changed = match remote.get(&file.rel) {
            None => true,
            Some(o) => differs(file, o, args.compare, tuning, true).await?,
        };
        if !changed {
            continue;
        }
        let target = prefix.join(&file.rel);
        let source = file.path.display().to_string();
        if args.dry_run {
            report(ctx, "upload", &source, &target.to_string(), true)?;
            continue;
        }
        let done = transfer::upload(
            &ctx.client,
            &file.path,
            &target,
            &opts,
            tuning,
            ctx.out.progress(),
        )
        .await?;
        ctx.out.action(
            &done.to_json("upload", &source, &target.to_string()),
            || format!("upload: {source} -> {target}"),
        )?;
    }
    if args.delete {
        let keep: BTreeSet<&str> = local.iter().map(|f| f.rel.as_str()).collect();
        for rel in remote.keys().filter(|r| !keep.contains(r.as_str())) {
            let target = prefix.join(rel);
            if !args.dry_run {
                transfer::delete(&ctx.client, &target, None).await?;
            }
            report(ctx, "delete", "", &target.to_string(), args.dry_run)?;
        }
    }
    Ok(())
}

async fn down(args: &SyncArgs, ctx: &Ctx, prefix: &Remote, dir: &Path) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(usage(format!("{} is not a directory", dir.display())));
    }
    let tuning = args.tuning.tuning();
    let remote = remote_map(ctx, prefix).await?;
    let local: BTreeMap<String, LocalFile> = if dir.is_dir() {
        walk::files(dir)?
            .into_iter()
            .map(|f| (f.rel.clone(), f))
            .collect()
    } else {
        BTreeMap::new()
    };
    for (rel, object) in &remote {
        let path = local_path_for(dir, rel)?;
        let changed = match local.get(rel) {
            None => true,
            Some(f) => differs(f, object, args.compare, tuning, false).await?,
        };
        if !changed {
            continue;
        }
        let source = prefix.join(rel);
        let target = path.display().to_string();
        if args.dry_run {
            report(ctx, "download", &source.to_string(), &target, true)?;
            continue;
        }
        let done =
            transfer::download(&ctx.client, &source, None, &path, ctx.out.progress()).await?;
        ctx.out.action(
            &done.to_json("download", &source.to_string(), &target),
            || format!("download: {source} -> {target}"),
        )?;
    }
    if args.delete {
        for file in local.values().filter(|f| !remote.contains_key(&f.rel)) {
            if !args.dry_run {
                tokio::fs::remove_file(&file.path).await?;
            }
            report(
                ctx,
                "delete",
                "",
                &file.path.display().to_string(),
                args.dry_run,
            )?;
        }
    }
    Ok(())
}

/// An action line without a transfer (a delete, or anything under `--dry-run`).
fn report(
    ctx: &Ctx,
    action: &str,
    source: &str,
    target: &str,
    dry_run: bool,
) -> anyhow::Result<()> {
    let value = json!({
        "action": action,
        "source": (!source.is_empty()).then_some(source),
        "target": target,
        "dry_run": dry_run,
    });
    ctx.out.action(&value, || {
        let lead = if dry_run { "(dry run) " } else { "" };
        match source.is_empty() {
            true => format!("{lead}{action}: {target}"),
            false => format!("{lead}{action}: {source} -> {target}"),
        }
    })
}
