//! `--rss-check`: PUT then GET one large object (streamed both ways) and report the server's peak RSS.

use std::time::Instant;

use anyhow::{Context, bail};
use bytes::Bytes;
use http::Method;

use crate::body::{RepeatBody, matches_pattern, random_block};
use crate::cli::{Args, format_size, parse_size};
use crate::client::{Target, drain};
use crate::procfs;
use crate::servers;

/// The key of the checked object (`rss-check/<size>/object`, which the reference server reads).
fn key(size: u64) -> String {
    format!("rss-check/{}/object", format_size(size))
}
/// Bytes per MiB.
const MIB: f64 = 1024.0 * 1024.0;

/// What the check measured.
#[derive(Debug, serde::Serialize)]
pub(crate) struct RssReport {
    /// Object size, human readable.
    pub size: String,
    /// Server RSS before the PUT, MiB.
    pub baseline_rss_mib: f64,
    /// PUT wall time, seconds.
    pub put_secs: f64,
    /// Server peak RSS during the PUT, MiB.
    pub put_peak_rss_mib: f64,
    /// GET wall time, seconds (the download is verified byte for byte).
    pub get_secs: f64,
    /// Server peak RSS during the GET, MiB.
    pub get_peak_rss_mib: f64,
    /// The bench's own peak RSS, MiB (shows the client streamed too).
    pub client_peak_rss_mib: f64,
    /// The limit, MiB.
    pub limit_mib: u64,
    /// Whether both peaks are under the limit.
    pub pass: bool,
}

/// Runs the check against a bench-started ossd (or an --endpoint with --server-pid).
pub(crate) async fn run(args: &Args) -> anyhow::Result<RssReport> {
    let size = parse_size(&args.rss_size)?;
    let server = servers::under_test(args, 1)?;
    let pid = server
        .pid
        .context("--rss-check needs the server's pid: omit --endpoint or give --server-pid")?;
    server.target.create_bucket().await?;
    let block = random_block();
    procfs::reset_peak_rss(pid)?;
    let baseline = procfs::peak_rss(pid)?;
    let (put_secs, put_peak) = put(&server.target, pid, &block, size).await?;
    let (get_secs, get_peak) = get(&server.target, pid, &block, size).await?;
    let client_peak = procfs::peak_rss(std::process::id())?;
    let limit = args.rss_limit_mib;
    Ok(RssReport {
        size: format_size(size),
        baseline_rss_mib: baseline as f64 / MIB,
        put_secs,
        put_peak_rss_mib: put_peak as f64 / MIB,
        get_secs,
        get_peak_rss_mib: get_peak as f64 / MIB,
        client_peak_rss_mib: client_peak as f64 / MIB,
        limit_mib: limit,
        pass: put_peak.max(get_peak) < limit * (1 << 20),
    })
}

/// Streams the object up; returns the seconds taken and the server's peak RSS meanwhile.
async fn put(target: &Target, pid: u32, block: &Bytes, size: u64) -> anyhow::Result<(f64, u64)> {
    procfs::reset_peak_rss(pid)?;
    let started = Instant::now();
    target
        .put(&key(size), RepeatBody::new(block.clone(), size))
        .await
        .context("PUT")?;
    Ok((started.elapsed().as_secs_f64(), procfs::peak_rss(pid)?))
}

/// Streams the object down, verifying every byte; returns the seconds and the server's peak RSS.
async fn get(target: &Target, pid: u32, block: &Bytes, size: u64) -> anyhow::Result<(f64, u64)> {
    procfs::reset_peak_rss(pid)?;
    let started = Instant::now();
    let response = target
        .send(Method::GET, Some(&key(size)), &[], RepeatBody::empty())
        .await
        .context("GET")?;
    let (mut pos, mut intact) = (0u64, true);
    let got = drain(response.into_body(), |chunk| {
        intact &= matches_pattern(block, pos, chunk);
        pos += chunk.len() as u64;
    })
    .await?;
    let secs = started.elapsed().as_secs_f64();
    let peak = procfs::peak_rss(pid)?;
    if got != size || !intact {
        bail!("GET returned {got} bytes (expected {size}), content intact: {intact}");
    }
    Ok((secs, peak))
}

impl RssReport {
    /// The plain-text report.
    pub(crate) fn text(&self) -> String {
        let mib =
            |secs: f64| parse_size(&self.size).map_or(0.0, |b| b as f64 / MIB / secs.max(1e-9));
        format!(
            "rss-check: {} object\n  server RSS before:   {:>7.1} MiB\n  PUT: {:>6.2} s ({:>6.1} MiB/s), server peak RSS {:>7.1} MiB\n  \
             GET: {:>6.2} s ({:>6.1} MiB/s), server peak RSS {:>7.1} MiB (content verified)\n  \
             bench client peak RSS {:.1} MiB\n  limit {} MiB: {}\n",
            self.size,
            self.baseline_rss_mib,
            self.put_secs,
            mib(self.put_secs),
            self.put_peak_rss_mib,
            self.get_secs,
            mib(self.get_secs),
            self.get_peak_rss_mib,
            self.client_peak_rss_mib,
            self.limit_mib,
            if self.pass { "PASS" } else { "FAIL" }
        )
    }
}
