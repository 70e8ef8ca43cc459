//! S3 flexible checksums: the five algorithms, their header names, an incremental hasher, the
//! Base64 values clients send, and the combinations multipart uploads need
//! (docs/protocol/s3-chunked.md#checksum-algorithms, #multipart-checksums).

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use crc_fast::{CrcAlgorithm, Digest as CrcDigest};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

/// Prefix of the headers and trailers that carry a checksum value.
pub const CHECKSUM_HEADER_PREFIX: &str = "x-amz-checksum-";

/// Headers under [`CHECKSUM_HEADER_PREFIX`] that carry something other than a value.
const NOT_VALUES: [&str; 3] = ["mode", "algorithm", "type"];

/// A checksum algorithm S3 clients may send (docs/protocol/s3-chunked.md#checksum-algorithms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChecksumAlgorithm {
    /// CRC-32/ISO-HDLC (zlib), 4 bytes.
    Crc32,
    /// CRC-32C (Castagnoli, iSCSI), 4 bytes.
    Crc32c,
    /// CRC-64/NVME, 8 bytes.
    Crc64Nvme,
    /// SHA-1, 20 bytes.
    Sha1,
    /// SHA-256, 32 bytes.
    Sha256,
}

impl ChecksumAlgorithm {
    /// Every supported algorithm.
    pub const ALL: [Self; 5] = [
        Self::Crc32,
        Self::Crc32c,
        Self::Crc64Nvme,
        Self::Sha1,
        Self::Sha256,
    ];

    /// The name as in `x-amz-sdk-checksum-algorithm` (`CRC32`, `CRC64NVME`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Crc32 => "CRC32",
            Self::Crc32c => "CRC32C",
            Self::Crc64Nvme => "CRC64NVME",
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
        }
    }

    /// The header (or trailer) carrying the value, lowercase (`x-amz-checksum-crc32`, ...).
    pub fn header_name(self) -> &'static str {
        match self {
            Self::Crc32 => "x-amz-checksum-crc32",
            Self::Crc32c => "x-amz-checksum-crc32c",
            Self::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Self::Sha1 => "x-amz-checksum-sha1",
            Self::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// The algorithm whose value header (or trailer) is `name`, in any case.
    pub fn from_header_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.header_name().eq_ignore_ascii_case(name.trim()))
    }

    /// The algorithm named by an `x-amz-sdk-checksum-algorithm` or `x-amz-checksum-algorithm`
    /// value, in any case.
    pub fn from_name(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(value.trim()))
    }

    /// The checksum trailer an `x-amz-trailer` value declares: `None` for an empty value, an
    /// error for a name that is not a supported checksum or for more than one checksum
    /// (docs/protocol/s3-chunked.md#trailers).
    pub fn from_trailer_header(value: &str) -> Result<Option<Self>, ChecksumError> {
        let mut found = None;
        for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let algorithm = Self::from_header_name(name)
                .ok_or_else(|| ChecksumError::Unsupported(name.to_owned()))?;
            if found.replace(algorithm).is_some() {
                return Err(ChecksumError::Multiple);
            }
        }
        Ok(found)
    }

    /// Length of the raw digest in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            Self::Crc32 | Self::Crc32c => 4,
            Self::Crc64Nvme => 8,
            Self::Sha1 => 20,
            Self::Sha256 => 32,
        }
    }

    /// Whether this is a CRC, whose full-object value can be combined from the parts'
    /// (docs/protocol/s3-chunked.md#multipart-checksums).
    pub fn is_crc(self) -> bool {
        self.crc().is_some()
    }

    /// A hasher that has seen no bytes.
    pub fn hasher(self) -> ChecksumHasher {
        ChecksumHasher::new(self)
    }

    /// The checksum of `data` in one call.
    pub fn checksum(self, data: &[u8]) -> Checksum {
        let mut hasher = self.hasher();
        hasher.update(data);
        hasher.finish()
    }

    /// The crc-fast variant of a CRC algorithm.
    fn crc(self) -> Option<CrcAlgorithm> {
        match self {
            Self::Crc32 => Some(CrcAlgorithm::Crc32IsoHdlc),
            Self::Crc32c => Some(CrcAlgorithm::Crc32Iscsi),
            Self::Crc64Nvme => Some(CrcAlgorithm::Crc64Nvme),
            Self::Sha1 | Self::Sha256 => None,
        }
    }
}

impl fmt::Display for ChecksumAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ChecksumAlgorithm {
    type Err = ChecksumError;

    /// Parses an algorithm name (`CRC32`, `crc64nvme`, ...).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| ChecksumError::Unsupported(s.to_owned()))
    }
}

