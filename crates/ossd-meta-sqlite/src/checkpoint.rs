//! The checkpointer: copies committed WAL frames into the database file on its own thread and
//! connection, so that the writer never stops committing to do it.
//!
//! The writer connection runs with `wal_autocheckpoint=0`; after each committed batch it nudges
//! this thread, which runs a `PASSIVE` checkpoint at most every [`INTERVAL`] while commits keep
//! coming. A passive checkpoint never blocks the writer or readers: it copies the frames no reader
//! still needs, and once all are copied the writer restarts the WAL from its beginning at its
//! next transaction (as after SQLite's automatic checkpoints). Durability is unchanged
//! (docs/architecture.md, "Metadata durability: the pipelined group commit"): this connection
//! runs with `synchronous=FULL`, so a checkpoint syncs the WAL before it copies frames and the
//! database file before the WAL may be reused, exactly as the automatic checkpoints did.

use crate::error::{SqliteError, sql};
use crate::schema::BUSY_TIMEOUT;
use ossd_meta::{ErrorChain, MetaError};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The shortest time between two checkpoints while commits keep coming (SQLite's automatic
/// checkpoint ran every 1000 pages, about 140 small PUTs here, each with two syncs).
pub(crate) const INTERVAL: Duration = Duration::from_millis(50);

/// The writer's handle: nudge after commits; dropping it ends the thread after a last checkpoint.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    nudge: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Opens a second read-write connection to the database at `path` and starts the thread.
    pub(crate) fn spawn(path: &Path) -> Result<Self, MetaError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        let (nudge, nudged) = sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("ossd-meta-checkpoint".to_owned())
            .spawn(move || run(&conn, &nudged))
            .map_err(SqliteError::WriterThread)?;
        Ok(Self {
            nudge: Some(nudge),
            thread: Some(thread),
        })
    }

    /// Tells the thread that a batch committed; never blocks.
    pub(crate) fn nudge(&self) {
        if let Some(nudge) = &self.nudge
            && let Err(TrySendError::Disconnected(())) = nudge.try_send(())
        {
            tracing::error!("the metadata checkpoint thread has stopped");
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.nudge = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the metadata checkpoint thread panicked");
        }
    }
}

/// Waits for a nudge, checkpoints, waits out the rest of [`INTERVAL`] and checkpoints again if
/// commits came meanwhile; a last checkpoint when the writer goes away.
fn run(conn: &Connection, nudged: &Receiver<()>) {
    while nudged.recv().is_ok() {
        loop {
            let started = Instant::now();
            checkpoint(conn);
            match rest(nudged, INTERVAL.saturating_sub(started.elapsed())) {
                Rest::Quiet => break,
                Rest::Nudged => {}
                Rest::Closed => return checkpoint(conn),
            }
        }
    }
    checkpoint(conn);
}

/// How a pause between checkpoints ended.
enum Rest {
    /// No commit meanwhile.
    Quiet,
    /// At least one batch committed meanwhile.
    Nudged,
    /// The writer went away.
    Closed,
}

/// Sleeps `pause`, noting whether a batch committed meanwhile.
fn rest(nudged: &Receiver<()>, pause: Duration) -> Rest {
    let until = Instant::now() + pause;
    let mut outcome = Rest::Quiet;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return outcome;
        }
        match nudged.recv_timeout(left) {
            Ok(()) => outcome = Rest::Nudged,
            Err(RecvTimeoutError::Timeout) => return outcome,
            Err(RecvTimeoutError::Disconnected) => return Rest::Closed,
        }
    }
}

/// One passive checkpoint; a failure is logged (the next one retries, and the WAL only grows).
fn checkpoint(conn: &Connection) {
    let result = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
        row.get::<_, i64>(0)
    });
    if let Err(e) = result {
        let error = ErrorChain(&e);
        tracing::warn!(%error, "metadata WAL checkpoint failed");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use super::*;

    /// The database file's size: frames reach it only through checkpoints.
    fn db_len(path: &Path) -> u64 {
        std::fs::metadata(path).expect("stat").len()
    }

    #[test]
    fn a_nudge_copies_committed_frames_into_the_database_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("meta.db");
        let conn = Connection::open(&path).expect("open");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .expect("no automatic checkpoints");
        conn.execute_batch("CREATE TABLE t (v BLOB)")
            .expect("table");
        for _ in 0..200 {
            conn.execute("INSERT INTO t VALUES (zeroblob(4000))", [])
                .expect("insert");
        }
        let before = db_len(&path);
        let checkpointer = Checkpointer::spawn(&path).expect("spawn");
        checkpointer.nudge();
        let deadline = Instant::now() + Duration::from_secs(10);
        while db_len(&path) < before + 200 * 4000 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(db_len(&path) >= before + 200 * 4000, "no checkpoint ran");
        drop(checkpointer);
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("count");
        assert_eq!(rows, 200);
    }

    #[test]
    fn dropping_it_stops_the_thread() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("meta.db");
        let conn = Connection::open(&path).expect("open");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        let checkpointer = Checkpointer::spawn(&path).expect("spawn");
        for _ in 0..5 {
            checkpointer.nudge();
        }
        drop(checkpointer);
    }
}
