//! The object cache is exact: `get_object` and `get_object_meta` always see the last acknowledged
//! write of a key (put, versioned put, delete, delete marker, multipart completion, update, bucket
//! deletion and re-creation), including while other tasks read (and fill the cache) concurrently.
// Test code: a panic is a failed test.
#![allow(clippy::expect_used)]

use ossd_meta::conformance::fixtures::{
    completed_record, make_bucket, object, part_record, upload_record,
};
use ossd_meta::{
    DataRef, MetaError, MetaStore, ObjectRecord, Precondition, RestoreState, StoredChecksum,
};
use ossd_meta_sqlite::SqliteMeta;
use ossd_types::VersioningState;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// Opens a fresh store in a temporary directory.
fn fresh() -> (tempfile::TempDir, Arc<SqliteMeta>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteMeta::open(dir.path().join("meta.db")).expect("open");
    (dir, Arc::new(store))
}

/// How many writes each writer task makes.
const WRITES: i64 = 120;

/// What write `n` of a writer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// A PUT of an inline body.
    PutInline,
    /// A PUT of data in a blob.
    PutBlob,
    /// A metadata update of the latest version (as PutObjectACL or tagging do).
    Update,
    /// CompleteMultipartUpload.
    Complete,
    /// DeleteObject: removes the key (versioning off) or adds a delete marker.
    Delete,
}

fn op(n: i64) -> Op {
    match n % 5 {
        0 => Op::PutInline,
        1 => Op::PutBlob,
        2 => Op::Update,
        3 => Op::Complete,
        _ => Op::Delete,
    }
}

/// The stamp of write `n`: every write leaves a latest version whose `last_modified_ms` is it
/// (the ACL update keeps the previous write's time, so it is marked by a tag instead).
fn stamp_of(record: &ObjectRecord) -> i64 {
    record
        .tags
        .iter()
        .find(|(k, _)| k == "n")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(record.last_modified_ms)
}

/// Sets the stamp `n` on `record`: its time and its `n` tag.
fn stamped(mut record: ObjectRecord, n: i64) -> ObjectRecord {
    record.last_modified_ms = n;
    record.tags = vec![("n".to_owned(), n.to_string())];
    record
}

/// Makes write `n` of `key`; returns what `get_object(key, None)` must answer afterwards.
async fn write(store: &SqliteMeta, bucket: &str, key: &str, n: i64) -> Option<ObjectRecord> {
    let version_id = format!("v-{key}-{n}");
    match op(n) {
        Op::PutInline | Op::PutBlob => {
            let mut record = stamped(object(bucket, key, &version_id), n);
            if op(n) == Op::PutInline {
                let body = format!("body {n}").into_bytes();
                record.size = body.len() as u64;
                record.data = DataRef::Inline(body.into());
            }
            let put = store
                .put_object(record.clone(), Precondition::None)
                .await
                .expect("put");
            record.version_id = put.version_id;
            Some(record)
        }
        Op::Update => {
            let mut latest = store
                .get_object(bucket, key, None)
                .await
                .expect("get")
                .expect("a blob put came before");
            latest.tags = vec![("n".to_owned(), n.to_string())];
            latest.acl = ossd_types::ObjectAcl::PublicRead;
            store
                .update_object(latest.clone(), Precondition::None)
                .await
                .expect("update");
            Some(latest)
        }
        Op::Complete => {
            let upload_id = format!("{bucket}-{key}-{n}");
            let upload = upload_record(bucket, key, &upload_id);
            store.create_upload(upload.clone()).await.expect("upload");
            let part = part_record(&upload_id, 1, &format!("blob-{upload_id}"));
            store
                .put_part(bucket, key, part.clone())
                .await
                .expect("part");
            let mut record = stamped(completed_record(&upload, &[part], &version_id), n);
            let done = store
                .complete_upload(bucket, key, &upload_id, record.clone(), Precondition::None)
                .await
                .expect("complete");
            record.version_id = done.version_id;
            Some(record)
        }
        Op::Delete => {
            let outcome = store
                .delete_object(bucket, key, None, &version_id, n)
                .await
                .expect("delete");
            let marker = outcome.marker_created?;
            store
                .get_object(bucket, key, Some(&marker))
                .await
                .expect("get marker")
        }
    }
}

