//! The decoded request body: captured aws-chunked bodies in the frames clients send them in,
//! checksum and SHA-256 checks, and that a refused body leaves nothing in the store
//! (docs/protocol/s3-chunked.md#request-checksums).

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, Full, StreamBody};
use ossd_blob::MemoryBlobs;
use ossd_meta::{BucketRecord, MemoryMeta};
use ossd_sig::checksum::{Checksum, ChecksumAlgorithm};
use ossd_sig::chunked::{ChunkError, ChunkedMode};
use ossd_store::{PartUpload, Store, StoreError, WriteSpec};
use ossd_types::{BucketAcl, ObjectAcl, StorageClass, VersioningState};

use super::*;
use crate::transport::body::{RequestBody, request_stream};

/// The SDK v3 body of `hello stream`: each aws-chunked line came in its own HTTP chunk.
const SDK_V3_FRAMES: [&[u8]; 6] = [
    b"c\r\n",
    b"hello stream\r\n",
    b"0\r\n",
    b"x-amz-checksum-crc32:gtnkmQ==\r\n",
    b"\r\n",
    b"",
];

/// The boto3 body of `hello world`, one HTTP chunk.
const BOTO3: &[u8] = b"b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";

/// A source body of frames given in advance.
type Frames = StreamBody<
    futures_util::stream::Iter<std::vec::IntoIter<Result<Frame<Bytes>, std::io::Error>>>,
>;

/// A source body yielding `frames` one by one.
fn frames(frames: &[&'static [u8]]) -> Frames {
    let items: Vec<Result<Frame<Bytes>, std::io::Error>> = frames
        .iter()
        .map(|f| Ok(Frame::data(Bytes::from_static(f))))
        .collect();
    StreamBody::new(futures_util::stream::iter(items))
}

fn unsigned_crc32(
    source: impl HttpBody<Data = Bytes, Error = std::io::Error> + Send + 'static,
    len: Option<u64>,
) -> RequestBody {
    RequestBody::aws_chunked(
        source,
        ChunkedMode::Unsigned,
        Some(ChecksumAlgorithm::Crc32),
        len,
        BodyChecks::default(),
    )
}

/// Everything the body yields: the data read, then the error that ended it, if any.
async fn drain(body: RequestBody) -> (Vec<u8>, Option<BodyError>) {
    let mut stream = request_stream(body);
    let mut data = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(chunk) => data.extend_from_slice(&chunk),
            Err(e) => {
                let inner = e.into_inner().and_then(|b| b.downcast::<BodyError>().ok());
                return (data, inner.map(|b| *b));
            }
        }
    }
    (data, None)
}

fn crc32(value: &str) -> Checksum {
    Checksum::from_base64(ChecksumAlgorithm::Crc32, value).unwrap()
}

#[tokio::test]
async fn sdk_v3_frames_decode() {
    let body = unsigned_crc32(frames(&SDK_V3_FRAMES), None);
    let verified = body.verified_checksum();
    assert!(verified.get().is_none());
    let (data, err) = drain(body).await;
    assert_eq!(data, b"hello stream");
    assert!(err.is_none(), "{err:?}");
    assert_eq!(verified.get(), Some(&crc32("gtnkmQ==")));
}

#[tokio::test]
async fn boto3_body_decodes() {
    let source = Full::new(Bytes::from_static(BOTO3)).map_err(|never| match never {});
    let body = RequestBody::aws_chunked(
        source,
        ChunkedMode::Unsigned,
        Some(ChecksumAlgorithm::Crc32),
        Some(11),
        BodyChecks::default(),
    );
    let verified = body.verified_checksum();
    let (data, err) = drain(body).await;
    assert_eq!(
        (data.as_slice(), err.is_none()),
        (&b"hello world"[..], true)
    );
    assert_eq!(verified.get(), Some(&crc32("DUoRhQ==")));
}

#[tokio::test]
async fn trailer_mismatch_is_the_last_item() {
    let bad: &'static [u8] = b"b\r\nhello World\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
    let body = unsigned_crc32(frames(&[bad]), Some(11));
    let verified = body.verified_checksum();
    let (_, err) = drain(body).await;
    assert!(
        matches!(err, Some(BodyError::Chunk(ChunkError::ChecksumMismatch(_)))),
        "{err:?}"
    );
    assert!(verified.get().is_none());
}

