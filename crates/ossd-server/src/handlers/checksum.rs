//! S3 flexible checksums in the handlers (docs/protocol/s3-chunked.md#request-checksums,
//! #multipart-checksums): the body stream that hands the store the checksum the body was
//! verified against (or, for an S3 upload that sent none, the CRC64NVME S3 computes of every
//! upload), the `x-amz-checksum-*` response headers and the checksum elements of documents.
//! OSS requests neither compute nor see any of it.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_util::Stream;
use ossd_meta::{StoredChecksum, UploadChecksum};
use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::xml::ChecksumElement;
use ossd_sig::checksum::{CHECKSUM_HEADER_PREFIX, Checksum, ChecksumAlgorithm, ChecksumHasher};
use ossd_sig::chunked::ChecksumMismatch;
use ossd_store::{BodyChecksum, BodyStream};

use crate::pipeline::ctx::Ctx;
use crate::transport::body::{RequestBody, request_stream};
use crate::transport::chunked_body::{BodyError, VerifiedChecksum};
use crate::transport::response::{Resp, set_dyn};

/// `x-amz-checksum-*` headers that carry no checksum value.
const NOT_VALUES: [&str; 3] = [
    "x-amz-checksum-algorithm",
    "x-amz-checksum-type",
    "x-amz-checksum-mode",
];

/// The request body as the store reads it, and the slot that holds its checksum once it ended
/// well: the `x-amz-checksum-<alg>` header or trailer it was verified against, else for an S3
/// request the CRC64NVME computed as it streamed (S3 checksums every upload; crc-fast's SIMD
/// CRC is far cheaper than the MD5 the store computes anyway). OSS requests get an empty slot.
pub(crate) fn body_stream(ctx: &Ctx, body: RequestBody) -> (BodyStream, BodyChecksum) {
    let slot = BodyChecksum::new();
    if ctx.dialect != Dialect::S3 {
        return (request_stream(body), slot);
    }
    let declared = ctx.header("x-amz-trailer").is_some()
        || ctx.headers.iter().any(|(k, _)| {
            k.starts_with(CHECKSUM_HEADER_PREFIX) && !NOT_VALUES.contains(&k.as_str())
        });
    let stream = Checksummed {
        verified: body.verified_checksum(),
        inner: request_stream(body),
        hasher: (!declared).then(|| ChecksumAlgorithm::Crc64Nvme.hasher()),
        expected: None,
        slot: slot.clone(),
        ended: false,
    };
    (Box::pin(stream), slot)
}

/// An S3 browser POST's file (`stream`) checked against the form's `x-amz-checksum-<alg>`
/// field, if any (a mismatch fails the stream at its end: `BadDigest`, nothing stored), and
/// the slot holding its checksum (that value, or the CRC64NVME computed as it streamed).
pub(crate) fn form_stream(
    stream: BodyStream,
    fields: &[(String, String)],
) -> Result<(BodyStream, BodyChecksum), OssError> {
    let expected = Checksum::from_headers(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| crate::pipeline::errors::checksum_header_error(&e))?;
    let slot = BodyChecksum::new();
    let algorithm = expected
        .as_ref()
        .map_or(ChecksumAlgorithm::Crc64Nvme, Checksum::algorithm);
    let stream = Checksummed {
        verified: VerifiedChecksum::default(),
        inner: stream,
        hasher: Some(algorithm.hasher()),
        expected,
        slot: slot.clone(),
        ended: false,
    };
    Ok((Box::pin(stream), slot))
}

/// A body stream that fills its [`BodyChecksum`] at its end (and with `expected`, fails there
/// when the bytes do not match it).
struct Checksummed {
    inner: BodyStream,
    verified: VerifiedChecksum,
    hasher: Option<ChecksumHasher>,
    expected: Option<Checksum>,
    slot: BodyChecksum,
    /// The inner stream has ended (it is not polled again).
    ended: bool,
}

