//! The one place where errors of the lower layers become OSS error documents: the libraries
//! return their own typed errors, and this module decides the OSS code, status and message of
//! each (the codes themselves are `ossd_proto::error::OssCode`).

use ossd_image::ImageError;
use ossd_meta::{ErrorChain, MetaError};
use ossd_proto::error::{OssCode, OssError};
use ossd_sig::SigError;
use ossd_store::{StoreError, UpdateError};

use crate::pipeline::ctx::Ctx;

/// The OSS error for a signature problem.
pub(crate) fn sig_error(e: &SigError, access_key_id: Option<&str>) -> OssError {
    match e {
        SigError::Malformed(msg) => OssError::invalid_argument(msg.as_str()),
        SigError::BothHeaderAndQuery => OssError::invalid_argument(
            "Authorization header and URL signature parameters cannot be used together.",
        ),
        SigError::MissingDate => OssError::invalid_date(),
        SigError::Skewed { .. } => OssError::new(OssCode::RequestTimeTooSkewed),
        SigError::Expired => OssError::request_expired(),
        SigError::IncompletePresign => OssError::presign_params_incomplete(),
        SigError::InvalidExpires => {
            OssError::access_denied("Invalid date (should be seconds since epoch)")
        }
        SigError::ExpiresOutOfRange => {
            OssError::invalid_argument("x-oss-expires must be an integer between 1 and 604800.")
        }
        SigError::TokenNotInQuery => OssError::security_token_not_in_query(),
        SigError::MissingContentSha256 => OssError::invalid_request(
            "Missing required header for this request: x-amz-content-sha256",
        ),
        SigError::InvalidContentSha256 => OssError::invalid_argument(
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-..., or a valid sha256 value.",
        ),
        SigError::Mismatch {
            string_to_sign,
            canonical_request,
            signature_provided,
        } => OssError::signature_does_not_match(
            access_key_id.unwrap_or_default(),
            string_to_sign,
            canonical_request.as_deref(),
            signature_provided,
        ),
        other => {
            tracing::error!(error = %other, "unmapped signature error");
            OssError::access_denied(other.to_string())
        }
    }
}

/// The OSS error for a failed image request: its message is the error's text.
pub(crate) fn image_error(e: ImageError) -> OssError {
    let code = match &e {
        ImageError::InvalidArgument(_) => OssCode::InvalidArgument,
        ImageError::MissingArgument(_) => OssCode::MissingArgument,
        ImageError::BadRequest(_) => OssCode::BadRequest,
        ImageError::TooLarge(_) => OssCode::ImageTooLarge,
        ImageError::Damaged => OssCode::ImageDamage,
        ImageError::Unsupported(_) => OssCode::NotImplemented,
        ImageError::Watermark(_) => OssCode::WatermarkError,
        ImageError::Busy | ImageError::TimedOut(_) => OssCode::ServiceUnavailable,
        ImageError::Internal(_) => OssCode::InternalError,
    };
    OssError::with_message(code, e.to_string())
}

/// The OSS error for an object-store failure in the context of `ctx`.
pub(crate) fn store_error(e: StoreError, ctx: &Ctx) -> OssError {
    match e {
        StoreError::NoSuchBucket => OssError::no_such_bucket(ctx.bucket()),
        StoreError::BucketNotEmpty => OssError::bucket_not_empty(ctx.bucket()),
        StoreError::Contended => OssError::service_unavailable(),
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
        StoreError::PreconditionFailed(which) => OssError::precondition_failed(which),
        StoreError::PositionNotEqualToLength(len) => OssError::position_not_equal_to_length(len),
        StoreError::ObjectNotAppendable => OssError::object_not_appendable(),
        // S3 tells a mismatching Content-MD5 (BadDigest) from a malformed one (InvalidDigest).
        StoreError::InvalidDigest if ctx.dialect == ossd_proto::dialect::Dialect::S3 => {
            OssError::with_message(
                ossd_proto::error::OssCode::BadDigest,
                "The Content-MD5 you specified did not match what we received.",
            )
        }
        StoreError::InvalidDigest => OssError::invalid_digest(),
        StoreError::BadDigest(algorithm) => OssError::with_message(
            ossd_proto::error::OssCode::BadDigest,
            format!("The {algorithm} you specified did not match the calculated checksum."),
        ),
        StoreError::InvalidRequest(msg) => OssError::invalid_request(msg),
        StoreError::EntityTooLarge => OssError::entity_too_large(),
        StoreError::SymlinkTargetNotExist => OssError::symlink_target_not_exist(),
        StoreError::InvalidTargetType => OssError::invalid_target_type(),
        StoreError::IncompleteBody => OssError::incomplete_body(),
        StoreError::Body(e) => body_error(&e),
        StoreError::Meta(m) => meta_error(m, ctx),
        other => {
            tracing::error!(error = %ErrorChain(&other), "storage failure");
            OssError::internal_error()
        }
    }
}

