//! `ossd cp` and `ossd mv`: local → remote (upload), remote → local (download), remote → remote
//! (CopyObject); `-r` for a directory or prefix, `--parallel` objects at a time; `-` is standard
//! input or output. `mv` removes each source once its copy is done.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use hyper::body::Bytes;

use super::Ctx;
use super::error::usage;
use super::jobs::run_bounded;
use super::listing;
use super::object::write_object_to_stdout;
use super::paths::{Location, Remote, local_path_for};
use super::transfer::{self, Done, PutOptions, TransferArgs, Tuning};
use super::walk;

/// `ossd cp|mv SOURCE TARGET`.
#[derive(Debug, clap::Args)]
pub(crate) struct CpArgs {
    /// Connection and output.
    #[command(flatten)]
    pub common: super::Common,
    /// A local path, `oss://bucket/key`, or `-` (standard input).
    pub source: String,
    /// A local path, `oss://bucket/key`, or `-` (standard output); a target ending with `/` (or
    /// an existing directory) receives the source's name.
    pub target: String,
    /// Copy a directory or every object under a prefix.
    #[arg(short, long)]
    pub recursive: bool,
    /// The source version to read (remote sources).
    #[arg(long)]
    pub version_id: Option<String>,
    /// `Content-Type` of uploaded objects (default: from the file name).
    #[arg(long)]
    pub content_type: Option<String>,
    /// User metadata of uploaded objects, `name=value` (repeatable).
    #[arg(long = "meta", value_parser = parse_meta)]
    pub meta: Vec<(String, String)>,
    /// Multipart settings.
    #[command(flatten)]
    pub tuning: TransferArgs,
}

/// Copy or move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `cp`.
    Copy,
    /// `mv`: the source is removed after its copy.
    Move,
}

/// Parses `name=value`.
fn parse_meta(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("{s:?} is not name=value")),
    }
}

/// What every single transfer of one invocation shares.
struct Job {
    ctx: Ctx,
    mode: Mode,
    put: PutOptions,
    tuning: Tuning,
}

/// Runs `cp` or `mv`.
pub(crate) async fn run(args: CpArgs, mode: Mode, ctx: &Ctx) -> anyhow::Result<()> {
    let source = Location::parse(&args.source)?;
    let target = Location::parse(&args.target)?;
    let job = Arc::new(Job {
        ctx: ctx.clone(),
        mode,
        put: PutOptions {
            content_type: args.content_type.clone(),
            meta: args.meta.clone(),
        },
        tuning: args.tuning.tuning(),
    });
    match (source, target) {
        (Location::Local(_), Location::Local(_)) => Err(usage(
            "both paths are local; one of them must be oss://bucket/key",
        )),
        (Location::Local(src), Location::Remote(dst)) => upload_from(&job, &args, src, dst).await,
        (Location::Remote(src), Location::Local(dst)) => download_to(&job, &args, src, dst).await,
        (Location::Remote(src), Location::Remote(dst)) => {
            remote_to_remote(&job, &args, src, dst).await
        }
    }
}

async fn upload_from(
    job: &Arc<Job>,
    args: &CpArgs,
    src: PathBuf,
    dst: Remote,
) -> anyhow::Result<()> {
    if src.as_os_str() == "-" {
        if dst.is_dir_like() || job.mode == Mode::Move {
            return Err(usage(
                "standard input needs a full object key (cp - oss://b/key)",
            ));
        }
        let mut data = Vec::new();
        std::io::stdin()
            .read_to_end(&mut data)
            .context("reading standard input")?;
        let size = data.len() as u64;
        let headers = job.put.headers(&dst.key);
        let etag = transfer::put_bytes(&job.ctx.client, Bytes::from(data), &dst, headers).await?;
        let done = Done {
            size,
            etag: Some(etag),
            kept_parts: 0,
        };
        return report(job, &done, "upload", "-", &dst.to_string());
    }
    let meta = std::fs::metadata(&src).with_context(|| format!("reading {}", src.display()))?;
    if meta.is_dir() {
        if !args.recursive {
            return Err(usage(format!("{} is a directory (use -r)", src.display())));
        }
        let tasks = walk::files(&src)?.into_iter().map(|file| {
            let job = Arc::clone(job);
            let target = dst.join(&file.rel);
            async move { upload_one(&job, &file.path, &target).await }
        });
        return run_bounded(tasks, job.tuning.parallel).await;
    }
    let target = if dst.is_dir_like() {
        let name = src
            .file_name()
            .and_then(|n| n.to_str())
            .with_context(|| format!("{} has no UTF-8 file name", src.display()))?;
        dst.join(name)
    } else {
        dst
    };
    upload_one(job, &src, &target).await
}

