//! Multipart upload writes (docs/protocol/multipart.md): InitiateMultipartUpload, UploadPart,
//! UploadPartCopy and AbortMultipartUpload (CompleteMultipartUpload is in `complete.rs`).

use base64::Engine;
use http::StatusCode;
use ossd_meta::{BucketRecord, PartRecord};
use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::params::Params;
use ossd_proto::xml::{CopyPartResult, InitiateMultipartUploadResult};
use ossd_store::PartUpload;
use ossd_types::ETag;

use crate::AppState;
use crate::handlers::checksum;
use crate::handlers::copy_source::{load_source, source_conditions};
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::headers::{Range, content_length, content_md5, range, write_spec};
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok, set, status, xml};

/// `POST /<key>?uploads`: the request's object headers become the final object's.
pub(super) async fn initiate(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
) -> Result<Resp, OssError> {
    let encoding_url = ctx.params(Params::initiate)?.encoding_url;
    let spec = write_spec(ctx, bucket.storage_class)?;
    let checksum = checksum::upload_choice(ctx)?;
    let upload = state
        .store
        .initiate_multipart_with(spec, checksum, ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let mut resp = xml(InitiateMultipartUploadResult {
        bucket: upload.bucket,
        key: upload.key,
        upload_id: upload.upload_id,
        encoding_url,
    }
    .to_xml());
    if let Some(c) = &upload.checksum {
        set(&mut resp, "x-amz-checksum-algorithm", &c.algorithm);
        let kind = if c.composite {
            "COMPOSITE"
        } else {
            "FULL_OBJECT"
        };
        set(&mut resp, "x-amz-checksum-type", kind);
    }
    Ok(resp)
}

/// The part a request addresses (`partNumber`, `uploadId`).
fn part_upload(ctx: &Ctx) -> Result<PartUpload, OssError> {
    let p = ctx.params(Params::part)?;
    let upload_id = p
        .upload_id
        .as_deref()
        .ok_or_else(OssError::no_such_upload)?;
    let part_number = p.part_number;
    Ok(PartUpload {
        bucket: ctx.bucket().to_owned(),
        key: ctx.key().to_owned(),
        upload_id: upload_id.to_owned(),
        part_number,
        content_md5: content_md5(ctx)?,
        content_length: content_length(ctx)?,
        checksum: Default::default(),
    })
}

/// `PUT /<key>?partNumber=N&uploadId=ID`.
pub(super) async fn upload_part(
    state: &AppState,
    ctx: &Ctx,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let mut to = part_upload(ctx)?;
    let chunked = ctx
        .header("transfer-encoding")
        .is_some_and(|t| t.contains("chunked"));
    if to.content_length.is_none() && !chunked {
        return Err(OssError::missing_content_length());
    }
    let (stream, checksum) = checksum::body_stream(ctx, body);
    to.checksum = checksum;
    let part = state
        .store
        .upload_part(to, stream, ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let mut resp = part_headers(&part);
    let md5 = base64::engine::general_purpose::STANDARD.encode(part.md5);
    set(&mut resp, "content-md5", md5);
    checksum::set_headers(&mut resp, ctx, part.checksum.as_ref());
    Ok(resp)
}

/// `ETag` and `x-oss-hash-crc64ecma` of a stored part.
fn part_headers(part: &PartRecord) -> Resp {
    let mut resp = ok();
    set(&mut resp, "etag", ossd_types::quote_etag(&part.etag));
    set(&mut resp, "x-oss-hash-crc64ecma", part.crc64.to_string());
    resp
}

/// `PUT /<key>?partNumber=N&uploadId=ID` with `x-oss-copy-source` (and optionally
/// `x-oss-copy-source-range: bytes=first-last`).
pub(super) async fn upload_part_copy(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let to = part_upload(ctx)?;
    let source = load_source(state, ctx).await?;
    if let Some(not_modified) = source_conditions(ctx, &source)? {
        return Ok(not_modified);
    }
    let range = copy_source_range(ctx, source.body.data.size)?;
    let part = state
        .store
        .upload_part_copy(&source.body.data, range, to, ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let doc = CopyPartResult {
        last_modified_ms: part.last_modified_ms,
        etag: ETag::from_inner(part.etag.clone()),
    };
    let mut resp = xml(doc.to_xml());
    for (name, value) in part_headers(&part).headers() {
        resp.headers_mut().insert(name, value.clone());
    }
    source.version_header(&mut resp);
    Ok(resp)
}

/// `x-oss-copy-source-range` against a source of `size` bytes, read as OSS reads a GetObject
/// `Range` (OSS API reference, UploadPartCopy and GetObject): `bytes=first-last` (inclusive),
/// `bytes=first-` (to the end) or `bytes=-n` (the last n bytes); a range that is malformed or
/// does not fit the source copies the whole source. `None`: the whole source. S3 accepts only
/// `bytes=first-last` inside the source ([`ossd_proto::s3::copy_source_range`]).
fn copy_source_range(ctx: &Ctx, size: u64) -> Result<Option<(u64, u64)>, OssError> {
    let header = ctx.header("x-oss-copy-source-range");
    if let (Dialect::S3, Some(value)) = (ctx.dialect, header) {
        return ossd_proto::s3::copy_source_range(value, size).map(Some);
    }
    Ok(match range(header, size, false) {
        Range::Partial(first, last) => Some((first, last)),
        Range::Full | Range::Unsatisfiable => None,
    })
}

/// `DELETE /<key>?uploadId=ID`: 204.
pub(super) async fn abort(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let upload_id = ctx.params(Params::upload)?.upload_id.as_str();
    state
        .store
        .abort_multipart(ctx.bucket(), ctx.key(), upload_id)
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(status(StatusCode::NO_CONTENT))
}
