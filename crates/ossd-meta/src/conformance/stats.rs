//! Conformance: the per-bucket figures of GetBucketStat after each kind of write: puts,
//! overwrites, rewrites in place (append), updates, deletes, delete markers, deletes of versions,
//! `Suspended` writes, uploads, parts, completion, abort, bucket delete. After every step the
//! figures are checked against exact values and against a recount from the listings.

use super::fixtures::{
    completed_record, make_bucket, make_upload, object, part_record, put, put_part, set_versioning,
    unique,
};
use crate::{
    BucketStats, ClassStats, ListUploadsQuery, ListVersionsQuery, MIN_BILLED_BYTES, MetaError,
    MetaStore, NULL_VERSION, ObjectRecord, Precondition, StatsDelta,
};
use ossd_types::{ObjectAcl, StorageClass, VersioningState};

/// The figures of `bucket` counted from its listings (every version, upload and part): what
/// [`MetaStore::bucket_stats`] must equal, except for the time.
pub async fn recount(store: &dyn MetaStore, bucket: &str) -> BucketStats {
    let mut stats = BucketStats::default();
    let mut delta = StatsDelta::default();
    let mut q = ListVersionsQuery {
        bucket: bucket.to_owned(),
        max_keys: 1000,
        ..Default::default()
    };
    loop {
        let page = store.list_versions(&q).await.expect("list versions");
        for v in &page.versions {
            delta.version(&v.record, true);
        }
        if !page.truncated {
            break;
        }
        q.key_marker = page.next_key_marker.unwrap_or_default();
        q.version_id_marker = page.next_version_id_marker.unwrap_or_default();
    }
    let q = ListUploadsQuery {
        bucket: bucket.to_owned(),
        max_uploads: 1000,
        ..Default::default()
    };
    let page = store.list_uploads(&q).await.expect("list uploads");
    assert!(!page.truncated, "recount handles one page of uploads");
    for u in &page.uploads {
        delta.upload(true);
        let (parts, more) = store
            .list_parts(bucket, &u.key, &u.upload_id, 0, 10_000)
            .await
            .expect("list parts");
        assert!(!more);
        for p in &parts {
            delta.part(p, true);
        }
    }
    stats.apply(&delta);
    stats.last_modified_ms = 0;
    stats
}

/// The figures of `bucket`, checked against [`recount`] (all but the time).
pub async fn stats(store: &dyn MetaStore, bucket: &str) -> BucketStats {
    let got = store.bucket_stats(bucket).await.expect("bucket stats");
    let mut untimed = got;
    untimed.last_modified_ms = 0;
    assert_eq!(
        untimed,
        recount(store, bucket).await,
        "figures vs. listings"
    );
    got
}

/// `(ObjectCount, Storage, DeleteMarkerCount, MultipartUploadCount, parts, part bytes)`.
fn totals(s: &BucketStats) -> (u64, u64, u64, u64, u64, u64) {
    (
        s.object_count(),
        s.storage(),
        s.delete_markers,
        s.uploads,
        s.parts,
        s.part_bytes,
    )
}

/// The figures of one class holding `objects` objects of `bytes` bytes billed as `billed`.
fn class(objects: u64, bytes: u64, billed: u64) -> ClassStats {
    ClassStats {
        objects,
        bytes,
        billed_bytes: billed,
    }
}

/// A fresh version of `key` with `size` bytes of storage class `sc`.
fn sized(bucket: &str, key: &str, version_id: &str, size: u64, sc: StorageClass) -> ObjectRecord {
    let mut r = object(bucket, key, version_id);
    r.size = size;
    r.storage_class = sc;
    r
}

/// Writes `record`, which must succeed.
async fn write(store: &dyn MetaStore, record: ObjectRecord, cond: Precondition) {
    store.put_object(record, cond).await.expect("put");
}

