//! Multipart uploads on SQLite beyond the conformance suite: the v2 → v3 migration, durability
//! across reopen, and part puts racing an abort from many threads through group commit.

use ossd_meta::conformance::fixtures::{make_bucket, part_record, put_part, upload_record};
use ossd_meta::{MetaError, MetaStore};
use ossd_meta_sqlite::SqliteMeta;
use ossd_types::VersioningState;
use std::sync::Arc;

#[tokio::test]
async fn a_version_2_database_is_migrated_and_uploads_survive_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch(include_str!("../src/schema/v001_objects.sql"))
        .expect("v1 schema");
    conn.execute_batch(include_str!("../src/schema/v002_iam.sql"))
        .expect("v2 schema");
    conn.pragma_update(None, "user_version", 2)
        .expect("version");
    drop(conn);
    let at = ("mig", "k", "mig-1");
    let upload = upload_record(at.0, at.1, at.2);
    {
        let store = SqliteMeta::open(&path).expect("open migrates");
        make_bucket(&store, at.0, VersioningState::Disabled).await;
        store.create_upload(upload.clone()).await.expect("create");
        put_part(&store, at, 1, "blob-mig-1").await;
    }
    let store = SqliteMeta::open(&path).expect("reopen");
    let got = store.get_upload(at.0, at.1, at.2).await.expect("get");
    assert_eq!(got, Some(upload));
    let (parts, _) = store
        .list_parts(at.0, at.1, at.2, 0, 10)
        .await
        .expect("parts");
    assert_eq!(parts, vec![part_record(at.2, 1, "blob-mig-1")]);
    let refs = store.blobs_referenced(&["blob-mig-1".to_owned()]).await;
    assert_eq!(refs.expect("refs"), vec![true]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parts_racing_an_abort_leave_no_orphans() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(SqliteMeta::open(dir.path().join("meta.db")).expect("open"));
    make_bucket(&*store, "race", VersioningState::Disabled).await;
    store
        .create_upload(upload_record("race", "k", "race-1"))
        .await
        .expect("create");
    let puts: Vec<_> = (0..200_u32)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let blob = format!("blob-race-{i}");
                let part = part_record("race-1", i % 20 + 1, &blob);
                (blob, store.put_part("race", "k", part).await)
            })
        })
        .collect();
    tokio::task::yield_now().await;
    let aborted = store.abort_upload("race", "k", "race-1").await;
    let mut garbage: Vec<String> = aborted
        .expect("abort")
        .into_iter()
        .map(|p| p.blob)
        .collect();
    let (mut written, mut late) = (Vec::new(), 0);
    for put in puts {
        let (blob, result) = put.await.expect("join");
        match result {
            Ok(replaced) => garbage.extend(replaced.map(|p| p.blob)),
            Err(MetaError::NoSuchUpload) => {
                late += 1;
                garbage.push(blob.clone());
            }
            Err(e) => panic!("put_part: {e:?}"),
        }
        written.push(blob);
    }
    eprintln!(
        "{} puts before the abort, {late} after",
        written.len() - late
    );
    let refs = store.blobs_referenced(&written).await.expect("refs");
    assert!(refs.iter().all(|r| !r), "a part outlived its upload");
    garbage.sort();
    written.sort();
    assert_eq!(garbage, written, "every blob is returned as garbage once");
}
