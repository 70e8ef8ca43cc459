//! `--multipart-check`: one large object uploaded with multipart (parts in parallel) against a
//! plain single PUT of the same bytes to the same ossd, with the Complete call measured apart.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::{Bytes, BytesMut};
use http::Method;
use md5::{Digest, Md5};
use tokio::task::JoinSet;

use crate::body::{RepeatBody, matches_pattern, random_block};
use crate::checks::{Upload, io_counters, median, timed_peak};
use crate::cli::{Args, format_size, parse_size};
use crate::client::{Target, drain};
use crate::servers;
use crate::xml;

/// What the check measured.
#[derive(Debug, serde::Serialize)]
pub(crate) struct MultipartReport {
    /// Object size, human readable.
    pub size: String,
    /// Part size, human readable.
    pub part_size: String,
    /// Number of parts.
    pub parts: u64,
    /// Parts uploaded at the same time.
    pub parallel: usize,
    /// One entry per round.
    pub rounds: Vec<Round>,
    /// Median multipart MiB/s ÷ median plain PUT MiB/s.
    pub ratio: f64,
}

/// One round: a plain PUT and a multipart upload of the same bytes (order alternates per round).
#[derive(Debug, serde::Serialize)]
pub(crate) struct Round {
    /// Whether the multipart upload went first.
    pub multipart_first: bool,
    /// The plain single PUT.
    pub plain: Upload,
    /// The whole multipart upload: Initiate, the parts, Complete.
    pub multipart: Upload,
    /// CompleteMultipartUpload latency, ms.
    pub complete_ms: f64,
    /// Bytes ossd wrote (`wchar` of `/proc/<pid>/io`, sockets included) during Complete.
    pub complete_wchar: u64,
    /// Bytes ossd dirtied in files (`write_bytes`) during Complete.
    pub complete_write_bytes: u64,
}

/// Runs the check against a bench-started ossd (or an --endpoint with --server-pid).
pub(crate) async fn run(args: &Args) -> anyhow::Result<MultipartReport> {
    let size = parse_size(&args.multipart_size)?;
    let part_size = parse_size(&args.part_size)?;
    if part_size == 0 || size == 0 {
        bail!("--multipart-size and --part-size must be positive");
    }
    let parallel = args.part_parallel.max(1);
    let server = servers::under_test(args, parallel)?;
    let pid = server
        .pid
        .context("--multipart-check needs the server's pid")?;
    let target = &server.target;
    target.create_bucket().await?;
    let block = random_block();
    let upload = Multipart {
        target,
        block: &block,
        size,
        part_size,
        parallel,
    };
    let mut rounds = Vec::new();
    for round in 0..args.rounds.max(1) {
        let multipart_first = round % 2 == 1;
        let plain_key = format!("multipart-check/{round}/plain");
        let mp_key = format!("multipart-check/{round}/multipart");
        let plain_put = || async {
            let body = RepeatBody::new(block.clone(), size);
            target.put(&plain_key, body).await.context("plain PUT")
        };
        let (plain, multipart, complete) = if multipart_first {
            let (mp, complete) = timed_peak(pid, size, upload.run(pid, &mp_key)).await?;
            (timed_peak(pid, size, plain_put()).await?.0, mp, complete)
        } else {
            let plain = timed_peak(pid, size, plain_put()).await?.0;
            let (mp, complete) = timed_peak(pid, size, upload.run(pid, &mp_key)).await?;
            (plain, mp, complete)
        };
        if round == 0 {
            verify(target, &block, &mp_key, size).await?;
        }
        let (complete_ms, complete_wchar, complete_write_bytes) = complete;
        eprintln!(
            "round {round}: plain {:.1} MiB/s, multipart {:.1} MiB/s, complete {complete_ms:.2} ms",
            plain.mib_per_sec, multipart.mib_per_sec
        );
        rounds.push(Round {
            multipart_first,
            plain,
            multipart,
            complete_ms,
            complete_wchar,
            complete_write_bytes,
        });
    }
    let speed = |f: fn(&Round) -> f64| median(rounds.iter().map(f).collect());
    let ratio = speed(|r| r.multipart.mib_per_sec) / speed(|r| r.plain.mib_per_sec);
    Ok(MultipartReport {
        size: format_size(size),
        part_size: format_size(part_size),
        parts: size.div_ceil(part_size),
        parallel,
        rounds,
        ratio,
    })
}

