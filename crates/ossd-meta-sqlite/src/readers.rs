//! A small pool of read-only connections. Each read runs inside one read transaction (one
//! consistent snapshot), with at most [`READERS`] at a time: on the blocking thread pool, or, for
//! the point reads of one object version ([`Readers::try_point`]) and short listings
//! ([`Readers::run_short`]), on the calling thread.

use crate::error::SqliteError;
use crate::schema::open_reader;
use crate::stmt;
use ossd_meta::MetaError;
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::{Semaphore, SemaphorePermit};

/// How many reads may run at once (each holds one connection).
pub(crate) const READERS: usize = 4;

/// The largest `max-keys` of a listing page read on the async worker ([`Readers::run_short`]):
/// the default page of ListObjects (docs/protocol/buckets.md#listobjects).
pub(crate) const SHORT_LISTING: usize = 100;

/// The reader pool.
#[derive(Debug)]
pub(crate) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

impl Readers {
    /// A pool over the database at `path`; connections open on first use.
    pub(crate) fn new(path: PathBuf) -> Self {
        Self {
            path,
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(READERS)),
        }
    }

    /// Runs `read` on a pooled connection inside a read transaction.
    pub(crate) async fn run<T, F>(self: &Arc<Self>, read: F) -> Result<T, MetaError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, MetaError> + Send + 'static,
    {
        let permits = Arc::clone(&self.permits);
        let permit = permits
            .acquire_owned()
            .await
            .map_err(|_| MetaError::Unavailable("the reader pool is closed"))?;
        let pool = Arc::clone(self);
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let conn = pool.take()?;
            let result = in_snapshot(&conn, read);
            pool.give(conn);
            result
        });
        task.await.map_err(|source| SqliteError::Task {
            what: "metadata read",
            source,
        })?
    }

    /// Runs the point read `read` (a handful of B-tree pages: one object version) on the calling
    /// async worker when a permit and an idle connection are at hand at once, else gives it back
    /// (the caller then uses [`Self::run`]). `read` may borrow, as nothing is sent to another
    /// thread. `read` must run a single statement: SQLite reads each statement in one snapshot, so no
    /// transaction is opened around it on the worker.
    ///
    /// The hop to the blocking pool costs two thread wake-ups (futex system calls and context
    /// switches, kernel time) per read, more than the read itself when its pages are in memory.
    /// A reader in WAL mode never waits for the writer or the checkpointer (it reads the snapshot
    /// the WAL index gives it; <https://www.sqlite.org/wal.html#concurrency>), so the worker is
    /// held only for the read's own page accesses.
    pub(crate) fn try_point<T, F>(&self, read: F) -> Result<Result<T, MetaError>, F>
    where
        F: FnOnce(&Connection) -> Result<T, MetaError>,
    {
        let Some((permit, conn)) = self.try_idle() else {
            return Err(read);
        };
        let result = read(&conn);
        self.give(conn);
        drop(permit);
        Ok(result)
    }

    /// Runs `read` inside a read transaction as [`Self::run`] does, but on the calling async
    /// worker when a permit and an idle connection are at hand at once: for reads bounded to a
    /// few hundred rows, such as one listing page of at most [`SHORT_LISTING`] keys (≈ 0.3M
    /// instructions, of which the two thread wake-ups of the hop to the blocking pool would be a
    /// large part). The worker is held only for the read's page accesses, as in [`Self::try_point`].
    pub(crate) async fn run_short<T, F>(self: &Arc<Self>, read: F) -> Result<T, MetaError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, MetaError> + Send + 'static,
    {
        if let Some((permit, conn)) = self.try_idle() {
            let result = in_snapshot(&conn, read);
            self.give(conn);
            drop(permit);
            return result;
        }
        self.run(read).await
    }

    /// A permit and an idle connection, when both are at hand at once (a read on the calling
    /// thread never waits for either).
    fn try_idle(&self) -> Option<(SemaphorePermit<'_>, Connection)> {
        let permit = self.permits.try_acquire().ok()?;
        let conn = self.idle_list().pop()?;
        Some((permit, conn))
    }

    /// An idle connection, or a new one.
    fn take(&self) -> Result<Connection, MetaError> {
        match self.idle_list().pop() {
            Some(conn) => Ok(conn),
            None => open_reader(&self.path),
        }
    }

    /// Returns `conn` to the pool.
    fn give(&self, conn: Connection) {
        self.idle_list().push(conn);
    }

    /// The idle list. A panic while it was locked cannot leave it inconsistent (it only holds
    /// connections), so a poisoned lock is simply taken over.
    fn idle_list(&self) -> MutexGuard<'_, Vec<Connection>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs `read` inside one read transaction, so that all its queries see one snapshot.
///
/// `BEGIN` and `COMMIT` (or `ROLLBACK` after a failed read) are cached prepared statements of
/// the connection rather than `execute_batch` text parsed on every read: the same deferred
/// transaction, without compiling its two statements each time.
fn in_snapshot<T>(
    conn: &Connection,
    read: impl FnOnce(&Connection) -> Result<T, MetaError>,
) -> Result<T, MetaError> {
    stmt::exec(conn, "BEGIN DEFERRED", [])?;
    let result = read(conn);
    let end = stmt::exec(conn, if result.is_ok() { "COMMIT" } else { "ROLLBACK" }, []);
    let value = result?;
    end?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::Readers;
    use std::sync::Arc;
    use std::thread::{ThreadId, current};

    /// Which thread `read` ran on, and whether it ran inside a transaction.
    fn where_it_ran(conn: &rusqlite::Connection) -> Result<(ThreadId, bool), ossd_meta::MetaError> {
        Ok((current().id(), !conn.is_autocommit()))
    }

    #[tokio::test]
    async fn short_reads_run_on_the_caller_once_a_connection_is_idle() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("meta.db");
        rusqlite::Connection::open(&path)
            .and_then(|c| c.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x);"))
            .expect("database");
        let readers = Arc::new(Readers::new(path));
        let caller = current().id();

        // No idle connection yet: the blocking pool opens one.
        let (thread, in_txn) = readers.run_short(where_it_ran).await.expect("first");
        assert_ne!(thread, caller);
        assert!(in_txn);
        // Now one is idle: the read runs here, still in one read transaction.
        let (thread, in_txn) = readers.run_short(where_it_ran).await.expect("second");
        assert_eq!(thread, caller);
        assert!(in_txn);
        assert_eq!(readers.idle_list().len(), 1);
    }
}
