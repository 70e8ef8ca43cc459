//! A sans-I/O decoder of S3 `aws-chunked` request bodies: unsigned chunks with a checksum trailer,
//! and chunks signed in a chain from the request's seed signature, with or without a signed
//! trailer (docs/protocol/s3-chunked.md#chunk-format, #chunk-signatures, #trailers).
//!
//! Feed the body bytes as they arrive to [`ChunkDecoder::push`]; it appends the payload to an
//! output vector as slices of the input (signed chunks are held back until their signature has
//! been verified) and checks everything it can as soon as it can. At the end of the body
//! [`ChunkDecoder::finish`] says whether the body was complete and returns the trailers.

use bytes::Bytes;
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

use crate::checksum::{Checksum, ChecksumAlgorithm, ChecksumHasher};
use crate::crypto::{hmac_sha256, sha256_hex, signatures_equal};

/// Longest chunk header line accepted, without its CRLF. A signed header is at most 16 hex digits,
/// `;chunk-signature=` and 64 hex digits (97 bytes); the rest is room for extensions
/// (docs/protocol/s3-chunked.md#limits).
pub const MAX_CHUNK_LINE: usize = 1024;

/// Largest chunk accepted. Signed chunks are held in memory until verified, so this bounds what
/// one request holds; clients send 8 KiB to 1 MiB (docs/protocol/s3-chunked.md#limits).
pub const MAX_CHUNK_SIZE: u64 = 16 * 1024 * 1024;

/// Most bytes of all trailer lines together, CRLFs included (docs/protocol/s3-chunked.md#limits).
pub const MAX_TRAILER_BYTES: usize = 4096;

/// Most trailer lines, the trailer signature included (docs/protocol/s3-chunked.md#limits).
pub const MAX_TRAILER_LINES: usize = 8;

/// The trailer that carries the trailer signature.
pub const TRAILER_SIGNATURE: &str = "x-amz-trailer-signature";

/// Hex SHA-256 of no bytes, the fifth line of a chunk's string to sign.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The `x-amz-content-sha256` values that announce an aws-chunked body
/// (docs/protocol/s3-chunked.md#detecting-an-aws-chunked-body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamingPayload {
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: no chunk signatures, a checksum trailer.
    UnsignedTrailer,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: chained chunk signatures.
    Signed,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: chained chunk signatures and a signed trailer.
    SignedTrailer,
}

impl StreamingPayload {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnsignedTrailer => "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            Self::Signed => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            Self::SignedTrailer => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
        }
    }

    /// The mode an `x-amz-content-sha256` value names, if it is one of these three (exact match;
    /// other `STREAMING-` values such as the ECDSA ones are not supported).
    pub fn from_content_sha256(value: &str) -> Option<Self> {
        [Self::UnsignedTrailer, Self::Signed, Self::SignedTrailer]
            .into_iter()
            .find(|m| m.as_str() == value)
    }

    /// Whether chunks carry signatures.
    pub fn is_signed(self) -> bool {
        !matches!(self, Self::UnsignedTrailer)
    }
}

/// What chunk signatures are chained from: the request's V4 signing key, its `x-amz-date`, its
/// credential scope and the request's own (seed) signature
/// (docs/protocol/s3-chunked.md#chunk-signatures).
#[derive(Clone)]
pub struct ChunkSigning {
    key: Zeroizing<[u8; 32]>,
    amz_date: String,
    scope: String,
    seed_signature: String,
}

impl ChunkSigning {
    /// The chain of a request signed at `amz_date` (`20130524T000000Z`) in `scope`
    /// (`20130524/us-east-1/s3/aws4_request`) with `seed_signature` (64 lowercase hex digits).
    pub fn new(
        signing_key: [u8; 32],
        amz_date: impl Into<String>,
        scope: impl Into<String>,
        seed_signature: impl Into<String>,
    ) -> Self {
        Self {
            key: Zeroizing::new(signing_key),
            amz_date: amz_date.into(),
            scope: scope.into(),
            seed_signature: seed_signature.into(),
        }
    }