/// A new bucket starts at zero (time 0); a missing bucket is an error; a deleted and re-created
/// bucket starts again at zero.
pub async fn stats_bucket_lifecycle(store: &dyn MetaStore) {
    let missing = store.bucket_stats("cf-st-missing").await;
    assert!(
        matches!(missing, Err(MetaError::NoSuchBucket)),
        "{missing:?}"
    );
    make_bucket(store, "cf-st-b", VersioningState::Disabled).await;
    assert_eq!(stats(store, "cf-st-b").await, BucketStats::default());
    put(store, "cf-st-b", "k", "unused").await;
    assert_eq!(totals(&stats(store, "cf-st-b").await), (1, 5, 0, 0, 0, 0));
    store
        .delete_object("cf-st-b", "k", None, "m", 5)
        .await
        .expect("delete");
    store.delete_bucket("cf-st-b").await.expect("delete bucket");
    let gone = store.bucket_stats("cf-st-b").await;
    assert!(matches!(gone, Err(MetaError::NoSuchBucket)), "{gone:?}");
    make_bucket(store, "cf-st-b", VersioningState::Disabled).await;
    assert_eq!(stats(store, "cf-st-b").await, BucketStats::default());
}

/// Unversioned: puts per class (billed sizes at least 64 KiB), overwrites, an append-style
/// rewrite under a revision condition, failed writes, updates that move an object between
/// classes or change nothing counted, deletes, and deletes of missing keys.
pub async fn stats_unversioned_writes(store: &dyn MetaStore) {
    let b = "cf-st-u";
    make_bucket(store, b, VersioningState::Disabled).await;
    let first = sized(b, "a", "x", 7, StorageClass::Standard);
    let t1 = first.last_modified_ms;
    write(store, first, Precondition::None).await;
    let s = stats(store, b).await;
    assert_eq!(totals(&s), (1, 7, 0, 0, 0, 0));
    assert_eq!(
        *s.class(StorageClass::Standard),
        class(1, 7, MIN_BILLED_BYTES)
    );
    assert_eq!(s.last_modified_ms, t1);

    // Overwrite: the old size goes, the new one counts.
    let over = sized(b, "a", "x", 11, StorageClass::Standard);
    write(store, over.clone(), Precondition::None).await;
    assert_eq!(totals(&stats(store, b).await), (1, 11, 0, 0, 0, 0));

    // Other classes.
    write(
        store,
        sized(b, "ia", "x", 100, StorageClass::Ia),
        Precondition::None,
    )
    .await;
    let big = MIN_BILLED_BYTES + 10;
    write(
        store,
        sized(b, "ar", "x", big, StorageClass::Archive),
        Precondition::None,
    )
    .await;
    write(
        store,
        sized(b, "ca", "x", 1, StorageClass::ColdArchive),
        Precondition::None,
    )
    .await;
    let deep = sized(b, "dc", "x", 2, StorageClass::DeepColdArchive);
    write(store, deep, Precondition::None).await;
    let s = stats(store, b).await;
    assert_eq!(totals(&s), (5, 11 + 100 + big + 1 + 2, 0, 0, 0, 0));
    assert_eq!(*s.class(StorageClass::Ia), class(1, 100, MIN_BILLED_BYTES));
    assert_eq!(*s.class(StorageClass::Archive), class(1, big, big));
    assert_eq!(
        *s.class(StorageClass::ColdArchive),
        class(1, 1, MIN_BILLED_BYTES)
    );
    assert_eq!(
        *s.class(StorageClass::DeepColdArchive),
        class(1, 2, MIN_BILLED_BYTES)
    );

    // A failed conditional write changes nothing.
    let before = stats(store, b).await;
    let refused = store
        .put_object(
            sized(b, "a", "x", 999, StorageClass::Standard),
            Precondition::NotExists,
        )
        .await;
    assert!(matches!(refused, Err(MetaError::PreconditionFailed(_))));
    assert_eq!(stats(store, b).await, before);

    // An append rewrites the object in place under its revision: the size grows.
    let appended = sized(b, "a", "x", 20, StorageClass::Standard);
    let cond = Precondition::Revision(Some(over.revision.clone()));
    write(store, appended.clone(), cond).await;
    assert_eq!(totals(&stats(store, b).await).1, before.storage() - 11 + 20);

    // Updating the metadata only changes no figure and not the time.
    let before = stats(store, b).await;
    let mut acl_only = appended.clone();
    acl_only.version_id = NULL_VERSION.to_owned();
    acl_only.acl = ObjectAcl::PublicRead;
    acl_only.last_modified_ms += 1_000_000;
    store
        .update_object(acl_only.clone(), Precondition::None)
        .await
        .expect("update acl");
    assert_eq!(stats(store, b).await, before);
    // Changing the storage class in place moves the object between classes.
    let mut moved = acl_only;
    moved.storage_class = StorageClass::Ia;
    store
        .update_object(moved.clone(), Precondition::None)
        .await
        .expect("update class");
    let s = stats(store, b).await;
    assert_eq!(*s.class(StorageClass::Standard), ClassStats::default());
    assert_eq!(
        *s.class(StorageClass::Ia),
        class(2, 120, 2 * MIN_BILLED_BYTES)
    );
    assert_eq!(s.storage(), before.storage());
    assert_eq!(s.last_modified_ms, moved.last_modified_ms);

    // Deletes: the object goes, at the delete's time; a missing key changes nothing.
    let at = moved.last_modified_ms + 5;
    store
        .delete_object(b, "a", None, "m1", at)
        .await
        .expect("delete");
    let s = stats(store, b).await;
    assert_eq!(totals(&s), (4, 100 + big + 1 + 2, 0, 0, 0, 0));
    assert_eq!(s.last_modified_ms, at);
    store
        .delete_object(b, "nothing", None, "m2", at + 100)
        .await
        .expect("delete missing");
    assert_eq!(stats(store, b).await, s);
    for key in ["ia", "ar", "ca", "dc"] {
        store
            .delete_object(b, key, None, "m", at + 1)
            .await
            .expect("delete");
    }
    let s = stats(store, b).await;
    assert_eq!(totals(&s), (0, 0, 0, 0, 0, 0));
    assert_eq!(s.classes, BucketStats::default().classes);
}

