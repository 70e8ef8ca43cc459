//! The v1 (HMAC-SHA1) string to sign and the two tolerated client variants
//! (docs/protocol/rpc.md#v1-signature, #tolerated-client-variants).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::crypto::signatures_equal;
use crate::encode::uri_encode;
use crate::view::QueryParam;

/// The parameter that carries the signature and is never signed.
pub(crate) const SIGNATURE_PARAM: &str = "Signature";

/// Node `querystring.escape` / `encodeURIComponent`: also leaves `! ' ( ) *` literal.
const JS_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'!')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*');

/// One canonicalisation of the v1 string to sign (docs/protocol/rpc.md#v1-string-to-sign,
/// #tolerated-client-variants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum V1Variant {
    /// RFC 3986 `percentEncode` at both levels (docs/protocol/rpc.md#v1-string-to-sign).
    Standard,
    /// `alibabacloud-credentials`: spaces written as `+` in the inner canonical string.
    Plus,
    /// `@alicloud/sts-sdk`: `! ' ( ) *` left unescaped at both levels.
    Js,
}

impl V1Variant {
    /// Every variant, in the order verification tries them.
    pub const ALL: [V1Variant; 3] = [Self::Standard, Self::Plus, Self::Js];

    /// Encodes one name or value of the inner canonicalized query string.
    fn inner(self, s: &str) -> String {
        match self {
            Self::Standard => uri_encode(s),
            // `%` itself is escaped, so every `%20` in the output stands for a space.
            Self::Plus => uri_encode(s).replace("%20", "+"),
            Self::Js => utf8_percent_encode(s, JS_SET).to_string(),
        }
    }

    /// Encodes the whole canonicalized query string (the outer level).
    fn outer(self, s: &str) -> String {
        match self {
            Self::Standard | Self::Plus => uri_encode(s),
            Self::Js => utf8_percent_encode(s, JS_SET).to_string(),
        }
    }
}

/// The canonicalized query string: every parameter but `Signature`, sorted by name (byte order,
/// stable for repeated names), `name=value` encoded per `variant`, joined with `&`.
pub fn v1_canonicalized_query(params: &[QueryParam], variant: V1Variant) -> String {
    let mut signed: Vec<&QueryParam> = params.iter().filter(|p| p.key != SIGNATURE_PARAM).collect();
    signed.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
    let pairs: Vec<String> = signed
        .iter()
        .map(|p| format!("{}={}", variant.inner(&p.key), variant.inner(&p.value)))
        .collect();
    pairs.join("&")
}

/// `METHOD&%2F&percentEncode(CanonicalizedQueryString)` with the method in upper case.
pub fn v1_string_to_sign(method: &str, params: &[QueryParam], variant: V1Variant) -> String {
    let canonical = v1_canonicalized_query(params, variant);
    format!(
        "{}&%2F&{}",
        method.to_ascii_uppercase(),
        variant.outer(&canonical)
    )
}

/// `Base64(HMAC-SHA1(secret + "&", string_to_sign))`.
pub fn v1_signature(secret: &str, string_to_sign: &str) -> String {
    crate::crypto::v1_signature(&format!("{secret}&"), string_to_sign)
}

/// Signs `params` (any `Signature` among them is ignored) the standard way; returns the base64
/// value of the `Signature` parameter.
pub fn sign_v1(method: &str, params: &[QueryParam], secret: &str) -> String {
    sign_v1_variant(method, params, secret, V1Variant::Standard)
}

/// Signs `params` with one canonicalisation variant (to reproduce the quirky clients in tests).
pub fn sign_v1_variant(
    method: &str,
    params: &[QueryParam],
    secret: &str,
    variant: V1Variant,
) -> String {
    v1_signature(secret, &v1_string_to_sign(method, params, variant))
}

/// The first variant whose signature equals `provided` (constant-time comparison), trying
/// Standard, then Plus and Js only where they differ from Standard
/// (docs/protocol/rpc.md#v1-signature-value, #tolerated-client-variants).
pub fn v1_matching_variant(
    method: &str,
    params: &[QueryParam],
    secret: &str,
    provided: &str,
) -> Option<V1Variant> {
    let standard = v1_string_to_sign(method, params, V1Variant::Standard);
    let candidates = signature_candidates(provided);
    V1Variant::ALL.into_iter().find(|&variant| {
        let sts = match variant {
            V1Variant::Standard => standard.clone(),
            other => v1_string_to_sign(method, params, other),
        };
        if variant != V1Variant::Standard && sts == standard {
            return false;
        }
        let expected = v1_signature(secret, &sts);
        candidates.iter().any(|c| signatures_equal(&expected, c))
    })
}

/// The provided signature, plus the same with spaces read back as `+` when a client sent a raw
/// `+` that form-decoding turned into a space (docs/protocol/rpc.md#v1-signature-value).
fn signature_candidates(provided: &str) -> Vec<String> {
    let mut out = vec![provided.to_owned()];
    if provided.contains(' ') {
        out.push(provided.replace(' ', "+"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_encodings() {
        let s = "a b*!'()~+%";
        assert_eq!(V1Variant::Standard.inner(s), "a%20b%2A%21%27%28%29~%2B%25");
        assert_eq!(V1Variant::Plus.inner(s), "a+b%2A%21%27%28%29~%2B%25");
        assert_eq!(V1Variant::Js.inner(s), "a%20b*!'()~%2B%25");
        assert_eq!(V1Variant::Plus.outer("a+b"), "a%2Bb");
        assert_eq!(V1Variant::Js.outer("a=*&b"), "a%3D*%26b");
    }

    #[test]
    fn signature_excluded_and_sorted() {
        let params = vec![
            QueryParam::new("b", "2"),
            QueryParam::new("Signature", "x"),
            QueryParam::new("B", ""),
            QueryParam::new("a", "1"),
        ];
        let q = v1_canonicalized_query(&params, V1Variant::Standard);
        assert_eq!(q, "B=&a=1&b=2");
        let sts = v1_string_to_sign("get", &params, V1Variant::Standard);
        assert_eq!(sts, "GET&%2F&B%3D%26a%3D1%26b%3D2");
    }

    #[test]
    fn raw_plus_in_signature() {
        let with_plus = (0..200).find_map(|i| {
            let params = vec![QueryParam::new("Action", format!("X{i}"))];
            let sig = sign_v1("GET", &params, "s");
            sig.contains('+').then_some((params, sig))
        });
        let Some((params, sig)) = with_plus else {
            panic!("no signature with '+' among 200 candidates");
        };
        let spaced = sig.replace('+', " ");
        let found = v1_matching_variant("GET", &params, "s", &spaced);
        assert_eq!(found, Some(V1Variant::Standard));
    }
}
