//! `LocalFs::open_shared` and `list_older_than`: a store that other nodes write at the same
//! time keeps their writes in progress and their fresh blobs out of the orphan sweep's reach.
#![allow(clippy::unwrap_used)]
#![allow(clippy::disallowed_methods)] // file times are the system clock's

mod common;

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::{body, store, tmp_entries, write};
use ossd_blob::{BlobStore, LocalFs, Written};

const GRACE: Duration = Duration::from_secs(3600);

/// Sets the modification time of `path` to `ago` in the past.
fn age(path: &Path, ago: Duration) {
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - ago).unwrap();
}

#[tokio::test]
async fn opening_a_shared_store_keeps_fresh_temp_files() {
    let (dir, _store) = store();
    let tmp = dir.path().join("tmp");
    let fresh = tmp.join("0123456789abcdef0123456789abcdef");
    let stale = tmp.join("fedcba9876543210fedcba9876543210");
    fs::write(&fresh, b"another node is writing this").unwrap();
    fs::write(&stale, b"its writer is gone").unwrap();
    age(&stale, GRACE + Duration::from_secs(60));
    let _shared = LocalFs::open_shared(dir.path(), GRACE).unwrap();
    assert_eq!(tmp_entries(dir.path()), 1);
    assert!(fresh.is_file());
}

#[tokio::test]
async fn only_blobs_past_the_grace_period_are_listed_as_old() {
    let (_dir, store) = store();
    let mut ids = Vec::new();
    for seed in 0..2 {
        let Written::Blob(id) = write(&store, 0, &body(5000, seed), 1024).await.data else {
            unreachable!()
        };
        ids.push(id);
    }
    assert!(store.list_older_than(GRACE).await.unwrap().is_empty());
    let old = store.local_file(&ids[0]).unwrap().path;
    age(&old, GRACE + Duration::from_secs(1));
    assert_eq!(
        store.list_older_than(GRACE).await.unwrap(),
        vec![ids[0].clone()]
    );
    assert_eq!(store.list().await.unwrap().len(), 2);
}
