//! Records and small helpers the conformance tests build on.

use crate::{BucketRecord, DataRef, MetaStore, ObjectRecord, PartRef, Precondition, PutOutcome};
use ossd_types::{BucketAcl, ObjectAcl, ObjectType, StorageClass, VersioningState};
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh, process-unique number (for revisions and version ids).
pub fn unique() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A bucket record with defaults: private, Standard, cn-hangzhou, versioning `Disabled`.
pub fn bucket_record(name: &str, owner: &str) -> BucketRecord {
    BucketRecord {
        name: name.to_owned(),
        owner: owner.to_owned(),
        created_ms: 1_700_000_000_000,
        acl: BucketAcl::Private,
        storage_class: StorageClass::Standard,
        region: "cn-hangzhou".to_owned(),
        versioning: VersioningState::Disabled,
    }
}

/// An object record stored in one blob named `blob-<bucket>-<key>-<n>`, with a unique revision.
pub fn object(bucket: &str, key: &str, version_id: &str) -> ObjectRecord {
    let n = unique();
    ObjectRecord {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        version_id: version_id.to_owned(),
        revision: format!("rev-{n}"),
        delete_marker: false,
        size: 5,
        etag: "5D41402ABC4B2A76B9719D911017C592".to_owned(),
        crc64: 0x995d_c9bb_df19_39fa,
        last_modified_ms: 1_700_000_000_000 + i64::try_from(n).unwrap_or(0),
        object_type: ObjectType::Normal,
        storage_class: StorageClass::Standard,
        acl: ObjectAcl::Default,
        headers: vec![("content-type".to_owned(), "text/plain".to_owned())],
        user_meta: vec![("k".to_owned(), "v".to_owned())],
        tags: Vec::new(),
        symlink_target: None,
        data: DataRef::Parts(vec![PartRef {
            blob: format!("blob-{bucket}-{key}-{n}"),
            size: 5,
        }]),
    }
}

/// Creates bucket `name` (owner `owner`) with versioning `state`.
pub async fn make_bucket(store: &dyn MetaStore, name: &str, state: VersioningState) {
    let mut record = bucket_record(name, "owner-1");
    record.versioning = state;
    store.create_bucket(record).await.expect("create bucket");
}

/// Changes the versioning state of bucket `name`.
pub async fn set_versioning(store: &dyn MetaStore, name: &str, state: VersioningState) {
    let mut record = store
        .get_bucket(name)
        .await
        .expect("get bucket")
        .expect("bucket exists");
    record.versioning = state;
    store.update_bucket(record).await.expect("update bucket");
}

/// Puts a fresh object at `key` with version id `version_id` (used only when versioning is on).
pub async fn put(store: &dyn MetaStore, bucket: &str, key: &str, version_id: &str) -> PutOutcome {
    let record = object(bucket, key, version_id);
    store
        .put_object(record, Precondition::None)
        .await
        .expect("put object")
}

/// Puts a fresh object at each key (versioning off).
pub async fn put_keys<'a>(
    store: &dyn MetaStore,
    bucket: &str,
    keys: impl IntoIterator<Item = &'a str>,
) {
    for key in keys {
        put(store, bucket, key, "unused").await;
    }
}

/// The version ids of `key`, newest first, as ListObjectVersions reports them.
pub async fn version_ids(store: &dyn MetaStore, bucket: &str, key: &str) -> Vec<String> {
    let query = crate::ListVersionsQuery {
        bucket: bucket.to_owned(),
        prefix: key.to_owned(),
        max_keys: 1000,
        ..Default::default()
    };
    let page = store.list_versions(&query).await.expect("list versions");
    page.versions
        .into_iter()
        .filter(|v| v.record.key == key)
        .map(|v| v.record.version_id)
        .collect()
}

/// The keys ListObjects shows in `bucket`.
pub async fn listed(store: &dyn MetaStore, bucket: &str) -> Vec<String> {
    let q = crate::ListQuery {
        bucket: bucket.into(),
        max_keys: 1000,
        ..Default::default()
    };
    let page = store.list_objects(&q).await.expect("list");
    page.objects.into_iter().map(|r| r.key).collect()
}

/// The version id and marker flag of the latest version of `key`.
pub async fn latest(store: &dyn MetaStore, bucket: &str, key: &str) -> Option<(String, bool)> {
    let rec = store.get_object(bucket, key, None).await.expect("get");
    rec.map(|r| (r.version_id, r.delete_marker))
}
