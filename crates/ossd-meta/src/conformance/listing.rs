//! Conformance: ListObjects edge cases, each checked against the naive model (page by page).

use super::fixtures::{make_bucket, put, put_keys};
use super::model::{Entry, check_objects_walk, store_objects_page};
use crate::{ListEntry, ListQuery, MetaStore};
use ossd_types::VersioningState;

/// A query on `bucket`.
fn query(
    bucket: &str,
    prefix: &str,
    delimiter: Option<&str>,
    marker: &str,
    max: usize,
) -> ListQuery {
    ListQuery {
        bucket: bucket.into(),
        prefix: prefix.into(),
        delimiter: delimiter.map(str::to_owned),
        start_after: marker.into(),
        max_keys: max,
    }
}

/// Fills `bucket` with `keys` and checks walks of every page size for each prefix, delimiter and
/// start marker given.
async fn check_all(
    store: &dyn MetaStore,
    bucket: &str,
    keys: &[&str],
    shapes: &[(&str, Option<&str>, &str)],
) {
    make_bucket(store, bucket, VersioningState::Disabled).await;
    put_keys(store, bucket, keys.iter().copied()).await;
    let owned: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    for &(prefix, delimiter, marker) in shapes {
        for max in [1, 2, 3, 1000] {
            check_objects_walk(
                store,
                &owned,
                &query(bucket, prefix, delimiter, marker, max),
            )
            .await;
        }
    }
}

/// Directory-like keys with `/`, with and without prefix, and a multi-character delimiter.
pub async fn list_objects_delimiter(store: &dyn MetaStore) {
    let keys = [
        "a.txt",
        "dir/1",
        "dir/2",
        "dir/sub/3",
        "dir2/x",
        "e--f--g",
        "e--h",
        "z",
    ];
    let shapes = [
        ("", None, ""),
        ("", Some("/"), ""),
        ("dir/", Some("/"), ""),
        ("dir", Some("/"), ""),
        ("", Some("--"), ""),
        ("e--", Some("--"), ""),
        ("", Some("dir"), ""),
        ("nothing/", Some("/"), ""),
    ];
    check_all(store, "cf-ldelim", &keys, &shapes).await;
    let (page, next) =
        store_objects_page(store, &query("cf-ldelim", "", Some("/"), "", 1000)).await;
    assert_eq!(
        page.0.len(),
        6,
        "a.txt, dir/, dir2/, e--f--g, e--h, z: {page:?}"
    );
    assert_eq!(next, None);
}

/// Markers: inside a common prefix (the prefix is skipped), equal to a common prefix, before the
/// prefix, after everything, and between keys.
pub async fn list_objects_markers(store: &dyn MetaStore) {
    let keys = ["a", "b/1", "b/2", "b/3/x", "c", "d/1"];
    let shapes = [
        ("", Some("/"), "b/2"),
        ("", Some("/"), "b/"),
        ("", Some("/"), "b"),
        ("", Some("/"), "b/3/x"),
        ("b/", Some("/"), "b/1"),
        ("b/", Some("/"), "a"),
        ("b/", None, "b/2"),
        ("", None, "zzz"),
        ("", Some("/"), "c0"),
    ];
    check_all(store, "cf-lmark", &keys, &shapes).await;
    let (page, _) = store_objects_page(store, &query("cf-lmark", "", Some("/"), "b/2", 10)).await;
    let expected = vec![
        Entry::Key("c".into(), String::new(), true),
        Entry::Prefix("d/".into()),
    ];
    assert_eq!(page.0, expected, "a marker inside b/ skips all of b/");
}