#[tokio::test]
async fn truncated_body_is_incomplete() {
    let body = unsigned_crc32(frames(&SDK_V3_FRAMES[..3]), None);
    let (_, err) = drain(body).await;
    assert!(
        matches!(err, Some(BodyError::Chunk(ChunkError::Incomplete))),
        "{err:?}"
    );
}

#[tokio::test]
async fn transport_error_passes_through() {
    let items: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
        Ok(Frame::data(Bytes::from_static(b"c\r\nhello"))),
        Err(std::io::Error::other("reset")),
    ];
    let body = unsigned_crc32(StreamBody::new(futures_util::stream::iter(items)), None);
    let (data, err) = drain(body).await;
    assert_eq!(data, b"hello");
    assert!(matches!(err, Some(BodyError::Transport(_))), "{err:?}");
}

fn checked(data: &'static [u8], checks: BodyChecks) -> RequestBody {
    RequestBody::Decoded(Box::new(DecodedBody::new(frames(&[data]), None, checks)))
}

#[tokio::test]
async fn header_checksum_and_sha256() {
    let good = BodyChecks {
        checksum: Some(crc32("DUoRhQ==")),
        content_sha256: None,
    };
    let body = checked(b"hello world", good);
    let verified = body.verified_checksum();
    assert_eq!(drain(body).await.1.map(|e| e.to_string()), None);
    assert_eq!(verified.get(), Some(&crc32("DUoRhQ==")));

    let bad = BodyChecks {
        checksum: Some(crc32("DUoRhQ==")),
        content_sha256: None,
    };
    let (data, err) = drain(checked(b"hello World", bad)).await;
    assert_eq!(data, b"hello World");
    let Some(BodyError::Checksum(m)) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (m.expected.as_str(), m.algorithm),
        ("DUoRhQ==", ChecksumAlgorithm::Crc32)
    );

    let sha = |hex: &str| {
        let mut raw = [0u8; 32];
        hex::decode_to_slice(hex, &mut raw).map(|()| raw).ok()
    };
    let hello = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
    let ok = BodyChecks {
        checksum: None,
        content_sha256: sha(hello),
    };
    assert!(drain(checked(b"hello world", ok.clone())).await.1.is_none());
    let (_, err) = drain(checked(b"hello World", ok)).await;
    let Some(BodyError::ContentSha256 { client, computed }) = err else {
        panic!("{err:?}")
    };
    assert_eq!(client, hello);
    assert_ne!(computed, hello);
}

#[test]
fn checks_from_headers() {
    let mut headers = http::HeaderMap::new();
    headers.insert("x-amz-checksum-crc32", "DUoRhQ==".parse().unwrap());
    headers.insert("x-amz-checksum-mode", "ENABLED".parse().unwrap());
    headers.insert(
        "x-amz-content-sha256",
        "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
            .parse()
            .unwrap(),
    );
    let checks = BodyChecks::from_headers(&headers).unwrap();
    assert_eq!(checks.checksum, Some(crc32("DUoRhQ==")));
    assert!(checks.content_sha256.is_some());
    headers.insert(
        "x-amz-content-sha256",
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER".parse().unwrap(),
    );
    headers.remove("x-amz-checksum-crc32");
    assert!(BodyChecks::from_headers(&headers).unwrap().is_empty());
    headers.insert("x-amz-checksum-sha512", "AAAA".parse().unwrap());
    assert!(BodyChecks::from_headers(&headers).is_err());
}

/// A store in memory with bucket `b`; blobs are never inlined, so every write makes a blob.
async fn store() -> (Store, MemoryBlobs) {
    let blobs = MemoryBlobs::new();
    let store = Store::new(Arc::new(MemoryMeta::new()), Arc::new(blobs.clone()), 0);
    let bucket = BucketRecord {
        name: "b".to_owned(),
        owner: "owner".to_owned(),
        created_ms: 0,
        acl: BucketAcl::Private,
        storage_class: StorageClass::Standard,
        region: "cn-hangzhou".to_owned(),
        versioning: VersioningState::Disabled,
    };
    assert!(matches!(store.buckets().create(bucket).await, Ok(true)));
    (store, blobs)
}

fn spec(key: &str) -> WriteSpec {
    WriteSpec {
        bucket: "b".to_owned(),
        key: key.to_owned(),
        headers: Vec::new(),
        user_meta: Vec::new(),
        tags: Vec::new(),
        acl: ObjectAcl::Default,
        storage_class: StorageClass::Standard,
        content_md5: None,
        forbid_overwrite: false,
        etag_condition: Default::default(),
        content_length: None,
        checksum: Default::default(),
    }
}

