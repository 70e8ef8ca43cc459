//! Scheme detection (docs/protocol/rpc.md#scheme-detection) and parsing of the v1 parameters
//! (docs/protocol/rpc.md#v1-common-parameters, #v1-authentication-order steps 1–3) and the V3
//! headers (docs/protocol/rpc.md#acs3-headers, #acs3-verification).

use super::acs3::{CONTENT_SHA256_HEADER, parse_authorization, signed_header_names};
use super::auth::{RpcAuth, RpcScheme};
use super::error::RpcSigError;
use super::params::RpcParams;
use super::timestamp::parse_rpc_timestamp;
use super::v1::SIGNATURE_PARAM;
use super::view::RpcView;

/// Longest accepted nonce, so that the caller's replay cache stays bounded (Design).
pub const MAX_NONCE_LEN: usize = 256;

/// The STS token header (V3, and accepted alongside the v1 `SecurityToken` parameter).
const TOKEN_HEADER: &str = "x-acs-security-token";

/// v1 parameters that must be present and non-empty, in the order they are checked.
const V1_REQUIRED: [&str; 8] = [
    "Action",
    "Version",
    "AccessKeyId",
    SIGNATURE_PARAM,
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
];

/// V3 headers that must be present and non-empty, in the order they are checked.
const V3_REQUIRED: [&str; 6] = [
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    CONTENT_SHA256_HEADER,
    "host",
];

/// V3 headers that `SignedHeaders` must name whenever the request carries them (ossd's choice,
/// docs/protocol/rpc.md#acs3-headers).
const V3_SIGNED_IF_PRESENT: [&str; 2] = ["content-type", TOKEN_HEADER];

impl RpcAuth {
    /// Detects the scheme and parses it: an `ACS3-` Authorization header → V3, else a `Signature`
    /// parameter → v1, else `Ok(None)` (anonymous; the caller answers
    /// [`unsigned_error`](Self::unsigned_error) unless the action allows anonymous calls).
    pub fn parse(view: &RpcView) -> Result<Option<RpcAuth>, RpcSigError> {
        if let Some(authorization) = acs3_authorization(view)? {
            return parse_acs3(view, authorization).map(Some);
        }
        if view.params.get(SIGNATURE_PARAM).is_some() {
            return parse_v1(view).map(Some);
        }
        Ok(None)
    }

    /// The error for a request that [`parse`](Self::parse) found unsigned, in the order the v1
    /// common parameters are checked: 400 `MissingAccessKeyId` when no AccessKeyId is named
    /// (neither the `AccessKeyId` parameter nor `x-acs-accesskey-id`), else 400
    /// `MissingSignature` ("Signature is mandatory for this action.", the POP gateway's
    /// `Missing{Parameter}` form).
    pub fn unsigned_error(view: &RpcView) -> RpcSigError {
        let names_key = non_empty(view.params.get("AccessKeyId")).is_some()
            || view
                .header_values("x-acs-accesskey-id")
                .any(|v| !v.trim().is_empty());
        let name = if names_key {
            SIGNATURE_PARAM
        } else {
            "AccessKeyId"
        };
        RpcSigError::Missing { name }
    }
}

/// The single `ACS3-…` Authorization header, if any.
fn acs3_authorization<'a>(view: &RpcView<'a>) -> Result<Option<&'a str>, RpcSigError> {
    let mut values = view.header_values("authorization").map(str::trim);
    let Some(first) = values.next() else {
        return Ok(None);
    };
    let acs3 = first.starts_with("ACS3-");
    match values.next() {
        Some(other) if acs3 || other.starts_with("ACS3-") => Err(RpcSigError::IncompleteSignature(
            "repeated Authorization header",
        )),
        _ => Ok(acs3.then_some(first)),
    }
}

/// v1: required parameters, signature method and version, timestamp format, token.
fn parse_v1(view: &RpcView) -> Result<RpcAuth, RpcSigError> {
    let [
        action,
        version,
        ak,
        signature,
        method,
        sig_version,
        nonce,
        ts,
    ] = required(V1_REQUIRED, |name| view.params.unique(name))?;
    if method != "HMAC-SHA1" {
        return Err(RpcSigError::InvalidParameter {
            name: "SignatureMethod",
        });
    }
    if sig_version != "1.0" {
        return Err(RpcSigError::InvalidParameter {
            name: "SignatureVersion",
        });
    }
    check_nonce(nonce, "SignatureNonce")?;
    let timestamp = parse_rpc_timestamp(ts).ok_or(RpcSigError::TimestampFormat)?;
    Ok(RpcAuth {
        scheme: RpcScheme::V1,
        access_key_id: ak.to_owned(),
        security_token: v1_token(view)?,
        nonce: nonce.to_owned(),
        timestamp,
        timestamp_raw: ts.to_owned(),
        action: action.to_owned(),
        version: version.to_owned(),
        signature: signature.to_owned(),
        signed_headers: None,
    })
}

