//! The answer to a successful PostObject (docs/protocol/post-object.md#response):
//! `success_action_redirect` (303), `success_action_status` 200, 201 (with `PostResponse`) or 204
//! (default).

use http::{HeaderValue, StatusCode};
use ossd_meta::ObjectRecord;
use ossd_proto::xml::PostResponse;
use ossd_sig::{uri_encode, uri_encode_path};
use ossd_types::ETag;

use super::form::Fields;
use crate::handlers::written;
use crate::pipeline::ctx::Ctx;
use crate::transport::response::{Resp, set, xml};

/// The success response for `record`, written by the form `fields` (the object headers
/// ETag, CRC-64 and version id in every case).
pub(super) fn success(ctx: &Ctx, record: &ObjectRecord, fields: &Fields, secure: bool) -> Resp {
    let mut resp = written(ctx, record, false);
    let etag = ETag::from_inner(record.etag.clone());
    if let Some(url) = fields
        .get("success_action_redirect")
        .filter(|u| !u.trim().is_empty())
    {
        let sep = if url.contains('?') { '&' } else { '?' };
        // S3 spells ETags in lowercase (docs/s3.md#responses).
        let quoted = match ctx.dialect {
            ossd_proto::dialect::Dialect::Oss => etag.quoted(),
            ossd_proto::dialect::Dialect::S3 => etag.quoted().to_ascii_lowercase(),
        };
        let location = format!(
            "{url}{sep}bucket={}&key={}&etag={}",
            uri_encode(ctx.bucket()),
            uri_encode(ctx.key()),
            uri_encode(&quoted)
        );
        set(&mut resp, "location", location);
        *resp.status_mut() = StatusCode::SEE_OTHER;
        return resp;
    }
    match fields.get("success_action_status").map(str::trim) {
        Some("200") => resp,
        Some("201") => {
            let doc = PostResponse {
                bucket: ctx.bucket().to_owned(),
                location: location(ctx, secure),
                key: ctx.key().to_owned(),
                etag,
            };
            let mut with_body = xml(doc.to_xml());
            for (name, value) in resp.headers() {
                with_body.headers_mut().insert(name.clone(), value.clone());
            }
            with_body.headers_mut().insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml"),
            );
            *with_body.status_mut() = StatusCode::CREATED;
            with_body
        }
        _ => {
            *resp.status_mut() = StatusCode::NO_CONTENT;
            resp
        }
    }
}

/// The object's URL as the client addressed the bucket.
fn location(ctx: &Ctx, secure: bool) -> String {
    let scheme = if secure { "https" } else { "http" };
    let key = uri_encode_path(ctx.key());
    if ctx.target.virtual_hosted {
        format!("{scheme}://{}/{key}", ctx.host)
    } else {
        format!("{scheme}://{}/{}/{key}", ctx.host, ctx.bucket())
    }
}
