//! CopyObject: `PUT /<key>` with `x-oss-copy-source: /<bucket>/<key>[?versionId=...]`.

use ossd_meta::NULL_VERSION;
use ossd_proto::error::OssError;
use ossd_proto::xml::CopyObjectResult;
use ossd_store::{ConditionFailure, WriteSpec, check_conditions};
use ossd_types::{BucketName, ETag, ObjectKey};

use crate::AppState;
use crate::auth::{Resource, authorize};
use crate::ctx::Ctx;
use crate::errors::{meta_error, store_error};
use crate::handlers::put::version_header;
use crate::headers::{
    conditions, object_acl, storage_class, stored_headers, tagging_header, user_meta,
};
use crate::response::{Resp, set, status, xml};

/// The parsed `x-oss-copy-source` header.
struct Source {
    bucket: String,
    key: String,
    version_id: Option<String>,
}

fn parse_source(raw: &str) -> Result<Source, OssError> {
    let invalid = || {
        OssError::invalid_argument(
            "Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.",
        )
    };
    let (path, version) = match raw.split_once("?versionId=") {
        Some((p, v)) => (p, Some(v.to_owned())),
        None => (raw, None),
    };
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| invalid())?;
    let trimmed = decoded.strip_prefix('/').unwrap_or(&decoded);
    let (bucket, key) = trimmed.split_once('/').ok_or_else(invalid)?;
    BucketName::new(bucket).map_err(|_| invalid())?;
    ObjectKey::new(key).map_err(|_| invalid())?;
    Ok(Source {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        version_id: version.filter(|v| !v.is_empty()),
    })
}

/// `PUT /<key>` with `x-oss-copy-source`.
pub async fn copy_object(
    state: &AppState,
    ctx: &Ctx,
    dest: &ossd_meta::BucketRecord,
) -> Result<Resp, OssError> {
    let src = parse_source(ctx.header("x-oss-copy-source").unwrap_or_default())?;
    let src_bucket = state
        .store
        .meta()
        .get_bucket(&src.bucket)
        .await
        .map_err(|e| meta_error(e, ctx))?
        .ok_or_else(|| OssError::no_such_bucket(&src.bucket))?;
    let source = state
        .store
        .resolve(&src.bucket, &src.key, src.version_id.as_deref())
        .await
        .map_err(|e| store_error(e, ctx).with_extra("Key", src.key.clone()))?;
    let policy = state
        .store
        .meta()
        .get_bucket_config(&src.bucket, crate::bucket_policy::CONFIG_KIND)
        .await
        .map_err(|e| meta_error(e, ctx))?;
    let res = Resource {
        bucket: Some(&src_bucket),
        key: Some(&src.key),
        object_acl: Some(source.record.acl),
        bucket_policy: policy.as_deref(),
        versioned: src.version_id.is_some(),
    };
    let read = ossd_proto::op::Operation::GetObject;
    let context = crate::policy_ctx::oss(ctx.conn, ctx.now, &ctx.headers, read, |_| None);
    authorize(&state.iam, &ctx.caller, read, res, &context).await?;
    match check_conditions(&source.record, &conditions(ctx, "x-oss-copy-source-")) {
        Ok(()) => {}
        Err(ConditionFailure::NotModified) => return Ok(status(http::StatusCode::NOT_MODIFIED)),
        Err(ConditionFailure::PreconditionFailed(which)) => {
            return Err(OssError::precondition_failed(which));
        }
    }
    let spec = copy_spec(ctx, dest, &source.data, &src)?;
    let record = state
        .store
        .copy_object(&source.data, spec, ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let mut resp = xml(CopyObjectResult {
        etag: ETag::from_inner(record.etag.clone()),
        last_modified_ms: record.last_modified_ms,
    }
    .to_xml());
    set(&mut resp, "etag", format!("\"{}\"", record.etag));
    set(&mut resp, "x-oss-hash-crc64ecma", record.crc64.to_string());
    version_header(&mut resp, &record);
    if source.data.version_id != NULL_VERSION {
        set(
            &mut resp,
            "x-oss-copy-source-version-id",
            &source.data.version_id,
        );
    }
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
