//! The S3 request body that is decoded or checked as it streams: `aws-chunked` framing through
//! `ossd_sig::chunked::ChunkDecoder`, and the whole-body checks of `x-amz-checksum-<alg>` and a hex
//! `x-amz-content-sha256` (docs/protocol/s3-chunked.md#chunk-format, #request-checksums).
//!
//! Every refusal is an error item at the latest at the end of the stream, before it ends; the
//! store aborts a write whose body stream yields an error, so nothing refused is committed.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame};
use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;
use ossd_sig::checksum::{Checksum, ChecksumError, ChecksumHasher};
use ossd_sig::chunked::{ChecksumMismatch, ChunkDecoder, ChunkError};
use sha2::{Digest, Sha256};

/// Why a request body was refused while it was read: the typed cause the S3 dialect maps to its
/// error (docs/protocol/s3-chunked.md#errors). It reaches the store as the source of the
/// `std::io::Error` of the failed read; [`BodyError::find`] gets it back.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BodyError {
    /// The connection failed or the client went away.
    #[error("reading the request body")]
    Transport(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The aws-chunked framing, a chunk or trailer signature, the trailer checksum or the decoded
    /// length was refused.
    #[error("aws-chunked body refused")]
    Chunk(#[source] ChunkError),
    /// An `x-amz-checksum-<alg>` header differs from the checksum of the body (`BadDigest`).
    #[error("{0}")]
    Checksum(ChecksumMismatch),
    /// A hex `x-amz-content-sha256` differs from the SHA-256 of the body
    /// (`XAmzContentSHA256Mismatch`).
    #[error("x-amz-content-sha256 does not match the body")]
    ContentSha256 {
        /// The client's value (`ClientComputedContentSHA256`), lowercase hex.
        client: String,
        /// The SHA-256 of the received body (`S3ComputedContentSHA256`), lowercase hex.
        computed: String,
    },
}

impl BodyError {
    /// The body error behind an I/O error of a body stream (as kept in
    /// `StoreError::Body`), if that is what it was.
    pub(crate) fn find(error: &std::io::Error) -> Option<&BodyError> {
        error.get_ref()?.downcast_ref::<BodyError>()
    }
}

/// What the whole (decoded) body must hash to, from the request's headers
/// (docs/protocol/s3-chunked.md#request-checksums).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BodyChecks {
    /// The one `x-amz-checksum-<alg>` header value.
    pub(crate) checksum: Option<Checksum>,
    /// A hex `x-amz-content-sha256` (not `UNSIGNED-PAYLOAD` or a `STREAMING-` value).
    pub(crate) content_sha256: Option<[u8; 32]>,
}

impl BodyChecks {
    /// The checks a request's headers ask for: an `x-amz-checksum-<alg>` value (at most one, of
    /// a supported algorithm, well-formed; else the `ChecksumError` the dialect answers
    /// `InvalidRequest`) and `x-amz-content-sha256` when it is 64 hex digits.
    pub(crate) fn from_headers(headers: &http::HeaderMap) -> Result<Self, ChecksumError> {
        let checksum = Checksum::from_headers(
            headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.to_str().unwrap_or_default())),
        )?;
        let content_sha256 = headers
            .get("x-amz-content-sha256")
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.len() == 64)
            .and_then(|v| {
                let mut raw = [0u8; 32];
                hex::decode_to_slice(v, &mut raw).ok().map(|()| raw)
            });
        Ok(Self {
            checksum,
            content_sha256,
        })
    }

    /// Whether there is nothing to check.
    pub(crate) fn is_empty(&self) -> bool {
        self.checksum.is_none() && self.content_sha256.is_none()
    }
}

/// The checksum a body was verified against, available once the body has been read to its end
/// without error: the checksum trailer, or the `x-amz-checksum-<alg>` header. Clone it before
/// handing the body to the store, read it after (to echo `x-amz-checksum-<alg>` and store it).
#[derive(Debug, Clone, Default)]
pub(crate) struct VerifiedChecksum(Arc<OnceLock<Checksum>>);

impl VerifiedChecksum {
    /// The verified checksum, once the body has ended well.
    pub(crate) fn get(&self) -> Option<&Checksum> {
        self.0.get()
    }
}

/// Running hashes of the whole-body checks.
struct Hashers {
    checksum: Option<(Checksum, ChecksumHasher)>,
    sha256: Option<([u8; 32], Sha256)>,
}

