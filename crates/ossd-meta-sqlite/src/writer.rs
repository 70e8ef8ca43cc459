//! The one writer thread and its pipelined group commit.
//!
//! Callers enqueue mutations and await a oneshot. The writer thread takes everything queued (up to
//! [`MAX_BATCH`]), runs each mutation in its own savepoint inside ONE transaction and commits once
//! (`synchronous=NORMAL`: the commit appends to the WAL without syncing it). A mutation that fails
//! (a precondition, a missing bucket) is rolled back to its savepoint alone; the others in the
//! batch still commit. The committed batch then goes to the syncer thread (`syncer.rs`), which
//! syncs the WAL once for every batch handed over so far and only then answers the callers, while
//! the writer already runs the next batch: a caller hears `Ok` only once a sync covering its
//! commit has returned.
//!
//! After a batch commits (or fails), before it is handed over and so before any caller is
//! answered, [`after_commit`] runs. Every mutation declares what it may change (a [`Scope`]: one
//! key, a whole bucket, or nothing cached), and the hook drops what the batch's scopes name from
//! the [`Caches`], so an acknowledged write is never followed by a cached older value. A put also
//! names the record it made the newest version of its key, which the hook then stores as that key's
//! latest version (unless a later mutation of the batch may have changed the key again).

use crate::checkpoint::{self, Checkpointer};
use crate::error::SqliteError;
use crate::scope::{Caches, Scope};
use crate::stats::{Counters, WriterStats};
use crate::syncer::{self, Answer, Failure, Poison, SyncWal};
use ossd_meta::{ErrorChain, MetaError, ObjectRecord};
use rusqlite::Connection;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

/// The most mutations committed in one transaction.
pub(crate) const MAX_BATCH: usize = 1024;

/// How many mutations may wait in the queue before callers wait to enqueue.
const QUEUE_DEPTH: usize = 4 * MAX_BATCH;

/// Prepared statements the writer connection keeps (rusqlite's default is 16): room for the
/// transaction, savepoint, object, upload, IAM and bucket statements, so none is compiled again.
const WRITER_STATEMENT_CACHE: usize = 64;

/// A queued mutation.
trait Job: Send {
    /// Runs the mutation on `conn` (inside the batch's transaction); `false` if it failed and must
    /// be undone.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Sends the result to the caller, or `failed`: why the batch failed as a whole.
    fn finish(self: Box<Self>, failed: Option<&Failure>);
    /// What this mutation may change in the caches.
    fn scope(&self) -> &Scope;
    /// The record this mutation, having run without error, made the newest version of its
    /// scope's key (a put), if any.
    fn latest(&self) -> Option<&ObjectRecord>;
}

/// Where a mutation's result names the record it made the newest version of its key.
type LatestOf<T> = fn(&T) -> Option<&ObjectRecord>;

/// A mutation with a typed result and the oneshot that carries it back.
struct Pending<T, F> {
    op: Option<F>,
    result: Option<Result<T, MetaError>>,
    reply: oneshot::Sender<Result<T, MetaError>>,
    scope: Scope,
    latest: LatestOf<T>,
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

    fn finish(self: Box<Self>, failed: Option<&Failure>) {
        let result = match (self.result, failed) {
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(_)), Some(why)) => Err(why.to_error()),
            (Some(Ok(v)), None) => Ok(v),
            (None, Some(why)) => Err(why.to_error()),
            (None, None) => Err(SqliteError::NotRun.into()),
        };
        // The caller may have gone away (request cancelled); its write stands regardless.
        let _ = self.reply.send(result);
    }

    fn scope(&self) -> &Scope {
        &self.scope
    }

    fn latest(&self) -> Option<&ObjectRecord> {
        match &self.result {
            Some(Ok(value)) => (self.latest)(value),
            _ => None,
        }
    }
}

/// A batch that committed (`failed: None`) or failed, on its way to the syncer.
struct Committed {
    jobs: Vec<Box<dyn Job>>,
    failed: Option<Failure>,
}

