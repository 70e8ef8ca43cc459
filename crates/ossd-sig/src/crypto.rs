//! HMAC primitives, the public signature helpers, and constant-time comparison.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::scope::ScopeFamily;

type HmacSha1 = Hmac<Sha1>;
type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA1 of `msg` under `key`.
fn hmac_sha1(key: &[u8], msg: &[u8]) -> [u8; 20] {
    // HMAC accepts keys of any length, so the error branch cannot be taken.
    let mut mac = match HmacSha1::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => HmacSha1::new(&Default::default()),
    };
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA256 of `msg` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so the error branch cannot be taken.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => HmacSha256::new(&Default::default()),
    };
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex32(&Sha256::digest(data).into())
}

/// Appends the lowercase hex SHA-256 of `data` to `out`.
pub(crate) fn push_sha256_hex(out: &mut String, data: &[u8]) {
    push_hex32(out, &Sha256::digest(data).into());
}

/// Lowercase hex of a 32-byte digest.
fn hex32(bytes: &[u8; 32]) -> String {
    let mut out = String::with_capacity(64);
    push_hex32(&mut out, bytes);
    out
}

/// Appends the lowercase hex of a 32-byte digest to `out`, encoded in one pass into a fixed
/// buffer (`hex::encode` builds its string a character at a time).
fn push_hex32(out: &mut String, bytes: &[u8; 32]) {
    let mut buf = [0u8; 64];
    // The buffer is exactly twice the input, so encoding cannot fail; hex digits are ASCII.
    let encoded = hex::encode_to_slice(bytes, &mut buf).ok();
    match encoded.and_then(|()| std::str::from_utf8(&buf).ok()) {
        Some(text) => out.push_str(text),
        None => out.push_str(&hex::encode(bytes)),
    }
}

/// Constant-time equality of a computed and a provided signature.
pub(crate) fn signatures_equal(expected: &str, provided: &str) -> bool {
    expected.as_bytes().ct_eq(provided.as_bytes()).into()
}

/// V1 signature: Base64(HMAC-SHA1(secret, string_to_sign)).
pub fn v1_signature(secret: &str, string_to_sign: &str) -> String {
    STANDARD.encode(hmac_sha1(secret.as_bytes(), string_to_sign.as_bytes()))
}

/// V2 signature: Base64(HMAC-SHA256(secret, string_to_sign)).
pub fn v2_signature(secret: &str, string_to_sign: &str) -> String {
    STANDARD.encode(hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()))
}

/// V4 signing key: the HMAC-SHA256 chain over `aliyun_v4` + secret, date, region, product
/// (docs/protocol/signatures.md#v4-string-to-sign-and-signing-key).
pub fn v4_signing_key(secret: &str, yyyymmdd: &str, region: &str, product: &str) -> [u8; 32] {
    signing_key(ScopeFamily::Oss, secret, yyyymmdd, region, product)
}

/// AWS V4 signing key: the HMAC-SHA256 chain over `AWS4` + secret, date, region, service,
/// `aws4_request` (docs/protocol/s3-signatures.md#v4-string-to-sign-and-signing-key).
pub fn aws_v4_signing_key(secret: &str, yyyymmdd: &str, region: &str, service: &str) -> [u8; 32] {
    signing_key(ScopeFamily::Aws, secret, yyyymmdd, region, service)
}

/// The signing-key chain of `family`: prefix + secret, then date, region, product, terminator.
pub(crate) fn signing_key(
    family: ScopeFamily,
    secret: &str,
    yyyymmdd: &str,
    region: &str,
    product: &str,
) -> [u8; 32] {
    let k_secret = zeroize::Zeroizing::new(format!("{}{secret}", family.key_prefix()));
    let k_date = hmac_sha256(k_secret.as_bytes(), yyyymmdd.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_product = hmac_sha256(&k_region, product.as_bytes());
    hmac_sha256(&k_product, family.terminator().as_bytes())
}

/// V4 signature: lowercase hex HMAC-SHA256(signing key, string_to_sign).
pub fn v4_signature(key: &[u8; 32], string_to_sign: &str) -> String {
    hex32(&hmac_sha256(key, string_to_sign.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex32_is_lowercase_hex() {
        let bytes: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37));
        assert_eq!(hex32(&bytes), hex::encode(bytes));
    }

    #[test]
    fn aws_signing_key_differs_from_oss() {
        let aws = aws_v4_signing_key("s", "20130524", "us-east-1", "s3");
        assert_ne!(aws, v4_signing_key("s", "20130524", "us-east-1", "s3"));
    }

    #[test]
    fn constant_time_compare() {
        assert!(signatures_equal("abc", "abc"));
        assert!(!signatures_equal("abc", "abd"));
        assert!(!signatures_equal("abc", "ab"));
    }
}
