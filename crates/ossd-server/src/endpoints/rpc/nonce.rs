//! The RPC signature-nonce replay cache: a nonce seen within the timestamp window is refused.
//! Bounded in memory: entries expire after the window, and the map never exceeds a fixed size
//! (when full, the oldest entries are evicted first). Nodes sharing a database also record
//! every nonce there ([`SharedNonces`]), so a nonce seen by any node is refused by all
//! (docs/scale-out.md, "Caches").

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use ossd_meta::MetaError;

/// A nonce record every node of a cluster shares (the PostgreSQL metadata database).
#[async_trait]
pub trait SharedNonces: Send + Sync {
    /// Records `key` until `expires` (Unix seconds) unless a record of it that has not expired
    /// at `now` exists; false when one does (a replay, possibly sent to another node).
    async fn record(&self, key: &str, now: i64, expires: i64) -> Result<bool, MetaError>;
}

/// The most nonces remembered at once.
pub(super) const MAX_NONCES: usize = 200_000;

/// Remembered nonces with their expiry (Unix seconds): in this process, and in the shared
/// record when there is one.
#[derive(Default)]
pub struct NonceCache {
    inner: Mutex<Inner>,
    shared: Option<Arc<dyn SharedNonces>>,
}

#[derive(Default)]
struct Inner {
    seen: HashMap<String, i64>,
    order: VecDeque<(i64, String)>,
}

impl NonceCache {
    /// A cache that also records every nonce in `shared`, which all nodes consult.
    pub fn shared(shared: Arc<dyn SharedNonces>) -> Self {
        Self {
            inner: Mutex::default(),
            shared: Some(shared),
        }
    }

    /// Records `key` until `expires`; false when it was already recorded (a replay), here or,
    /// with a shared record, on any node. The local check runs first (no round trip for a
    /// replay to this node); a nonce new here is then recorded in the shared store.
    pub async fn check(&self, key: String, now: i64, expires: i64) -> Result<bool, MetaError> {
        let Some(shared) = &self.shared else {
            return Ok(self.insert(key, now, expires));
        };
        if !self.insert(key.clone(), now, expires) {
            return Ok(false);
        }
        shared.record(&key, now, expires).await
    }

    /// Records `key` until `expires` in this process; false when it was already recorded.
    pub fn insert(&self, key: String, now: i64, expires: i64) -> bool {
        let Ok(mut g) = self.inner.lock() else {
            return false;
        };
        g.expire(now);
        if g.seen.contains_key(&key) {
            return false;
        }
        while g.seen.len() >= MAX_NONCES {
            let Some((_, old)) = g.order.pop_front() else {
                break;
            };
            g.seen.remove(&old);
        }
        g.seen.insert(key.clone(), expires);
        g.order.push_back((expires, key));
        true
    }
}

impl Inner {
    fn expire(&mut self, now: i64) {
        while let Some((exp, _)) = self.order.front() {
            if *exp > now {
                break;
            }
            if let Some((_, k)) = self.order.pop_front() {
                self.seen.remove(&k);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A shared record that already holds `taken`.
    struct Other {
        taken: &'static str,
    }

    #[async_trait]
    impl SharedNonces for Other {
        async fn record(&self, key: &str, _now: i64, _expires: i64) -> Result<bool, MetaError> {
            Ok(key != self.taken)
        }
    }

    #[tokio::test]
    async fn a_nonce_another_node_recorded_is_refused() {
        let c = NonceCache::shared(Arc::new(Other { taken: "seen-on-b" }));
        assert!(c.check("fresh".into(), 0, 10).await.unwrap());
        assert!(!c.check("fresh".into(), 1, 11).await.unwrap());
        assert!(!c.check("seen-on-b".into(), 1, 11).await.unwrap());
        let local = NonceCache::default();
        assert!(local.check("x".into(), 0, 10).await.unwrap());
        assert!(!local.check("x".into(), 0, 10).await.unwrap());
    }

    #[test]
    fn replay_and_expiry() {
        let c = NonceCache::default();
        assert!(c.insert("a".into(), 0, 10));
        assert!(!c.insert("a".into(), 5, 15));
        assert!(
            c.insert("a".into(), 11, 20),
            "expired entries are forgotten"
        );
    }
}
