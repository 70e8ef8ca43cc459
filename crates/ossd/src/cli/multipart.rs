//! A multipart upload (docs/protocol/multipart.md): InitiateMultipartUpload, the parts —
//! read from a file (UploadPart), or ranges of another object (UploadPartCopy,
//! docs/protocol/multipart.md#uploadpartcopy) — `parallel` at a time, then
//! CompleteMultipartUpload; a part is tried again after a connection failure or a 5xx answer,
//! and AbortMultipartUpload ends an upload whose part still fails. An upload of a file that was
//! interrupted (the process stopped) is continued (`resume`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use hyper::body::Bytes;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio::task::JoinSet;

use super::client::{ObjectClient, Req};
use super::error::OssError;
use super::paths::Remote;
use super::progress::Progress;
use super::resume;
use super::transfer::Tuning;
use super::xml;

/// Where the parts' bytes come from.
#[derive(Debug, Clone)]
pub(crate) enum PartSource {
    /// A local file (UploadPart).
    File(PathBuf),
    /// An object, as an `x-oss-copy-source` value (UploadPartCopy).
    Object(String),
}

/// The result of a multipart upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Uploaded {
    /// The object's ETag.
    pub etag: String,
    /// Parts of an interrupted upload that were already there and kept.
    pub kept_parts: u64,
}

/// Writes the `size` bytes of `source` to `dst` in parts, continuing an interrupted upload of
/// the same file when there is one.
pub(crate) async fn upload(
    client: &Arc<ObjectClient>,
    source: PartSource,
    size: u64,
    dst: &Remote,
    headers: Vec<(String, String)>,
    tuning: Tuning,
    progress: &Arc<Progress>,
) -> anyhow::Result<Uploaded> {
    let part_size = tuning.part_size_for(size);
    // Only a file's upload is continued: its parts can be checked against the file. A caller
    // that may not list uploads or parts (ListMultipartUploads and ListParts are RAM actions of
    // their own) just starts afresh.
    let resumed = match &source {
        PartSource::File(_) => resume::find(client, dst, size, part_size)
            .await
            .ok()
            .flatten(),
        PartSource::Object(_) => None,
    };
    let (upload_id, done_parts) = match resumed {
        Some(r) => (r.upload_id, r.parts),
        None => (initiate(client, dst, headers).await?, BTreeMap::new()),
    };
    let job = Job {
        client: Arc::clone(client),
        source,
        dst: dst.clone(),
        upload_id,
        part_size,
        size,
        done_parts: Arc::new(done_parts),
    };
    match upload_parts(&job, tuning.parallel, progress).await {
        Ok((etags, kept)) => Ok(Uploaded {
            etag: complete(&job, &etags).await?,
            kept_parts: kept,
        }),
        Err(e) => {
            // Best effort: the upload's parts are garbage now.
            let abort = Req::new("DELETE", Some(&job.dst.bucket))
                .key(&job.dst.key)
                .query("uploadId", &job.upload_id);
            let _ = client.send(abort).await;
            Err(e)
        }
    }
}

/// InitiateMultipartUpload with the object's headers; returns the upload id.
async fn initiate(
    client: &ObjectClient,
    dst: &Remote,
    headers: Vec<(String, String)>,
) -> anyhow::Result<String> {
    let mut init = Req::new("POST", Some(&dst.bucket))
        .key(&dst.key)
        .query("uploads", "");
    for (k, v) in headers {
        init = init.header(&k, v);
    }
    let root = xml::parse(&client.send(init).await?.body)?;
    let upload_id = root
        .text_of("UploadId")
        .filter(|u| !u.is_empty())
        .context("InitiateMultipartUpload answered no UploadId")?;
    Ok(upload_id.to_owned())
}

/// What every part task needs.
#[derive(Clone)]
struct Job {
    client: Arc<ObjectClient>,
    source: PartSource,
    dst: Remote,
    upload_id: String,
    part_size: u64,
    size: u64,
    /// ETags of the parts an interrupted upload already has.
    done_parts: Arc<BTreeMap<u64, String>>,
}

impl Job {
    fn parts(&self) -> u64 {
        self.size.div_ceil(self.part_size)
    }
}

