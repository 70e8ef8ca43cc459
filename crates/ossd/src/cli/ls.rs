//! `ossd ls`: the buckets; the prefixes and objects one level under `oss://bucket/prefix`;
//! every object under it with `-r`; versions and delete markers with `--versions`.

use serde_json::json;

use super::Ctx;
use super::listing::{self, Listed, ObjectPages, VersionPages};
use super::output::short_time;
use super::paths::Remote;

/// `ossd ls [oss://bucket[/prefix]]`.
#[derive(Debug, clap::Args)]
pub(crate) struct LsArgs {
    /// Connection and output.
    #[command(flatten)]
    pub common: super::Common,
    /// What to list (nothing: the buckets).
    pub target: Option<String>,
    /// Every object under the prefix, not only one level.
    #[arg(short, long)]
    pub recursive: bool,
    /// Every version and delete marker.
    #[arg(long)]
    pub versions: bool,
}

/// Lists.
pub(crate) async fn run(args: LsArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let Some(target) = args.target.as_deref() else {
        return list_buckets(ctx).await;
    };
    let at = Remote::parse(target)?;
    let delimiter = if args.recursive { None } else { Some("/") };
    if args.versions {
        return list_versions(ctx, &at, delimiter).await;
    }
    let mut pages = ObjectPages::new(&ctx.client, &at.bucket, &at.key, delimiter);
    while let Some(page) = pages.next().await? {
        for entry in page {
            match entry {
                Listed::Prefix(p) => print_prefix(ctx, &at.bucket, &p)?,
                Listed::Object(o) => ctx.out.result(&o.to_json(&at.bucket), || {
                    format!(
                        "{}  {:>12}  {}",
                        short_time(&o.last_modified),
                        o.size,
                        o.key
                    )
                })?,
            }
        }
    }
    Ok(())
}

async fn list_buckets(ctx: &Ctx) -> anyhow::Result<()> {
    for b in listing::buckets(&ctx.client).await? {
        let value = json!({
            "name": b.name,
            "created": b.created,
            "region": b.region,
            "storage_class": b.storage_class,
        });
        ctx.out.result(&value, || {
            format!("{}  oss://{}", short_time(&b.created), b.name)
        })?;
    }
    Ok(())
}

async fn list_versions(ctx: &Ctx, at: &Remote, delimiter: Option<&str>) -> anyhow::Result<()> {
    let mut pages = VersionPages::new(&ctx.client, &at.bucket, &at.key, delimiter);
    while let Some((versions, prefixes)) = pages.next().await? {
        for p in prefixes {
            print_prefix(ctx, &at.bucket, &p)?;
        }
        for v in versions {
            let mut value = v.object.to_json(&at.bucket);
            value["version_id"] = json!(v.version_id);
            value["is_latest"] = json!(v.is_latest);
            value["delete_marker"] = json!(v.delete_marker);
            ctx.out.result(&value, || {
                let size = if v.delete_marker {
                    "(delete marker)".to_owned()
                } else {
                    v.object.size.to_string()
                };
                let latest = if v.is_latest { "*" } else { " " };
                format!(
                    "{}  {size:>15}  {latest} {}  {}",
                    short_time(&v.object.last_modified),
                    v.version_id,
                    v.object.key
                )
            })?;
        }
    }
    Ok(())
}

fn print_prefix(ctx: &Ctx, bucket: &str, prefix: &str) -> anyhow::Result<()> {
    ctx.out
        .result(&json!({"bucket": bucket, "prefix": prefix}), || {
            format!("{:>19}  {:>12}  {prefix}", "", "PRE")
        })
}