/// `Enabled` and `Suspended`: every stored version counts (noncurrent ones too); delete markers
/// count apart; deleting a version or a marker by id takes it out; `Suspended` writes replace the
/// `null` version (or put a `null` marker in its place).
pub async fn stats_versioned_writes(store: &dyn MetaStore) {
    let b = "cf-st-v";
    make_bucket(store, b, VersioningState::Enabled).await;
    put(store, b, "k", "v1").await;
    put(store, b, "k", "v2").await;
    put(store, b, "other", "v1").await;
    assert_eq!(totals(&stats(store, b).await), (3, 15, 0, 0, 0, 0));

    // Markers: on an object, on a marker, on a key without versions.
    let t = 1_800_000_000_000;
    store
        .delete_object(b, "k", None, "m1", t)
        .await
        .expect("marker");
    store
        .delete_object(b, "k", None, "m2", t + 1)
        .await
        .expect("marker on marker");
    store
        .delete_object(b, "never", None, "m3", t + 2)
        .await
        .expect("marker on nothing");
    let s = stats(store, b).await;
    assert_eq!(totals(&s), (3, 15, 3, 0, 0, 0));
    assert_eq!(s.last_modified_ms, t + 2);

    // Deleting versions and markers by id.
    store
        .delete_object(b, "k", Some("v1"), "unused", t + 3)
        .await
        .expect("delete v1");
    store
        .delete_object(b, "never", Some("m3"), "unused", t + 4)
        .await
        .expect("delete m3");
    let s = stats(store, b).await;
    assert_eq!(totals(&s), (2, 10, 2, 0, 0, 0));
    assert_eq!(s.last_modified_ms, t + 4);
    store
        .delete_object(b, "k", Some("no-such"), "unused", t + 50)
        .await
        .expect("missing version");
    assert_eq!(stats(store, b).await, s);

    // Suspended: a put adds the `null` version, a second replaces it; a delete replaces it with
    // a `null` marker.
    set_versioning(store, b, VersioningState::Suspended).await;
    put(store, b, "k", "ignored").await;
    put(store, b, "k", "ignored").await;
    assert_eq!(totals(&stats(store, b).await), (3, 15, 2, 0, 0, 0));
    store
        .delete_object(b, "k", None, "m4", t + 5)
        .await
        .expect("suspended delete");
    assert_eq!(totals(&stats(store, b).await), (2, 10, 3, 0, 0, 0));
    store
        .delete_object(b, "k", None, "m5", t + 6)
        .await
        .expect("suspended delete over the null marker");
    assert_eq!(totals(&stats(store, b).await), (2, 10, 3, 0, 0, 0));

    // Emptying the bucket version by version brings every figure to zero.
    for (key, id) in [
        ("k", "v2"),
        ("k", "m1"),
        ("k", "m2"),
        ("k", "null"),
        ("other", "v1"),
    ] {
        store
            .delete_object(b, key, Some(id), "unused", t + 7)
            .await
            .expect("delete version");
    }
    assert_eq!(totals(&stats(store, b).await), (0, 0, 0, 0, 0, 0));
    store.delete_bucket(b).await.expect("empty bucket deletes");
}

