//! The object store at its API: write/read semantics, append, copy, symlinks, deletes, and crash
//! safety (data that never reached a metadata commit is invisible and swept).

use std::sync::Arc;

use bytes::Bytes;
use futures_util::{StreamExt, stream};
use ossd_blob::{BlobStore, LocalFs};
use ossd_meta::{BucketRecord, DataRef, EtagCondition, MemoryMeta, MetaStore};
use ossd_store::{BodyStream, Store, StoreError, WriteSpec};
use ossd_types::{BucketAcl, ObjectAcl, StorageClass, VersioningState};

type TestResult = Result<(), Box<dyn std::error::Error>>;

struct Rig {
    _dir: tempfile::TempDir,
    blobs: Arc<LocalFs>,
    meta: Arc<MemoryMeta>,
    store: Store,
}

async fn rig(inline: usize) -> Result<Rig, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let blobs = Arc::new(LocalFs::open(dir.path().join("blobs"))?);
    let meta = Arc::new(MemoryMeta::new());
    meta.create_bucket(BucketRecord {
        name: "b".into(),
        owner: "1".into(),
        created_ms: 0,
        acl: BucketAcl::Private,
        storage_class: StorageClass::Standard,
        region: "cn-hangzhou".into(),
        versioning: VersioningState::Disabled,
    })
    .await?;
    let store = Store::new(meta.clone(), blobs.clone(), inline);
    Ok(Rig {
        _dir: dir,
        blobs,
        meta,
        store,
    })
}

fn spec(key: &str) -> WriteSpec {
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

fn body(chunks: &[&[u8]]) -> BodyStream {
    let owned: Vec<Result<Bytes, std::io::Error>> = chunks
        .iter()
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    Box::pin(stream::iter(owned))
}

async fn read_all(store: &Store, key: &str) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let rec = store.resolve("b", key, None).await?.data;
    let mut s = store.read(&rec, 0, rec.size).await?;
    let mut out = Vec::new();
    while let Some(c) = s.next().await {
        out.extend_from_slice(&c?);
    }
    Ok(out)
}

#[tokio::test]
async fn put_get_inline_and_blob() -> TestResult {
    let r = rig(8).await?;
    let small = r
        .store
        .put_object(spec("s"), body(&[b"hello"]), 1000)
        .await?;
    assert!(matches!(small.data, DataRef::Inline(_)));
    assert_eq!(small.etag, "5D41402ABC4B2A76B9719D911017C592");
    let big = r
        .store
        .put_object(spec("l"), body(&[b"hello ", b"world"]), 1000)
        .await?;
    assert!(matches!(big.data, DataRef::Parts(_)));
    assert_eq!(big.crc64, 5981764153023615706);
    assert_eq!(read_all(&r.store, "l").await?, b"hello world");
    assert_eq!(read_all(&r.store, "s").await?, b"hello");
    let rec = r.store.head_object("b", "l", None).await?;
    let mut part = r.store.read(&rec, 6, 11).await?;
    assert_eq!(
        part.next().await.transpose()?.as_deref(),
        Some(&b"world"[..])
    );
    Ok(())
}

#[tokio::test]
async fn overwrite_reclaims_old_data() -> TestResult {
    let r = rig(0).await?;
    r.store.put_object(spec("k"), body(&[b"one"]), 1).await?;
    r.store.put_object(spec("k"), body(&[b"two"]), 2).await?;
    assert_eq!(
        r.blobs.list().await?.len(),
        1,
        "the first version's file is gone"
    );
    assert_eq!(read_all(&r.store, "k").await?, b"two");
    Ok(())
}

