//! GetObject, HeadObject, GetObjectMeta and GetSymlink.

use http::StatusCode;
use ossd_meta::ObjectRecord;
use ossd_proto::error::OssError;
use ossd_proto::headers::Range;
use ossd_proto::params::{Params, ReadParams};
use ossd_proto::time_fmt::rfc1123;
use ossd_store::{ConditionFailure, ObjectBody, StoreError, check_body_conditions};
use ossd_types::{ObjectType, quote_etag};

use crate::AppState;
use crate::handlers::put::version_header;
use crate::handlers::restore;
use crate::handlers::{attributes, checksum};
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::read_auth::authorize_target;
use crate::transport::body::stream;
use crate::transport::response::{Resp, ok, set, set_dyn, set_dyn_bytes, set_static, status};
use ossd_iam::Caller;

/// How many times a read is retried when a concurrent overwrite removed its data.
pub(super) const READ_RETRIES: usize = 3;

/// `GET /<key>`.
pub(super) async fn get_object(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let p = ctx.params(Params::read)?;
    check_request(ctx, p)?;
    if let Some(process) = ctx.query("x-oss-process") {
        return super::image_process::get_processed(state, ctx, p, process).await;
    }
    for _ in 0..READ_RETRIES {
        let body = resolve(state, ctx, p.version_id.as_deref()).await?;
        let (mut resp, range) = match prepare(ctx, p, &body)? {
            Prepared::Done(r) => return Ok(r),
            Prepared::Serve(r, range) => (r, range),
        };
        restore_header(ctx, &mut resp, &body);
        let (start, end) = match range {
            Range::Partial(s, e) => (s, e + 1),
            _ => (0, body.data.size),
        };
        match state.store.read(&body.data, start, end).await {
            Ok(s) => {
                *resp.body_mut() = stream(s);
                return Ok(crate::transport::compress::finish(ctx, resp));
            }
            Err(StoreError::DataGone) => continue,
            Err(e) => return Err(store_error(e, ctx)),
        }
    }
    Err(OssError::internal_error())
}

/// `HEAD /<key>`: the headers of GET, no body.
pub(super) async fn head_object(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let p = ctx.params(Params::read)?;
    let resolved = state
        .store
        .resolve_meta(ctx.bucket(), ctx.key(), p.version_id.as_deref())
        .await;
    let body = authorize_target(state, ctx, resolved).await?;
    match prepare(ctx, p, &body)? {
        Prepared::Done(r) => Ok(r),
        Prepared::Serve(mut r, range) => {
            restore_header(ctx, &mut r, &body);
            if let Range::Partial(..) = range
                && !is_part_read(ctx, p)
            {
                *r.status_mut() = StatusCode::OK;
                r.headers_mut().remove("content-range");
                set(&mut r, "content-length", body.data.size.to_string());
                set(&mut r, "x-oss-hash-crc64ecma", body.data.crc64.to_string());
            }
            super::lifecycle_config::expiration_header(state, ctx, &body.record, &mut r).await;
            Ok(r)
        }
    }
}

/// `HEAD /<key>?objectMeta`.
pub(super) async fn get_object_meta(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let version_id = ctx.params(Params::meta)?.version_id.as_deref();
    let rec = state
        .store
        .head_object_meta(ctx.bucket(), ctx.key(), version_id)
        .await
        .map_err(|e| store_error(e, ctx))?;
    let mut resp = ok();
    set(&mut resp, "etag", quote_etag(&rec.etag));
    set(&mut resp, "content-length", rec.size.to_string());
    set(&mut resp, "last-modified", rfc1123(rec.last_modified_ms));
    set(&mut resp, "x-oss-hash-crc64ecma", rec.crc64.to_string());
    version_header(&mut resp, ctx, &rec);
    Ok(resp)
}

/// `GET /<key>?symlink`.
pub(super) async fn get_symlink(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let rec = state
        .store
        .head_object(ctx.bucket(), ctx.key(), ctx.version_id())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let Some(target) = rec.symlink_target.as_deref() else {
        return Err(OssError::no_such_key(ctx.key()));
    };
    let mut resp = ok();
    set(&mut resp, "x-oss-symlink-target", encode_target(target));
    set(&mut resp, "etag", quote_etag(&rec.etag));
    set(&mut resp, "last-modified", rfc1123(rec.last_modified_ms));
    user_meta(&mut resp, &rec);
    version_header(&mut resp, ctx, &rec);
    Ok(resp)
}

/// Anonymous requests may not override response headers (docs/protocol/objects.md#getobject).
fn check_request(ctx: &Ctx, p: &ReadParams) -> Result<(), OssError> {
    if matches!(ctx.caller, Caller::Anonymous) && !p.overrides.is_empty() {
        return Err(OssError::invalid_request(
            "Request specific response headers cannot be used for anonymous GET requests.",
        ));
    }
    if ctx.has_query("x-oss-process")
        && !ctx
            .query("x-oss-process")
            .is_some_and(|p| p.starts_with("image/") || p.starts_with("style/"))
    {
        return Err(OssError::not_implemented("x-oss-process"));
    }
    Ok(())
}

/// The request's own object (`version_id` of it; authorized by the dispatcher) and, for a
/// symlink, its target, which the caller must be allowed to read as well.
pub(super) async fn resolve(
    state: &AppState,
    ctx: &Ctx,
    version_id: Option<&str>,
) -> Result<ObjectBody, OssError> {
    let resolved = state
        .store
        .resolve(ctx.bucket(), ctx.key(), version_id)
        .await;
    let body = authorize_target(state, ctx, resolved).await?;
    // An archived version is read only while restored (RestoreObject).
    restore::check_readable(&body.data, restore::request_ms(ctx))?;
    Ok(body)
}