/// Uploads: initiation, parts (a replaced part counts once), completion (parts leave the upload
/// figures, the object counts), abort (the time stays).
pub async fn stats_uploads(store: &dyn MetaStore) {
    let b = "cf-st-up";
    make_bucket(store, b, VersioningState::Disabled).await;
    let id = format!("cf-st-up-{}", unique());
    make_upload(store, b, "obj", &id).await;
    let s = stats(store, b).await;
    assert_eq!(totals(&s), (0, 0, 0, 1, 0, 0));
    assert_eq!(s.last_modified_ms, 1_700_000_000_000);
    put_part(store, (b, "obj", &id), 1, "blob-st-1").await;
    put_part(store, (b, "obj", &id), 2, "blob-st-2").await;
    assert_eq!(totals(&stats(store, b).await), (0, 0, 0, 1, 2, 300));
    put_part(store, (b, "obj", &id), 2, "blob-st-2b").await;
    put_part(store, (b, "obj", &id), 2, "blob-st-2b").await;
    assert_eq!(totals(&stats(store, b).await), (0, 0, 0, 1, 2, 300));

    // A second upload, aborted.
    let other = format!("cf-st-up-{}", unique());
    make_upload(store, b, "obj", &other).await;
    put_part(store, (b, "obj", &other), 3, "blob-st-3").await;
    assert_eq!(totals(&stats(store, b).await), (0, 0, 0, 2, 3, 600));
    let before = stats(store, b).await;
    store.abort_upload(b, "obj", &other).await.expect("abort");
    let s = stats(store, b).await;
    assert_eq!(totals(&s), (0, 0, 0, 1, 2, 300));
    assert_eq!(s.last_modified_ms, before.last_modified_ms);

    // Complete with part 2 only: the upload and both parts leave, the object counts.
    let upload = store
        .get_upload(b, "obj", &id)
        .await
        .expect("get")
        .expect("upload");
    let chosen = [part_record(&id, 2, "blob-st-2b")];
    let mut record = completed_record(&upload, &chosen, "unused");
    record.last_modified_ms = 1_900_000_000_000;
    store
        .complete_upload(b, "obj", &id, record, Precondition::None)
        .await
        .expect("complete");
    let s = stats(store, b).await;
    assert_eq!(totals(&s), (1, 200, 0, 0, 0, 0));
    assert_eq!(s.last_modified_ms, 1_900_000_000_000);
}
