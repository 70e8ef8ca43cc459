//! Running the synchronous write rules and cursors of `ossd-meta` on a pooled connection: a
//! [`Conn`] blocks its (blocking-pool) thread on each statement, so that
//! [`ossd_meta::versioning::VersionTxn`] and the listing cursors, which are synchronous, work
//! unchanged over the asynchronous client. Every statement is prepared once per connection
//! (`prepare_cached`) and executed with parameters.
//!
//! [`run`] wraps a closure in one transaction and retries it from the start when the database
//! reports a serialization failure (`40001`) or a deadlock (`40P01`): what an engine running
//! SERIALIZABLE (CockroachDB's default) answers on a conflict, and what PostgreSQL answers to a
//! lock cycle under READ COMMITTED.

use crate::error::PgError;
use deadpool_postgres::{Object, Pool};
use ossd_meta::MetaError;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

/// Statement parameters.
pub(crate) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// How many times a conflicting transaction is tried before the error reaches the caller.
const ATTEMPTS: u32 = 10;

/// The kind of transaction [`run`] opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A write: READ COMMITTED; the closure takes the row locks it needs (see the crate docs).
    Write,
    /// A read of several statements that must see one snapshot (a listing page).
    Snapshot,
    /// A single statement (or reads that need no common snapshot): no explicit transaction.
    Single,
}

impl Mode {
    /// The statement that opens the transaction, if any.
    fn begin(self) -> Option<&'static str> {
        match self {
            Mode::Write => Some("BEGIN ISOLATION LEVEL READ COMMITTED"),
            Mode::Snapshot => Some("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
            Mode::Single => None,
        }
    }
}

/// A pooled connection used from a blocking thread.
pub(crate) struct Conn<'c> {
    client: &'c Object,
    handle: &'c Handle,
    /// Whether a statement failed with a conflict that a retry may resolve.
    conflicted: Cell<bool>,
    /// Whether a transaction was opened and not (known to be) ended.
    open: Cell<bool>,
    /// Statements sent and time spent waiting for them (see [`Tally`]).
    tally: Cell<Tally>,
}

/// What one [`run`] asked of the database server: statements sent (transaction control and
/// every retry included; a statement prepared for the first time on a connection is one more
/// exchange, not counted) and the time spent waiting for their answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Statements sent.
    pub round_trips: u32,
    /// Time from sending each statement to having its whole answer, summed.
    pub waited: Duration,
}

