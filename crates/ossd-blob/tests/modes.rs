//! File modes: under a permissive umask (022) the store still creates its directories 0700 and
//! its files 0600, and narrows directories an older version left wider. Its own test binary,
//! since the umask is process-wide.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{body, write};
use ossd_blob::{BlobStore, LocalFs, Written};
use rustix::fs::Mode;

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn blobs_and_directories_are_private_under_umask_022() {
    rustix::process::umask(Mode::from_raw_mode(0o022));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("blobs");
    let store = LocalFs::open(&root).unwrap();
    let data = body(10_000, 7);
    let written = write(&store, 4096, &data, 1000).await;
    let Written::Blob(id) = written.data else {
        panic!("a 10,000-byte body is not inline");
    };
    let path = store.local_file(&id).unwrap().path;
    assert_eq!(mode(&path), 0o600, "blob file");
    let leaf = path.parent().unwrap();
    let top = leaf.parent().unwrap();
    for d in [
        &root,
        &root.join("objects"),
        &root.join("tmp"),
        &top.to_path_buf(),
        &leaf.to_path_buf(),
    ] {
        assert_eq!(mode(d), 0o700, "{}", d.display());
    }
}

#[test]
fn open_narrows_existing_directories() {
    rustix::process::umask(Mode::from_raw_mode(0o022));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("blobs");
    for d in [root.clone(), root.join("objects"), root.join("tmp")] {
        fs::create_dir_all(&d).unwrap();
        fs::set_permissions(&d, fs::Permissions::from_mode(0o755)).unwrap();
    }
    LocalFs::open(&root).unwrap();
    for d in [root.clone(), root.join("objects"), root.join("tmp")] {
        assert_eq!(mode(&d), 0o700, "{}", d.display());
    }
}
