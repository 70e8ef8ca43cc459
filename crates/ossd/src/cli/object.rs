//! `ossd cat` (GetObject to standard output) and `ossd stat` (HeadObject: size, ETag, type,
//! metadata, version; docs/protocol/objects.md).

use serde_json::{Map, Value, json};

use super::Ctx;
use super::client::Req;
use super::error::usage;
use super::output::write_stdout;
use super::paths::Remote;
use super::transfer::next_frame;

/// `ossd cat oss://bucket/key`.
#[derive(Debug, clap::Args)]
pub(crate) struct CatArgs {
    /// Connection and output.
    #[command(flatten)]
    pub common: super::Common,
    /// The object: `oss://bucket/key`.
    pub target: String,
    /// Read this version.
    #[arg(long)]
    pub version_id: Option<String>,
}

/// `ossd stat oss://bucket/key`.
#[derive(Debug, clap::Args)]
pub(crate) struct StatArgs {
    /// Connection and output.
    #[command(flatten)]
    pub common: super::Common,
    /// The object: `oss://bucket/key`.
    pub target: String,
    /// Describe this version.
    #[arg(long)]
    pub version_id: Option<String>,
}

fn object_of(s: &str) -> anyhow::Result<Remote> {
    let r = Remote::parse(s)?;
    if r.key.is_empty() {
        return Err(usage(format!("{s:?} names no object (oss://bucket/key)")));
    }
    Ok(r)
}

/// Writes the object to standard output.
pub(crate) async fn cat(args: CatArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let target = object_of(&args.target)?;
    write_object_to_stdout(ctx, &target, args.version_id.as_deref()).await
}

/// Streams `src` (its `version`, when given) to standard output.
pub(crate) async fn write_object_to_stdout(
    ctx: &Ctx,
    src: &Remote,
    version: Option<&str>,
) -> anyhow::Result<()> {
    let req = Req::new("GET", Some(&src.bucket))
        .key(&src.key)
        .query_opt("versionId", version);
    let mut body = ctx.client.open(req).await?.into_body();
    while let Some(frame) = next_frame(&mut body).await? {
        if let Ok(data) = frame.into_data() {
            // A chunk at a time, as it arrives.
            write_stdout(&data)?;
        }
    }
    Ok(())
}

/// The headers `stat` shows, with their JSON names.
const FIELDS: [(&str, &str); 9] = [
    ("content-length", "size"),
    ("etag", "etag"),
    ("content-type", "content_type"),
    ("last-modified", "last_modified"),
    ("x-oss-object-type", "type"),
    ("x-oss-storage-class", "storage_class"),
    ("x-oss-version-id", "version_id"),
    ("x-oss-hash-crc64ecma", "crc64"),
    ("cache-control", "cache_control"),
];

/// Prints the object's attributes.
pub(crate) async fn stat(args: StatArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let target = object_of(&args.target)?;
    let req = Req::new("HEAD", Some(&target.bucket))
        .key(&target.key)
        .query_opt("versionId", args.version_id.as_deref());
    let reply = ctx.client.send(req).await?;
    let mut value = Map::new();
    value.insert("bucket".to_owned(), json!(target.bucket));
    value.insert("key".to_owned(), json!(target.key));
    for (header, name) in FIELDS {
        if let Some(v) = reply.header(header) {
            let v = match name {
                "size" => v.parse::<u64>().map_or(json!(v), |n| json!(n)),
                "etag" => json!(v.trim_matches('"')),
                // The same ISO 8601 form as the listings.
                "last_modified" => json!(iso8601(&v)),
                _ => json!(v),
            };
            value.insert(name.to_owned(), v);
        }
    }
    let mut meta = Map::new();
    for (name, v) in &reply.headers {
        if let Some(short) = name.as_str().strip_prefix("x-oss-meta-") {
            meta.insert(short.to_owned(), json!(v.to_str().unwrap_or_default()));
        }
    }
    value.insert("metadata".to_owned(), Value::Object(meta.clone()));
    let value = Value::Object(value);
    ctx.out.result(&value, || human(&value, &meta))
}

/// An HTTP date (RFC 1123) as RFC 3339, or as it came when it does not parse.
fn iso8601(http_date: &str) -> String {
    ossd_sig::parse_rfc1123(http_date)
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| http_date.to_owned())
}

/// `name: value` lines, names aligned.
fn human(value: &Value, meta: &Map<String, Value>) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    for name in ["bucket", "key"]
        .into_iter()
        .chain(FIELDS.iter().map(|f| f.1))
    {
        if let Some(v) = value.get(name) {
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            rows.push((name.to_owned(), text));
        }
    }
    for (k, v) in meta {
        rows.push((
            format!("meta {k}"),
            v.as_str().unwrap_or_default().to_owned(),
        ));
    }
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(k, v)| format!("{k:<width$}  {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}
