//! Reading request headers, sans I/O: the attributes of a new object (user metadata, ACL,
//! storage class, tagging, Content-MD5, Content-Length), dates, conditions and ranges. Each parser takes the
//! header's value (`None` when absent); the server applies them to its request context.

use base64::Engine;
use ossd_types::{Conditions, ObjectAcl, StorageClass};

use crate::error::OssError;
use crate::xml::{Tag, validate_tags};

/// The most user metadata (names + values) one object may carry, in bytes (8 KB, as OSS).
pub const MAX_USER_META_BYTES: usize = 8 * 1024;

/// The standard headers stored with an object and returned on GET/HEAD.
pub const STORED_HEADERS: &[&str] = &[
    "content-type",
    "content-disposition",
    "content-encoding",
    "content-language",
    "cache-control",
    "expires",
];

/// `x-oss-meta-*` headers (lowercase names), names lowercased without the prefix. The values
/// are in their stored form ([`meta_stored_value`]); the size limit counts the bytes sent.
pub fn user_meta<'h>(
    headers: impl IntoIterator<Item = (&'h str, &'h str)>,
) -> Result<Vec<(String, String)>, OssError> {
    let meta: Vec<(String, String)> = headers
        .into_iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("x-oss-meta-")
                .map(|n| (n.to_owned(), v.to_owned()))
        })
        .collect();
    let size: usize = meta
        .iter()
        .map(|(k, v)| k.len() + meta_wire_bytes(v).len())
        .sum();
    if size > MAX_USER_META_BYTES {
        return Err(OssError::invalid_argument(
            "Your metadata headers exceed the maximum allowed metadata size.",
        ));
    }
    Ok(meta)
}

/// Starts the stored form of a user-metadata value whose bytes were not UTF-8. No header value
/// can hold U+007F (DEL is not a field-value character, RFC 9110 §5.5), so no value sent as
/// UTF-8 is ever read as this form.
const OPAQUE_MARK: char = '\u{7f}';

/// The stored form of a user-metadata value sent as `raw`: the text itself when the bytes are
/// UTF-8 (oss2's `bytes` values, docs/protocol/objects.md#user-metadata); otherwise, for
/// example the Latin-1 `é` (0xE9) that oss2 sends for a `str`, [`OPAQUE_MARK`] followed by one
/// character per byte. [`meta_wire_bytes`] turns either back into exactly the bytes received, so
/// a GET answers what the PUT sent.
pub fn meta_stored_value(raw: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(raw) {
        Ok(text) => text.into(),
        Err(_) => std::iter::once(OPAQUE_MARK)
            .chain(raw.iter().map(|&b| char::from(b)))
            .collect::<String>()
            .into(),
    }
}

/// The bytes a stored user-metadata value is sent back as (the inverse of
/// [`meta_stored_value`]).
pub fn meta_wire_bytes(stored: &str) -> std::borrow::Cow<'_, [u8]> {
    let opaque = stored
        .strip_prefix(OPAQUE_MARK)
        .and_then(|rest| rest.chars().map(|c| u8::try_from(c).ok()).collect());
    match opaque {
        Some(bytes) => std::borrow::Cow::Owned(bytes),
        None => stored.as_bytes().into(),
    }
}

/// `x-oss-object-acl`.
pub fn object_acl(value: Option<&str>) -> Result<Option<ObjectAcl>, OssError> {
    value
        .map(|v| {
            ObjectAcl::parse(v.trim())
                .map_err(|_| OssError::invalid_argument("no such object access control exists"))
        })
        .transpose()
}

/// `x-oss-storage-class`.
pub fn storage_class(value: Option<&str>) -> Result<Option<StorageClass>, OssError> {
    value
        .map(|v| {
            StorageClass::parse(v.trim())
                .map_err(|_| OssError::invalid_argument("Invalid storage class."))
        })
        .transpose()
}

/// A CopyObject directive (`x-oss-metadata-directive`, `x-oss-tagging-directive`; S3's
/// `x-amz-*` twins arrive under these names): `COPY` (the default) is `false`, `REPLACE` `true`,
/// in any case; another value is 400 `InvalidArgument` "Unknown <what> directive." (OSS and S3
/// CopyObject references list only these two values).
pub fn replace_directive(value: Option<&str>, what: &str) -> Result<bool, OssError> {
    match value.map(|v| v.trim().to_ascii_uppercase()).as_deref() {
        None | Some("COPY") => Ok(false),
        Some("REPLACE") => Ok(true),
        Some(_) => Err(OssError::invalid_argument(format!(
            "Unknown {what} directive."
        ))),
    }
}

