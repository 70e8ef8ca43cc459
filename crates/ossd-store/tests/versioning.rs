//! Versioning at the store API: overwrites keep old versions readable, delete markers (latest vs
//! named), the `null` version, and appends in versioned buckets.

mod common;

use common::{TestResult, body, rig, spec};
use ossd_meta::NULL_VERSION;
use ossd_store::StoreError;
use ossd_types::VersioningState;

#[tokio::test]
async fn overwrites_keep_old_versions_readable() -> TestResult {
    let r = rig(VersioningState::Enabled).await?;
    let v1 = r.put("k", b"version one, long").await?;
    let v2 = r.put("k", b"version two, longer").await?;
    assert_ne!(v1.version_id, v2.version_id);
    assert_ne!(v1.version_id, NULL_VERSION);
    assert_eq!(r.read("k", None).await?, b"version two, longer");
    assert_eq!(
        r.read("k", Some(&v1.version_id)).await?,
        b"version one, long"
    );
    assert_eq!(
        r.blob_count().await?,
        2,
        "nothing reclaimed while versions remain"
    );
    let gone = r
        .store
        .head_object("b", "k", Some("0123456789abcdef0123456789abcdef"))
        .await;
    assert!(matches!(gone, Err(StoreError::NoSuchVersion)));
    Ok(())
}

#[tokio::test]
async fn delete_markers() -> TestResult {
    let r = rig(VersioningState::Enabled).await?;
    let s = &r.store;
    let v1 = r.put("k", b"the only version").await?;
    let out = s.delete_object("b", "k", None, 2000).await?;
    let marker = out.marker_created.ok_or("a marker is created")?;
    match s.head_object("b", "k", None).await {
        Err(StoreError::CurrentIsDeleteMarker(id)) => assert_eq!(id, marker),
        other => return Err(format!("expected a delete marker, got {other:?}").into()),
    }
    match s.resolve("b", "k", Some(&marker)).await {
        Err(StoreError::VersionIsDeleteMarker(id)) => assert_eq!(id, marker),
        other => return Err(format!("expected 405, got {other:?}").into()),
    }
    assert_eq!(
        r.read("k", Some(&v1.version_id)).await?,
        b"the only version"
    );
    // Removing the marker makes the previous version current again.
    let out = s.delete_object("b", "k", Some(&marker), 3000).await?;
    assert!(out.removed.iter().any(|m| m.delete_marker));
    assert_eq!(r.read("k", None).await?, b"the only version");
    // Removing a version permanently reclaims its data.
    s.delete_object("b", "k", Some(&v1.version_id), 4000)
        .await?;
    assert!(matches!(
        s.head_object("b", "k", None).await,
        Err(StoreError::NoSuchKey)
    ));
    assert_eq!(r.blob_count().await?, 0);
    Ok(())
}

#[tokio::test]
async fn suspended_writes_the_null_version() -> TestResult {
    let r = rig(VersioningState::Enabled).await?;
    let v1 = r.put("k", b"kept while suspended").await?;
    r.set_versioning(VersioningState::Suspended).await?;
    let n1 = r.put("k", b"null version one").await?;
    assert_eq!(n1.version_id, NULL_VERSION);
    r.put("k", b"null version two").await?;
    assert_eq!(r.read("k", Some(NULL_VERSION)).await?, b"null version two");
    assert_eq!(
        r.read("k", Some(&v1.version_id)).await?,
        b"kept while suspended"
    );
    assert_eq!(
        r.blob_count().await?,
        2,
        "the first null version is reclaimed"
    );
    Ok(())
}

#[tokio::test]
async fn append_in_enabled_bucket_is_in_place() -> TestResult {
    let r = rig(VersioningState::Enabled).await?;
    let s = &r.store;
    let old = r.put("log", b"an earlier plain version").await?;
    s.delete_object("b", "log", None, 1500).await?;
    let a1 = s
        .append_object(spec("log"), 0, body(&[b"abc"]), 2000)
        .await?;
    assert_ne!(a1.version_id, NULL_VERSION);
    assert_eq!(a1.crc64, 3_231_342_946_509_354_535);
    let a2 = s
        .append_object(spec("log"), 3, body(&[b"def"]), 3000)
        .await?;
    assert_eq!(
        a2.version_id, a1.version_id,
        "same version, modified in place"
    );
    assert_eq!(a2.crc64, 15_028_124_401_329_963_252);
    assert_eq!(r.read("log", Some(&a1.version_id)).await?, b"abcdef");
    assert_eq!(
        r.read("log", Some(&old.version_id)).await?,
        b"an earlier plain version"
    );
    Ok(())
}

#[tokio::test]
async fn append_after_suspending_shares_blobs_safely() -> TestResult {
    let r = rig(VersioningState::Enabled).await?;
    let s = &r.store;
    let a1 = s
        .append_object(spec("log"), 0, body(&[b"abc"]), 2000)
        .await?;
    r.set_versioning(VersioningState::Suspended).await?;
    let a2 = s
        .append_object(spec("log"), 3, body(&[b"def"]), 3000)
        .await?;
    assert_eq!(a2.version_id, NULL_VERSION);
    assert_eq!(r.read("log", None).await?, b"abcdef");
    // Deleting the null version must keep the blob the older version shares with it.
    s.delete_object("b", "log", Some(NULL_VERSION), 4000)
        .await?;
    assert_eq!(r.read("log", Some(&a1.version_id)).await?, b"abc");
    assert_eq!(r.blob_count().await?, 1);
    Ok(())
}