/// Uploads every part, at most `parallel` at once; the ETags in part order and how many parts
/// were kept from an interrupted upload.
async fn upload_parts(
    job: &Job,
    parallel: usize,
    progress: &Arc<Progress>,
) -> anyhow::Result<(Vec<String>, u64)> {
    let count = job.parts();
    let mut etags = vec![String::new(); usize::try_from(count)?];
    let mut tasks: JoinSet<anyhow::Result<(u64, String, bool)>> = JoinSet::new();
    let mut next = 1u64;
    let mut kept = 0u64;
    loop {
        while next <= count && tasks.len() < parallel.max(1) {
            let (job, progress) = (job.clone(), Arc::clone(progress));
            let number = next;
            tasks.spawn(async move { upload_part(&job, number, &progress).await });
            next += 1;
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        let (number, etag, was_there) = joined.context("a part task failed")??;
        kept += u64::from(was_there);
        let slot = usize::try_from(number - 1)
            .ok()
            .and_then(|i| etags.get_mut(i))
            .context("part number out of range")?;
        *slot = etag;
    }
    Ok((etags, kept))
}

/// Uploads part `number` (read from the file, or copied from the object's range), unless an
/// interrupted upload already has it; returns its number, its ETag and whether it was there.
async fn upload_part(
    job: &Job,
    number: u64,
    progress: &Progress,
) -> anyhow::Result<(u64, String, bool)> {
    let offset = (number - 1) * job.part_size;
    let len = job.part_size.min(job.size - offset);
    if let (PartSource::File(path), Some(etag)) = (&job.source, job.done_parts.get(&number))
        && resume::part_matches(path, offset, len, etag).await?
    {
        progress.add(len);
        return Ok((number, etag.clone(), true));
    }
    let number_text = number.to_string();
    let req = Req::new("PUT", Some(&job.dst.bucket))
        .key(&job.dst.key)
        .query("partNumber", &number_text)
        .query("uploadId", &job.upload_id);
    let req = match &job.source {
        PartSource::File(path) => req.body(read_range(path, offset, len).await?),
        PartSource::Object(copy_source) => req
            .header("x-oss-copy-source", copy_source.as_str())
            .header(
                "x-oss-copy-source-range",
                format!("bytes={offset}-{}", offset + len - 1),
            ),
    };
    let reply = send_part(job, req).await?;
    let from_body = || {
        xml::parse(&reply.body)
            .ok()
            .and_then(|r| r.text_of("ETag").map(str::to_owned))
    };
    let etag = reply
        .header("etag")
        .or_else(from_body)
        .with_context(|| format!("part {number} was answered without an ETag"))?;
    progress.add(len);
    Ok((number, etag, false))
}

/// How often one part is tried: UploadPart and UploadPartCopy are idempotent (a part sent again
/// replaces itself), so a connection failure or a server error is retried.
const PART_TRIES: u32 = 3;

/// Sends one part request, retrying transient failures after a short pause.
async fn send_part(job: &Job, req: Req<'_>) -> anyhow::Result<super::client::Reply> {
    let mut tries = 1;
    loop {
        match job.client.send(req.clone()).await {
            Err(e) if tries < PART_TRIES && transient(&e) => {
                tokio::time::sleep(Duration::from_millis(250 << tries)).await;
                tries += 1;
            }
            done => return done,
        }
    }
}

/// Whether a failure may go away when tried again: no answer, or a 5xx answer.
fn transient(e: &anyhow::Error) -> bool {
    match e.downcast_ref::<OssError>() {
        Some(oss) => oss.status >= 500,
        None => true,
    }
}

/// `len` bytes of the file at `offset`.
async fn read_range(path: &Path, offset: u64, len: u64) -> anyhow::Result<Bytes> {
    let mut file = tokio::fs::File::open(path)
        .await
        .with_context(|| format!("opening {}", path.display()))?;
    file.seek(std::io::SeekFrom::Start(offset)).await?;
    let mut buf = vec![0u8; usize::try_from(len)?];
    file.read_exact(&mut buf)
        .await
        .with_context(|| format!("{} changed while it was uploaded", path.display()))?;
    Ok(Bytes::from(buf))
}

/// CompleteMultipartUpload with every part's ETag; returns the object's ETag.
async fn complete(job: &Job, etags: &[String]) -> anyhow::Result<String> {
    let body = complete_body(etags)?;
    let req = Req::new("POST", Some(&job.dst.bucket))
        .key(&job.dst.key)
        .query("uploadId", &job.upload_id)
        .header("content-type", "application/xml")
        .body(Bytes::from(body));
    let reply = job.client.send(req).await?;
    let from_body = xml::parse(&reply.body)
        .ok()
        .and_then(|r| r.text_of("ETag").map(str::to_owned));
    Ok(from_body
        .or_else(|| reply.header("etag"))
        .unwrap_or_default())
}

/// The `CompleteMultipartUpload` document.
fn complete_body(etags: &[String]) -> anyhow::Result<String> {
    let mut body = String::from("<CompleteMultipartUpload>");
    for (i, etag) in etags.iter().enumerate() {
        if etag.is_empty() || etag.contains(['<', '&']) {
            bail!("part {} has no usable ETag", i + 1);
        }
        body.push_str(&format!(
            "<Part><PartNumber>{}</PartNumber><ETag>{etag}</ETag></Part>",
            i + 1
        ));
    }
    body.push_str("</CompleteMultipartUpload>");
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_failures() {
        let oss = |status| -> anyhow::Error {
            OssError {
                status,
                code: "X".to_owned(),
                message: String::new(),
                request_id: String::new(),
                hint: None,
            }
            .into()
        };
        assert!(transient(&oss(503)));
        assert!(!transient(&oss(403)));
        assert!(transient(&anyhow::anyhow!("connection reset")));
    }

    #[test]
    fn completion_document() -> anyhow::Result<()> {
        let body = complete_body(&["\"A\"".to_owned(), "\"B\"".to_owned()])?;
        assert_eq!(
            body,
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"A\"</ETag></Part>\
             <Part><PartNumber>2</PartNumber><ETag>\"B\"</ETag></Part></CompleteMultipartUpload>"
        );
        assert!(complete_body(&[String::new()]).is_err());
        Ok(())
    }
}
