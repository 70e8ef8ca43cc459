//! The conformance suite every [`crate::MetaStore`] backend must pass (feature `conformance`).
//!
//! Each test is an `async fn(&dyn MetaStore)` that uses its own bucket names, so all of them can run
//! against one store or against a fresh store each. [`crate::conformance_tests!`] generates one
//! `#[tokio::test]` per test for a backend; [`model`] holds the naive listing models that the
//! property tests compare pages against.

pub mod blobs;
pub mod buckets;
pub mod fixtures;
pub mod iam;
pub mod inline;
pub mod listing;
pub mod model;
pub mod objects;
pub mod props;
pub mod stats;
pub mod suspended;
pub mod uploads;
pub mod uploads_listing;
pub mod uploads_races;
pub mod versioning;
pub mod versions_listing;

pub use blobs::*;
pub use buckets::*;
pub use iam::*;
pub use inline::*;
pub use listing::*;
pub use objects::*;
pub use stats::{
    stats_bucket_lifecycle, stats_unversioned_writes, stats_uploads, stats_versioned_writes,
};
pub use suspended::*;
pub use uploads::*;
pub use uploads_listing::*;
pub use uploads_races::*;
pub use versioning::*;
pub use versions_listing::*;

/// Generates one `#[tokio::test]` per conformance test. `$setup` is evaluated in each test (it may
/// `.await`) and yields `(guard, store)`: the guard (e.g. a temporary directory) lives as long as
/// the store, which must implement [`crate::MetaStore`].
#[macro_export]
macro_rules! conformance_tests {
    ($setup:expr) => {
        $crate::conformance_tests!(@each $setup;
            bucket_create_get_duplicate, bucket_create_with_configs, bucket_update, bucket_swap, bucket_swap_concurrent,
            bucket_list, bucket_delete, bucket_config,
            bucket_config_swap, bucket_config_swap_concurrent,
            object_put_get_overwrite, object_preconditions, object_etag_preconditions, object_update, object_missing_bucket,
            blobs_referenced, blobs_shared_and_updated,
            versioning_enabled_put, versioning_enabled_put_same_id, versioning_enabled_delete,
            versioning_delete_version, versioning_suspended_put, versioning_suspended_delete, versioning_disabled_delete,
            list_objects_delimiter, list_objects_markers, list_objects_unicode,
            list_objects_delimiter_edges, list_objects_empty, list_objects_versioned,
            list_versions_order, list_versions_pagination, list_versions_markers,
            inline_left_out_of_meta_reads_and_listings,
            iam_put_get_delete, iam_revision_checks, iam_commit_is_atomic, iam_commit_many_writes,
            iam_empty_prefix, iam_scan_prefix_after_limit, iam_concurrent_cas,
            upload_create_get, upload_put_part_replace, upload_list_parts_pages,
            upload_complete_unversioned, upload_complete_versioned,
            upload_complete_failures_keep_upload, upload_missing, upload_abort_returns_parts,
            upload_blocks_bucket_delete, upload_blobs_referenced,
            list_uploads_model, list_uploads_empty,
            upload_part_races_abort, upload_part_races_complete,
            stats_bucket_lifecycle, stats_unversioned_writes, stats_versioned_writes, stats_uploads
        );
    };
    (@each $setup:expr; $($name:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let (_guard, store) = $setup;
                $crate::conformance::$name(&store).await;
            }
        )+
    };
}
