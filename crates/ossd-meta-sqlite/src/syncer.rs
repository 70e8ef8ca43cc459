//! The second stage of the pipelined group commit: makes committed batches durable with one
//! `fdatasync` of the WAL file and only then answers their callers.
//!
//! The writer connection runs with `synchronous=NORMAL`: a commit appends its frames to the WAL
//! and returns without syncing. The writer hands each committed batch here and goes on with the
//! next one; a syncer thread takes every batch handed over so far, syncs the WAL once, then
//! answers all of them. [`SYNCERS`] threads do this, so that a batch handed over while one sync is
//! in flight starts its own at once instead of waiting for that one to end (the wait was about a
//! third of a PUT's time in the metadata path; docs/performance.md, "PUT 4 KiB: where a PUT's time
//! goes"). Why that is exactly as durable as `synchronous=FULL` (docs/architecture.md,
//! "Metadata durability: the pipelined group commit"):
//!
//! - An `fdatasync` of the WAL file flushes every byte written to it before the call, whichever
//!   descriptor wrote them, and the file size. A batch is handed over only after its `COMMIT`
//!   returned, so the sync that follows covers all of its frames and every earlier frame. WAL
//!   recovery replays frames in order up to the last valid commit frame (salted, cumulatively
//!   checksummed), so after a power failure every answered batch, and everything before it, is
//!   replayed.
//! - Checkpoints (passive ones on the checkpointer's own connection, `checkpoint.rs`, with
//!   `synchronous=FULL`) sync the WAL before copying frames into the database file and sync the
//!   database file before the WAL may be reused. A WAL restart (only after every frame was
//!   copied and the database file synced) writes a new header with new salts before the first
//!   new frame: frames of the old generation either fail the new salts or, if the new header
//!   never reached the disk, replay pages the database file already holds. The database never
//!   holds a page whose frame was not synced first.
//! - The descriptor synced here stays the WAL file of the live database: SQLite deletes the WAL
//!   only when its last connection closes (or the journal mode changes, which nothing does), and
//!   the writer connection outlives this thread and the checkpointer's connection. SQLite takes no locks on the WAL file itself, so
//!   this second descriptor cannot disturb its POSIX locks.
//! - Each batch is answered by the sync that the thread which took it started afterwards, so it
//!   covers the batch whichever thread's sync ends first; the threads answer in any order, and
//!   nothing depends on that order (each caller waits for its own batch only).
//! - Each syncer has its own descriptor of the WAL: Linux reports a write-back error of a file
//!   once to every open file description that has not seen it yet (`errseq`), so a sync cannot
//!   return success on one descriptor because the other's sync consumed the error.
//! - A failed sync poisons the store: after `fsync` fails, Linux may have dropped the dirty pages,
//!   and a later sync that succeeds would prove nothing. Every batch answered by that sync or
//!   later gets the error, and the writer commits nothing more until the process restarts.

use crate::error::SqliteError;
use ossd_meta::{ErrorChain, MetaError};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// How many syncer threads, so how many `fdatasync`s of the WAL may be in flight at once.
pub(crate) const SYNCERS: usize = 2;

/// The batches handed over by the writer, shared by the syncer threads (the one holding the lock
/// waits for the next batch; the others sync or wait for the lock).
pub(crate) type Batches = Mutex<Receiver<Box<dyn Answer>>>;

/// Why a whole batch failed; every caller of the batch gets the same cause.
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// The transaction did not commit.
    Commit(Arc<rusqlite::Error>),
    /// The WAL could not be synced (now, or at an earlier batch: the store is poisoned).
    Sync(Arc<std::io::Error>),
}

impl Failure {
    /// The error a caller of the failed batch hears.
    pub(crate) fn to_error(&self) -> MetaError {
        match self {
            Self::Commit(e) => SqliteError::Commit(Arc::clone(e)).into(),
            Self::Sync(e) => SqliteError::WalSync(Arc::clone(e)).into(),
        }
    }
}

/// A batch on its way to its callers: answered with `failure` (or its own results) once synced.
pub(crate) trait Answer: Send {
    /// Answers every caller of the batch; `failure` is why the batch failed as a whole, if it did.
    fn answer(self: Box<Self>, failure: Option<&Failure>);
    /// Whether the batch failed as a whole already (it needs no sync).
    fn failed(&self) -> bool;
}

/// Makes the WAL durable: `fdatasync` of the WAL file (tests substitute their own).
pub(crate) type SyncWal = Box<dyn FnMut() -> std::io::Result<()> + Send>;

