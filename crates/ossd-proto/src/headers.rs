//! Reading request headers, sans I/O: the attributes of a new object (user metadata, ACL,
//! storage class, tagging, Content-MD5, Content-Length), dates and ranges. Each parser takes the
//! header's value (`None` when absent); the server applies them to its request context.

use base64::Engine;
use ossd_types::{ObjectAcl, StorageClass};

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

/// `x-oss-meta-*` headers (lowercase names), names lowercased without the prefix.
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
    let size: usize = meta.iter().map(|(k, v)| k.len() + v.len()).sum();
    if size > MAX_USER_META_BYTES {
        return Err(OssError::invalid_argument(
            "Your metadata headers exceed the maximum allowed metadata size.",
        ));
    }
    Ok(meta)
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

/// Resolves `Range: bytes=a-b` against `size`. Legacy OSS behaviour serves the whole object for
/// invalid ranges; `standard` (x-oss-range-behavior: standard) follows RFC 7233.
pub fn range(header: Option<&str>, size: u64, standard: bool) -> Range {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Range::Full;
    };
    let Some((a, b)) = spec.split_once('-') else {
        return Range::Full;
    };
    let (a, b) = (a.trim(), b.trim());
    let parsed = match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(s), Ok(e)) if s <= e => Some((s, e)),
        (Ok(s), Err(_)) if b.is_empty() => Some((s, u64::MAX)),
        (Err(_), Ok(n)) if a.is_empty() && n > 0 => Some((size.saturating_sub(n), u64::MAX)),
        // A zero-length suffix can never be satisfied (RFC 7233 section 2.1).
        (Err(_), Ok(0)) if a.is_empty() && standard => return Range::Unsatisfiable,
        _ => None,
    };
    let Some((start, end)) = parsed else {
        return Range::Full;
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