/// One multipart upload's parameters.
struct Multipart<'a> {
    target: &'a Target,
    block: &'a Bytes,
    size: u64,
    part_size: u64,
    parallel: usize,
}

impl Multipart<'_> {
    /// Initiate, parts in parallel, Complete; returns Complete's (ms, wchar, write_bytes).
    async fn run(&self, pid: u32, key: &str) -> anyhow::Result<(f64, u64, u64)> {
        let t = self.target;
        let query = [("uploads", None)];
        let response = t.send(Method::POST, Some(key), &query, RepeatBody::empty());
        let doc = read_text(response.await.context("Initiate")?).await?;
        let upload_id = xml::first(&doc, "UploadId")
            .context("no UploadId")?
            .to_owned();
        let parts = self.size.div_ceil(self.part_size);
        let next = Arc::new(AtomicU64::new(1));
        let mut workers = JoinSet::new();
        for _ in 0..self.parallel.min(parts as usize) {
            let (t, next, id, key) = (t.clone(), next.clone(), upload_id.clone(), key.to_owned());
            let (block, size, part_size) = (self.block.clone(), self.size, self.part_size);
            workers.spawn(async move {
                let mut etags = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n > parts {
                        return anyhow::Ok(etags);
                    }
                    let offset = (n - 1) * part_size;
                    let len = part_size.min(size - offset);
                    let body = RepeatBody::new(rotated(&block, offset), len);
                    let number = n.to_string();
                    let q = [
                        ("partNumber", Some(number.as_str())),
                        ("uploadId", Some(&id)),
                    ];
                    let response = t.send(Method::PUT, Some(&key), &q, body).await;
                    let response = response.with_context(|| format!("UploadPart {n}"))?;
                    let etag = response
                        .headers()
                        .get("etag")
                        .context("part without ETag")?;
                    etags.push((n, etag.to_str()?.to_owned()));
                    drain(response.into_body(), |_| ()).await?;
                }
            });
        }
        let mut etags = Vec::new();
        while let Some(done) = workers.join_next().await {
            etags.extend(done??);
        }
        etags.sort();
        let body: String = etags
            .iter()
            .map(|(n, e)| format!("<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>"))
            .collect();
        let body = format!("<CompleteMultipartUpload>{body}</CompleteMultipartUpload>");
        let md5 = STANDARD.encode(Md5::digest(body.as_bytes()));
        let headers = [("content-md5".to_owned(), md5)];
        let q = [("uploadId", Some(upload_id.as_str()))];
        let before = io_counters(pid)?;
        let started = Instant::now();
        let body = RepeatBody::once(Bytes::from(body));
        let response = t
            .send_with(Method::POST, Some(key), &q, &headers, body)
            .await;
        let doc = read_text(response.context("Complete")?).await?;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        let after = io_counters(pid)?;
        let etag = xml::first(&doc, "ETag").context("Complete result without ETag")?;
        if !etag
            .trim_matches(['"', ' '])
            .ends_with(&format!("-{parts}"))
        {
            bail!("Complete returned ETag {etag}, expected a {parts}-part multipart ETag");
        }
        Ok((ms, after.0 - before.0, after.1 - before.1))
    }
}

/// `block` rotated so that a body cut from it starts at absolute offset `offset` of the pattern.
fn rotated(block: &Bytes, offset: u64) -> Bytes {
    let start = (offset % block.len() as u64) as usize;
    if start == 0 {
        return block.clone();
    }
    let mut out = BytesMut::with_capacity(block.len());
    out.extend_from_slice(&block[start..]);
    out.extend_from_slice(&block[..start]);
    out.freeze()
}

/// A response body as text.
async fn read_text(response: http::Response<hyper::body::Incoming>) -> anyhow::Result<String> {
    let mut buf = Vec::new();
    drain(response.into_body(), |c| buf.extend_from_slice(c)).await?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// GETs `key` and checks it byte for byte against the pattern the plain PUT sent.
async fn verify(target: &Target, block: &Bytes, key: &str, size: u64) -> anyhow::Result<()> {
    let response = target.send(Method::GET, Some(key), &[], RepeatBody::empty());
    let (mut pos, mut intact) = (0u64, true);
    let got = drain(response.await?.into_body(), |chunk| {
        intact &= matches_pattern(block, pos, chunk);
        pos += chunk.len() as u64;
    })
    .await?;
    if got != size || !intact {
        bail!("multipart object: {got} bytes (expected {size}), content intact: {intact}");
    }
    Ok(())
}
