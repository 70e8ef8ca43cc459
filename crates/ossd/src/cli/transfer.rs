//! One object's transfer: upload a file (PutObject, or multipart above the threshold), download
//! to a file (streamed into a temporary file, then renamed, with the object's modification
//! time), or copy server-side (CopyObject, docs/protocol/objects.md#copyobject, or UploadPartCopy
//! parts above the multipart threshold).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use http_body_util::BodyExt;
use hyper::body::Bytes;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::admin::transport::TIMEOUT;

use super::client::{ObjectClient, Req};
use super::multipart::{self, PartSource};
use super::paths::Remote;
use super::progress::Progress;
use super::units::parse_size;

/// The most parts one upload may have (docs/protocol/multipart.md).
pub(crate) const MAX_PARTS: u64 = 10_000;
/// The smallest part size allowed (docs/protocol/multipart.md: 100 KB, except the last part).
const MIN_PART_SIZE: u64 = 100 << 10;

/// How large files are uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tuning {
    /// Files larger than this are uploaded in parts.
    pub threshold: u64,
    /// The part size (grown so that a file has at most [`MAX_PARTS`]).
    pub part_size: u64,
    /// Parts in flight at once.
    pub parallel: usize,
}

impl Tuning {
    /// Whether a file of `size` bytes is uploaded in parts.
    pub(crate) fn uses_multipart(&self, size: u64) -> bool {
        size > self.threshold
    }

    /// The part size for a file of `size` bytes.
    pub(crate) fn part_size_for(&self, size: u64) -> u64 {
        self.part_size.max(size.div_ceil(MAX_PARTS)).max(1)
    }
}

/// Flags of the commands that upload.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct TransferArgs {
    /// Upload files larger than this in parts (multipart upload).
    #[arg(long, value_parser = parse_size, default_value = "8MiB")]
    pub multipart_threshold: u64,
    /// Part size of multipart uploads (at least 100KiB).
    #[arg(long, value_parser = parse_part_size, default_value = "8MiB")]
    pub part_size: u64,
    /// Parts of one file uploaded at once, and files transferred at once (`-r`, `sync`).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub parallel: u16,
}

impl TransferArgs {
    /// The tuning these flags select.
    pub(crate) fn tuning(&self) -> Tuning {
        Tuning {
            threshold: self.multipart_threshold,
            part_size: self.part_size,
            parallel: usize::from(self.parallel),
        }
    }
}

fn parse_part_size(s: &str) -> Result<u64, String> {
    let n = parse_size(s)?;
    if n < MIN_PART_SIZE {
        return Err(format!("{s:?} is below the smallest part size, 100KiB"));
    }
    Ok(n)
}

/// What an upload sets on the object.
#[derive(Debug, Clone, Default)]
pub(crate) struct PutOptions {
    /// `Content-Type` (else guessed from the file name).
    pub content_type: Option<String>,
    /// User metadata (`x-oss-meta-<name>`).
    pub meta: Vec<(String, String)>,
}

impl PutOptions {
    /// The headers of a PutObject or InitiateMultipartUpload of `key`.
    pub(crate) fn headers(&self, key: &str) -> Vec<(String, String)> {
        let content_type = self
            .content_type
            .clone()
            .unwrap_or_else(|| guess_content_type(key).to_owned());
        let mut out = vec![("content-type".to_owned(), content_type)];
        for (k, v) in &self.meta {
            out.push((format!("x-oss-meta-{}", k.to_ascii_lowercase()), v.clone()));
        }
        out
    }
}

/// The result of one transfer.
#[derive(Debug, Clone)]
pub(crate) struct Done {
    /// Bytes transferred.
    pub size: u64,
    /// The ETag of the written object (uploads and copies).
    pub etag: Option<String>,
    /// Parts an interrupted upload already had, kept rather than sent again.
    pub kept_parts: u64,
}

impl Done {
    /// The action line of `action` from `source` to `target`.
    pub(crate) fn to_json(&self, action: &str, source: &str, target: &str) -> Value {
        let mut value = json!({
            "action": action,
            "source": source,
            "target": target,
            "size": self.size,
            "etag": self.etag.as_deref().map(|e| e.trim_matches('"')),
        });
        if self.kept_parts > 0 {
            value["resumed_parts"] = json!(self.kept_parts);
        }
        value
    }

