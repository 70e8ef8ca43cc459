//! Reading request headers from a [`Ctx`]: the attributes of a new object and the copy-source
//! conditions (a read's own range and conditions are parsed with its `Params`).
//! The parsers themselves are pure and live in [`ossd_proto::headers`]; these adapters hand them
//! the request's header values.

use ossd_meta::EtagCondition;
use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::headers::{self as wire, STORED_HEADERS};
use ossd_store::{Conditions, WriteSpec};
use ossd_types::{ObjectAcl, StorageClass};

use crate::pipeline::ctx::Ctx;

pub(crate) use ossd_proto::headers::{Range, range};

/// The attributes of a new object from the request headers.
pub(crate) fn write_spec(ctx: &Ctx, default_class: StorageClass) -> Result<WriteSpec, OssError> {
    let tags = tagging_header(ctx)?;
    write_spec_tagged(ctx, default_class, tags)
}

/// [`write_spec`] with the tags given rather than read from `x-oss-tagging` (an append after the
/// first, which keeps the object's tags, does not read the header at all).
pub(crate) fn write_spec_tagged(
    ctx: &Ctx,
    default_class: StorageClass,
    tags: Vec<(String, String)>,
) -> Result<WriteSpec, OssError> {
    if ctx.dialect == Dialect::Oss {
        wire::server_side_encryption(ctx.header("x-oss-server-side-encryption"))?;
    }
    Ok(WriteSpec {
        bucket: ctx.bucket().to_owned(),
        key: ctx.key().to_owned(),
        headers: stored_headers(ctx),
        user_meta: user_meta(ctx)?,
        tags,
        acl: object_acl(ctx)?.unwrap_or(ObjectAcl::Default),
        storage_class: storage_class(ctx)?.unwrap_or(default_class),
        content_md5: content_md5(ctx)?,
        forbid_overwrite: ctx
            .header("x-oss-forbid-overwrite")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        etag_condition: etag_condition(ctx),
        content_length: content_length(ctx)?,
        checksum: Default::default(),
    })
}

/// S3's conditional write: `If-Match` and `If-None-Match` on PutObject, CopyObject and
/// CompleteMultipartUpload (docs/s3.md#conditional-writes; `If-None-Match: *` arrives as
/// `x-oss-forbid-overwrite`). OSS's writes ignore these headers, so an OSS request has none.
pub(crate) fn etag_condition(ctx: &Ctx) -> EtagCondition {
    if ctx.dialect != Dialect::S3 {
        return EtagCondition::default();
    }
    EtagCondition {
        if_match: ctx.header("if-match").map(str::to_owned),
        if_none_match: ctx.header("if-none-match").map(str::to_owned),
    }
}

/// The standard headers present on the request.
pub(crate) fn stored_headers(ctx: &Ctx) -> Vec<(String, String)> {
    STORED_HEADERS
        .iter()
        .filter_map(|h| ctx.header(h).map(|v| ((*h).to_owned(), v.to_owned())))
        .collect()
}

/// `x-oss-meta-*` headers, names lowercased without the prefix ([`wire::user_meta`]).
pub(crate) fn user_meta(ctx: &Ctx) -> Result<Vec<(String, String)>, OssError> {
    wire::user_meta(ctx.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// `x-oss-object-acl` ([`wire::object_acl`]).
pub(crate) fn object_acl(ctx: &Ctx) -> Result<Option<ObjectAcl>, OssError> {
    wire::object_acl(ctx.header("x-oss-object-acl"))
}

/// `x-oss-storage-class` ([`wire::storage_class`]).
pub(crate) fn storage_class(ctx: &Ctx) -> Result<Option<StorageClass>, OssError> {
    wire::storage_class(ctx.header("x-oss-storage-class"))
}

/// `x-oss-tagging` ([`wire::tagging`]); for the OSS dialect also OSS's character rule
/// ([`oss_tag_characters`]).
pub(crate) fn tagging_header(ctx: &Ctx) -> Result<Vec<(String, String)>, OssError> {
    let tags = wire::tagging(ctx.header("x-oss-tagging"))?;
    oss_tag_characters(ctx, &tags)?;
    Ok(tags)
}

/// OSS's character rule for object tags, on OSS requests only
/// ([`ossd_proto::xml::check_oss_tag_characters`]; docs/protocol/objects.md#object-tagging).
pub(crate) fn oss_tag_characters(ctx: &Ctx, tags: &[(String, String)]) -> Result<(), OssError> {
    if ctx.dialect != Dialect::Oss {
        return Ok(());
    }
    ossd_proto::xml::check_oss_tag_characters(tags.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// `Content-MD5` as 16 bytes ([`wire::content_md5`]).
pub(crate) fn content_md5(ctx: &Ctx) -> Result<Option<[u8; 16]>, OssError> {
    wire::content_md5(ctx.header("content-md5"))
}

/// `Content-Length`, if sent ([`wire::content_length`]).
pub(crate) fn content_length(ctx: &Ctx) -> Result<Option<u64>, OssError> {
    wire::content_length(ctx.header("content-length"))
}

/// The conditions under `prefix` (`x-oss-copy-source-` for a copy source; a read's own are
/// parsed with its `Params`), by [`wire::conditions`].
pub(crate) fn conditions(ctx: &Ctx, prefix: &str) -> Conditions {
    wire::conditions(prefix, |n| ctx.header(n))
}
