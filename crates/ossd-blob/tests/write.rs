//! Writes through `LocalFs`: inline vs blob, the threshold boundary, large bodies, cleanup of
//! abandoned writes, and many writers at once.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::sync::Arc;

use bytes::Bytes;
use common::{assert_sums, body, eventually, read_all, store, tmp_entries, write};
use ossd_blob::{BlobStore, READ_CHUNK, Written};

/// Reads a blob back whole and checks it equals `data`.
async fn assert_blob(store: &dyn BlobStore, id: &str, data: &[u8]) {
    let reader = store.open(id, 0, data.len() as u64).await.unwrap();
    assert!(
        read_all(reader, READ_CHUNK).await == data,
        "blob {id} differs"
    );
}

#[tokio::test]
async fn small_body_stays_inline() {
    let (dir, store) = store();
    let written = write(&store, 4096, b"hello world", 3).await;
    assert_eq!(written.data, Written::Inline(b"hello world".to_vec()));
    assert_sums(&written, b"hello world");
    assert_eq!(
        hex::encode_upper(written.md5),
        "5EB63BBBE01EEED093CB22BB8F5ACDC3"
    );
    assert_eq!(written.crc64, 5981764153023615706);
    assert!(store.list().await.unwrap().is_empty());
    assert_eq!(tmp_entries(dir.path()), 0);
}

#[tokio::test]
async fn empty_body_is_inline_with_zero_crc() {
    let (_dir, store) = store();
    for threshold in [0, 4096] {
        let written = store.writer(threshold).finish().await.unwrap();
        assert_eq!(written.data, Written::Inline(Vec::new()));
        assert_sums(&written, b"");
        assert_eq!(written.crc64, 0);
    }
}

#[tokio::test]
async fn threshold_boundary() {
    let (_dir, store) = store();
    let t = 1000;
    let at = body(t, 1);
    let over = body(t + 1, 2);
    for chunk in [1, 300, t, t + 1] {
        let written = write(&store, t, &at, chunk).await;
        assert_eq!(
            written.data,
            Written::Inline(at.clone()),
            "chunks of {chunk}"
        );
        assert_sums(&written, &at);
        let written = write(&store, t, &over, chunk).await;
        let Written::Blob(id) = &written.data else {
            panic!("{} bytes stayed inline", t + 1)
        };
        assert_sums(&written, &over);
        assert_blob(&store, id, &over).await;
    }
    let written = write(&store, 0, b"x", 1).await;
    assert!(matches!(written.data, Written::Blob(_)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_mib_bodies_round_trip() {
    let (dir, store) = store();
    let data = body(5 * 1024 * 1024 + 123, 3);
    for chunk in [1000, 64 * 1024, 300 * 1024, 2 * 1024 * 1024] {
        let written = write(&store, 4096, &data, chunk).await;
        assert_sums(&written, &data);
        let Written::Blob(id) = &written.data else {
            panic!("large body inline")
        };
        let file = dir
            .path()
            .join("objects")
            .join(&id[0..2])
            .join(&id[2..4])
            .join(id);
        assert_eq!(std::fs::metadata(&file).unwrap().len(), data.len() as u64);
        assert_blob(&store, id, &data).await;
    }
    assert_eq!(store.list().await.unwrap().len(), 4);
    assert_eq!(tmp_entries(dir.path()), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_writer_leaves_nothing() {
    let (dir, store) = store();
    let mut writer = store.writer(4096);
    for chunk in body(1 << 20, 4).chunks(64 * 1024) {
        writer.write(Bytes::copy_from_slice(chunk)).await.unwrap();
    }
    assert_eq!(
        tmp_entries(dir.path()),
        1,
        "the body should be streaming to a temp file"
    );
    drop(writer);
    eventually(|| tmp_entries(dir.path()) == 0).await;
    assert!(store.list().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aborted_writer_leaves_nothing() {
    let (dir, store) = store();
    let mut writer = store.writer(0);
    for chunk in body(1 << 20, 5).chunks(100 * 1024) {
        writer.write(Bytes::copy_from_slice(chunk)).await.unwrap();
    }
    writer.abort().await;
    assert_eq!(tmp_entries(dir.path()), 0);
    assert!(store.list().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_writers() {
    let (dir, store) = store();
    let store = Arc::new(store);
    let sizes = [0, 100, 4096, 5000, 300 * 1024, 1536 * 1024];
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let data = body(sizes[i % sizes.len()], i as u64);
                (write(store.as_ref(), 4096, &data, 16 * 1024).await, data)
            })
        })
        .collect();
    let mut ids = HashSet::new();
    for task in tasks {
        let (written, data) = task.await.unwrap();
        assert_sums(&written, &data);
        if let Written::Blob(id) = written.data {
            assert_blob(store.as_ref(), &id, &data).await;
            assert!(ids.insert(id), "duplicate id");
        }
    }
    assert_eq!(
        ids.len(),
        (0..50).filter(|i| sizes[i % sizes.len()] > 4096).count()
    );
    assert_eq!(
        store
            .list()
            .await
            .unwrap()
            .into_iter()
            .collect::<HashSet<_>>(),
        ids
    );
    assert_eq!(tmp_entries(dir.path()), 0);
}
