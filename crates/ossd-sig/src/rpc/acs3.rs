//! V3 `ACS3-HMAC-SHA256` (docs/protocol/rpc.md#acs3-signature): the Authorization header, canonical
//! request, string to sign.

use crate::crypto::{hmac_sha256, sha256_hex};
use crate::encode::{uri_encode, uri_encode_path};
use crate::view::QueryParam;

use super::error::RpcSigError;
use super::view::RpcView;

/// The only supported V3 algorithm.
pub const ACS3_ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The header carrying the hex SHA-256 of the body (the canonical request's last line).
pub const CONTENT_SHA256_HEADER: &str = "x-acs-content-sha256";

/// The three fields of an `ACS3-HMAC-SHA256` Authorization header.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Acs3Authorization {
    pub(crate) credential: String,
    pub(crate) signed_headers: String,
    pub(crate) signature: String,
}

/// Parses `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`
/// (docs/protocol/rpc.md#acs3-verification step 1).
pub(crate) fn parse_authorization(value: &str) -> Result<Acs3Authorization, RpcSigError> {
    let value = value.trim();
    let (algorithm, fields) = value.split_once(' ').unwrap_or((value, ""));
    if algorithm != ACS3_ALGORITHM {
        return Err(RpcSigError::InvalidSignatureMethod);
    }
    let [mut credential, mut signed_headers, mut signature] = [None, None, None];
    for field in fields.split(',') {
        let (name, val) = field.trim().split_once('=').ok_or(malformed())?;
        let slot = match name {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => return Err(malformed()),
        };
        if slot.replace(val.trim().to_owned()).is_some() || val.trim().is_empty() {
            return Err(malformed());
        }
    }
    match (credential, signed_headers, signature) {
        (Some(credential), Some(signed_headers), Some(signature)) => Ok(Acs3Authorization {
            credential,
            signed_headers,
            signature,
        }),
        _ => Err(malformed()),
    }
}

/// The error for an Authorization header that is not `Credential=,SignedHeaders=,Signature=`.
fn malformed() -> RpcSigError {
    RpcSigError::IncompleteSignature("malformed ACS3 Authorization header")
}

/// The `SignedHeaders` names, `;`-separated; `None` when one of them is empty.
pub(crate) fn signed_header_names(signed_headers: &str) -> Option<Vec<&str>> {
    let names: Vec<&str> = signed_headers.split(';').collect();
    names.iter().all(|n| !n.is_empty()).then_some(names)
}

/// Decoded query parameters sorted by name (stable), `percentEncode(name)=percentEncode(value)`
/// joined with `&`; an empty list gives `""`.
pub fn acs3_canonical_query(query: &[QueryParam]) -> String {
    let mut sorted: Vec<&QueryParam> = query.iter().collect();
    sorted.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
    let pairs: Vec<String> = sorted
        .iter()
        .map(|p| format!("{}={}", uri_encode(&p.key), uri_encode(&p.value)))
        .collect();
    pairs.join("&")
}

/// The canonical request over the query-string parameters, the headers named in `signed_headers`
/// (in that order) and `hashed_payload` (docs/protocol/rpc.md#acs3-verification step 3).
pub fn acs3_canonical_request(
    view: &RpcView,
    signed_headers: &str,
    hashed_payload: &str,
) -> Result<String, RpcSigError> {
    let names = signed_header_names(signed_headers).ok_or(malformed())?;
    let mut headers = String::new();
    for name in names {
        let value = view
            .canonical_header(name)
            .ok_or(RpcSigError::IncompleteSignature(
                "a signed header is absent from the request",
            ))?;
        headers.push_str(&format!("{name}:{value}\n"));
    }
    let path = if view.path.is_empty() { "/" } else { view.path };
    Ok(format!(
        "{}\n{}\n{}\n{headers}\n{signed_headers}\n{hashed_payload}",
        view.method.to_ascii_uppercase(),
        uri_encode_path(path),
        acs3_canonical_query(view.params.query()),
    ))
}

/// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
pub fn acs3_string_to_sign(canonical_request: &str) -> String {
    format!(
        "{ACS3_ALGORITHM}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Lower-case hex HMAC-SHA256 of the string to sign, keyed with the bare secret (no `&`).
pub fn acs3_signature(secret: &str, string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()))
}

/// Lower-case hex SHA-256 of a body, the value of `x-acs-content-sha256`.
pub fn content_sha256(body: &[u8]) -> String {
    sha256_hex(body)
}

/// Signs `view` and returns the `Authorization` value. `signed_headers` are lower-cased, sorted
/// and de-duplicated; each must be present in `view`, as must `x-acs-content-sha256`.
pub fn sign_acs3(
    view: &RpcView,
    access_key_id: &str,
    signed_headers: &[&str],
    secret: &str,
) -> Result<String, RpcSigError> {
    let mut names: Vec<String> = signed_headers
        .iter()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    names.sort_unstable();
    names.dedup();
    let signed = names.join(";");
    let hashed_payload =
        view.unique_header(CONTENT_SHA256_HEADER)?
            .ok_or(RpcSigError::MissingParameter {
                name: CONTENT_SHA256_HEADER,
            })?;
    let canonical = acs3_canonical_request(view, &signed, hashed_payload)?;
    let signature = acs3_signature(secret, &acs3_string_to_sign(&canonical));
    Ok(format!(
        "{ACS3_ALGORITHM} Credential={access_key_id},SignedHeaders={signed},Signature={signature}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_fields() {
        let a = parse_authorization(
            "ACS3-HMAC-SHA256 Credential=ak, SignedHeaders=host;x,Signature=ff",
        );
        assert_eq!(a.as_ref().map(|a| a.credential.as_str()), Ok("ak"));
        assert_eq!(a.as_ref().map(|a| a.signed_headers.as_str()), Ok("host;x"));
        assert_eq!(a.as_ref().map(|a| a.signature.as_str()), Ok("ff"));
        let bad_method =
            parse_authorization("ACS3-HMAC-SM3 Credential=a,SignedHeaders=h,Signature=s");
        assert_eq!(bad_method.err(), Some(RpcSigError::InvalidSignatureMethod));
        for bad in [
            "ACS3-HMAC-SHA256",
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h",
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h,Signature=",
            "ACS3-HMAC-SHA256 Credential=a,Credential=a,SignedHeaders=h,Signature=s",
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h,Signature=s,Extra=1",
            "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h,Signature",
        ] {
            assert!(
                matches!(
                    parse_authorization(bad),
                    Err(RpcSigError::IncompleteSignature(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn signed_header_lists() {
        assert_eq!(signed_header_names("a;b"), Some(vec!["a", "b"]));
        assert_eq!(signed_header_names("a;;b"), None);
        assert_eq!(signed_header_names(""), None);
    }

    #[test]
    fn canonical_query_encoding() {
        let q = QueryParam::parse_query("b=Bob+Smith&a=%2A&c");
        assert_eq!(acs3_canonical_query(&q), "a=%2A&b=Bob%20Smith&c=");
        assert_eq!(acs3_canonical_query(&[]), "");
    }
}
