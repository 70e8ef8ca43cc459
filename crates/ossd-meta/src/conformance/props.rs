//! Property-test cases for listing: random key sets, version histories and uploads with random
//! queries, walked page by page against the naive model. Backends run them with their own store.

use super::fixtures::{make_bucket, make_upload, put, unique};
use super::model::{check_objects_walk, check_uploads_walk, check_versions_walk};
use crate::{ListQuery, ListUploadsQuery, ListVersionsQuery, MetaStore};
use ossd_types::VersioningState;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Short strings over an alphabet rich in delimiters and multi-byte characters.
fn text(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec!['a', 'b', '/', '-', 'é', '日', '\u{10000}']);
    prop::collection::vec(chars, len).prop_map(|v| v.into_iter().collect())
}

/// An optional delimiter: none, empty, one or two characters.
fn delimiter() -> impl Strategy<Value = Option<String>> {
    prop::sample::select(vec![
        None,
        Some(""),
        Some("/"),
        Some("-"),
        Some("/-"),
        Some("日"),
    ])
    .prop_map(|d| d.map(str::to_owned))
}

/// A ListObjects case: the keys present and one query shape.
#[derive(Debug, Clone)]
pub struct ListCase {
    /// Keys to put (duplicates are overwrites).
    pub keys: Vec<String>,
    /// Query prefix.
    pub prefix: String,
    /// Query delimiter.
    pub delimiter: Option<String>,
    /// Where the walk starts.
    pub start_after: String,
    /// Page size.
    pub max_keys: usize,
}

/// Random [`ListCase`]s.
pub fn list_case() -> impl Strategy<Value = ListCase> {
    let keys = prop::collection::vec(text(1..6), 0..30);
    (keys, text(0..3), delimiter(), text(0..4), 1usize..5).prop_map(
        |(keys, prefix, delimiter, start_after, max_keys)| ListCase {
            keys,
            prefix,
            delimiter,
            start_after,
            max_keys,
        },
    )
}

/// Puts the case's keys into a new bucket of `store` and walks the query against the model.
pub async fn check_list_case(store: &dyn MetaStore, case: &ListCase) {
    let bucket = format!("prop-list-{}", unique());
    make_bucket(store, &bucket, VersioningState::Disabled).await;
    for key in &case.keys {
        put(store, &bucket, key, "unused").await;
    }
    let mut keys = case.keys.clone();
    keys.sort();
    keys.dedup();
    let query = ListQuery {
        bucket,
        prefix: case.prefix.clone(),
        delimiter: case.delimiter.clone(),
        start_after: case.start_after.clone(),
        max_keys: case.max_keys,
    };
    check_objects_walk(store, &keys, &query).await;
}

/// A ListObjectVersions case: a history of puts and deletes in an `Enabled` bucket and a query.
#[derive(Debug, Clone)]
pub struct VersionsCase {
    /// Writes in order: the key and whether it is a delete (a delete marker).
    pub writes: Vec<(String, bool)>,
    /// Query prefix.
    pub prefix: String,
    /// Query delimiter.
    pub delimiter: Option<String>,
    /// Where the walk starts: a key marker and the index of a version id marker (`w<index>`).
    pub start: (String, Option<usize>),
    /// Page size.
    pub max_keys: usize,
}

/// Random [`VersionsCase`]s.
pub fn versions_case() -> impl Strategy<Value = VersionsCase> {
    let writes = prop::collection::vec((text(1..4), any::<bool>()), 0..25);
    let start = (text(0..3), prop::option::of(0usize..25));
    (writes, text(0..2), delimiter(), start, 1usize..5).prop_map(
        |(writes, prefix, delimiter, start, max_keys)| VersionsCase {
            writes,
            prefix,
            delimiter,
            start,
            max_keys,
        },
    )
}

/// Replays the case's writes into a new bucket (version ids `w<index>`) and walks the query
/// against the model.
pub async fn check_versions_case(store: &dyn MetaStore, case: &VersionsCase) {
    let bucket = format!("prop-ver-{}", unique());
    make_bucket(store, &bucket, VersioningState::Enabled).await;
    let mut model: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, (key, delete)) in case.writes.iter().enumerate() {
        let id = format!("w{i}");
        if *delete {
            store
                .delete_object(&bucket, key, None, &id, 1)
                .await
                .expect("delete");
        } else {
            put(store, &bucket, key, &id).await;
        }
        model.entry(key.clone()).or_default().insert(0, id);
    }
    let query = ListVersionsQuery {
        bucket,
        prefix: case.prefix.clone(),
        delimiter: case.delimiter.clone(),
        key_marker: case.start.0.clone(),
        version_id_marker: case.start.1.map(|i| format!("w{i}")).unwrap_or_default(),
        max_keys: case.max_keys,
    };
    check_versions_walk(store, &model, &query).await;
    super::stats::stats(store, &query.bucket).await;
}

/// A ListMultipartUploads case: the keys of uploads created in order (a key may have several) and
/// a query.
#[derive(Debug, Clone)]
pub struct UploadsCase {
    /// The key of each upload, in creation order (upload `i` gets an id ending in `i`).
    pub keys: Vec<String>,
    /// Query prefix.
    pub prefix: String,
    /// Query delimiter.
    pub delimiter: Option<String>,
    /// Where the walk starts: a key marker and the index of an upload id marker.
    pub start: (String, Option<usize>),
    /// Page size.
    pub max_uploads: usize,
}

/// Random [`UploadsCase`]s.
pub fn uploads_case() -> impl Strategy<Value = UploadsCase> {
    let keys = prop::collection::vec(text(1..4), 0..25);
    let start = (text(0..3), prop::option::of(0usize..25));
    (keys, text(0..2), delimiter(), start, 1usize..5).prop_map(
        |(keys, prefix, delimiter, start, max_uploads)| UploadsCase {
            keys,
            prefix,
            delimiter,
            start,
            max_uploads,
        },
    )
}

/// Creates the case's uploads in a new bucket (ids `<bucket>-<index>`, zero-padded so that they
/// sort in creation order) and walks the query against the model.
pub async fn check_uploads_case(store: &dyn MetaStore, case: &UploadsCase) {
    let bucket = format!("prop-up-{}", unique());
    make_bucket(store, &bucket, VersioningState::Disabled).await;
    let id = |i: usize| format!("{bucket}-{i:03}");
    let mut uploads = Vec::new();
    for (i, key) in case.keys.iter().enumerate() {
        make_upload(store, &bucket, key, &id(i)).await;
        uploads.push((key.clone(), id(i)));
    }
    let query = ListUploadsQuery {
        bucket: bucket.clone(),
        prefix: case.prefix.clone(),
        delimiter: case.delimiter.clone(),
        key_marker: case.start.0.clone(),
        upload_id_marker: case.start.1.map(id).unwrap_or_default(),
        max_uploads: case.max_uploads,
    };
    check_uploads_walk(store, &uploads, &query).await;
}