/// The error for a request body that could not be read to its end: a refusal of the S3 body
/// checks (docs/protocol/s3-chunked.md#errors) or a body that ended early.
pub(crate) fn body_error(e: &std::io::Error) -> OssError {
    use crate::transport::chunked_body::BodyError;
    use ossd_proto::error::OssCode;
    use ossd_sig::chunked::ChunkError as C;
    let Some(found) = BodyError::find(e) else {
        tracing::debug!(error = %ErrorChain(e), "request body ended early");
        return OssError::incomplete_body();
    };
    tracing::debug!(error = %ErrorChain(found), "request body refused");
    match found {
        BodyError::Transport(_) => OssError::incomplete_body(),
        BodyError::Checksum(m) => OssError::with_message(
            OssCode::BadDigest,
            format!(
                "The {} you specified did not match the calculated checksum.",
                m.algorithm.name()
            ),
        ),
        BodyError::ContentSha256 { client, computed } => {
            OssError::new(OssCode::XAmzContentSHA256Mismatch)
                .with_extra("ClientComputedContentSHA256", client.clone())
                .with_extra("S3ComputedContentSHA256", computed.clone())
        }
        BodyError::Chunk(c) => match c {
            C::Incomplete | C::TrailingData | C::DecodedLengthMismatch { .. } => {
                OssError::incomplete_body()
            }
            C::MissingChunkSignature
            | C::ChunkSignatureMismatch
            | C::MissingTrailerSignature
            | C::TrailerSignatureMismatch => OssError::with_message(
                OssCode::SignatureDoesNotMatch,
                "The chunk signature we calculated does not match the signature you provided.",
            ),
            C::ChecksumMismatch(m) => OssError::with_message(
                OssCode::BadDigest,
                format!(
                    "The {} you specified did not match the calculated checksum.",
                    m.algorithm.name()
                ),
            ),
            C::MalformedChunkHeader
            | C::ChunkHeaderTooLong
            | C::ChunkTooLarge(_)
            | C::MissingCrlf => OssError::new(OssCode::InvalidChunkSizeError),
            other => OssError::invalid_request(format!("{other}")),
        },
    }
}

/// The error for a refused `x-amz-checksum-<alg>` header (or form field): a value that is not
/// Base64 of the algorithm's digest can match no body, and is 400 `BadDigest` as a mismatch is
/// (s3-tests' test_object_checksum_sha256 and _crc64nvme send `bad`); an unsupported algorithm
/// or several checksum headers are 400 `InvalidRequest` (docs/protocol/s3-chunked.md#errors).
pub(crate) fn checksum_header_error(e: &ossd_sig::checksum::ChecksumError) -> OssError {
    use ossd_sig::checksum::ChecksumError;
    match e {
        ChecksumError::InvalidValue(algorithm) => OssError::with_message(
            ossd_proto::error::OssCode::BadDigest,
            format!(
                "The {} you specified did not match the calculated checksum.",
                algorithm.name()
            ),
        ),
        other => OssError::invalid_request(format!("{other}")),
    }
}

/// The OSS error for a failed bucket configuration update: the change's own refusal, or the
/// store's failure.
pub(crate) fn update_error(e: UpdateError<OssError>, ctx: &Ctx) -> OssError {
    match e {
        UpdateError::Refused(e) => e,
        UpdateError::Store(e) => store_error(e, ctx),
    }
}

