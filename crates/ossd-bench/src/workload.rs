//! One timed phase: N concurrent workers repeating one operation on one object size.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use rand::Rng;

use crate::body::RepeatBody;
use crate::client::Target;
use crate::stats::Samples;

/// A worker gives up after this many errors in a row (server gone).
const MAX_CONSECUTIVE_ERRORS: u32 = 100;
/// PUT workers cycle through at most this many bytes of distinct keys each (bounds disk use).
const PUT_KEY_BYTES_PER_WORKER: u64 = 512 << 20;

/// An object-API operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum Op {
    /// PutObject.
    Put,
    /// GetObject (whole object).
    Get,
    /// HeadObject.
    Head,
    /// ListObjectsV2, one page of up to 100 keys.
    List,
}

impl Op {
    /// The upper-case name used in reports.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Op::Put => "PUT",
            Op::Get => "GET",
            Op::Head => "HEAD",
            Op::List => "LIST",
        }
    }
}

/// What to run in one phase.
#[derive(Debug, Clone)]
pub(crate) struct Phase {
    /// The operation.
    pub op: Op,
    /// The object size in bytes.
    pub size: u64,
    /// Concurrent workers (one kept-alive connection each).
    pub concurrency: usize,
    /// Workers start no new operation after this much time.
    pub duration: Duration,
}

/// Everything the workers of one phase share.
struct Shared {
    /// The server.
    target: Target,
    /// The phase.
    phase: Phase,
    /// Key prefix of this size's objects.
    prefix: String,
    /// Existing keys (for GET and HEAD).
    keys: Vec<String>,
    /// The payload block.
    block: Bytes,
    /// When the phase started.
    start: Instant,
}

/// What a phase produced: samples, wall time, and the keys it wrote.
pub(crate) struct Outcome {
    /// Merged samples of all workers.
    pub samples: Samples,
    /// Wall time until the last worker finished.
    pub wall: Duration,
    /// Keys written by PUT.
    pub written: BTreeSet<String>,
}

/// Runs `phase` against `target`; GET and HEAD pick random keys among `keys`.
pub(crate) async fn run(
    target: &Target,
    phase: &Phase,
    prefix: &str,
    keys: Vec<String>,
    block: &Bytes,
) -> Outcome {
    let shared = Arc::new(Shared {
        target: target.clone(),
        phase: phase.clone(),
        prefix: prefix.to_owned(),
        keys,
        block: block.clone(),
        start: Instant::now(),
    });
    let workers: Vec<_> = (0..phase.concurrency.max(1))
        .map(|w| tokio::spawn(worker(Arc::clone(&shared), w)))
        .collect();
    let mut outcome = Outcome {
        samples: Samples::default(),
        wall: Duration::ZERO,
        written: BTreeSet::new(),
    };
    for handle in workers {
        match handle.await {
            Ok((samples, written)) => {
                outcome.samples.merge(samples);
                outcome.written.extend(written);
            }
            Err(e) => outcome
                .samples
                .err(&anyhow::anyhow!("worker panicked: {e}")),
        }
    }
    outcome.wall = shared.start.elapsed();
    outcome
}

/// One worker: repeats the operation on its node until the phase's time is up.
async fn worker(shared: Arc<Shared>, w: usize) -> (Samples, BTreeSet<String>) {
    let mut samples = Samples::default();
    let mut written = BTreeSet::new();
    let key_cap = (PUT_KEY_BYTES_PER_WORKER / shared.phase.size.max(1)).max(1);
    let (mut i, mut failing) = (0u64, 0u32);
    let target = shared.target.for_worker(w);
    while shared.start.elapsed() < shared.phase.duration && failing < MAX_CONSECUTIVE_ERRORS {
        let put_key = format!("{}w{w:02}-{:06}", shared.prefix, i % key_cap);
        i += 1;
        let t0 = Instant::now();
        match one_op(&shared, &target, &put_key).await {
            Ok(bytes) => {
                samples.ok(t0.elapsed(), bytes);
                failing = 0;
                if shared.phase.op == Op::Put {
                    written.insert(put_key);
                }
            }
            Err(e) => {
                samples.err(&e);
                failing += 1;
            }
        }
    }
    (samples, written)
}

/// Performs one operation; returns the payload bytes it moved.
async fn one_op(shared: &Shared, target: &Target, put_key: &str) -> anyhow::Result<u64> {
    let size = shared.phase.size;
    match shared.phase.op {
        Op::Put => {
            target
                .put(put_key, RepeatBody::new(shared.block.clone(), size))
                .await
        }
        Op::Get => target.get(random_key(&shared.keys)?, size).await,
        Op::Head => target.head(random_key(&shared.keys)?, size).await,
        Op::List => target.list(&shared.prefix).await,
    }
}

/// A uniformly chosen key.
fn random_key(keys: &[String]) -> anyhow::Result<&str> {
    anyhow::ensure!(!keys.is_empty(), "no objects to read");
    let index = rand::rng().random_range(0..keys.len());
    keys.get(index)
        .map(String::as_str)
        .ok_or_else(|| anyhow::anyhow!("key index out of range"))
}
