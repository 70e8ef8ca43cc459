//! Conformance: ListMultipartUploads, checked against the naive model page by page: several uploads
//! per key, prefixes, delimiters, key and upload id markers; and the empty cases.

use super::fixtures::{make_bucket, make_upload, put_part};
use super::model::{Entry, check_uploads_walk, store_uploads_page};
use crate::{ListUploadsQuery, MetaError, MetaStore};
use ossd_types::VersioningState;

/// A query on `bucket`.
fn query(
    bucket: &str,
    prefix: &str,
    delimiter: Option<&str>,
    (key_marker, upload_id_marker): (&str, &str),
    max: usize,
) -> ListUploadsQuery {
    ListUploadsQuery {
        bucket: bucket.into(),
        prefix: prefix.into(),
        delimiter: delimiter.map(str::to_owned),
        key_marker: key_marker.into(),
        upload_id_marker: upload_id_marker.into(),
        max_uploads: max,
    }
}

/// Uploads (key, id) in `cf-ulist`: several per key, ids in initiation order.
const UPLOADS: [(&str, &str); 11] = [
    ("a", "cf-ulist-01"),
    ("dir/1", "cf-ulist-02"),
    ("dir/1", "cf-ulist-03"),
    ("dir/2", "cf-ulist-04"),
    ("dir/sub/3", "cf-ulist-05"),
    ("dir2/x", "cf-ulist-06"),
    ("a", "cf-ulist-07"),
    ("é/日", "cf-ulist-08"),
    ("z", "cf-ulist-09"),
    ("z", "cf-ulist-10"),
    ("z", "cf-ulist-11"),
];

/// Walks of every page size for prefixes, delimiters and both markers, against the model; parts
/// do not appear in the listing.
pub async fn list_uploads_model(store: &dyn MetaStore) {
    let bucket = "cf-ulist";
    make_bucket(store, bucket, VersioningState::Disabled).await;
    for (key, id) in UPLOADS {
        make_upload(store, bucket, key, id).await;
    }
    put_part(store, (bucket, "z", "cf-ulist-10"), 1, "blob-ulist").await;
    let uploads: Vec<(String, String)> = UPLOADS
        .iter()
        .map(|(k, id)| ((*k).to_owned(), (*id).to_owned()))
        .collect();
    let shapes: [(&str, Option<&str>, (&str, &str)); 15] = [
        ("", None, ("", "")),
        ("", Some("/"), ("", "")),
        ("dir/", Some("/"), ("", "")),
        ("dir", Some("/"), ("", "")),
        ("", Some("/"), ("a", "")),
        ("", Some("/"), ("a", "cf-ulist-01")),
        ("", None, ("dir/1", "cf-ulist-02")),
        ("", Some("/"), ("dir/1", "cf-ulist-02")),
        ("dir/", Some("/"), ("dir/1", "cf-ulist-02")),
        ("", None, ("z", "cf-ulist-09")),
        ("", None, ("z", "cf-ulist-99")),
        ("", None, ("", "cf-ulist-05")),
        ("", None, ("b", "cf-ulist-05")),
        ("", Some("日"), ("", "")),
        ("nothing/", Some("/"), ("", "")),
    ];
    for (prefix, delimiter, markers) in shapes {
        for max in [1, 2, 3, 1000] {
            let q = query(bucket, prefix, delimiter, markers, max);
            check_uploads_walk(store, &uploads, &q).await;
        }
    }
    let (page, ..) = store_uploads_page(store, &query(bucket, "", Some("/"), ("", ""), 3)).await;
    let expected = vec![
        Entry::Key("a".into(), "cf-ulist-01".into(), true),
        Entry::Key("a".into(), "cf-ulist-07".into(), true),
        Entry::Prefix("dir/".into()),
    ];
    assert_eq!(page, (expected, true), "ids in order, then the prefix");
}

/// The listed record is the upload as created; empty bucket, `max_uploads == 0`, missing bucket.
pub async fn list_uploads_empty(store: &dyn MetaStore) {
    make_bucket(store, "cf-ulempty", VersioningState::Disabled).await;
    let q = query("cf-ulempty", "", Some("/"), ("", ""), 10);
    let page = store.list_uploads(&q).await.expect("list");
    assert_eq!(page, crate::UploadsPage::default());
    let upload = super::fixtures::upload_record("cf-ulempty", "k", "cf-ulempty-1");
    store.create_upload(upload.clone()).await.expect("create");
    let page = store.list_uploads(&q).await.expect("list");
    assert_eq!(page.uploads, vec![upload]);
    let zero = store
        .list_uploads(&query("cf-ulempty", "", None, ("", ""), 0))
        .await
        .expect("list");
    assert_eq!(zero, crate::UploadsPage::default());
    let missing = store
        .list_uploads(&query("cf-ulempty-missing", "", None, ("", ""), 10))
        .await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchBucket)),
        "{missing:?}"
    );
}