async fn upload_one(job: &Job, src: &Path, dst: &Remote) -> anyhow::Result<()> {
    let done = transfer::upload(
        &job.ctx.client,
        src,
        dst,
        &job.put,
        job.tuning,
        job.ctx.out.progress(),
    )
    .await?;
    if job.mode == Mode::Move {
        std::fs::remove_file(src).with_context(|| format!("removing {}", src.display()))?;
    }
    report(
        job,
        &done,
        verb(job, "upload"),
        &src.display().to_string(),
        &dst.to_string(),
    )
}

async fn download_to(
    job: &Arc<Job>,
    args: &CpArgs,
    src: Remote,
    dst: PathBuf,
) -> anyhow::Result<()> {
    if dst.as_os_str() == "-" {
        if args.recursive || job.mode == Mode::Move {
            return Err(usage("standard output takes one object (cp oss://b/key -)"));
        }
        return write_object_to_stdout(&job.ctx, &src, args.version_id.as_deref()).await;
    }
    if args.recursive {
        let prefix = src.dir_prefix();
        let objects = listing::all_objects(&job.ctx.client, &src.bucket, &prefix).await?;
        let mut tasks = Vec::new();
        for o in objects {
            let Some(rel) = o.key.strip_prefix(&prefix).filter(|r| !r.is_empty()) else {
                continue;
            };
            if rel.ends_with('/') {
                continue; // a "directory" marker
            }
            let path = local_path_for(&dst, rel)?;
            let (job, from) = (Arc::clone(job), src.with_key(o.key.as_str()));
            tasks.push(async move { download_one(&job, &from, &path, None).await });
        }
        return run_bounded(tasks, job.tuning.parallel).await;
    }
    if src.is_dir_like() {
        return Err(usage(format!("{src} is a prefix (use -r)")));
    }
    let path = if dst.is_dir() || args.target.ends_with('/') {
        local_path_for(&dst, src.base_name())?
    } else {
        dst
    };
    download_one(job, &src, &path, args.version_id.as_deref()).await
}

async fn download_one(
    job: &Job,
    src: &Remote,
    path: &Path,
    version: Option<&str>,
) -> anyhow::Result<()> {
    let done =
        transfer::download(&job.ctx.client, src, version, path, job.ctx.out.progress()).await?;
    if job.mode == Mode::Move {
        transfer::delete(&job.ctx.client, src, version).await?;
    }
    report(
        job,
        &done,
        verb(job, "download"),
        &src.to_string(),
        &path.display().to_string(),
    )
}

async fn remote_to_remote(
    job: &Arc<Job>,
    args: &CpArgs,
    src: Remote,
    dst: Remote,
) -> anyhow::Result<()> {
    if args.recursive {
        let prefix = src.dir_prefix();
        let objects = listing::all_objects(&job.ctx.client, &src.bucket, &prefix).await?;
        let tasks = objects.into_iter().filter_map(|o| {
            let rel = o.key.strip_prefix(&prefix).filter(|r| !r.is_empty())?;
            let (job, to) = (Arc::clone(job), dst.join(rel));
            let from = src.with_key(o.key.as_str());
            Some(async move { copy_one(&job, &from, &to, None).await })
        });
        return run_bounded(tasks, job.tuning.parallel).await;
    }
    if src.is_dir_like() {
        return Err(usage(format!("{src} is a prefix (use -r)")));
    }
    let target = if dst.is_dir_like() {
        dst.join(src.base_name())
    } else {
        dst
    };
    if target == src && args.version_id.is_none() {
        return Err(usage(format!("{src} would be copied onto itself")));
    }
    copy_one(job, &src, &target, args.version_id.as_deref()).await
}

async fn copy_one(
    job: &Job,
    src: &Remote,
    dst: &Remote,
    version: Option<&str>,
) -> anyhow::Result<()> {
    let done = transfer::copy(
        &job.ctx.client,
        src,
        version,
        dst,
        job.tuning,
        job.ctx.out.progress(),
    )
    .await?;
    if job.mode == Mode::Move {
        transfer::delete(&job.ctx.client, src, version).await?;
    }
    report(
        job,
        &done,
        verb(job, "copy"),
        &src.to_string(),
        &dst.to_string(),
    )
}

fn verb(job: &Job, copy: &'static str) -> &'static str {
    match job.mode {
        Mode::Copy => copy,
        Mode::Move => "move",
    }
}

fn report(job: &Job, done: &Done, action: &str, source: &str, target: &str) -> anyhow::Result<()> {
    job.ctx
        .out
        .action(&done.to_json(action, source, target), || {
            done.to_line(action, source, target)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_pairs() {
        assert_eq!(parse_meta("a=b=c"), Ok(("a".to_owned(), "b=c".to_owned())));
        assert!(parse_meta("=x").is_err());
        assert!(parse_meta("novalue").is_err());
    }
}
