//! Bucket policies: `PUT|GET|DELETE /?policy`. The document is validated by the policy engine
//! ([`BucketPolicyDocument`]) and stored through the bucket service; every request to the
//! bucket is then authorized with it ([`load`]).

use ossd_policy::{BucketPolicyDocument, MAX_BUCKET_POLICY_BYTES};
use ossd_proto::error::{OssCode, OssError};
use ossd_store::StoreError;

use crate::AppState;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok};

/// `PUT /?policy`.
pub(crate) async fn put(state: &AppState, ctx: &Ctx, body: RequestBody) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_BUCKET_POLICY_BYTES).await?;
    let text = String::from_utf8(raw)
        .map_err(|_| OssError::invalid_policy_document("The policy is not valid UTF-8."))?;
    let policy = BucketPolicyDocument::parse(text)
        .map_err(|e| OssError::invalid_policy_document(e.message()))?;
    state
        .store
        .bucket_configs()
        .put(ctx.bucket(), &policy)
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(ok())
}

/// `GET /?policy`: the document as stored, or 404 `NoSuchBucketPolicy`.
pub(crate) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let doc = load(state, ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?
        .ok_or_else(|| {
            OssError::with_message(
                OssCode::NoSuchBucketPolicy,
                "The bucket policy does not exist.",
            )
            .with_extra("BucketName", ctx.bucket().to_owned())
        })?;
    let mut resp = Resp::new(crate::transport::body::full(doc));
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    Ok(resp)
}

/// `DELETE /?policy`: 204 whether or not a policy was set.
pub(crate) async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    super::delete_config::<BucketPolicyDocument>(state, ctx).await
}

/// The text of `bucket`'s policy, if it has one: what authorization evaluates.
pub(crate) async fn load(state: &AppState, bucket: &str) -> Result<Option<String>, StoreError> {
    let policy = state
        .store
        .bucket_configs()
        .get::<BucketPolicyDocument>(bucket)
        .await?;
    Ok(policy.map(BucketPolicyDocument::into_string))
}
