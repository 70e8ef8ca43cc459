//! Conformance: ListObjectVersions ordering, latest flags, delimiter and pagination with version
//! id markers, checked against the naive model.

use super::fixtures::{make_bucket, put, set_versioning};
use super::model::{Entry, check_versions_walk, store_versions_page};
use crate::{ListVersionsQuery, MetaStore};
use ossd_types::VersioningState;
use std::collections::BTreeMap;

/// A query on `bucket`.
fn query(
    bucket: &str,
    prefix: &str,
    delimiter: Option<&str>,
    key: &str,
    vid: &str,
    max: usize,
) -> ListVersionsQuery {
    ListVersionsQuery {
        bucket: bucket.into(),
        prefix: prefix.into(),
        delimiter: delimiter.map(str::to_owned),
        key_marker: key.into(),
        version_id_marker: vid.into(),
        max_keys: max,
    }
}

/// Builds a bucket with several versions and markers per key; returns the model (newest first).
async fn fill(store: &dyn MetaStore, bucket: &str) -> BTreeMap<String, Vec<String>> {
    make_bucket(store, bucket, VersioningState::Disabled).await;
    put(store, bucket, "a", "x").await;
    set_versioning(store, bucket, VersioningState::Enabled).await;
    let writes = [
        ("a", "a2"),
        ("a", "a3"),
        ("b/1", "b1"),
        ("b/2", "b2"),
        ("b/2", "b2b"),
        ("c", "c1"),
    ];
    for (key, v) in writes {
        put(store, bucket, key, v).await;
    }
    store
        .delete_object(bucket, "c", None, "cm", 1)
        .await
        .expect("marker");
    store
        .delete_object(bucket, "d", None, "dm", 1)
        .await
        .expect("marker");
    let model = [
        ("a", vec!["a3", "a2", "null"]),
        ("b/1", vec!["b1"]),
        ("b/2", vec!["b2b", "b2"]),
        ("c", vec!["cm", "c1"]),
        ("d", vec!["dm"]),
    ];
    model
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into_iter().map(String::from).collect()))
        .collect()
}

/// Keys ascending, newest version first, markers interleaved, `is_latest` on the newest only.
pub async fn list_versions_order(store: &dyn MetaStore) {
    let model = fill(store, "cf-vlist").await;
    let (page, key_marker, vid_marker) =
        store_versions_page(store, &query("cf-vlist", "", None, "", "", 1000)).await;
    let flat: Vec<(String, String, bool)> = model
        .iter()
        .flat_map(|(k, ids)| {
            ids.iter()
                .enumerate()
                .map(move |(i, id)| (k.clone(), id.clone(), i == 0))
        })
        .collect();
    let got: Vec<(String, String, bool)> = page
        .0
        .into_iter()
        .filter_map(|e| match e {
            Entry::Key(k, v, l) => Some((k, v, l)),
            Entry::Prefix(_) => None,
        })
        .collect();
    assert_eq!(got, flat);
    assert_eq!((page.1, key_marker, vid_marker), (false, None, None));
    let raw = store
        .list_versions(&query("cf-vlist", "c", None, "", "", 10))
        .await
        .expect("list");
    let marker = raw
        .versions
        .first()
        .map(|v| (v.record.delete_marker, v.is_latest));
    assert_eq!(
        marker,
        Some((true, true)),
        "a delete marker can be the latest version"
    );
}

/// Every page size, with and without delimiter and prefix, walked with key and version markers.
pub async fn list_versions_pagination(store: &dyn MetaStore) {
    let model = fill(store, "cf-vpage").await;
    let shapes = [
        ("", None),
        ("", Some("/")),
        ("b/", Some("/")),
        ("b", None),
        ("a", Some("/")),
    ];
    for (prefix, delimiter) in shapes {
        for max in [1, 2, 3, 1000] {
            check_versions_walk(
                store,
                &model,
                &query("cf-vpage", prefix, delimiter, "", "", max),
            )
            .await;
        }
    }
}

/// Starting points: a version id marker in the middle of a key, on its last version, one that
/// does not exist, a key marker alone, and a key marker inside a common prefix.
pub async fn list_versions_markers(store: &dyn MetaStore) {
    let model = fill(store, "cf-vmark").await;
    let starts = [
        ("a", "a2", None),
        ("a", "null", None),
        ("a", "gone", None),
        ("a", "", None),
        ("b/1", "b1", Some("/")),
        ("b/1", "", Some("/")),
        ("b/", "", Some("/")),
        ("b/2", "b2b", None),
        ("0", "whatever", None),
        ("zzz", "", None),
    ];
    for (key, vid, delimiter) in starts {
        for max in [1, 2, 1000] {
            check_versions_walk(
                store,
                &model,
                &query("cf-vmark", "", delimiter, key, vid, max),
            )
            .await;
        }
    }
    let (page, ..) = store_versions_page(store, &query("cf-vmark", "", None, "a", "a3", 1)).await;
    assert_eq!(
        page,
        (vec![Entry::Key("a".into(), "a2".into(), false)], true)
    );
}
