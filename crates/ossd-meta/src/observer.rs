//! [`CommitObserver`]: how a backend reports its commits (group-commit batch sizes and latency)
//! and, for a backend with a database server, the statements each operation sent (round trips
//! and time waiting for the answers) to whoever wants them, e.g. the server's metrics.

use std::time::Duration;

/// Receives one call per metadata commit (one transaction) and, from backends that talk to a
/// database server, one call per [`crate::MetaStore`] operation. Called on the backend's
/// threads: implementations must be quick and must not block.
pub trait CommitObserver: Send + Sync + 'static {
    /// A transaction of `mutations` writes finished after `elapsed` (from its start to the end of
    /// its commit); `ok` is false when the commit failed and every caller in it got an error.
    fn commit(&self, mutations: usize, elapsed: Duration, ok: bool);

    /// One call of the [`crate::MetaStore`] operation `op` (its method name, e.g. `get_object`)
    /// sent `round_trips` statements to the database server (transaction control included, every
    /// retry counted) and waited `waited` in total for their answers. Embedded backends never
    /// call it (the default ignores it).
    fn db_work(&self, op: &'static str, round_trips: u32, waited: Duration) {
        let _ = (op, round_trips, waited);
    }
}