/// `x-oss-restore` once a restore of the served version was requested (RestoreObject).
fn restore_header(ctx: &Ctx, resp: &mut Resp, body: &ObjectBody) {
    if let Some(v) = restore::restore_header(&body.data, restore::request_ms(ctx)) {
        set(resp, "x-oss-restore", v);
    }
}

pub(super) enum Prepared {
    /// A complete response (304).
    Done(Resp),
    /// Headers ready; the body is to be attached for this range.
    Serve(Resp, Range),
}

/// Conditions, range and headers of a GET/HEAD.
pub(super) fn prepare(ctx: &Ctx, p: &ReadParams, body: &ObjectBody) -> Result<Prepared, OssError> {
    match check_body_conditions(body, &p.conditions) {
        Ok(()) => {}
        Err(ConditionFailure::NotModified) => {
            let mut r = status(StatusCode::NOT_MODIFIED);
            set(&mut r, "etag", quote_etag(body.etag()));
            return Ok(Prepared::Done(r));
        }
        Err(ConditionFailure::PreconditionFailed(which)) => {
            return Err(OssError::precondition_failed(which));
        }
    }
    let size = body.data.size;
    let part = match p.part_number.filter(|_| is_part_read(ctx, p)) {
        Some(_) if p.range.range.is_some() => {
            return Err(OssError::invalid_request(
                "Cannot specify both Range header and partNumber query parameter",
            ));
        }
        Some(number) => Some(attributes::part_read(&body.data, number)?),
        None => None,
    };
    let range = match &part {
        Some(part) if part.size > 0 => Range::Partial(part.offset, part.offset + part.size - 1),
        Some(_) => Range::Full,
        None => p.range.resolve(size),
    };
    let mut resp = ok();
    // Room for the dozen or more headers of a GET or HEAD at once, rather than growing (and
    // rehashing) the map twice on the way.
    resp.headers_mut().reserve(20);
    object_headers(&mut resp, ctx, body);
    if let Some(part) = &part {
        if let Some(count) = part.count {
            set(&mut resp, "x-amz-mp-parts-count", count.to_string());
        }
        if checksum::mode_enabled(ctx) {
            checksum::set_headers(&mut resp, ctx, part.checksum.as_ref());
        }
    } else if checksum::mode_enabled(ctx) && matches!(range, Range::Full) {
        checksum::set_headers(&mut resp, ctx, body.data.checksum.as_ref());
    }
    match range {
        Range::Unsatisfiable => {
            let unsatisfied = format!("bytes */{size}");
            return Err(OssError::invalid_range().with_header("content-range", unsatisfied));
        }
        Range::Partial(s, e) => {
            *resp.status_mut() = StatusCode::PARTIAL_CONTENT;
            set(&mut resp, "content-range", format!("bytes {s}-{e}/{size}"));
            set(&mut resp, "content-length", (e - s + 1).to_string());
        }
        Range::Full => {
            set(&mut resp, "content-length", size.to_string());
            set(
                &mut resp,
                "x-oss-hash-crc64ecma",
                body.data.crc64.to_string(),
            );
        }
    }
    for (header, value) in p.overrides.headers() {
        set_dyn(&mut resp, header, value);
    }
    Ok(Prepared::Serve(resp, range))
}

/// Whether a read addresses one part of the object (S3's `partNumber`; OSS ignores it).
fn is_part_read(ctx: &Ctx, p: &ReadParams) -> bool {
    ctx.dialect == ossd_proto::dialect::Dialect::S3 && p.part_number.is_some()
}

/// The headers describing the object (not its length or range). For a symlink (OSS GetObject and
/// HeadObject, docs/protocol/objects.md#symlinks): the ETag, length, CRC-64 and storage class are
/// the target's, `Last-Modified` the later of the two, and the rest — object type, user metadata,
/// tag count, version, the stored content headers (the target's `Content-Type` when the link was
/// given none) — the link's own.
fn object_headers(resp: &mut Resp, ctx: &Ctx, body: &ObjectBody) {
    let (rec, data) = (&body.record, &body.data);
    let content_type = [rec, data]
        .into_iter()
        .find_map(|r| r.headers.iter().find(|(k, _)| k == "content-type"))
        .map(|(_, v)| v.as_str());
    match content_type {
        Some(t) => set(resp, "content-type", t),
        None => set_static(resp, "content-type", "application/octet-stream"),
    }
    for (k, v) in rec.headers.iter().filter(|(k, _)| k != "content-type") {
        set_dyn(resp, k, v);
    }
    set(resp, "etag", quote_etag(body.etag()));
    set(resp, "last-modified", rfc1123(body.last_modified_ms()));
    set_static(resp, "accept-ranges", "bytes");
    set_static(resp, "x-oss-object-type", rec.object_type.as_str());
    set_static(resp, "x-oss-storage-class", data.storage_class.as_str());
    if data.object_type == ObjectType::Appendable {
        set(resp, "x-oss-next-append-position", data.size.to_string());
    }
    if !rec.tags.is_empty() {
        set(resp, "x-oss-tagging-count", rec.tags.len().to_string());
    }
    user_meta(resp, rec);
    version_header(resp, ctx, rec);
}

/// `x-oss-meta-*`, each value as the bytes it was sent as (docs/protocol/objects.md#user-metadata).
fn user_meta(resp: &mut Resp, rec: &ObjectRecord) {
    for (k, v) in &rec.user_meta {
        let value = ossd_proto::headers::meta_wire_bytes(v);
        set_dyn_bytes(resp, &format!("x-oss-meta-{k}"), &value);
    }
}

/// Percent-encodes a symlink target, keeping `/`.
fn encode_target(target: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/');
    percent_encoding::utf8_percent_encode(target, SET).to_string()
}
