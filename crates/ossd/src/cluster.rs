//! This process as one node of a cluster sharing a PostgreSQL database and the object data
//! (docs/scale-out.md): it follows the other nodes' IAM changes, records RPC nonces in the
//! database, competes for the leader lease, and while it leads sweeps the shared data for
//! orphans and prunes expired nonces (the lifecycle worker asks [`Node::is_leader`] too).

use std::sync::Arc;
use std::time::Duration;

use ossd_meta::MetaError;
use ossd_meta_postgres::{ChangeKind, Leadership, PgMeta};
use ossd_server::{AppState, NonceCache, SharedNonces};
use tokio::task::JoinHandle;

use crate::storage::SHARED_BLOB_GRACE;

/// How often the change feed polls the generation counters, in case a notification was missed:
/// the bound on how late a node sees another node's IAM change (docs/scale-out.md, "Caches").
pub(crate) const CHANGE_POLL: Duration = Duration::from_secs(1);

/// How often the leader sweeps the shared data for blobs no record references (and prunes
/// expired RPC nonces).
const SWEEP_INTERVAL: Duration = Duration::from_secs(600);

/// The cluster tasks of this node.
pub(crate) struct Node {
    leadership: Leadership,
    feed: JoinHandle<()>,
    sweeper: JoinHandle<()>,
}

impl Node {
    /// Starts following changes and competing for the lease (`lease` long).
    pub(crate) fn start(pg: &PgMeta, state: &Arc<AppState>, lease: Duration) -> Self {
        let id = node_id();
        tracing::info!(node = %id, "joining the cluster");
        let leadership = pg.lead(id, lease);
        let followed = state.clone();
        let feed = pg.watch_changes(CHANGE_POLL, move |change| {
            if change.kind == ChangeKind::Iam {
                followed.iam.invalidate_caches();
            }
        });
        let (leader, swept, db) = (leadership.checker(), state.clone(), pg.clone());
        let sweeper = tokio::spawn(async move {
            let start = tokio::time::Instant::now() + SWEEP_INTERVAL;
            let mut ticks = tokio::time::interval_at(start, SWEEP_INTERVAL);
            loop {
                ticks.tick().await;
                if !leader() {
                    continue;
                }
                match swept
                    .store
                    .sweep_orphans_older_than(SHARED_BLOB_GRACE)
                    .await
                {
                    Ok(0) => {}
                    Ok(files) => tracing::info!(files, "removed data files no record references"),
                    Err(e) => tracing::warn!(error = %e, "orphan sweep failed"),
                }
                // Nonce expiries are in the real time, as the RPC endpoint records them.
                let now = swept.clock.real_now().unix_timestamp();
                if let Err(e) = db.prune_nonces(now).await {
                    let error = ossd_meta::ErrorChain(&e);
                    tracing::warn!(%error, "could not prune expired RPC nonces");
                }
            }
        });
        Self {
            leadership,
            feed,
            sweeper,
        }
    }

    /// Whether this node leads now, for background tasks.
    pub(crate) fn is_leader(&self) -> impl Fn() -> bool + Send + Sync + 'static {
        self.leadership.checker()
    }

    /// Stops the tasks and frees the lease if this node held it.
    pub(crate) async fn stop(self) {
        self.feed.abort();
        self.sweeper.abort();
        self.leadership.release().await;
    }
}

/// The RPC nonce cache of a node: a nonce any node has seen is refused here too.
pub(crate) fn shared_nonces(pg: &PgMeta) -> NonceCache {
    NonceCache::shared(Arc::new(PgNonces(pg.clone())))
}

/// The nonces table of the shared database.
struct PgNonces(PgMeta);

#[async_trait::async_trait]
impl SharedNonces for PgNonces {
    async fn record(&self, key: &str, now: i64, expires: i64) -> Result<bool, MetaError> {
        self.0.record_nonce(key, now, expires).await
    }
}

/// A name for this process in the lease row and the logs: host, process id and a random part
/// (a restarted process is a new node).
fn node_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "node".to_owned());
    format!(
        "{host}-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}
