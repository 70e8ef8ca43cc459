//! Group commit, isolation of failed mutations within a batch, and durability across reopen.
// Test code: a panic is a failed test.
#![allow(clippy::expect_used)]

use ossd_meta::conformance::fixtures::{make_bucket, object};
use ossd_meta::{MetaError, MetaStore, Precondition};
use ossd_meta_sqlite::SqliteMeta;
use ossd_types::VersioningState;
use std::sync::Arc;

/// Opens a fresh store in a temporary directory.
fn fresh() -> (tempfile::TempDir, Arc<SqliteMeta>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteMeta::open(dir.path().join("meta.db")).expect("open");
    (dir, Arc::new(store))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_puts_share_commits() {
    let (_dir, store) = fresh();
    make_bucket(&*store, "gc", VersioningState::Enabled).await;
    let before = store.stats();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let record = object("gc", &format!("k{}", i % 50), &format!("v{i}"));
                store.put_object(record, Precondition::None).await
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("join").expect("put");
    }
    let after = store.stats();
    let commits = after.commits - before.commits;
    eprintln!("200 concurrent puts: {commits} commits, {after:?}");
    assert_eq!(after.mutations - before.mutations, 200);
    assert!(
        commits < 100,
        "200 concurrent puts took {commits} commits: {after:?}"
    );
    assert!(after.largest_batch > 1, "{after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_mutation_does_not_fail_its_batch() {
    let (_dir, store) = fresh();
    make_bucket(&*store, "iso", VersioningState::Disabled).await;
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let key = if i % 2 == 0 {
                    "same".to_owned()
                } else {
                    format!("k{i}")
                };
                store
                    .put_object(object("iso", &key, "x"), Precondition::NotExists)
                    .await
            })
        })
        .collect();
    let mut failed = 0;
    for task in tasks {
        match task.await.expect("join") {
            Ok(_) => {}
            Err(MetaError::PreconditionFailed(Some(_))) => failed += 1,
            Err(e) => panic!("unexpected error {e:?}"),
        }
    }
    assert_eq!(failed, 49, "exactly one put of `same` wins");
    assert!(store.stats().largest_batch > 1, "{:?}", store.stats());
    let q = ossd_meta::ListQuery {
        bucket: "iso".into(),
        max_keys: 1000,
        ..Default::default()
    };
    assert_eq!(
        store.list_objects(&q).await.expect("list").objects.len(),
        51
    );
}

#[tokio::test]
async fn data_survives_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.db");
    let mut record = object("keep", "a/b", "v1");
    {
        let store = SqliteMeta::open(&path).expect("open");
        make_bucket(&store, "keep", VersioningState::Enabled).await;
        store
            .put_bucket_config("keep", "cors", Some("<c/>".into()))
            .await
            .expect("config");
        store
            .put_object(record.clone(), Precondition::None)
            .await
            .expect("put");
        store
            .delete_object("keep", "a/b", None, "m1", 1)
            .await
            .expect("marker");
    }
    let store = SqliteMeta::open(&path).expect("reopen");
    let bucket = store
        .get_bucket("keep")
        .await
        .expect("get")
        .expect("bucket");
    assert_eq!(bucket.versioning, VersioningState::Enabled);
    let cors = store
        .get_bucket_config("keep", "cors")
        .await
        .expect("config");
    assert_eq!(cors.as_deref(), Some("<c/>"));
    let got = store
        .get_object("keep", "a/b", Some("v1"))
        .await
        .expect("get");
    assert_eq!(got.as_ref(), Some(&record));
    let latest = store
        .get_object("keep", "a/b", None)
        .await
        .expect("get")
        .expect("marker");
    assert!(latest.delete_marker);
    record.version_id = "v2".into();
    store
        .put_object(record, Precondition::None)
        .await
        .expect("write after reopen");
}

/// Records what the writer reports through [`ossd_meta::CommitObserver`].
#[derive(Default)]
struct Seen {
    commits: std::sync::Mutex<Vec<(usize, bool)>>,
}

impl ossd_meta::CommitObserver for Seen {
    fn commit(&self, mutations: usize, _elapsed: std::time::Duration, ok: bool) {
        if let Ok(mut v) = self.commits.lock() {
            v.push((mutations, ok));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_commit_observer_hears_every_commit() {
    let (_dir, store) = fresh();
    let seen = Arc::new(Seen::default());
    let dyn_store: Arc<dyn MetaStore> = store.clone();
    dyn_store.set_commit_observer(seen.clone());
    let before = store.stats();
    make_bucket(&*store, "obs", VersioningState::Disabled).await;
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let record = object("obs", &format!("k{i}"), "v");
                store.put_object(record, Precondition::None).await
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("join").expect("put");
    }
    let after = store.stats();
    let commits = seen.commits.lock().expect("lock").clone();
    assert!(commits.iter().all(|&(n, ok)| ok && n > 0), "{commits:?}");
    assert_eq!(
        commits.len() as u64,
        after.commits - before.commits,
        "one observation per commit"
    );
    assert_eq!(
        commits.iter().map(|&(n, _)| n as u64).sum::<u64>(),
        after.mutations - before.mutations,
        "observed batch sizes add up to the mutations"
    );
}