/// The v1 token: `SecurityToken`, else header `x-acs-security-token`; both must agree if sent.
fn v1_token(view: &RpcView) -> Result<Option<String>, RpcSigError> {
    let param = non_empty(view.params.unique("SecurityToken")?);
    let header = non_empty(view.unique_header(TOKEN_HEADER)?);
    match (param, header) {
        (Some(p), Some(h)) if p != h => Err(RpcSigError::InvalidParameter {
            name: "SecurityToken",
        }),
        (p, h) => Ok(p.or(h).map(str::to_owned)),
    }
}

/// V3: Authorization fields, required and signed headers, date format, token and key id.
fn parse_acs3(view: &RpcView, authorization: &str) -> Result<RpcAuth, RpcSigError> {
    let auth = parse_authorization(authorization)?;
    let [action, version, date, nonce, _, _] =
        required(V3_REQUIRED, |name| view.unique_header(name)).map_err(missing_header)?;
    check_signed_coverage(view, &auth.signed_headers)?;
    check_nonce(nonce, "x-acs-signature-nonce")?;
    let timestamp = parse_rpc_timestamp(date).ok_or(RpcSigError::TimestampFormat)?;
    check_param_agrees(view.params, "Action", action)?;
    check_param_agrees(view.params, "Version", version)?;
    let key_header = non_empty(view.unique_header("x-acs-accesskey-id")?);
    if key_header.is_some_and(|id| id != auth.credential) {
        let name = "x-acs-accesskey-id";
        return Err(RpcSigError::InvalidParameter { name });
    }
    Ok(RpcAuth {
        scheme: RpcScheme::Acs3,
        access_key_id: auth.credential,
        security_token: non_empty(view.unique_header(TOKEN_HEADER)?).map(str::to_owned),
        nonce: nonce.to_owned(),
        timestamp,
        timestamp_raw: date.to_owned(),
        action: action.to_owned(),
        version: version.to_owned(),
        signature: auth.signature,
        signed_headers: Some(auth.signed_headers),
    })
}

/// `SignedHeaders` must name the required headers and those of [`V3_SIGNED_IF_PRESENT`] that
/// the request carries, and every named header must be present (`IncompleteSignature`).
fn check_signed_coverage(view: &RpcView, signed_headers: &str) -> Result<(), RpcSigError> {
    let incomplete = RpcSigError::IncompleteSignature;
    let names =
        signed_header_names(signed_headers).ok_or(incomplete("empty name in SignedHeaders"))?;
    let signs = |h: &str| names.iter().any(|n| n.eq_ignore_ascii_case(h));
    let present = |h: &str| view.header_values(h).next().is_some();
    if !V3_REQUIRED.iter().all(|h| signs(h)) {
        return Err(incomplete("a required header is not signed"));
    }
    if V3_SIGNED_IF_PRESENT.iter().any(|h| present(h) && !signs(h)) {
        return Err(incomplete("a required header is not signed"));
    }
    if !names.iter().all(|n| present(n)) {
        return Err(incomplete("a signed header is absent from the request"));
    }
    Ok(())
}

/// Looks up each name in order; the first absent or empty one is `Missing{name}`.
fn required<'a, const N: usize>(
    names: [&'static str; N],
    lookup: impl Fn(&'static str) -> Result<Option<&'a str>, RpcSigError>,
) -> Result<[&'a str; N], RpcSigError> {
    let mut out = [""; N];
    for (slot, name) in out.iter_mut().zip(names) {
        *slot = non_empty(lookup(name)?).ok_or(RpcSigError::Missing { name })?;
    }
    Ok(out)
}

/// V3 reports absent headers as `MissingParameter` (header names do not fit `Missing{Name}`).
fn missing_header(err: RpcSigError) -> RpcSigError {
    match err {
        RpcSigError::Missing { name } => RpcSigError::MissingParameter { name },
        other => other,
    }
}

/// `InvalidParameter` when a nonce is longer than [`MAX_NONCE_LEN`] bytes.
fn check_nonce(nonce: &str, name: &'static str) -> Result<(), RpcSigError> {
    if nonce.len() > MAX_NONCE_LEN {
        return Err(RpcSigError::InvalidParameter { name });
    }
    Ok(())
}

/// V3: an `Action`/`Version` parameter, when also sent, must equal its `x-acs-*` header.
fn check_param_agrees(
    params: &RpcParams,
    name: &'static str,
    header: &str,
) -> Result<(), RpcSigError> {
    match params.unique(name)? {
        Some(value) if value != header => Err(RpcSigError::InvalidParameter {
            name: "Action or Version",
        }),
        _ => Ok(()),
    }
}

/// `None` for an absent or empty value.
fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}
