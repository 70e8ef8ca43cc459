//! Conformance: puts and deletes in `Suspended` and `Disabled` buckets (the `null` version).

use super::fixtures::{latest, listed, make_bucket, put, set_versioning, version_ids};
use crate::{MetaStore, NULL_VERSION};
use ossd_types::VersioningState;

/// `Suspended`: a put replaces the `null` version wherever it is and keeps the others.
pub async fn versioning_suspended_put(store: &dyn MetaStore) {
    make_bucket(store, "cf-vsus", VersioningState::Disabled).await;
    put(store, "cf-vsus", "k", "x").await;
    set_versioning(store, "cf-vsus", VersioningState::Enabled).await;
    put(store, "cf-vsus", "k", "v1").await;
    set_versioning(store, "cf-vsus", VersioningState::Suspended).await;
    assert_eq!(
        version_ids(store, "cf-vsus", "k").await,
        vec!["v1", NULL_VERSION]
    );
    let out = put(store, "cf-vsus", "k", "ignored").await;
    assert_eq!(out.version_id, NULL_VERSION);
    assert_eq!(
        out.replaced
            .iter()
            .map(|r| r.version_id.as_str())
            .collect::<Vec<_>>(),
        vec![NULL_VERSION]
    );
    assert_eq!(
        version_ids(store, "cf-vsus", "k").await,
        vec![NULL_VERSION, "v1"]
    );
    let out = put(store, "cf-vsus", "k", "ignored").await;
    assert_eq!(out.replaced.len(), 1, "the null version is replaced again");
    assert_eq!(
        version_ids(store, "cf-vsus", "k").await,
        vec![NULL_VERSION, "v1"]
    );
    assert_eq!(
        latest(store, "cf-vsus", "k").await,
        Some((NULL_VERSION.into(), false))
    );
}

/// `Suspended`: a delete removes the `null` version and adds a `null` delete marker.
pub async fn versioning_suspended_delete(store: &dyn MetaStore) {
    make_bucket(store, "cf-vsusd", VersioningState::Enabled).await;
    put(store, "cf-vsusd", "k", "v1").await;
    set_versioning(store, "cf-vsusd", VersioningState::Suspended).await;
    put(store, "cf-vsusd", "k", "ignored").await;
    let out = store
        .delete_object("cf-vsusd", "k", None, "rev-m", 3)
        .await
        .expect("delete");
    assert_eq!(out.marker_created.as_deref(), Some(NULL_VERSION));
    assert_eq!(
        out.removed
            .iter()
            .map(|r| r.version_id.as_str())
            .collect::<Vec<_>>(),
        vec![NULL_VERSION]
    );
    assert_eq!(
        version_ids(store, "cf-vsusd", "k").await,
        vec![NULL_VERSION, "v1"]
    );
    assert_eq!(
        latest(store, "cf-vsusd", "k").await,
        Some((NULL_VERSION.into(), true))
    );
    let out = store
        .delete_object("cf-vsusd", "k", None, "rev-m2", 4)
        .await
        .expect("again");
    assert!(
        out.removed.first().is_some_and(|r| r.delete_marker),
        "the null marker is replaced"
    );
    assert_eq!(
        version_ids(store, "cf-vsusd", "k").await,
        vec![NULL_VERSION, "v1"]
    );
    put(store, "cf-vsusd", "k", "ignored").await;
    assert_eq!(
        latest(store, "cf-vsusd", "k").await,
        Some((NULL_VERSION.into(), false))
    );
    assert_eq!(listed(store, "cf-vsusd").await, vec!["k"]);
}

/// `Disabled`: a delete removes the object; deleting a missing key changes nothing.
pub async fn versioning_disabled_delete(store: &dyn MetaStore) {
    make_bucket(store, "cf-voff", VersioningState::Disabled).await;
    put(store, "cf-voff", "k", "x").await;
    let out = store
        .delete_object("cf-voff", "k", None, "m", 1)
        .await
        .expect("delete");
    assert_eq!((out.removed.len(), out.marker_created), (1, None));
    assert_eq!(latest(store, "cf-voff", "k").await, None);
    let out = store
        .delete_object("cf-voff", "k", None, "m", 1)
        .await
        .expect("delete missing");
    assert_eq!(out, crate::DeleteOutcome::default());
    assert!(version_ids(store, "cf-voff", "k").await.is_empty());
    store.delete_bucket("cf-voff").await.expect("now empty");
}
