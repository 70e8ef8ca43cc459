//! Verification: the timestamp window first, then the signature, compared in constant time.

use time::OffsetDateTime;

use crate::crypto::signatures_equal;

use super::acs3::{
    CONTENT_SHA256_HEADER, acs3_canonical_request, acs3_signature, acs3_string_to_sign,
    content_sha256,
};
use super::auth::{RpcAuth, RpcScheme};
use super::error::RpcSigError;
use super::v1::{V1Variant, v1_matching_variant, v1_string_to_sign};
use super::view::RpcView;

/// Checks the timestamp window and then the signature of a request parsed by [`RpcAuth::parse`]
/// from the same `view` (docs/protocol/rpc.md#v1-authentication-order steps 3 and 6,
/// #acs3-verification). Nonce replay is the caller's check.
pub fn verify(
    auth: &RpcAuth,
    view: &RpcView,
    secret: &str,
    now: OffsetDateTime,
) -> Result<(), RpcSigError> {
    auth.check_timestamp(now)?;
    match auth.scheme {
        RpcScheme::V1 => verify_v1(auth, view, secret),
        RpcScheme::Acs3 => verify_acs3(auth, view, secret),
    }
}

/// v1: the standard canonicalisation, then the tolerated variants
/// (docs/protocol/rpc.md#tolerated-client-variants).
fn verify_v1(auth: &RpcAuth, view: &RpcView, secret: &str) -> Result<(), RpcSigError> {
    let params = view.params.all();
    match v1_matching_variant(view.method, params, secret, &auth.signature) {
        Some(_) => Ok(()),
        None => Err(RpcSigError::SignatureDoesNotMatch {
            string_to_sign: v1_string_to_sign(view.method, params, V1Variant::Standard),
        }),
    }
}

/// V3: the payload hash against the body (when given), then the HMAC-SHA256 signature.
fn verify_acs3(auth: &RpcAuth, view: &RpcView, secret: &str) -> Result<(), RpcSigError> {
    let signed = auth
        .signed_headers
        .as_deref()
        .ok_or(RpcSigError::IncompleteSignature("no SignedHeaders"))?;
    let claimed =
        view.unique_header(CONTENT_SHA256_HEADER)?
            .ok_or(RpcSigError::MissingParameter {
                name: CONTENT_SHA256_HEADER,
            })?;
    if let Some(body) = view.body {
        let actual = content_sha256(body);
        if !actual.eq_ignore_ascii_case(claimed) {
            let canonical = acs3_canonical_request(view, signed, &actual)?;
            let string_to_sign = acs3_string_to_sign(&canonical);
            return Err(RpcSigError::PayloadHashMismatch { string_to_sign });
        }
    }
    let string_to_sign = acs3_string_to_sign(&acs3_canonical_request(view, signed, claimed)?);
    if signatures_equal(&acs3_signature(secret, &string_to_sign), &auth.signature) {
        Ok(())
    } else {
        Err(RpcSigError::SignatureDoesNotMatch { string_to_sign })
    }
}
