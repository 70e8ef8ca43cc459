//! Body types: request bodies as streams of chunks, response bodies as boxed streams.

use std::io;

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use http_body::Frame;
use http_body_util::{BodyExt, Empty, Full, StreamBody, combinators::UnsyncBoxBody};
use hyper::body::Incoming;
use ossd_store::{BodyStream, ByteStream};

/// The response body type.
pub type Body = UnsyncBoxBody<Bytes, io::Error>;

/// An empty body.
pub fn empty() -> Body {
    Empty::new().map_err(|never| match never {}).boxed_unsync()
}

/// A body of known bytes.
pub fn full(data: impl Into<Bytes>) -> Body {
    Full::new(data.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

/// A streamed body.
pub fn stream(s: ByteStream) -> Body {
    BodyExt::boxed_unsync(StreamBody::new(s.map_ok(Frame::data)))
}

/// The request body as a stream of data chunks (trailers are ignored).
pub fn request_stream(body: Incoming) -> BodyStream {
    let frames = http_body_util::BodyStream::new(body);
    Box::pin(frames.filter_map(|f| async move {
        match f {
            Ok(frame) => frame.into_data().ok().map(Ok),
            Err(e) => Some(Err(e.to_string())),
        }
    }))
}

/// Reads a small request body (XML documents) up to `limit` bytes.
pub async fn read_limited(body: Incoming, limit: usize) -> Result<Vec<u8>, ReadError> {
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
pub enum ReadError {
    /// Longer than the limit.
    TooLarge,
    /// The connection failed.
    Io(String),
}
