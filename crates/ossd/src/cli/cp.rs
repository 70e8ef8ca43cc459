//! `ossd cp` and `ossd mv`: local → remote (upload), remote → local (download), remote → remote
//! (CopyObject); `-r` for a directory or prefix; `-` is standard input or output. `mv` removes
//! each source once its copy is done.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use hyper::body::Bytes;

use super::Ctx;
use super::error::usage;
use super::listing;
use super::object::write_object_to_stdout;
use super::paths::{Location, Remote, local_path_for};
use super::transfer::{self, Done, PutOptions, TransferArgs};
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

/// Runs `cp` or `mv`.
pub(crate) async fn run(args: CpArgs, mode: Mode, ctx: &Ctx) -> anyhow::Result<()> {
    let source = Location::parse(&args.source)?;
    let target = Location::parse(&args.target)?;
    let job = Job {
        args: &args,
        mode,
        ctx,
    };
    match (&source, &target) {
        (Location::Local(_), Location::Local(_)) => Err(usage(
            "both paths are local; one of them must be oss://bucket/key",
        )),
        (Location::Local(src), Location::Remote(dst)) => job.upload_from(src, dst).await,
        (Location::Remote(src), Location::Local(dst)) => job.download_to(src, dst).await,
        (Location::Remote(src), Location::Remote(dst)) => job.remote_to_remote(src, dst).await,
    }
}

/// One `cp`/`mv` invocation.
struct Job<'a> {
    args: &'a CpArgs,
    mode: Mode,
    ctx: &'a Ctx,
}

impl Job<'_> {
    fn put_options(&self) -> PutOptions {
        PutOptions {
            content_type: self.args.content_type.clone(),
            meta: self.args.meta.clone(),
        }
    }

    fn verb(&self, copy: &'static str) -> &'static str {
        match self.mode {
            Mode::Copy => copy,
            Mode::Move => "move",
        }
    }

    async fn upload_from(&self, src: &Path, dst: &Remote) -> anyhow::Result<()> {
        if src.as_os_str() == "-" {
            if dst.is_dir_like() || self.mode == Mode::Move {
                return Err(usage(
                    "standard input needs a full object key (cp - oss://b/key)",
                ));
            }
            let mut data = Vec::new();
            std::io::stdin()
                .read_to_end(&mut data)
                .context("reading standard input")?;
            let size = data.len() as u64;
            let headers = self.put_options().headers(&dst.key);
            let etag =
                transfer::put_bytes(&self.ctx.client, Bytes::from(data), dst, headers).await?;
            let done = Done {
                size,
                etag: Some(etag),
            };
            return self.report(&done, "upload", "-", &dst.to_string());
        }
        let meta = std::fs::metadata(src).with_context(|| format!("reading {}", src.display()))?;
        if meta.is_dir() {
            if !self.args.recursive {
                return Err(usage(format!("{} is a directory (use -r)", src.display())));
            }
            for file in walk::files(src)? {
                let target = dst.join(&file.rel);
                self.upload_one(&file.path, &target).await?;
            }
            return Ok(());
        }
        let target = if dst.is_dir_like() {
            let name = src
                .file_name()
                .and_then(|n| n.to_str())
                .with_context(|| format!("{} has no UTF-8 file name", src.display()))?;
            dst.join(name)
        } else {
            dst.clone()
        };
        self.upload_one(src, &target).await
    }

    async fn upload_one(&self, src: &Path, dst: &Remote) -> anyhow::Result<()> {
        let done = transfer::upload(
            &self.ctx.client,
            src,
            dst,
            &self.put_options(),
            self.args.tuning.tuning(),
            self.ctx.out.progress(),
        )
        .await?;
        if self.mode == Mode::Move {
            std::fs::remove_file(src).with_context(|| format!("removing {}", src.display()))?;
        }
        self.report(
            &done,
            self.verb("upload"),
            &src.display().to_string(),
            &dst.to_string(),
        )
    }

    async fn download_to(&self, src: &Remote, dst: &Path) -> anyhow::Result<()> {
        if dst.as_os_str() == "-" {
            if self.args.recursive || self.mode == Mode::Move {
                return Err(usage("standard output takes one object (cp oss://b/key -)"));
            }
            return write_object_to_stdout(self.ctx, src, self.args.version_id.as_deref()).await;
        }
        let dst_is_dir = dst.is_dir() || self.args.target.ends_with('/');
        if self.args.recursive {
            let prefix = src.dir_prefix();
            for o in listing::all_objects(&self.ctx.client, &src.bucket, &prefix).await? {
                let Some(rel) = o.key.strip_prefix(&prefix).filter(|r| !r.is_empty()) else {
                    continue;
                };
                if rel.ends_with('/') {
                    continue; // a "directory" marker
                }
                let path = local_path_for(dst, rel)?;
                self.download_one(&src.with_key(o.key.as_str()), &path, None)
                    .await?;
            }
            return Ok(());
        }
        if src.is_dir_like() {
            return Err(usage(format!("{src} is a prefix (use -r)")));
        }
        let path: PathBuf = if dst_is_dir {
            local_path_for(dst, src.base_name())?
        } else {
            dst.to_path_buf()
        };
        self.download_one(src, &path, self.args.version_id.as_deref())
            .await
    }

    async fn download_one(
        &self,
        src: &Remote,
        path: &Path,
        version: Option<&str>,
    ) -> anyhow::Result<()> {
        let done = transfer::download(
            &self.ctx.client,
            src,
            version,
            path,
            self.ctx.out.progress(),
        )
        .await?;
        if self.mode == Mode::Move {
            transfer::delete(&self.ctx.client, src, version).await?;
        }
        self.report(
            &done,
            self.verb("download"),
            &src.to_string(),
            &path.display().to_string(),
        )
    }

    async fn remote_to_remote(&self, src: &Remote, dst: &Remote) -> anyhow::Result<()> {
        if self.args.recursive {
            let prefix = src.dir_prefix();
            for o in listing::all_objects(&self.ctx.client, &src.bucket, &prefix).await? {
                let Some(rel) = o.key.strip_prefix(&prefix).filter(|r| !r.is_empty()) else {
                    continue;
                };
                self.copy_one(&src.with_key(o.key.as_str()), &dst.join(rel), None)
                    .await?;
            }
            return Ok(());
        }
        if src.is_dir_like() {
            return Err(usage(format!("{src} is a prefix (use -r)")));
        }
        let target = if dst.is_dir_like() {
            dst.join(src.base_name())
        } else {
            dst.clone()
        };
        if target == *src && self.args.version_id.is_none() {
            return Err(usage(format!("{src} would be copied onto itself")));
        }
        self.copy_one(src, &target, self.args.version_id.as_deref())
            .await
    }

    async fn copy_one(
        &self,
        src: &Remote,
        dst: &Remote,
        version: Option<&str>,
    ) -> anyhow::Result<()> {
        let done = transfer::copy(&self.ctx.client, src, version, dst).await?;
        if self.mode == Mode::Move {
            transfer::delete(&self.ctx.client, src, version).await?;
        }
        self.report(&done, self.verb("copy"), &src.to_string(), &dst.to_string())
    }

    fn report(&self, done: &Done, action: &str, source: &str, target: &str) -> anyhow::Result<()> {
        self.ctx
            .out
            .action(&done.to_json(action, source, target), || {
                format!("{action}: {source} -> {target}")
            })
    }
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
