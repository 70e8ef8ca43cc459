//! Backups while serving: reclamation is deferred during a pause, and `backup_into` copies
//! exactly the blobs its metadata snapshot references even when they are replaced meanwhile.

mod common;

use std::sync::Arc;

use common::{TestResult, body, bucket_record, read_record, rig, spec};
use ossd_blob::{BlobStore, LocalFs};
use ossd_meta::MetaStore;
use ossd_meta_sqlite::SqliteMeta;
use ossd_store::{META_FILE, Store, StoreError};
use ossd_types::VersioningState;

#[tokio::test]
async fn a_pause_defers_deletion_until_released() -> TestResult {
    let r = rig(VersioningState::Disabled).await?;
    let first = r.put("k", b"first version data").await?;
    let old: Vec<String> = first.data.blob_ids().map(str::to_owned).collect();
    let pause = r.store.pause_reclamation();
    let second = r.store.pause_reclamation();
    r.put("k", b"second version data").await?;
    r.store.delete_object("b", "k", None, 2).await?;
    assert!(r.has_blob(&old[0]).await?, "kept while paused");
    assert_eq!(r.blob_count().await?, 2, "both versions' files are kept");
    pause.release().await;
    assert_eq!(r.blob_count().await?, 2, "another pause is still held");
    second.release().await;
    assert_eq!(
        r.blob_count().await?,
        0,
        "freed data deleted at the last release"
    );
    // Without a pause deletion is immediate again.
    r.put("k", b"third version data").await?;
    r.put("k", b"fourth version data").await?;
    assert_eq!(r.blob_count().await?, 1);
    Ok(())
}

#[tokio::test]
async fn a_dropped_pause_still_deletes() -> TestResult {
    let r = rig(VersioningState::Disabled).await?;
    r.put("k", b"first version data").await?;
    let pause = r.store.pause_reclamation();
    r.put("k", b"second version data").await?;
    drop(pause);
    for _ in 0..100 {
        if r.blob_count().await? == 1 {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    Err("the dropped pause did not delete the freed blob".into())
}

/// A store over SQLite metadata and a blob directory, with bucket `b`.
async fn sqlite_store(dir: &std::path::Path) -> TestResult<(Store, Arc<LocalFs>)> {
    let meta = Arc::new(SqliteMeta::open(dir.join("meta.sqlite"))?);
    meta.create_bucket(bucket_record(VersioningState::Disabled))
        .await?;
    let blobs = Arc::new(LocalFs::open(dir.join("blobs"))?);
    Ok((Store::new(meta, blobs.clone(), 8), blobs))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backup_under_overwrites_restores_every_object() -> TestResult {
    let live = tempfile::tempdir()?;
    let (store, _) = sqlite_store(live.path()).await?;
    for i in 0..40 {
        let data = format!("object {i} generation 0 ..........");
        store
            .put_object(spec(&format!("k{i:02}")), body(&[data.as_bytes()]), 1)
            .await?;
    }
    let load = {
        let store = store.clone();
        tokio::spawn(async move {
            for g in 1..=5 {
                for i in 0..40 {
                    let data = format!("object {i} generation {g} ..........");
                    let put = store
                        .put_object(spec(&format!("k{i:02}")), body(&[data.as_bytes()]), 1)
                        .await;
                    if put.is_err() {
                        return put.map(|_| ());
                    }
                }
            }
            Ok(())
        })
    };
    let target = tempfile::tempdir()?;
    let backup = store.backup_into(target.path()).await?;
    load.await??;
    assert_eq!(backup.meta.objects, 40);
    assert_eq!(backup.blobs.len(), backup.meta.blobs.len());
    assert!(backup.blobs.iter().all(|f| f.linked), "same file system");

    // Open the backup as a store: every object reads back as one of its generations.
    let copy_meta = Arc::new(SqliteMeta::open(target.path().join(META_FILE))?);
    let copy_blobs = Arc::new(LocalFs::open(target.path().join("blobs"))?);
    let copy = Store::new(copy_meta, copy_blobs.clone(), 8);
    for i in 0..40 {
        let rec = copy.resolve("b", &format!("k{i:02}"), None).await?;
        let text = String::from_utf8(read_record(&copy, &rec.data).await?)?;
        assert!(
            text.starts_with(&format!("object {i} generation ")),
            "{text}"
        );
    }
    assert_eq!(copy_blobs.list().await?.len(), backup.blobs.len());
    // The live store reclaimed what the load replaced once the backup ended.
    Ok(())
}

#[tokio::test]
async fn memory_metadata_cannot_be_backed_up() -> TestResult {
    let r = rig(VersioningState::Disabled).await?;
    let target = tempfile::tempdir()?;
    let err = r.store.backup_into(target.path()).await.err();
    assert!(
        matches!(err, Some(StoreError::BackupNotSupported)),
        "{err:?}"
    );
    Ok(())
}
