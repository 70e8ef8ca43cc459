//! `ossd mb` and `ossd rb`: PutBucket (docs/protocol/buckets.md#putbucket), with `--versioning`
//! then PutBucketVersioning (docs/protocol/versioning.md#configuration), and DeleteBucket;
//! `rb --force` first deletes every version and delete marker and aborts every unfinished
//! upload.

use serde_json::json;

use super::Ctx;
use super::client::Req;
use super::error::usage;
use super::jobs::run_bounded;
use super::listing;
use super::paths::Remote;
use super::rm;

/// `ossd mb oss://bucket`.
#[derive(Debug, clap::Args)]
pub(crate) struct MbArgs {
    /// Connection and output.
    #[command(flatten)]
    pub common: super::Common,
    /// The bucket to create: `oss://bucket` (one you already own is not an error).
    pub bucket: String,
    /// Then enable versioning on it (PutBucketVersioning).
    #[arg(long)]
    pub versioning: bool,
}

/// `ossd rb oss://bucket`.
#[derive(Debug, clap::Args)]
pub(crate) struct RbArgs {
    /// Connection and output.
    #[command(flatten)]
    pub common: super::Common,
    /// The bucket to remove: `oss://bucket`.
    pub bucket: String,
    /// Delete every object version, delete marker and unfinished upload first.
    #[arg(long)]
    pub force: bool,
}

/// Parses `oss://bucket` (no key).
fn bucket_of(s: &str) -> anyhow::Result<String> {
    let r = Remote::parse(s)?;
    if !r.key.is_empty() {
        return Err(usage(format!("{s:?}: give a bucket only (oss://bucket)")));
    }
    Ok(r.bucket)
}

/// Creates the bucket.
pub(crate) async fn mb(args: MbArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let bucket = bucket_of(&args.bucket)?;
    // Creating a bucket one already owns answers 200 (docs/protocol/buckets.md#putbucket).
    ctx.client.send(Req::new("PUT", Some(&bucket))).await?;
    if args.versioning {
        // docs/protocol/versioning.md#configuration: the VersioningConfiguration document.
        let body = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
        let req = Req::new("PUT", Some(&bucket))
            .query("versioning", "")
            .header("content-type", "application/xml")
            .body(hyper::body::Bytes::from_static(body.as_bytes()));
        ctx.client.send(req).await?;
    }
    let url = format!("oss://{bucket}");
    ctx.out
        .action(&json!({"action": "make_bucket", "target": url}), || {
            format!("make_bucket: {url}")
        })
}

/// Removes the bucket (emptied first with `--force`).
pub(crate) async fn rb(args: RbArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let bucket = bucket_of(&args.bucket)?;
    if args.force {
        let root = Remote {
            bucket: bucket.clone(),
            key: String::new(),
        };
        let versions = listing::all_versions(&ctx.client, &bucket, "").await?;
        let tasks = versions.into_iter().map(|v| {
            let (ctx, one) = (ctx.clone(), root.with_key(v.object.key));
            async move { rm::delete(&ctx, &one, Some(&v.version_id)).await }
        });
        run_bounded(tasks, rm::DELETES_AT_ONCE).await?;
        for upload in listing::uploads(&ctx.client, &bucket, "").await? {
            let abort = Req::new("DELETE", Some(&bucket))
                .key(&upload.key)
                .query("uploadId", &upload.upload_id);
            ctx.client.send(abort).await?;
        }
    }
    ctx.client.send(Req::new("DELETE", Some(&bucket))).await?;
    let url = format!("oss://{bucket}");
    ctx.out
        .action(&json!({"action": "remove_bucket", "target": url}), || {
            format!("remove_bucket: {url}")
        })
}
