//! `ossd presign`: a V4 presigned URL (docs/protocol/signatures.md#v4-presigned-urls) for a GET
//! (optionally of a version, optionally with `x-oss-process`) or a PUT, path-style on the
//! configured endpoint. Nothing is sent.

use ossd_sig::{
    MAX_V4_EXPIRES, Scope, SigningView, V4_ALGORITHM, format_iso8601_basic, v4_presign_signature,
};
use serde_json::json;
use time::format_description::well_known::Rfc3339;

use super::Ctx;
use super::client::now;
use super::error::usage;
use super::paths::Remote;
use super::units::parse_duration_secs;
use crate::admin::oss_request::{PRODUCT, path_and_query, query_params};

/// `ossd presign oss://bucket/key`.
#[derive(Debug, clap::Args)]
pub(crate) struct PresignArgs {
    /// Connection and output.
    #[command(flatten)]
    pub common: super::Common,
    /// The object: `oss://bucket/key`.
    pub target: String,
    /// The method the URL allows.
    #[arg(long, value_enum, default_value_t = Method::Get)]
    pub method: Method,
    /// How long the URL is valid: seconds, or with s/m/h/d (at most 7d).
    #[arg(long, default_value = "1h", value_parser = parse_duration_secs)]
    pub expires: u64,
    /// A GET of this version.
    #[arg(long)]
    pub version_id: Option<String>,
    /// A GET processed by this `x-oss-process` (e.g. `image/resize,w_200`).
    #[arg(long)]
    pub process: Option<String>,
    /// The `Content-Type` a PUT will send (signed, so the uploader must send exactly it).
    #[arg(long)]
    pub content_type: Option<String>,
}

/// The methods a presigned URL can be made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Method {
    /// Download.
    Get,
    /// Upload.
    Put,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
        }
    }
}

/// Prints the URL.
pub(crate) fn run(args: PresignArgs, ctx: &Ctx) -> anyhow::Result<()> {
    let target = Remote::parse(&args.target)?;
    if target.key.is_empty() {
        return Err(usage(format!("{target} names no object")));
    }
    if !(1..=MAX_V4_EXPIRES).contains(&i64::try_from(args.expires).unwrap_or(i64::MAX)) {
        return Err(usage(format!(
            "--expires must be between 1 second and 7 days ({MAX_V4_EXPIRES} s)"
        )));
    }
    if args.method == Method::Put && (args.version_id.is_some() || args.process.is_some()) {
        return Err(usage("--version-id and --process are for GET URLs"));
    }
    if args.method == Method::Get && args.content_type.is_some() {
        return Err(usage("--content-type is for PUT URLs"));
    }
    let at = now();
    let url = presign(ctx, &target, &args, at)?;
    let expires_at = (at + time::Duration::seconds(i64::try_from(args.expires)?))
        .replace_nanosecond(0)?
        .format(&Rfc3339)?;
    let value = json!({
        "url": url,
        "method": args.method.as_str(),
        "expires_at": expires_at,
        "content_type": args.content_type,
    });
    ctx.out.result(&value, || url.clone())
}

/// The signed URL.
fn presign(
    ctx: &Ctx,
    target: &Remote,
    args: &PresignArgs,
    at: time::OffsetDateTime,
) -> anyhow::Result<String> {
    let creds = ctx.client.credentials();
    let datetime = format_iso8601_basic(at);
    let date = datetime.get(..8).unwrap_or(&datetime);
    let scope = Scope::new(date, ctx.client.region(), PRODUCT);
    let credential = scope.credential(&creds.access_key_id);
    let expires = args.expires.to_string();
    let mut query: Vec<(&str, &str)> = Vec::new();
    if let Some(v) = &args.version_id {
        query.push(("versionId", v));
    }
    if let Some(p) = &args.process {
        query.push(("x-oss-process", p));
    }
    query.extend([
        ("x-oss-signature-version", V4_ALGORITHM),
        ("x-oss-credential", credential.as_str()),
        ("x-oss-date", datetime.as_str()),
        ("x-oss-expires", expires.as_str()),
    ]);
    if let Some(token) = &creds.security_token {
        query.push(("x-oss-security-token", token.expose()));
    }
    let headers: Vec<(String, String)> = args
        .content_type
        .iter()
        .map(|ct| ("content-type".to_owned(), ct.clone()))
        .collect();
    let params = query_params(&query);
    let raw_path = path_and_query(Some(&target.bucket), Some(&target.key), &[]);
    let view = SigningView {
        method: args.method.as_str(),
        bucket: Some(&target.bucket),
        key: Some(&target.key),
        query: &params,
        headers: &headers,
        raw_path: &raw_path,
        body_sha256: None,
    };
    let signature = v4_presign_signature(creds.secret.expose(), &view, &scope, &datetime, &[]);
    query.push(("x-oss-signature", &signature));
    Ok(format!(
        "{}{}",
        ctx.client.endpoint(),
        path_and_query(Some(&target.bucket), Some(&target.key), &query)
    ))
}