impl Answer for Committed {
    fn answer(self: Box<Self>, failure: Option<&Failure>) {
        let why = self.failed.as_ref().or(failure);
        for job in self.jobs {
            job.finish(why);
        }
    }

    fn failed(&self) -> bool {
        self.failed.is_some()
    }
}

/// The handle to the writer thread: enqueue mutations, read stats; dropping it stops the thread
/// after the queue drains and every committed batch is synced and answered.
#[derive(Debug)]
pub(crate) struct Writer {
    queue: Option<mpsc::Sender<Box<dyn Job>>>,
    thread: Option<JoinHandle<()>>,
    counters: Arc<Counters>,
}

impl Writer {
    /// Starts the writer thread on `conn` (the database at `path`, opened by
    /// `schema::open_writer`) and its syncer on the database's WAL file; the writer invalidates
    /// `cache` after bucket mutations.
    pub(crate) fn spawn(
        conn: Connection,
        path: &Path,
        cache: Arc<Caches>,
    ) -> Result<Self, MetaError> {
        Self::spawn_restarting_at(conn, path, cache, checkpoint::RESTART_FRAMES)
    }

    /// As [`Self::spawn`], the WAL restarting once it holds `restart_frames` frames.
    fn spawn_restarting_at(
        conn: Connection,
        path: &Path,
        cache: Arc<Caches>,
        restart_frames: i64,
    ) -> Result<Self, MetaError> {
        let syncs = (0..syncer::SYNCERS)
            .map(|_| syncer::open_wal(path))
            .collect::<Result<Vec<_>, _>>()?;
        // Checkpoints run on their own thread (`checkpoint.rs`), not inside the writer's commits.
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(crate::error::sql)?;
        let checkpointer = Checkpointer::spawn(path, restart_frames)?;
        Self::spawn_with(conn, cache, syncs, Some(checkpointer))
    }

    /// As [`Self::spawn`], with one syncer thread for each of `syncs` (each makes the WAL
    /// durable) and `checkpointer`, if any, nudged after each batch (without one, SQLite
    /// checkpoints automatically on the writer connection).
    fn spawn_with(
        conn: Connection,
        cache: Arc<Caches>,
        syncs: Vec<SyncWal>,
        checkpointer: Option<Checkpointer>,
    ) -> Result<Self, MetaError> {
        // Commits no longer sync the WAL themselves: the syncer does, before answering
        // (`syncer.rs` says why this is as durable as `synchronous=FULL`).
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(crate::error::sql)?;
        conn.set_prepared_statement_cache_capacity(WRITER_STATEMENT_CACHE);
        let (queue, rx) = mpsc::channel(QUEUE_DEPTH);
        let (to_syncer, from_writer) = std::sync::mpsc::channel::<Box<dyn Answer>>();
        let poison = Poison::default();
        let batches = Arc::new(Mutex::new(from_writer));
        let mut syncers = Vec::with_capacity(syncs.len());
        for sync in syncs {
            let (batches, poison) = (Arc::clone(&batches), Arc::clone(&poison));
            let syncer = std::thread::Builder::new()
                .name("ossd-meta-sync".to_owned())
                .spawn(move || syncer::run(&batches, sync, &poison))
                .map_err(SqliteError::WriterThread)?;
            syncers.push(syncer);
        }
        let counters = Arc::new(Counters::default());
        let thread_counters = Arc::clone(&counters);
        let pipeline = Pipeline {
            counters: thread_counters,
            cache,
            to_syncer,
            poison,
            checkpointer,
        };
        let thread = std::thread::Builder::new()
            .name("ossd-meta-writer".to_owned())
            .spawn(move || run(conn, rx, pipeline, syncers))
            .map_err(SqliteError::WriterThread)?;
        Ok(Self {
            queue: Some(queue),
            thread: Some(thread),
            counters,
        })
    }

