//! [`AuditLog`]: the handle requests record through. On disk, lines go over a channel to one
//! writer thread (a request never waits for the disk) that flushes whenever its queue is empty
//! and syncs on close; in memory, they go to a bounded ring.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use crate::record::AuditRecord;
use crate::rotate::{self, RotatingFile, Rotation};

/// Records kept by the in-memory ring unless configured.
pub const DEFAULT_RING_RECORDS: usize = 10_000;

/// Errors of the audit trail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// The trail's directory or files could not be used.
    #[error("audit trail {}: {source}", path.display())]
    Io {
        /// The directory.
        path: PathBuf,
        /// The failure.
        #[source]
        source: std::io::Error,
    },
    /// The writer thread has stopped (after [`AuditLog::close`], or it failed).
    #[error("the audit writer has stopped")]
    Closed,
}

/// Where records go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// JSON lines in `<dir>/audit.jsonl`, rotated by size.
    Files {
        /// The directory (`<data-dir>/audit`).
        dir: PathBuf,
        /// Rotation limits.
        rotation: Rotation,
    },
    /// The last `capacity` records in memory (`--memory` mode: nothing on disk).
    Memory {
        /// Records kept.
        capacity: usize,
    },
}

/// A command to the writer thread.
enum Command {
    /// Append this line.
    Line(String),
    /// Flush, then answer with the last `n` lines.
    Tail(usize, oneshot::Sender<std::io::Result<Vec<String>>>),
    /// Sync and stop.
    Close,
}

/// The audit trail. Cheap to share (`Arc` inside); recording never blocks on I/O.
#[derive(Debug, Clone)]
pub struct AuditLog {
    inner: Arc<Inner>,
}

#[derive(Debug)]
enum Inner {
    Files {
        tx: Mutex<Option<Sender<Command>>>,
        thread: Mutex<Option<JoinHandle<()>>>,
    },
    Memory {
        capacity: usize,
        ring: Mutex<VecDeque<String>>,
    },
}

impl AuditLog {
    /// Opens the trail; for [`Sink::Files`] creates the directory and starts the writer thread.
    pub fn open(sink: Sink) -> Result<Self, AuditError> {
        let inner = match sink {
            Sink::Files { dir, rotation } => {
                let file = RotatingFile::open(&dir, rotation).map_err(|source| AuditError::Io {
                    path: dir.clone(),
                    source,
                })?;
                let (tx, rx) = mpsc::channel();
                let thread = std::thread::Builder::new()
                    .name("ossd-audit".to_owned())
                    .spawn(move || write_loop(file, rx))
                    .map_err(|source| AuditError::Io { path: dir, source })?;
                Inner::Files {
                    tx: Mutex::new(Some(tx)),
                    thread: Mutex::new(Some(thread)),
                }
            }
            Sink::Memory { capacity } => Inner::Memory {
                capacity: capacity.max(1),
                ring: Mutex::new(VecDeque::new()),
            },
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// Records one event (encoded here, written by the writer thread). After [`Self::close`]
    /// the record is logged as lost rather than written.
    pub fn record(&self, record: &AuditRecord) {
        let line = record.to_line();
        match &*self.inner {
            Inner::Files { tx, .. } => {
                let sent = lock(tx)
                    .as_ref()
                    .is_some_and(|tx| tx.send(Command::Line(line)).is_ok());
                if !sent {
                    tracing::error!(action = %record.action, "audit writer stopped; record lost");
                }
            }
            Inner::Memory { capacity, ring } => {
                let mut ring = lock(ring);
                while ring.len() >= *capacity {
                    ring.pop_front();
                }
                ring.push_back(line);
            }
        }
    }

    /// The last `n` records as JSON lines, oldest first; everything recorded before the call is
    /// included (the writer answers after writing what was queued ahead).
    pub async fn tail(&self, n: usize) -> Result<Vec<String>, AuditError> {
        match &*self.inner {
            Inner::Files { tx, .. } => {
                let (reply, answer) = oneshot::channel();
                let sent = lock(tx)
                    .as_ref()
                    .is_some_and(|tx| tx.send(Command::Tail(n, reply)).is_ok());
                if !sent {
                    return Err(AuditError::Closed);
                }
                answer
                    .await
                    .map_err(|_| AuditError::Closed)?
                    .map_err(|source| AuditError::Io {
                        path: PathBuf::from(rotate::ACTIVE),
                        source,
                    })
            }
            Inner::Memory { ring, .. } => {
                let ring = lock(ring);
                let skip = ring.len().saturating_sub(n);
                Ok(ring.iter().skip(skip).cloned().collect())
            }
        }
    }

    /// Writes and syncs everything recorded so far and stops the writer (graceful shutdown).
    /// Blocks until done; later records are lost (and logged). Idempotent.
    pub fn close(&self) {
        if let Inner::Files { tx, thread } = &*self.inner {
            if let Some(tx) = lock(tx).take() {
                let _ = tx.send(Command::Close);
            }
            if let Some(handle) = lock(thread).take()
                && handle.join().is_err()
            {
                tracing::error!("the audit writer panicked");
            }
        }
    }
}

/// The writer thread: append lines, flush when the queue is empty, answer tails, sync on close.
fn write_loop(mut file: RotatingFile, rx: Receiver<Command>) {
    let dir = file.dir().to_path_buf();
    while let Ok(first) = rx.recv() {
        let mut next = Some(first);
        while let Some(cmd) = next.take() {
            match cmd {
                Command::Line(line) => {
                    if let Err(e) = file.write_line(&line) {
                        tracing::error!(error = %e, "writing the audit trail");
                    }
                }
                Command::Tail(n, reply) => {
                    let result = file.flush().and_then(|()| rotate::tail(&dir, n));
                    let _ = reply.send(result);
                }
                Command::Close => {
                    if let Err(e) = file.sync() {
                        tracing::error!(error = %e, "syncing the audit trail");
                    }
                    return;
                }
            }
            next = rx.try_recv().ok();
        }
        if let Err(e) = file.flush() {
            tracing::error!(error = %e, "flushing the audit trail");
        }
    }
    // Every sender dropped without Close: still make the lines durable.
    let _ = file.sync();
}

/// A lock whose holder cannot leave the data inconsistent (a queue or a sender).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Inner::Files { tx, thread } = self {
            if let Some(tx) = lock(tx).take() {
                let _ = tx.send(Command::Close);
            }
            if let Some(handle) = lock(thread).take() {
                let _ = handle.join();
            }
        }
    }
}

