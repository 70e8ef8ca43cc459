//! The benchmark run: every phase against the reference server and then the server under test.

use std::collections::{BTreeSet, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use bytes::Bytes;
use tokio::task::JoinSet;

use crate::body::{RepeatBody, random_block};
use crate::cli::{Args, format_size};
use crate::db_work;
use crate::procfs;
use crate::report::Row;
use crate::servers::{self, Server};
use crate::workload::{self, Op, Phase};

/// LIST phases want at least a full page of keys (fewer for huge objects, to bound seeding).
const LIST_PAGE: u64 = 100;
/// Seeding for LIST stops at this many bytes per size.
const LIST_SEED_BYTES: u64 = 1 << 30;

/// Keys present on one server, by object size.
type Objects = HashMap<u64, BTreeSet<String>>;

/// Runs all phases; returns one row per phase and server.
pub(crate) async fn run(args: &Args) -> anyhow::Result<Vec<Row>> {
    let phases = args.phases()?;
    let pool = phases.iter().map(|p| p.concurrency).max().unwrap_or(1);
    let servers = start(args, pool).await?;
    let block = random_block();
    let run_id = run_id();
    let mut objects: Vec<Objects> = servers.iter().map(|_| Objects::new()).collect();
    let mut rows = Vec::new();
    for phase in &phases {
        let prefix = format!("{run_id}/{}/", format_size(phase.size));
        let mut reference: Option<Row> = None;
        for (server, objects) in servers.iter().zip(objects.iter_mut()) {
            let keys = objects.entry(phase.size).or_default();
            seed(server, phase, &prefix, keys, &block).await?;
            let mut row = measure(server, phase, &prefix, keys, &block).await;
            match &reference {
                Some(r) => row.compare_with(r),
                None if server.name == "reference" => reference = Some(row.clone()),
                None => {}
            }
            eprintln!("{}", row.progress_line());
            rows.push(row);
        }
    }
    Ok(rows)
}

/// Starts the reference server and the server under test, and creates the bucket on both.
async fn start(args: &Args, pool: usize) -> anyhow::Result<Vec<Server>> {
    let mut servers: Vec<Server> = servers::reference(args, pool)?.into_iter().collect();
    servers.push(servers::under_test(args, pool)?);
    for server in &servers {
        let created = server.target.create_bucket().await;
        created.with_context(|| format!("on {}", server.name))?;
    }
    Ok(servers)
}

/// A key prefix unique to this run (`bench-<unix seconds>`), so reruns never collide.
#[allow(clippy::disallowed_methods)] // a client-side label, not a server time
fn run_id() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("bench-{secs}")
}

/// Runs one phase on one server with its peak RSS reset first; records the written keys.
async fn measure(
    server: &Server,
    phase: &Phase,
    prefix: &str,
    keys: &mut BTreeSet<String>,
    block: &Bytes,
) -> Row {
    let pid = server.pid;
    let rss_reset = pid
        .map(|p| procfs::reset_peak_rss(p).is_ok())
        .unwrap_or(false);
    // Only a server that is not the reference can report database work.
    let db_before = match server.name.as_str() {
        "reference" => None,
        _ => db_work::scrape(&server.target).await,
    };
    let cpu_before = pid.and_then(|p| procfs::cpu_seconds(p).ok());
    let outcome = workload::run(
        &server.target,
        phase,
        prefix,
        keys.iter().cloned().collect(),
        block,
    )
    .await;
    let cpu_after = pid.and_then(|p| procfs::cpu_seconds(p).ok());
    let db_after = match db_before {
        Some(_) => db_work::scrape(&server.target).await,
        None => None,
    };
    // Without a reset VmHWM is the lifetime peak, which would blame earlier phases on this one.
    let peak_rss = pid
        .filter(|_| rss_reset)
        .and_then(|p| procfs::peak_rss(p).ok());
    let wall = outcome.wall.as_secs_f64().max(1e-9);
    let cpu_pct = cpu_before
        .zip(cpu_after)
        .map(|(a, b)| (b - a) / wall * 100.0);
    keys.extend(outcome.written);
    let summary = outcome.samples.summarize(outcome.wall);
    let requests = summary.ops + summary.errors;
    let mut row = Row::new(&server.name, phase, summary, peak_rss, cpu_pct);
    row.db = db_before
        .zip(db_after)
        .and_then(|(before, after)| before.per_request(&after, requests));
    row
}

/// PUTs (untimed) the objects a GET, HEAD or LIST phase needs when earlier phases left too few.
async fn seed(
    server: &Server,
    phase: &Phase,
    prefix: &str,
    keys: &mut BTreeSet<String>,
    block: &Bytes,
) -> anyhow::Result<()> {
    let wanted = match phase.op {
        Op::Put => 0,
        Op::Get | Op::Head => phase.concurrency as u64,
        Op::List => LIST_PAGE.min((LIST_SEED_BYTES / phase.size.max(1)).max(1)),
    };
    let base = keys.len() as u64;
    let missing = wanted.saturating_sub(base);
    let mut next = 0u64;
    while next < missing {
        let mut tasks = JoinSet::new();
        for n in next..missing.min(next + phase.concurrency as u64) {
            let (target, key) = (
                server.target.clone(),
                format!("{prefix}seed-{:06}", base + n),
            );
            let body = RepeatBody::new(block.clone(), phase.size);
            tasks.spawn(async move { target.put(&key, body).await.map(|_| key) });
        }
        next = missing.min(next + phase.concurrency as u64);
        while let Some(done) = tasks.join_next().await {
            let key = done
                .context("seeding task")?
                .with_context(|| format!("seeding on {}", server.name))?;
            keys.insert(key);
        }
    }
    Ok(())
}
