//! Save-as (docs/protocol/image-processing.md#save-as): `POST /<key>?x-oss-process` with the body
//! `x-oss-process=<image/... or style/...>|sys/saveas,o_<b64 key>[,b_<b64 bucket>]` processes the
//! object and stores the result as a new object. The dispatcher authorizes `ImgSaveAs`
//! (`oss:PostProcessTask`) on the source; the write is authorized here as PutObject on the target.

use std::sync::Arc;

use bytes::Bytes;
use ossd_meta::BucketRecord;
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::op::Operation;
use ossd_store::{BodyStream, WriteSpec};
use ossd_types::{ObjectAcl, ObjectKey};

use super::get::READ_RETRIES;
use super::image_process::{load_marks, plan_for, run};
use super::read_checked_body;
use super::restore;
use crate::AppState;
use crate::pipeline::auth::{Resource, authorize};
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::pipeline::policy_ctx;
use crate::pipeline::read_auth::{Addressed, ReadScope};
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, set};

/// The largest accepted request body.
const MAX_BODY: usize = 8 * 1024;

/// `POST /<key>?x-oss-process`.
pub(super) async fn save_as(
    state: &AppState,
    ctx: &Ctx,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_BODY).await?;
    let (process, named_bucket, target_key) = parse_body(&raw)?;
    let target_bucket = named_bucket
        .clone()
        .unwrap_or_else(|| ctx.bucket().to_owned());
    let target = state
        .store
        .buckets()
        .get(&target_bucket)
        .await
        .map_err(|e| store_error(e, ctx))?
        .ok_or_else(|| OssError::no_such_bucket(&target_bucket))?;
    authorize_target(state, ctx, &target, &target_key).await?;
    let plan = plan_for(state, ctx, &process).await?;
    let limits = ossd_image::Limits::default();
    let marks = Arc::new(load_marks(state, ctx, &plan, &limits).await?);
    let mut output = None;
    let scope = ReadScope::load(state, ctx, ctx.bucket()).await?;
    for _ in 0..READ_RETRIES {
        let source = read_source(state, ctx, &scope).await?;
        if let Some(out) = run(state, ctx, &source, &plan, &marks).await? {
            output = Some(out);
            break;
        }
    }
    let out = output.ok_or_else(OssError::internal_error)?;
    let size = out.body.len();
    let spec = WriteSpec {
        bucket: target_bucket.clone(),
        key: target_key.clone(),
        headers: vec![("content-type".to_owned(), out.content_type.to_owned())],
        user_meta: Vec::new(),
        tags: Vec::new(),
        acl: ObjectAcl::Default,
        storage_class: target.storage_class,
        content_md5: None,
        forbid_overwrite: false,
        etag_condition: Default::default(),
        content_length: u64::try_from(size).ok(),
        checksum: Default::default(),
    };
    let data = Bytes::from(out.body);
    let stream: BodyStream = Box::pin(futures_util::stream::once(async move { Ok(data) }));
    state
        .store
        .put_object(spec, stream, ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    // `bucket` echoes `b_`: empty when it was omitted (the object then goes to the source's
    // bucket), as the reply oss2's `process_object` test receives from OSS.
    let doc = serde_json::json!({
        "bucket": named_bucket.unwrap_or_default(),
        "fileSize": size,
        "object": target_key,
        "status": "OK",
    });
    let mut resp = Resp::new(crate::transport::body::full(doc.to_string()));
    set(&mut resp, "content-type", "application/json");
    Ok(resp)
}

