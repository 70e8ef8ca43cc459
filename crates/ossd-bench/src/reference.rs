//! The reference server: a minimal hyper 1 server that does no storage work, the stack's ceiling.
//!
//! It keeps no state. The bench names objects `<run>/<size>/<name>` (size like `4KiB`), so GET
//! streams that many bytes cut from the shared block, HEAD answers that length, PUT drains the body
//! and answers 200, and `GET /bucket/?list-type=2` renders `max-keys` entries under the prefix.
//! No signature checks, no files, no fsync.

use std::convert::Infallible;
use std::fmt::Write;
use std::io::Write as _;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use ossd_sig::QueryParam;
use tokio::net::TcpListener;

use crate::body::{RepeatBody, random_block};
use crate::cli::parse_size;
use crate::client::drain;

/// Serves on `addr` forever; prints `reference listening on http://ADDR` once bound.
pub(crate) async fn serve(addr: &str) -> anyhow::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    println!("reference listening on http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    let block = random_block();
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        let block = block.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(block.clone(), req));
            let builder = auto::Builder::new(TokioExecutor::new());
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Answers one request.
async fn handle(block: Bytes, req: Request<Incoming>) -> Result<Response<RepeatBody>, Infallible> {
    let size = size_of_key(req.uri().path());
    let query = QueryParam::parse_query(req.uri().query().unwrap_or(""));
    let response = match (req.method().clone(), size) {
        (Method::PUT, _) => match drain(req.into_body(), |_| ()).await {
            Ok(_) => respond(StatusCode::OK, None, RepeatBody::empty()),
            Err(_) => respond(StatusCode::BAD_REQUEST, None, RepeatBody::empty()),
        },
        (Method::GET, _) if query.iter().any(|p| p.key == "list-type") => {
            list(req.uri().path(), &query)
        }
        (Method::GET, Some(len)) => respond(StatusCode::OK, Some(len), RepeatBody::new(block, len)),
        (Method::HEAD, Some(len)) => respond(StatusCode::OK, Some(len), RepeatBody::empty()),
        (Method::GET | Method::HEAD, None) => {
            respond(StatusCode::NOT_FOUND, None, RepeatBody::empty())
        }
        _ => respond(StatusCode::METHOD_NOT_ALLOWED, None, RepeatBody::empty()),
    };
    Ok(response)
}

/// The object size named by the parent segment of a `.../<size>/<name>` path.
fn size_of_key(path: &str) -> Option<u64> {
    path.rsplit('/')
        .nth(1)
        .and_then(|label| parse_size(label).ok())
}

/// A ListObjectsV2 page of `max-keys` synthetic entries under `prefix` (bucket from `path`).
fn list(path: &str, query: &[QueryParam]) -> Response<RepeatBody> {
    let param = |k: &str| query.iter().find(|p| p.key == k).map(|p| p.value.as_str());
    let prefix = param("prefix").unwrap_or("");
    let max_keys: usize = param("max-keys")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let size = size_of_key(&format!("/{prefix}x")).unwrap_or(0);
    let bucket = path.trim_matches('/');
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult>");
    let _ = write!(
        xml,
        "<Name>{bucket}</Name><Prefix>{prefix}</Prefix><MaxKeys>{max_keys}</MaxKeys>"
    );
    for i in 0..max_keys {
        let _ = write!(
            xml,
            "<Contents><Key>{prefix}w00-{i:06}</Key><LastModified>2025-01-15T08:30:00.000Z</LastModified>\
             <ETag>\"5B3C1A2E053D763E1B002CC607C5A0FE\"</ETag><Size>{size}</Size>\
             <StorageClass>Standard</StorageClass></Contents>"
        );
    }
    let _ = write!(
        xml,
        "<KeyCount>{max_keys}</KeyCount><IsTruncated>true</IsTruncated></ListBucketResult>"
    );
    let len = xml.len() as u64;
    respond(
        StatusCode::OK,
        Some(len),
        RepeatBody::once(Bytes::from(xml)),
    )
}

/// A response with an optional explicit `Content-Length`.
fn respond(status: StatusCode, len: Option<u64>, body: RepeatBody) -> Response<RepeatBody> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    if let Some(len) = len {
        response
            .headers_mut()
            .insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_from_key_layout() {
        assert_eq!(size_of_key("/b/bench-1/4KiB/w00-000001"), Some(4096));
        assert_eq!(size_of_key("/b/rss-check/1GiB/object"), Some(1 << 30));
        assert_eq!(size_of_key("/b/"), None);
        assert_eq!(size_of_key("/b/plain"), None);
    }
}