    /// The signature of a chunk whose data hashes to `data_sha256_hex`, following `previous`.
    fn chunk_signature(&self, previous: &str, data_sha256_hex: &str) -> String {
        let sts = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{}\n{}\n{previous}\n{EMPTY_SHA256}\n{data_sha256_hex}",
            self.amz_date, self.scope
        );
        hex::encode(hmac_sha256(self.key.as_slice(), sts.as_bytes()))
    }

    /// The signature of the trailers whose canonical form hashes to `trailer_sha256_hex`.
    fn trailer_signature(&self, final_chunk: &str, trailer_sha256_hex: &str) -> String {
        let sts = format!(
            "AWS4-HMAC-SHA256-TRAILER\n{}\n{}\n{final_chunk}\n{trailer_sha256_hex}",
            self.amz_date, self.scope
        );
        hex::encode(hmac_sha256(self.key.as_slice(), sts.as_bytes()))
    }
}

impl std::fmt::Debug for ChunkSigning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChunkSigning")
            .field("amz_date", &self.amz_date)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// How the chunks of a body are framed and checked.
#[derive(Debug, Clone)]
pub enum ChunkedMode {
    /// No chunk signatures (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`, or `Content-Encoding:
    /// aws-chunked` over an unsigned payload); chunk extensions are ignored.
    Unsigned,
    /// Every chunk signed (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`); no trailers.
    Signed(ChunkSigning),
    /// Every chunk signed and the trailers too (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`).
    SignedTrailer(ChunkSigning),
}

impl ChunkedMode {
    fn signing(&self) -> Option<&ChunkSigning> {
        match self {
            Self::Unsigned => None,
            Self::Signed(s) | Self::SignedTrailer(s) => Some(s),
        }
    }
}

/// A checksum that differs from the one computed over the received bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumMismatch {
    /// The algorithm.
    pub algorithm: ChecksumAlgorithm,
    /// The value the client sent (Base64).
    pub expected: String,
    /// The value computed over the bytes received (Base64).
    pub computed: String,
}

impl std::fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the {} you specified did not match the calculated checksum",
            self.algorithm
        )
    }
}

/// Why an aws-chunked body was refused; docs/protocol/s3-chunked.md#errors gives the S3 error of
/// each. Nothing of a refused body may be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChunkError {
    /// A chunk header line is not `hex-size[;extension...]` with CRLF, or a chunk signature is not
    /// 64 hex digits.
    #[error("malformed chunk header")]
    MalformedChunkHeader,
    /// A chunk header line is longer than [`MAX_CHUNK_LINE`].
    #[error("chunk header longer than {MAX_CHUNK_LINE} bytes")]
    ChunkHeaderTooLong,
    /// A chunk is larger than [`MAX_CHUNK_SIZE`].
    #[error("chunk of {0} bytes is larger than {MAX_CHUNK_SIZE}")]
    ChunkTooLarge(u64),
    /// Chunk data is not followed by CRLF (the size was wrong).
    #[error("chunk data not followed by CRLF")]
    MissingCrlf,
    /// A signed chunk has no `chunk-signature` extension.
    #[error("missing chunk signature")]
    MissingChunkSignature,
    /// A chunk signature does not match.
    #[error("chunk signature does not match")]
    ChunkSignatureMismatch,
    /// A trailer line is not `name:value` with CRLF, or a trailer follows the trailer signature.
    #[error("malformed trailer")]
    MalformedTrailer,
    /// The trailers are longer than [`MAX_TRAILER_BYTES`].
    #[error("trailers longer than {MAX_TRAILER_BYTES} bytes")]
    TrailerTooLarge,
    /// More than [`MAX_TRAILER_LINES`] trailer lines.
    #[error("more than {MAX_TRAILER_LINES} trailer lines")]
    TooManyTrailers,
    /// A trailer the request did not declare in `x-amz-trailer` (or a trailer signature in a
    /// mode without one).
    #[error("undeclared trailer {0}")]
    UndeclaredTrailer(String),
    /// A trailer sent twice.
    #[error("duplicate trailer {0}")]
    DuplicateTrailer(String),
    /// The declared checksum trailer did not come.
    #[error("missing trailer {0}")]
    MissingTrailer(&'static str),
    /// A signed trailer without `x-amz-trailer-signature`.
    #[error("missing trailer signature")]
    MissingTrailerSignature,
    /// The trailer signature does not match.
    #[error("trailer signature does not match")]
    TrailerSignatureMismatch,
    /// The checksum trailer is not Base64 of the algorithm's digest.
    #[error("invalid {0} trailer value")]
    InvalidChecksum(ChecksumAlgorithm),
    /// The checksum trailer differs from the checksum of the decoded bytes.
    #[error("{0}")]
    ChecksumMismatch(ChecksumMismatch),
    /// The decoded bytes differ in number from `x-amz-decoded-content-length`.
    #[error("decoded length {decoded} differs from the declared {declared}")]
    DecodedLengthMismatch {
        /// `x-amz-decoded-content-length`.
        declared: u64,
        /// Decoded bytes received (so far, when too many).
        decoded: u64,
    },
    /// The body ended before the final chunk and its trailers.
    #[error("the body ended before the final chunk")]
    Incomplete,
    /// Bytes after the end of the aws-chunked body.
    #[error("data after the end of the body")]
    TrailingData,
    /// Input after the decoder had already failed.
    #[error("the body was already refused")]
    Failed,
}

