//! Write concurrency within one bucket (crate docs, "Isolation"): writes to different keys hold
//! their locks at the same time, writes to one key and bucket-wide changes wait, and racing
//! writers leave consistent versions and figures.
#![allow(clippy::expect_used, clippy::panic)]

mod common;

use ossd_meta::conformance::fixtures::{make_bucket, object, set_versioning};
use ossd_meta::{ListVersionsQuery, MetaError, MetaStore, Precondition};
use ossd_meta_postgres::PgMeta;
use ossd_types::VersioningState;
use std::time::Duration;
use tokio_postgres::{Client, NoTls};

/// Longer than any write here takes on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// A plain connection to `url` (a second client beside the store's pool).
async fn connect(url: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .expect("connect a second client");
    tokio::spawn(connection);
    client
}

/// Opens a transaction on `client` that holds what a write of `bucket`/`key` holds: the bucket
/// row `FOR SHARE` and the key's lock row.
async fn hold_key(client: &Client, bucket: &str, key: &str) {
    client
        .batch_execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        .await
        .expect("begin");
    let shared = client
        .query(
            "SELECT 1 FROM buckets WHERE name = $1 FOR SHARE",
            &[&bucket],
        )
        .await
        .expect("share the bucket row");
    assert_eq!(shared.len(), 1);
    client
        .execute(
            "INSERT INTO key_locks (bucket, key) VALUES ($1, $2)
             ON CONFLICT (bucket, key) DO UPDATE SET key = excluded.key",
            &[&bucket, &key.as_bytes()],
        )
        .await
        .expect("lock the key");
}