/// The values of `x-oss-server-side-encryption` (OSS PutObject reference).
const OSS_SSE_ALGORITHMS: [&str; 3] = ["AES256", "KMS", "SM4"];

/// `x-oss-server-side-encryption` of an OSS write: one of the algorithms OSS documents, else 400
/// `InvalidEncryptionAlgorithmError`. ossd stores no encryption attribute; the check only keeps a
/// misspelt algorithm from being accepted silently. (An S3 request's
/// `x-amz-server-side-encryption` is checked against S3's values in [`crate::s3`].)
pub fn server_side_encryption(value: Option<&str>) -> Result<(), OssError> {
    match value {
        Some(v) if !OSS_SSE_ALGORITHMS.contains(&v.trim()) => Err(OssError::new(
            crate::error::OssCode::InvalidEncryptionAlgorithmError,
        )),
        _ => Ok(()),
    }
}

/// `x-oss-tagging: k1=v1&k2=v2` (URL-encoded).
pub fn tagging(value: Option<&str>) -> Result<Vec<(String, String)>, OssError> {
    let Some(raw) = value else {
        return Ok(Vec::new());
    };
    let parsed = crate::request::parse_query(raw)
        .map_err(|_| OssError::invalid_argument("Invalid tagging header."))?;
    let tags: Vec<Tag> = parsed
        .into_iter()
        .map(|q| Tag {
            key: q.key,
            value: q.value,
        })
        .collect();
    validate_tags(&tags)?;
    Ok(tags.into_iter().map(|t| (t.key, t.value)).collect())
}

/// `Content-MD5` as 16 bytes; anything else is InvalidDigest.
pub fn content_md5(value: Option<&str>) -> Result<Option<[u8; 16]>, OssError> {
    let Some(v) = value else {
        return Ok(None);
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(v.trim())
        .map_err(|_| OssError::invalid_digest())?;
    bytes
        .try_into()
        .map(Some)
        .map_err(|_| OssError::invalid_digest())
}

/// `Content-Length`, if sent.
pub fn content_length(value: Option<&str>) -> Result<Option<u64>, OssError> {
    value
        .map(|v| {
            v.trim()
                .parse::<u64>()
                .map_err(|_| OssError::invalid_argument("Invalid Content-Length."))
        })
        .transpose()
}

/// An HTTP date header value as Unix seconds (unparseable dates are ignored, as HTTP says).
pub fn http_date(value: &str) -> Option<i64> {
    let t = httpdate::parse_http_date(value.trim()).ok()?;
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

/// The conditions of a read (`prefix` empty) or of a copy source (`prefix`
/// `x-oss-copy-source-`), from `header` (lowercase name → value). A date that does not parse is
/// ignored, as HTTP says (docs/protocol/objects.md#getobject).
pub fn conditions<'h>(prefix: &str, header: impl Fn(&str) -> Option<&'h str>) -> Conditions {
    // Without a prefix (GET, HEAD) the names are looked up as they are, with no `format!`.
    let named = |n: &str| match prefix {
        "" => header(n),
        _ => header(&format!("{prefix}{n}")),
    };
    let text = |n: &str| named(n).map(str::to_owned);
    let date = |n: &str| named(n).and_then(http_date);
    Conditions {
        if_match: text("if-match"),
        if_none_match: text("if-none-match"),
        if_modified_since: date("if-modified-since"),
        if_unmodified_since: date("if-unmodified-since"),
    }
}

/// A resolved `Range` request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// Serve everything (no Range, or an invalid one in legacy mode).
    Full,
    /// Serve bytes `start..=end`.
    Partial(u64, u64),
    /// 416.
    Unsatisfiable,
}

/// One byte range as a `Range: bytes=...` header states it, before the object's size is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    /// `bytes=a-b` with `a <= b`.
    Span(u64, u64),
    /// `bytes=a-`.
    From(u64),
    /// `bytes=-n`: the last `n` bytes.
    Suffix(u64),
}