/// What came after the final chunk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trailers {
    /// The trailers in order (lowercase names, trimmed values), the trailer signature excluded.
    pub fields: Vec<(String, String)>,
    /// The verified checksum of the declared trailer algorithm, if one was declared.
    pub checksum: Option<Checksum>,
}

/// Where the decoder is in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a chunk header line into `line`.
    Header,
    /// `remaining` bytes of chunk data to go.
    Data { remaining: u64 },
    /// Expecting the CRLF after chunk data; `cr` once the CR has been seen.
    DataEnd { cr: bool },
    /// Reading trailer lines (after the final chunk) into `line`.
    Trailer,
    /// The empty line after the trailers has been read.
    Done,
    /// An error was returned.
    Failed,
}

/// The sans-I/O aws-chunked decoder (docs/protocol/s3-chunked.md#chunk-format).
#[derive(Debug)]
pub struct ChunkDecoder {
    mode: ChunkedMode,
    declared_trailer: Option<ChecksumAlgorithm>,
    decoded_length: Option<u64>,
    state: State,
    /// The partial header or trailer line (bounded by the limits).
    line: Vec<u8>,
    /// Signed mode: the current chunk's signature, its data so far and their hash.
    chunk_signature: Option<String>,
    held: Vec<Bytes>,
    chunk_hash: Sha256,
    /// Signed mode: the previous signature in the chain.
    previous: String,
    checksum: Option<ChecksumHasher>,
    decoded: u64,
    trailer_bytes: usize,
    trailers: Vec<(String, String)>,
    trailer_signature: Option<String>,
    result: Option<Checksum>,
}

impl ChunkDecoder {
    /// A decoder for a body framed as `mode`, whose `x-amz-trailer` declares the checksum
    /// `trailer` (verified over the decoded bytes), and whose `x-amz-decoded-content-length` is
    /// `decoded_length` (when sent).
    pub fn new(
        mode: ChunkedMode,
        trailer: Option<ChecksumAlgorithm>,
        decoded_length: Option<u64>,
    ) -> Self {
        let previous = mode
            .signing()
            .map(|s| s.seed_signature.clone())
            .unwrap_or_default();
        Self {
            mode,
            declared_trailer: trailer,
            decoded_length,
            state: State::Header,
            line: Vec::new(),
            chunk_signature: None,
            held: Vec::new(),
            chunk_hash: Sha256::new(),
            previous,
            checksum: trailer.map(ChecksumHasher::new),
            decoded: 0,
            trailer_bytes: 0,
            trailers: Vec::new(),
            trailer_signature: None,
            result: None,
        }
    }

    /// Decoded payload bytes so far.
    pub fn decoded_len(&self) -> u64 {
        self.decoded
    }

    /// Whether the whole body (final chunk, trailers, empty line) has been read.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// Decodes the next bytes of the body, appending payload to `out` as slices of `input`. After
    /// an error the decoder refuses all further input.
    pub fn push(&mut self, input: &Bytes, out: &mut Vec<Bytes>) -> Result<(), ChunkError> {
        if self.state == State::Failed {
            return Err(ChunkError::Failed);
        }
        let result = self.decode(input, out);
        if result.is_err() {
            self.state = State::Failed;
            self.held.clear();
        }
        result
    }

    /// Ends the body: an error unless the final chunk and the trailers were all read; the
    /// trailers otherwise.
    pub fn finish(&mut self) -> Result<Trailers, ChunkError> {
        match self.state {
            State::Done => Ok(Trailers {
                fields: std::mem::take(&mut self.trailers),
                checksum: self.result.take(),
            }),
            State::Failed => Err(ChunkError::Failed),
            _ => {
                self.state = State::Failed;
                Err(ChunkError::Incomplete)
            }
        }
    }

