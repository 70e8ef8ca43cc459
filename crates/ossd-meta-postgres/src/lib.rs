//! PostgreSQL metadata backend: [`PgMeta`] implements [`MetaStore`] on PostgreSQL 15+ for
//! ossd nodes that share one database (scale-out; see `docs/operations.md#postgresql-metadata`).
//!
//! - **Client**: `tokio-postgres` 0.7 with the `deadpool-postgres` 0.14 pool (both MSRV 1.85).
//!   sqlx 0.9 was the other candidate: it builds on Rust 1.95 with only its `postgres` feature,
//!   but its `migrate`, `macros`, `uuid` and `time` features pull `sqlx-sqlite` into the
//!   resolution, whose `libsqlite3-sys` range must then match the workspace's rusqlite (both
//!   `links = "sqlite3"`), tying every rusqlite upgrade to sqlx. tokio-postgres adds no C
//!   library and the migrations here are a few lines. Its SCRAM code (`postgres-protocol`)
//!   brings the newer RustCrypto generation (`hmac` 0.13, `sha2` 0.11, `md-5` 0.11) beside the
//!   workspace's 0.12/0.10 ones: duplicates in `cargo tree -d` for the binary until the
//!   workspace moves up, none within this crate's own graph. Every statement is prepared once per connection (`prepare_cached`) and run with
//!   bound parameters.
//! - **Write rules**: versioning, preconditions, multipart uploads and listings come from
//!   `ossd-meta` (the synchronous [`ossd_meta::versioning::VersionTxn`] and
//!   [`ossd_meta::uploads::UploadTxn`] primitives and the listing cursors), shared with every
//!   backend. They run on the blocking pool, each statement awaited on the runtime's handle.
//! - **Isolation: READ COMMITTED, with a shared bucket lock and a lock per key.** Every write of
//!   a key's versions holds its bucket's row `FOR SHARE` and the key's row of `key_locks` (an
//!   `INSERT … ON CONFLICT DO UPDATE`, which locks the row it inserts or finds); upload and part
//!   writes hold the bucket row `FOR SHARE` and their upload's row `FOR UPDATE`. Bucket-wide
//!   writes (versioning state and other bucket fields, configuration, DeleteBucket's emptiness
//!   check) lock the bucket row `FOR UPDATE`, and every IAM commit the one row of the revision
//!   counter. So writes to different keys of a bucket run at once (PostgreSQL groups their WAL
//!   flushes), writes to one key or upload one after another, and a bucket-wide write waits for
//!   the writes in flight while the writes after it wait for it. Since READ COMMITTED takes a
//!   new snapshot for every statement, each statement after the locks sees everything committed
//!   before it: the rules read exactly the state they then change (the key's versions, the
//!   bucket's versioning state), as under SERIALIZABLE, but without its aborts. What writes to
//!   different keys share needs no lock of its own: `blob_refs` counts change by one atomic
//!   statement each (a decrement locks the count first), and the figures by relative updates
//!   in one of 16 rows per bucket, chosen by key (see `txn.rs` for the reasoning, row by row).
//!   Reads are single statements (one snapshot each) or, for listing pages, one
//!   `REPEATABLE READ READ ONLY` transaction. Transactions are nevertheless retried from the
//!   start (bounded) on `40001` serialization failures and `40P01` deadlocks, so the same code
//!   is correct on an engine or a database whose default isolation is SERIALIZABLE
//!   (CockroachDB, YugabyteDB in that mode).
//! - **Listings** are keyset ranges of an index (`key >= $from AND key < $end ORDER BY key
//!   LIMIT $n`), never OFFSET. Each connection sets `plan_cache_mode = force_custom_plan`
//!   (where the engine knows it): once a statement has run five times PostgreSQL may switch to
//!   a generic plan that does not see the bounds and sorts a bitmap scan instead of walking the
//!   index ([`PgMeta::explain_listing`] shows the plan; a test checks it).
//! - **Schema**: versioned migrations in `ossd_schema` (`schema/`). Keys are `BYTEA` and names
//!   `TEXT COLLATE "C"`, so order is UTF-8 byte order whatever the database's locale.
//! - **CockroachDB/YugabyteDB in mind**: no sequences or `SERIAL` (the per-key version order is
//!   computed in the insert), no triggers, no PL/pgSQL, no advisory locks (migrations lock a
//!   row), no `LISTEN/NOTIFY`; the features used (`ON CONFLICT`, `FOR UPDATE`, `LATERAL`,
//!   `= ANY($1)`, `COLLATE "C"`) are in both. Not tested against them here.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod bucket_stats;
mod buckets;
mod cluster;
mod codec;
mod conn;
mod cursor;
mod error;
mod iam;
mod meter;
mod nonces;
mod objects;
mod schema;
mod txn;
mod upload_txn;
mod uploads;
mod url;