/// A `Range` header parsed with its `x-oss-range-behavior`, resolved against the object's size
/// once it is known ([`RangeRequest::resolve`]; docs/protocol/objects.md#getobject).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RangeRequest {
    /// The range, when the header was sent and states one (an unparseable header, several
    /// ranges or `a > b` are `None`: OSS serves the whole object).
    pub range: Option<ByteRange>,
    /// `x-oss-range-behavior: standard`: RFC 7233 instead of the legacy OSS behaviour.
    pub standard: bool,
}

impl RangeRequest {
    /// `Range` and `x-oss-range-behavior` as sent (`None` when absent).
    pub fn parse(range: Option<&str>, behavior: Option<&str>) -> Self {
        let standard = behavior.is_some_and(|v| v.eq_ignore_ascii_case("standard"));
        Self {
            range: range.and_then(byte_range),
            standard,
        }
    }

    /// Resolves the range against `size`. Legacy OSS behaviour serves the whole object for
    /// invalid ranges; `standard` follows RFC 7233.
    pub fn resolve(&self, size: u64) -> Range {
        let standard = self.standard;
        let (start, end) = match self.range {
            None => return Range::Full,
            Some(ByteRange::Span(s, e)) => (s, e),
            Some(ByteRange::From(s)) => (s, u64::MAX),
            Some(ByteRange::Suffix(n)) if n > 0 => (size.saturating_sub(n), u64::MAX),
            // A zero-length suffix can never be satisfied (RFC 7233 section 2.1).
            Some(ByteRange::Suffix(_)) if standard => return Range::Unsatisfiable,
            Some(ByteRange::Suffix(_)) => return Range::Full,
        };
        if start >= size {
            return if standard {
                Range::Unsatisfiable
            } else {
                Range::Full
            };
        }
        if end >= size && !standard && end != u64::MAX {
            return Range::Full;
        }
        Range::Partial(start, end.min(size - 1))
    }
}

/// `bytes=a-b | a- | -n`; anything else is `None`.
fn byte_range(header: &str) -> Option<ByteRange> {
    let spec = header.trim().strip_prefix("bytes=")?;
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(s), Ok(e)) if s <= e => Some(ByteRange::Span(s, e)),
        (Ok(s), Err(_)) if b.is_empty() => Some(ByteRange::From(s)),
        (Err(_), Ok(n)) if a.is_empty() => Some(ByteRange::Suffix(n)),
        _ => None,
    }
}

