//! Running the rules: one bucket or all of them (the admin endpoint), and the background worker
//! that does so every `--lifecycle-interval`. Runs never overlap: a run waits for the one in
//! progress.

use std::sync::Arc;
use std::time::Duration;

use ossd_meta::{ErrorChain, MetaError};
use ossd_proto::xml::LifecycleConfiguration;
use ossd_store::{LifecycleReport, Store, StoreError};
use ossd_types::lifecycle::LifecycleTime;
use tokio::sync::Mutex;

use crate::AppState;

/// Serializes the lifecycle runs of one server (the worker and `ossd admin lifecycle run`);
/// kept in [`AppState::lifecycle_runs`].
#[derive(Debug, Default)]
pub struct LifecycleRuns(Mutex<()>);

/// What a run did to one bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BucketReport {
    /// The bucket.
    pub bucket: String,
    /// Its counts.
    pub report: LifecycleReport,
}

/// Applies the rules of `only` (or of every bucket) now. Buckets without rules are skipped;
/// a named bucket without rules gives an empty list. Errors are metadata or storage failures.
pub(crate) async fn run_now(
    state: &AppState,
    only: Option<&str>,
) -> Result<Vec<BucketReport>, StoreError> {
    let _guard = state.lifecycle_runs.0.lock().await;
    let time = now(state);
    let names = match only {
        Some(name) => vec![name.to_owned()],
        None => all_buckets(state).await?,
    };
    let mut reports = Vec::new();
    for bucket in names {
        let Some(config) = load(&state.store, &bucket).await? else {
            continue;
        };
        match state
            .store
            .apply_lifecycle(&bucket, &config.rules, time)
            .await
        {
            Ok(report) => reports.push(BucketReport { bucket, report }),
            // Deleted while the run was under way.
            Err(StoreError::NoSuchBucket | StoreError::Meta(MetaError::NoSuchBucket)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(reports)
}

/// The lifecycle "now": the server clock in whole seconds (the precision of every stored time:
/// it also dates the delete markers a run creates), with the configured day length.
fn now(state: &AppState) -> LifecycleTime {
    let day_secs = i64::try_from(state.config.lifecycle_day_secs).unwrap_or(i64::MAX);
    LifecycleTime {
        now_ms: state.clock.now().unix_timestamp().saturating_mul(1000),
        day_ms: day_secs.saturating_mul(1000).max(1),
    }
}

/// Every bucket of the account, by name.
async fn all_buckets(state: &AppState) -> Result<Vec<String>, StoreError> {
    let all = state
        .store
        .buckets()
        .list_all(&state.config.account_id)
        .await?;
    Ok(all.into_iter().map(|b| b.name).collect())
}

/// Starts the background worker: every `interval` (the first run one interval after start) it
/// applies every bucket's rules and logs what it did. It ends with the runtime.
pub fn spawn_worker(state: Arc<AppState>, interval: Duration) -> tokio::task::JoinHandle<()> {
    spawn_worker_when(state, interval, || true)
}

/// As [`spawn_worker`], skipping the runs at which `active` is false: with several nodes on one
/// database only the leader runs the rules (docs/scale-out.md, "Leader").
pub fn spawn_worker_when(
    state: Arc<AppState>,
    interval: Duration,
    active: impl Fn() -> bool + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let period = interval.max(Duration::from_secs(1));
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if !active() {
                continue;
            }
            match run_now(&state, None).await {
                Ok(reports) => log(&reports),
                Err(e) => tracing::error!(error = %ErrorChain(&e), "lifecycle run failed"),
            }
        }
    })
}

fn log(reports: &[BucketReport]) {
    for r in reports {
        let c = &r.report;
        if *c == LifecycleReport::default() {
            continue;
        }
        tracing::info!(
            target: "ossd::lifecycle",
            bucket = %r.bucket,
            expired = c.expired,
            noncurrent_expired = c.noncurrent_expired,
            markers_removed = c.markers_removed,
            uploads_aborted = c.uploads_aborted,
            transitioned = c.transitioned,
            bytes_reclaimed = c.bytes_reclaimed,
            "lifecycle rules applied"
        );
    }
}

/// The stored rules of `bucket`: `None` when it has none (or no longer exists). A stored
/// document that no longer parses is logged and treated as no rules.
async fn load(store: &Store, bucket: &str) -> Result<Option<LifecycleConfiguration>, StoreError> {
    match store.bucket_configs().get(bucket).await {
        Err(StoreError::NoSuchBucket) => Ok(None),
        other => other,
    }
}