    /// Returns once every transaction committed before the call is on disk: for reads whose
    /// answer must not rest on a commit a power failure could still undo (readers may see a
    /// commit before its sync).
    pub(crate) async fn synced(&self) -> Result<(), MetaError> {
        self.submit(Scope::Nothing, |_| Ok(())).await
    }

    /// Runs `op`, which may change what `scope` names, in the writer's next transaction and
    /// returns its result once committed and synced (and the cached entries of `scope` dropped).
    pub(crate) async fn submit<T, F>(&self, scope: Scope, op: F) -> Result<T, MetaError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, MetaError> + Send + 'static,
    {
        self.enqueue(scope, op, |_| None).await
    }

    /// As [`Writer::submit`], for a put into `scope` (one key) whose `op` also returns the record it
    /// made the key's newest version: once the batch commits, the object cache holds that record
    /// as the key's latest version (a read after the write needs no database read).
    pub(crate) async fn submit_put<T, F>(&self, scope: Scope, op: F) -> Result<T, MetaError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<(T, Option<ObjectRecord>), MetaError> + Send + 'static,
    {
        let (value, _) = self.enqueue(scope, op, |(_, r)| r.as_ref()).await?;
        Ok(value)
    }

    /// Queues `op` and waits for its answer.
    async fn enqueue<T, F>(&self, scope: Scope, op: F, latest: LatestOf<T>) -> Result<T, MetaError>
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
            latest,
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

/// What the writer thread shares with the rest: counters, the cache it invalidates, the syncer it
/// hands batches to, the syncer's poison flag and the checkpointer it nudges.
struct Pipeline {
    counters: Arc<Counters>,
    cache: Arc<Caches>,
    to_syncer: std::sync::mpsc::Sender<Box<dyn Answer>>,
    poison: Poison,
    checkpointer: Option<Checkpointer>,
}

/// The writer thread: drain the queue into batches until every sender is gone, then let the
/// syncer answer the last batches before the connection closes.
fn run(
    conn: Connection,
    mut rx: mpsc::Receiver<Box<dyn Job>>,
    pipeline: Pipeline,
    syncers: Vec<JoinHandle<()>>,
) {
    while let Some(first) = rx.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let committed = Box::new(commit_batch(&conn, batch, &pipeline));
        if let Some(checkpointer) = &pipeline.checkpointer {
            checkpointer.nudge();
        }
        if let Err(unsent) = pipeline.to_syncer.send(committed) {
            // The syncer is gone (it panicked): nothing can be synced, so nobody hears `Ok`.
            let gone = std::io::Error::other("the metadata WAL syncer stopped");
            let gone = Arc::clone(pipeline.poison.get_or_init(|| Arc::new(gone)));
            unsent.0.answer(Some(&Failure::Sync(gone)));
        }
        // The WAL is long: complete a checkpoint now, between two batches, so that the next
        // transaction restarts it (`checkpoint.rs`). The batch just handed over is synced
        // meanwhile.
        if let Some(checkpointer) = &pipeline.checkpointer
            && checkpointer.restart().take()
            && pipeline.poison.get().is_none()
        {
            checkpoint::complete(&conn);
        }
    }
    drop(pipeline.to_syncer);
    for syncer in syncers {
        if syncer.join().is_err() {
            tracing::error!("the metadata WAL syncer thread panicked");
        }
    }
    // A last checkpoint, then the checkpointer's connection closes: the writer's stays the last
    // one open (the syncer's descriptor is the live WAL until then; `syncer.rs`).
    drop(pipeline.checkpointer);
}

