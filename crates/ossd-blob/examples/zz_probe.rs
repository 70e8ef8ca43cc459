#![allow(missing_docs, clippy::unwrap_used)]
use bytes::Bytes;
use ossd_blob::{BlobStore, LocalFs};
use std::time::Instant;
#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir_in("/work/main/target").unwrap();
    let store = LocalFs::open(dir.path()).unwrap();
    let data = Bytes::from(vec![7u8; 256 << 20]);
    for _ in 0..5 {
        let t = Instant::now();
        let mut w = store.writer(0);
        let mut wait = std::time::Duration::ZERO;
        for s in (0..data.len()).step_by(65536) {
            let t1 = Instant::now();
            w.write(data.slice(s..s + 65536)).await.unwrap();
            wait += t1.elapsed();
        }
        let t2 = Instant::now();
        let r = w.finish().await.unwrap();
        println!(
            "total {:?} write-waits {:?} finish {:?}",
            t.elapsed(),
            wait,
            t2.elapsed()
        );
        if let ossd_blob::Written::Blob(id) = r.data {
            store.delete(&[id]).await.unwrap();
        }
    }
}
