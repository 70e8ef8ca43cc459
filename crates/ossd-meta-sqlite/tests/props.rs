//! The listing property tests (random keys, histories, uploads and queries against the naive
//! model) on one [`SqliteMeta`]; every case uses its own bucket.
// Test code: a panic is a failed test.
#![allow(clippy::expect_used)]

use ossd_meta::conformance::props::{
    check_list_case, check_uploads_case, check_versions_case, list_case, uploads_case,
    versions_case,
};
use ossd_meta_sqlite::SqliteMeta;
use proptest::prelude::*;
use std::sync::LazyLock;

/// The shared runtime, temporary directory and store.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
    store: SqliteMeta,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteMeta::open(dir.path().join("props.db")).expect("open");
    Fixture {
        runtime,
        _dir: dir,
        store,
    }
});

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn list_objects_matches_model(case in list_case()) {
        let f = &*FIXTURE;
        f.runtime.block_on(check_list_case(&f.store, &case));
    }

    #[test]
    fn list_versions_matches_model(case in versions_case()) {
        let f = &*FIXTURE;
        f.runtime.block_on(check_versions_case(&f.store, &case));
    }

    #[test]
    fn list_uploads_matches_model(case in uploads_case()) {
        let f = &*FIXTURE;
        f.runtime.block_on(check_uploads_case(&f.store, &case));
    }
}
