//! Conformance: puts and deletes in `Enabled` buckets, and deleting specific versions.

use super::fixtures::{latest, listed, make_bucket, object, put, version_ids};
use crate::{MetaStore, Precondition};
use ossd_types::VersioningState;

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

/// `Enabled`: a put that reuses a version id replaces that version, which becomes the newest (an
/// append rewrites the current version this way, under a revision condition).
pub async fn versioning_enabled_put_same_id(store: &dyn MetaStore) {
    make_bucket(store, "cf-vsame", VersioningState::Enabled).await;
    let first = object("cf-vsame", "k", "v1");
    store
        .put_object(first.clone(), Precondition::None)
        .await
        .expect("put");
    let appended = object("cf-vsame", "k", "v1");
    let cond = Precondition::Revision(Some(first.revision.clone()));
    let out = store
        .put_object(appended.clone(), cond)
        .await
        .expect("rewrite");
    assert_eq!((out.version_id.as_str(), out.replaced), ("v1", vec![first]));
    assert_eq!(version_ids(store, "cf-vsame", "k").await, vec!["v1"]);
    put(store, "cf-vsame", "k", "v2").await;
    let out = store
        .put_object(object("cf-vsame", "k", "v1"), Precondition::None)
        .await;
    assert_eq!(out.expect("put").replaced, vec![appended]);
    assert_eq!(version_ids(store, "cf-vsame", "k").await, vec!["v1", "v2"]);
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