/// Why a checksum header, trailer or combination was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChecksumError {
    /// An algorithm (or checksum header) ossd does not implement, e.g. `SHA512` (400
    /// `InvalidRequest`).
    #[error("unsupported checksum algorithm: {0}")]
    Unsupported(String),
    /// More than one checksum header or declared trailer (400 `InvalidRequest`, "Expecting a
    /// single x-amz-checksum- header").
    #[error("more than one checksum algorithm")]
    Multiple,
    /// The value is not Base64 of the algorithm's digest length (in a header or form field 400
    /// `BadDigest`, as it matches no body; in a trailer 400 `InvalidRequest`).
    #[error("invalid {0} checksum value")]
    InvalidValue(ChecksumAlgorithm),
    /// Checksums of different algorithms were combined.
    #[error("checksums of different algorithms cannot be combined")]
    AlgorithmMismatch,
    /// A full-object combine of a non-CRC algorithm.
    #[error("{0} checksums cannot be combined into a full-object checksum")]
    NotCombinable(ChecksumAlgorithm),
}

/// A computed or received checksum value: the algorithm and its raw big-endian digest.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Checksum {
    algorithm: ChecksumAlgorithm,
    raw: Vec<u8>,
}

impl Checksum {
    /// Decodes a value as clients send it (Base64 of the digest), checking its length.
    pub fn from_base64(algorithm: ChecksumAlgorithm, value: &str) -> Result<Self, ChecksumError> {
        let raw = STANDARD
            .decode(value.trim())
            .map_err(|_| ChecksumError::InvalidValue(algorithm))?;
        Self::from_raw(algorithm, raw)
    }

    /// A value from its raw digest, checking its length.
    pub fn from_raw(algorithm: ChecksumAlgorithm, raw: Vec<u8>) -> Result<Self, ChecksumError> {
        if raw.len() != algorithm.digest_len() {
            return Err(ChecksumError::InvalidValue(algorithm));
        }
        Ok(Self { algorithm, raw })
    }

    /// The one checksum value among request headers (`x-amz-checksum-<alg>: <base64>`; names in
    /// any case), if any. `x-amz-checksum-mode`, `-algorithm` and `-type` are not values; any
    /// other unknown `x-amz-checksum-*` header is [`ChecksumError::Unsupported`], and more than one
    /// value is [`ChecksumError::Multiple`] (docs/protocol/s3-chunked.md#request-checksums).
    pub fn from_headers<'a>(
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Option<Self>, ChecksumError> {
        let mut found: Option<Self> = None;
        for (name, value) in headers {
            let Some(suffix) = strip_prefix_ignore_case(name, CHECKSUM_HEADER_PREFIX) else {
                continue;
            };
            if NOT_VALUES.iter().any(|n| n.eq_ignore_ascii_case(suffix)) {
                continue;
            }
            let algorithm = ChecksumAlgorithm::from_header_name(name)
                .ok_or_else(|| ChecksumError::Unsupported(name.to_ascii_lowercase()))?;
            if found.is_some() {
                return Err(ChecksumError::Multiple);
            }
            found = Some(Self::from_base64(algorithm, value)?);
        }
        Ok(found)
    }

    /// The algorithm.
    pub fn algorithm(&self) -> ChecksumAlgorithm {
        self.algorithm
    }

    /// The raw digest (big-endian for CRCs).
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The value as S3 sends it: standard Base64 with padding.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(&self.raw)
    }

    /// The full-object CRC of `A ‖ B` from this value (of `A`) and `next` (of `B`, `next_len`
    /// bytes), without the data (docs/protocol/s3-chunked.md#multipart-checksums).
    pub fn combine(&self, next: &Checksum, next_len: u64) -> Result<Checksum, ChecksumError> {
        if self.algorithm != next.algorithm {
            return Err(ChecksumError::AlgorithmMismatch);
        }
        let crc = self
            .algorithm
            .crc()
            .ok_or(ChecksumError::NotCombinable(self.algorithm))?;
        if next_len == 0 {
            return Ok(self.clone());
        }
        let combined =
            crc_fast::checksum_combine(crc, self.crc_value(), next.crc_value(), next_len);
        Ok(crc_checksum(self.algorithm, combined))
    }

    /// The CRC as an integer (CRC values only; 0 for a hash).
    fn crc_value(&self) -> u64 {
        self.raw
            .iter()
            .take(8)
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
    }
}

impl fmt::Debug for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm, self.to_base64())
    }
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

/// The COMPOSITE checksum of a multipart object: `base64(hash(raw part checksums in order))-N`
/// (docs/protocol/s3-chunked.md#multipart-checksums). Every part must use `algorithm`.
pub fn composite_checksum<'a>(
    algorithm: ChecksumAlgorithm,
    parts: impl IntoIterator<Item = &'a Checksum>,
) -> Result<String, ChecksumError> {
    let mut hasher = algorithm.hasher();
    let mut count = 0usize;
    for part in parts {
        if part.algorithm != algorithm {
            return Err(ChecksumError::AlgorithmMismatch);
        }
        hasher.update(&part.raw);
        count += 1;
    }
    Ok(format!("{}-{count}", hasher.finish().to_base64()))
}

