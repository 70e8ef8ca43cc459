//! Strict URI encoding (docs/protocol/signatures.md#v4-canonical-request): only
//! `A-Z a-z 0-9 - _ . ~` stay literal, uppercase hex.

/// Percent-encodes every byte of `s` except `A-Z a-z 0-9 - _ . ~` (uppercase hex, `/` encoded).
pub fn uri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_uri_encoded(&mut out, s.as_bytes(), false);
    out
}

/// Like [`uri_encode`] but leaves `/` unencoded (for the V4 canonical URI).
pub fn uri_encode_path(s: &str) -> String {
    uri_encode_path_bytes(s.as_bytes())
}

/// Like [`uri_encode_path`] over raw bytes (a percent-decoded path need not be UTF-8).
pub(crate) fn uri_encode_path_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    push_uri_encoded(&mut out, bytes, true);
    out
}

/// Appends `bytes` strictly encoded to `out` (`/` literal when `keep_slash`): runs of unreserved
/// bytes are copied whole, every other byte becomes `%XX`.
pub(crate) fn push_uri_encoded(out: &mut String, bytes: &[u8], keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let literal = |b: u8| {
        b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
    };
    let mut rest = bytes;
    while !rest.is_empty() {
        let run = rest.iter().position(|&b| !literal(b)).unwrap_or(rest.len());
        // The run is ASCII, so valid UTF-8.
        out.push_str(std::str::from_utf8(&rest[..run]).unwrap_or_default());
        let Some(&b) = rest.get(run) else { break };
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
        rest = &rest[run + 1..];
    }
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

    #[test]
    fn every_byte_encodes_as_percent_encoding_would() {
        use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode};
        const STRICT: &AsciiSet = &NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'_')
            .remove(b'.')
            .remove(b'~');
        const STRICT_PATH: &AsciiSet = &STRICT.remove(b'/');
        let all: Vec<u8> = (0..=255u8).chain(b"ab/cd".iter().copied()).collect();
        let mut ours = String::new();
        push_uri_encoded(&mut ours, &all, false);
        assert_eq!(ours, percent_encode(&all, STRICT).to_string());
        assert_eq!(
            uri_encode_path_bytes(&all),
            percent_encode(&all, STRICT_PATH).to_string()
        );
    }
}
