//! The RPC signature-nonce replay cache: a nonce seen within the timestamp window is refused.
//! Bounded in memory: entries expire after the window, and the map never exceeds a fixed size
//! (when full, the oldest entries are evicted first).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// The most nonces remembered at once.
pub(super) const MAX_NONCES: usize = 200_000;

/// Remembered nonces with their expiry (Unix seconds).
#[derive(Default)]
pub struct NonceCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    seen: HashMap<String, i64>,
    order: VecDeque<(i64, String)>,
}

impl NonceCache {
    /// Records `key` until `expires`; false when it was already recorded (a replay).
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
mod tests {
    use super::*;

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
