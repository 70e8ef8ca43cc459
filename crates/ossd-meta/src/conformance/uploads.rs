//! Conformance: multipart uploads: create and read, parts (replace, list), complete (unversioned
//! and versioned), abort, missing uploads, the bucket-delete guard and blob references.

use super::fixtures::{
    completed_record, make_bucket, make_upload, part_record, put, put_part, upload_record,
};
use crate::{MetaError, MetaStore, NULL_VERSION, PartRecord, Precondition};
use ossd_types::VersioningState;

/// The blobs of `parts`.
fn blobs(parts: &[PartRecord]) -> Vec<String> {
    parts.iter().map(|p| p.blob.clone()).collect()
}

/// Every part of an upload, read in pages of 1000.
async fn all_parts(store: &dyn MetaStore, bucket: &str, key: &str, id: &str) -> Vec<PartRecord> {
    let (parts, more) = store
        .list_parts(bucket, key, id, 0, 1000)
        .await
        .expect("list parts");
    assert!(!more);
    parts
}

/// Create and read back; the upload is addressed by bucket, key and id together; ids are unique;
/// a missing bucket fails.
pub async fn upload_create_get(store: &dyn MetaStore) {
    make_bucket(store, "cf-up", VersioningState::Disabled).await;
    let upload = upload_record("cf-up", "dir/obj", "cf-up-1");
    store.create_upload(upload.clone()).await.expect("create");
    let got = store.get_upload("cf-up", "dir/obj", "cf-up-1").await;
    assert_eq!(got.expect("get"), Some(upload));
    for (key, id) in [("dir/obj", "cf-up-2"), ("other", "cf-up-1")] {
        let got = store.get_upload("cf-up", key, id).await.expect("get");
        assert_eq!(got, None, "{key} {id}");
    }
    let again = store
        .create_upload(upload_record("cf-up", "another-key", "cf-up-1"))
        .await;
    assert!(
        matches!(again, Err(MetaError::UploadIdInUse(ref id)) if id == "cf-up-1"),
        "upload ids are unique: {again:?}"
    );
    let empty = store.create_upload(upload_record("cf-up", "k", "")).await;
    assert!(
        matches!(empty, Err(MetaError::InvalidUploadId)),
        "{empty:?}"
    );
    let missing = store
        .create_upload(upload_record("cf-up-missing", "k", "cf-up-x"))
        .await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchBucket)),
        "{missing:?}"
    );
    let missing = store.get_upload("cf-up-missing", "k", "cf-up-x").await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchBucket)),
        "{missing:?}"
    );
}

/// Putting a part number again replaces the part and returns the old one; parts list ascending.
pub async fn upload_put_part_replace(store: &dyn MetaStore) {
    make_bucket(store, "cf-uprep", VersioningState::Disabled).await;
    let at = ("cf-uprep", "k", "cf-uprep-1");
    make_upload(store, at.0, at.1, at.2).await;
    assert_eq!(put_part(store, at, 2, "blob-2a").await, None);
    assert_eq!(put_part(store, at, 1, "blob-1").await, None);
    let replaced = put_part(store, at, 2, "blob-2b").await;
    assert_eq!(replaced, Some(part_record(at.2, 2, "blob-2a")));
    let parts = all_parts(store, at.0, at.1, at.2).await;
    assert_eq!(
        parts,
        vec![
            part_record(at.2, 1, "blob-1"),
            part_record(at.2, 2, "blob-2b")
        ]
    );
    let same = put_part(store, at, 1, "blob-1").await;
    assert_eq!(same, None, "re-putting the same blob makes no garbage");
    let wrong_key = store
        .put_part(at.0, "other", part_record(at.2, 3, "blob-3"))
        .await;
    assert!(
        matches!(wrong_key, Err(MetaError::NoSuchUpload)),
        "{wrong_key:?}"
    );
}

