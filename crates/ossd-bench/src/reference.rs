//! The reference server: a minimal hyper 1 server that does no storage work, the stack's ceiling.
//!
//! PUT drains the body and remembers only the object's length; GET streams that many bytes from one
//! shared random block; HEAD answers the length; `GET /bucket/?list-type=2` renders a listing of the
//! remembered keys. No signature checks, no files, no fsync.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt::Write;
use std::io::Write as _;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use ossd_sig::{QueryParam, uri_encode_path};
use tokio::net::TcpListener;

use crate::body::{RepeatBody, random_block};
use crate::client::drain;

/// Shared server state.
struct State {
    /// The block GET bodies are cut from.
    block: Bytes,
    /// Object length by request path (`/bucket/key`, as sent).
    sizes: Mutex<BTreeMap<String, u64>>,
}

/// Serves on `addr` forever; prints `reference listening on http://ADDR` once bound.
pub async fn serve(addr: &str) -> anyhow::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    println!("reference listening on http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    let state = Arc::new(State { block: random_block(), sizes: Mutex::new(BTreeMap::new()) });
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(Arc::clone(&state), req));
            let builder = auto::Builder::new(TokioExecutor::new());
            let _ = builder.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// Answers one request.
async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Response<RepeatBody>, Infallible> {
    let path = req.uri().path().to_owned();
    let query = QueryParam::parse_query(req.uri().query().unwrap_or(""));
    let method = req.method().clone();
    let response = match method {
        Method::PUT => match drain(req.into_body(), |_| ()).await {
            Ok(len) => {
                if let Ok(mut sizes) = state.sizes.lock() {
                    sizes.insert(path, len);
                }
                respond(StatusCode::OK, None, RepeatBody::empty())
            }
            Err(_) => respond(StatusCode::BAD_REQUEST, None, RepeatBody::empty()),
        },
        Method::GET if query.iter().any(|p| p.key == "list-type") => list(&state, &path, &query),
        Method::GET | Method::HEAD => match state.sizes.lock().ok().and_then(|s| s.get(&path).copied()) {
            Some(len) if method == Method::GET => {
                respond(StatusCode::OK, Some(len), RepeatBody::new(state.block.clone(), len))
            }
            Some(len) => respond(StatusCode::OK, Some(len), RepeatBody::empty()),
            None => respond(StatusCode::NOT_FOUND, None, RepeatBody::empty()),
        },
        _ => respond(StatusCode::METHOD_NOT_ALLOWED, None, RepeatBody::empty()),
    };
    Ok(response)
}

/// A ListObjectsV2 result over the remembered keys under `prefix` (bucket from `path`).
fn list(state: &State, path: &str, query: &[QueryParam]) -> Response<RepeatBody> {
    let param = |k: &str| query.iter().find(|p| p.key == k).map(|p| p.value.as_str());
    let prefix = param("prefix").unwrap_or("");
    let max_keys: usize = param("max-keys").and_then(|v| v.parse().ok()).unwrap_or(1000);
    let bucket = path.trim_matches('/');
    let start = uri_encode_path(&format!("/{bucket}/{prefix}"));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult>");
    let _ = write!(xml, "<Name>{bucket}</Name><Prefix>{prefix}</Prefix><MaxKeys>{max_keys}</MaxKeys>");
    let mut count = 0;
    if let Ok(sizes) = state.sizes.lock() {
        for (key, size) in sizes.range(start.clone()..).take_while(|(k, _)| k.starts_with(&start)).take(max_keys) {
            let key = key.get(bucket.len() + 2..).unwrap_or("");
            let _ = write!(
                xml,
                "<Contents><Key>{key}</Key><LastModified>2025-01-15T08:30:00.000Z</LastModified>\
                 <ETag>\"5B3C1A2E053D763E1B002CC607C5A0FE\"</ETag><Size>{size}</Size>\
                 <StorageClass>Standard</StorageClass></Contents>"
            );
            count += 1;
        }
    }
    let _ = write!(xml, "<KeyCount>{count}</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>");
    let len = xml.len() as u64;
    respond(StatusCode::OK, Some(len), RepeatBody::once(Bytes::from(xml)))
}

/// A response with an optional explicit `Content-Length`.
fn respond(status: StatusCode, len: Option<u64>, body: RepeatBody) -> Response<RepeatBody> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    if let Some(len) = len {
        response.headers_mut().insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
    }
    response
}