pub use cluster::{Change, ChangeKind, Leadership};
pub use error::PgError;
pub use url::{DEFAULT_POOL_SIZE, PgUrl};

use async_trait::async_trait;
use conn::{Mode, run_tallied};
use deadpool_postgres::{HookError, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use meter::Meter;
use ossd_meta::uploads::{apply_abort, apply_complete, apply_create_upload, apply_put_part};
use ossd_meta::versioning::{DeleteRequest, apply_delete, apply_put, apply_update};
use ossd_meta::{
    BucketRecord, BucketStats, BucketSwap, CompleteOutcome, ConfigSwap, DeleteOutcome, IamCheck,
    IamItem, IamWrite, ListPage, ListQuery, ListUploadsQuery, ListVersionsQuery, MetaError,
    MetaStore, ObjectRecord, PartRecord, Precondition, PutOutcome, UploadRecord, UploadsPage,
    VersionsPage,
};
use std::sync::Arc;
use std::time::Duration;
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;
use txn::SqlTxn;
use uploads::OwnedUploadRef;

/// The schema version this build creates and expects (`ossd_schema.version`).
pub fn schema_version() -> usize {
    schema::current_version()
}

/// How long a request waits for a free pooled connection before failing.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(30);

/// A [`MetaStore`] in a PostgreSQL database, over a pool of connections.
#[derive(Clone)]
pub struct PgMeta {
    pool: Pool,
    /// Where the pool connects (dedicated connections of [`cluster`] use it too).
    config: tokio_postgres::Config,
    /// Whether the engine has `pg_notify` (PostgreSQL does, CockroachDB does not).
    notify: bool,
    /// Where each operation's round trips are reported.
    meter: Arc<Meter>,
}

impl std::fmt::Debug for PgMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self.pool.status();
        f.debug_struct("PgMeta")
            .field("pool_size", &status.max_size)
            .field("connections", &status.size)
            .finish()
    }
}

impl PgMeta {
    /// Connects to the database `url` (`postgres://user[:password]@host[:port]/db[?…]`, see
    /// [`PgUrl`]), migrates its schema to [`schema_version`] and opens the pool. Must be called
    /// within a Tokio runtime, which then drives the connections.
    pub async fn connect(url: &str) -> Result<Self, MetaError> {
        Self::open(PgUrl::parse(url)?).await
    }

