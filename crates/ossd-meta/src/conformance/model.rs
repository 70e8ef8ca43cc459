//! Naive listing models, written straight from the definitions, and checks that compare a store's
//! pages (and whole paginated walks) against them.

use crate::listing::common_prefix;
use crate::{ListQuery, ListUploadsQuery, ListVersionsQuery, MetaStore};
use std::collections::BTreeMap;

/// One listed entry, as names only: an object (key, version id, latest) or a common prefix. An
/// upload is a key entry with its upload id (and `true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// An object key, with a version id and latest flag when listing versions.
    Key(String, String, bool),
    /// A common prefix.
    Prefix(String),
}

impl Entry {
    /// The key or prefix, for comparisons with markers.
    fn name(&self) -> &str {
        match self {
            Entry::Key(k, ..) | Entry::Prefix(k) => k,
        }
    }
}

/// A page as names: entries in order and whether it was truncated.
pub type ModelPage = (Vec<Entry>, bool);

/// Folds `items` (in listing order) into entries: consecutive keys of one common prefix become one
/// prefix entry, and prefixes at or before `marker` are dropped.
fn fold(items: Vec<Entry>, prefix: &str, delimiter: Option<&str>, marker: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for item in items {
        let entry = match common_prefix(item.name(), prefix, delimiter) {
            Some(cp) => Entry::Prefix(cp.to_owned()),
            None => item,
        };
        let dup =
            matches!((&entry, out.last()), (Entry::Prefix(a), Some(Entry::Prefix(b))) if a == b);
        let before = matches!(&entry, Entry::Prefix(p) if p.as_str() <= marker);
        if !dup && !before {
            out.push(entry);
        }
    }
    out
}

/// Takes the first `max` entries; truncated when more remain.
fn page_of(mut entries: Vec<Entry>, max: usize) -> ModelPage {
    if max == 0 {
        return (Vec::new(), false);
    }
    let truncated = entries.len() > max;
    entries.truncate(max);
    (entries, truncated)
}

/// ListObjects over the set of current `keys`, by definition.
pub fn model_list_objects(keys: &[String], q: &ListQuery) -> ModelPage {
    let mut sorted: Vec<&String> = keys.iter().collect();
    sorted.sort();
    let items = sorted
        .into_iter()
        .filter(|k| k.starts_with(&q.prefix) && k.as_str() > q.start_after.as_str())
        .map(|k| Entry::Key(k.clone(), String::new(), true))
        .collect();
    let entries = fold(items, &q.prefix, q.delimiter.as_deref(), &q.start_after);
    page_of(entries, q.max_keys)
}

/// ListObjectVersions over `versions` (key → version ids, newest first), by definition.
pub fn model_list_versions(
    versions: &BTreeMap<String, Vec<String>>,
    q: &ListVersionsQuery,
) -> ModelPage {
    let mut items = Vec::new();
    for (key, ids) in versions.iter().filter(|(k, _)| k.starts_with(&q.prefix)) {
        let skip = versions_to_skip(key, ids, q);
        for (i, id) in ids.iter().enumerate().skip(skip) {
            items.push(Entry::Key(key.clone(), id.clone(), i == 0));
        }
    }
    let entries = fold(items, &q.prefix, q.delimiter.as_deref(), &q.key_marker);
    page_of(entries, q.max_keys)
}

/// How many of `key`'s versions (newest first) lie at or before the query's markers.
fn versions_to_skip(key: &str, ids: &[String], q: &ListVersionsQuery) -> usize {
    if q.key_marker.is_empty() || key > q.key_marker.as_str() {
        return 0;
    }
    if key < q.key_marker.as_str() || q.version_id_marker.is_empty() {
        return ids.len();
    }
    ids.iter()
        .position(|id| *id == q.version_id_marker)
        .map_or(ids.len(), |i| i + 1)
}

/// The store's ListObjects page for `q`, as names.
pub async fn store_objects_page(
    store: &dyn MetaStore,
    q: &ListQuery,
) -> (ModelPage, Option<String>) {
    let page = store.list_objects(q).await.expect("list objects");
    let mut entries: Vec<Entry> = page
        .objects
        .iter()
        .map(|r| Entry::Key(r.key.clone(), String::new(), true))
        .chain(page.common_prefixes.iter().cloned().map(Entry::Prefix))
        .collect();
    entries.sort_by(|a, b| a.name().cmp(b.name()));
    ((entries, page.truncated), page.next_marker)
}

/// Walks every page of `q` (starting at its `start_after`) and checks each against the model, and
/// that `next_marker` is the last entry of a truncated page.
pub async fn check_objects_walk(store: &dyn MetaStore, keys: &[String], q: &ListQuery) {
    let mut q = q.clone();
    for _ in 0..=keys.len() + 1 {
        let expected = model_list_objects(keys, &q);
        let (got, next) = store_objects_page(store, &q).await;
        assert_eq!(
            got, expected,
            "ListObjects page differs from the model for {q:?}"
        );
        if !got.1 {
            assert_eq!(next, None, "next_marker on a last page for {q:?}");
            return;
        }
        let last = got.0.last().map(|e| e.name().to_owned());
        assert_eq!(next, last, "next_marker is not the last entry for {q:?}");
        q.start_after = next.unwrap_or_default();
    }
    panic!("ListObjects pagination did not end for {q:?}");
}

