//! The checkpointer: copies committed WAL frames into the database file on its own thread and
//! connection, so that the writer never stops committing to do it.
//!
//! The writer connection runs with `wal_autocheckpoint=0`; after each committed batch it nudges
//! this thread, which runs a `PASSIVE` checkpoint at most every [`INTERVAL`] while commits keep
//! coming. A nudge is a flag ([`Nudge`]): only the first commit after a checkpoint started wakes
//! the thread, the others only set what is already set (a wake-up per batch cost a context switch
//! on the busy cores for every few PUTs; docs/performance.md, "PUT 4 KiB: where a PUT's time
//! goes"). A passive checkpoint never blocks the writer or readers: it copies the frames no reader
//! still needs, and once all are copied the writer restarts the WAL from its beginning at its
//! next transaction (as after SQLite's automatic checkpoints). Durability is unchanged
//! (docs/architecture.md, "Metadata durability: the pipelined group commit"): this connection
//! runs with `synchronous=FULL`, so a checkpoint syncs the WAL before it copies frames and the
//! database file before the WAL may be reused, exactly as the automatic checkpoints did.
//!
//! Under a steady stream of commits a passive checkpoint never copies *every* frame (the writer
//! appends more while it copies), so the WAL would never restart and would grow without bound:
//! every commit would then append to the file's end, and each `fdatasync` of the WAL would also
//! have to commit the file's new size and blocks (docs/performance.md, "PUT 4 KiB: a bounded
//! WAL, and what bounds PUT").
//! So once the WAL holds [`RESTART_FRAMES`] frames, this thread syncs the database file (the pages
//! it copied so far) and asks the writer for a [`Restart`]: between two batches the writer runs a
//! passive checkpoint itself, which copies the few frames left and completes (no commit can come
//! meanwhile), and its next transaction starts the WAL again from its beginning.

use crate::error::{SqliteError, sql};
use crate::schema::BUSY_TIMEOUT;
use ossd_meta::{ErrorChain, MetaError};
use rusqlite::{Connection, OpenFlags};
use std::fs::File;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The shortest time between two checkpoints while commits keep coming (SQLite's automatic
/// checkpoint ran every 1000 pages, about 140 small PUTs here, each with two syncs).
pub(crate) const INTERVAL: Duration = Duration::from_millis(50);

/// How many frames the WAL may hold before the writer is asked to complete a checkpoint so that
/// the WAL restarts: 64 MiB of 4 KiB pages, about 2,800 PUTs of 4 KiB. Each restart stops the
/// writer for a few milliseconds (the last frames copied, the database file and the WAL header
/// synced), so a larger WAL restarts less often.
pub(crate) const RESTART_FRAMES: i64 = 16_384;

/// The writer's handle: nudge after commits; dropping it ends the thread after a last checkpoint.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    nudge: Option<Nudge>,
    restart: Restart,
    thread: Option<JoinHandle<()>>,
}

/// "A batch committed since the last checkpoint started": a flag the writer sets after every
/// batch, and a wake-up sent only when it sets a flag that was clear (the thread clears it as a
/// checkpoint starts), so the thread wakes at most once per checkpoint, not once per batch.
#[derive(Debug)]
struct Nudge {
    pending: Arc<AtomicBool>,
    wake: SyncSender<()>,
}

impl Nudge {
    /// Sets the flag; wakes the thread if it was clear. `Err` once the thread has stopped.
    fn send(&self) -> Result<(), ()> {
        if self.pending.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        match self.wake.try_send(()) {
            Ok(()) | Err(TrySendError::Full(())) => Ok(()),
            Err(TrySendError::Disconnected(())) => Err(()),
        }
    }
}

/// Takes the flag of a [`Nudge`]: whether a batch committed since the last take.
fn take(pending: &AtomicBool) -> bool {
    pending.swap(false, Ordering::AcqRel)
}

/// The checkpointer's request that the writer complete a checkpoint between two batches (the WAL
/// is long), shared by both threads.
#[derive(Debug, Clone, Default)]
pub(crate) struct Restart(Arc<AtomicBool>);

impl Restart {
    /// Asks the writer for a complete checkpoint.
    fn request(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Takes a pending request: `true` once per request.
    pub(crate) fn take(&self) -> bool {
        self.0.swap(false, Ordering::AcqRel)
    }
}

impl Checkpointer {
    /// Opens a second read-write connection to the database at `path` and starts the thread,
    /// which asks for a restart once the WAL holds `restart_frames` frames ([`RESTART_FRAMES`]).
    pub(crate) fn spawn(path: &Path, restart_frames: i64) -> Result<Self, MetaError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        // Read-only is enough for `fdatasync`.
        let db = File::open(path).map_err(|source| SqliteError::Io {
            op: "opening the database file",
            path: path.to_owned(),
            source,
        })?;
        let (wake, nudged) = sync_channel(1);
        let pending = Arc::new(AtomicBool::new(false));
        let restart = Restart::default();
        let pass = Pass {
            conn,
            db,
            pending: Arc::clone(&pending),
            restart: restart.clone(),
            restart_frames,
        };
        let thread = std::thread::Builder::new()
            .name("ossd-meta-checkpoint".to_owned())
            .spawn(move || run(&pass, &nudged))
            .map_err(SqliteError::WriterThread)?;
        Ok(Self {
            nudge: Some(Nudge { pending, wake }),
            restart,
            thread: Some(thread),
        })
    }

