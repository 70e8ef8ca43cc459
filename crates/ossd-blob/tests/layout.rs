//! `LocalFs::open`: directory creation, cleanup of unfinished writes, and `list`.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;

use common::{body, store, tmp_entries, write};
use ossd_blob::{BlobStore, LocalFs, Written};

#[test]
fn open_creates_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("data");
    let store = LocalFs::open(&root).unwrap();
    assert_eq!(store.root(), root);
    assert!(root.join("objects").is_dir() && root.join("tmp").is_dir());
}

#[tokio::test]
async fn reopening_cleans_tmp_and_keeps_blobs() {
    let (dir, store) = store();
    let data = body(10_000, 1);
    let Written::Blob(id) = write(&store, 0, &data, 4096).await.data else {
        unreachable!()
    };
    let tmp = dir.path().join("tmp");
    fs::write(tmp.join("0123456789abcdef0123456789abcdef"), b"half a body").unwrap();
    fs::create_dir_all(tmp.join("junk/deeper")).unwrap();
    fs::write(tmp.join("junk/deeper/file"), b"x").unwrap();
    assert_eq!(tmp_entries(dir.path()), 2);
    let reopened = LocalFs::open(dir.path()).unwrap();
    assert_eq!(tmp_entries(dir.path()), 0);
    assert_eq!(reopened.list().await.unwrap(), vec![id]);
}

#[tokio::test]
async fn list_skips_files_that_are_not_blobs() {
    let (dir, store) = store();
    let Written::Blob(id) = write(&store, 0, b"data", 4).await.data else {
        unreachable!()
    };
    let objects = dir.path().join("objects");
    fs::create_dir_all(objects.join("ab/cd")).unwrap();
    fs::write(objects.join("ab/cd/not-an-id"), b"").unwrap();
    fs::write(objects.join("ab/cd/ffffffffffffffffffffffffffffffff"), b"").unwrap();
    fs::write(objects.join("stray"), b"").unwrap();
    fs::write(objects.join("ef"), b"").unwrap();
    assert_eq!(store.list().await.unwrap(), vec![id]);
}
