//! `ossd sync`: make a prefix like a local directory (upload what is new or changed) or a local
//! directory like a prefix (download), by size and ETag (the ETag this CLI's upload would give
//! the file, docs/protocol/objects.md#etag) or by size and modification time; `--delete`
//! removes what the source does not have. `--parallel` files are compared and transferred at
//! a time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use anyhow::Context;
use serde_json::json;

use super::Ctx;
use super::error::usage;
use super::etag::{local_etag, same};
use super::jobs::run_bounded;
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

/// What every file of one sync shares.
struct Job {
    ctx: Ctx,
    compare: Compare,
    tuning: Tuning,
    dry_run: bool,
}

impl Job {
    fn new(args: &SyncArgs, ctx: &Ctx) -> Arc<Self> {
        Arc::new(Self {
            ctx: ctx.clone(),
            compare: args.compare,
            tuning: args.tuning.tuning(),
            dry_run: args.dry_run,
        })
    }

    /// Uploads `file` to `target` unless `object` (what is there now) is the same.
    async fn up_one(
        &self,
        file: LocalFile,
        object: Option<ObjectEntry>,
        target: Remote,
    ) -> anyhow::Result<()> {
        if let Some(o) = &object
            && !differs(&file, o, self.compare, self.tuning, true).await?
        {
            return Ok(());
        }
        let source = file.path.display().to_string();
        if self.dry_run {
            return report(&self.ctx, "upload", &source, &target.to_string(), true);
        }
        let done = transfer::upload(
            &self.ctx.client,
            &file.path,
            &target,
            &PutOptions::default(),
            self.tuning,
            self.ctx.out.progress(),
        )
        .await?;
        self.ctx.out.action(
            &done.to_json("upload", &source, &target.to_string()),
            || done.to_line("upload", &source, &target.to_string()),
        )
    }

    /// Downloads `source` to `path` unless `file` (what is there now) is the same.
    async fn down_one(
        &self,
        source: Remote,
        object: ObjectEntry,
        file: Option<LocalFile>,
        path: PathBuf,
    ) -> anyhow::Result<()> {
        if let Some(f) = &file
            && !differs(f, &object, self.compare, self.tuning, false).await?
        {
            return Ok(());
        }
        let target = path.display().to_string();
        if self.dry_run {
            return report(&self.ctx, "download", &source.to_string(), &target, true);
        }
        let done = transfer::download(
            &self.ctx.client,
            &source,
            None,
            &path,
            self.ctx.out.progress(),
        )
        .await?;
        self.ctx.out.action(
            &done.to_json("download", &source.to_string(), &target),
            || format!("download: {source} -> {target}"),
        )
    }

    /// Deletes the object `target` (`--delete`).
    async fn delete_remote(&self, target: Remote) -> anyhow::Result<()> {
        if !self.dry_run {
            transfer::delete(&self.ctx.client, &target, None).await?;
        }
        report(&self.ctx, "delete", "", &target.to_string(), self.dry_run)
    }
}

async fn up(args: &SyncArgs, ctx: &Ctx, dir: &Path, prefix: &Remote) -> anyhow::Result<()> {
    if !dir.is_dir() {
        return Err(usage(format!("{} is not a directory", dir.display())));
    }
    let job = Job::new(args, ctx);
    let local = walk::files(dir)?;
    let remote = remote_map(ctx, prefix).await?;
    let keep: BTreeSet<String> = local.iter().map(|f| f.rel.clone()).collect();
    let uploads = local.into_iter().map(|file| {
        let (job, object) = (Arc::clone(&job), remote.get(&file.rel).cloned());
        let target = prefix.join(&file.rel);
        async move { job.up_one(file, object, target).await }
    });
    run_bounded(uploads, job.tuning.parallel).await?;
    if args.delete {
        let deletes = remote
            .into_keys()
            .filter(|rel| !keep.contains(rel))
            .map(|rel| {
                let (job, target) = (Arc::clone(&job), prefix.join(&rel));
                async move { job.delete_remote(target).await }
            });
        run_bounded(deletes, job.tuning.parallel).await?;
    }
    Ok(())
}

async fn down(args: &SyncArgs, ctx: &Ctx, prefix: &Remote, dir: &Path) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(usage(format!("{} is not a directory", dir.display())));
    }
    let job = Job::new(args, ctx);
    let remote = remote_map(ctx, prefix).await?;
    let local: BTreeMap<String, LocalFile> = if dir.is_dir() {
        walk::files(dir)?
            .into_iter()
            .map(|f| (f.rel.clone(), f))
            .collect()
    } else {
        BTreeMap::new()
    };
    let mut downloads = Vec::new();
    for (rel, object) in &remote {
        let path = local_path_for(dir, rel)?;
        let (job, file) = (Arc::clone(&job), local.get(rel).cloned());
        let (source, object) = (prefix.join(rel), object.clone());
        downloads.push(async move { job.down_one(source, object, file, path).await });
    }
    run_bounded(downloads, job.tuning.parallel).await?;
    if args.delete {
        for file in local.values().filter(|f| !remote.contains_key(&f.rel)) {
            if !args.dry_run {
                tokio::fs::remove_file(&file.path)
                    .await
                    .with_context(|| format!("removing {}", file.path.display()))?;
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
