//! `--versions-check`: N versions of one key in a versioned bucket against N distinct keys in a
//! plain bucket, then ListObjectVersions paged through all versions against ListObjects paged
//! through all keys, and ListObjects on the versioned bucket (one current key) against a bucket
//! holding one object.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{Context, bail, ensure};
use bytes::Bytes;
use http::Method;
use tokio::task::JoinSet;

use crate::body::{RepeatBody, random_block};
use crate::checks::median;
use crate::client::{Target, drain};
use crate::servers;
use crate::{cli::Args, xml};

/// Page size of both listings (the largest the API allows).
pub(crate) const PAGE: &str = "1000";
/// Body size of every written object.
const BODY_BYTES: u64 = 256;
/// The one key of the versioned bucket (and of the one-object bucket).
const KEY: &str = "object";
/// ListObjects requests per pass on the versioned and on the one-object bucket.
const PROBES: usize = 100;
/// The body of `PUT /?versioning`.
const ENABLE: &str = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";

/// What the check measured.
#[derive(Debug, serde::Serialize)]
pub(crate) struct VersionsReport {
    /// Versions of the one key, and distinct keys in the plain bucket.
    pub count: u64,
    /// Concurrent writers.
    pub writers: usize,
    /// PUTs/s writing the versions of one key.
    pub version_puts_per_sec: f64,
    /// PUTs/s writing distinct keys to the plain bucket.
    pub key_puts_per_sec: f64,
    /// One entry per listing pass.
    pub passes: Vec<Pass>,
}

/// One pass over every listing.
#[derive(Debug, serde::Serialize)]
pub(crate) struct Pass {
    /// ListObjectVersions pages and seconds for all versions.
    pub versions: (u64, f64),
    /// ListObjects pages and seconds for all keys of the plain bucket.
    pub objects: (u64, f64),
    /// Median ms of one ListObjects on the versioned bucket (one current key).
    pub versioned_list_ms: f64,
    /// Median ms of one ListObjects on a bucket holding one object.
    pub one_object_list_ms: f64,
}

/// Runs the check against a bench-started ossd (or an --endpoint).
pub(crate) async fn run(args: &Args) -> anyhow::Result<VersionsReport> {
    let writers = args.concurrency.max(1);
    let server = servers::under_test(args, writers)?;
    let base = &server.target;
    let bucket = |suffix: &str| base.with_bucket(&format!("{}-{suffix}", args.bucket));
    let (versioned, plain, one) = (bucket("versions"), bucket("keys"), bucket("one"));
    for target in [&versioned, &plain, &one] {
        target.create_bucket().await?;
    }
    let enable = RepeatBody::once(Bytes::from_static(ENABLE.as_bytes()));
    let done = versioned.send(Method::PUT, None, &[("versioning", None)], enable);
    drain(done.await.context("PUT ?versioning")?.into_body(), |_| ()).await?;
    let block = random_block();
    let count = args.versions_count;
    let version_puts_per_sec = write(&versioned, &block, count, writers, |_| KEY.into()).await?;
    eprintln!("wrote {count} versions of one key: {version_puts_per_sec:.0} PUT/s");
    let key_puts_per_sec = write(&plain, &block, count, writers, |i| format!("k/{i:06}")).await?;
    eprintln!("wrote {count} distinct keys: {key_puts_per_sec:.0} PUT/s");
    write(&one, &block, 1, 1, |_| KEY.into()).await?;
    let mut passes = Vec::new();
    for pass in 0..args.rounds.max(1) {
        let (versions, objects) = if pass % 2 == 0 {
            let v = list_versions(&versioned, count).await?;
            (v, list_objects(&plain, count).await?)
        } else {
            let o = list_objects(&plain, count).await?;
            (list_versions(&versioned, count).await?, o)
        };
        let p = Pass {
            versions,
            objects,
            versioned_list_ms: probe(&versioned).await?,
            one_object_list_ms: probe(&one).await?,
        };
        eprintln!("pass {pass}: {}", p.line());
        passes.push(p);
    }
    Ok(VersionsReport {
        count,
        writers,
        version_puts_per_sec,
        key_puts_per_sec,
        passes,
    })
}

