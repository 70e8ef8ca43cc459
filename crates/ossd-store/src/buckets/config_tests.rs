//! The generic configuration API against both metadata backends.

use std::sync::Arc;

use ossd_meta_sqlite::SqliteMeta;
use ossd_types::BucketConfig;

use super::*;
use crate::Store;
use crate::buckets::tests::{memory, store_over};

/// A test document: a set of names, stored comma-separated; no names is no document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Names(Vec<String>);

#[derive(Debug, thiserror::Error)]
#[error("not a names document")]
struct NotNames;

impl BucketConfig for Names {
    const KIND: &'static str = "test-names";
    type DecodeError = NotNames;

    fn decode(stored: &str) -> Result<Self, NotNames> {
        if stored.starts_with('!') {
            return Err(NotNames);
        }
        Ok(Self(stored.split(',').map(str::to_owned).collect()))
    }

    fn encode(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| self.0.join(","))
    }
}

fn names(list: &[&str]) -> Names {
    Names(list.iter().map(|s| (*s).to_owned()).collect())
}

#[tokio::test]
async fn get_put_delete() -> Result<(), StoreError> {
    let store = memory().await;
    let configs = store.bucket_configs();
    assert_eq!(configs.get::<Names>("b").await?, None);
    configs.put("b", &names(&["x", "y"])).await?;
    assert_eq!(configs.get::<Names>("b").await?, Some(names(&["x", "y"])));
    // A value that encodes to nothing removes the document.
    configs.put("b", &Names::default()).await?;
    assert_eq!(store.meta.get_bucket_config("b", Names::KIND).await?, None);
    configs.put("b", &names(&["z"])).await?;
    configs.delete::<Names>("b").await?;
    assert_eq!(configs.get::<Names>("b").await?, None);
    assert!(matches!(
        configs.get::<Names>("missing").await,
        Err(StoreError::NoSuchBucket)
    ));
    assert!(matches!(
        configs.put("missing", &names(&["x"])).await,
        Err(StoreError::NoSuchBucket)
    ));
    Ok(())
}

#[tokio::test]
async fn undecodable_documents_count_as_none() -> Result<(), UpdateError<()>> {
    let store = memory().await;
    store
        .meta
        .put_bucket_config("b", Names::KIND, Some("!bad".to_owned()))
        .await
        .map_err(StoreError::from)?;
    let configs = store.bucket_configs();
    assert_eq!(configs.get::<Names>("b").await?, None);
    // An update sees none, and replaces the stored text it read.
    let stored = configs
        .update("b", |current: Option<Names>| {
            assert_eq!(current, None);
            Ok::<_, ()>(Update::Put(names(&["ok"])))
        })
        .await?;
    assert!(stored);
    assert_eq!(configs.get::<Names>("b").await?, Some(names(&["ok"])));
    Ok(())
}

#[tokio::test]
async fn update_keeps_refuses_and_deletes() -> Result<(), StoreError> {
    let store = memory().await;
    let configs = store.bucket_configs();
    configs.put("b", &names(&["a"])).await?;
    let kept = configs
        .update("b", |_: Option<Names>| Ok::<_, ()>(Update::Keep))
        .await;
    assert!(matches!(kept, Ok(false)));
    let refused = configs
        .update("b", |_: Option<Names>| Err::<Update<Names>, _>("no"))
        .await;
    assert!(matches!(refused, Err(UpdateError::Refused("no"))));
    assert_eq!(configs.get::<Names>("b").await?, Some(names(&["a"])));
    let deleted = configs
        .update("b", |_: Option<Names>| Ok::<_, ()>(Update::Delete))
        .await;
    assert!(matches!(deleted, Ok(true)));
    assert_eq!(configs.get::<Names>("b").await?, None);
    let missing = configs
        .update("missing", |_: Option<Names>| Ok::<_, ()>(Update::Keep))
        .await;
    assert!(matches!(
        missing,
        Err(UpdateError::Store(StoreError::NoSuchBucket))
    ));
    Ok(())
}

/// Several tasks each add their own names at once: none is lost.
async fn concurrent_updates_lose_nothing(store: Store) -> Result<(), StoreError> {
    const TASKS: usize = 8;
    const EACH: usize = 10;
    let mut handles = Vec::new();
    for t in 0..TASKS {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            for i in 0..EACH {
                let name = format!("t{t}-{i}");
                store
                    .bucket_configs()
                    .update("b", |current: Option<Names>| {
                        let mut all = current.unwrap_or_default();
                        all.0.push(name.clone());
                        Ok::<_, ()>(Update::Put(all))
                    })
                    .await
                    .map_err(|e| match e {
                        UpdateError::Store(e) => e,
                        UpdateError::Refused(()) => StoreError::Contended,
                    })?;
                tokio::task::yield_now().await;
            }
            Ok::<_, StoreError>(())
        }));
    }
    for h in handles {
        h.await
            .map_err(|e| StoreError::Body(std::io::Error::other(e)))??;
    }
    let mut all = store
        .bucket_configs()
        .get::<Names>("b")
        .await?
        .unwrap_or_default()
        .0;
    all.sort();
    let mut want: Vec<String> = (0..TASKS)
        .flat_map(|t| (0..EACH).map(move |i| format!("t{t}-{i}")))
        .collect();
    want.sort();
    assert_eq!(all, want);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_memory() -> Result<(), StoreError> {
    concurrent_updates_lose_nothing(memory().await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_sqlite() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let meta = Arc::new(SqliteMeta::open(dir.path().join("meta.sqlite"))?);
    concurrent_updates_lose_nothing(store_over(meta).await).await?;
    Ok(())
}