/// The FULL_OBJECT checksum of a multipart object from its parts' CRCs and lengths, in part
/// order (docs/protocol/s3-chunked.md#multipart-checksums). `None` for no parts.
pub fn full_object_checksum<'a>(
    parts: impl IntoIterator<Item = (&'a Checksum, u64)>,
) -> Result<Option<Checksum>, ChecksumError> {
    let mut acc: Option<Checksum> = None;
    for (part, len) in parts {
        acc = Some(match acc {
            None => {
                if !part.algorithm.is_crc() {
                    return Err(ChecksumError::NotCombinable(part.algorithm));
                }
                part.clone()
            }
            Some(prev) => prev.combine(part, len)?,
        });
    }
    Ok(acc)
}

/// An incremental checksum of one algorithm.
#[derive(Clone)]
pub struct ChecksumHasher {
    algorithm: ChecksumAlgorithm,
    state: HasherState,
}

#[derive(Clone)]
enum HasherState {
    Crc(CrcDigest),
    Sha1(Sha1),
    Sha256(Sha256),
}

impl ChecksumHasher {
    /// A hasher of `algorithm` that has seen no bytes.
    pub fn new(algorithm: ChecksumAlgorithm) -> Self {
        let state = match algorithm.crc() {
            Some(crc) => HasherState::Crc(CrcDigest::new(crc)),
            None if algorithm == ChecksumAlgorithm::Sha1 => HasherState::Sha1(Sha1::new()),
            None => HasherState::Sha256(Sha256::new()),
        };
        Self { algorithm, state }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> ChecksumAlgorithm {
        self.algorithm
    }

    /// Feeds more bytes.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.state {
            HasherState::Crc(d) => d.update(data),
            HasherState::Sha1(d) => d.update(data),
            HasherState::Sha256(d) => d.update(data),
        }
    }

    /// The checksum of every byte fed.
    pub fn finish(self) -> Checksum {
        match self.state {
            HasherState::Crc(d) => crc_checksum(self.algorithm, d.finalize()),
            HasherState::Sha1(d) => Checksum {
                algorithm: self.algorithm,
                raw: d.finalize().to_vec(),
            },
            HasherState::Sha256(d) => Checksum {
                algorithm: self.algorithm,
                raw: d.finalize().to_vec(),
            },
        }
    }
}

impl fmt::Debug for ChecksumHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChecksumHasher")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

/// A CRC value as its big-endian digest of the algorithm's width.
fn crc_checksum(algorithm: ChecksumAlgorithm, value: u64) -> Checksum {
    let bytes = value.to_be_bytes();
    let width = algorithm.digest_len();
    Checksum {
        algorithm,
        raw: bytes[bytes.len() - width..].to_vec(),
    }
}

