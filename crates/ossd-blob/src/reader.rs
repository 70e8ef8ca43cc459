//! [`BlobReader`]: the byte stream of an opened blob range, whatever the backend.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;

/// The bytes of an opened blob range, as a stream of chunks of bounded size.
pub struct BlobReader {
    inner: Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>,
}

impl BlobReader {
    /// Wraps a backend's chunk stream.
    pub fn new(stream: impl Stream<Item = io::Result<Bytes>> + Send + 'static) -> Self {
        Self {
            inner: Box::pin(stream),
        }
    }

    /// A reader over bytes already in memory (no chunk if `data` is empty).
    pub fn from_bytes(data: Bytes) -> Self {
        let chunk = (!data.is_empty()).then_some(Ok(data));
        Self::new(futures_util::stream::iter(chunk))
    }
}

impl Stream for BlobReader {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl fmt::Debug for BlobReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlobReader").finish_non_exhaustive()
    }
}
