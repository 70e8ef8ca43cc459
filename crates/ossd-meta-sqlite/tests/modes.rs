//! File modes: under a permissive umask (022) the database and its `-wal` / `-shm` files are
//! 0600, and a database an older version left 0644 is narrowed on open. Its own test binary,
//! since the umask is process-wide.
// Test code: a panic is a failed test.
#![allow(clippy::expect_used)]
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use ossd_meta::MetaStore;
use ossd_meta::conformance::fixtures::bucket_record;
use ossd_meta_sqlite::SqliteMeta;
use rustix::fs::Mode;

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[tokio::test]
async fn database_files_are_private_under_umask_022() {
    rustix::process::umask(Mode::from_raw_mode(0o022));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("meta.sqlite");
    let store = SqliteMeta::open(&path).expect("open");
    store
        .create_bucket(bucket_record("b", "o"))
        .await
        .expect("create");
    for name in ["meta.sqlite", "meta.sqlite-wal", "meta.sqlite-shm"] {
        assert_eq!(mode(&dir.path().join(name)), 0o600, "{name}");
    }
    drop(store);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
    let store = SqliteMeta::open(&path).expect("reopen");
    assert_eq!(mode(&path), 0o600, "narrowed on open");
    drop(store);
}
