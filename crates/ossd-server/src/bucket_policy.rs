//! Bucket policies: `PUT|GET|DELETE /?policy`. The document is validated by the policy engine
//! (`PolicyKind::Bucket`) and stored as a bucket configuration document; every request to the
//! bucket is then authorized with it.

use http::StatusCode;
use hyper::body::Incoming;
use ossd_policy::{MAX_BUCKET_POLICY_BYTES, Policy, PolicyKind};
use ossd_proto::error::{OssCode, OssError};

use crate::AppState;
use crate::ctx::Ctx;
use crate::errors::meta_error;
use crate::handlers::read_checked_body;
use crate::response::{Resp, ok, status};

/// The configuration-document kind under which bucket policies are stored.
pub(crate) const CONFIG_KIND: &str = "policy";

/// `PUT /?policy`.
pub(crate) async fn put(state: &AppState, ctx: &Ctx, body: Incoming) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_BUCKET_POLICY_BYTES).await?;
    let text = String::from_utf8(raw)
        .map_err(|_| OssError::invalid_policy_document("The policy is not valid UTF-8."))?;
    Policy::parse(&text, PolicyKind::Bucket)
        .map_err(|e| OssError::invalid_policy_document(e.message()))?;
    state
        .store
        .meta()
        .put_bucket_config(ctx.bucket(), CONFIG_KIND, Some(text))
        .await
        .map_err(|e| meta_error(e, ctx))?;
    Ok(ok())
}

/// `GET /?policy`: the document as stored, or 404 `NoSuchBucketPolicy`.
pub(crate) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let doc = state
        .store
        .meta()
        .get_bucket_config(ctx.bucket(), CONFIG_KIND)
        .await
        .map_err(|e| meta_error(e, ctx))?
        .ok_or_else(|| {
            OssError::with_message(
                OssCode::NoSuchBucketPolicy,
                "The bucket policy does not exist.",
            )
            .with_extra("BucketName", ctx.bucket().to_owned())
        })?;
    let mut resp = Resp::new(crate::body::full(doc));
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    Ok(resp)
}

/// `DELETE /?policy`: 204 whether or not a policy was set.
pub(crate) async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    state
        .store
        .meta()
        .put_bucket_config(ctx.bucket(), CONFIG_KIND, None)
        .await
        .map_err(|e| meta_error(e, ctx))?;
    Ok(status(StatusCode::NO_CONTENT))
}
