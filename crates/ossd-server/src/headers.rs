//! Reading request headers: the attributes of a new object, conditions, ranges, dates.

use base64::Engine;
use ossd_proto::error::OssError;
use ossd_proto::xml::{Tag, validate_tags};
use ossd_store::{Conditions, WriteSpec};
use ossd_types::{ObjectAcl, StorageClass};

use crate::ctx::Ctx;

/// The most user metadata (names + values) one object may carry, in bytes (8 KB, as OSS).
pub(crate) const MAX_USER_META_BYTES: usize = 8 * 1024;

/// The standard headers stored with an object and returned on GET/HEAD.
pub(crate) const STORED_HEADERS: &[&str] = &[
    "content-type",
    "content-disposition",
    "content-encoding",
    "content-language",
    "cache-control",
    "expires",
];

/// The attributes of a new object from the request headers.
pub(crate) fn write_spec(ctx: &Ctx, default_class: StorageClass) -> Result<WriteSpec, OssError> {
    Ok(WriteSpec {
        bucket: ctx.bucket().to_owned(),
        key: ctx.key().to_owned(),
        headers: stored_headers(ctx),
        user_meta: user_meta(ctx)?,
        tags: tagging_header(ctx)?,
        acl: object_acl(ctx)?.unwrap_or(ObjectAcl::Default),
        storage_class: storage_class(ctx)?.unwrap_or(default_class),
        content_md5: content_md5(ctx)?,
        forbid_overwrite: ctx
            .header("x-oss-forbid-overwrite")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        content_length: content_length(ctx)?,
    })
}

/// The standard headers present on the request.
pub(crate) fn stored_headers(ctx: &Ctx) -> Vec<(String, String)> {
    STORED_HEADERS
        .iter()
        .filter_map(|h| ctx.header(h).map(|v| ((*h).to_owned(), v.to_owned())))
        .collect()
}

/// `x-oss-meta-*` headers, names lowercased without the prefix.
pub(crate) fn user_meta(ctx: &Ctx) -> Result<Vec<(String, String)>, OssError> {
    let meta: Vec<(String, String)> = ctx
        .headers
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("x-oss-meta-")
                .map(|n| (n.to_owned(), v.clone()))
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
pub(crate) fn object_acl(ctx: &Ctx) -> Result<Option<ObjectAcl>, OssError> {
    ctx.header("x-oss-object-acl")
        .map(|v| {
            ObjectAcl::parse(v.trim())
                .map_err(|_| OssError::invalid_argument("no such object access control exists"))
        })
        .transpose()
}

/// `x-oss-storage-class`.
pub(crate) fn storage_class(ctx: &Ctx) -> Result<Option<StorageClass>, OssError> {
    ctx.header("x-oss-storage-class")
        .map(|v| {
            StorageClass::parse(v.trim())
                .map_err(|_| OssError::invalid_argument("Invalid storage class."))
        })
        .transpose()
}

/// `x-oss-tagging: k1=v1&k2=v2` (URL-encoded).
pub(crate) fn tagging_header(ctx: &Ctx) -> Result<Vec<(String, String)>, OssError> {
    let Some(raw) = ctx.header("x-oss-tagging") else {
        return Ok(Vec::new());
    };
    let parsed = ossd_proto::request::parse_query(raw)
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
pub(crate) fn content_md5(ctx: &Ctx) -> Result<Option<[u8; 16]>, OssError> {
    let Some(v) = ctx.header("content-md5") else {
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
pub(crate) fn content_length(ctx: &Ctx) -> Result<Option<u64>, OssError> {
    ctx.header("content-length")
        .map(|v| {
            v.trim()
                .parse::<u64>()
                .map_err(|_| OssError::invalid_argument("Invalid Content-Length."))
        })
        .transpose()
}

/// An HTTP date header as Unix seconds (unparseable dates are ignored, as HTTP says).
pub(crate) fn http_date(ctx: &Ctx, name: &str) -> Option<i64> {
    let v = ctx.header(name)?;
    let t = httpdate::parse_http_date(v.trim()).ok()?;
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

/// The GET conditions, or with `prefix = "x-oss-copy-source-"` the copy-source conditions.
pub(crate) fn conditions(ctx: &Ctx, prefix: &str) -> Conditions {
    let h = |n: &str| ctx.header(&format!("{prefix}{n}")).map(str::to_owned);
    Conditions {
        if_match: h("if-match"),
        if_none_match: h("if-none-match"),
        if_modified_since: http_date(ctx, &format!("{prefix}if-modified-since")),
        if_unmodified_since: http_date(ctx, &format!("{prefix}if-unmodified-since")),
    }
}

/// A resolved `Range` request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Range {
    /// Serve everything (no Range, or an invalid one in legacy mode).
    Full,
    /// Serve bytes `start..=end`.
    Partial(u64, u64),
    /// 416.
    Unsatisfiable,
}

/// Resolves `Range: bytes=a-b` against `size`. Legacy OSS behaviour serves the whole object for
/// invalid ranges; `standard` (x-oss-range-behavior: standard) follows RFC 7233.
pub(crate) fn range(header: Option<&str>, size: u64, standard: bool) -> Range {
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
