//! CompleteMultipartUpload (docs/protocol/multipart.md#completemultipartupload):
//! `POST /<key>?uploadId=ID` with a part list, or with `x-oss-complete-all: yes` and no body.

use ossd_meta::{ObjectRecord, StoredChecksum};
use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::params::Params;
use ossd_proto::xml::{
    CompleteMultipartUpload, CompleteMultipartUploadResult, CompletePart, MAX_COMPLETE_BODY_BYTES,
    url_encode,
};
use ossd_store::CompleteRequest;
use ossd_types::ETag;

use crate::AppState;
use crate::handlers::put::version_header;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::headers::{etag_condition, object_acl};
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, set, xml};

/// `POST /<key>?uploadId=ID`.
pub(super) async fn complete(
    state: &AppState,
    ctx: &Ctx,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let params = ctx.params(Params::upload)?;
    let encoding_url = params.encoding_url;
    let raw = read_checked_body(ctx, body, MAX_COMPLETE_BODY_BYTES).await?;
    let requested = requested_parts(ctx, &raw)?;
    let req = CompleteRequest {
        bucket: ctx.bucket().to_owned(),
        key: ctx.key().to_owned(),
        upload_id: params.upload_id.clone(),
        parts: requested.as_ref().map(|list| {
            list.iter()
                .map(|p| (p.part_number, p.etag.clone()))
                .collect()
        }),
        part_checksums: part_checksums(ctx, requested.as_deref()),
        forbid_overwrite: ctx
            .header("x-oss-forbid-overwrite")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        etag_condition: etag_condition(ctx),
        acl: object_acl(ctx)?,
        checksum: super::checksum::stated(ctx),
    };
    let parts = req.parts.clone();
    let record = match state.store.complete_multipart(req, ctx.now_ms()).await {
        Ok(record) => record,
        Err(ossd_store::StoreError::NoSuchUpload) if ctx.dialect == Dialect::S3 => {
            // S3 answers a repeated CompleteMultipartUpload with the object it made.
            match already_completed(state, ctx, parts.as_deref()).await? {
                Some(record) => record,
                None => return Err(OssError::no_such_upload()),
            }
        }
        Err(e) => return Err(store_error(e, ctx)),
    };
    Ok(response(ctx, &record, encoding_url))
}

/// The current version of the key when it is the object this part list completed: a
/// multipart object whose ETag is the one these parts' ETags make. S3 completes an upload
/// once and answers a repeat of the same request with that object (docs/s3.md#multipart).
async fn already_completed(
    state: &AppState,
    ctx: &Ctx,
    parts: Option<&[(u32, String)]>,
) -> Result<Option<ObjectRecord>, OssError> {
    let Some(parts) = parts else {
        return Ok(None);
    };
    let mut md5s = Vec::with_capacity(parts.len());
    for (_, etag) in parts {
        let mut md5 = [0u8; 16];
        if hex::decode_to_slice(etag.trim().trim_matches('"'), &mut md5).is_err() {
            return Ok(None);
        }
        md5s.push(md5);
    }
    let current = state
        .store
        .object_meta(ctx.bucket(), ctx.key(), None)
        .await
        .map_err(|e| store_error(e, ctx))?;
    let made = ossd_store::multipart_etag(&md5s);
    Ok(current.filter(|r| {
        !r.delete_marker
            && r.object_type == ossd_types::ObjectType::Multipart
            && r.etag.eq_ignore_ascii_case(&made)
    }))
}

/// The part list of the body, or `None` with `x-oss-complete-all: yes` (then the body must be
/// empty).
fn requested_parts(ctx: &Ctx, raw: &[u8]) -> Result<Option<Vec<CompletePart>>, OssError> {
    let complete_all = ctx
        .header("x-oss-complete-all")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("yes"));
    if !complete_all {
        let parsed = match ctx.dialect {
            Dialect::Oss => CompleteMultipartUpload::parse(raw)?,
            Dialect::S3 => CompleteMultipartUpload::parse_s3(raw)?,
        };
        return Ok(Some(parsed.parts));
    }
    if raw.iter().all(u8::is_ascii_whitespace) {
        Ok(None)
    } else {
        let msg = "Should not specify both complete-all header and http body.";
        Err(OssError::invalid_argument(msg))
    }
}

/// The part checksums an S3 request states (`<ChecksumCRC32>` … of its parts); none for OSS.
fn part_checksums(ctx: &Ctx, parts: Option<&[CompletePart]>) -> Vec<(u32, StoredChecksum)> {
    if ctx.dialect != ossd_proto::dialect::Dialect::S3 {
        return Vec::new();
    }
    let stated = parts.unwrap_or_default().iter().filter_map(|p| {
        let (algorithm, value) = p.checksum.clone()?;
        Some((
            p.part_number,
            StoredChecksum {
                algorithm,
                value,
                composite: false,
            },
        ))
    });
    stated.collect()
}

/// The result document with `ETag`, the whole object's CRC-64 and the version id.
fn response(ctx: &Ctx, record: &ObjectRecord, encoding_url: bool) -> Resp {
    let mut resp = xml(CompleteMultipartUploadResult {
        encoding_url,
        location: location(ctx),
        bucket: record.bucket.clone(),
        key: record.key.clone(),
        etag: ETag::from_inner(record.etag.clone()),
        checksum: super::checksum::element(ctx, record.checksum.as_ref()),
    }
    .to_xml());
    set(&mut resp, "etag", ossd_types::quote_etag(&record.etag));
    set(&mut resp, "x-oss-hash-crc64ecma", record.crc64.to_string());
    version_header(&mut resp, ctx, record);
    resp
}

/// The object's URL as the client addressed it (virtual-hosted or path style).
fn location(ctx: &Ctx) -> String {
    let scheme = if ctx.conn.secure { "https" } else { "http" };
    let key = url_encode(ctx.key()).replace("%2F", "/");
    let vhost = ctx.host.starts_with(&format!("{}.", ctx.bucket()));
    if vhost {
        format!("{scheme}://{}/{key}", ctx.host)
    } else {
        format!("{scheme}://{}/{}/{key}", ctx.host, ctx.bucket())
    }
}
