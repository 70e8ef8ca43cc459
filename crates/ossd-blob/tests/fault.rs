//! `FaultyStore`: each injected failure fires once, at the chosen operation, and leaves no files.
#![allow(clippy::unwrap_used)]

mod common;

use bytes::Bytes;
use common::{body, eventually, store, tmp_entries, write};
use futures_util::StreamExt;
use ossd_blob::{BlobError, BlobStore, FaultyStore, Written};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nth_write_fails_once_and_breaks_that_writer() {
    let (dir, inner) = store();
    let store = FaultyStore::new(inner);
    store.fail_nth_write(3);
    let mut writer = store.writer(0);
    let chunk = Bytes::from(body(200 * 1024, 1));
    writer.write(chunk.clone()).await.unwrap();
    writer.write(chunk.clone()).await.unwrap();
    assert!(matches!(
        writer.write(chunk.clone()).await,
        Err(BlobError::Injected("write"))
    ));
    assert!(matches!(
        writer.write(chunk.clone()).await,
        Err(BlobError::WriterClosed)
    ));
    drop(writer);
    eventually(|| tmp_entries(dir.path()) == 0).await;
    let written = write(&store, 0, &chunk, 4096).await;
    assert_eq!(store.list().await.unwrap(), vec![blob_id(&written.data)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nth_finish_fails_and_discards_the_data() {
    let (dir, inner) = store();
    let store = FaultyStore::new(inner);
    store.fail_nth_finish(1);
    let mut writer = store.writer(0);
    writer
        .write(Bytes::from(body(600 * 1024, 2)))
        .await
        .unwrap();
    assert!(matches!(
        writer.finish().await,
        Err(BlobError::Injected("finish"))
    ));
    assert_eq!(tmp_entries(dir.path()), 0);
    assert!(store.list().await.unwrap().is_empty());
}

#[tokio::test]
async fn nth_open_and_nth_chunk_fail_once() {
    let (_dir, inner) = store();
    let store = FaultyStore::new(inner);
    let data = body(600 * 1024, 3);
    let id = blob_id(&write(&store, 0, &data, 64 * 1024).await.data);
    store.fail_nth_open(1);
    assert!(matches!(
        store.open(&id, 0, 1).await,
        Err(BlobError::Injected("open"))
    ));
    store.fail_nth_read_chunk(2);
    let chunks: Vec<_> = store
        .open(&id, 0, data.len() as u64)
        .await
        .unwrap()
        .collect()
        .await;
    let failed: Vec<bool> = chunks.iter().map(Result::is_err).collect();
    assert_eq!(failed, [false, true, false]);
    assert_eq!(store.inner().list().await.unwrap(), vec![id]);
}

fn blob_id(data: &Written) -> String {
    match data {
        Written::Blob(id) => id.clone(),
        Written::Inline(_) => panic!("expected a blob"),
    }
}
