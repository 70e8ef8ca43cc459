//! PostObject (docs/protocol/post-object.md): `POST /` at bucket level with a `multipart/form-data`
//! body, answered before RPC detection and header/URL authentication
//! (docs/protocol/signatures.md#scheme-detection, row 0). The form carries the key, the object
//! headers, the policy and its signature; the file is streamed into the store and becomes visible
//! only once every check passed.

mod auth;
mod form;
#[cfg(test)]
mod form_fuzz;
mod reply;
mod write;

use crate::transport::body::Inbound;
use http::request::Parts;
use http::{Method, header};
use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::request::Target;
use time::OffsetDateTime;

use crate::AppState;
use crate::pipeline::policy_ctx::Connection;
use crate::transport::body::{close_after, request_stream};
use crate::transport::response::{Resp, error};

/// Whether a request is a PostObject: `POST` to a bucket (no key) that is a multipart form, or
/// that names no sub-resource at all (then refused as not multipart).
pub(crate) fn is_post_object(parts: &Parts, target: &Target) -> bool {
    parts.method == Method::POST
        && target.bucket.is_some()
        && target.key.is_none()
        && (multipart_boundary(parts).is_some() || parts.uri.query().unwrap_or_default().is_empty())
}

/// The multipart boundary of a `multipart/form-data` request.
fn multipart_boundary(parts: &Parts) -> Option<String> {
    let ct = parts.headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let is_form = ct
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("multipart/form-data"));
    is_form.then(|| multer::parse_boundary(ct).ok()).flatten()
}

/// What a PostObject request needs from the dispatcher.
pub(crate) struct PostRequest<'a> {
    /// The request id.
    pub request_id: &'a str,
    /// The Host header.
    pub host: &'a str,
    /// The arrival time.
    pub now: OffsetDateTime,
    /// The connection.
    pub conn: Connection,
    /// The listener's dialect (the form's signature fields may say otherwise).
    pub dialect: Dialect,
}

/// Runs a PostObject; returns the response, the caller's label for the access log and the
/// dialect of the form (S3 for `x-amz-*`/`AWSAccessKeyId` signatures).
pub(crate) async fn handle(
    state: &AppState,
    parts: &Parts,
    body: Inbound,
    target: Target,
    req: PostRequest<'_>,
) -> (Resp, String, Dialect) {
    let mut dialect = req.dialect;
    let result = match multipart_boundary(parts) {
        None => Err(OssError::request_is_not_multipart()),
        Some(boundary) => {
            let multipart = multer::Multipart::new(request_stream(body), boundary);
            write::run(state, parts, multipart, target, &req, &mut dialect).await
        }
    };
    match result {
        Ok((resp, label)) => (resp, label, dialect),
        Err(e) => {
            let mut resp = error(&e, req.request_id, req.host, false);
            // The rest of the form may be unread: do not reuse the connection.
            close_after(&mut resp);
            (resp, String::new(), dialect)
        }
    }
}
