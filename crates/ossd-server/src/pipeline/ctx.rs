//! The parsed request every handler receives.

use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::op::Operation;
use ossd_proto::params::Params;
use ossd_proto::request::{Target, query_get, query_has};
use ossd_sig::{QueryParam, SigningView};
use time::OffsetDateTime;

use ossd_iam::Caller;
use ossd_types::VersioningState;

use crate::pipeline::policy_ctx::Connection;

/// One request, parsed: what it addresses, its decoded query, its headers, who sent it.
#[derive(Debug)]
pub(crate) struct Ctx {
    /// The request id sent back as `x-oss-request-id`.
    pub request_id: String,
    /// Uppercase method.
    pub method: String,
    /// The Host header as sent (for `HostId`).
    pub host: String,
    /// Resolved bucket and key.
    pub target: Target,
    /// The request URI path as received, still percent-encoded (AWS signatures cover it).
    pub raw_path: String,
    /// Decoded query parameters in wire order.
    pub query: Vec<QueryParam>,
    /// Lowercase header names with values; repeated headers joined with `,`. For an S3
    /// request, in the OSS vocabulary ([`ossd_proto::s3::request_headers`]).
    pub headers: Vec<(String, String)>,
    /// The headers as sent, when they differ from `headers` (S3 requests): what the
    /// signature covers.
    pub wire_headers: Option<Vec<(String, String)>>,
    /// The dialect of the request, and of its response.
    pub dialect: Dialect,
    /// The operation.
    pub op: Operation,
    /// Its typed parameters, parsed with it before any I/O.
    pub params: Params,
    /// The image plan of a GetObject's `x-oss-process=image/...`, parsed with it before any I/O.
    pub plan: Option<ossd_image::Plan>,
    /// When the request arrived.
    pub now: OffsetDateTime,
    /// Who sent it (set after authentication).
    pub caller: Caller,
    /// The connection it came on.
    pub conn: Connection,
    /// The addressed bucket's versioning state (known once the bucket is loaded; `Disabled`
    /// before, and for service-level requests).
    pub versioning: VersioningState,
}

impl Ctx {
    /// A header value by lowercase name.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A query value by key.
    pub(crate) fn query(&self, key: &str) -> Option<&str> {
        query_get(&self.query, key)
    }

    /// Whether a query key is present.
    pub(crate) fn has_query(&self, key: &str) -> bool {
        query_has(&self.query, key)
    }

    /// The parameters as `T` (the variant [`Params::parse`] gives the request's operation; any
    /// other is a server bug, answered 500).
    pub(crate) fn params<'a, T>(
        &'a self,
        pick: impl FnOnce(&'a Params) -> Option<&'a T>,
    ) -> Result<&'a T, OssError> {
        pick(&self.params).ok_or_else(|| {
            tracing::error!(op = self.op.name(), "parameters of another operation");
            OssError::internal_error()
        })
    }

    /// The bucket name (empty for service-level requests).
    pub(crate) fn bucket(&self) -> &str {
        self.target.bucket.as_deref().unwrap_or_default()
    }

    /// The object key (empty for bucket-level requests).
    pub(crate) fn key(&self) -> &str {
        self.target.key.as_deref().unwrap_or_default()
    }

    /// The request time in Unix milliseconds, truncated to whole seconds: OSS keeps
    /// second precision (oss2 only parses `...:SS.000Z` in XML).
    pub(crate) fn now_ms(&self) -> i64 {
        self.now.unix_timestamp() * 1000
    }

    /// The view signatures are computed over.
    pub(crate) fn signing_view(&self) -> SigningView<'_> {
        SigningView {
            method: &self.method,
            bucket: self.target.bucket.as_deref(),
            key: self.target.key.as_deref(),
            query: &self.query,
            headers: self.wire_headers.as_deref().unwrap_or(&self.headers),
            raw_path: &self.raw_path,
            body_sha256: None,
        }
    }

    /// The `versionId` query parameter, if given and not empty.
    pub(crate) fn version_id(&self) -> Option<&str> {
        self.query("versionId").filter(|v| !v.is_empty())
    }

    /// Checks a `versionId` query parameter ([`ossd_proto::params::version_id`]).
    pub(crate) fn check_version_id(&self) -> Result<(), OssError> {
        ossd_proto::params::version_id(&self.query).map(|_| ())
    }
}

pub(crate) use ossd_proto::params::check_version_id;
