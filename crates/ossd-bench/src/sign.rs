//! What a request signer needs, and the choice between the OSS V4 and AWS SigV4 dialects.

use time::OffsetDateTime;

use crate::{sign_oss, sign_s3};

/// The wire protocol the bench speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Dialect {
    /// Alibaba Cloud OSS, V4 header signatures (`OSS4-HMAC-SHA256`).
    Oss,
    /// Amazon S3, SigV4 header signatures (`AWS4-HMAC-SHA256`), path-style addressing.
    S3,
}

impl Dialect {
    /// The region used when none is given.
    pub(crate) fn default_region(self) -> &'static str {
        match self {
            Dialect::Oss => "cn-hangzhou",
            Dialect::S3 => "us-east-1",
        }
    }

    /// The path sent on the wire for a bucket-level or object request (path style, not encoded).
    pub(crate) fn resource_path(self, bucket: &str, key: Option<&str>) -> String {
        match (self, key) {
            (_, Some(key)) => format!("/{bucket}/{key}"),
            (Dialect::Oss, None) => format!("/{bucket}/"),
            (Dialect::S3, None) => format!("/{bucket}"),
        }
    }
}

/// An AccessKey pair and the region it signs for.
#[derive(Debug, Clone)]
pub(crate) struct Credentials {
    /// The AccessKey id.
    pub access_key_id: String,
    /// The AccessKey secret.
    pub secret: String,
    /// The region in the credential scope.
    pub region: String,
}

/// The parts of a request that a signature covers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestToSign<'a> {
    /// The HTTP method, uppercase.
    pub method: &'a str,
    /// The `Host` header value sent.
    pub host: &'a str,
    /// The bucket (`None` = service level, or virtual-hosted addressing for S3).
    pub bucket: Option<&'a str>,
    /// The decoded object key.
    pub key: Option<&'a str>,
    /// Decoded query parameters (`None` value = bare key).
    pub query: &'a [(&'a str, Option<&'a str>)],
    /// Extra headers sent and signed (lowercase names).
    pub headers: &'a [(String, String)],
}

/// Signs requests in one dialect with one AccessKey.
#[derive(Debug, Clone)]
pub(crate) struct Signer {
    /// The dialect.
    pub dialect: Dialect,
    /// The AccessKey and region.
    pub creds: Credentials,
}

impl Signer {
    /// The headers to add to `req` (date, payload hash, `Authorization`) when sent at `now`.
    pub(crate) fn sign(&self, req: &RequestToSign, now: OffsetDateTime) -> Vec<(String, String)> {
        let datetime = ossd_sig::format_iso8601_basic(now);
        match self.dialect {
            Dialect::Oss => sign_oss::sign(&self.creds, req, &datetime),
            Dialect::S3 => sign_s3::sign(&self.creds, req, &datetime),
        }
    }
}
