//! CopyObject: `PUT /<key>` with `x-oss-copy-source: /<bucket>/<key>[?versionId=...]`.

use ossd_proto::error::OssError;
use ossd_proto::xml::CopyObjectResult;
use ossd_store::WriteSpec;
use ossd_types::ETag;

use crate::AppState;
use crate::ctx::Ctx;
use crate::errors::store_error;
use crate::handlers::copy_source::{Source, load_source, source_conditions};
use crate::handlers::put::version_header;
use crate::headers::{object_acl, storage_class, stored_headers, tagging_header, user_meta};
use crate::response::{Resp, set, xml};

/// `PUT /<key>` with `x-oss-copy-source`.
pub async fn copy_object(
    state: &AppState,
    ctx: &Ctx,
    dest: &ossd_meta::BucketRecord,
) -> Result<Resp, OssError> {
    let source = load_source(state, ctx).await?;
    if let Some(not_modified) = source_conditions(ctx, &source)? {
        return Ok(not_modified);
    }
    let spec = copy_spec(ctx, dest, &source.body.data, &source.src)?;
    let record = state
        .store
        .copy_object(&source.body.data, spec, ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let mut resp = xml(CopyObjectResult {
        etag: ETag::from_inner(record.etag.clone()),
        last_modified_ms: record.last_modified_ms,
    }
    .to_xml());
    set(&mut resp, "etag", format!("\"{}\"", record.etag));
    set(&mut resp, "x-oss-hash-crc64ecma", record.crc64.to_string());
    version_header(&mut resp, ctx, &record);
    source.version_header(&mut resp);
    Ok(resp)
}

/// The new object's attributes: copied from the source (COPY) or from this request (REPLACE, or
/// a copy onto itself, which is how clients change metadata).
fn copy_spec(
    ctx: &Ctx,
    dest: &ossd_meta::BucketRecord,
    source: &ossd_meta::ObjectRecord,
    src: &Source,
) -> Result<WriteSpec, OssError> {
    let directive = ctx.header("x-oss-metadata-directive").unwrap_or("COPY");
    let onto_itself = src.bucket == ctx.bucket() && src.key == ctx.key();
    let replace = match directive.to_ascii_uppercase().as_str() {
        "COPY" => onto_itself,
        "REPLACE" => true,
        _ => return Err(OssError::invalid_argument("Unknown metadata directive.")),
    };
    let tags = match ctx
        .header("x-oss-tagging-directive")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("replace") => tagging_header(ctx)?,
        _ => source.tags.clone(),
    };
    Ok(WriteSpec {
        bucket: ctx.bucket().to_owned(),
        key: ctx.key().to_owned(),
        headers: if replace {
            stored_headers(ctx)
        } else {
            source.headers.clone()
        },
        user_meta: if replace {
            user_meta(ctx)?
        } else {
            source.user_meta.clone()
        },
        tags,
        acl: object_acl(ctx)?.unwrap_or(ossd_types::ObjectAcl::Default),
        storage_class: storage_class(ctx)?.unwrap_or(dest.storage_class),
        content_md5: None,
        forbid_overwrite: ctx
            .header("x-oss-forbid-overwrite")
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        content_length: None,
    })
}
