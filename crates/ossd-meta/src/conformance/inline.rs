//! Conformance: metadata-only reads ([`MetaStore::get_object_meta`]) and version listings leave
//! inline bytes out (an empty [`DataRef::Inline`], `size` unchanged) and keep everything else,
//! object listings give the latest version's [`ListEntry`], while [`MetaStore::get_object`]
//! still returns the bytes.

use super::fixtures::{make_bucket, object};
use crate::{
    DataRef, ListEntry, ListQuery, ListVersionsQuery, MetaError, MetaStore, ObjectRecord,
    Precondition,
};
use ossd_types::VersioningState;

/// Puts an inline object of `body` at `key` as version `version_id`; returns the stored record.
async fn put_inline(
    store: &dyn MetaStore,
    key: &str,
    version_id: &str,
    body: &[u8],
) -> ObjectRecord {
    let mut record = object("cf-inline", key, version_id);
    record.size = body.len() as u64;
    record.data = DataRef::Inline(bytes::Bytes::copy_from_slice(body));
    store
        .put_object(record, Precondition::None)
        .await
        .expect("put inline");
    let stored = store.get_object("cf-inline", key, Some(version_id)).await;
    stored.expect("get").expect("stored")
}

/// Metadata-only reads and both listings carry no inline bytes; full reads still do.
pub async fn inline_left_out_of_meta_reads_and_listings(store: &dyn MetaStore) {
    make_bucket(store, "cf-inline", VersioningState::Enabled).await;
    let old = put_inline(store, "a", "va1", b"first body").await;
    let new = put_inline(store, "a", "va2", &[7u8; 4096]).await;
    assert_eq!(
        new.data,
        DataRef::Inline(vec![7u8; 4096].into()),
        "get_object keeps the bytes"
    );
    let parts = object("cf-inline", "b", "vb1");
    store
        .put_object(parts.clone(), Precondition::None)
        .await
        .expect("put parts");
    let parts = store.get_object("cf-inline", "b", None).await.expect("get");
    let parts = parts.expect("stored");

    let meta = |key: &'static str, id: Option<&'static str>| async move {
        store
            .get_object_meta("cf-inline", key, id)
            .await
            .expect("get meta")
    };
    let latest = meta("a", None).await.expect("latest");
    assert_eq!(latest.data, DataRef::Inline(bytes::Bytes::new()));
    assert_eq!(latest.size, 4096, "the size still gives the length");
    assert_eq!(latest, new.without_inline());
    assert_eq!(meta("a", Some("va1")).await, Some(old.without_inline()));
    assert_eq!(meta("b", None).await, Some(parts.clone()), "Parts are kept");
    assert_eq!(meta("a", Some("nope")).await, None);
    assert_eq!(meta("nope", None).await, None);
    assert!(matches!(
        store.get_object_meta("cf-no-bucket", "a", None).await,
        Err(MetaError::NoSuchBucket)
    ));

    let q = ListQuery {
        bucket: "cf-inline".into(),
        max_keys: 10,
        ..Default::default()
    };
    let page = store.list_objects(&q).await.expect("list");
    assert_eq!(
        page.objects,
        vec![ListEntry::from(new.clone()), ListEntry::from(parts.clone())]
    );
    let q = ListVersionsQuery {
        bucket: "cf-inline".into(),
        max_keys: 10,
        ..Default::default()
    };
    let page = store.list_versions(&q).await.expect("list versions");
    let records: Vec<ObjectRecord> = page.versions.into_iter().map(|v| v.record).collect();
    assert_eq!(
        records,
        vec![new.without_inline(), old.without_inline(), parts]
    );

    let full = store.get_object("cf-inline", "a", Some("va1")).await;
    assert_eq!(
        full.expect("get").map(|r| r.data),
        Some(old.data),
        "bytes untouched"
    );
    store
        .delete_object("cf-inline", "a", None, "va3", 1)
        .await
        .expect("delete");
    let marker = store.get_object("cf-inline", "a", None).await.expect("get");
    assert!(marker.as_ref().is_some_and(|m| m.delete_marker));
    assert_eq!(
        meta("a", None).await,
        marker,
        "a delete marker reads the same"
    );
}
