//! The conformance suite and the listing property tests against [`MemoryMeta`].

use super::MemoryMeta;
use crate::conformance::props::{
    check_list_case, check_uploads_case, check_versions_case, list_case, uploads_case,
    versions_case,
};
use proptest::prelude::*;

crate::conformance_tests!(((), MemoryMeta::new()));

/// A runtime for the property tests, which are synchronous.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn list_objects_matches_model(case in list_case()) {
        let store = MemoryMeta::new();
        runtime().block_on(check_list_case(&store, &case));
    }

    #[test]
    fn list_versions_matches_model(case in versions_case()) {
        let store = MemoryMeta::new();
        runtime().block_on(check_versions_case(&store, &case));
    }

    #[test]
    fn list_uploads_matches_model(case in uploads_case()) {
        let store = MemoryMeta::new();
        runtime().block_on(check_uploads_case(&store, &case));
    }
}
