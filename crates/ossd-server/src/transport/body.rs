//! Body types: request bodies (as received, or decoded and checked as they stream) read as
//! streams of chunks, response bodies as boxed streams.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use http_body::Frame;
use http_body_util::{BodyExt, Empty, Full, StreamBody, combinators::UnsyncBoxBody};
use hyper::body::Incoming;
use ossd_sig::checksum::ChecksumAlgorithm;
use ossd_sig::chunked::{ChunkDecoder, ChunkedMode};
use ossd_store::{BodyStream, ByteStream};

use super::chunked_body::{BodyChecks, BodyError, DecodedBody, VerifiedChecksum};

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

/// A request body as the dispatcher receives it: from a connection, or built in process by the
/// web console's caller (`crate::console::caller`), which runs its signed requests through the
/// same pipeline without a network hop.
pub(crate) enum Inbound {
    /// Received by hyper.
    Wire(Incoming),
    /// Bytes built in process.
    Local(Full<Bytes>),
}

impl From<Incoming> for Inbound {
    fn from(body: Incoming) -> Self {
        Self::Wire(body)
    }
}

impl http_body::Body for Inbound {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        match self.get_mut() {
            Self::Wire(b) => Pin::new(b).poll_frame(cx),
            Self::Local(b) => Pin::new(b).poll_frame(cx).map_err(|never| match never {}),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Wire(b) => b.is_end_stream(),
            Self::Local(b) => b.is_end_stream(),
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self {
            Self::Wire(b) => b.size_hint(),
            Self::Local(b) => b.size_hint(),
        }
    }
}

tokio::task_local! {
    /// The current request's count of body bytes read (set by the dispatcher for the duration
    /// of a request; the access log and the `ossd_request_bytes` metric read it).
    pub static BYTES_IN: Arc<AtomicU64>;
}

/// A request body as handlers and the store read it: the bytes as received (OSS, and S3 requests
/// with nothing to decode or check), or an S3 body decoded from `aws-chunked` and/or checked
/// against its checksum headers as it streams (docs/protocol/s3-chunked.md#chunk-format,
/// #request-checksums).
pub(crate) enum RequestBody {
    /// The body as received.
    Plain(Inbound),
    /// The body decoded and/or checked.
    Decoded(Box<DecodedBody>),
}

impl RequestBody {
    /// An `aws-chunked` body framed as `mode`, with the checksum trailer `trailer` (from
    /// `x-amz-trailer`) and the payload length `decoded_length` (from
    /// `x-amz-decoded-content-length`), the decoded bytes also checked against `checks`.
    pub(crate) fn aws_chunked<B>(
        body: B,
        mode: ChunkedMode,
        trailer: Option<ChecksumAlgorithm>,
        decoded_length: Option<u64>,
        checks: BodyChecks,
    ) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let decoder = ChunkDecoder::new(mode, trailer, decoded_length);
        Self::Decoded(Box::new(DecodedBody::new(body, Some(decoder), checks)))
    }

    /// A plain body checked against `checks` (`x-amz-checksum-<alg>`, hex
    /// `x-amz-content-sha256`); with nothing to check, the body as received.
    pub(crate) fn checked(body: Inbound, checks: BodyChecks) -> Self {
        if checks.is_empty() {
            Self::Plain(body)
        } else {
            Self::Decoded(Box::new(DecodedBody::new(body, None, checks)))
        }
    }

    /// The handle that reports, after the body has been read to its end without error, the
    /// checksum it was verified against (none for a plain body).
    pub(crate) fn verified_checksum(&self) -> VerifiedChecksum {
        match self {
            Self::Plain(_) => VerifiedChecksum::default(),
            Self::Decoded(d) => d.verified_checksum(),
        }
    }
}

impl From<Inbound> for RequestBody {
    fn from(body: Inbound) -> Self {
        Self::Plain(body)
    }
}

impl http_body::Body for RequestBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        match self.get_mut() {
            Self::Plain(b) => Pin::new(b)
                .poll_frame(cx)
                .map_err(|e| BodyError::Transport(Box::new(e))),
            Self::Decoded(b) => Pin::new(b.as_mut()).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Plain(b) => b.is_end_stream(),
            Self::Decoded(b) => b.is_end_stream(),
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self {
            Self::Plain(b) => b.size_hint(),
            Self::Decoded(b) => b.size_hint(),
        }
    }
}

/// The request body as a stream of data chunks (trailers are ignored); an error is an
/// `std::io::Error` whose source is the [`BodyError`]. Bytes received are added to the request's
/// [`BYTES_IN`] counter when the stream (or the decoded body) is made inside a request.
pub(crate) fn request_stream(body: impl Into<RequestBody>) -> BodyStream {
    let body = body.into();
    let counter = match body {
        // A decoded body counts the bytes it receives, not the bytes it yields.
        RequestBody::Plain(_) => BYTES_IN.try_with(Arc::clone).ok(),
        RequestBody::Decoded(_) => None,
    };
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
pub(crate) async fn read_limited(
    body: impl Into<RequestBody>,
    limit: usize,
) -> Result<Vec<u8>, ReadError> {
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
    body: Inbound,
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