/// The store's ListObjectVersions page for `q`, as names, with the next markers.
pub async fn store_versions_page(
    store: &dyn MetaStore,
    q: &ListVersionsQuery,
) -> (ModelPage, Option<String>, Option<String>) {
    let page = store.list_versions(q).await.expect("list versions");
    let mut entries: Vec<Entry> = page
        .versions
        .iter()
        .map(|v| {
            Entry::Key(
                v.record.key.clone(),
                v.record.version_id.clone(),
                v.is_latest,
            )
        })
        .collect();
    for cp in page.common_prefixes {
        let at = entries.partition_point(|e| e.name() < cp.as_str());
        entries.insert(at, Entry::Prefix(cp));
    }
    (
        (entries, page.truncated),
        page.next_key_marker,
        page.next_version_id_marker,
    )
}

/// Walks every page of `q` and checks each against the model.
pub async fn check_versions_walk(
    store: &dyn MetaStore,
    versions: &BTreeMap<String, Vec<String>>,
    q: &ListVersionsQuery,
) {
    let mut q = q.clone();
    let total: usize = versions.values().map(Vec::len).sum();
    for _ in 0..=total + 1 {
        let expected = model_list_versions(versions, &q);
        let (got, key_marker, vid_marker) = store_versions_page(store, &q).await;
        assert_eq!(
            got, expected,
            "ListObjectVersions page differs from the model for {q:?}"
        );
        if !got.1 {
            return;
        }
        let (key, vid) = match got.0.last() {
            Some(Entry::Key(k, v, _)) => (k.clone(), Some(v.clone())),
            Some(Entry::Prefix(p)) => (p.clone(), None),
            None => panic!("truncated empty page for {q:?}"),
        };
        assert_eq!(
            (key_marker, vid_marker),
            (Some(key.clone()), vid.clone()),
            "next markers for {q:?}"
        );
        q.key_marker = key;
        q.version_id_marker = vid.unwrap_or_default();
    }
    panic!("ListObjectVersions pagination did not end for {q:?}");
}

/// ListMultipartUploads over `uploads` (key, upload id), by definition: keys ascending, then ids.
pub fn model_list_uploads(uploads: &[(String, String)], q: &ListUploadsQuery) -> ModelPage {
    let mut sorted: Vec<&(String, String)> = uploads.iter().collect();
    sorted.sort();
    let (marker, id_marker) = (q.key_marker.as_str(), q.upload_id_marker.as_str());
    let items = sorted
        .into_iter()
        .filter(|(k, id)| {
            let after_id = !marker.is_empty() && !id_marker.is_empty() && id.as_str() > id_marker;
            k.starts_with(&q.prefix) && (k.as_str() > marker || (k == marker && after_id))
        })
        .map(|(k, id)| Entry::Key(k.clone(), id.clone(), true))
        .collect();
    let entries = fold(items, &q.prefix, q.delimiter.as_deref(), marker);
    page_of(entries, q.max_uploads)
}

/// The store's ListMultipartUploads page for `q`, as names, with the next markers.
pub async fn store_uploads_page(
    store: &dyn MetaStore,
    q: &ListUploadsQuery,
) -> (ModelPage, Option<String>, Option<String>) {
    let page = store.list_uploads(q).await.expect("list uploads");
    let mut entries: Vec<Entry> = page
        .uploads
        .iter()
        .map(|u| Entry::Key(u.key.clone(), u.upload_id.clone(), true))
        .collect();
    for cp in page.common_prefixes {
        let at = entries.partition_point(|e| e.name() < cp.as_str());
        entries.insert(at, Entry::Prefix(cp));
    }
    (
        (entries, page.truncated),
        page.next_key_marker,
        page.next_upload_id_marker,
    )
}

/// Walks every page of `q` and checks each against the model, and the next markers of each
/// truncated page (the last upload's key and id, or the last common prefix and no id).
pub async fn check_uploads_walk(
    store: &dyn MetaStore,
    uploads: &[(String, String)],
    q: &ListUploadsQuery,
) {
    let mut q = q.clone();
    for _ in 0..=uploads.len() + 1 {
        let expected = model_list_uploads(uploads, &q);
        let (got, key_marker, id_marker) = store_uploads_page(store, &q).await;
        assert_eq!(
            got, expected,
            "ListMultipartUploads page differs from the model for {q:?}"
        );
        if !got.1 {
            assert_eq!((key_marker, id_marker), (None, None), "last page {q:?}");
            return;
        }
        let (key, id) = match got.0.last() {
            Some(Entry::Key(k, id, _)) => (k.clone(), Some(id.clone())),
            Some(Entry::Prefix(p)) => (p.clone(), None),
            None => panic!("truncated empty page for {q:?}"),
        };
        assert_eq!(
            (key_marker, id_marker),
            (Some(key.clone()), id.clone()),
            "next markers for {q:?}"
        );
        q.key_marker = key;
        q.upload_id_marker = id.unwrap_or_default();
    }
    panic!("ListMultipartUploads pagination did not end for {q:?}");
}
