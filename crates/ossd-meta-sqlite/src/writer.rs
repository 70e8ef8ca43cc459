//! The one writer thread and its group commit.
//!
//! Callers enqueue mutations and await a oneshot. The thread takes everything queued (up to
//! [`MAX_BATCH`]), runs each mutation in its own savepoint inside ONE transaction and commits once:
//! many concurrent writers share one fsync. A mutation that fails (a precondition, a missing
//! bucket) is rolled back to its savepoint alone; the others in the batch still commit. Results are
//! sent only after the commit, so a caller hears `Ok` only once its write is durable.
//!
//! Every mutation declares what it may change (a [`Scope`]: one key, a whole bucket, or nothing
//! cached); after the batch commits (or fails) and before any caller is answered, the thread drops
//! what the batch's scopes name from the [`Caches`], so an acknowledged write is never followed by
//! a cached older value.

use crate::error::SqliteError;
use crate::scope::{Caches, Scope};
use crate::stats::{Counters, WriterStats};
use ossd_meta::{ErrorChain, MetaError};
use rusqlite::{Connection, TransactionBehavior};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

/// The most mutations committed in one transaction.
pub(crate) const MAX_BATCH: usize = 1024;

/// How many mutations may wait in the queue before callers wait to enqueue.
const QUEUE_DEPTH: usize = 4 * MAX_BATCH;

/// A queued mutation.
trait Job: Send {
    /// Runs the mutation on `conn` (inside its savepoint); `false` if it failed and must be undone.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Sends the result to the caller, or `failed`: why the batch's commit failed.
    fn finish(self: Box<Self>, failed: Option<&Arc<rusqlite::Error>>);
    /// What this mutation may change in the caches.
    fn scope(&self) -> &Scope;
}

/// A mutation with a typed result and the oneshot that carries it back.
struct Pending<T, F> {
    op: Option<F>,
    result: Option<Result<T, MetaError>>,
    reply: oneshot::Sender<Result<T, MetaError>>,
    scope: Scope,
}

impl<T, F> Job for Pending<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T, MetaError> + Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let Some(op) = self.op.take() else {
            return false;
        };
        let result = catch_unwind(AssertUnwindSafe(|| op(conn)))
            .unwrap_or_else(|_| Err(SqliteError::Panicked.into()));
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn finish(self: Box<Self>, failed: Option<&Arc<rusqlite::Error>>) {
        let result = match (self.result, failed) {
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(_)), Some(why)) => Err(SqliteError::Commit(Arc::clone(why)).into()),
            (Some(Ok(v)), None) => Ok(v),
            (None, _) => Err(SqliteError::NotRun.into()),
        };
        // The caller may have gone away (request cancelled); its write stands regardless.
        let _ = self.reply.send(result);
    }

    fn scope(&self) -> &Scope {
        &self.scope
    }
}

/// The handle to the writer thread: enqueue mutations, read stats; dropping it stops the thread
/// after the queue drains.
#[derive(Debug)]
pub(crate) struct Writer {
    queue: Option<mpsc::Sender<Box<dyn Job>>>,
    thread: Option<JoinHandle<()>>,
    counters: Arc<Counters>,
}

impl Writer {
    /// Starts the writer thread on `conn`; it invalidates `cache` after each batch.
    pub(crate) fn spawn(conn: Connection, cache: Arc<Caches>) -> Result<Self, MetaError> {
        let (queue, rx) = mpsc::channel(QUEUE_DEPTH);
        let counters = Arc::new(Counters::default());
        let thread_counters = Arc::clone(&counters);
        let thread = std::thread::Builder::new()
            .name("ossd-meta-writer".to_owned())
            .spawn(move || run(conn, rx, &thread_counters, &cache))
            .map_err(SqliteError::WriterThread)?;
        Ok(Self {
            queue: Some(queue),
            thread: Some(thread),
            counters,
        })
    }

    /// Runs `op`, which may change what `scope` names, in the writer's next transaction and
    /// returns its result once committed (and the cached entries of `scope` dropped).
    pub(crate) async fn submit<T, F>(&self, scope: Scope, op: F) -> Result<T, MetaError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, MetaError> + Send + 'static,
    {
        let closed = || MetaError::Unavailable("the metadata writer has stopped");
        let queue = self.queue.as_ref().ok_or_else(closed)?;
        let (reply, answer) = oneshot::channel();
        let job: Box<dyn Job> = Box::new(Pending {
            op: Some(op),
            result: None,
            reply,
            scope,
        });
        queue.send(job).await.map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }

    /// Commit and batch counters so far.
    pub(crate) fn stats(&self) -> WriterStats {
        self.counters.snapshot()
    }

    /// Installs the observer told of every later commit.
    pub(crate) fn set_observer(&self, observer: Arc<dyn ossd_meta::CommitObserver>) {
        self.counters.set_observer(observer);
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.queue = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the metadata writer thread panicked");
        }
    }
}

/// The writer thread: drain the queue into batches until every sender is gone.
fn run(
    mut conn: Connection,
    mut rx: mpsc::Receiver<Box<dyn Job>>,
    counters: &Counters,
    cache: &Caches,
) {
    while let Some(first) = rx.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(&mut conn, batch, counters, cache);
    }
}

/// Runs `batch` in one transaction, commits, drops what its scopes name from `cache` (whether the
/// commit succeeded or not), and only then answers every caller.
fn commit_batch(
    conn: &mut Connection,
    mut batch: Vec<Box<dyn Job>>,
    counters: &Counters,
    cache: &Caches,
) {
    let started = Instant::now();
    let failed = run_batch(conn, &mut batch).err().map(Arc::new);
    counters.record(batch.len(), failed.is_none(), started.elapsed());
    if let Some(e) = &failed {
        let error = ErrorChain(e.as_ref());
        tracing::error!(%error, mutations = batch.len(), "metadata commit failed");
    }
    cache.invalidate(batch.iter().map(|job| job.scope()));
    for job in batch {
        job.finish(failed.as_ref());
    }
}

/// Runs each job in its own savepoint within one immediate transaction, then commits.
fn run_batch(conn: &mut Connection, batch: &mut [Box<dyn Job>]) -> rusqlite::Result<()> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for job in batch.iter_mut() {
        let savepoint = tx.savepoint()?;
        if job.run(&savepoint) {
            savepoint.commit()?;
        } else {
            savepoint.finish()?;
        }
    }
    tx.commit()
}