impl Hashers {
    fn new(checks: BodyChecks) -> Self {
        Self {
            checksum: checks.checksum.map(|c| (c.clone(), c.algorithm().hasher())),
            sha256: checks.content_sha256.map(|h| (h, Sha256::new())),
        }
    }

    fn update(&mut self, data: &[u8]) {
        if let Some((_, h)) = &mut self.checksum {
            h.update(data);
        }
        if let Some((_, h)) = &mut self.sha256 {
            h.update(data);
        }
    }

    /// Compares; the header checksum when it matched.
    fn finish(&mut self) -> Result<Option<Checksum>, BodyError> {
        if let Some((client, h)) = self.sha256.take() {
            let computed: [u8; 32] = h.finalize().into();
            if computed != client {
                return Err(BodyError::ContentSha256 {
                    client: hex::encode(client),
                    computed: hex::encode(computed),
                });
            }
        }
        match self.checksum.take() {
            None => Ok(None),
            Some((sent, h)) => {
                let computed = h.finish();
                if computed == sent {
                    Ok(Some(computed))
                } else {
                    Err(BodyError::Checksum(ChecksumMismatch {
                        algorithm: sent.algorithm(),
                        expected: sent.to_base64(),
                        computed: computed.to_base64(),
                    }))
                }
            }
        }
    }
}

/// A request body decoded from aws-chunked and/or checked against its headers as it streams.
pub(crate) struct DecodedBody {
    source: UnsyncBoxBody<Bytes, BodyError>,
    decoder: Option<ChunkDecoder>,
    hashers: Hashers,
    pending: VecDeque<Bytes>,
    scratch: Vec<Bytes>,
    ended: bool,
    verified: VerifiedChecksum,
    counter: Option<Arc<AtomicU64>>,
}

impl DecodedBody {
    /// Reads `source` through `decoder` (if any) and `checks` over the decoded bytes. Bytes
    /// read from `source` count towards the request's `BYTES_IN` when made inside a request.
    pub(crate) fn new<B>(source: B, decoder: Option<ChunkDecoder>, checks: BodyChecks) -> Self
    where
        B: HttpBody<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        Self {
            source: source
                .map_err(|e| BodyError::Transport(e.into()))
                .boxed_unsync(),
            decoder,
            hashers: Hashers::new(checks),
            pending: VecDeque::new(),
            scratch: Vec::new(),
            ended: false,
            verified: VerifiedChecksum::default(),
            counter: super::body::BYTES_IN.try_with(Arc::clone).ok(),
        }
    }

    /// The handle that reports the verified checksum after the end.
    pub(crate) fn verified_checksum(&self) -> VerifiedChecksum {
        self.verified.clone()
    }

    /// Takes in one frame of the source.
    fn accept(&mut self, data: Bytes) -> Result<(), BodyError> {
        if let Some(c) = &self.counter {
            c.fetch_add(data.len() as u64, Ordering::Relaxed);
        }
        match &mut self.decoder {
            None => {
                self.hashers.update(&data);
                self.pending.push_back(data);
            }
            Some(decoder) => {
                decoder
                    .push(&data, &mut self.scratch)
                    .map_err(BodyError::Chunk)?;
                for piece in self.scratch.drain(..) {
                    self.hashers.update(&piece);
                    self.pending.push_back(piece);
                }
            }
        }
        Ok(())
    }

    /// The source has ended: the decoder must be done and every check must pass.
    fn end(&mut self) -> Result<(), BodyError> {
        let trailer = match &mut self.decoder {
            Some(decoder) => decoder.finish().map_err(BodyError::Chunk)?.checksum,
            None => None,
        };
        let header = self.hashers.finish()?;
        if let Some(checksum) = trailer.or(header) {
            // Set once: the body ends once.
            let _ = self.verified.0.set(checksum);
        }
        Ok(())
    }
}

impl HttpBody for DecodedBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let this = &mut *self;
        loop {
            if let Some(data) = this.pending.pop_front() {
                return Poll::Ready(Some(Ok(Frame::data(data))));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            let step = match ready!(Pin::new(&mut this.source).poll_frame(cx)) {
                // HTTP trailers of the transport are not the aws-chunked trailers: ignored.
                Some(Ok(frame)) => frame.into_data().map_or(Ok(()), |d| this.accept(d)),
                Some(Err(e)) => Err(e),
                None => {
                    this.ended = true;
                    this.end()
                }
            };
            if let Err(e) = step {
                this.ended = true;
                this.pending.clear();
                return Poll::Ready(Some(Err(e)));
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.ended && self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests;