/// An aws-chunked PutObject stores the decoded bytes; one whose trailer checksum (checked only
/// after the last data byte was written) mismatches stores nothing and leaves no blob.
#[tokio::test]
async fn put_object_commits_only_verified_bodies() {
    let (store, blobs) = store().await;
    let good = unsigned_crc32(frames(&SDK_V3_FRAMES), None);
    let record = store
        .put_object(spec("good"), request_stream(good), 0)
        .await
        .unwrap();
    assert_eq!(record.size, 12);
    let mut read = store.read(&record, 0, record.size).await.unwrap();
    let mut stored = Vec::new();
    while let Some(chunk) = read.next().await {
        stored.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(stored, b"hello stream");
    assert_eq!(blobs.len(), 1);

    let bad: &'static [u8] = b"c\r\nhello Stream\r\n0\r\nx-amz-checksum-crc32:gtnkmQ==\r\n\r\n";
    let err = store
        .put_object(
            spec("bad"),
            request_stream(unsigned_crc32(frames(&[bad]), None)),
            0,
        )
        .await
        .unwrap_err();
    let StoreError::Body(io) = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(
        BodyError::find(io),
        Some(BodyError::Chunk(ChunkError::ChecksumMismatch(_)))
    ));
    assert!(matches!(
        store.head_object("b", "bad", None).await,
        Err(StoreError::NoSuchKey)
    ));
    assert_eq!(blobs.len(), 1);

    // A plain body checked against its x-amz-checksum-crc32 header, likewise.
    let checks = BodyChecks {
        checksum: Some(crc32("gtnkmQ==")),
        content_sha256: None,
    };
    let plain = checked(b"hello Stream", checks);
    let err = store
        .put_object(spec("plain"), request_stream(plain), 0)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Body(io) if matches!(BodyError::find(io), Some(BodyError::Checksum(_))))
    );
    assert!(store.head_object("b", "plain", None).await.is_err());
    assert_eq!(blobs.len(), 1);
}

/// UploadPart likewise records no part for a refused body.
#[tokio::test]
async fn upload_part_records_only_verified_bodies() {
    let (store, blobs) = store().await;
    let upload = store.initiate_multipart(spec("mp"), 0).await.unwrap();
    let part = |n| PartUpload {
        bucket: "b".to_owned(),
        key: "mp".to_owned(),
        upload_id: upload.upload_id.clone(),
        part_number: n,
        content_md5: None,
        content_length: None,
        checksum: Default::default(),
    };
    let bad: &'static [u8] = b"c\r\nhello Stream\r\n0\r\nx-amz-checksum-crc32:gtnkmQ==\r\n\r\n";
    let err = store
        .upload_part(
            part(1),
            request_stream(unsigned_crc32(frames(&[bad]), None)),
            0,
        )
        .await;
    assert!(matches!(err, Err(StoreError::Body(_))));
    let page = store
        .list_parts("b", "mp", &upload.upload_id, 0, 100)
        .await
        .unwrap();
    assert!(page.parts.is_empty());
    assert_eq!(blobs.len(), 0);

    let good = unsigned_crc32(frames(&SDK_V3_FRAMES), None);
    let recorded = store
        .upload_part(part(1), request_stream(good), 0)
        .await
        .unwrap();
    assert_eq!(recorded.size, 12);
    assert_eq!(blobs.len(), 1);
}

