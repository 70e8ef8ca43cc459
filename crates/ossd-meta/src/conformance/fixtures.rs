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
        restore: None,
        checksum: None,
        parts: Vec::new(),
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

/// An upload of `key` with id `upload_id` (unique in the store: tests prefix it with their bucket),
/// initiated at `initiated_ms`, whose template has a content type and user metadata.
pub fn upload_record(bucket: &str, key: &str, upload_id: &str) -> crate::UploadRecord {
    let mut template = object(bucket, key, "unused");
    template.data = DataRef::Inline(bytes::Bytes::new());
    template.size = 0;
    template.etag = String::new();
    template.tags = vec![("t".to_owned(), "1".to_owned())];
    crate::UploadRecord {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        upload_id: upload_id.to_owned(),
        initiated_ms: 1_700_000_000_000,
        template,
        checksum: None,
    }
}

/// Creates an upload with [`upload_record`].
pub async fn make_upload(store: &dyn MetaStore, bucket: &str, key: &str, upload_id: &str) {
    store
        .create_upload(upload_record(bucket, key, upload_id))
        .await
        .expect("create upload");
}

/// Part `number` of `upload_id` stored in `blob`, `number * 100` bytes long.
pub fn part_record(upload_id: &str, number: u32, blob: &str) -> crate::PartRecord {
    crate::PartRecord {
        upload_id: upload_id.to_owned(),
        part_number: number,
        etag: format!("{number:032X}"),
        md5: [u8::try_from(number % 256).unwrap_or(0); 16],
        size: u64::from(number) * 100,
        crc64: u64::from(number),
        last_modified_ms: 1_700_000_000_000 + i64::from(number),
        blob: blob.to_owned(),
        checksum: None,
    }
}

/// Puts part `number` of `upload_id` (of `bucket`/`key`) in `blob`; returns the replaced part.
pub async fn put_part(
    store: &dyn MetaStore,
    (bucket, key, upload_id): (&str, &str, &str),
    number: u32,
    blob: &str,
) -> Option<crate::PartRecord> {
    store
        .put_part(bucket, key, part_record(upload_id, number, blob))
        .await
        .expect("put part")
}

/// The object an upload completes into: the upload's template with `parts` as its data, in order.
pub fn completed_record(
    upload: &crate::UploadRecord,
    parts: &[crate::PartRecord],
    version_id: &str,
) -> ObjectRecord {
    let mut record = upload.template.clone();
    record.version_id = version_id.to_owned();
    record.revision = format!("rev-{}", unique());
    record.object_type = ObjectType::Multipart;
    record.size = parts.iter().map(|p| p.size).sum();
    record.etag = format!("{:032X}-{}", parts.len(), parts.len());
    record.data = DataRef::Parts(
        parts
            .iter()
            .map(|p| PartRef {
                blob: p.blob.clone(),
                size: p.size,
            })
            .collect(),
    );
    record
}
