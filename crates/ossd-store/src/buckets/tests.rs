//! The bucket service's records against both metadata backends: create, list, delete, and
//! concurrent read-modify-writes that lose nothing.

use std::convert::Infallible;
use std::sync::Arc;

use ossd_meta::{BucketRecord, MemoryMeta, MetaStore};
use ossd_meta_sqlite::SqliteMeta;
use ossd_types::{BucketAcl, StorageClass, VersioningState};

use super::UpdateError;
use crate::{Store, StoreError};

/// A private, unversioned bucket record owned by `owner`.
pub(super) fn record(name: &str) -> BucketRecord {
    BucketRecord {
        name: name.to_owned(),
        owner: "owner".to_owned(),
        created_ms: 0,
        acl: BucketAcl::Private,
        storage_class: StorageClass::Standard,
        region: "cn-hangzhou".to_owned(),
        versioning: VersioningState::Disabled,
    }
}

/// A store over `meta` with bucket `b`.
pub(super) async fn store_over(meta: Arc<dyn MetaStore>) -> Store {
    let blobs = Arc::new(ossd_blob::MemoryBlobs::default());
    let store = Store::new(meta, blobs, 0);
    assert!(matches!(
        store.buckets().create(record("b")).await,
        Ok(true)
    ));
    store
}

/// A store in memory with bucket `b`.
pub(super) async fn memory() -> Store {
    store_over(Arc::new(MemoryMeta::new())).await
}

#[tokio::test]
async fn bucket_records() -> Result<(), StoreError> {
    let store = memory().await;
    let buckets = store.buckets();
    assert!(!buckets.create(record("b")).await?);
    assert!(buckets.create(record("c")).await?);
    let all = buckets.list_all("owner").await?;
    assert_eq!(
        all.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
        ["b", "c"]
    );
    buckets.set_acl("b", BucketAcl::PublicRead).await?;
    let Some(b) = buckets.get("b").await? else {
        panic!("bucket b missing");
    };
    assert_eq!(b.acl, BucketAcl::PublicRead);
    buckets
        .set_versioning("b", VersioningState::Enabled)
        .await?;
    assert_eq!(
        buckets.get("b").await?.map(|b| b.versioning),
        Some(VersioningState::Enabled)
    );
    buckets.delete("c").await?;
    assert_eq!(buckets.get("c").await?, None);
    assert!(matches!(
        buckets.delete("c").await,
        Err(StoreError::NoSuchBucket)
    ));
    assert!(matches!(
        buckets.stats("c").await,
        Err(StoreError::NoSuchBucket)
    ));
    Ok(())
}

#[tokio::test]
async fn updates() -> Result<(), StoreError> {
    let store = memory().await;
    let buckets = store.buckets();
    let stored = buckets
        .update("b", |b| {
            b.acl = BucketAcl::PublicReadWrite;
            Ok::<_, Infallible>(())
        })
        .await
        .map_err(UpdateError::into_store)?;
    assert_eq!(stored.acl, BucketAcl::PublicReadWrite);
    assert_eq!(buckets.get("b").await?, Some(stored));
    let refused = buckets.update("b", |_| Err("no")).await;
    assert!(matches!(refused, Err(UpdateError::Refused("no"))));
    assert!(matches!(
        buckets.set_acl("missing", BucketAcl::Private).await,
        Err(StoreError::NoSuchBucket)
    ));
    assert!(matches!(
        buckets
            .set_versioning("missing", VersioningState::Enabled)
            .await,
        Err(StoreError::NoSuchBucket)
    ));
    Ok(())
}

/// How many changes each task of [`concurrent_updates_land`] makes.
const EACH: usize = 20;

/// The ACLs an ACL task sets in turn; the last one set is `ACLS[(EACH - 1) % 3]`.
const ACLS: [BucketAcl; 3] = [
    BucketAcl::PublicReadWrite,
    BucketAcl::Private,
    BucketAcl::PublicRead,
];

/// The states a versioning task sets in turn; the last one set is `STATES[(EACH - 1) % 2]`.
const STATES: [VersioningState; 2] = [VersioningState::Enabled, VersioningState::Suspended];

/// What one task of [`concurrent_updates_land`] changes.
#[derive(Clone, Copy)]
enum Task {
    /// PutBucketAcl, cycling through [`ACLS`].
    Acl,
    /// PutBucketVersioning, cycling through [`STATES`].
    Versioning,
    /// Another read-modify-write: adds one to `created_ms` (a counter of landed updates).
    Count,
}

impl Task {
    async fn run(self, store: &Store) -> Result<(), StoreError> {
        let buckets = store.buckets();
        for i in 0..EACH {
            match self {
                Self::Acl => buckets.set_acl("b", ACLS[i % ACLS.len()]).await?,
                Self::Versioning => {
                    let state = STATES[i % STATES.len()];
                    buckets.set_versioning("b", state).await?;
                }
                Self::Count => {
                    let counted = buckets.update("b", |b| {
                        b.created_ms += 1;
                        Ok::<_, Infallible>(())
                    });
                    counted.await.map_err(UpdateError::into_store)?;
                }
            }
            tokio::task::yield_now().await;
        }
        Ok(())
    }
}

/// Tasks setting the ACL, tasks setting the versioning state and tasks counting in the record of
/// bucket `b`, all at once: every update lands. Each ACL and versioning task ends with the same
/// value, so the last write of each field (some task's final one) leaves it, unless an update
/// built on a stale copy of the record undid it; the counter sees every counting update.
async fn concurrent_updates_land(store: Store) -> Result<(), StoreError> {
    const TASKS: [Task; 3] = [Task::Acl, Task::Versioning, Task::Count];
    const ROUNDS: usize = 3;
    let store = Arc::new(store);
    let mut handles = Vec::new();
    for task in (0..ROUNDS).flat_map(|_| TASKS) {
        let store = store.clone();
        handles.push(tokio::spawn(async move { task.run(&store).await }));
    }
    for h in handles {
        h.await
            .map_err(|e| StoreError::Body(std::io::Error::other(e)))??;
    }
    let end = store.buckets().get("b").await?;
    let counted = i64::try_from(ROUNDS * EACH).unwrap_or(i64::MAX);
    let want = BucketRecord {
        acl: ACLS[(EACH - 1) % ACLS.len()],
        versioning: STATES[(EACH - 1) % STATES.len()],
        created_ms: counted,
        ..record("b")
    };
    assert_eq!(end, Some(want));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_land_memory() -> Result<(), StoreError> {
    concurrent_updates_land(memory().await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_land_sqlite() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let meta = Arc::new(SqliteMeta::open(dir.path().join("meta.sqlite"))?);
    concurrent_updates_land(store_over(meta).await).await?;
    Ok(())
}