/// One HTTP/1.1 exchange with a server whose handler decodes the request body as the request's
/// `x-amz-content-sha256`, `x-amz-trailer` and `x-amz-decoded-content-length` say, with
/// `Incoming` as its source (the HTTP chunked layer removed by hyper first). The response body
/// is `ok:<decoded>` or `err:<error>`.
async fn exchange(raw_request: &[u8]) -> String {
    use hyper::server::conn::http1;
    use hyper_util::rt::TokioIo;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let service =
            hyper::service::service_fn(|req: http::Request<hyper::body::Incoming>| async move {
                let header = |name: &str| {
                    req.headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                let payload = header("x-amz-content-sha256").unwrap_or_default();
                let mode = match ossd_sig::chunked::StreamingPayload::from_content_sha256(&payload)
                {
                    Some(ossd_sig::chunked::StreamingPayload::Signed) => {
                        ChunkedMode::Signed(ossd_sig::chunked::ChunkSigning::new(
                            vector_signing_key(),
                            "20130524T000000Z",
                            "20130524/us-east-1/s3/aws4_request",
                            SIGNED_SEED,
                        ))
                    }
                    _ => ChunkedMode::Unsigned,
                };
                let trailer = ChecksumAlgorithm::from_trailer_header(
                    &header("x-amz-trailer").unwrap_or_default(),
                )
                .unwrap();
                let decoded = header("x-amz-decoded-content-length").and_then(|v| v.parse().ok());
                let body = RequestBody::aws_chunked(
                    req.into_body(),
                    mode,
                    trailer,
                    decoded,
                    BodyChecks::default(),
                );
                let answer = match drain(body).await {
                    (data, None) => format!("ok:{}", String::from_utf8_lossy(&data)),
                    (_, Some(e)) => format!("err:{e:?}"),
                };
                Ok::<_, std::convert::Infallible>(http::Response::new(
                    crate::transport::body::full(answer),
                ))
            });
        let _ = http1::Builder::new()
            .serve_connection(TokioIo::new(tcp), service)
            .await;
    });
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.write_all(raw_request).await.unwrap();
    let mut response = Vec::new();
    tcp.read_to_end(&mut response).await.unwrap();
    let _ = server.await;
    let response = String::from_utf8_lossy(&response).into_owned();
    response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or(response)
}

/// The AWS SigV4 signing key of the signed test vector (`AWS4` + secret, date, region, `s3`,
/// `aws4_request`).
fn vector_signing_key() -> [u8; 32] {
    use hmac::{Hmac, Mac};
    fn mac(key: &[u8], msg: &[u8]) -> [u8; 32] {
        let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
        m.update(msg);
        m.finalize().into_bytes().into()
    }
    let k = mac(b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", b"20130524");
    let k = mac(&k, b"us-east-1");
    let k = mac(&k, b"s3");
    mac(&k, b"aws4_request")
}

const SIGNED_SEED: &str = "3d4f1b5abdb073ede54b04338771725ec5a2e9b451b44466af2ac314987c7f59";

/// The captured wire bytes: SDK v3 (every aws-chunked line its own HTTP chunk), boto3 (one HTTP
/// chunk of 0x34 bytes), and signed chunks with a Content-Length.
#[tokio::test]
async fn captured_wire_bodies_over_http() {
    let sdk_v3 = b"PUT /b/k HTTP/1.1\r\nhost: x\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\
content-encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n\
x-amz-trailer: x-amz-checksum-crc32\r\n\r\n\
3\r\nc\r\n\r\nc\r\nhello stream\r\n2\r\n\r\n\r\n3\r\n0\r\n\r\n1f\r\nx-amz-checksum-crc32:gtnkmQ==\r\n\r\n2\r\n\r\n\r\n0\r\n\r\n";
    assert_eq!(exchange(sdk_v3).await, "ok:hello stream");

    let boto3 =
        b"PUT /b/k HTTP/1.1\r\nhost: x\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\
content-encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n\
x-amz-trailer: x-amz-checksum-crc32\r\nx-amz-decoded-content-length: 11\r\n\r\n\
34\r\nb\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n\r\n0\r\n\r\n";
    assert_eq!(exchange(boto3).await, "ok:hello world");

    let tampered = String::from_utf8_lossy(boto3).replace("DUoRhQ==", "DUoRhA==");
    let answer = exchange(tampered.as_bytes()).await;
    assert!(answer.starts_with("err:Chunk(ChecksumMismatch"), "{answer}");

    let signed = "PUT /b/k HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: 280\r\n\
content-encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD\r\n\
x-amz-decoded-content-length: 21\r\n\r\n\
10;chunk-signature=bb5e47bd7c77b0a654255f84549b9d15df79aa5817ceb354dcdf5634e626a97e\r\n\
hello world, chu\r\n\
5;chunk-signature=f5df2d91c5fdb5d1427d39e14d34e9dcfd8fc8a091e75c9aaf697e7f706263e7\r\n\
nked!\r\n\
0;chunk-signature=159aba208cb15a3733d8da7a9df53b334fcf312389a4df9b4cdab505c5726e2e\r\n\
\r\n";
    assert_eq!(
        exchange(signed.as_bytes()).await,
        "ok:hello world, chunked!"
    );
    let answer = exchange(signed.replace("nked!", "nked?").as_bytes()).await;
    assert!(
        answer.starts_with("err:Chunk(ChunkSignatureMismatch"),
        "{answer}"
    );
}