    /// The flag through which this thread asks the writer for a complete checkpoint.
    pub(crate) fn restart(&self) -> &Restart {
        &self.restart
    }

    /// Tells the thread that a batch committed; never blocks, and wakes it only for the first
    /// batch since its last checkpoint started.
    pub(crate) fn nudge(&self) {
        if let Some(nudge) = &self.nudge
            && nudge.send().is_err()
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

/// What one checkpoint pass works on: the connection, the database file (to sync it before a
/// restart is requested), the nudge flag, the request flag and the WAL length that raises it.
struct Pass {
    conn: Connection,
    db: File,
    pending: Arc<AtomicBool>,
    restart: Restart,
    restart_frames: i64,
}

/// Waits for a nudge, checkpoints, waits out the rest of [`INTERVAL`] and checkpoints again if
/// commits came meanwhile; a last checkpoint when the writer goes away.
fn run(pass: &Pass, nudged: &Receiver<()>) {
    while nudged.recv().is_ok() {
        loop {
            let started = Instant::now();
            // Cleared before the checkpoint starts: a batch committed from here on is either
            // copied by this checkpoint or sets the flag again (and wakes the thread) for the next.
            take(&pass.pending);
            pass.checkpoint();
            match rest(
                nudged,
                &pass.pending,
                INTERVAL.saturating_sub(started.elapsed()),
            ) {
                Rest::Quiet => break,
                Rest::Nudged => {}
                Rest::Closed => return pass.checkpoint(),
            }
        }
    }
    pass.checkpoint();
}

impl Pass {
    /// One passive checkpoint; when the WAL has grown to `restart_frames`, the database file is
    /// synced (so the writer's completing checkpoint has little left to flush) and a restart is
    /// requested.
    fn checkpoint(&self) {
        let Some(frames) = checkpoint(&self.conn) else {
            return;
        };
        if frames < self.restart_frames {
            return;
        }
        match self.db.sync_data() {
            Ok(()) => self.restart.request(),
            Err(e) => {
                // The writer's checkpoint would sync the file and fail the same way; the WAL
                // keeps growing until a sync succeeds. Nothing acknowledged depends on it.
                let error = ErrorChain(&e);
                tracing::warn!(%error, "syncing the metadata database file failed");
            }
        }
    }
}

/// A complete checkpoint on the writer's connection, run by the writer between two batches when
/// [`Restart::take`] says so: as no commit can come meanwhile, the passive checkpoint copies every
/// frame (unless a reader still reads an older snapshot) and syncs the database file, and the
/// writer's next transaction restarts the WAL. A failure is logged; the WAL only grows.
pub(crate) fn complete(conn: &Connection) {
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

/// Sleeps `pause` (woken early only by the first nudge after the flag was cleared, or when the
/// writer goes away), then says whether a batch committed meanwhile (`pending` is set).
fn rest(nudged: &Receiver<()>, pending: &AtomicBool, pause: Duration) -> Rest {
    let until = Instant::now() + pause;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match nudged.recv_timeout(left) {
            Ok(()) => {}
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return Rest::Closed,
        }
    }
    match pending.load(Ordering::Acquire) {
        true => Rest::Nudged,
        false => Rest::Quiet,
    }
}

/// One passive checkpoint; returns the frames in the WAL, or `None` after a failure, which is
/// logged (the next one retries, and the WAL only grows).
fn checkpoint(conn: &Connection) -> Option<i64> {
    // https://www.sqlite.org/pragma.html#pragma_wal_checkpoint: busy, log frames, checkpointed.
    let result = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
        row.get::<_, i64>(1)
    });
    match result {
        Ok(frames) => Some(frames),
        Err(e) => {
            let error = ErrorChain(&e);
            tracing::warn!(%error, "metadata WAL checkpoint failed");
            None
        }
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
        let checkpointer = Checkpointer::spawn(&path, RESTART_FRAMES).expect("spawn");
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
    fn only_the_first_nudge_after_a_take_wakes_the_thread() {
        let (wake, woken) = sync_channel(1);
        let nudge = Nudge {
            pending: Arc::new(AtomicBool::new(false)),
            wake,
        };
        for _ in 0..100 {
            nudge.send().expect("send");
        }
        assert_eq!(woken.try_iter().count(), 1);
        assert!(take(&nudge.pending));
        assert!(!take(&nudge.pending));
        nudge.send().expect("send");
        nudge.send().expect("send");
        assert_eq!(woken.try_iter().count(), 1);
        // A wake-up still unread when the flag is set again does not block the writer.
        take(&nudge.pending);
        nudge.send().expect("send");
        take(&nudge.pending);
        nudge.send().expect("send");
        assert_eq!(woken.try_iter().count(), 1);
        drop(woken);
        take(&nudge.pending);
        assert!(nudge.send().is_err(), "the thread is gone");
    }

    #[test]
    fn dropping_it_stops_the_thread() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("meta.db");
        let conn = Connection::open(&path).expect("open");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        let checkpointer = Checkpointer::spawn(&path, RESTART_FRAMES).expect("spawn");
        for _ in 0..5 {
            checkpointer.nudge();
        }
        drop(checkpointer);
    }
}