/// The OSS error for a metadata failure. Whatever the client did not cause (a backend failure,
/// corrupt or unavailable metadata, a misuse of the store by ossd) is 500 `InternalError`, logged
/// with its source chain.
pub(crate) fn meta_error(e: MetaError, ctx: &Ctx) -> OssError {
    match e {
        MetaError::NoSuchBucket => OssError::no_such_bucket(ctx.bucket()),
        MetaError::BucketAlreadyExists => OssError::bucket_already_exists(),
        MetaError::BucketNotEmpty => OssError::bucket_not_empty(ctx.bucket()),
        MetaError::NoSuchVersion => OssError::no_such_version(),
        other => {
            tracing::error!(error = %ErrorChain(&other), "metadata failure");
            OssError::internal_error()
        }
    }
}

/// The OSS error for a failure of `ossd-iam` outside authentication (the account's settings,
/// such as Block Public Access): nothing the client caused, so 500 `InternalError`, logged with
/// its source chain.
pub(crate) fn iam_error(e: ossd_iam::IamError, _ctx: &Ctx) -> OssError {
    tracing::error!(error = %ErrorChain(&e), "identity store failure");
    OssError::internal_error()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_header_errors() {
        use ossd_sig::checksum::{ChecksumAlgorithm, ChecksumError};
        let e = checksum_header_error(&ChecksumError::InvalidValue(ChecksumAlgorithm::Sha256));
        assert_eq!((e.status, e.code), (400, OssCode::BadDigest));
        assert_eq!(
            e.message,
            "The SHA256 you specified did not match the calculated checksum."
        );
        let e = checksum_header_error(&ChecksumError::Multiple);
        assert_eq!((e.status, e.code), (400, OssCode::InvalidRequest));
        let e = checksum_header_error(&ChecksumError::Unsupported("x-amz-checksum-md5".into()));
        assert_eq!((e.status, e.code), (400, OssCode::InvalidRequest));
    }

    #[test]
    fn signature_errors() {
        let e = sig_error(&SigError::Expired, None);
        assert_eq!((e.status, e.code), (403, OssCode::AccessDenied));
        assert_eq!(e.refusal(), Some(ossd_proto::error::Refusal::Expired));
        let e = sig_error(&SigError::ExpiresOutOfRange, None);
        assert_eq!(e.code, OssCode::InvalidArgument);
        let e = sig_error(&SigError::InvalidExpires, None);
        assert_eq!(e.code, OssCode::AccessDenied);
        let e = sig_error(&SigError::MissingContentSha256, None);
        assert_eq!((e.status, e.code), (400, OssCode::InvalidRequest));
        let e = sig_error(&SigError::InvalidContentSha256, None);
        assert_eq!((e.status, e.code), (400, OssCode::InvalidArgument));
        let e = sig_error(&SigError::Malformed("bad".into()), None);
        assert_eq!(
            (e.status, e.code, e.message.as_str()),
            (400, OssCode::InvalidArgument, "bad")
        );
    }

    #[test]
    fn signature_error_documents() {
        let cases = [
            (
                SigError::MissingDate,
                403,
                "AccessDenied",
                "OSS authentication requires a valid Date.",
            ),
            (
                SigError::Skewed {
                    request_time: "x".into(),
                },
                403,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
            ),
            (
                SigError::Expired,
                403,
                "AccessDenied",
                "Request has expired.",
            ),
            (
                SigError::Mismatch {
                    string_to_sign: String::new(),
                    canonical_request: None,
                    signature_provided: String::new(),
                },
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            ),
        ];
        for (err, status, code, message) in cases {
            let e = sig_error(&err, None);
            assert_eq!(
                (e.status, e.code.as_str(), e.message.as_str()),
                (status, code, message)
            );
        }
    }

    #[test]
    fn image_errors_keep_their_text() {
        let e = image_error(ImageError::Unsupported("x is not supported".into()));
        assert_eq!((e.status, e.code), (501, OssCode::NotImplemented));
        assert_eq!(e.message, "x is not supported");
        let e = image_error(ImageError::Busy);
        assert_eq!((e.status, e.code), (503, OssCode::ServiceUnavailable));
        let e = image_error(ImageError::Damaged);
        assert_eq!((e.status, e.code), (400, OssCode::ImageDamage));
    }
}