/// Runs `batch` in one transaction and commits it (unless a WAL sync has failed: then nothing
/// runs), then [`after_commit`]; returns the batch for the syncer to answer.
fn commit_batch(conn: &Connection, mut batch: Vec<Box<dyn Job>>, pipeline: &Pipeline) -> Committed {
    if let Some(e) = pipeline.poison.get() {
        let failed = Some(Failure::Sync(Arc::clone(e)));
        return Committed {
            jobs: batch,
            failed,
        };
    }
    let started = Instant::now();
    let failed = run_batch(conn, &mut batch)
        .err()
        .map(|e| Failure::Commit(Arc::new(e)));
    pipeline
        .counters
        .record(batch.len(), failed.is_none(), started.elapsed());
    if let Some(Failure::Commit(e)) = &failed {
        let error = ErrorChain(e.as_ref());
        tracing::error!(%error, mutations = batch.len(), "metadata commit failed");
    }
    after_commit(&batch, &pipeline.cache, failed.is_none());
    Committed {
        jobs: batch,
        failed,
    }
}

/// The per-batch hook after the commit (or its failure) and before any caller is answered:
/// drops what the batch's scopes name from `cache`, then, if the batch `committed`, stores the
/// records its puts made the newest versions of their keys.
fn after_commit(batch: &[Box<dyn Job>], cache: &Caches, committed: bool) {
    cache.invalidate(batch.iter().map(|job| job.scope()));
    if committed {
        cache.store_latest(batch.iter().map(|job| (job.scope(), job.latest())));
    }
}

/// Runs the jobs of `batch` within one immediate transaction, then commits. Each job runs in its
/// own savepoint, so that a failed one is undone alone; a batch of one job needs none (a failed
/// job rolls the whole transaction back). The transaction and savepoint statements are cached.
fn run_batch(conn: &Connection, batch: &mut [Box<dyn Job>]) -> rusqlite::Result<()> {
    exec(conn, "BEGIN IMMEDIATE")?;
    let result = match batch {
        [job] => {
            if job.run(conn) {
                exec(conn, "COMMIT")
            } else {
                exec(conn, "ROLLBACK")
            }
        }
        jobs => run_in_savepoints(conn, jobs).and_then(|()| exec(conn, "COMMIT")),
    };
    if result.is_err() && !conn.is_autocommit() {
        // Leave no transaction open for the next batch; the error reported is the first one.
        let _ = exec(conn, "ROLLBACK");
    }
    result
}

/// Runs each job in its own savepoint, releasing it, or rolling back to it when the job failed.
fn run_in_savepoints(conn: &Connection, jobs: &mut [Box<dyn Job>]) -> rusqlite::Result<()> {
    for job in jobs {
        exec(conn, "SAVEPOINT job")?;
        if !job.run(conn) {
            exec(conn, "ROLLBACK TO job")?;
        }
        exec(conn, "RELEASE job")?;
    }
    Ok(())
}

/// Runs one cached statement without parameters.
fn exec(conn: &Connection, statement: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(statement)?.execute([]).map(|_| ())
}

#[cfg(test)]
mod tests {
    // Test code: a panic is a failed test.
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use super::*;
    use std::sync::mpsc as std_mpsc;
    use std::time::Duration;

    /// A writer on a fresh database with table `t`, whose WAL syncs wait for a token from the
    /// returned sender and report themselves on the returned receiver.
    fn gated() -> (
        tempfile::TempDir,
        Writer,
        std_mpsc::SyncSender<std::io::Result<()>>,
        std_mpsc::Receiver<()>,
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("meta.db");
        let conn = crate::schema::open_writer(&path).expect("open");
        conn.execute_batch("CREATE TABLE t (v INTEGER)")
            .expect("table");
        let (release, gate) = std_mpsc::sync_channel::<std::io::Result<()>>(16);
        let (started, syncing) = std_mpsc::channel();
        let sync: SyncWal = Box::new(move || {
            let _ = started.send(());
            gate.recv().unwrap_or(Ok(()))
        });
        let writer = Writer::spawn_with(conn, Arc::default(), vec![sync], None).expect("spawn");
        (dir, writer, release, syncing)
    }

    /// Rows in `t`, read by another connection (what any reader sees).
    fn rows(dir: &tempfile::TempDir) -> i64 {
        let conn = Connection::open(dir.path().join("meta.db")).expect("reader");
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("count")
    }

