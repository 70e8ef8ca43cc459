//! The neutral view of a request that signatures cover, independent of addressing style.

use std::fmt;

use percent_encoding::percent_decode_str;

use crate::error::SigError;

/// One decoded query parameter, in wire order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParam {
    /// The decoded key.
    pub key: String,
    /// The decoded value (`""` when absent).
    pub value: String,
    /// Whether the item carried a `=` on the wire (`k=` versus `k`).
    pub has_equals: bool,
}

impl QueryParam {
    /// A parameter with a value, as if sent as `key=value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
            has_equals: true,
        }
    }

    /// A bare parameter, as if sent as `key` without `=`.
    pub fn bare(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: String::new(),
            has_equals: false,
        }
    }

    /// Parses a raw query string (without `?`) per
    /// docs/protocol/addressing.md#query-string-parsing: split on `&`, then at the first `=`,
    /// decode `+` as space, then percent-decode (invalid UTF-8 is replaced lossily).
    pub fn parse_query(raw: &str) -> Vec<QueryParam> {
        raw.split('&')
            .filter(|item| !item.is_empty())
            .map(|item| match item.split_once('=') {
                Some((k, v)) => QueryParam {
                    key: decode(k),
                    value: decode(v),
                    has_equals: true,
                },
                None => QueryParam {
                    key: decode(item),
                    value: String::new(),
                    has_equals: false,
                },
            })
            .collect()
    }
}

/// Decodes one query component: `+` becomes a space, then `%XX` sequences are decoded.
fn decode(component: &str) -> String {
    let spaced = component.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// What a signature covers, independent of addressing style.
#[derive(Clone, Copy)]
pub struct SigningView<'a> {
    /// The HTTP method, uppercase.
    pub method: &'a str,
    /// The resolved bucket (`None` = service level).
    pub bucket: Option<&'a str>,
    /// The decoded object key (`None` = bucket or service level).
    pub key: Option<&'a str>,
    /// The decoded query parameters in wire order
    /// (docs/protocol/addressing.md#query-string-parsing).
    pub query: &'a [QueryParam],
    /// Headers with lowercase names and values as received (duplicates already joined with `,`).
    pub headers: &'a [(String, String)],
    /// The request URI path exactly as received: still percent-encoded, before bucket and key
    /// resolution, `"/"` when empty (AWS signatures cover it:
    /// docs/protocol/s3-signatures.md#canonical-uri, #v2-canonicalized-resource).
    pub raw_path: &'a str,
    /// The lowercase hex SHA-256 of the body when the caller has already read it (the AWS STS
    /// Query API signs it without sending `x-amz-content-sha256`:
    /// docs/protocol/s3-signatures.md#payload-hash); `None` otherwise.
    pub body_sha256: Option<&'a str>,
}

impl<'a> SigningView<'a> {
    /// The value of the first header with this (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed value of a header, or `""` when absent.
    pub(crate) fn header_or_empty(&self, name: &str) -> &'a str {
        self.header(name).map(str::trim).unwrap_or("")
    }

    /// The first query parameter with this exact (case-sensitive) key.
    pub fn query_param(&self, key: &str) -> Option<&'a QueryParam> {
        self.query.iter().find(|p| p.key == key)
    }

    /// The value of a query parameter that must not repeat (auth parameters).
    pub(crate) fn unique_query(&self, key: &str) -> Result<Option<&'a str>, SigError> {
        let mut values = self.query.iter().filter(|p| p.key == key);
        let first = values.next().map(|p| p.value.as_str());
        match values.next() {
            Some(_) => Err(SigError::Malformed(format!(
                "Repeated query parameter {key}."
            ))),
            None => Ok(first),
        }
    }

    /// Whether a query parameter with this exact key is present.
    pub fn has_query(&self, key: &str) -> bool {
        self.query_param(key).is_some()
    }

    /// `"/" + bucket + "/" + key` (or `"/bucket/"`, or `"/"` at service level), not encoded.
    pub(crate) fn resource_path(&self) -> String {
        match self.bucket {
            Some(bucket) => format!("/{bucket}/{}", self.key.unwrap_or("")),
            None => "/".to_owned(),
        }
    }
}

impl fmt::Debug for SigningView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may hold signatures and security tokens: only names are shown.
        let query_keys: Vec<&str> = self.query.iter().map(|p| p.key.as_str()).collect();
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("SigningView")
            .field("method", &self.method)
            .field("bucket", &self.bucket)
            .field("key", &self.key)
            .field("query_keys", &query_keys)
            .field("header_names", &header_names)
            .field("raw_path", &self.raw_path)
            .field("body_sha256", &self.body_sha256)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_query_rules() {
        let q = QueryParam::parse_query("a=dir%2Fa+b%2Bc&uploads&prefix=&x=1=2");
        assert_eq!(q[0], QueryParam::new("a", "dir/a b+c"));
        assert_eq!(q[1], QueryParam::bare("uploads"));
        assert_eq!(q[2], QueryParam::new("prefix", ""));
        assert_eq!(q[3], QueryParam::new("x", "1=2"));
        assert!(QueryParam::parse_query("").is_empty());
    }

    #[test]
    fn debug_shows_names_only() {
        let query = QueryParam::parse_query("Signature=secret-sig");
        let headers = vec![("x-oss-security-token".to_owned(), "tok-value".to_owned())];
        let view = SigningView {
            method: "GET",
            bucket: None,
            key: None,
            query: &query,
            headers: &headers,
            raw_path: "/",
            body_sha256: None,
        };
        let shown = format!("{view:?}");
        assert!(shown.contains("Signature") && shown.contains("x-oss-security-token"));
        assert!(!shown.contains("secret-sig") && !shown.contains("tok-value"));
    }

    #[test]
    fn resource_path_levels() {
        let v = |bucket, key| SigningView {
            method: "GET",
            bucket,
            key,
            query: &[],
            headers: &[],
            raw_path: "/",
            body_sha256: None,
        };
        assert_eq!(v(None, None).resource_path(), "/");
        assert_eq!(v(Some("b"), None).resource_path(), "/b/");
        assert_eq!(v(Some("b"), Some("k/x")).resource_path(), "/b/k/x");
    }
}
