//! The one place where errors of the lower layers become OSS error documents.

use ossd_meta::MetaError;
use ossd_proto::error::OssError;
use ossd_sig::SigError;
use ossd_store::StoreError;

use crate::ctx::Ctx;

/// The OSS error for a signature problem.
pub(crate) fn sig_error(e: &SigError, access_key_id: Option<&str>) -> OssError {
    let (status, code, message) = e.oss_code();
    let mut err = OssError::new(status, code, message);
    if let SigError::Mismatch {
        string_to_sign,
        canonical_request,
        signature_provided,
    } = e
    {
        err = OssError::signature_does_not_match(
            access_key_id.unwrap_or_default(),
            string_to_sign,
            canonical_request.as_deref(),
            signature_provided,
        );
    }
    err
}

/// The OSS error for an object-store failure in the context of `ctx`.
pub(crate) fn store_error(e: StoreError, ctx: &Ctx) -> OssError {
    match e {
        StoreError::NoSuchBucket => OssError::no_such_bucket(ctx.bucket()),
        StoreError::NoSuchKey => OssError::no_such_key(ctx.key()),
        StoreError::NoSuchVersion => OssError::no_such_version(),
        StoreError::CurrentIsDeleteMarker(v) => OssError::no_such_key(ctx.key())
            .with_header("x-oss-delete-marker", "true")
            .with_header("x-oss-version-id", v),
        StoreError::VersionIsDeleteMarker(v) => OssError::method_not_allowed()
            .with_header("x-oss-delete-marker", "true")
            .with_header("x-oss-version-id", v),
        StoreError::NoSuchUpload => OssError::no_such_upload(),
        StoreError::InvalidPart => OssError::invalid_part(),
        StoreError::InvalidPartOrder => OssError::invalid_part_order(),
        StoreError::EntityTooSmall => OssError::entity_too_small(),
        StoreError::InvalidArgument(msg) => OssError::invalid_argument(msg),
        StoreError::FileAlreadyExists => OssError::file_already_exists(),
        StoreError::PositionNotEqualToLength(len) => OssError::position_not_equal_to_length(len),
        StoreError::ObjectNotAppendable => OssError::object_not_appendable(),
        StoreError::InvalidDigest => OssError::invalid_digest(),
        StoreError::EntityTooLarge => OssError::entity_too_large(),
        StoreError::SymlinkTargetNotExist => OssError::symlink_target_not_exist(),
        StoreError::InvalidTargetType => OssError::invalid_target_type(),
        StoreError::IncompleteBody => OssError::incomplete_body(),
        StoreError::Body(msg) => {
            tracing::debug!(error = %msg, "request body ended early");
            OssError::incomplete_body()
        }
        StoreError::Meta(m) => meta_error(m, ctx),
        other => {
            tracing::error!(error = %other, "storage failure");
            OssError::internal_error()
        }
    }
}

/// The OSS error for a metadata failure.
pub(crate) fn meta_error(e: MetaError, ctx: &Ctx) -> OssError {
    match e {
        MetaError::NoSuchBucket => OssError::no_such_bucket(ctx.bucket()),
        MetaError::BucketAlreadyExists => OssError::bucket_already_exists(),
        MetaError::BucketNotEmpty => OssError::bucket_not_empty(ctx.bucket()),
        MetaError::NoSuchVersion => OssError::no_such_version(),
        other => {
            tracing::error!(error = %other, "metadata failure");
            OssError::internal_error()
        }
    }
}