    fn decode(&mut self, input: &Bytes, out: &mut Vec<Bytes>) -> Result<(), ChunkError> {
        let mut pos = 0;
        while pos < input.len() {
            match self.state {
                State::Header | State::Trailer => {
                    let rest = &input[pos..];
                    let (take, complete) = match rest.iter().position(|&b| b == b'\n') {
                        Some(i) => (i + 1, true),
                        None => (rest.len(), false),
                    };
                    let limit = if self.state == State::Header {
                        MAX_CHUNK_LINE + 2
                    } else {
                        MAX_TRAILER_BYTES.saturating_sub(self.trailer_bytes)
                    };
                    if self.line.len() + take > limit {
                        return Err(if self.state == State::Header {
                            ChunkError::ChunkHeaderTooLong
                        } else {
                            ChunkError::TrailerTooLarge
                        });
                    }
                    self.line.extend_from_slice(&rest[..take]);
                    pos += take;
                    if complete {
                        let line = std::mem::take(&mut self.line);
                        let line =
                            line.strip_suffix(b"\r\n")
                                .ok_or(if self.state == State::Header {
                                    ChunkError::MalformedChunkHeader
                                } else {
                                    ChunkError::MalformedTrailer
                                })?;
                        if self.state == State::Header {
                            self.header(line)?;
                        } else {
                            self.trailer_bytes += line.len() + 2;
                            self.trailer(line)?;
                        }
                    }
                }
                State::Data { remaining } => {
                    let available = (input.len() - pos) as u64;
                    let take = remaining.min(available) as usize;
                    let piece = input.slice(pos..pos + take);
                    pos += take;
                    self.data(piece, out)?;
                    let remaining = remaining - take as u64;
                    self.state = if remaining == 0 {
                        self.end_of_chunk_data(out)?;
                        State::DataEnd { cr: false }
                    } else {
                        State::Data { remaining }
                    };
                }
                State::DataEnd { cr } => {
                    let byte = input[pos];
                    pos += 1;
                    self.state = match (cr, byte) {
                        (false, b'\r') => State::DataEnd { cr: true },
                        (true, b'\n') => State::Header,
                        _ => return Err(ChunkError::MissingCrlf),
                    };
                }
                State::Done => return Err(ChunkError::TrailingData),
                State::Failed => return Err(ChunkError::Failed),
            }
        }
        Ok(())
    }

