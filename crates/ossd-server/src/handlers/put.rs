//! PutObject, AppendObject and PutSymlink.

use http::StatusCode;
use ossd_meta::{BucketRecord, NULL_VERSION, ObjectRecord};
use ossd_proto::error::OssError;
use ossd_types::VersioningState;

use crate::AppState;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::headers::{content_length, write_spec, write_spec_tagged};
use crate::transport::body::{RequestBody, request_stream};
use crate::transport::response::{Resp, ok, set};

/// `PUT /<key>`.
pub(super) async fn put_object(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let mut spec = write_spec(ctx, bucket.storage_class)?;
    if spec.content_length.is_none()
        && !ctx
            .header("transfer-encoding")
            .is_some_and(|t| t.contains("chunked"))
    {
        return Err(OssError::missing_content_length());
    }
    let (stream, checksum) = super::checksum::body_stream(ctx, body);
    spec.checksum = checksum;
    let record = state
        .store
        .put_object(spec, stream, ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let mut resp = written(ctx, &record, true);
    super::checksum::set_headers(&mut resp, ctx, record.checksum.as_ref());
    super::lifecycle_config::expiration_header(state, ctx, &record, &mut resp).await;
    Ok(resp)
}

/// `POST /<key>?append&position=N`.
pub(super) async fn append_object(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let position = ctx
        .query("position")
        .and_then(|p| p.parse::<u64>().ok())
        .ok_or_else(|| OssError::invalid_argument("Position is invalid."))?;
    // Only the first append (position 0) creates the object with the request's attributes; a
    // later one keeps the object's tags, and OSS ignores its `x-oss-tagging`, valid or not
    // (oss2's test_append_object_with_tagging_wrong_num; docs/protocol/objects.md#appendobject).
    let spec = match position {
        0 => write_spec(ctx, bucket.storage_class)?,
        _ => write_spec_tagged(ctx, bucket.storage_class, Vec::new())?,
    };
    content_length(ctx)?;
    match state
        .store
        .append_object(spec, position, request_stream(body), ctx.now_ms())
        .await
    {
        Ok(record) => {
            let mut resp = written(ctx, &record, false);
            set(
                &mut resp,
                "x-oss-next-append-position",
                record.size.to_string(),
            );
            Ok(resp)
        }
        Err(e) => Err(store_error(e, ctx)),
    }
}

/// `PUT /<key>?symlink` with `x-oss-symlink-target`.
pub(super) async fn put_symlink(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
) -> Result<Resp, OssError> {
    let raw = ctx
        .header("x-oss-symlink-target")
        .ok_or_else(|| OssError::missing_argument("Missing Some Required Arguments."))?;
    let target = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| OssError::invalid_argument("The symlink target is not valid UTF-8."))?
        .into_owned();
    ossd_types::ObjectKey::new(&target)
        .map_err(|_| OssError::invalid_argument("The symlink target is invalid."))?;
    let spec = write_spec(ctx, bucket.storage_class)?;
    let record = state
        .store
        .put_symlink(spec, target, ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let mut resp = ok();
    set(&mut resp, "etag", ossd_types::quote_etag(&record.etag));
    version_header(&mut resp, ctx, &record);
    Ok(resp)
}

/// The response to a successful data write: ETag, CRC-64, Content-MD5 (plain PUT), version.
pub(crate) fn written(ctx: &Ctx, record: &ObjectRecord, with_md5: bool) -> Resp {
    let mut resp = ok();
    set(&mut resp, "etag", ossd_types::quote_etag(&record.etag));
    set(&mut resp, "x-oss-hash-crc64ecma", record.crc64.to_string());
    let md5 = with_md5.then(|| hex::decode(&record.etag).ok()).flatten();
    if let Some(bytes) = md5 {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        set(&mut resp, "content-md5", encoded);
    }
    version_header(&mut resp, ctx, record);
    *resp.status_mut() = StatusCode::OK;
    resp
}

/// `x-oss-version-id`: sent for every version of a bucket whose versioning was ever configured
/// (`null` for the null version of a `Suspended` bucket,
/// docs/protocol/versioning.md#version-semantics), never for unversioned ones.
pub(super) fn version_header(resp: &mut Resp, ctx: &Ctx, record: &ObjectRecord) {
    if record.version_id != NULL_VERSION || ctx.versioning != VersioningState::Disabled {
        set(resp, "x-oss-version-id", &record.version_id);
    }
}
