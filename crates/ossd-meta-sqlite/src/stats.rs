//! Group-commit counters of the writer, for metrics.

use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of the writer's counters since the store was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriterStats {
    /// Transactions committed (each one fsync).
    pub commits: u64,
    /// Mutations in committed transactions (including ones that failed alone and were undone).
    pub mutations: u64,
    /// Transactions that failed to commit (their callers got an error).
    pub failed_commits: u64,
    /// The most mutations in one transaction.
    pub largest_batch: u64,
}

/// The live counters, shared by the writer thread and the store handle.
#[derive(Debug, Default)]
pub struct Counters {
    commits: AtomicU64,
    mutations: AtomicU64,
    failed_commits: AtomicU64,
    largest_batch: AtomicU64,
}

impl Counters {
    /// Counts one batch of `size` mutations that committed (`ok`) or failed.
    pub fn record(&self, size: usize, ok: bool) {
        let size = u64::try_from(size).unwrap_or(u64::MAX);
        if ok {
            self.commits.fetch_add(1, Ordering::Relaxed);
            self.mutations.fetch_add(size, Ordering::Relaxed);
        } else {
            self.failed_commits.fetch_add(1, Ordering::Relaxed);
        }
        self.largest_batch.fetch_max(size, Ordering::Relaxed);
    }

    /// The current values.
    pub fn snapshot(&self) -> WriterStats {
        WriterStats {
            commits: self.commits.load(Ordering::Relaxed),
            mutations: self.mutations.load(Ordering::Relaxed),
            failed_commits: self.failed_commits.load(Ordering::Relaxed),
            largest_batch: self.largest_batch.load(Ordering::Relaxed),
        }
    }
}
