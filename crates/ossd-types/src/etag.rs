//! ETags: uppercase hex, quoted on the wire, compared without quotes and case-insensitively.

use std::fmt;

/// `inner` (an ETag's text without quotes) in double quotes, as headers and XML carry it; for
/// stored records that keep the inner text as a plain string.
pub fn quote_etag(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len() + 2);
    out.push('"');
    out.push_str(inner);
    out.push('"');
    out
}

/// An entity tag: the inner text without quotes (uppercase hex, maybe with a `-N` suffix).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ETag(String);

impl ETag {
    /// The ETag of content whose MD5 is `md5`.
    pub fn from_md5(md5: &[u8; 16]) -> Self {
        Self(hex_upper(md5))
    }

    /// An ETag from stored inner text (no quotes).
    pub fn from_inner(inner: impl Into<String>) -> Self {
        Self(inner.into())
    }

    /// The text without quotes.
    pub fn inner(&self) -> &str {
        &self.0
    }

    /// The quoted form used in headers and XML.
    pub fn quoted(&self) -> String {
        quote_etag(&self.0)
    }

    /// Whether a client-sent ETag (quoted or not, any case; `*` matches all) names this one.
    pub fn matches(&self, client: &str) -> bool {
        let c = client.trim();
        c == "*" || c.trim_matches('"').eq_ignore_ascii_case(&self.0)
    }

    /// Whether any entry of a comma-separated If-Match / If-None-Match list names this one.
    pub fn matches_list(&self, list: &str) -> bool {
        list.split(',').any(|c| self.matches(c))
    }
}

impl fmt::Display for ETag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.0)
    }
}

fn hex_upper(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        let e = ETag::from_inner("FAAB150CB99BC2F09D5B6774329308AF-3");
        assert!(e.matches("faab150cb99bc2f09d5b6774329308af-3"));
        assert!(e.matches("\"FAAB150CB99BC2F09D5B6774329308AF-3\""));
        assert!(e.matches("*"));
        assert!(!e.matches("abc"));
        assert!(e.matches_list("\"x\", \"FAAB150CB99BC2F09D5B6774329308AF-3\""));
        assert_eq!(ETag::from_md5(&[0xab; 16]).quoted().len(), 34);
    }
}