/// UTF-8 byte order (not UTF-16 or locale order), with multi-byte prefixes and delimiters.
pub async fn list_objects_unicode(store: &dyn MetaStore) {
    let keys = [
        "a",
        "Z",
        "é",
        "e\u{301}",
        "\u{FF61}",
        "\u{10000}",
        "日本/東京",
        "日本/大阪",
        "日本語",
        "~",
    ];
    let shapes = [
        ("", None, ""),
        ("", Some("/"), ""),
        ("日本", Some("/"), ""),
        ("", Some("本"), ""),
    ];
    check_all(store, "cf-luni", &keys, &shapes).await;
    let (page, _) = store_objects_page(store, &query("cf-luni", "", None, "", 1000)).await;
    let last: Vec<String> = page
        .0
        .iter()
        .rev()
        .take(2)
        .map(|e| format!("{e:?}"))
        .collect();
    assert!(
        last[0].contains('\u{10000}') && last[1].contains('\u{FF61}'),
        "{last:?}"
    );
}

/// Keys that end with the delimiter, or are the prefix itself, and a delimiter right after the
/// prefix.
pub async fn list_objects_delimiter_edges(store: &dyn MetaStore) {
    let keys = ["dir/", "dir/a/", "dir/a/b", "dir//x", "dir", "/x/", "x//"];
    let shapes = [
        ("", Some("/"), ""),
        ("dir/", Some("/"), ""),
        ("dir", Some("/"), ""),
        ("dir/", Some("/"), "dir/"),
        ("x/", Some("/"), ""),
        ("dir/a/", Some("/"), ""),
    ];
    check_all(store, "cf-ledge", &keys, &shapes).await;
}

/// Empty results: empty bucket, prefix matching nothing, marker past everything; and
/// `max_keys == 0` is an empty, complete page.
pub async fn list_objects_empty(store: &dyn MetaStore) {
    make_bucket(store, "cf-lempty", VersioningState::Disabled).await;
    let nothing = ((vec![], false), None);
    let q = query("cf-lempty", "", Some("/"), "", 5);
    assert_eq!(store_objects_page(store, &q).await, nothing, "empty bucket");
    put(store, "cf-lempty", "k/1", "x").await;
    let q = query("cf-lempty", "q", Some("/"), "", 5);
    assert_eq!(
        store_objects_page(store, &q).await,
        nothing,
        "prefix matches nothing"
    );
    let q = query("cf-lempty", "", Some("/"), "k/", 5);
    assert_eq!(
        store_objects_page(store, &q).await,
        nothing,
        "marker past everything"
    );
    let zero = store
        .list_objects(&query("cf-lempty", "", None, "", 0))
        .await
        .expect("list");
    assert_eq!(
        (
            zero.objects.len(),
            zero.common_prefixes.len(),
            zero.truncated
        ),
        (0, 0, false)
    );
}

/// Only the latest non-marker version of each key is listed, whatever lies below it.
pub async fn list_objects_versioned(store: &dyn MetaStore) {
    make_bucket(store, "cf-lver", VersioningState::Enabled).await;
    for (key, v) in [("a", "1"), ("a", "2"), ("b", "1"), ("c", "1"), ("d/x", "1")] {
        put(store, "cf-lver", key, v).await;
    }
    store
        .delete_object("cf-lver", "b", None, "m", 1)
        .await
        .expect("marker");
    store
        .delete_object("cf-lver", "d/x", None, "m", 1)
        .await
        .expect("marker");
    store
        .delete_object("cf-lver", "zz", None, "m", 1)
        .await
        .expect("marker");
    let current: Vec<String> = ["a", "c"].map(String::from).to_vec();
    for delimiter in [None, Some("/")] {
        for max in [1, 2, 10] {
            let q = query("cf-lver", "", delimiter, "", max);
            check_objects_walk(store, &current, &q).await;
        }
    }
    let page = store
        .list_objects(&query("cf-lver", "", None, "", 10))
        .await
        .expect("list");
    let mut latest = Vec::new();
    for key in ["a", "c"] {
        let record = store.get_object("cf-lver", key, None).await.expect("get");
        latest.extend(record.map(ListEntry::from));
    }
    assert_eq!(
        page.objects, latest,
        "the listed record is the latest version"
    );
}
