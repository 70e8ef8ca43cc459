//! A small cache of V4 signing keys, so that verifying a V4 request costs one HMAC instead of
//! five (the four of the key derivation depend only on secret, date, region, product). The
//! cache is a value owned by whoever verifies (the server keeps one in its state); there is no
//! process-wide instance.
//!
//! An entry is found by a fingerprint: SHA-256 over the cache's random salt and the
//! length-prefixed (family, secret, date, region, product); the family (OSS or AWS) keeps the
//! keys of the two derivations apart. Neither the secret nor an unsalted hash of it
//! is stored. The date is part of the fingerprint, so an entry serves one day's scope only. The
//! map holds at most [`MAX_KEYS`] entries and starts over when full; dropped keys are zeroed.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use rand::Rng;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::crypto::signing_key;
use crate::scope::ScopeFamily;

/// The most signing keys kept.
const MAX_KEYS: usize = 1024;

/// Derived V4 signing keys by fingerprint of (salt, secret, date, region, product). Share one
/// per verifier (it is `Sync`); [`verify_at`](crate::verify_at) and
/// [`verify_post_policy_v4`](crate::verify_post_policy_v4) take it.
pub struct SigningKeyCache {
    salt: Zeroizing<[u8; 32]>,
    keys: Mutex<HashMap<[u8; 32], Zeroizing<[u8; 32]>>>,
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyCache").finish_non_exhaustive()
    }
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self::new()
    }
}

impl SigningKeyCache {
    /// An empty cache with a fresh random salt.
    pub fn new() -> Self {
        let mut salt = Zeroizing::new([0u8; 32]);
        rand::rng().fill(&mut salt[..]);
        Self {
            salt,
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// The OSS V4 signing key of (secret, date, region, product), derived once and then reused.
    pub fn v4_signing_key(
        &self,
        secret: &str,
        yyyymmdd: &str,
        region: &str,
        product: &str,
    ) -> [u8; 32] {
        self.key(ScopeFamily::Oss, secret, yyyymmdd, region, product)
    }

    /// The AWS V4 signing key of (secret, date, region, service), derived once and then reused.
    pub fn aws_v4_signing_key(
        &self,
        secret: &str,
        yyyymmdd: &str,
        region: &str,
        service: &str,
    ) -> [u8; 32] {
        self.key(ScopeFamily::Aws, secret, yyyymmdd, region, service)
    }

    /// The signing key of `family` for (secret, date, region, product).
    pub fn key(
        &self,
        family: ScopeFamily,
        secret: &str,
        yyyymmdd: &str,
        region: &str,
        product: &str,
    ) -> [u8; 32] {
        let tag = match family {
            ScopeFamily::Oss => "oss",
            ScopeFamily::Aws => "aws",
        };
        let id = fingerprint(&self.salt, [tag, secret, yyyymmdd, region, product]);
        let lock = || self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(key) = lock().get(&id) {
            return **key;
        }
        let key = signing_key(family, secret, yyyymmdd, region, product);
        let mut keys = lock();
        if keys.len() >= MAX_KEYS {
            keys.clear();
        }
        keys.insert(id, Zeroizing::new(key));
        key
    }
}

/// SHA-256 over `salt` and each part prefixed with its length (so part boundaries are unambiguous).
/// The length is a LEB128 varint, which is prefix-free: one byte for a part shorter than 128
/// bytes, so the salt and the usual parts (a 30–40 byte secret) fit two SHA-256 blocks, where
/// eight-byte lengths needed three — one compression less per V4 request
/// (docs/performance.md, "GET/HEAD: moves, clocks and the access line").
fn fingerprint(salt: &[u8; 32], parts: [&str; 5]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    for part in parts {
        let mut len = [0u8; 10];
        h.update(leb128(part.len() as u64, &mut len));
        h.update(part.as_bytes());
    }
    h.finalize().into()
}

/// `n` as an unsigned LEB128 varint (seven bits a byte, low first, high bit = more follow),
/// written into `buf` (ten bytes hold any `u64`).
fn leb128(mut n: u64, buf: &mut [u8; 10]) -> &[u8] {
    let mut i = 0;
    while n >= 0x80 && i < buf.len() - 1 {
        buf[i] = (n & 0x7f) as u8 | 0x80;
        n >>= 7;
        i += 1;
    }
    buf[i] = (n & 0x7f) as u8;
    &buf[..=i]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{aws_v4_signing_key, v4_signing_key};

    #[test]
    fn families_never_share_an_entry() {
        let cache = SigningKeyCache::new();
        let oss = cache.v4_signing_key("s", "20130524", "us-east-1", "s3");
        let aws = cache.aws_v4_signing_key("s", "20130524", "us-east-1", "s3");
        assert_eq!(oss, v4_signing_key("s", "20130524", "us-east-1", "s3"));
        assert_eq!(aws, aws_v4_signing_key("s", "20130524", "us-east-1", "s3"));
        assert_ne!(oss, aws);
        assert_eq!(
            cache.v4_signing_key("s", "20130524", "us-east-1", "s3"),
            oss
        );
    }

    #[test]
    fn same_key_as_the_derivation() {
        let cache = SigningKeyCache::new();
        for _ in 0..2 {
            for (secret, date, region) in [
                ("s1", "20250115", "cn-hangzhou"),
                ("s2", "20250115", "cn-hangzhou"),
                ("s1", "20250116", "cn-hangzhou"),
                ("s1", "20250115", "cn-beijing"),
            ] {
                assert_eq!(
                    cache.v4_signing_key(secret, date, region, "oss"),
                    v4_signing_key(secret, date, region, "oss")
                );
            }
        }
    }

    #[test]
    fn full_cache_starts_over() {
        let cache = SigningKeyCache::new();
        for i in 0..=MAX_KEYS {
            let _ = cache.v4_signing_key(&format!("s{i}"), "20250115", "cn-hangzhou", "oss");
        }
        let held = cache.keys.lock().map(|k| k.len()).unwrap_or_default();
        assert_eq!(held, 1);
    }

    #[test]
    fn part_boundaries_matter() {
        let salt = [7u8; 32];
        assert_ne!(
            fingerprint(&salt, ["oss", "ab", "c", "r", "oss"]),
            fingerprint(&salt, ["oss", "a", "bc", "r", "oss"])
        );
        assert_ne!(
            fingerprint(&salt, ["oss", "s", "d", "r", "oss"]),
            fingerprint(&[8u8; 32], ["oss", "s", "d", "r", "oss"])
        );
    }

    #[test]
    fn lengths_are_leb128() {
        let mut buf = [0u8; 10];
        assert_eq!(leb128(0, &mut buf), [0]);
        assert_eq!(leb128(127, &mut buf), [0x7f]);
        assert_eq!(leb128(128, &mut buf), [0x80, 0x01]);
        assert_eq!(leb128(300, &mut buf), [0xac, 0x02]);
        assert_eq!(
            leb128(u64::MAX, &mut buf),
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        );
        // A part of 128 bytes and one of 1 byte followed by other bytes stay apart.
        let salt = [7u8; 32];
        let long = "x".repeat(128);
        assert_ne!(
            fingerprint(&salt, ["oss", &long, "d", "r", "oss"]),
            fingerprint(&salt, ["oss", "\u{80}", "d", "r", "oss"])
        );
    }

    #[test]
    fn debug_shows_no_key_material() {
        let cache = SigningKeyCache::new();
        let _ = cache.v4_signing_key("secret-xyz", "20250115", "cn-hangzhou", "oss");
        assert_eq!(format!("{cache:?}"), "SigningKeyCache { .. }");
    }
}
