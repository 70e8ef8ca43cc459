//! The source of CopyObject and UploadPartCopy: `x-oss-copy-source: /<bucket>/<key>[?versionId=]`
//! parsed, resolved to a version, authorized for reading, and its `x-oss-copy-source-if-*`
//! conditions.

use ossd_meta::NULL_VERSION;
use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::op::Operation;
use ossd_store::{ConditionFailure, ObjectBody, StoreError, check_conditions};
use ossd_types::BucketName;

use crate::AppState;
use crate::handlers::restore;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::headers::conditions;
use crate::pipeline::read_auth::{Addressed, ReadScope};
use crate::transport::response::{Resp, set, status};

/// The parsed `x-oss-copy-source` header.
pub(super) struct Source {
    /// Source bucket.
    pub bucket: String,
    /// Source key (decoded).
    pub key: String,
    /// `?versionId=`, when given.
    pub version_id: Option<String>,
}

fn parse_source(raw: &str, dialect: Dialect) -> Result<Source, OssError> {
    let invalid = || {
        OssError::invalid_argument(
            "Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.",
        )
    };
    let (path, version) = match raw.split_once("?versionId=") {
        Some((p, v)) => (p, Some(v.to_owned())),
        None => (raw, None),
    };
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| invalid())?;
    let trimmed = decoded.strip_prefix('/').unwrap_or(&decoded);
    let (bucket, key) = trimmed.split_once('/').ok_or_else(invalid)?;
    BucketName::new(bucket).map_err(|_| invalid())?;
    if !dialect.valid_key(key) {
        return Err(invalid());
    }
    Ok(Source {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        version_id: version.map(check_version_id).transpose()?,
    })
}

/// A named source version must be a version id: `?versionId=` with nothing after it is refused
/// like the `versionId` parameter of the object requests (400 `InvalidArgument`), not read as
/// "the current version"; a malformed one as by [`crate::pipeline::ctx::check_version_id`].
fn check_version_id(v: String) -> Result<String, OssError> {
    if v.is_empty() {
        return Err(OssError::invalid_argument(
            "Version id can not be the empty string.",
        ));
    }
    crate::pipeline::ctx::check_version_id(&v)?;
    Ok(v)
}

/// A resolved, authorized copy source (CopyObject and UploadPartCopy).
pub(super) struct CopySource {
    /// The parsed header.
    pub src: Source,
    /// The source version (and, for a symlink, its target's data).
    pub body: ObjectBody,
}

impl CopySource {
    /// `x-oss-copy-source-version-id`, when the source is versioned.
    pub(super) fn version_header(&self, resp: &mut Resp) {
        if self.body.data.version_id != NULL_VERSION {
            set(
                resp,
                "x-oss-copy-source-version-id",
                &self.body.data.version_id,
            );
        }
    }
}

/// Parses `x-oss-copy-source`, resolves the source version and checks the caller may read it
/// (`oss:GetObject`, or `oss:GetObjectVersion` when a version is named), also when it does not
/// exist: only a caller who may read it is told so.
pub(super) async fn load_source(state: &AppState, ctx: &Ctx) -> Result<CopySource, OssError> {
    let src = parse_source(
        ctx.header("x-oss-copy-source").unwrap_or_default(),
        ctx.dialect,
    )?;
    let scope = ReadScope::load(state, ctx, &src.bucket).await?;
    // Authorized before it is told whether the source exists (docs/security.md).
    let body = scope
        .resolve(
            state,
            ctx,
            &src.key,
            src.version_id.as_deref(),
            Addressed::Unchecked,
        )
        .await?
        .map_err(|e| source_error(e, ctx, &src.key))?;
    // A frozen archived source cannot be read until restored (RestoreObject).
    restore::check_readable(&body.data, restore::now_ms(state))?;
    if copies_tags(ctx, &src) && !body.data.tags.is_empty() {
        // The served record's tags (a symlink's target's: its latest version) go to the copy.
        let versioned = !body.is_symlink() && src.version_id.is_some();
        scope
            .authorize_tags_read(state, ctx, &body.data, versioned)
            .await?;
    }
    Ok(CopySource { src, body })
}

/// Whether this CopyObject gives its new object the source's tags (`x-oss-tagging-directive`
/// other than `Replace`) from another object: a copy onto itself reveals none.
fn copies_tags(ctx: &Ctx, src: &Source) -> bool {
    let onto_itself = src.bucket == ctx.bucket() && src.key == ctx.key();
    copies_tags_of(ctx.op, ctx.header("x-oss-tagging-directive"), onto_itself)
}

/// [`copies_tags`] over the operation, the tagging directive and whether source and
/// destination are the same object.
fn copies_tags_of(op: Operation, directive: Option<&str>, onto_itself: bool) -> bool {
    op == Operation::CopyObject
        && !directive.is_some_and(|d| d.eq_ignore_ascii_case("replace"))
        && !onto_itself
}

/// The error for a source that cannot be read: a delete marker is no object to copy.
fn source_error(e: StoreError, ctx: &Ctx, key: &str) -> OssError {
    match e {
        StoreError::CurrentIsDeleteMarker(_) => OssError::no_such_key(key),
        StoreError::VersionIsDeleteMarker(_) => OssError::invalid_request(
            "The source of a copy request may not specifically refer to a delete marker by version id.",
        ),
        other => store_error(other, ctx).with_extra("Key", key.to_owned()),
    }
}

/// The `x-oss-copy-source-if-*` conditions: `Some(304)` when not modified, 412 when failed. S3
/// answers a source that is not modified with 412 too (docs/s3.md#copies).
pub(super) fn source_conditions(ctx: &Ctx, source: &CopySource) -> Result<Option<Resp>, OssError> {
    let conditions = conditions(ctx, "x-oss-copy-source-");
    match check_conditions(&source.body.record, &conditions) {
        Ok(()) => Ok(None),
        Err(ConditionFailure::NotModified) if ctx.dialect == Dialect::S3 => Err(
            OssError::precondition_failed(if conditions.if_none_match.is_some() {
                "x-amz-copy-source-If-None-Match"
            } else {
                "x-amz-copy-source-If-Modified-Since"
            }),
        ),
        Err(ConditionFailure::NotModified) => Ok(Some(status(http::StatusCode::NOT_MODIFIED))),
        Err(ConditionFailure::PreconditionFailed(which)) => {
            Err(OssError::precondition_failed(which))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_gives_the_source_tags_unless_replaced_or_onto_itself() {
        assert!(copies_tags_of(Operation::CopyObject, None, false));
        assert!(copies_tags_of(Operation::CopyObject, Some("Copy"), false));
        assert!(!copies_tags_of(
            Operation::CopyObject,
            Some("Replace"),
            false
        ));
        assert!(!copies_tags_of(
            Operation::CopyObject,
            Some("replace"),
            false
        ));
        assert!(!copies_tags_of(Operation::CopyObject, None, true));
        assert!(!copies_tags_of(Operation::UploadPartCopy, None, false));
    }
}