/// `name` without `prefix`, compared in ASCII case-insensitively.
fn strip_prefix_ignore_case<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let head = name.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &name[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChecksumAlgorithm::*;

    fn b64(alg: ChecksumAlgorithm, data: &[u8]) -> String {
        alg.checksum(data).to_base64()
    }

    /// Check values of docs/protocol/s3-chunked.md#checksum-algorithms.
    #[test]
    fn check_values() {
        assert_eq!(b64(Crc32, b"123456789"), "y/Q5Jg==");
        assert_eq!(b64(Crc32c, b"123456789"), "4waSgw==");
        assert_eq!(b64(Crc64Nvme, b"123456789"), "rosUhgp5mIg=");
        assert_eq!(b64(Crc32, b"hello world"), "DUoRhQ==");
        assert_eq!(b64(Crc32c, b"hello world"), "yZRlqg==");
        assert_eq!(b64(Crc64Nvme, b"hello world"), "jSnVw/bqjr4=");
        assert_eq!(b64(Sha1, b"hello world"), "Kq5sNclPz7QV2+lfQIuc6R7oRu0=");
        assert_eq!(
            b64(Sha256, b"hello world"),
            "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="
        );
        assert_eq!(b64(Crc32, b""), "AAAAAA==");
        assert_eq!(b64(Crc32c, b""), "AAAAAA==");
        assert_eq!(b64(Crc64Nvme, b""), "AAAAAAAAAAA=");
    }

    #[test]
    fn incremental_equals_one_shot() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for alg in ChecksumAlgorithm::ALL {
            let mut h = alg.hasher();
            for piece in data.chunks(333) {
                h.update(piece);
            }
            assert_eq!(h.finish(), alg.checksum(&data), "{alg}");
        }
    }

    #[test]
    fn names_parse_in_any_case() {
        for alg in ChecksumAlgorithm::ALL {
            assert_eq!(ChecksumAlgorithm::from_name(alg.name()), Some(alg));
            assert_eq!(
                alg.name().to_ascii_lowercase().parse::<ChecksumAlgorithm>(),
                Ok(alg)
            );
            assert_eq!(
                ChecksumAlgorithm::from_header_name(&alg.header_name().to_ascii_uppercase()),
                Some(alg)
            );
        }
        assert!(ChecksumAlgorithm::from_name("SHA512").is_none());
        assert!("MD5".parse::<ChecksumAlgorithm>().is_err());
        assert!(ChecksumAlgorithm::from_header_name("x-amz-checksum-sha512").is_none());
    }

    #[test]
    fn trailer_header() {
        assert_eq!(
            ChecksumAlgorithm::from_trailer_header("x-amz-checksum-crc32"),
            Ok(Some(Crc32))
        );
        assert_eq!(
            ChecksumAlgorithm::from_trailer_header(" X-Amz-Checksum-CRC32C "),
            Ok(Some(Crc32c))
        );
        assert_eq!(ChecksumAlgorithm::from_trailer_header(""), Ok(None));
        assert_eq!(
            ChecksumAlgorithm::from_trailer_header("x-amz-checksum-crc32,x-amz-checksum-sha1"),
            Err(ChecksumError::Multiple)
        );
        assert!(matches!(
            ChecksumAlgorithm::from_trailer_header("x-foo"),
            Err(ChecksumError::Unsupported(_))
        ));
    }

    #[test]
    fn values_from_headers() {
        let got = Checksum::from_headers([
            ("x-amz-checksum-mode", "ENABLED"),
            ("X-Amz-Checksum-CRC32", "DUoRhQ=="),
            ("x-amz-sdk-checksum-algorithm", "CRC32"),
            ("content-type", "text/plain"),
        ]);
        assert_eq!(got, Ok(Some(Crc32.checksum(b"hello world"))));
        assert_eq!(Checksum::from_headers([("a", "b")]), Ok(None));
        assert_eq!(
            Checksum::from_headers([
                ("x-amz-checksum-crc32", "DUoRhQ=="),
                ("x-amz-checksum-sha1", "Kq5sNclPz7QV2+lfQIuc6R7oRu0=")
            ]),
            Err(ChecksumError::Multiple)
        );
        assert!(matches!(
            Checksum::from_headers([("x-amz-checksum-sha512", "AAAA")]),
            Err(ChecksumError::Unsupported(_))
        ));
        assert_eq!(
            Checksum::from_headers([("x-amz-checksum-crc32", "AAAAAAAA")]),
            Err(ChecksumError::InvalidValue(Crc32))
        );
        assert_eq!(
            Checksum::from_headers([("x-amz-checksum-crc32", "not base64!")]),
            Err(ChecksumError::InvalidValue(Crc32))
        );
    }

    /// The multipart example of docs/protocol/s3-chunked.md#multipart-checksums.
    #[test]
    fn multipart_combinations() {
        let a = vec![b'a'; 5 * 1024 * 1024];
        let b = vec![b'b'; 1024];
        let (ca, cb) = (Crc32.checksum(&a), Crc32.checksum(&b));
        assert_eq!(ca.to_base64(), "r/zBbw==");
        assert_eq!(cb.to_base64(), "Qw0K7A==");
        assert_eq!(
            composite_checksum(Crc32, [&ca, &cb]).as_deref(),
            Ok("pm11MA==-2")
        );
        let full = full_object_checksum([(&ca, a.len() as u64), (&cb, b.len() as u64)]);
        assert_eq!(
            full.map(|c| c.map(|c| c.to_base64())),
            Ok(Some("9NrqQQ==".into()))
        );
        let (sa, sb) = (Sha256.checksum(&a), Sha256.checksum(&b));
        assert_eq!(
            composite_checksum(Sha256, [&sa, &sb]).as_deref(),
            Ok("NLHrJlXEZEDn0NlgZhn8GLRMTzURmg2zW2TYiRdd7GU=-2")
        );
        assert_eq!(
            composite_checksum(Crc32, [&ca, &sb]),
            Err(ChecksumError::AlgorithmMismatch)
        );
        assert_eq!(
            full_object_checksum([(&sa, 1)]),
            Err(ChecksumError::NotCombinable(Sha256))
        );
    }

    #[test]
    fn combine_matches_whole_for_every_crc() {
        let data: Vec<u8> = (0..4096u32).map(|i| (i % 253) as u8).collect();
        for alg in [Crc32, Crc32c, Crc64Nvme] {
            for split in [0, 1, 100, 4095, 4096] {
                let (x, y) = data.split_at(split);
                let combined = alg.checksum(x).combine(&alg.checksum(y), y.len() as u64);
                assert_eq!(combined, Ok(alg.checksum(&data)), "{alg} at {split}");
            }
        }
    }
}