/// `list_parts` pages: numbers above the marker, ascending, `max` at a time, the "more" flag.
pub async fn upload_list_parts_pages(store: &dyn MetaStore) {
    make_bucket(store, "cf-uplp", VersioningState::Disabled).await;
    let at = ("cf-uplp", "k", "cf-uplp-1");
    make_upload(store, at.0, at.1, at.2).await;
    let numbers = [8, 1, 5, 3, 2, 10_000];
    for n in numbers {
        put_part(store, at, n, &format!("blob-uplp-{n}")).await;
    }
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    for max in [1, 2, 4, 6, 1000] {
        let (mut marker, mut seen) = (0, Vec::new());
        loop {
            let (page, more) = store
                .list_parts(at.0, at.1, at.2, marker, max)
                .await
                .expect("list parts");
            assert!(page.len() <= max);
            seen.extend(page.iter().map(|p| p.part_number));
            let expected_more = seen.len() < sorted.len();
            assert_eq!(more, expected_more, "max {max} after {marker}");
            match page.last() {
                Some(last) if more => marker = last.part_number,
                _ => break,
            }
        }
        assert_eq!(seen, sorted, "max {max}");
    }
    let (page, more) = store
        .list_parts(at.0, at.1, at.2, 3, 2)
        .await
        .expect("list");
    let numbers: Vec<u32> = page.iter().map(|p| p.part_number).collect();
    assert_eq!((numbers, more), (vec![5, 8], true));
    let (page, more) = store
        .list_parts(at.0, at.1, at.2, 10_000, 5)
        .await
        .expect("list");
    assert_eq!((page.len(), more), (0, false));
    let (page, more) = store
        .list_parts(at.0, at.1, at.2, 0, 0)
        .await
        .expect("list");
    assert_eq!((page.len(), more), (0, false));
}

/// Completing in an unversioned bucket replaces the `null` version (returned), creates the object
/// from the template with the chosen parts, removes the upload and returns the unused parts.
pub async fn upload_complete_unversioned(store: &dyn MetaStore) {
    make_bucket(store, "cf-upc", VersioningState::Disabled).await;
    let old = put(store, "cf-upc", "k", "x").await;
    assert_eq!(old.version_id, NULL_VERSION);
    let old = store
        .get_object("cf-upc", "k", None)
        .await
        .expect("get")
        .expect("old object");
    let at = ("cf-upc", "k", "cf-upc-1");
    let upload = upload_record(at.0, at.1, at.2);
    store.create_upload(upload.clone()).await.expect("create");
    for n in 1..=3 {
        put_part(store, at, n, &format!("blob-upc-{n}")).await;
    }
    let parts = all_parts(store, at.0, at.1, at.2).await;
    let chosen = [parts[0].clone(), parts[2].clone()];
    let record = completed_record(&upload, &chosen, "ignored");
    let outcome = store
        .complete_upload(at.0, at.1, at.2, record.clone(), Precondition::None)
        .await
        .expect("complete");
    assert_eq!(outcome.version_id, NULL_VERSION);
    assert_eq!(outcome.replaced, vec![old], "the replaced object");
    assert_eq!(outcome.unused_parts, vec![parts[1].clone()]);
    let mut expected = record;
    expected.version_id = NULL_VERSION.to_owned();
    let got = store.get_object("cf-upc", "k", None).await.expect("get");
    assert_eq!(got, Some(expected));
    assert_eq!(store.get_upload(at.0, at.1, at.2).await.expect("get"), None);
    let listed = store.list_parts(at.0, at.1, at.2, 0, 10).await;
    assert!(
        matches!(listed, Err(MetaError::NoSuchUpload)),
        "the parts went with the upload: {listed:?}"
    );
}

/// Completing in a versioned bucket adds a version and keeps the older ones.
pub async fn upload_complete_versioned(store: &dyn MetaStore) {
    make_bucket(store, "cf-upv", VersioningState::Enabled).await;
    put(store, "cf-upv", "k", "v1").await;
    let at = ("cf-upv", "k", "cf-upv-1");
    let upload = upload_record(at.0, at.1, at.2);
    store.create_upload(upload.clone()).await.expect("create");
    put_part(store, at, 1, "blob-upv-1").await;
    let parts = all_parts(store, at.0, at.1, at.2).await;
    let record = completed_record(&upload, &parts, "v2");
    let outcome = store
        .complete_upload(at.0, at.1, at.2, record.clone(), Precondition::None)
        .await
        .expect("complete");
    assert_eq!(
        (outcome.version_id.as_str(), outcome.replaced.len()),
        ("v2", 0)
    );
    assert!(outcome.unused_parts.is_empty());
    let ids = super::fixtures::version_ids(store, "cf-upv", "k").await;
    assert_eq!(ids, vec!["v2", "v1"]);
    let got = store.get_object("cf-upv", "k", None).await.expect("get");
    assert_eq!(got, Some(record));
}