/// The first sync failure, shared by the syncer (which sets it) and the writer (which stops).
pub(crate) type Poison = Arc<OnceLock<Arc<std::io::Error>>>;

/// The WAL file of the database at `db` (SQLite's naming: the path with `-wal` appended).
pub(crate) fn wal_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// Opens the WAL file of the open database at `db` (read-only: `fdatasync` needs no write
/// access) and returns the sync of it.
pub(crate) fn open_wal(db: &Path) -> Result<SyncWal, MetaError> {
    let path = wal_path(db);
    let file = File::open(&path).map_err(|source| SqliteError::Io {
        op: "opening the WAL",
        path,
        source,
    })?;
    Ok(Box::new(move || file.sync_data()))
}

/// A syncer thread: until the writer hangs up, take every batch handed over, sync once, answer
/// them all.
pub(crate) fn run(batches: &Batches, mut sync: SyncWal, poison: &Poison) {
    loop {
        let ready = {
            // No syncer panics while holding the lock (it only receives); a poisoned lock still
            // guards a whole receiver.
            let batches = batches.lock().unwrap_or_else(PoisonError::into_inner);
            let Ok(first) = batches.recv() else {
                return;
            };
            let mut ready = vec![first];
            ready.extend(batches.try_iter());
            ready
        };
        let failure = if let Some(e) = poison.get() {
            Some(Failure::Sync(Arc::clone(e)))
        } else if ready.iter().all(|b| b.failed()) {
            None
        } else {
            match sync() {
                Ok(()) => None,
                Err(e) => {
                    let e = Arc::new(e);
                    let error = ErrorChain(&*e);
                    tracing::error!(%error, "syncing the metadata WAL failed; refusing writes until restart");
                    Some(Failure::Sync(Arc::clone(poison.get_or_init(|| e))))
                }
            }
        };
        // Another syncer's sync failed meanwhile: answer nothing with `Ok` after that.
        let failure = failure.or_else(|| poison.get().map(|e| Failure::Sync(Arc::clone(e))));
        for batch in ready {
            batch.answer(failure.as_ref());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc::{Sender, channel, sync_channel};
    use std::time::Duration;

    /// A batch that reports its answer on a channel.
    struct Probe(u32, Sender<(u32, bool)>);

    impl Answer for Probe {
        fn answer(self: Box<Self>, failure: Option<&Failure>) {
            let _ = self.1.send((self.0, failure.is_none()));
        }

        fn failed(&self) -> bool {
            false
        }
    }

    #[test]
    fn a_batch_handed_over_during_a_sync_is_synced_and_answered_without_waiting_for_it() {
        let (to_syncers, from_writer) = channel::<Box<dyn Answer>>();
        let batches = Arc::new(Mutex::new(from_writer));
        let poison = Poison::default();
        let (answered, answers) = channel();
        // The first sync (whichever thread runs it) hangs until released; the others return.
        let (release, gate) = sync_channel::<()>(1);
        let gate = Arc::new(Mutex::new(gate));
        let (started, syncing) = channel();
        let calls = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..SYNCERS)
            .map(|_| {
                let (batches, poison) = (Arc::clone(&batches), Arc::clone(&poison));
                let (gate, started, calls) =
                    (Arc::clone(&gate), started.clone(), Arc::clone(&calls));
                let sync: SyncWal = Box::new(move || {
                    if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                        let _ = started.send(());
                        let gate = gate.lock().unwrap();
                        gate.recv().map_err(std::io::Error::other)?;
                    }
                    Ok(())
                });
                std::thread::spawn(move || run(&batches, sync, &poison))
            })
            .collect();
        to_syncers
            .send(Box::new(Probe(1, answered.clone())))
            .unwrap();
        syncing
            .recv_timeout(Duration::from_secs(10))
            .expect("the first sync started");
        to_syncers
            .send(Box::new(Probe(2, answered.clone())))
            .unwrap();
        let second = answers.recv_timeout(Duration::from_secs(10));
        assert_eq!(
            second.ok(),
            Some((2, true)),
            "answered during the first sync"
        );
        assert!(
            answers.try_recv().is_err(),
            "the first batch waits for its sync"
        );
        release.send(()).unwrap();
        assert_eq!(
            answers.recv_timeout(Duration::from_secs(10)).ok(),
            Some((1, true))
        );
        drop(to_syncers);
        for thread in threads {
            thread.join().expect("join");
        }
    }
}
