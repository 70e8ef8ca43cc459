//! Conformance: versioning states (`Enabled`, `Suspended`, `Disabled`) for puts and deletes.

use super::fixtures::{make_bucket, put, set_versioning, version_ids};
use crate::{ListQuery, MetaStore, NULL_VERSION};
use ossd_types::VersioningState;

/// The keys ListObjects shows in `bucket`.
async fn listed(store: &dyn MetaStore, bucket: &str) -> Vec<String> {
    let q = ListQuery {
        bucket: bucket.into(),
        max_keys: 1000,
        ..Default::default()
    };
    let page = store.list_objects(&q).await.expect("list");
    page.objects.into_iter().map(|r| r.key).collect()
}

/// The version id and marker flag of the latest version of `key`.
async fn latest(store: &dyn MetaStore, bucket: &str, key: &str) -> Option<(String, bool)> {
    let rec = store.get_object(bucket, key, None).await.expect("get");
    rec.map(|r| (r.version_id, r.delete_marker))
}

/// `Enabled`: each put adds a version with the record's id and keeps older ones.
pub async fn versioning_enabled_put(store: &dyn MetaStore) {
    make_bucket(store, "cf-ven", VersioningState::Enabled).await;
    let out = put(store, "cf-ven", "k", "v1").await;
    assert_eq!((out.version_id.as_str(), out.replaced.len()), ("v1", 0));
    let out = put(store, "cf-ven", "k", "v2").await;
    assert_eq!((out.version_id.as_str(), out.replaced.len()), ("v2", 0));
    assert_eq!(version_ids(store, "cf-ven", "k").await, vec!["v2", "v1"]);
    assert_eq!(
        latest(store, "cf-ven", "k").await,
        Some(("v2".into(), false))
    );
    let v1 = store
        .get_object("cf-ven", "k", Some("v1"))
        .await
        .expect("get");
    assert_eq!(v1.map(|r| r.version_id), Some("v1".to_owned()));
}

/// `Enabled`: a delete adds a marker (latest, hidden from listing); removing the marker brings the
/// object back.
pub async fn versioning_enabled_delete(store: &dyn MetaStore) {
    make_bucket(store, "cf-vdel", VersioningState::Enabled).await;
    put(store, "cf-vdel", "k", "v1").await;
    put(store, "cf-vdel", "other", "v1").await;
    let out = store
        .delete_object("cf-vdel", "k", None, "m1", 9)
        .await
        .expect("delete");
    assert_eq!(
        (out.removed.len(), out.marker_created.as_deref()),
        (0, Some("m1"))
    );
    let marker = store
        .get_object("cf-vdel", "k", None)
        .await
        .expect("get")
        .expect("marker");
    assert!(marker.delete_marker && marker.version_id == "m1" && marker.last_modified_ms == 9);
    assert_eq!(listed(store, "cf-vdel").await, vec!["other"]);
    let out = store
        .delete_object("cf-vdel", "k", None, "m2", 10)
        .await
        .expect("delete again");
    assert_eq!(
        out.marker_created.as_deref(),
        Some("m2"),
        "a marker over a marker"
    );
    let out = store
        .delete_object("cf-vdel", "never", None, "m3", 10)
        .await
        .expect("delete");
    assert_eq!(
        out.marker_created.as_deref(),
        Some("m3"),
        "a marker for a missing key"
    );
    assert_eq!(
        version_ids(store, "cf-vdel", "k").await,
        vec!["m2", "m1", "v1"]
    );
    for m in ["m2", "m1"] {
        let out = store
            .delete_object("cf-vdel", "k", Some(m), "u", 11)
            .await
            .expect("delete marker");
        assert!(
            out.removed.first().is_some_and(|r| r.delete_marker),
            "{out:?}"
        );
    }
    assert_eq!(
        latest(store, "cf-vdel", "k").await,
        Some(("v1".into(), false))
    );
    assert_eq!(listed(store, "cf-vdel").await, vec!["k", "other"]);
}

/// Deleting a specific version: the next one becomes latest; a missing version is not an error.
pub async fn versioning_delete_version(store: &dyn MetaStore) {
    make_bucket(store, "cf-vspec", VersioningState::Enabled).await;
    for v in ["v1", "v2", "v3"] {
        put(store, "cf-vspec", "k", v).await;
    }
    let out = store
        .delete_object("cf-vspec", "k", Some("v3"), "u", 1)
        .await
        .expect("delete");
    assert_eq!(
        out.removed
            .iter()
            .map(|r| r.version_id.as_str())
            .collect::<Vec<_>>(),
        vec!["v3"]
    );
    assert_eq!(out.marker_created, None);
    assert_eq!(
        latest(store, "cf-vspec", "k").await,
        Some(("v2".into(), false))
    );
    store
        .delete_object("cf-vspec", "k", Some("v1"), "u", 1)
        .await
        .expect("delete middle");
    assert_eq!(version_ids(store, "cf-vspec", "k").await, vec!["v2"]);
    let none = store
        .delete_object("cf-vspec", "k", Some("v9"), "u", 1)
        .await
        .expect("missing");
    assert_eq!((none.removed.len(), none.marker_created), (0, None));
    let none = store
        .delete_object("cf-vspec", "nokey", Some("v1"), "u", 1)
        .await
        .expect("missing");
    assert_eq!(none.removed.len(), 0);
    store
        .delete_object("cf-vspec", "k", Some("v2"), "u", 1)
        .await
        .expect("delete last");
    assert_eq!(latest(store, "cf-vspec", "k").await, None);
    assert!(listed(store, "cf-vspec").await.is_empty());
}

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