    /// As [`PgMeta::connect`], with the URL parsed already.
    pub async fn open(url: PgUrl) -> Result<Self, MetaError> {
        let PgUrl { config, pool_size } = url;
        let (mut client, connection) = config.connect(NoTls).await.map_err(PgError::Sql)?;
        let driver = tokio::spawn(connection);
        let migrated = schema::migrate(&mut client).await;
        let notify = cluster::can_notify(&client).await;
        drop(client);
        // The connection task ends once the client is gone.
        if let Err(e) = driver.await {
            tracing::debug!(error = %e, "migration connection task");
        }
        migrated?;
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(CHECKOUT_TIMEOUT))
            .create_timeout(Some(CHECKOUT_TIMEOUT))
            .post_create(deadpool_postgres::Hook::async_fn(|client, _| {
                Box::pin(async move {
                    match client.batch_execute(FORCE_CUSTOM_PLAN).await {
                        Ok(()) => Ok(()),
                        Err(e) if e.code() == Some(&SqlState::UNDEFINED_OBJECT) => {
                            tracing::debug!("plan_cache_mode unknown to this engine");
                            Ok(())
                        }
                        Err(e) => Err(HookError::Backend(e)),
                    }
                })
            }))
            .build()
            .map_err(PgError::Pool)?;
        Ok(Self {
            pool,
            config,
            notify,
            meter: Arc::default(),
        })
    }

    /// Runs `f` as [`MetaStore`] operation `op` (see [`conn::run`]) and reports what it asked of
    /// the server to the observer.
    async fn call<T, F>(&self, op: &'static str, mode: Mode, f: F) -> Result<T, MetaError>
    where
        T: Send + 'static,
        F: Fn(&conn::Conn<'_>) -> Result<T, MetaError> + Send + 'static,
    {
        let (outcome, tally) = run_tallied(&self.pool, mode, f).await;
        self.meter.report(op, tally);
        outcome
    }

    /// The plan PostgreSQL uses for the ListObjects range statement on `bucket` with `prefix`,
    /// reading `limit` rows, after the statement has been prepared and run six times (when a
    /// generic plan may replace the custom ones), as `EXPLAIN` prints it: to check on a given
    /// engine that a listing walks an index. A diagnostic for operators and tests; it runs the
    /// listing seven times.
    pub async fn explain_listing(
        &self,
        bucket: &str,
        prefix: &str,
        limit: usize,
    ) -> Result<String, MetaError> {
        let from = prefix.as_bytes();
        let limit = codec::bigint(limit);
        let (types, statement, args) = match ossd_meta::listing::prefix_successor(from) {
            Some(end) => (
                "text, bytea, bytea, bigint",
                cursor::CURRENT_BOUNDED,
                format!(
                    "({}, {}, {}, {limit})",
                    sql_text(bucket),
                    sql_bytea(from),
                    sql_bytea(&end)
                ),
            ),
            None => (
                "text, bytea, bigint",
                cursor::CURRENT_OPEN,
                format!("({}, {}, {limit})", sql_text(bucket), sql_bytea(from)),
            ),
        };
        let client = self.pool.get().await.map_err(PgError::Checkout)?;
        let prepare = format!("PREPARE ossd_explain_listing ({types}) AS {statement}");
        client.batch_execute(&prepare).await.map_err(PgError::Sql)?;
        let explained = async {
            for _ in 0..6 {
                client
                    .batch_execute(&format!("EXECUTE ossd_explain_listing {args}"))
                    .await?;
            }
            client
                .simple_query(&format!("EXPLAIN EXECUTE ossd_explain_listing {args}"))
                .await
        }
        .await;
        let deallocated = client
            .batch_execute("DEALLOCATE ossd_explain_listing")
            .await;
        let messages = explained.map_err(PgError::Sql)?;
        deallocated.map_err(PgError::Sql)?;
        let mut plan = String::new();
        for message in messages {
            if let tokio_postgres::SimpleQueryMessage::Row(row) = message {
                plan.push_str(row.get(0).unwrap_or_default());
                plan.push('\n');
            }
        }
        Ok(plan)
    }
}

/// Sent on every new connection: custom plans for every prepared statement (see the crate docs).
const FORCE_CUSTOM_PLAN: &str = "SET plan_cache_mode = force_custom_plan";

/// `s` as a SQL string literal (standard-conforming: only `'` is special).
fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `bytes` as a SQL `bytea` literal in hex form.
fn sql_bytea(bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("'\\x{hex}'::bytea")
}

#[async_trait]
impl MetaStore for PgMeta {
    async fn create_bucket(&self, bucket: BucketRecord) -> Result<(), MetaError> {
        self.call("create_bucket", Mode::Write, move |c| {
            buckets::create(c, &bucket)
        })
        .await
    }

    async fn create_bucket_with_configs(
        &self,
        bucket: BucketRecord,
        configs: Vec<(String, String)>,
    ) -> Result<(), MetaError> {
        // One transaction (`Mode::Write`): the bucket and its documents commit together.
        self.call("create_bucket_with_configs", Mode::Write, move |c| {
            buckets::create(c, &bucket)?;
            for (kind, doc) in &configs {
                buckets::put_config(c, &bucket.name, kind, Some(doc))?;
            }
            Ok(())
        })
        .await
    }

    async fn get_bucket(&self, name: &str) -> Result<Option<BucketRecord>, MetaError> {
        let name = name.to_owned();
        self.call("get_bucket", Mode::Single, move |c| buckets::get(c, &name))
            .await
    }

    async fn update_bucket(&self, bucket: BucketRecord) -> Result<(), MetaError> {
        self.call("update_bucket", Mode::Write, move |c| {
            buckets::update(c, &bucket)
        })
        .await
    }

    async fn swap_bucket(
        &self,
        expected: &BucketRecord,
        bucket: BucketRecord,
    ) -> Result<BucketSwap, MetaError> {
        let expected = expected.clone();
        let write = move |c: &conn::Conn<'_>| buckets::swap(c, &expected, &bucket);
        self.call("swap_bucket", Mode::Write, write).await
    }

    async fn delete_bucket(&self, name: &str) -> Result<(), MetaError> {
        let name = name.to_owned();
        self.call("delete_bucket", Mode::Write, move |c| {
            buckets::delete(c, &name)
        })
        .await
    }

    async fn list_buckets(
        &self,
        owner: &str,
        prefix: &str,
        marker: &str,
        max: usize,
    ) -> Result<(Vec<BucketRecord>, bool), MetaError> {
        let (owner, prefix, marker) = (owner.to_owned(), prefix.to_owned(), marker.to_owned());
        let read = move |c: &conn::Conn<'_>| buckets::list(c, &owner, &prefix, &marker, max);
        self.call("list_buckets", Mode::Single, read).await
    }

    async fn get_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
    ) -> Result<Option<String>, MetaError> {
        let (bucket, kind) = (bucket.to_owned(), kind.to_owned());
        let read = move |c: &conn::Conn<'_>| buckets::get_config(c, &bucket, &kind);
        self.call("get_bucket_config", Mode::Single, read).await
    }

    async fn put_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
        doc: Option<String>,
    ) -> Result<(), MetaError> {
        let (bucket, kind) = (bucket.to_owned(), kind.to_owned());
        let write =
            move |c: &conn::Conn<'_>| buckets::put_config(c, &bucket, &kind, doc.as_deref());
        self.call("put_bucket_config", Mode::Write, write).await
    }

    async fn swap_bucket_config(
        &self,
        bucket: &str,
        kind: &str,
        expected: Option<&str>,
        doc: Option<String>,
    ) -> Result<ConfigSwap, MetaError> {
        let (bucket, kind) = (bucket.to_owned(), kind.to_owned());
        let expected = expected.map(str::to_owned);
        let write = move |c: &conn::Conn<'_>| {
            buckets::swap_config(c, &bucket, &kind, expected.as_deref(), doc.as_deref())
        };
        self.call("swap_bucket_config", Mode::Write, write).await
    }

    async fn get_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        let (bucket, key) = (bucket.to_owned(), key.to_owned());
        let version_id = version_id.map(str::to_owned);
        let read =
            move |c: &conn::Conn<'_>| objects::get(c, &bucket, &key, version_id.as_deref(), false);
        self.call("get_object", Mode::Single, read).await
    }

    async fn get_object_meta(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> Result<Option<ObjectRecord>, MetaError> {
        let (bucket, key) = (bucket.to_owned(), key.to_owned());
        let version_id = version_id.map(str::to_owned);
        let read =
            move |c: &conn::Conn<'_>| objects::get(c, &bucket, &key, version_id.as_deref(), true);
        self.call("get_object_meta", Mode::Single, read).await
    }

    async fn put_object(
        &self,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<PutOutcome, MetaError> {
        let write = move |c: &conn::Conn<'_>| {
            apply_put(
                &mut SqlTxn::object(c, &record.key),
                record.clone(),
                &condition,
            )
        };
        self.call("put_object", Mode::Write, write).await
    }

    async fn update_object(
        &self,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<(), MetaError> {
        let write = move |c: &conn::Conn<'_>| {
            apply_update(
                &mut SqlTxn::object(c, &record.key),
                record.clone(),
                &condition,
            )
        };
        self.call("update_object", Mode::Write, write).await
    }

    async fn delete_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
        marker_version_id: &str,
        now_ms: i64,
    ) -> Result<DeleteOutcome, MetaError> {
        let (bucket, key) = (bucket.to_owned(), key.to_owned());
        let (version_id, marker) = (version_id.map(str::to_owned), marker_version_id.to_owned());
        let write = move |c: &conn::Conn<'_>| {
            let req = DeleteRequest {
                bucket: &bucket,
                key: &key,
                version_id: version_id.as_deref(),
                marker_version_id: &marker,
                now_ms,
            };
            let outcome = apply_delete(&mut SqlTxn::object(c, &key), req)?;
            if outcome.marker_created.is_none() {
                buckets::release_key(c, &bucket, key.as_bytes())?;
            }
            Ok(outcome)
        };
        self.call("delete_object", Mode::Write, write).await
    }

    async fn list_objects(&self, query: &ListQuery) -> Result<ListPage, MetaError> {
        let query = query.clone();
        self.call("list_objects", Mode::Snapshot, move |c| {
            objects::list(c, &query)
        })
        .await
    }

    async fn list_versions(&self, query: &ListVersionsQuery) -> Result<VersionsPage, MetaError> {
        let query = query.clone();
        let read = move |c: &conn::Conn<'_>| objects::list_versions(c, &query);
        self.call("list_versions", Mode::Snapshot, read).await
    }

    async fn blobs_referenced(&self, blob_ids: &[String]) -> Result<Vec<bool>, MetaError> {
        let blob_ids = blob_ids.to_vec();
        let read = move |c: &conn::Conn<'_>| objects::blobs_referenced(c, &blob_ids);
        self.call("blobs_referenced", Mode::Single, read).await
    }

    async fn iam_get(&self, key: &str) -> Result<Option<IamItem>, MetaError> {
        let key = key.to_owned();
        self.call("iam_get", Mode::Single, move |c| iam::get(c, &key))
            .await
    }

    async fn iam_scan(
        &self,
        prefix: &str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<(String, IamItem)>, MetaError> {
        let (prefix, after) = (prefix.to_owned(), after.to_owned());
        let read = move |c: &conn::Conn<'_>| iam::scan(c, &prefix, &after, limit);
        self.call("iam_scan", Mode::Single, read).await
    }

    async fn iam_commit(
        &self,
        checks: Vec<IamCheck>,
        writes: Vec<IamWrite>,
    ) -> Result<(), MetaError> {
        let notify = self.notify;
        let write = move |c: &conn::Conn<'_>| iam::commit(c, notify, &checks, &writes);
        self.call("iam_commit", Mode::Write, write).await
    }

    async fn create_upload(&self, upload: UploadRecord) -> Result<(), MetaError> {
        let write = move |c: &conn::Conn<'_>| {
            apply_create_upload(&mut SqlTxn::upload(c, &upload.key), upload.clone())
        };
        self.call("create_upload", Mode::Write, write).await
    }

    async fn get_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Option<UploadRecord>, MetaError> {
        let at = OwnedUploadRef::new(bucket, key, upload_id);
        self.call("get_upload", Mode::Single, move |c| {
            uploads::get(c, at.get())
        })
        .await
    }

    async fn put_part(
        &self,
        bucket: &str,
        key: &str,
        part: PartRecord,
    ) -> Result<Option<PartRecord>, MetaError> {
        let (bucket, key) = (bucket.to_owned(), key.to_owned());
        let write = move |c: &conn::Conn<'_>| {
            apply_put_part(&mut SqlTxn::upload(c, &key), &bucket, &key, part.clone())
        };
        self.call("put_part", Mode::Write, write).await
    }

    async fn list_parts(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number_marker: u32,
        max_parts: usize,
    ) -> Result<(Vec<PartRecord>, bool), MetaError> {
        let at = OwnedUploadRef::new(bucket, key, upload_id);
        let read = move |c: &conn::Conn<'_>| {
            uploads::list_parts(c, at.get(), part_number_marker, max_parts)
        };
        self.call("list_parts", Mode::Snapshot, read).await
    }

    async fn list_uploads(&self, query: &ListUploadsQuery) -> Result<UploadsPage, MetaError> {
        let query = query.clone();
        self.call("list_uploads", Mode::Snapshot, move |c| {
            uploads::list(c, &query)
        })
        .await
    }

    async fn complete_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        record: ObjectRecord,
        condition: Precondition,
    ) -> Result<CompleteOutcome, MetaError> {
        let at = OwnedUploadRef::new(bucket, key, upload_id);
        let write = move |c: &conn::Conn<'_>| {
            let at = at.get();
            apply_complete(
                &mut SqlTxn::object(c, at.key),
                at,
                record.clone(),
                &condition,
            )
        };
        self.call("complete_upload", Mode::Write, write).await
    }

    async fn abort_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> Result<Vec<PartRecord>, MetaError> {
        let at = OwnedUploadRef::new(bucket, key, upload_id);
        let write = move |c: &conn::Conn<'_>| {
            let at = at.get();
            apply_abort(&mut SqlTxn::upload(c, at.key), at)
        };
        self.call("abort_upload", Mode::Write, write).await
    }

    fn set_commit_observer(&self, observer: Arc<dyn ossd_meta::CommitObserver>) {
        self.meter.set(observer);
    }

    async fn bucket_stats(&self, bucket: &str) -> Result<BucketStats, MetaError> {
        let bucket = bucket.to_owned();
        self.call("bucket_stats", Mode::Single, move |c| {
            bucket_stats::get(c, &bucket)
        })
        .await
    }
}