/// A completion whose precondition fails, or whose record uses a blob that is not a part of the
/// upload (a part replaced since it was read), changes nothing: the upload and its parts stay.
pub async fn upload_complete_failures_keep_upload(store: &dyn MetaStore) {
    make_bucket(store, "cf-upf", VersioningState::Disabled).await;
    put(store, "cf-upf", "k", "x").await;
    let at = ("cf-upf", "k", "cf-upf-1");
    let upload = upload_record(at.0, at.1, at.2);
    store.create_upload(upload.clone()).await.expect("create");
    put_part(store, at, 1, "blob-upf-1a").await;
    let stale = all_parts(store, at.0, at.1, at.2).await;
    put_part(store, at, 1, "blob-upf-1b").await;
    let record = completed_record(&upload, &stale, "x");
    let err = store
        .complete_upload(at.0, at.1, at.2, record, Precondition::None)
        .await;
    assert!(matches!(err, Err(MetaError::InvalidPart)), "{err:?}");
    let parts = all_parts(store, at.0, at.1, at.2).await;
    let record = completed_record(&upload, &parts, "x");
    let err = store
        .complete_upload(at.0, at.1, at.2, record.clone(), Precondition::NotExists)
        .await;
    assert!(
        matches!(err, Err(MetaError::PreconditionFailed(Some(_)))),
        "{err:?}"
    );
    assert_eq!(all_parts(store, at.0, at.1, at.2).await, parts);
    let refs = store.blobs_referenced(&blobs(&parts)).await.expect("refs");
    assert_eq!(refs, vec![true]);
    let mut elsewhere = record.clone();
    elsewhere.key = "other".to_owned();
    let err = store
        .complete_upload(at.0, at.1, at.2, elsewhere, Precondition::None)
        .await;
    assert!(
        matches!(err, Err(MetaError::UploadRecordMismatch { .. })),
        "{err:?}"
    );
    store
        .complete_upload(at.0, at.1, at.2, record, Precondition::None)
        .await
        .expect("complete");
}

/// Complete, put_part, abort and list_parts on an upload that does not exist (never created,
/// aborted, completed, or another key's) fail with `NoSuchUpload`; a missing bucket with
/// `NoSuchBucket`.
pub async fn upload_missing(store: &dyn MetaStore) {
    make_bucket(store, "cf-upm", VersioningState::Disabled).await;
    make_upload(store, "cf-upm", "k", "cf-upm-aborted").await;
    store
        .abort_upload("cf-upm", "k", "cf-upm-aborted")
        .await
        .expect("abort");
    let done = upload_record("cf-upm", "k", "cf-upm-done");
    store.create_upload(done.clone()).await.expect("create");
    let record = completed_record(&done, &[], "x");
    store
        .complete_upload("cf-upm", "k", "cf-upm-done", record, Precondition::None)
        .await
        .expect("complete with no parts");
    make_upload(store, "cf-upm", "k2", "cf-upm-k2").await;
    for id in ["cf-upm-never", "cf-upm-aborted", "cf-upm-done", "cf-upm-k2"] {
        let record = completed_record(&done, &[], "x");
        let complete = store
            .complete_upload("cf-upm", "k", id, record, Precondition::None)
            .await;
        assert!(
            matches!(complete, Err(MetaError::NoSuchUpload)),
            "{id}: {complete:?}"
        );
        let part = store
            .put_part("cf-upm", "k", part_record(id, 1, "blob-upm"))
            .await;
        assert!(
            matches!(part, Err(MetaError::NoSuchUpload)),
            "{id}: {part:?}"
        );
        let abort = store.abort_upload("cf-upm", "k", id).await;
        assert!(
            matches!(abort, Err(MetaError::NoSuchUpload)),
            "{id}: {abort:?}"
        );
        let list = store.list_parts("cf-upm", "k", id, 0, 10).await;
        assert!(
            matches!(list, Err(MetaError::NoSuchUpload)),
            "{id}: {list:?}"
        );
    }
    let refs = store.blobs_referenced(&["blob-upm".to_owned()]).await;
    assert_eq!(
        refs.expect("refs"),
        vec![false],
        "failed puts store nothing"
    );
    let part = store
        .put_part("cf-upm-missing", "k", part_record("x", 1, "b"))
        .await;
    assert!(matches!(part, Err(MetaError::NoSuchBucket)), "{part:?}");
    let abort = store.abort_upload("cf-upm-missing", "k", "x").await;
    assert!(matches!(abort, Err(MetaError::NoSuchBucket)), "{abort:?}");
}