/// PUTs `count` small objects named by `key` with `writers` concurrent writers; returns PUT/s.
async fn write(
    target: &Target,
    block: &Bytes,
    count: u64,
    writers: usize,
    key: fn(u64) -> String,
) -> anyhow::Result<f64> {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut set = JoinSet::new();
    for _ in 0..writers {
        let (target, next, block) = (target.clone(), next.clone(), block.clone());
        set.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return anyhow::Ok(());
                }
                let body = RepeatBody::new(block.clone(), BODY_BYTES);
                target.put(&key(i), body).await?;
            }
        });
    }
    while let Some(done) = set.join_next().await {
        done??;
    }
    Ok(count as f64 / started.elapsed().as_secs_f64())
}

/// One signed GET on the bucket; returns the body as text.
async fn get_text(target: &Target, query: &[(&str, Option<&str>)]) -> anyhow::Result<String> {
    let response = target.send(Method::GET, None, query, RepeatBody::empty());
    let mut buf = Vec::new();
    drain(response.await?.into_body(), |c| buf.extend_from_slice(c)).await?;
    Ok(String::from_utf8(buf)?)
}

/// Pages through every version with key-marker/version-id-marker; returns (pages, seconds).
async fn list_versions(target: &Target, expected: u64) -> anyhow::Result<(u64, f64)> {
    let started = Instant::now();
    let (mut pages, mut ids, mut marker) = (0u64, HashSet::new(), None::<(String, String)>);
    loop {
        let mut query = vec![("versions", None), ("max-keys", Some(PAGE))];
        if let Some((key, id)) = &marker {
            query.extend([
                ("key-marker", Some(&**key)),
                ("version-id-marker", Some(id)),
            ]);
        }
        let doc = get_text(target, &query)
            .await
            .context("ListObjectVersions")?;
        pages += 1;
        ids.extend(xml::all(&doc, "VersionId").into_iter().map(str::to_owned));
        if xml::first(&doc, "IsTruncated") != Some("true") {
            break;
        }
        let key = xml::first(&doc, "NextKeyMarker").context("no NextKeyMarker")?;
        let id = xml::first(&doc, "NextVersionIdMarker").context("no NextVersionIdMarker")?;
        marker = Some((key.to_owned(), id.to_owned()));
    }
    let secs = started.elapsed().as_secs_f64();
    ensure!(
        ids.len() as u64 == expected,
        "{} distinct versions listed, expected {expected}",
        ids.len()
    );
    Ok((pages, secs))
}

/// Pages through every key with marker; returns (pages, seconds).
async fn list_objects(target: &Target, expected: u64) -> anyhow::Result<(u64, f64)> {
    let started = Instant::now();
    let (mut pages, mut keys, mut marker) = (0u64, 0u64, String::new());
    loop {
        let query = [("max-keys", Some(PAGE)), ("marker", Some(marker.as_str()))];
        let doc = get_text(target, &query).await.context("ListObjects")?;
        pages += 1;
        let listed = xml::all(&doc, "Key");
        keys += listed.len() as u64;
        if xml::first(&doc, "IsTruncated") != Some("true") {
            break;
        }
        let next = xml::first(&doc, "NextMarker").or(listed.last().copied());
        marker = next
            .context("truncated page without NextMarker or keys")?
            .to_owned();
    }
    let secs = started.elapsed().as_secs_f64();
    ensure!(keys == expected, "{keys} keys listed, expected {expected}");
    Ok((pages, secs))
}

/// Median ms of [`PROBES`] one-page ListObjects on a bucket that must list exactly one key.
async fn probe(target: &Target) -> anyhow::Result<f64> {
    let mut ms = Vec::with_capacity(PROBES);
    for _ in 0..PROBES {
        let started = Instant::now();
        let doc = get_text(target, &[("max-keys", Some(PAGE))]).await?;
        ms.push(started.elapsed().as_secs_f64() * 1e3);
        if xml::all(&doc, "Key") != [KEY] {
            bail!(
                "ListObjects listed {:?}, expected [{KEY:?}]",
                xml::all(&doc, "Key")
            );
        }
    }
    Ok(median(ms))
}