/// Resolves `Range: bytes=a-b` against `size` ([`RangeRequest::resolve`]).
pub fn range(header: Option<&str>, size: u64, standard: bool) -> Range {
    RangeRequest {
        range: header.and_then(byte_range),
        standard,
    }
    .resolve(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_directives() {
        assert_eq!(replace_directive(None, "tagging"), Ok(false));
        assert_eq!(replace_directive(Some("copy"), "tagging"), Ok(false));
        assert_eq!(replace_directive(Some("REPLACE"), "tagging"), Ok(true));
        assert_eq!(replace_directive(Some("Replace "), "metadata"), Ok(true));
        for bad in ["BOGUS", "", "REPLACEX"] {
            let err = replace_directive(Some(bad), "tagging").unwrap_err();
            assert_eq!(err.code, crate::error::OssCode::InvalidArgument);
            assert_eq!(err.message, "Unknown tagging directive.");
        }
    }

    #[test]
    fn server_side_encryption_values() {
        for ok in [
            None,
            Some("AES256"),
            Some("KMS"),
            Some("SM4"),
            Some(" AES256 "),
        ] {
            assert_eq!(server_side_encryption(ok), Ok(()), "{ok:?}");
        }
        for bad in ["ROT13", "aws:kms", "", "aes256"] {
            let err = server_side_encryption(Some(bad)).unwrap_err();
            assert_eq!(
                err.code,
                crate::error::OssCode::InvalidEncryptionAlgorithmError
            );
            assert_eq!(err.status, 400);
        }
    }

    #[test]
    fn ranges() {
        assert_eq!(range(Some("bytes=0-4"), 10, false), Range::Partial(0, 4));
        assert_eq!(range(Some("bytes=5-"), 10, false), Range::Partial(5, 9));
        assert_eq!(range(Some("bytes=-3"), 10, false), Range::Partial(7, 9));
        assert_eq!(range(Some("bytes=-30"), 10, false), Range::Partial(0, 9));
        assert_eq!(range(Some("bytes=20-30"), 10, false), Range::Full);
        assert_eq!(range(Some("bytes=20-30"), 10, true), Range::Unsatisfiable);
        assert_eq!(range(Some("bytes=5-30"), 10, true), Range::Partial(5, 9));
        assert_eq!(range(Some("bytes=5-30"), 10, false), Range::Full);
        assert_eq!(range(Some("bytes=x-y"), 10, false), Range::Full);
        assert_eq!(range(Some("bytes=4-2"), 10, false), Range::Full);
        assert_eq!(range(None, 10, false), Range::Full);
        assert_eq!(range(Some("bytes=-0"), 10, true), Range::Unsatisfiable);
        assert_eq!(range(Some("bytes=-0"), 10, false), Range::Full);
        assert_eq!(range(Some("bytes=0-1,3-4"), 10, false), Range::Full);
        assert_eq!(range(Some("bytes=-3"), 0, true), Range::Unsatisfiable);
        assert_eq!(range(Some("items=0-4"), 10, true), Range::Full);
        let max = format!("bytes=5-{}", u64::MAX);
        assert_eq!(range(Some(&max), 10, false), Range::Partial(5, 9));
    }

    #[test]
    fn range_requests_parse_before_the_size_is_known() {
        let r = RangeRequest::parse(Some(" bytes=2-4 "), Some("Standard"));
        assert_eq!(r.range, Some(ByteRange::Span(2, 4)));
        assert!(r.standard);
        assert_eq!(r.resolve(3), Range::Partial(2, 2));
        let r = RangeRequest::parse(Some("bytes=4-2"), Some("legacy"));
        assert_eq!((r.range, r.standard), (None, false));
        assert_eq!(r.resolve(10), Range::Full);
        let r = RangeRequest::parse(Some("bytes=-0"), None);
        assert_eq!(r.range, Some(ByteRange::Suffix(0)));
        assert_eq!(RangeRequest::default().resolve(10), Range::Full);
    }

    #[test]
    fn conditions_ignore_malformed_dates() {
        let headers = [
            ("if-match", "\"a\""),
            ("if-modified-since", "not a date"),
            ("if-unmodified-since", "Sun, 06 Nov 1994 08:49:37 GMT"),
            ("x-oss-copy-source-if-none-match", "\"b\""),
        ];
        let get = |n: &str| headers.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
        let c = conditions("", get);
        assert_eq!(c.if_match.as_deref(), Some("\"a\""));
        assert_eq!(c.if_none_match, None);
        assert_eq!(c.if_modified_since, None, "a malformed date is ignored");
        assert_eq!(c.if_unmodified_since, Some(784_111_777));
        let copy = conditions("x-oss-copy-source-", get);
        assert_eq!(copy.if_none_match.as_deref(), Some("\"b\""));
        assert_eq!(copy.if_match, None);
    }

    #[test]
    fn metadata_values_round_trip_byte_for_byte() {
        let sent: [&[u8]; 5] = [
            b"plain",
            "caf\u{e9} \u{4e2d}".as_bytes(),
            b"Hello World\xe9",
            b"\xff\xfe",
            b"",
        ];
        for raw in sent {
            let stored = meta_stored_value(raw);
            assert_eq!(&*meta_wire_bytes(&stored), raw, "{stored:?}");
        }
        // UTF-8 is stored as the text; other bytes are marked, never confused with it.
        assert_eq!(meta_stored_value("caf\u{e9}".as_bytes()), "caf\u{e9}");
        assert_ne!(meta_stored_value(b"caf\xe9"), "caf\u{e9}");
        assert_eq!(&*meta_wire_bytes("caf\u{e9}"), "caf\u{e9}".as_bytes());
        // A marked value with a character no byte stands for is sent as its text.
        assert_eq!(
            &*meta_wire_bytes("\u{7f}\u{4e2d}"),
            "\u{7f}\u{4e2d}".as_bytes()
        );
    }

    #[test]
    fn metadata_size_counts_the_bytes_sent() {
        let value = meta_stored_value(&[0xe9; 4096]).into_owned();
        let name_and_value = |n: usize| vec![("x-oss-meta-k".to_owned(), value.clone()); n];
        let headers = name_and_value(1);
        let meta = user_meta(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(meta.map(|m| m.len()).ok(), Some(1));
        let headers = name_and_value(2);
        assert!(user_meta(headers.iter().map(|(k, v)| (k.as_str(), v.as_str()))).is_err());
    }
}