    /// The action line of `action` from `source` to `target`, for people.
    pub(crate) fn to_line(&self, action: &str, source: &str, target: &str) -> String {
        match self.kept_parts {
            0 => format!("{action}: {source} -> {target}"),
            n => format!("{action}: {source} -> {target} (resumed: {n} parts were already there)"),
        }
    }
}

/// Uploads the file `path` to `dst`.
pub(crate) async fn upload(
    client: &Arc<ObjectClient>,
    path: &Path,
    dst: &Remote,
    opts: &PutOptions,
    tuning: Tuning,
    show_progress: bool,
) -> anyhow::Result<Done> {
    let size = tokio::fs::metadata(path)
        .await
        .with_context(|| format!("reading {}", path.display()))?
        .len();
    let progress = Arc::new(Progress::new(
        path.display().to_string(),
        size,
        show_progress,
    ));
    let headers = opts.headers(&dst.key);
    let (etag, kept_parts) = if tuning.uses_multipart(size) {
        let source = PartSource::File(path.to_path_buf());
        let up = multipart::upload(client, source, size, dst, headers, tuning, &progress).await?;
        (up.etag, up.kept_parts)
    } else {
        let body = tokio::fs::read(path)
            .await
            .with_context(|| format!("reading {}", path.display()))?;
        (put_bytes(client, Bytes::from(body), dst, headers).await?, 0)
    };
    progress.add(0);
    Ok(Done {
        size,
        etag: Some(etag),
        kept_parts,
    })
}

/// Uploads `body` to `dst` in one PutObject; returns the ETag.
pub(crate) async fn put_bytes(
    client: &ObjectClient,
    body: Bytes,
    dst: &Remote,
    headers: Vec<(String, String)>,
) -> anyhow::Result<String> {
    let mut req = Req::new("PUT", Some(&dst.bucket)).key(&dst.key).body(body);
    for (k, v) in headers {
        req = req.header(&k, v);
    }
    let reply = client.send(req).await?;
    Ok(reply.header("etag").unwrap_or_default())
}

/// Downloads `src` (its `version`, when given) into the file `path`.
pub(crate) async fn download(
    client: &ObjectClient,
    src: &Remote,
    version: Option<&str>,
    path: &Path,
    show_progress: bool,
) -> anyhow::Result<Done> {
    let req = Req::new("GET", Some(&src.bucket))
        .key(&src.key)
        .query_opt("versionId", version);
    let response = client.open(req).await?;
    let size = content_length(response.headers()).unwrap_or(0);
    let modified = response
        .headers()
        .get("last-modified")
        .and_then(|v| v.to_str().ok())
        .and_then(ossd_sig::parse_rfc1123);
    let etag = super::error::header(response.headers(), "etag");
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(parent)
            .await
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let tmp = temp_path(path);
    let progress = Progress::new(src.to_string(), size, show_progress);
    let written = async {
        let mut file = tokio::fs::File::create(&tmp)
            .await
            .with_context(|| format!("creating {}", tmp.display()))?;
        let mut body = response.into_body();
        let mut total = 0u64;
        while let Some(frame) = next_frame(&mut body).await? {
            if let Ok(data) = frame.into_data() {
                file.write_all(&data)
                    .await
                    .with_context(|| format!("writing {}", tmp.display()))?;
                total += data.len() as u64;
                progress.add(data.len() as u64);
            }
        }
        file.flush().await?;
        let file = file.into_std().await;
        if let Some(t) = modified {
            file.set_modified(t.into())
                .with_context(|| format!("setting the time of {}", tmp.display()))?;
        }
        anyhow::Ok(total)
    }
    .await;
    let total = match written {
        Ok(total) => total,
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(e);
        }
    };
    tokio::fs::rename(&tmp, path)
        .await
        .with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))?;
    Ok(Done {
        size: total,
        etag,
        kept_parts: 0,
    })
}

/// The next frame of a response body, waiting at most the transport's timeout.
pub(crate) async fn next_frame(
    body: &mut hyper::body::Incoming,
) -> anyhow::Result<Option<hyper::body::Frame<Bytes>>> {
    match tokio::time::timeout(TIMEOUT, body.frame()).await {
        Err(_) => anyhow::bail!("the response body stalled for {TIMEOUT:?}"),
        Ok(None) => Ok(None),
        Ok(Some(frame)) => Ok(Some(frame.context("reading the response body")?)),
    }
}

