//! [`CommitObserver`]: how a backend reports its commits (group-commit batch sizes and latency)
//! to whoever wants them, e.g. the server's metrics.

use std::time::Duration;

/// Receives one call per metadata commit (one transaction). Called on the backend's writer
/// thread: implementations must be quick and must not block.
pub trait CommitObserver: Send + Sync + 'static {
    /// A transaction of `mutations` writes finished after `elapsed` (from its start to the end of
    /// its commit); `ok` is false when the commit failed and every caller in it got an error.
    fn commit(&self, mutations: usize, elapsed: Duration, ok: bool);
}
