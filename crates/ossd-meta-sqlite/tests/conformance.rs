//! The `ossd-meta` conformance suite against [`SqliteMeta`], one fresh database per test.
// Test code: a panic is a failed test.
#![allow(clippy::expect_used)]

use ossd_meta_sqlite::SqliteMeta;

/// A fresh database in a temporary directory (returned as the guard that keeps it).
fn fresh() -> (tempfile::TempDir, SqliteMeta) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteMeta::open(dir.path().join("meta.db")).expect("open");
    (dir, store)
}

ossd_meta::conformance_tests!(fresh());
