//! How an S3 request's body is read (docs/protocol/s3-chunked.md): decoded from `aws-chunked`
//! (unsigned with a checksum trailer, or with chained chunk signatures) when
//! `x-amz-content-sha256` names a streaming payload, else as sent; either way checked
//! against its `x-amz-checksum-<alg>` header or trailer and a hex `x-amz-content-sha256`, so
//! a body that does not match what was signed or declared is refused before anything is stored.

use crate::transport::body::Inbound;
use http::HeaderMap;
use ossd_proto::error::OssError;
use ossd_sig::checksum::ChecksumAlgorithm;
use ossd_sig::chunked::{ChunkSigning, ChunkedMode, StreamingPayload};

use crate::transport::body::RequestBody;
use crate::transport::chunked_body::BodyChecks;

/// How the body of one S3 request is to be read, decided from its headers before it is read.
#[derive(Debug)]
pub(crate) enum BodyPlan {
    /// As sent, checked against `BodyChecks`.
    Plain(BodyChecks),
    /// `aws-chunked`.
    Chunked {
        /// Framing and chunk signatures.
        mode: ChunkedMode,
        /// The checksum trailer declared by `x-amz-trailer`.
        trailer: Option<ChecksumAlgorithm>,
        /// `x-amz-decoded-content-length`.
        decoded_length: Option<u64>,
        /// Whole-body checks of the decoded bytes.
        checks: BodyChecks,
    },
}

impl BodyPlan {
    /// The plan of a request with `headers` (as sent), whose AWS V4 header signature, if any,
    /// chains chunk signatures from `signing`. `object_checksum`: the request's
    /// `x-amz-checksum-<alg>` header is the checksum of an object assembled from parts
    /// (CompleteMultipartUpload), not of this body, and is not checked against it.
    pub(crate) fn of(
        headers: &HeaderMap,
        signing: Option<ChunkSigning>,
        object_checksum: bool,
    ) -> Result<Self, OssError> {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let checks = if object_checksum {
            let mut own = headers.clone();
            let names: Vec<_> = own
                .keys()
                .filter(|n| {
                    n.as_str()
                        .starts_with(ossd_sig::checksum::CHECKSUM_HEADER_PREFIX)
                })
                .cloned()
                .collect();
            for name in names {
                own.remove(name);
            }
            BodyChecks::from_headers(&own)
        } else {
            BodyChecks::from_headers(headers)
        }
        .map_err(|e| crate::pipeline::errors::checksum_header_error(&e))?;
        let content_sha256 = text("x-amz-content-sha256").unwrap_or_default();
        if !content_sha256.starts_with("STREAMING-") {
            // `Content-Encoding: aws-chunked` over a plain body is stored as sent, as S3 does.
            return Ok(Self::Plain(checks));
        }
        let Some(payload) = StreamingPayload::from_content_sha256(content_sha256) else {
            return Err(OssError::invalid_request(format!(
                "x-amz-content-sha256 {content_sha256} is not supported."
            )));
        };
        let decoded_length = match text("x-amz-decoded-content-length") {
            None => None,
            Some(v) => Some(v.trim().parse::<u64>().map_err(|_| {
                OssError::invalid_argument("x-amz-decoded-content-length is not a number.")
            })?),
        };
        let trailer = match text("x-amz-trailer") {
            None => None,
            Some(v) => ChecksumAlgorithm::from_trailer_header(v)
                .map_err(|e| OssError::invalid_request(format!("{e}")))?,
        };
        let mode = match payload {
            StreamingPayload::UnsignedTrailer => ChunkedMode::Unsigned,
            payload => {
                if decoded_length.is_none() {
                    return Err(OssError::missing_content_length());
                }
                let signing = signing.ok_or_else(|| {
                    OssError::invalid_request(
                        "A signed aws-chunked body needs an AWS4-HMAC-SHA256 Authorization header.",
                    )
                })?;
                match payload {
                    StreamingPayload::SignedTrailer => ChunkedMode::SignedTrailer(signing),
                    _ => ChunkedMode::Signed(signing),
                }
            }
        };
        Ok(Self::Chunked {
            mode,
            trailer,
            decoded_length,
            checks,
        })
    }

    /// The body to hand to the handler.
    pub(crate) fn apply(self, body: Inbound) -> RequestBody {
        match self {
            Self::Plain(checks) => RequestBody::checked(body, checks),
            Self::Chunked {
                mode,
                trailer,
                decoded_length,
                checks,
            } => RequestBody::aws_chunked(body, mode, trailer, decoded_length, checks),
        }
    }
}