/// Splits the body into the process, the target bucket named by `b_` (if any) and key.
fn parse_body(raw: &[u8]) -> Result<(String, Option<String>, String), OssError> {
    let text = std::str::from_utf8(raw)
        .map_err(|_| OssError::invalid_argument("The process body is not valid UTF-8."))?;
    let value = text
        .trim()
        .strip_prefix("x-oss-process=")
        .ok_or_else(|| OssError::invalid_argument("The body must be 'x-oss-process=...'."))?;
    let value = percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .map_err(|_| OssError::invalid_argument("The process is not valid UTF-8."))?;
    let (process, saveas) = value.split_once("|sys/saveas,").ok_or_else(|| {
        OssError::invalid_argument("The process must end with '|sys/saveas,...'.")
    })?;
    let (mut key, mut bucket) = (None, None);
    for param in saveas.split(',') {
        match param.split_once('_') {
            Some(("o", v)) => key = Some(b64(v, "o")?),
            Some(("b", v)) => bucket = Some(b64(v, "b")?),
            _ => {
                return Err(OssError::invalid_argument_value(
                    "Unknown saveas parameter.",
                    "sys/saveas",
                    param,
                ));
            }
        }
    }
    let key = key.ok_or_else(|| {
        OssError::with_message(
            OssCode::MissingArgument,
            "The saveas parameter 'o' is missing.",
        )
    })?;
    ObjectKey::new(&key).map_err(|_| OssError::invalid_object_name())?;
    Ok((process.to_owned(), bucket, key))
}

/// A Base64 parameter decoded to UTF-8 (either alphabet, as `ossd_image::decode_base64_text`).
fn b64(v: &str, name: &str) -> Result<String, OssError> {
    ossd_image::decode_base64_text(v).ok_or_else(|| {
        OssError::invalid_argument_value("The value is not URL-safe Base64.", name, v)
    })
}

/// The source of a save-as: besides the `oss:PostProcessTask` the dispatcher authorized, its
/// bytes are read, so it is authorized as a read (`oss:GetObject`, `oss:GetObjectVersion` with
/// a version; a symlink's target too) before it is told whether it exists
/// (docs/protocol/authorization.md#oss-action-map: save-as needs `oss:GetObject` on the source).
async fn read_source(
    state: &AppState,
    ctx: &Ctx,
    scope: &ReadScope,
) -> Result<ossd_store::ObjectBody, OssError> {
    let body = scope
        .resolve(
            state,
            ctx,
            ctx.key(),
            ctx.version_id(),
            Addressed::Unchecked,
        )
        .await?
        .map_err(|e| store_error(e, ctx))?;
    // An archived version is read only while restored (RestoreObject).
    restore::check_readable(&body.data, restore::request_ms(ctx))?;
    Ok(body)
}

/// PutObject on the target bucket and key, with the target bucket's policy.
async fn authorize_target(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
    key: &str,
) -> Result<(), OssError> {
    let bucket_policy = crate::handlers::bucket_policy::load(state, &bucket.name)
        .await
        .map_err(|e| store_error(e, ctx))?;
    let context = policy_ctx::oss(
        ctx.conn,
        ctx.now,
        &ctx.headers,
        Operation::PutObject,
        |_| None,
    );
    let res = Resource {
        bucket: Some(bucket),
        key: Some(key),
        object_acl: None,
        bucket_policy: bucket_policy.as_deref(),
        versioned: false,
        object_tags: None,
    };
    authorize(state, ctx, Operation::PutObject, res, &context).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_parsing() {
        let body = b"x-oss-process=image/resize,w_100|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA";
        let parsed = parse_body(body).map_err(|e| e.code.as_str());
        let want = (
            "image/resize,w_100".into(),
            Some("test".into()),
            "test.jpg".into(),
        );
        assert_eq!(parsed, Ok(want));
        let default = parse_body(b"x-oss-process=image/resize,w_1|sys/saveas,o_YQ");
        assert_eq!(default.map(|t| t.1).ok(), Some(None));
        assert!(parse_body(b"image/resize,w_1").is_err());
        assert!(parse_body(b"x-oss-process=image/resize,w_1").is_err());
        assert!(parse_body(b"x-oss-process=image/resize,w_1|sys/saveas,b_YQ").is_err());
        assert!(parse_body(b"x-oss-process=image/resize,w_1|sys/saveas,o_%%%").is_err());
        // ali-oss sends the standard alphabet, percent-encoded: "a?>b/c" is "YT8+Yi9j".
        let standard = parse_body(b"x-oss-process=image/resize,w_1|sys/saveas,o_YT8%2BYi9j");
        assert_eq!(standard.map(|t| t.2).ok().as_deref(), Some("a?>b/c"));
        let slash = parse_body(b"x-oss-process=image/resize,w_1|sys/saveas,o_YT8%2FYi9j");
        assert_eq!(slash.map(|t| t.2).ok().as_deref(), Some("a??b/c"));
    }
}
