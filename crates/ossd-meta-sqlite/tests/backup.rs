//! Online backup (`MetaStore::backup_to`): a point-in-time copy taken while writes go on, whose
//! summary names exactly the blobs the copy references; the in-memory backend refuses.

use ossd_meta::conformance::fixtures::{make_bucket, object};
use ossd_meta::{ErrorChain, ListQuery, MemoryMeta, MetaError, MetaStore, Precondition};
use ossd_meta_sqlite::{SqliteError, SqliteMeta};
use ossd_types::VersioningState;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn snapshot_is_consistent_under_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(SqliteMeta::open(dir.path().join("meta.sqlite")).expect("open"));
    make_bucket(&*store, "b", VersioningState::Disabled).await;
    for i in 0..100 {
        let rec = object("b", &format!("k{i:03}"), "null");
        store
            .put_object(rec, Precondition::None)
            .await
            .expect("put");
    }
    // Writers overwrite every key while the backup runs.
    let writer = {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            for i in 0..500 {
                let rec = object("b", &format!("k{:03}", i % 100), "null");
                store
                    .put_object(rec, Precondition::None)
                    .await
                    .expect("put");
            }
        })
    };
    let dest = dir.path().join("copy.sqlite");
    let snap = store.backup_to(&dest).await.expect("backup");
    writer.await.expect("join");
    assert_eq!(snap.buckets, 1);
    assert_eq!(snap.objects, 100);
    assert_eq!(snap.versions, 100, "Disabled bucket: one version per key");
    assert_eq!(snap.object_bytes, 500);
    assert_eq!(snap.blobs.len(), 100);
    let mut sorted = snap.blobs.clone();
    sorted.sort();
    assert_eq!(sorted, snap.blobs);

    // The copy opens as a store and references exactly the summarized blobs.
    let copy = SqliteMeta::open(&dest).expect("open copy");
    let q = ListQuery {
        bucket: "b".into(),
        max_keys: 1000,
        ..Default::default()
    };
    let listed = copy.list_objects(&q).await.expect("list").objects;
    assert_eq!(listed.len(), 100);
    for entry in listed {
        let rec = copy.get_object_meta("b", &entry.key, None).await;
        let rec = rec.expect("meta").expect("listed key exists");
        for id in rec.data.blob_ids() {
            assert!(snap.blobs.binary_search(&id.to_owned()).is_ok(), "{id}");
        }
    }
    // A second backup to the same file is refused rather than overwriting it: a backend
    // failure whose source says why.
    let err = store.backup_to(&dest).await.expect_err("second backup");
    let source = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<SqliteError>());
    assert!(
        matches!(source, Some(SqliteError::BackupExists(p)) if *p == dest),
        "{err:?}"
    );
    let logged = ErrorChain(&err).to_string();
    assert!(
        logged.starts_with("metadata backend failed: backup target "),
        "{logged}"
    );
}

#[tokio::test]
async fn memory_backend_does_not_support_backup() {
    let store = MemoryMeta::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let err = store
        .backup_to(&dir.path().join("x.sqlite"))
        .await
        .expect_err("memory backup");
    assert!(matches!(err, MetaError::NotSupported(_)), "{err:?}");
}