#[tokio::test]
async fn failed_body_and_bad_digest_store_nothing() -> TestResult {
    let r = rig(0).await?;
    let broken: BodyStream = Box::pin(stream::iter(vec![
        Ok(Bytes::from_static(b"abc")),
        Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset)),
    ]));
    let err = r.store.put_object(spec("k"), broken, 1).await;
    let cause = err
        .as_ref()
        .err()
        .and_then(std::error::Error::source)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind);
    assert!(
        matches!(err, Err(StoreError::Body(_)))
            && cause == Some(std::io::ErrorKind::ConnectionReset),
        "{err:?}"
    );
    let mut s = spec("k");
    s.content_md5 = Some([0; 16]);
    assert!(matches!(
        r.store.put_object(s, body(&[b"abc"]), 1).await,
        Err(StoreError::InvalidDigest)
    ));
    let mut short = spec("k");
    short.content_length = Some(10);
    assert!(matches!(
        r.store.put_object(short, body(&[b"abc"]), 1).await,
        Err(StoreError::IncompleteBody)
    ));
    assert!(matches!(
        r.store.head_object("b", "k", None).await,
        Err(StoreError::NoSuchKey)
    ));
    assert!(r.blobs.list().await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn forbid_overwrite() -> TestResult {
    let r = rig(0).await?;
    r.store.put_object(spec("k"), body(&[b"1"]), 1).await?;
    let mut s = spec("k");
    s.forbid_overwrite = true;
    assert!(matches!(
        r.store.put_object(s, body(&[b"2"]), 2).await,
        Err(StoreError::FileAlreadyExists)
    ));
    assert_eq!(read_all(&r.store, "k").await?, b"1");
    assert_eq!(
        r.blobs.list().await?.len(),
        1,
        "the refused write left no file"
    );
    Ok(())
}

/// S3's conditional writes: which error a failed ETag condition is, and that a refused write
/// stores nothing; `forbid_overwrite` with an ETag condition joins it as `If-None-Match: *`.
#[tokio::test]
async fn etag_conditions() -> TestResult {
    let r = rig(0).await?;
    let cond = |m: Option<&str>, n: Option<&str>, forbid: bool| {
        let mut s = spec("k");
        s.etag_condition = EtagCondition {
            if_match: m.map(str::to_owned),
            if_none_match: n.map(str::to_owned),
        };
        s.forbid_overwrite = forbid;
        s
    };
    let refused = r
        .store
        .put_object(cond(Some("*"), None, false), body(&[b"0"]), 1);
    assert!(matches!(refused.await, Err(StoreError::NoSuchKey)));
    let first = r.store.put_object(spec("k"), body(&[b"1"]), 1).await?;
    let quoted = format!("\"{}\"", first.etag.to_lowercase());
    let put = |s| r.store.put_object(s, body(&[b"2"]), 2);
    assert!(matches!(
        put(cond(Some("\"x\""), None, false)).await,
        Err(StoreError::PreconditionFailed("If-Match"))
    ));
    assert!(matches!(
        put(cond(None, Some(&quoted), false)).await,
        Err(StoreError::PreconditionFailed("If-None-Match"))
    ));
    assert!(matches!(
        put(cond(Some(&quoted), None, true)).await,
        Err(StoreError::PreconditionFailed("If-None-Match"))
    ));
    assert_eq!(read_all(&r.store, "k").await?, b"1");
    assert_eq!(
        r.blobs.list().await?.len(),
        1,
        "refused writes left no file"
    );
    put(cond(Some(&quoted), Some("\"x\""), false)).await?;
    assert_eq!(read_all(&r.store, "k").await?, b"2");
    Ok(())
}

#[tokio::test]
async fn append_positions_and_crc() -> TestResult {
    let r = rig(4096).await?;
    let a = r
        .store
        .append_object(spec("a"), 0, body(&[b"abc"]), 1)
        .await?;
    assert_eq!(a.crc64, 3231342946509354535);
    assert!(matches!(
        r.store.append_object(spec("a"), 1, body(&[b"x"]), 2).await,
        Err(StoreError::PositionNotEqualToLength(3))
    ));
    let b = r
        .store
        .append_object(spec("a"), 3, body(&[b"def"]), 3)
        .await?;
    assert_eq!((b.size, b.crc64), (6, 15028124401329963252));
    assert_eq!(read_all(&r.store, "a").await?, b"abcdef");
    r.store.put_object(spec("n"), body(&[b"x"]), 1).await?;
    assert!(matches!(
        r.store.append_object(spec("n"), 1, body(&[b"y"]), 2).await,
        Err(StoreError::ObjectNotAppendable)
    ));
    Ok(())
}

#[tokio::test]
async fn copy_and_symlink() -> TestResult {
    let r = rig(0).await?;
    let src = r
        .store
        .put_object(spec("src"), body(&[b"payload"]), 1)
        .await?;
    let copy = r.store.copy_object(&src, spec("dst"), 2).await?;
    assert_eq!(
        (copy.etag.as_str(), copy.crc64),
        (src.etag.as_str(), src.crc64)
    );
    r.store.put_symlink(spec("link"), "dst".into(), 3).await?;
    assert_eq!(read_all(&r.store, "link").await?, b"payload");
    r.store.delete_object("b", "dst", None, 4).await?;
    assert!(matches!(
        r.store.resolve("b", "link", None).await,
        Err(StoreError::SymlinkTargetNotExist)
    ));
    Ok(())
}

#[tokio::test]
async fn a_symlink_is_served_with_its_targets_etag_and_the_later_time() -> TestResult {
    use ossd_store::{ConditionFailure, Conditions, check_body_conditions};
    let r = rig(0).await?;
    let target = r
        .store
        .put_object(spec("t"), body(&[b"hello"]), 1_000)
        .await?;
    let link = r.store.put_symlink(spec("l"), "t".into(), 5_000).await?;
    assert_ne!(link.etag, target.etag);
    let served = r.store.resolve("b", "l", None).await?;
    assert!(served.is_symlink());
    assert_eq!(served.etag(), target.etag);
    assert_eq!(served.last_modified_ms(), 5_000);
    // the target rewritten later: its time wins
    let newer = r
        .store
        .put_object(spec("t"), body(&[b"hello"]), 9_000)
        .await?;
    let served = r.store.resolve_meta("b", "l", None).await?;
    assert_eq!(served.last_modified_ms(), newer.last_modified_ms);
    // conditions compare against what is served, not the link's own ETag
    let matching = Conditions {
        if_match: Some(target.etag.clone()),
        ..Default::default()
    };
    assert!(check_body_conditions(&served, &matching).is_ok());
    let by_link = Conditions {
        if_match: Some(link.etag.clone()),
        ..Default::default()
    };
    assert!(matches!(
        check_body_conditions(&served, &by_link),
        Err(ConditionFailure::PreconditionFailed(_))
    ));
    // an ordinary object is served as itself
    let plain = r.store.resolve("b", "t", None).await?;
    assert!(!plain.is_symlink());
    assert_eq!(plain.etag(), newer.etag);
    Ok(())
}

#[tokio::test]
async fn crash_before_commit_leaves_only_orphans_that_the_sweep_removes() -> TestResult {
    let r = rig(0).await?;
    r.store
        .put_object(spec("kept"), body(&[b"committed"]), 1)
        .await?;
    // A write that reached the data store but crashed before its metadata commit.
    let mut w = r.blobs.writer(0);
    w.write(Bytes::from_static(b"orphan")).await?;
    w.finish().await?;
    // And one still in progress when the process died (its temp file is left behind).
    let mut pending = r.blobs.writer(0);
    pending.write(Bytes::from_static(b"partial")).await?;
    std::mem::forget(pending);
    assert_eq!(r.blobs.list().await?.len(), 2);
    let reopened = LocalFs::open(r.blobs.root())?;
    let store = Store::new(r.meta.clone(), Arc::new(reopened), 0);
    assert_eq!(store.sweep_orphans().await?, 1);
    assert_eq!(r.blobs.list().await?.len(), 1);
    assert_eq!(read_all(&store, "kept").await?, b"committed");
    Ok(())
}

#[tokio::test]
async fn the_shared_store_sweep_spares_blobs_younger_than_the_grace() -> TestResult {
    let r = rig(0).await?;
    r.store
        .put_object(spec("kept"), body(&[b"committed"]), 1)
        .await?;
    // Two blobs with no record: one just finished by another node, about to commit its record;
    // one left by a node that died an hour ago.
    let mut ids = Vec::new();
    for data in [&b"fresh"[..], b"stale"] {
        let mut w = r.blobs.writer(0);
        w.write(Bytes::copy_from_slice(data)).await?;
        match w.finish().await?.data {
            ossd_blob::Written::Blob(id) => ids.push(id),
            ossd_blob::Written::Inline(_) => return Err("expected a blob".into()),
        }
    }
    let grace = std::time::Duration::from_secs(3600);
    let stale = r.blobs.local_file(&ids[1]).ok_or("a local file")?.path;
    #[allow(clippy::disallowed_methods)] // file times are the system clock's
    let then = std::time::SystemTime::now() - grace * 2;
    std::fs::File::options()
        .write(true)
        .open(&stale)?
        .set_modified(then)?;
    assert_eq!(r.store.sweep_orphans_older_than(grace).await?, 1);
    let mut left = r.blobs.list().await?;
    left.sort();
    assert!(left.contains(&ids[0]) && !left.contains(&ids[1]));
    assert_eq!(
        left.len(),
        2,
        "the committed object's blob and the fresh one"
    );
    assert_eq!(read_all(&r.store, "kept").await?, b"committed");
    Ok(())
}

#[tokio::test]
async fn concurrent_writers_to_one_key_never_mix() -> TestResult {
    let r = rig(0).await?;
    let mut tasks = Vec::new();
    for i in 0..20u8 {
        let store = r.store.clone();
        tasks.push(tokio::spawn(async move {
            let chunk = vec![i; 64 * 1024];
            store
                .put_object(spec("k"), body(&[&chunk, &chunk]), i64::from(i))
                .await
        }));
    }
    for t in tasks {
        t.await??;
    }
    let data = read_all(&r.store, "k").await?;
    assert_eq!(data.len(), 128 * 1024);
    assert!(
        data.iter().all(|b| *b == data[0]),
        "one writer's bytes only"
    );
    assert_eq!(
        r.blobs.list().await?.len(),
        1,
        "all replaced files reclaimed"
    );
    Ok(())
}
