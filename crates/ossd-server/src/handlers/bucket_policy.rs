//! Bucket policies: `PUT|GET|DELETE /?policy`. The document is validated by the policy engine
//! ([`BucketPolicyDocument`]) and stored through the bucket service; every request to the
//! bucket is then authorized with it ([`load`]).

use ossd_meta::BucketRecord;
use ossd_policy::{BucketPolicyDocument, MAX_BUCKET_POLICY_BYTES};
use ossd_proto::dialect::Dialect;
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::xml::PolicyStatus;
use ossd_store::StoreError;
use ossd_types::BucketAcl;

use crate::AppState;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok, xml};

/// `PUT /?policy`.
/// A public policy is refused while Block Public Access's `BlockPublicPolicy` is on
/// ([`super::public_access_block::refuse_public_policy`]).
pub(crate) async fn put(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_BUCKET_POLICY_BYTES).await?;
    let text = String::from_utf8(raw)
        .map_err(|_| OssError::invalid_policy_document("The policy is not valid UTF-8."))?;
    let policy = BucketPolicyDocument::parse(text)
        .map_err(|e| OssError::invalid_policy_document(e.message()))?;
    super::public_access_block::refuse_public_policy(state, ctx, bucket, &policy).await?;
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

/// `GET /?policyStatus`: whether the bucket is public. In OSS that is its policy alone (OSS API
/// reference, GetBucketPolicyStatus: "whether the current bucket policy allows public
/// access"); in S3 a public canned ACL counts too (ceph/s3-tests' policy-status tests). What
/// makes a policy public is `ossd-policy`'s rule (docs/protocol/policy.md#public-policies).
pub(crate) async fn status(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
) -> Result<Resp, OssError> {
    let policy = state
        .store
        .bucket_configs()
        .get::<BucketPolicyDocument>(ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let acl_public = ctx.dialect == Dialect::S3 && bucket.acl != BucketAcl::Private;
    let is_public = acl_public || policy.is_some_and(|p| p.is_public());
    Ok(xml(PolicyStatus { is_public }.to_xml()))
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