    /// A complete chunk header line (without CRLF).
    fn header(&mut self, line: &[u8]) -> Result<(), ChunkError> {
        let text = std::str::from_utf8(line).map_err(|_| ChunkError::MalformedChunkHeader)?;
        let mut parts = text.split(';');
        let size_hex = parts.next().unwrap_or_default();
        if size_hex.is_empty()
            || size_hex.len() > 16
            || !size_hex.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(ChunkError::MalformedChunkHeader);
        }
        let size =
            u64::from_str_radix(size_hex, 16).map_err(|_| ChunkError::MalformedChunkHeader)?;
        if size > MAX_CHUNK_SIZE {
            return Err(ChunkError::ChunkTooLarge(size));
        }
        if self.mode.signing().is_some() {
            let mut signature = None;
            for ext in parts {
                if let Some(value) = ext.strip_prefix("chunk-signature=") {
                    if signature.is_some()
                        || value.len() != 64
                        || !value.bytes().all(|b| b.is_ascii_hexdigit())
                    {
                        return Err(ChunkError::MalformedChunkHeader);
                    }
                    signature = Some(value.to_owned());
                }
            }
            self.chunk_signature = Some(signature.ok_or(ChunkError::MissingChunkSignature)?);
            self.chunk_hash = Sha256::new();
        }
        if size == 0 {
            self.final_chunk()
        } else {
            if let Some(declared) = self.decoded_length {
                let decoded = self.decoded.saturating_add(size);
                if decoded > declared {
                    return Err(ChunkError::DecodedLengthMismatch { declared, decoded });
                }
            }
            self.state = State::Data { remaining: size };
            Ok(())
        }
    }

    /// A piece of chunk data: counted, hashed, and passed on (or held until the chunk's signature
    /// is verified).
    fn data(&mut self, piece: Bytes, out: &mut Vec<Bytes>) -> Result<(), ChunkError> {
        if piece.is_empty() {
            return Ok(());
        }
        self.decoded += piece.len() as u64;
        if let Some(h) = &mut self.checksum {
            h.update(&piece);
        }
        if self.mode.signing().is_some() {
            self.chunk_hash.update(&piece);
            self.held.push(piece);
        } else {
            out.push(piece);
        }
        Ok(())
    }

    /// All of a non-empty chunk's data has been read: verify its signature and release it.
    fn end_of_chunk_data(&mut self, out: &mut Vec<Bytes>) -> Result<(), ChunkError> {
        if self.mode.signing().is_some() {
            self.verify_chunk()?;
            out.append(&mut self.held);
        }
        Ok(())
    }

    /// Verifies the current chunk's signature against the chain and advances the chain.
    fn verify_chunk(&mut self) -> Result<(), ChunkError> {
        let Some(signing) = self.mode.signing() else {
            return Ok(());
        };
        let provided = self
            .chunk_signature
            .take()
            .ok_or(ChunkError::MissingChunkSignature)?;
        let hash = std::mem::replace(&mut self.chunk_hash, Sha256::new()).finalize();
        let expected = signing.chunk_signature(&self.previous, &hex::encode(hash));
        if !signatures_equal(&expected, &provided) {
            return Err(ChunkError::ChunkSignatureMismatch);
        }
        self.previous = expected;
        Ok(())
    }

    /// The zero-size chunk: verify its signature and the decoded length; trailers follow.
    fn final_chunk(&mut self) -> Result<(), ChunkError> {
        self.verify_chunk()?;
        if let Some(declared) = self.decoded_length
            && declared != self.decoded
        {
            return Err(ChunkError::DecodedLengthMismatch {
                declared,
                decoded: self.decoded,
            });
        }
        self.state = State::Trailer;
        Ok(())
    }

    /// A complete trailer line (without CRLF); the empty line ends the body.
    fn trailer(&mut self, line: &[u8]) -> Result<(), ChunkError> {
        if line.is_empty() {
            return self.end_of_trailers();
        }
        let count = self.trailers.len() + usize::from(self.trailer_signature.is_some());
        if count >= MAX_TRAILER_LINES {
            return Err(ChunkError::TooManyTrailers);
        }
        if self.trailer_signature.is_some() {
            return Err(ChunkError::MalformedTrailer);
        }
        let text = std::str::from_utf8(line).map_err(|_| ChunkError::MalformedTrailer)?;
        let (name, value) = text.split_once(':').ok_or(ChunkError::MalformedTrailer)?;
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        if name.is_empty() {
            return Err(ChunkError::MalformedTrailer);
        }
        if name == TRAILER_SIGNATURE {
            if !matches!(self.mode, ChunkedMode::SignedTrailer(_)) {
                return Err(ChunkError::UndeclaredTrailer(name));
            }
            self.trailer_signature = Some(value.to_owned());
            return Ok(());
        }
        if self.declared_trailer.map(ChecksumAlgorithm::header_name) != Some(name.as_str()) {
            return Err(ChunkError::UndeclaredTrailer(name));
        }
        if self.trailers.iter().any(|(n, _)| *n == name) {
            return Err(ChunkError::DuplicateTrailer(name));
        }
        self.trailers.push((name, value.to_owned()));
        Ok(())
    }

    /// The empty line after the trailers: verify the trailer signature and the checksum.
    fn end_of_trailers(&mut self) -> Result<(), ChunkError> {
        if let ChunkedMode::SignedTrailer(signing) = &self.mode {
            let provided = self
                .trailer_signature
                .as_deref()
                .ok_or(ChunkError::MissingTrailerSignature)?;
            let canonical: String = self
                .trailers
                .iter()
                .map(|(n, v)| format!("{n}:{v}\n"))
                .collect();
            let expected =
                signing.trailer_signature(&self.previous, &sha256_hex(canonical.as_bytes()));
            if !signatures_equal(&expected, provided) {
                return Err(ChunkError::TrailerSignatureMismatch);
            }
        }
        if let Some(algorithm) = self.declared_trailer {
            let name = algorithm.header_name();
            let sent = self
                .trailers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .ok_or(ChunkError::MissingTrailer(name))?;
            let sent = Checksum::from_base64(algorithm, sent)
                .map_err(|_| ChunkError::InvalidChecksum(algorithm))?;
            let computed = self
                .checksum
                .take()
                .unwrap_or_else(|| algorithm.hasher())
                .finish();
            if computed != sent {
                return Err(ChunkError::ChecksumMismatch(ChecksumMismatch {
                    algorithm,
                    expected: sent.to_base64(),
                    computed: computed.to_base64(),
                }));
            }
            self.result = Some(computed);
        }
        self.state = State::Done;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
