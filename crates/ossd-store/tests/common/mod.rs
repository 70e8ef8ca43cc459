//! A store over a temporary blob directory and the in-memory metadata backend, shared by the
//! multipart and versioning tests.

#![allow(dead_code)]

use std::sync::Arc;

use bytes::Bytes;
use futures_util::{StreamExt, stream};
use ossd_blob::{BlobStore, LocalFs};
use ossd_meta::{BucketRecord, MemoryMeta, MetaStore, ObjectRecord};
use ossd_store::{BodyStream, Store, WriteSpec};
use ossd_types::{BucketAcl, ObjectAcl, StorageClass, VersioningState};

/// The error type of the tests.
pub(crate) type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// A store with one bucket `b`.
pub(crate) struct Rig {
    _dir: tempfile::TempDir,
    /// The blob store (to count files).
    pub blobs: Arc<LocalFs>,
    /// The metadata store.
    pub meta: Arc<MemoryMeta>,
    /// The store under test.
    pub store: Store,
}

/// A rig whose bucket has the given versioning state.
pub(crate) async fn rig(versioning: VersioningState) -> TestResult<Rig> {
    let dir = tempfile::tempdir()?;
    let blobs = Arc::new(LocalFs::open(dir.path().join("blobs"))?);
    let meta = Arc::new(MemoryMeta::new());
    meta.create_bucket(bucket_record(VersioningState::Disabled))
        .await?;
    let store = Store::new(meta.clone(), blobs.clone(), 8);
    let r = Rig {
        _dir: dir,
        blobs,
        meta,
        store,
    };
    r.set_versioning(versioning).await?;
    Ok(r)
}

/// Bucket `b`, private, owned by account `1`, with `versioning`.
pub(crate) fn bucket_record(versioning: VersioningState) -> BucketRecord {
    BucketRecord {
        name: "b".into(),
        owner: "1".into(),
        created_ms: 0,
        acl: BucketAcl::Private,
        storage_class: StorageClass::Standard,
        region: "cn-hangzhou".into(),
        versioning,
    }
}

impl Rig {
    /// Changes the bucket's versioning state.
    pub(crate) async fn set_versioning(&self, versioning: VersioningState) -> TestResult {
        self.meta.update_bucket(bucket_record(versioning)).await?;
        Ok(())
    }

    /// How many blobs are stored.
    pub(crate) async fn blob_count(&self) -> TestResult<usize> {
        Ok(self.blobs.list().await?.len())
    }

    /// Whether blob `id` is stored.
    pub(crate) async fn has_blob(&self, id: &str) -> TestResult<bool> {
        Ok(self.blobs.list().await?.iter().any(|b| b == id))
    }

    /// Writes `data` as a plain object.
    pub(crate) async fn put(&self, key: &str, data: &[u8]) -> TestResult<ObjectRecord> {
        Ok(self
            .store
            .put_object(spec(key), body(&[data]), 1000)
            .await?)
    }

    /// The bytes of a version (latest when `None`).
    pub(crate) async fn read(&self, key: &str, version: Option<&str>) -> TestResult<Vec<u8>> {
        let rec = self.store.resolve("b", key, version).await?.data;
        read_record(&self.store, &rec).await
    }
}

/// All bytes of a record.
pub(crate) async fn read_record(store: &Store, rec: &ObjectRecord) -> TestResult<Vec<u8>> {
    let mut s = store.read(rec, 0, rec.size).await?;
    let mut out = Vec::new();
    while let Some(c) = s.next().await {
        out.extend_from_slice(&c?);
    }
    Ok(out)
}

/// The attributes of a test object.
pub(crate) fn spec(key: &str) -> WriteSpec {
    WriteSpec {
        bucket: "b".into(),
        key: key.into(),
        headers: vec![("content-type".into(), "text/plain".into())],
        user_meta: vec![("a".into(), "1".into())],
        tags: vec![],
        acl: ObjectAcl::Default,
        storage_class: StorageClass::Standard,
        content_md5: None,
        forbid_overwrite: false,
        etag_condition: Default::default(),
        content_length: None,
        checksum: Default::default(),
    }
}

/// A body of these chunks.
pub(crate) fn body(chunks: &[&[u8]]) -> BodyStream {
    let owned: Vec<Result<Bytes, std::io::Error>> = chunks
        .iter()
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    Box::pin(stream::iter(owned))
}
