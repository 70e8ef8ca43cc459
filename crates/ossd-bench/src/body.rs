//! Request and response bodies: a payload of any length streamed from one shared random block.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

/// Size of the random block every payload is cut from (and repeats for longer payloads).
pub(crate) const BLOCK_SIZE: usize = 1 << 20;

/// Seed of the block, so that the reference server sends the bytes the client verifies against.
const BLOCK_SEED: u64 = 0x05d0_b5e0_cbe4_c4a1;

/// Generates the shared pseudo-random block (the same bytes in every process).
pub(crate) fn random_block() -> Bytes {
    let mut buf = vec![0u8; BLOCK_SIZE];
    StdRng::seed_from_u64(BLOCK_SEED).fill_bytes(&mut buf);
    Bytes::from(buf)
}

/// A body of `len` bytes that yields slices of `block` repeated, never holding more than one block.
#[derive(Debug, Clone)]
pub(crate) struct RepeatBody {
    /// The shared block (cheap to clone).
    block: Bytes,
    /// Bytes still to yield.
    remaining: u64,
}

impl RepeatBody {
    /// A body of `len` bytes cut from `block` (which must not be empty unless `len` is 0).
    pub(crate) fn new(block: Bytes, len: u64) -> Self {
        let remaining = if block.is_empty() { 0 } else { len };
        Self { block, remaining }
    }

    /// An empty body.
    pub(crate) fn empty() -> Self {
        Self {
            block: Bytes::new(),
            remaining: 0,
        }
    }

    /// A body carrying exactly these bytes once.
    pub(crate) fn once(bytes: Bytes) -> Self {
        let len = bytes.len() as u64;
        Self {
            block: bytes,
            remaining: len,
        }
    }
}

impl Body for RepeatBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let take = self.remaining.min(self.block.len() as u64) as usize;
        self.remaining -= take as u64;
        Poll::Ready(Some(Ok(Frame::data(self.block.slice(..take)))))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

/// Whether `chunk`, found at absolute offset `pos` of a download, equals the repeated `block`.
pub(crate) fn matches_pattern(block: &[u8], mut pos: u64, mut chunk: &[u8]) -> bool {
    if block.is_empty() {
        return chunk.is_empty();
    }
    while !chunk.is_empty() {
        let start = (pos % block.len() as u64) as usize;
        let take = chunk.len().min(block.len() - start);
        if chunk[..take] != block[start..start + take] {
            return false;
        }
        chunk = &chunk[take..];
        pos += take as u64;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn yields_exact_length() -> anyhow::Result<()> {
        let block = Bytes::from_static(b"abcd");
        let body = RepeatBody::new(block, 10);
        assert_eq!(body.size_hint().exact(), Some(10));
        let all = body.collect().await?.to_bytes();
        assert_eq!(&all[..], b"abcdabcdab");
        Ok(())
    }

    #[test]
    fn pattern_check_straddles_blocks() {
        assert!(matches_pattern(b"abcd", 6, b"cdabcda"));
        assert!(!matches_pattern(b"abcd", 6, b"cdabX"));
        assert!(matches_pattern(b"abcd", 0, b""));
    }
}