/// The directory of the on-disk trail inside a data directory.
pub fn dir_in(data_dir: &Path) -> PathBuf {
    data_dir.join("audit")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Decision, Kind};

    fn rec(i: usize) -> AuditRecord {
        let mut r = AuditRecord::now(Kind::Ram, "ram:CreateUser", Decision::Allow);
        r.request_id = format!("R{i}");
        r
    }

    fn ids(lines: &[String]) -> Vec<String> {
        lines
            .iter()
            .filter_map(|l| serde_json::from_str::<AuditRecord>(l).ok())
            .map(|r| r.request_id)
            .collect()
    }

    #[tokio::test]
    async fn file_sink_tail_sees_everything_recorded_before() -> Result<(), AuditError> {
        let tmp = tempfile::tempdir().map_err(|source| AuditError::Io {
            path: PathBuf::new(),
            source,
        })?;
        let log = AuditLog::open(Sink::Files {
            dir: tmp.path().join("audit"),
            rotation: Rotation {
                max_bytes: 1024,
                keep: 3,
            },
        })?;
        for i in 0..40 {
            log.record(&rec(i));
        }
        let last = log.tail(5).await?;
        assert_eq!(ids(&last), ["R35", "R36", "R37", "R38", "R39"]);
        log.close();
        log.close();
        assert!(matches!(log.tail(1).await, Err(AuditError::Closed)));
        let files = std::fs::read_dir(tmp.path().join("audit"))
            .map(|d| d.count())
            .unwrap_or(0);
        assert_eq!(files, 3);
        Ok(())
    }

    #[test]
    fn close_writes_everything() -> Result<(), AuditError> {
        let tmp = tempfile::tempdir().map_err(|source| AuditError::Io {
            path: PathBuf::new(),
            source,
        })?;
        let dir = tmp.path().join("audit");
        let log = AuditLog::open(Sink::Files {
            dir: dir.clone(),
            rotation: Rotation::default(),
        })?;
        for i in 0..1000 {
            log.record(&rec(i));
        }
        log.close();
        let text = std::fs::read_to_string(dir.join(rotate::ACTIVE)).unwrap_or_default();
        assert_eq!(text.lines().count(), 1000);
        assert!(text.lines().all(|l| l.starts_with('{') && l.ends_with('}')));
        Ok(())
    }

    #[tokio::test]
    async fn memory_ring_is_bounded() -> Result<(), AuditError> {
        let log = AuditLog::open(Sink::Memory { capacity: 3 })?;
        for i in 0..10 {
            log.record(&rec(i));
        }
        assert_eq!(ids(&log.tail(50).await?), ["R7", "R8", "R9"]);
        assert_eq!(ids(&log.tail(1).await?), ["R9"]);
        Ok(())
    }
}
