//! Conformance: blob references (`blobs_referenced`), which the orphan sweep relies on.

use super::fixtures::{make_bucket, object};
use crate::{DataRef, MetaStore, NULL_VERSION, Precondition};
use ossd_types::VersioningState;

/// A blob is referenced while any version (current or not) uses it.
pub async fn blobs_referenced(store: &dyn MetaStore) {
    make_bucket(store, "cf-blobs", VersioningState::Disabled).await;
    let blob = |r: &crate::ObjectRecord| r.data.blob_ids().next().unwrap_or_default().to_owned();
    let a = object("cf-blobs", "k", "x");
    let b = object("cf-blobs", "k", "x");
    let (ba, bb) = (blob(&a), blob(&b));
    store.put_object(a, Precondition::None).await.expect("put");
    let ask = [ba.clone(), bb.clone(), "blob-unknown".to_owned()];
    assert_eq!(
        store.blobs_referenced(&ask).await.expect("refs"),
        vec![true, false, false]
    );
    store
        .put_object(b, Precondition::None)
        .await
        .expect("overwrite");
    assert_eq!(
        store.blobs_referenced(&ask).await.expect("refs"),
        vec![false, true, false]
    );
    super::fixtures::set_versioning(store, "cf-blobs", VersioningState::Enabled).await;
    store
        .delete_object("cf-blobs", "k", None, "m1", 1)
        .await
        .expect("marker");
    assert_eq!(
        store.blobs_referenced(&ask).await.expect("refs"),
        vec![false, true, false]
    );
    store
        .delete_object("cf-blobs", "k", Some(NULL_VERSION), "u", 1)
        .await
        .expect("delete");
    assert_eq!(
        store.blobs_referenced(&ask).await.expect("refs"),
        vec![false, false, false]
    );
    assert!(store.blobs_referenced(&[]).await.expect("refs").is_empty());
}

/// A blob shared by two versions stays referenced until both are gone; an update that changes the
/// data moves the reference.
pub async fn blobs_shared_and_updated(store: &dyn MetaStore) {
    make_bucket(store, "cf-blobs2", VersioningState::Enabled).await;
    let shared = DataRef::Parts(vec![crate::PartRef {
        blob: "blob-shared".into(),
        size: 5,
    }]);
    let mut a = object("cf-blobs2", "k", "v1");
    a.data = shared.clone();
    let mut b = object("cf-blobs2", "k", "v2");
    b.data = shared;
    store
        .put_object(a.clone(), Precondition::None)
        .await
        .expect("put");
    store.put_object(b, Precondition::None).await.expect("put");
    let ask = ["blob-shared".to_owned(), "blob-moved".to_owned()];
    store
        .delete_object("cf-blobs2", "k", Some("v2"), "u", 1)
        .await
        .expect("delete");
    assert_eq!(
        store.blobs_referenced(&ask).await.expect("refs"),
        vec![true, false]
    );
    a.data = DataRef::Parts(vec![crate::PartRef {
        blob: "blob-moved".into(),
        size: 5,
    }]);
    store
        .update_object(a, Precondition::None)
        .await
        .expect("update");
    assert_eq!(
        store.blobs_referenced(&ask).await.expect("refs"),
        vec![false, true]
    );
}