/// Checks the answers of `get_object` and `get_object_meta` against `expected`, and by version id.
async fn check_own_write(
    store: &SqliteMeta,
    bucket: &str,
    key: &str,
    expected: &Option<ObjectRecord>,
) {
    for _ in 0..2 {
        let whole = store.get_object(bucket, key, None).await.expect("get");
        assert_eq!(&whole, expected, "{bucket}/{key}: own write");
        let meta = store
            .get_object_meta(bucket, key, None)
            .await
            .expect("meta");
        assert_eq!(meta, expected.as_ref().map(ObjectRecord::without_inline));
        if let Some(record) = expected {
            let by_id = store
                .get_object(bucket, key, Some(&record.version_id))
                .await
                .expect("by id");
            assert_eq!(
                by_id.as_ref(),
                Some(record),
                "{bucket}/{key}: by version id"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn interleaved_writes_and_reads_never_go_back() {
    let (_dir, store) = fresh();
    make_bucket(&*store, "plain", VersioningState::Disabled).await;
    make_bucket(&*store, "versioned", VersioningState::Enabled).await;
    let targets: Vec<(String, String)> = ["plain", "versioned"]
        .iter()
        .flat_map(|b| (0..3).map(move |k| ((*b).to_owned(), format!("key-{k}"))))
        .collect();
    let acked: Arc<Vec<AtomicI64>> = Arc::new(targets.iter().map(|_| AtomicI64::new(-1)).collect());
    let done = Arc::new(AtomicBool::new(false));

    // Readers: every read is at least as new as the last write acknowledged before it began.
    let mut readers = Vec::new();
    for r in 0..6 {
        let (store, targets, acked, done) = (
            Arc::clone(&store),
            targets.clone(),
            Arc::clone(&acked),
            Arc::clone(&done),
        );
        readers.push(tokio::spawn(async move {
            let mut reads = 0u64;
            while !done.load(Ordering::SeqCst) {
                for (i, (bucket, key)) in targets.iter().enumerate() {
                    let floor = acked[i].load(Ordering::SeqCst);
                    let whole = (reads + r).is_multiple_of(2);
                    let found = if whole {
                        store.get_object(bucket, key, None).await
                    } else {
                        store.get_object_meta(bucket, key, None).await
                    };
                    let found = found.expect("read");
                    let seen = found.as_ref().map_or(-1, stamp_of);
                    // `None` (versioning off) is the answer of a delete at or after `floor`.
                    let deleted = (floor.max(0)..WRITES).any(|n| op(n) == Op::Delete);
                    assert!(
                        seen >= floor || (seen == -1 && deleted),
                        "reader {r}: {bucket}/{key} at {seen} after write {floor} was acknowledged"
                    );
                    let live = found.as_ref().filter(|f| !f.delete_marker);
                    if let Some(DataRef::Inline(bytes)) = live.map(|f| &f.data) {
                        let expected = if whole {
                            format!("body {seen}").into_bytes()
                        } else {
                            Vec::new()
                        };
                        assert_eq!(bytes[..], expected[..], "reader {r}: {bucket}/{key} bytes");
                    }
                    reads += 1;
                }
                tokio::task::yield_now().await;
            }
            reads
        }));
    }

    // Writers: one per key; each checks its own write right after it is acknowledged.
    let mut writers = Vec::new();
    for (i, (bucket, key)) in targets.iter().enumerate() {
        let (store, bucket, key, acked) = (
            Arc::clone(&store),
            bucket.clone(),
            key.clone(),
            Arc::clone(&acked),
        );
        writers.push(tokio::spawn(async move {
            let mut older: Vec<ObjectRecord> = Vec::new();
            for n in 0..WRITES {
                let expected = write(&store, &bucket, &key, n).await;
                check_own_write(&store, &bucket, &key, &expected).await;
                acked[i].store(n, Ordering::SeqCst);
                // In the versioned bucket, older versions stay readable by id, unchanged
                // (except the one an update rewrote in place).
                if bucket == "versioned" {
                    if let Some(record) = &expected {
                        older.retain(|o| o.version_id != record.version_id);
                        older.push(record.clone());
                    }
                    for old in older.iter().rev().take(3) {
                        let read = store
                            .get_object(&bucket, &key, Some(&old.version_id))
                            .await
                            .expect("by id");
                        assert_eq!(read.as_ref(), Some(old), "{bucket}/{key}: older version");
                    }
                }
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
}

#[tokio::test]
async fn deleting_versions_and_the_bucket_drops_cached_answers() {
    let (_dir, store) = fresh();
    make_bucket(&*store, "b", VersioningState::Enabled).await;
    let v1 = object("b", "k", "v1");
    store
        .put_object(v1.clone(), Precondition::None)
        .await
        .expect("put v1");
    let v2 = object("b", "k", "v2");
    store
        .put_object(v2.clone(), Precondition::None)
        .await
        .expect("put v2");
    // Fill the cache: latest, by id, and a missing key.
    for _ in 0..2 {
        assert_eq!(
            store.get_object("b", "k", None).await.expect("get"),
            Some(v2.clone())
        );
        let by_id = store
            .get_object_meta("b", "k", Some("v1"))
            .await
            .expect("get");
        assert_eq!(by_id, Some(v1.clone()));
        assert_eq!(
            store.get_object("b", "none", None).await.expect("get"),
            None
        );
    }
    // Deleting a version by id: gone by id, and the latest falls back.
    store
        .delete_object("b", "k", Some("v2"), "unused", 1)
        .await
        .expect("delete v2");
    assert_eq!(
        store.get_object("b", "k", Some("v2")).await.expect("get"),
        None
    );
    assert_eq!(
        store.get_object("b", "k", None).await.expect("get"),
        Some(v1.clone())
    );
    // A key that appears after its absence was cached.
    let fresh_key = object("b", "none", "v3");
    store
        .put_object(fresh_key.clone(), Precondition::None)
        .await
        .expect("put none");
    assert_eq!(
        store.get_object("b", "none", None).await.expect("get"),
        Some(fresh_key)
    );
    // Empty the bucket, delete it: reads fail; recreate it: nothing of the old objects remains.
    for (key, id) in [("k", "v1"), ("none", "v3")] {
        store
            .delete_object("b", key, Some(id), "unused", 2)
            .await
            .expect("delete");
    }
    assert_eq!(
        store.get_object_meta("b", "k", None).await.expect("get"),
        None
    );
    store.delete_bucket("b").await.expect("delete bucket");
    for version in [None, Some("v1")] {
        assert!(matches!(
            store.get_object("b", "k", version).await,
            Err(MetaError::NoSuchBucket)
        ));
        assert!(matches!(
            store.get_object_meta("b", "k", version).await,
            Err(MetaError::NoSuchBucket)
        ));
    }
    make_bucket(&*store, "b", VersioningState::Disabled).await;
    assert_eq!(store.get_object("b", "k", None).await.expect("get"), None);
    assert_eq!(
        store.get_object("b", "k", Some("v1")).await.expect("get"),
        None
    );
}

/// A put stores its record in the cache as the key's latest version (write-through): the next
/// read answers it without reading the database (a change made behind the store's back is not
/// seen), and what it answers is what the database holds (the same record after a restart, when
/// the cache starts empty).
#[tokio::test]
async fn a_put_is_read_back_from_the_cache_as_the_database_holds_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    let store = SqliteMeta::open(&path).expect("open");
    make_bucket(&store, "b", VersioningState::Enabled).await;
    let mut record = object("b", "k", "v1");
    record.size = 4096;
    record.data = DataRef::Inline(vec![7u8; 4096].into());
    record.tags = vec![("t".to_owned(), "1".to_owned())];
    record
        .headers
        .push(("cache-control".to_owned(), "no-cache".to_owned()));
    record.symlink_target = None;
    record.restore = Some(RestoreState {
        ready_ms: 1,
        expiry_ms: 2,
        tier: Some("Standard".to_owned()),
    });
    record.checksum = Some(StoredChecksum {
        algorithm: "CRC32".to_owned(),
        value: "AAAAAA==".to_owned(),
        composite: false,
    });
    store
        .put_object(record.clone(), Precondition::None)
        .await
        .expect("put");
    // Behind the store's back: the stored version's body is changed.
    let raw = rusqlite::Connection::open(&path).expect("raw connection");
    let changed = raw
        .execute(
            "UPDATE versions SET inline = x'00' WHERE version_id = 'v1'",
            [],
        )
        .expect("update");
    assert_eq!(changed, 1);
    drop(raw);
    assert_eq!(
        store.get_object("b", "k", None).await.expect("get"),
        Some(record.clone()),
        "the read after the put is answered by the cache"
    );
    assert_eq!(
        store.get_object_meta("b", "k", None).await.expect("head"),
        Some(record.without_inline())
    );
    // Undo the change; a fresh store (empty cache) reads the same record from the database.
    let raw = rusqlite::Connection::open(&path).expect("raw connection");
    let restored = raw
        .execute(
            "UPDATE versions SET inline = ?1 WHERE version_id = 'v1'",
            [vec![7u8; 4096]],
        )
        .expect("update");
    assert_eq!(restored, 1);
    drop(raw);
    drop(store);
    let store = SqliteMeta::open(&path).expect("reopen");
    assert_eq!(
        store.get_object("b", "k", None).await.expect("get"),
        Some(record)
    );
}
