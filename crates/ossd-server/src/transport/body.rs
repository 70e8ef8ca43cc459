//! Body types: request bodies as streams of chunks, response bodies as boxed streams.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use http_body::Frame;
use http_body_util::{BodyExt, Empty, Full, StreamBody, combinators::UnsyncBoxBody};
use hyper::body::Incoming;
use ossd_store::{BodyStream, ByteStream};

/// The response body type.
pub(crate) type Body = UnsyncBoxBody<Bytes, io::Error>;

/// An empty body.
pub(crate) fn empty() -> Body {
    Empty::new().map_err(|never| match never {}).boxed_unsync()
}

/// A body of known bytes.
pub(crate) fn full(data: impl Into<Bytes>) -> Body {
    Full::new(data.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

/// A streamed body.
pub(crate) fn stream(s: ByteStream) -> Body {
    BodyExt::boxed_unsync(StreamBody::new(s.map_ok(Frame::data)))
}

tokio::task_local! {
    /// The current request's count of body bytes read (set by the dispatcher for the duration
    /// of a request; the access log and the `ossd_request_bytes` metric read it).
    pub static BYTES_IN: Arc<AtomicU64>;
}

/// The request body as a stream of data chunks (trailers are ignored). Bytes read are added to
/// the request's [`BYTES_IN`] counter when the stream is made inside a request.
pub(crate) fn request_stream(body: Incoming) -> BodyStream {
    let counter = BYTES_IN.try_with(Arc::clone).ok();
    let frames = http_body_util::BodyStream::new(body);
    Box::pin(frames.filter_map(move |f| {
        futures_util::future::ready(match f {
            Ok(frame) => frame.into_data().ok().map(|data| {
                if let Some(c) = &counter {
                    c.fetch_add(data.len() as u64, Ordering::Relaxed);
                }
                Ok(data)
            }),
            Err(e) => Some(Err(std::io::Error::other(e))),
        })
    }))
}

/// Reads a small request body (XML documents) up to `limit` bytes.
pub(crate) async fn read_limited(body: Incoming, limit: usize) -> Result<Vec<u8>, ReadError> {
    let mut s = request_stream(body);
    let mut out = Vec::new();
    while let Some(chunk) = s.next().await {
        let chunk = chunk.map_err(ReadError::Io)?;
        if out.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Why a small body could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Longer than the limit.
    TooLarge,
    /// The connection failed.
    Io(std::io::Error),
}

/// The most unread request body drained after an early error so that the connection stays
/// usable; a larger (or slower) remainder closes the connection instead.
pub(crate) const MAX_DRAIN_BYTES: usize = 64 * 1024;

/// After an error answered before the request body was read: drain a small body, or announce
/// `Connection: close` (HTTP/1) so that clients do not reuse a connection the server drops.
pub(crate) async fn settle_unread(
    body: Incoming,
    resp: &mut crate::transport::response::Resp,
    http1: bool,
) {
    use http_body::Body as _;
    if body.is_end_stream() {
        return;
    }
    let drained = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        read_limited(body, MAX_DRAIN_BYTES),
    )
    .await;
    if !matches!(drained, Ok(Ok(_))) && http1 {
        close_after(resp);
    }
}

/// Marks a response as the last on its HTTP/1 connection.
pub(crate) fn close_after(resp: &mut crate::transport::response::Resp) {
    resp.headers_mut().insert(
        http::header::CONNECTION,
        http::HeaderValue::from_static("close"),
    );
}
