//! Group-commit counters of the writer, for metrics, and the installed [`CommitObserver`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use ossd_meta::CommitObserver;

/// A snapshot of the writer's counters since the store was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriterStats {
    /// Transactions committed. One `fdatasync` of the WAL by the syncer covers one or more of
    /// them before their callers are answered (`syncer.rs`).
    pub commits: u64,
    /// Mutations in committed transactions (including ones that failed alone and were undone).
    pub mutations: u64,
    /// Transactions that failed to commit (their callers got an error).
    pub failed_commits: u64,
    /// The most mutations in one transaction.
    pub largest_batch: u64,
}

/// The live counters, shared by the writer thread and the store handle.
#[derive(Default)]
pub(crate) struct Counters {
    commits: AtomicU64,
    mutations: AtomicU64,
    failed_commits: AtomicU64,
    largest_batch: AtomicU64,
    observer: RwLock<Option<Arc<dyn CommitObserver>>>,
}

impl std::fmt::Debug for Counters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counters")
            .field("stats", &self.snapshot())
            .finish_non_exhaustive()
    }
}

impl Counters {
    /// Counts one batch of `size` mutations that committed (`ok`) or failed after `elapsed`,
    /// and tells the observer, if one is installed.
    pub(crate) fn record(&self, size: usize, ok: bool, elapsed: Duration) {
        let observer = self.observer.read().map_or(None, |o| o.clone());
        if let Some(observer) = observer {
            observer.commit(size, elapsed, ok);
        }
        let size = u64::try_from(size).unwrap_or(u64::MAX);
        if ok {
            self.commits.fetch_add(1, Ordering::Relaxed);
            self.mutations.fetch_add(size, Ordering::Relaxed);
        } else {
            self.failed_commits.fetch_add(1, Ordering::Relaxed);
        }
        self.largest_batch.fetch_max(size, Ordering::Relaxed);
    }

    /// Installs (or replaces) the observer told of every later commit.
    pub(crate) fn set_observer(&self, observer: Arc<dyn CommitObserver>) {
        match self.observer.write() {
            Ok(mut slot) => *slot = Some(observer),
            Err(poisoned) => *poisoned.into_inner() = Some(observer),
        }
    }

    /// The current values.
    pub(crate) fn snapshot(&self) -> WriterStats {
        WriterStats {
            commits: self.commits.load(Ordering::Relaxed),
            mutations: self.mutations.load(Ordering::Relaxed),
            failed_commits: self.failed_commits.load(Ordering::Relaxed),
            largest_batch: self.largest_batch.load(Ordering::Relaxed),
        }
    }
}
