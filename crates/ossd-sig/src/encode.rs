//! Strict URI encoding (docs/protocol/signatures.md#v4-canonical-request): only
//! `A-Z a-z 0-9 - _ . ~` stay literal, uppercase hex.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode, utf8_percent_encode};

/// Every byte except the unreserved set is encoded.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Like [`STRICT`] but `/` stays literal (V4 canonical URI).
const STRICT_PATH: &AsciiSet = &STRICT.remove(b'/');

/// Percent-encodes every byte of `s` except `A-Z a-z 0-9 - _ . ~` (uppercase hex, `/` encoded).
pub fn uri_encode(s: &str) -> String {
    utf8_percent_encode(s, STRICT).to_string()
}

/// Like [`uri_encode`] but leaves `/` unencoded (for the V4 canonical URI).
pub fn uri_encode_path(s: &str) -> String {
    utf8_percent_encode(s, STRICT_PATH).to_string()
}

/// Like [`uri_encode_path`] over raw bytes (a percent-decoded path need not be UTF-8).
pub(crate) fn uri_encode_path_bytes(bytes: &[u8]) -> String {
    percent_encode(bytes, STRICT_PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_encoding() {
        assert_eq!(uri_encode("a/b c+d&e=~._-"), "a%2Fb%20c%2Bd%26e%3D~._-");
        assert_eq!(uri_encode("ä"), "%C3%A4");
        assert_eq!(uri_encode("*'()!"), "%2A%27%28%29%21");
        assert_eq!(
            uri_encode_path("/examplebucket/photos/2025/cat & dog+1.jpg"),
            "/examplebucket/photos/2025/cat%20%26%20dog%2B1.jpg"
        );
    }
}