/// Waits until some session of the database waits for a lock (a write blocked behind `client`).
async fn until_blocked(client: &Client) {
    const SQL: &str = "SELECT count(*) FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'";
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let row = client.query_one(SQL, &[]).await.expect("pg_stat_activity");
        if row.get::<_, i64>(0) > 0 {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no write waits for a lock"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Non-marker versions listed in `bucket` and keys whose listed latest version is the newest.
async fn versions(store: &PgMeta, bucket: &str) -> Vec<(String, String, bool, bool)> {
    let query = ListVersionsQuery {
        bucket: bucket.to_owned(),
        max_keys: 1000,
        ..ListVersionsQuery::default()
    };
    let page = store.list_versions(&query).await.expect("list versions");
    assert!(!page.truncated);
    page.versions
        .into_iter()
        .map(|v| {
            (
                v.record.key,
                v.record.version_id,
                v.record.delete_marker,
                v.is_latest,
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_to_different_keys_hold_their_locks_at_once() {
    let Some((url, store)) = common::fresh().await else {
        return;
    };
    make_bucket(&store, "keys", VersioningState::Enabled).await;
    let other = connect(&url).await;
    hold_key(&other, "keys", "a").await;

    // Another key of the bucket is written while `other` holds the bucket row and key "a".
    let put_b = store.put_object(object("keys", "b", "v-b"), Precondition::None);
    tokio::time::timeout(PATIENCE, put_b)
        .await
        .expect("a write of another key does not wait")
        .expect("put b");
    let delete_c = store.delete_object("keys", "c", None, "m-c", 1);
    tokio::time::timeout(PATIENCE, delete_c)
        .await
        .expect("a delete of another key does not wait")
        .expect("delete c");

    // A write of key "a" and a bucket-wide change wait for `other`.
    let writer = store.clone();
    let put_a = tokio::spawn(async move {
        writer
            .put_object(object("keys", "a", "v-a"), Precondition::None)
            .await
    });
    until_blocked(&other).await;
    let configurer = store.clone();
    let config = tokio::spawn(async move {
        configurer
            .put_bucket_config("keys", "cors", Some("<CORS/>".to_owned()))
            .await
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!put_a.is_finished(), "the write of key a waits");
    assert!(!config.is_finished(), "the bucket-wide change waits");
    other.batch_execute("COMMIT").await.expect("commit");
    tokio::time::timeout(PATIENCE, put_a)
        .await
        .expect("the write of key a ends")
        .expect("task")
        .expect("put a");
    tokio::time::timeout(PATIENCE, config)
        .await
        .expect("the change ends")
        .expect("task")
        .expect("put config");
    let stats = store.bucket_stats("keys").await.expect("stats");
    assert_eq!(stats.object_count(), 2);
    assert_eq!(stats.delete_markers, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_writers_of_one_key_leave_one_current_version_and_exact_figures() {
    let Some((_url, store)) = common::fresh().await else {
        return;
    };
    for (bucket, state) in [
        ("off", VersioningState::Disabled),
        ("on", VersioningState::Enabled),
    ] {
        make_bucket(&store, bucket, state).await;
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..24 {
            let store = store.clone();
            tasks.spawn(async move {
                let key = format!("k{}", i % 3);
                if i % 8 == 7 {
                    store
                        .delete_object(bucket, &key, None, &format!("m{i:02}"), 1)
                        .await
                        .map(|_| ())
                } else {
                    let record = object(bucket, &key, &format!("v{i:02}"));
                    store
                        .put_object(record, Precondition::None)
                        .await
                        .map(|_| ())
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("task").expect("write");
        }
        let listed = versions(&store, bucket).await;
        let stats = store.bucket_stats(bucket).await.expect("stats");
        let objects = listed.iter().filter(|v| !v.2).count();
        let markers = listed.iter().filter(|v| v.2).count();
        assert_eq!(stats.object_count(), objects as u64, "{bucket}");
        assert_eq!(stats.delete_markers, markers as u64, "{bucket}");
        if state == VersioningState::Disabled {
            assert!(objects <= 3, "one version per key at most: {listed:?}");
        } else {
            assert_eq!(objects + markers, 24, "{listed:?}");
        }
        for key in ["k0", "k1", "k2"] {
            let of_key: Vec<_> = listed.iter().filter(|v| v.0 == key).collect();
            let latest: Vec<_> = of_key.iter().filter(|v| v.3).collect();
            assert!(latest.len() <= 1, "{key}: {of_key:?}");
            let current = store.get_object(bucket, key, None).await.expect("get");
            match of_key.first() {
                Some(newest) if !newest.2 => {
                    assert!(newest.3);
                    let current = current.expect("current version");
                    assert_eq!(current.version_id, newest.1);
                }
                _ => assert!(current.is_none_or(|c| c.delete_marker), "{key}"),
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_bucket_versioning_racing_object_writes_stays_consistent() {
    let Some((url, store)) = common::fresh().await else {
        return;
    };
    make_bucket(&store, "flip", VersioningState::Disabled).await;

    // The change of state waits for a write in flight.
    let other = connect(&url).await;
    hold_key(&other, "flip", "x").await;
    let flipper = store.clone();
    let flip = tokio::spawn(async move {
        set_versioning(&flipper, "flip", VersioningState::Enabled).await;
    });
    until_blocked(&other).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!flip.is_finished(), "the versioning change waits");
    other.batch_execute("COMMIT").await.expect("commit");
    tokio::time::timeout(PATIENCE, flip)
        .await
        .expect("the change ends")
        .expect("task");

    // Writes racing changes of state: whatever the order, the figures match the versions.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..30 {
        let store = store.clone();
        tasks.spawn(async move {
            if i % 10 == 5 {
                let state = if i % 20 == 5 {
                    VersioningState::Suspended
                } else {
                    VersioningState::Enabled
                };
                set_versioning(&store, "flip", state).await;
                return;
            }
            let record = object("flip", &format!("k{}", i % 4), &format!("v{i:02}"));
            store
                .put_object(record, Precondition::None)
                .await
                .expect("put");
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("task");
    }
    let listed = versions(&store, "flip").await;
    let stats = store.bucket_stats("flip").await.expect("stats");
    assert_eq!(stats.object_count(), listed.len() as u64, "{listed:?}");
    for key in ["k0", "k1", "k2", "k3"] {
        let of_key: Vec<_> = listed.iter().filter(|v| v.0 == key).collect();
        let nulls = of_key.iter().filter(|v| v.1 == "null").count();
        assert!(nulls <= 1, "{key}: {of_key:?}");
        let current = store.get_object("flip", key, None).await.expect("get");
        let current = current.expect("current version");
        assert_eq!(Some(&current.version_id), of_key.first().map(|v| &v.1));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_bucket_racing_put_object_never_leaves_an_object_behind() {
    let Some((_url, store)) = common::fresh().await else {
        return;
    };
    for round in 0..20 {
        let bucket = format!("race{round}");
        make_bucket(&store, &bucket, VersioningState::Disabled).await;
        let record = object(&bucket, "k", "v");
        let (put, deleted) = tokio::join!(
            store.put_object(record, Precondition::None),
            store.delete_bucket(&bucket)
        );
        let exists = store.get_bucket(&bucket).await.expect("get bucket");
        match (put, deleted) {
            (Ok(_), Err(MetaError::BucketNotEmpty)) => {
                assert!(exists.is_some());
                let got = store.get_object(&bucket, "k", None).await.expect("get");
                assert!(got.is_some(), "round {round}: the object is there");
            }
            (Err(MetaError::NoSuchBucket), Ok(())) => assert!(exists.is_none()),
            (put, deleted) => panic!("round {round}: put {put:?}, delete {deleted:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharded_figures_are_the_sum_of_the_writes() {
    let Some((url, store)) = common::fresh().await else {
        return;
    };
    make_bucket(&store, "sums", VersioningState::Enabled).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..64_u64 {
        let store = store.clone();
        tasks.spawn(async move {
            let key = format!("key-{i:02}");
            let mut record = object("sums", &key, &format!("v{i:02}"));
            record.size = 100 + i;
            store
                .put_object(record, Precondition::None)
                .await
                .expect("put");
            if i % 4 == 0 {
                store
                    .delete_object("sums", &key, Some(&format!("v{i:02}")), "", 2)
                    .await
                    .expect("delete version");
            } else if i % 4 == 1 {
                store
                    .delete_object("sums", &key, None, &format!("m{i:02}"), 2)
                    .await
                    .expect("delete");
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("task");
    }
    let kept: Vec<u64> = (0..64).filter(|i| i % 4 != 0).collect();
    let stats = store.bucket_stats("sums").await.expect("stats");
    assert_eq!(stats.object_count(), kept.len() as u64);
    assert_eq!(stats.storage(), kept.iter().map(|i| 100 + i).sum::<u64>());
    assert_eq!(stats.delete_markers, 16);
    let listed = versions(&store, "sums").await;
    assert_eq!(listed.len(), kept.len() + 16);

    // The figures are spread over several rows, and the lock rows of deleted keys are gone.
    let client = connect(&url).await;
    let rows = client
        .query_one(
            "SELECT count(*) FROM bucket_stats WHERE bucket = 'sums'",
            &[],
        )
        .await
        .expect("count shards");
    assert!(rows.get::<_, i64>(0) > 4, "figures in several shards");
    let locks = client
        .query_one("SELECT count(*) FROM key_locks WHERE bucket = 'sums'", &[])
        .await
        .expect("count key locks");
    assert_eq!(locks.get::<_, i64>(0), 48);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn figures_of_a_schema_4_database_move_to_shard_0_and_stay_exact() {
    let Some(url) = common::fresh_database().await else {
        return;
    };
    // A database as schema version 4 left it: one figures row per bucket.
    let client = connect(&url).await;
    let mut setup = String::from(
        "CREATE TABLE ossd_schema (id INT PRIMARY KEY CHECK (id = 0), version INT NOT NULL);
         INSERT INTO ossd_schema (id, version) VALUES (0, 4);",
    );
    for migration in [
        include_str!("../src/schema/v001_initial.sql"),
        include_str!("../src/schema/v002_leader.sql"),
        include_str!("../src/schema/v003_rpc_nonces.sql"),
        include_str!("../src/schema/v004_key_locks.sql"),
    ] {
        setup.push_str(migration);
        setup.push(';');
    }
    setup.push_str(
        "INSERT INTO buckets VALUES ('legacy', 'owner-1', 0, 'private', 'Standard', 'cn-hangzhou',
             'Disabled');
         INSERT INTO bucket_stats (bucket, standard_objects, standard_bytes, delete_markers)
             VALUES ('legacy', 8, 80, 3);",
    );
    client.batch_execute(&setup).await.expect("schema 4");
    let store = PgMeta::connect(&url).await.expect("connect, migrate");
    let legacy = store.bucket_stats("legacy").await.expect("stats");
    assert_eq!(
        (
            legacy.object_count(),
            legacy.storage(),
            legacy.delete_markers
        ),
        (8, 80, 3)
    );
    let shards = client
        .query_one(
            "SELECT count(*) FROM bucket_stats WHERE bucket = 'legacy' AND shard = 0",
            &[],
        )
        .await
        .expect("shard 0");
    assert_eq!(shards.get::<_, i64>(0), 1);

    // Figures in shard 0 whose objects are deleted through other shards (as after the
    // migration): the sums stay exact.
    make_bucket(&store, "old", VersioningState::Disabled).await;
    for i in 0..8 {
        let mut record = object("old", &format!("k{i}"), "null");
        record.size = 10;
        store
            .put_object(record, Precondition::None)
            .await
            .expect("put");
    }
    // Every figure to shard 0, as the migration does with a version 4 row.
    client
        .batch_execute(
            "UPDATE bucket_stats s SET standard_objects = t.o, standard_bytes = t.b
             FROM (SELECT SUM(standard_objects) AS o, SUM(standard_bytes) AS b
                   FROM bucket_stats WHERE bucket = 'old') t
             WHERE s.bucket = 'old' AND s.shard = 0;
             UPDATE bucket_stats SET standard_objects = 0, standard_bytes = 0
             WHERE bucket = 'old' AND shard <> 0",
        )
        .await
        .expect("move the figures to shard 0");
    let stats = store.bucket_stats("old").await.expect("stats");
    assert_eq!((stats.object_count(), stats.storage()), (8, 80));
    // Deletes count against the key's own shard; the sums stay exact.
    for i in 0..6 {
        store
            .delete_object("old", &format!("k{i}"), None, "", 3)
            .await
            .expect("delete");
    }
    let stats = store.bucket_stats("old").await.expect("stats");
    assert_eq!((stats.object_count(), stats.storage()), (2, 20));
    let version = client
        .query_one("SELECT version FROM ossd_schema", &[])
        .await
        .expect("version");
    assert_eq!(
        usize::try_from(version.get::<_, i32>(0)).ok(),
        Some(ossd_meta_postgres::schema_version())
    );
}
