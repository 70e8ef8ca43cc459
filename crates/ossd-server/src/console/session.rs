//! Console sessions (docs/console.md#sign-in-and-sessions): a server-side store of signed-in
//! browsers, keyed by a random 256-bit id that the `ossd_console` cookie carries. A session holds
//! the credentials the user signed in with (they never leave the server and are never logged),
//! its CSRF token and what the server said about the identity. Sessions live in this process
//! only: each node of a cluster has its own.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::RngCore;

/// At most this many sessions at once; signing in beyond it drops the least recently used.
pub(crate) const MAX_SESSIONS: usize = 1024;
/// A session unused for this long is gone.
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// A session is gone this long after sign-in, used or not.
pub(crate) const ABSOLUTE_TIMEOUT: Duration = Duration::from_secs(12 * 60 * 60);

/// The credentials a session signs its requests with.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    /// The AccessKey id.
    pub access_key_id: String,
    /// The AccessKey secret.
    pub secret: String,
    /// The STS security token of temporary credentials.
    pub security_token: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// One signed-in browser.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The session id (64 hex digits), the cookie's value.
    pub id: String,
    /// The token every state-changing request must carry (64 hex digits).
    pub csrf: String,
    /// The credentials requests are signed with.
    pub creds: Credentials,
    /// Who signed in, as GetCallerIdentity answered: the ARN.
    pub arn: String,
    /// The identity's type (`Account`, `RAMUser`, `AssumedRoleUser`).
    pub identity_type: String,
    created: Instant,
    last_seen: Instant,
}

impl Session {
    /// Whether the session has expired at `now` (idle or absolute).
    fn expired(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.last_seen) >= IDLE_TIMEOUT
            || now.saturating_duration_since(self.created) >= ABSOLUTE_TIMEOUT
    }
}

/// The in-memory session store of one server (`AppState::console`).
#[derive(Debug, Clone, Default)]
pub struct ConsoleSessions {
    inner: Arc<Mutex<HashMap<String, Session>>>,
}

/// 32 random bytes as 64 hex digits.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl ConsoleSessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // A panic while holding the lock leaves a map that is still consistent.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts a session for verified credentials; returns it.
    pub(crate) fn create(
        &self,
        creds: Credentials,
        arn: String,
        identity_type: String,
        now: Instant,
    ) -> Session {
        let session = Session {
            id: random_token(),
            csrf: random_token(),
            creds,
            arn,
            identity_type,
            created: now,
            last_seen: now,
        };
        let mut map = self.lock();
        map.retain(|_, s| !s.expired(now));
        while map.len() >= MAX_SESSIONS {
            let oldest = map
                .values()
                .min_by_key(|s| s.last_seen)
                .map(|s| s.id.clone());
            match oldest {
                Some(id) => map.remove(&id),
                None => break,
            };
        }
        map.insert(session.id.clone(), session.clone());
        session
    }

    /// The live session with `id`, its idle timer restarted; an expired one is removed.
    pub(crate) fn touch(&self, id: &str, now: Instant) -> Option<Session> {
        let mut map = self.lock();
        let session = map.get_mut(id)?;
        if session.expired(now) {
            map.remove(id);
            return None;
        }
        session.last_seen = now;
        Some(session.clone())
    }

    /// Ends the session `id` (sign-out).
    pub(crate) fn remove(&self, id: &str) {
        self.lock().remove(id);
    }

    /// The number of sessions held (expired ones included until next swept).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "LTAIkey".to_owned(),
            secret: "secret".to_owned(),
            security_token: None,
        }
    }

    fn start(store: &ConsoleSessions, now: Instant) -> Session {
        store.create(creds(), "acs:ram::1:root".into(), "Account".into(), now)
    }

    #[test]
    fn ids_and_tokens_are_256_bit_and_distinct() {
        let store = ConsoleSessions::default();
        let now = Instant::now();
        let a = start(&store, now);
        let b = start(&store, now);
        assert_eq!(a.id.len(), 64);
        assert_eq!(a.csrf.len(), 64);
        assert_ne!(a.id, b.id);
        assert_ne!(a.id, a.csrf);
    }

    #[test]
    fn idle_expiry() {
        let store = ConsoleSessions::default();
        let t0 = Instant::now();
        let s = start(&store, t0);
        let later = t0 + IDLE_TIMEOUT - Duration::from_secs(1);
        assert!(store.touch(&s.id, later).is_some());
        // Used just now: the idle timer restarted.
        assert!(
            store
                .touch(&s.id, later + IDLE_TIMEOUT - Duration::from_secs(1))
                .is_some()
        );
        assert!(store.touch(&s.id, later + IDLE_TIMEOUT * 2).is_none());
        assert_eq!(store.len(), 0, "an expired session is removed");
    }

    #[test]
    fn absolute_expiry_despite_use() {
        let store = ConsoleSessions::default();
        let t0 = Instant::now();
        let s = start(&store, t0);
        let mut t = t0;
        while t < t0 + ABSOLUTE_TIMEOUT - IDLE_TIMEOUT {
            t += IDLE_TIMEOUT / 2;
            assert!(store.touch(&s.id, t).is_some());
        }
        assert!(store.touch(&s.id, t0 + ABSOLUTE_TIMEOUT).is_none());
    }

    #[test]
    fn sign_out_removes() {
        let store = ConsoleSessions::default();
        let now = Instant::now();
        let s = start(&store, now);
        store.remove(&s.id);
        assert!(store.touch(&s.id, now).is_none());
    }

    #[test]
    fn bounded_count_drops_least_recently_used() {
        let store = ConsoleSessions::default();
        let t0 = Instant::now();
        let first = start(&store, t0);
        for i in 1..MAX_SESSIONS {
            start(&store, t0 + Duration::from_millis(i as u64));
        }
        let newest = start(&store, t0 + Duration::from_secs(60));
        assert_eq!(store.len(), MAX_SESSIONS);
        assert!(
            store
                .touch(&first.id, t0 + Duration::from_secs(61))
                .is_none()
        );
        assert!(
            store
                .touch(&newest.id, t0 + Duration::from_secs(61))
                .is_some()
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let shown = format!("{:?}", creds());
        assert!(!shown.contains("\"secret\""), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
