//! Checksums of object data: CRC-64/XZ (what OSS calls `crc64ecma`), its combine for
//! concatenated data, and the one-pass MD5 + CRC-64 [`Digests`] every write runs.

use crc_fast::{CrcAlgorithm, Digest};
use md5::{Digest as _, Md5};

/// OSS's `crc64ecma` is CRC-64/XZ (reflected ECMA-182, init and xorout all ones).
const ALGORITHM: CrcAlgorithm = CrcAlgorithm::Crc64Xz;

/// Bytes fed to MD5 and then to CRC-64 before moving on, so the second pass reads from L1/L2.
const BLOCK: usize = 16 * 1024;

/// Streaming CRC-64/XZ hasher.
#[derive(Clone, Copy, Debug)]
pub struct Crc64(Digest);

impl Crc64 {
    /// A hasher that has seen no bytes (its value is 0).
    pub fn new() -> Self {
        Self(Digest::new(ALGORITHM))
    }

    /// Feeds more bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The CRC-64 of all bytes fed so far.
    pub fn finish(&self) -> u64 {
        self.0.finalize()
    }
}

impl Default for Crc64 {
    fn default() -> Self {
        Self::new()
    }
}

/// CRC-64/XZ of `data` in one call.
pub fn crc64(data: &[u8]) -> u64 {
    crc_fast::checksum(ALGORITHM, data)
}

/// CRC-64 of `A ‖ B` from `crc64(A)`, `crc64(B)` and `B`'s length, without the data.
pub fn crc64_combine(crc_a: u64, crc_b: u64, len_b: u64) -> u64 {
    if len_b == 0 {
        return crc_a;
    }
    crc_fast::checksum_combine(ALGORITHM, crc_a, crc_b, len_b)
}

/// Size, MD5 and CRC-64 of some bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Checksums {
    /// Number of bytes.
    pub size: u64,
    /// Binary MD5 (the ETag and `Content-MD5` of a plain upload).
    pub md5: [u8; 16],
    /// CRC-64/XZ (`x-oss-hash-crc64ecma`).
    pub crc64: u64,
}

impl Checksums {
    /// Checksums of `data` in one call.
    pub fn of(data: &[u8]) -> Self {
        let mut digests = Digests::new();
        digests.update(data);
        digests.finish()
    }
}

/// MD5 and CRC-64 of a byte stream, computed in one pass over each chunk.
#[derive(Clone)]
pub struct Digests {
    md5: Md5,
    crc: Crc64,
    size: u64,
}

impl Digests {
    /// Digests of no bytes yet.
    pub fn new() -> Self {
        Self {
            md5: Md5::new(),
            crc: Crc64::new(),
            size: 0,
        }
    }

    /// Feeds more bytes to both hashes, block by block while each block is in cache.
    pub fn update(&mut self, data: &[u8]) {
        for block in data.chunks(BLOCK) {
            self.md5.update(block);
            self.crc.update(block);
        }
        self.size += data.len() as u64;
    }

    /// Number of bytes fed so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The final size, MD5 and CRC-64.
    pub fn finish(self) -> Checksums {
        Checksums {
            size: self.size,
            md5: self.md5.finalize().into(),
            crc64: self.crc.finish(),
        }
    }
}

impl Default for Digests {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Digests {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Digests")
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}
