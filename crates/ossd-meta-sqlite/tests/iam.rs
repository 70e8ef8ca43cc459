//! The IAM key-value space: migrating a version-1 database, durability across reopen, and
//! concurrent commits sharing the writer's group commit.

use ossd_meta::{IamCheck, IamWrite, MetaError, MetaStore};
use ossd_meta_sqlite::SqliteMeta;
use std::sync::Arc;

#[tokio::test]
async fn a_version_1_database_is_migrated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch(include_str!("../src/schema/v001_objects.sql"))
        .expect("v1 schema");
    conn.pragma_update(None, "user_version", 1)
        .expect("version");
    drop(conn);
    let store = SqliteMeta::open(&path).expect("open migrates");
    store
        .iam_commit(vec![], vec![IamWrite::put("k", "v")])
        .await
        .expect("commit");
    drop(store);
    let store = SqliteMeta::open(&path).expect("reopen");
    let item = store.iam_get("k").await.expect("get").expect("durable");
    assert_eq!((item.value.as_str(), item.revision), ("v", 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_one_key_admit_exactly_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(SqliteMeta::open(dir.path().join("meta.db")).expect("open"));
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let check = vec![IamCheck::revision("user/alice", None)];
                let write = vec![IamWrite::put("user/alice", i.to_string())];
                store.iam_commit(check, write).await
            })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.expect("join") {
            Ok(()) => won += 1,
            Err(MetaError::PreconditionFailed(None)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(won, 1);
}
