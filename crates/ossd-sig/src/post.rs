//! PostObject policy signatures (docs/protocol/post-object.md#signatures,
//! docs/protocol/s3-signatures.md#browser-post-signatures): the signed string is the Base64
//! `policy` field as received.

use crate::crypto::{
    aws_v4_signing_key, signatures_equal, v1_signature, v4_signature, v4_signing_key,
};
use crate::error::SigError;
use crate::key_cache::SigningKeyCache;
use crate::scope::Scope;

/// V1 PostObject signature: Base64(HMAC-SHA1(secret, policy field)).
pub fn post_policy_v1_signature(secret: &str, policy_b64: &str) -> String {
    v1_signature(secret, policy_b64)
}

/// V4 PostObject signature: hex(HMAC-SHA256(signing key of `scope`, policy field)).
pub fn post_policy_v4_signature(secret: &str, scope: &Scope, policy_b64: &str) -> String {
    let key = v4_signing_key(secret, &scope.date, &scope.region, &scope.product);
    v4_signature(&key, policy_b64)
}

/// Checks a V1 PostObject `Signature` field in constant time.
pub fn verify_post_policy_v1(
    secret: &str,
    policy_b64: &str,
    provided: &str,
) -> Result<(), SigError> {
    check(
        &post_policy_v1_signature(secret, policy_b64),
        policy_b64,
        provided,
    )
}

/// Checks a V4 PostObject `x-oss-signature` field in constant time, the signing key taken
/// from `keys`.
pub fn verify_post_policy_v4(
    secret: &str,
    scope: &Scope,
    policy_b64: &str,
    provided: &str,
    keys: &SigningKeyCache,
) -> Result<(), SigError> {
    let key = keys.v4_signing_key(secret, &scope.date, &scope.region, &scope.product);
    check(&v4_signature(&key, policy_b64), policy_b64, provided)
}

/// S3 V4 browser POST signature: hex(HMAC-SHA256(AWS signing key of `scope`, policy field)).
pub fn post_policy_aws_v4_signature(secret: &str, scope: &Scope, policy_b64: &str) -> String {
    let key = aws_v4_signing_key(secret, &scope.date, &scope.region, &scope.product);
    v4_signature(&key, policy_b64)
}

/// S3 V2 browser POST signature: Base64(HMAC-SHA1(secret, policy field)).
pub fn post_policy_aws_v2_signature(secret: &str, policy_b64: &str) -> String {
    v1_signature(secret, policy_b64)
}

/// Checks an S3 V4 browser POST `x-amz-signature` field in constant time; `scope` comes from
/// the `x-amz-credential` field ([`Scope::parse_aws_credential`]).
pub fn verify_post_policy_aws_v4(
    policy_b64: &str,
    signature_hex: &str,
    secret: &str,
    scope: &Scope,
) -> Result<(), SigError> {
    let expected = post_policy_aws_v4_signature(secret, scope, policy_b64);
    check(&expected, policy_b64, signature_hex)
}

/// Checks an S3 V2 browser POST `signature` field in constant time.
pub fn verify_post_policy_aws_v2(
    policy_b64: &str,
    signature_b64: &str,
    secret: &str,
) -> Result<(), SigError> {
    let expected = post_policy_aws_v2_signature(secret, policy_b64);
    check(&expected, policy_b64, signature_b64)
}

/// `Mismatch` (with the policy as the string to sign) unless the signatures are equal.
fn check(expected: &str, policy_b64: &str, provided: &str) -> Result<(), SigError> {
    if signatures_equal(expected, provided) {
        return Ok(());
    }
    Err(SigError::Mismatch {
        string_to_sign: policy_b64.to_owned(),
        canonical_request: None,
        signature_provided: provided.to_owned(),
    })
}