impl Conn<'_> {
    /// Blocks on one statement's exchange with the server, counting it in the tally.
    fn exchange<T>(&self, exchange: impl Future<Output = T>) -> T {
        let started = Instant::now();
        let answer = self.handle.block_on(exchange);
        let mut tally = self.tally.get();
        tally.round_trips = tally.round_trips.saturating_add(1);
        tally.waited += started.elapsed();
        self.tally.set(tally);
        answer
    }

    /// Records whether `e` is a conflict, and makes it a backend error.
    fn fail(&self, e: tokio_postgres::Error) -> MetaError {
        if let Some(code) = e.code()
            && (*code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED)
        {
            self.conflicted.set(true);
        }
        PgError::Sql(e).into()
    }

    /// Runs `sql` (prepared once per connection) and returns every row.
    pub(crate) fn query(&self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, MetaError> {
        let client = self.client;
        self.exchange(async {
            let statement = client.prepare_cached(sql).await?;
            client.query(&statement, params).await
        })
        .map_err(|e| self.fail(e))
    }

    /// Runs `sql` and returns its first row, if any.
    pub(crate) fn opt(&self, sql: &str, params: Params<'_>) -> Result<Option<Row>, MetaError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Runs `sql` and returns the number of rows it changed.
    pub(crate) fn exec(&self, sql: &str, params: Params<'_>) -> Result<u64, MetaError> {
        let client = self.client;
        self.exchange(async {
            let statement = client.prepare_cached(sql).await?;
            client.execute(&statement, params).await
        })
        .map_err(|e| self.fail(e))
    }

    /// Runs `sql` with the simple protocol (transaction control, no parameters).
    fn batch(&self, sql: &str) -> Result<(), MetaError> {
        self.exchange(self.client.batch_execute(sql))
            .map_err(|e| self.fail(e))
    }

    /// One attempt of [`run`]: `f` inside the transaction of `mode`, committed if it succeeds and
    /// rolled back if it fails.
    fn attempt<T>(
        &self,
        mode: Mode,
        f: &impl Fn(&Conn<'_>) -> Result<T, MetaError>,
    ) -> Result<T, MetaError> {
        self.conflicted.set(false);
        let Some(begin) = mode.begin() else {
            return f(self);
        };
        self.batch(begin)?;
        self.open.set(true);
        match f(self) {
            Ok(value) => {
                // A failed COMMIT has ended the transaction (or lost the connection): nothing
                // to roll back.
                let committed = self.batch("COMMIT");
                self.open.set(false);
                committed?;
                Ok(value)
            }
            Err(e) => {
                let conflicted = self.conflicted.get();
                // A failed ROLLBACK leaves `open` set: the connection is then discarded.
                match self.batch("ROLLBACK") {
                    Ok(()) => self.open.set(false),
                    Err(rollback) => {
                        tracing::debug!(error = %ossd_meta::ErrorChain(&rollback), "rollback failed");
                    }
                }
                self.conflicted.set(conflicted);
                Err(e)
            }
        }
    }
}

/// [`Conn::attempt`] until it succeeds, fails without a conflict, or has conflicted
/// [`ATTEMPTS`] times.
fn retry<T>(
    conn: &Conn<'_>,
    mode: Mode,
    f: &impl Fn(&Conn<'_>) -> Result<T, MetaError>,
) -> Result<T, MetaError> {
    let mut tries = 0;
    loop {
        tries += 1;
        match conn.attempt(mode, f) {
            Err(e) if conn.conflicted.get() => {
                if tries >= ATTEMPTS {
                    tracing::warn!(error = %ossd_meta::ErrorChain(&e), tries, "giving up");
                    return Err(PgError::Conflicts(tries).into());
                }
                std::thread::sleep(Duration::from_millis(u64::from(tries) * 2));
            }
            outcome => return outcome,
        }
    }
}

/// Runs `f` on a connection of `pool` inside one transaction of kind `mode`, on the blocking
/// pool; retried from the start (a bounded number of times, with a short growing pause) while it
/// fails with a conflict. `f` must be repeatable: it is called once per attempt. A connection
/// that may still be inside a transaction (a panic in `f`, a failed ROLLBACK) is closed instead
/// of going back to the pool.
pub(crate) async fn run<T, F>(pool: &Pool, mode: Mode, f: F) -> Result<T, MetaError>
where
    T: Send + 'static,
    F: Fn(&Conn<'_>) -> Result<T, MetaError> + Send + 'static,
{
    run_tallied(pool, mode, f).await.0
}

/// [`run`], also returning what it asked of the server (nothing when no connection was had).
pub(crate) async fn run_tallied<T, F>(
    pool: &Pool,
    mode: Mode,
    f: F,
) -> (Result<T, MetaError>, Tally)
where
    T: Send + 'static,
    F: Fn(&Conn<'_>) -> Result<T, MetaError> + Send + 'static,
{
    let client = match pool.get().await {
        Ok(client) => client,
        Err(e) => return (Err(PgError::Checkout(e).into()), Tally::default()),
    };
    let handle = Handle::current();
    let task = tokio::task::spawn_blocking(move || {
        let conn = Conn {
            client: &client,
            handle: &handle,
            conflicted: Cell::new(false),
            open: Cell::new(false),
            tally: Cell::new(Tally::default()),
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| retry(&conn, mode, &f)));
        let reusable = outcome.is_ok() && !conn.open.get();
        let tally = conn.tally.get();
        if !reusable {
            drop(Object::take(client));
        }
        (outcome.unwrap_or_else(|panic| resume_unwind(panic)), tally)
    });
    match task.await {
        Ok(done) => done,
        Err(source) => {
            let failed = PgError::Task {
                what: "metadata",
                source,
            };
            (Err(failed.into()), Tally::default())
        }
    }
}