/// The headers a multipart copy carries over from the source (CopyObject copies them itself).
const COPIED_HEADERS: [&str; 5] = [
    "content-type",
    "cache-control",
    "content-disposition",
    "content-encoding",
    "expires",
];

/// Copies `src` (its `version`, when given) to `dst` on the server: CopyObject, or above the
/// multipart threshold UploadPartCopy parts with the source's type and metadata.
pub(crate) async fn copy(
    client: &Arc<ObjectClient>,
    src: &Remote,
    version: Option<&str>,
    dst: &Remote,
    tuning: Tuning,
    show_progress: bool,
) -> anyhow::Result<Done> {
    let mut source = format!("/{}/{}", src.bucket, ossd_sig::uri_encode_path(&src.key));
    if let Some(v) = version {
        source.push_str(&format!("?versionId={}", ossd_sig::uri_encode(v)));
    }
    let head = Req::new("HEAD", Some(&src.bucket))
        .key(&src.key)
        .query_opt("versionId", version);
    let head = client.send(head).await?;
    let size = content_length(&head.headers).unwrap_or(0);
    if tuning.uses_multipart(size) {
        let headers: Vec<(String, String)> = head
            .headers
            .iter()
            .filter(|(name, _)| {
                COPIED_HEADERS.contains(&name.as_str()) || name.as_str().starts_with("x-oss-meta-")
            })
            .filter_map(|(name, v)| Some((name.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let progress = Arc::new(Progress::new(src.to_string(), size, show_progress));
        let parts = PartSource::Object(source);
        let up = multipart::upload(client, parts, size, dst, headers, tuning, &progress).await?;
        return Ok(Done {
            size,
            etag: Some(up.etag),
            kept_parts: 0,
        });
    }
    let req = Req::new("PUT", Some(&dst.bucket))
        .key(&dst.key)
        .header("x-oss-copy-source", source);
    let reply = client.send(req).await?;
    let etag = super::xml::parse(&reply.body)
        .ok()
        .and_then(|r| r.text_of("ETag").map(str::to_owned))
        .or_else(|| reply.header("etag"));
    Ok(Done {
        size,
        etag,
        kept_parts: 0,
    })
}

/// Deletes one object (or one version of it).
pub(crate) async fn delete(
    client: &ObjectClient,
    target: &Remote,
    version: Option<&str>,
) -> anyhow::Result<()> {
    let req = Req::new("DELETE", Some(&target.bucket))
        .key(&target.key)
        .query_opt("versionId", version);
    client.send(req).await.map(drop)
}

fn content_length(headers: &hyper::HeaderMap) -> Option<u64> {
    headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// A temporary name next to `path` for a download in progress.
fn temp_path(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.ossd-{}", uuid::Uuid::new_v4().simple()))
}

/// A `Content-Type` from the file name's extension (`application/octet-stream` otherwise).
pub(crate) fn guess_content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "txt" | "md" | "log" => "text/plain",
        "csv" => "text/csv",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" | "tgz" => "application/gzip",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_sizes() {
        let t = Tuning {
            threshold: 8 << 20,
            part_size: 8 << 20,
            parallel: 4,
        };
        assert!(!t.uses_multipart(8 << 20));
        assert!(t.uses_multipart((8 << 20) + 1));
        assert_eq!(t.part_size_for(12 << 20), 8 << 20);
        let huge = 200_000u64 << 20;
        assert!(huge.div_ceil(t.part_size_for(huge)) <= MAX_PARTS);
        assert!(parse_part_size("99KiB").is_err());
    }

    #[test]
    fn content_types() {
        assert_eq!(guess_content_type("a/b.JPG"), "image/jpeg");
        assert_eq!(guess_content_type("noext"), "application/octet-stream");
        let opts = PutOptions {
            content_type: None,
            meta: vec![("Owner".to_owned(), "me".to_owned())],
        };
        assert_eq!(
            opts.headers("x.txt"),
            [
                ("content-type".to_owned(), "text/plain".to_owned()),
                ("x-oss-meta-owner".to_owned(), "me".to_owned())
            ]
        );
    }
}