impl Stream for Checksummed {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        match ready!(this.inner.as_mut().poll_next(cx)) {
            Some(Ok(chunk)) => {
                if let Some(h) = &mut this.hasher {
                    h.update(&chunk);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Some(Err(e)) => {
                this.hasher = None;
                Poll::Ready(Some(Err(e)))
            }
            None => {
                this.ended = true;
                if let Some(verified) = this.verified.get() {
                    this.slot.set(verified.clone());
                } else if let Some(h) = this.hasher.take() {
                    let computed = h.finish();
                    if let Some(expected) = &this.expected
                        && *expected != computed
                    {
                        let mismatch = ChecksumMismatch {
                            algorithm: expected.algorithm(),
                            expected: expected.to_base64(),
                            computed: computed.to_base64(),
                        };
                        let error = BodyError::Checksum(mismatch);
                        return Poll::Ready(Some(Err(std::io::Error::other(error))));
                    }
                    if this.expected.is_some() {
                        this.slot.set(computed);
                    } else {
                        this.slot.set_computed(computed);
                    }
                }
                Poll::Ready(None)
            }
        }
    }
}

/// `x-amz-checksum-<alg>` and `x-amz-checksum-type` of `checksum`, for S3 requests.
pub(crate) fn set_headers(resp: &mut Resp, ctx: &Ctx, checksum: Option<&StoredChecksum>) {
    let Some(c) = checksum.filter(|_| ctx.dialect == Dialect::S3) else {
        return;
    };
    let name = format!(
        "{CHECKSUM_HEADER_PREFIX}{}",
        c.algorithm.to_ascii_lowercase()
    );
    set_dyn(resp, &name, &c.value);
    set_dyn(resp, "x-amz-checksum-type", c.type_name());
}

/// Whether an S3 read asked for the checksum (`x-amz-checksum-mode: ENABLED`).
pub(crate) fn mode_enabled(ctx: &Ctx) -> bool {
    ctx.dialect == Dialect::S3
        && ctx
            .header("x-amz-checksum-mode")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("ENABLED"))
}

/// The document element of `checksum`, for S3 requests.
pub(crate) fn element(ctx: &Ctx, checksum: Option<&StoredChecksum>) -> Option<ChecksumElement> {
    checksum
        .filter(|_| ctx.dialect == Dialect::S3)
        .map(|c| ChecksumElement {
            algorithm: c.algorithm.clone(),
            value: c.value.clone(),
            checksum_type: c.type_name(),
        })
}

/// The checksum an S3 CreateMultipartUpload chooses (`x-amz-checksum-algorithm`,
/// `x-amz-checksum-type`; docs/protocol/s3-chunked.md#multipart-checksums): CRC64NVME is
/// FULL_OBJECT only, SHA-1 and SHA-256 COMPOSITE only, CRC32 and CRC32C either (COMPOSITE by
/// default). None for OSS requests.
pub(crate) fn upload_choice(ctx: &Ctx) -> Result<Option<UploadChecksum>, OssError> {
    if ctx.dialect != Dialect::S3 {
        return Ok(None);
    }
    let kind = ctx.header("x-amz-checksum-type").map(str::trim);
    let Some(name) = ctx.header("x-amz-checksum-algorithm") else {
        return match kind {
            None => Ok(None),
            Some(_) => Err(OssError::invalid_request(
                "The x-amz-checksum-type header can only be used with the \
                 x-amz-checksum-algorithm header.",
            )),
        };
    };
    let algorithm = ChecksumAlgorithm::from_name(name).ok_or_else(|| {
        OssError::invalid_request(format!(
            "Checksum algorithm provided is unsupported: {}",
            name.trim()
        ))
    })?;
    let composite = match kind.map(str::to_ascii_uppercase).as_deref() {
        None => algorithm != ChecksumAlgorithm::Crc64Nvme,
        Some("COMPOSITE") => true,
        Some("FULL_OBJECT") => false,
        Some(other) => {
            return Err(OssError::invalid_request(format!(
                "Value for x-amz-checksum-type header is invalid: {other}"
            )));
        }
    };
    let allowed = if composite {
        algorithm != ChecksumAlgorithm::Crc64Nvme
    } else {
        algorithm.is_crc()
    };
    if !allowed {
        return Err(OssError::invalid_request(format!(
            "The {} checksum type cannot be used with the {} checksum algorithm.",
            if composite {
                "COMPOSITE"
            } else {
                "FULL_OBJECT"
            },
            algorithm.name().to_ascii_lowercase()
        )));
    }
    Ok(Some(UploadChecksum {
        algorithm: algorithm.name().to_owned(),
        composite,
    }))
}

/// The object checksum an S3 CompleteMultipartUpload states (`x-amz-checksum-<alg>`), to be
/// checked against the one computed from the parts.
pub(crate) fn stated(ctx: &Ctx) -> Option<StoredChecksum> {
    if ctx.dialect != Dialect::S3 {
        return None;
    }
    ctx.headers.iter().find_map(|(k, v)| {
        let alg = ChecksumAlgorithm::from_header_name(k)?;
        Some(StoredChecksum {
            algorithm: alg.name().to_owned(),
            value: v.trim().to_owned(),
            composite: v.contains('-'),
        })
    })
}