    fn insert(v: i64) -> impl FnOnce(&Connection) -> Result<(), MetaError> + Send + 'static {
        move |c| {
            c.execute("INSERT INTO t VALUES (?1)", [v])
                .map(|_| ())
                .map_err(crate::error::sql)
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_hear_ok_only_after_the_sync_and_the_writer_goes_on_meanwhile() {
        let (dir, writer, release, syncing) = gated();
        let writer = Arc::new(writer);
        let first = tokio::spawn({
            let writer = Arc::clone(&writer);
            async move { writer.submit(Scope::Nothing, insert(1)).await }
        });
        // The batch committed (a reader sees it) and its sync started, but it is not answered.
        tokio::task::spawn_blocking(move || syncing.recv_timeout(Duration::from_secs(10)))
            .await
            .expect("join")
            .expect("the first sync started");
        assert_eq!(rows(&dir), 1);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!first.is_finished(), "answered before its sync returned");
        // While that sync hangs, the writer commits the next batch.
        let second = tokio::spawn({
            let writer = Arc::clone(&writer);
            async move { writer.submit(Scope::Nothing, insert(2)).await }
        });
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while rows(&dir) < 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "second batch not committed"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(!second.is_finished());
        release.send(Ok(())).expect("release");
        first.await.expect("join").expect("first");
        release.send(Ok(())).expect("release");
        second.await.expect("join").expect("second");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_wal_restarts_while_commits_keep_coming() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("meta.db");
        let conn = crate::schema::open_writer(&path).expect("open");
        conn.execute_batch("CREATE TABLE t (v BLOB)")
            .expect("table");
        let restart_frames = 2048;
        let writer = Writer::spawn_restarting_at(conn, &path, Arc::default(), restart_frames)
            .expect("spawn");
        let frame = 4096 + 24;
        let bound = 3 * restart_frames as u64 * frame;
        // Ten frames per row (overflow pages); four times the bound in all, never a pause.
        let rows_needed = 4 * bound / (10 * frame);
        let wal = syncer::wal_path(&path);
        let mut longest = 0;
        for _ in 0..rows_needed {
            writer
                .submit(Scope::Nothing, |c| {
                    c.execute("INSERT INTO t VALUES (randomblob(40000))", [])
                        .map(|_| ())
                        .map_err(crate::error::sql)
                })
                .await
                .expect("insert");
            longest = longest.max(std::fs::metadata(&wal).expect("wal").len());
        }
        assert!(longest < bound, "the WAL grew to {longest} bytes");
        drop(writer);
        let conn = Connection::open(&path).expect("reader");
        let count: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("count");
        assert_eq!(u64::try_from(count).expect("count"), rows_needed);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_sync_fails_its_callers_and_every_later_write() {
        let (dir, writer, release, _syncing) = gated();
        release
            .send(Err(std::io::Error::other("disk gone")))
            .expect("release");
        let failed = writer
            .submit(Scope::Nothing, insert(1))
            .await
            .expect_err("sync failed");
        assert!(format!("{:?}", failed).contains("WalSync"), "{failed:?}");
        let later = writer
            .submit(Scope::Nothing, insert(2))
            .await
            .expect_err("poisoned");
        assert!(format!("{:?}", later).contains("WalSync"), "{later:?}");
        assert_eq!(rows(&dir), 1, "nothing committed after the failed sync");
        drop(writer);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_job_alone_in_its_batch_is_rolled_back() {
        let (dir, writer, release, _syncing) = gated();
        release.send(Ok(())).expect("release");
        let failed = writer
            .submit(Scope::Nothing, |c| {
                insert(7)(c)?;
                Err::<(), _>(MetaError::NoSuchBucket)
            })
            .await;
        assert!(matches!(failed, Err(MetaError::NoSuchBucket)), "{failed:?}");
        assert_eq!(rows(&dir), 0);
        release.send(Ok(())).expect("release");
        writer
            .submit(Scope::Nothing, insert(8))
            .await
            .expect("next");
        assert_eq!(rows(&dir), 1);
    }
}
