//! The bucket cache is exact: reads of buckets and bucket configurations always see the last
//! acknowledged write, including while other tasks read (and fill the cache) concurrently.
// Test code: a panic is a failed test.
#![allow(clippy::expect_used)]

use ossd_meta::conformance::fixtures::bucket_record;
use ossd_meta::{MetaError, MetaStore};
use ossd_meta_sqlite::SqliteMeta;
use ossd_types::{BucketAcl, VersioningState};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// Opens a fresh store in a temporary directory.
fn fresh() -> (tempfile::TempDir, Arc<SqliteMeta>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteMeta::open(dir.path().join("meta.db")).expect("open");
    (dir, Arc::new(store))
}

/// The config document `kind` of `bucket`, failing the test on an error.
async fn config(store: &SqliteMeta, bucket: &str, kind: &str) -> Option<String> {
    store.get_bucket_config(bucket, kind).await.expect("config")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bucket_write_is_seen_by_the_next_read() {
    let (_dir, store) = fresh();
    // "No such bucket" is answered (and may be cached) before the bucket exists.
    assert_eq!(store.get_bucket("b").await.expect("get"), None);
    assert!(matches!(
        store.get_bucket_config("b", "policy").await,
        Err(MetaError::NoSuchBucket)
    ));
    store
        .create_bucket(bucket_record("b", "owner"))
        .await
        .expect("create");
    let created = store.get_bucket("b").await.expect("get").expect("exists");
    assert_eq!(created.acl, BucketAcl::Private);
    assert_eq!(config(&store, "b", "policy").await, None);

    // A failed create (the name is taken) leaves the cached record as it was.
    let mut other = bucket_record("b", "someone-else");
    assert!(matches!(
        store.create_bucket(other.clone()).await,
        Err(MetaError::BucketAlreadyExists)
    ));
    assert_eq!(
        store.get_bucket("b").await.expect("get"),
        Some(created.clone())
    );

    // ACL and versioning changes.
    let mut updated = created.clone();
    updated.acl = BucketAcl::PublicRead;
    store.update_bucket(updated.clone()).await.expect("acl");
    assert_eq!(
        store.get_bucket("b").await.expect("get"),
        Some(updated.clone())
    );
    updated.versioning = VersioningState::Enabled;
    store
        .update_bucket(updated.clone())
        .await
        .expect("versioning");
    assert_eq!(
        store.get_bucket("b").await.expect("get"),
        Some(updated.clone())
    );

    // Config put, replace, delete.
    for doc in ["one", "two"] {
        store
            .put_bucket_config("b", "policy", Some(doc.to_owned()))
            .await
            .expect("put config");
        assert_eq!(config(&store, "b", "policy").await.as_deref(), Some(doc));
        assert_eq!(config(&store, "b", "cors").await, None);
    }
    store
        .put_bucket_config("b", "policy", None)
        .await
        .expect("delete config");
    assert_eq!(config(&store, "b", "policy").await, None);
    store
        .put_bucket_config("b", "cors", Some("c".to_owned()))
        .await
        .expect("put cors");
    assert_eq!(config(&store, "b", "cors").await.as_deref(), Some("c"));

    // Writes to a missing bucket fail and cache nothing.
    other.name = "missing".to_owned();
    assert!(matches!(
        store.update_bucket(other).await,
        Err(MetaError::NoSuchBucket)
    ));
    assert!(matches!(
        store
            .put_bucket_config("missing", "cors", Some("x".to_owned()))
            .await,
        Err(MetaError::NoSuchBucket)
    ));
    assert_eq!(store.get_bucket("missing").await.expect("get"), None);

    // Delete, then recreate: no record, then a fresh one without the old configs.
    store.delete_bucket("b").await.expect("delete");
    assert_eq!(store.get_bucket("b").await.expect("get"), None);
    assert!(matches!(
        store.get_bucket_config("b", "cors").await,
        Err(MetaError::NoSuchBucket)
    ));
    store
        .create_bucket(bucket_record("b", "new-owner"))
        .await
        .expect("recreate");
    let recreated = store.get_bucket("b").await.expect("get").expect("exists");
    assert_eq!(recreated.owner, "new-owner");
    assert_eq!(config(&store, "b", "cors").await, None);
}

/// How many writes each writer task makes.
const WRITES: i64 = 150;

/// Whether write `n` of each writer deletes the config document instead of writing it.
fn is_delete(n: i64) -> bool {
    n % 5 == 4
}

/// Parses a config document written by [`interleaved_writes_and_reads_never_go_back`].
fn doc_number(doc: Option<String>) -> i64 {
    doc.map_or(-1, |d| d.parse().expect("a number"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn interleaved_writes_and_reads_never_go_back() {
    let (_dir, store) = fresh();
    let names: Vec<String> = (0..3).map(|i| format!("bucket-{i}")).collect();
    let acked: Arc<Vec<(AtomicI64, AtomicI64)>> = Arc::new(
        names
            .iter()
            .map(|_| (AtomicI64::new(-1), AtomicI64::new(-1)))
            .collect(),
    );
    for name in &names {
        store
            .create_bucket(bucket_record(name, "owner"))
            .await
            .expect("create");
    }
    let done = Arc::new(AtomicBool::new(false));

    // Readers: every read must be at least as new as the last write acknowledged before it began.
    let mut readers = Vec::new();
    for r in 0..6 {
        let (store, names, acked, done) = (
            Arc::clone(&store),
            names.clone(),
            Arc::clone(&acked),
            Arc::clone(&done),
        );
        readers.push(tokio::spawn(async move {
            let mut reads = 0u64;
            while !done.load(Ordering::SeqCst) {
                for (i, name) in names.iter().enumerate() {
                    let (record_floor, config_floor) = (&acked[i].0, &acked[i].1);
                    let floor = record_floor.load(Ordering::SeqCst);
                    let record = store.get_bucket(name).await.expect("get").expect("exists");
                    assert!(
                        record.created_ms >= floor,
                        "reader {r}: {name} record {} after write {floor} was acknowledged",
                        record.created_ms
                    );
                    let floor = config_floor.load(Ordering::SeqCst);
                    let doc = store.get_bucket_config(name, "policy").await;
                    let seen = doc_number(doc.expect("config"));
                    // `None` is the answer of a delete: valid if one at or after `floor` exists.
                    let deleted = (floor.max(0)..WRITES).any(is_delete);
                    assert!(
                        seen >= floor || (seen == -1 && deleted),
                        "reader {r}: {name} policy {seen} after write {floor} was acknowledged"
                    );
                    reads += 2;
                }
                tokio::task::yield_now().await;
            }
            reads
        }));
    }

    // Writers: one per bucket, alternating record and config writes; each checks its own write.
    let mut writers = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let (store, name, acked) = (Arc::clone(&store), name.clone(), Arc::clone(&acked));
        writers.push(tokio::spawn(async move {
            let mut record = bucket_record(&name, "owner");
            for n in 0..WRITES {
                record.created_ms = n;
                store.update_bucket(record.clone()).await.expect("update");
                acked[i].0.store(n, Ordering::SeqCst);
                let read = store.get_bucket(&name).await.expect("get").expect("exists");
                assert_eq!(read.created_ms, n, "{name}: own record write");

                let doc = (!is_delete(n)).then(|| n.to_string());
                store
                    .put_bucket_config(&name, "policy", doc.clone())
                    .await
                    .expect("put config");
                let read = store
                    .get_bucket_config(&name, "policy")
                    .await
                    .expect("config");
                assert_eq!(read, doc, "{name}: own config write");
                acked[i].1.store(n, Ordering::SeqCst);
            }
        }));
    }
    for writer in writers {
        writer.await.expect("writer");
    }
    done.store(true, Ordering::SeqCst);
    let mut reads = 0;
    for reader in readers {
        reads += reader.await.expect("reader");
    }
    assert!(reads > 0, "the readers never ran");
    for name in &names {
        let record = store.get_bucket(name).await.expect("get").expect("exists");
        assert_eq!(record.created_ms, WRITES - 1);
    }
}
