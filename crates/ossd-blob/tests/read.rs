//! Ranged reads, reads racing deletes, and id validation on `LocalFs`.
#![allow(clippy::unwrap_used)]

mod common;

use common::{body, read_all, store, write};
use futures_util::{Stream, StreamExt};
use ossd_blob::{BlobError, BlobStore, LocalFs, READ_CHUNK, Written};
use tempfile::TempDir;

/// A store holding one blob of `n` bytes; returns its id and contents.
async fn one_blob(n: usize) -> (TempDir, LocalFs, String, Vec<u8>) {
    let (dir, store) = store();
    let data = body(n, 9);
    let Written::Blob(id) = write(&store, 0, &data, 64 * 1024).await.data else {
        unreachable!()
    };
    (dir, store, id, data)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranges_return_exact_bytes() {
    let (_dir, store, id, data) = one_blob(1024 * 1024 + 17).await;
    let n = data.len();
    let ranges = [
        (0, n),
        (0, 10),
        (0, READ_CHUNK),
        (0, READ_CHUNK + 1),
        (300_000, 500_000),
        (n - 10, 10),
        (n - 1, 1),
    ];
    for (offset, len) in ranges {
        let reader = store.open(&id, offset as u64, len as u64).await.unwrap();
        let got = read_all(reader, READ_CHUNK).await;
        assert!(got == data[offset..offset + len], "range {offset}+{len}");
    }
}

#[tokio::test]
async fn zero_length_ranges_yield_no_chunks() {
    let (_dir, store, id, data) = one_blob(1000).await;
    for offset in [0, 500, data.len() as u64] {
        let mut reader = store.open(&id, offset, 0).await.unwrap();
        assert!(reader.next().await.is_none(), "offset {offset}");
    }
}

#[tokio::test]
async fn ranges_past_the_end_are_rejected() {
    let (_dir, store, id, data) = one_blob(1000).await;
    let n = data.len() as u64;
    for (offset, len) in [(n - 5, 10), (n + 1, 0), (0, n + 1), (u64::MAX, 2)] {
        let err = store.open(&id, offset, len).await.unwrap_err();
        assert!(
            matches!(err, BlobError::OutOfRange { size: 1000, .. }),
            "{offset}+{len}: {err}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_reader_survives_delete() {
    let (_dir, store, id, data) = one_blob(700 * 1024).await;
    let reader = store.open(&id, 0, data.len() as u64).await.unwrap();
    store.delete(std::slice::from_ref(&id)).await.unwrap();
    assert!(read_all(reader, READ_CHUNK).await == data);
    let err = store.open(&id, 0, 0).await.unwrap_err();
    assert!(
        matches!(err, BlobError::NotFound(ref missing) if *missing == id),
        "{err}"
    );
    assert!(store.list().await.unwrap().is_empty());
}

#[tokio::test]
async fn missing_blob_is_not_found_and_deleting_it_is_fine() {
    let (_dir, store) = store();
    let id = "0123456789abcdef0123456789abcdef".to_owned();
    assert!(matches!(
        store.open(&id, 0, 0).await,
        Err(BlobError::NotFound(_))
    ));
    store.delete(&[id]).await.unwrap();
}

#[tokio::test]
async fn invalid_ids_are_rejected_without_touching_files() {
    let (dir, store, id, _) = one_blob(10).await;
    std::fs::write(dir.path().join("secret"), b"secret").unwrap();
    let traversal = [
        "../secret",
        "../../secret",
        "/etc/passwd",
        "",
        "0123456789ABCDEF0123456789abcdef",
    ];
    for bad in traversal
        .iter()
        .chain([&id[..31], "..", "ab/../../secret"].iter())
    {
        let err = store.open(bad, 0, 0).await.unwrap_err();
        assert!(matches!(err, BlobError::InvalidId(_)), "{bad:?}: {err}");
    }
    let batch = vec![id.clone(), "../secret".to_owned()];
    assert!(matches!(
        store.delete(&batch).await,
        Err(BlobError::InvalidId(_))
    ));
    assert_eq!(
        store.list().await.unwrap(),
        vec![id],
        "a batch with a bad id deletes nothing"
    );
    assert!(dir.path().join("secret").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_truncated_under_a_reader_is_an_error_not_a_short_body() {
    let (dir, store, id, data) = one_blob(600 * 1024).await;
    let reader = store.open(&id, 0, data.len() as u64).await.unwrap();
    let path = dir
        .path()
        .join("objects")
        .join(&id[0..2])
        .join(&id[2..4])
        .join(&id);
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(1000)
        .unwrap();
    let results: Vec<_> = reader.collect().await;
    let err = results
        .iter()
        .find_map(|r| r.as_ref().err())
        .expect("an error");
    assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_reader_mid_stream_is_fine() {
    let (_dir, store, id, data) = one_blob(1024 * 1024).await;
    let mut reader = store.open(&id, 0, data.len() as u64).await.unwrap();
    let first = reader.next().await.unwrap().unwrap();
    assert_eq!(first.len(), READ_CHUNK);
    assert_eq!(reader.size_hint(), (3, Some(3)));
    drop(reader);
    store.delete(&[id]).await.unwrap();
}
