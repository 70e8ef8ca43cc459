//! [`IamStats`]: counters for metrics.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters for metrics: tokens issued, denials.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IamStats {
    /// STS tokens issued.
    pub tokens_issued: u64,
    /// OSS, RAM and STS requests denied by authorization.
    pub denials: u64,
    /// Credentials that failed to resolve (unknown, inactive, bad or expired tokens).
    pub resolve_failures: u64,
    /// RAM actions that changed the identity store.
    pub writes: u64,
}

/// The live counters behind [`IamStats`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    tokens_issued: AtomicU64,
    denials: AtomicU64,
    resolve_failures: AtomicU64,
    writes: AtomicU64,
}

impl Counters {
    /// Counts an issued token.
    pub(crate) fn token_issued(&self) {
        self.tokens_issued.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a denial.
    pub(crate) fn denied(&self) {
        self.denials.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a failed resolve.
    pub(crate) fn resolve_failed(&self) {
        self.resolve_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a committed write.
    pub(crate) fn wrote(&self) {
        self.writes.fetch_add(1, Ordering::Relaxed);
    }

    /// A snapshot.
    pub(crate) fn snapshot(&self) -> IamStats {
        IamStats {
            tokens_issued: self.tokens_issued.load(Ordering::Relaxed),
            denials: self.denials.load(Ordering::Relaxed),
            resolve_failures: self.resolve_failures.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
        }
    }
}