/// Abort removes the upload and returns every part, whose blobs are then unreferenced.
pub async fn upload_abort_returns_parts(store: &dyn MetaStore) {
    make_bucket(store, "cf-upa", VersioningState::Disabled).await;
    let at = ("cf-upa", "k", "cf-upa-1");
    make_upload(store, at.0, at.1, at.2).await;
    for n in [3, 1, 2] {
        put_part(store, at, n, &format!("blob-upa-{n}")).await;
    }
    let parts = all_parts(store, at.0, at.1, at.2).await;
    let refs = store.blobs_referenced(&blobs(&parts)).await.expect("refs");
    assert_eq!(refs, vec![true; 3]);
    let aborted = store.abort_upload(at.0, at.1, at.2).await.expect("abort");
    assert_eq!(aborted, parts);
    assert_eq!(store.get_upload(at.0, at.1, at.2).await.expect("get"), None);
    let refs = store.blobs_referenced(&blobs(&parts)).await.expect("refs");
    assert_eq!(refs, vec![false; 3]);
    assert_eq!(
        super::fixtures::listed(store, "cf-upa").await,
        Vec::<String>::new()
    );
}

/// A bucket with an upload in progress cannot be deleted; after the abort it can.
pub async fn upload_blocks_bucket_delete(store: &dyn MetaStore) {
    make_bucket(store, "cf-upd", VersioningState::Disabled).await;
    make_upload(store, "cf-upd", "k", "cf-upd-1").await;
    let full = store.delete_bucket("cf-upd").await;
    assert!(matches!(full, Err(MetaError::BucketNotEmpty)), "{full:?}");
    store
        .abort_upload("cf-upd", "k", "cf-upd-1")
        .await
        .expect("abort");
    store.delete_bucket("cf-upd").await.expect("delete");
}

/// Part blobs are referenced while their upload is in progress; after completion the used ones
/// stay referenced (by the object) and the unused ones do not; replaced parts are unreferenced.
pub async fn upload_blobs_referenced(store: &dyn MetaStore) {
    make_bucket(store, "cf-upb", VersioningState::Disabled).await;
    let at = ("cf-upb", "k", "cf-upb-1");
    let upload = upload_record(at.0, at.1, at.2);
    store.create_upload(upload.clone()).await.expect("create");
    for (n, blob) in [(1, "b1"), (2, "b2"), (3, "b3"), (2, "b2-new")] {
        put_part(store, at, n, &format!("blob-upb-{blob}")).await;
    }
    let ask: Vec<String> = ["b1", "b2", "b3", "b2-new"]
        .iter()
        .map(|b| format!("blob-upb-{b}"))
        .collect();
    let refs = store.blobs_referenced(&ask).await.expect("refs");
    assert_eq!(refs, vec![true, false, true, true]);
    let parts = all_parts(store, at.0, at.1, at.2).await;
    let record = completed_record(&upload, &parts[..2], "x");
    let outcome = store
        .complete_upload(at.0, at.1, at.2, record, Precondition::None)
        .await
        .expect("complete");
    assert_eq!(blobs(&outcome.unused_parts), vec![ask[2].clone()]);
    let refs = store.blobs_referenced(&ask).await.expect("refs");
    assert_eq!(refs, vec![true, false, false, true]);
    store
        .delete_object("cf-upb", "k", None, "m", 1)
        .await
        .expect("delete");
    let refs = store.blobs_referenced(&ask).await.expect("refs");
    assert_eq!(refs, vec![false; 4], "the object's delete frees them");
}
