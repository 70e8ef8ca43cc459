//! The v3 → v4 migration back-fills each bucket's GetBucketStat figures from its rows, once.
// Test code: a panic is a failed test.
#![allow(clippy::expect_used)]

use ossd_meta::conformance::fixtures::{make_bucket, make_upload, object, put, put_part};
use ossd_meta::conformance::stats::recount;
use ossd_meta::{BucketStats, MetaStore, Precondition};
use ossd_meta_sqlite::SqliteMeta;
use ossd_types::{StorageClass, VersioningState};

/// Writes versions, markers, uploads and parts into two buckets; returns their figures.
async fn populate(store: &SqliteMeta) -> Vec<(String, BucketStats)> {
    make_bucket(store, "mig-a", VersioningState::Enabled).await;
    make_bucket(store, "mig-b", VersioningState::Disabled).await;
    make_bucket(store, "mig-empty", VersioningState::Disabled).await;
    put(store, "mig-a", "k", "v1").await;
    put(store, "mig-a", "k", "v2").await;
    let mut ia = object("mig-a", "ia", "v3");
    ia.size = 70_000;
    ia.storage_class = StorageClass::Ia;
    store
        .put_object(ia, Precondition::None)
        .await
        .expect("put ia");
    store
        .delete_object("mig-a", "k", None, "m1", 1)
        .await
        .expect("marker");
    put(store, "mig-b", "x", "unused").await;
    make_upload(store, "mig-b", "up", "mig-b-1").await;
    put_part(store, ("mig-b", "up", "mig-b-1"), 1, "blob-mig-1").await;
    put_part(store, ("mig-b", "up", "mig-b-1"), 3, "blob-mig-3").await;
    let mut out = Vec::new();
    for b in ["mig-a", "mig-b", "mig-empty"] {
        out.push((b.to_owned(), store.bucket_stats(b).await.expect("stats")));
    }
    out
}

#[tokio::test]
async fn a_version_3_database_gets_its_figures_back_filled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    let before = {
        let store = SqliteMeta::open(&path).expect("open");
        populate(&store).await
    };
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch("DROP TABLE bucket_stats; PRAGMA user_version = 3;")
        .expect("back to v3");
    drop(conn);
    let store = SqliteMeta::open(&path).expect("open migrates");
    for (bucket, live) in before {
        let filled = store.bucket_stats(&bucket).await.expect("stats");
        let mut untimed = filled;
        untimed.last_modified_ms = 0;
        assert_eq!(untimed, recount(&store, &bucket).await, "{bucket}");
        let mut live_untimed = live;
        live_untimed.last_modified_ms = 0;
        assert_eq!(untimed, live_untimed, "{bucket}");
        // The live time is the latest write's; the back-filled one the latest row's. They agree
        // here: no delete carried a later time than the rows it left.
        assert_eq!(filled.last_modified_ms, live.last_modified_ms, "{bucket}");
    }
    let a = store.bucket_stats("mig-a").await.expect("stats");
    assert_eq!(
        (a.object_count(), a.storage(), a.delete_markers),
        (3, 70_010, 1)
    );
    assert_eq!(a.class(StorageClass::Ia).billed_bytes, 70_000);
    let b = store.bucket_stats("mig-b").await.expect("stats");
    assert_eq!(
        (b.object_count(), b.uploads, b.parts, b.part_bytes),
        (1, 1, 2, 400)
    );
    assert_eq!(
        store.bucket_stats("mig-empty").await.expect("stats"),
        BucketStats::default()
    );
}
