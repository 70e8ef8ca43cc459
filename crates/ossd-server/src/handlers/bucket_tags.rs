//! Bucket tags: `PUT|GET|DELETE /?tagging` (PutBucketTags, GetBucketTags, DeleteBucketTags),
//! stored through the bucket service as the configuration `BucketTagging`.

use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::xml::{BucketTagging, MAX_TAGGING_BODY_BYTES};
use ossd_store::Update;

use crate::AppState;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::{store_error, update_error};
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok, status, xml};

/// `PUT /?tagging`: replaces the bucket's tags with the body's (an empty set removes them).
pub(super) async fn put(state: &AppState, ctx: &Ctx, body: RequestBody) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_TAGGING_BODY_BYTES).await?;
    let tagging = BucketTagging::parse(&raw)?;
    store(state, ctx, &tagging).await?;
    Ok(ok())
}

/// `GET /?tagging`: the tags; when there are none an empty `<Tagging>` (OSS), 404
/// `NoSuchTagSet` in the S3 dialect (S3 GetBucketTagging; s3-tests' test_set_bucket_tagging;
/// docs/s3.md#tagging).
pub(super) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let tagging = state
        .store
        .bucket_configs()
        .get::<BucketTagging>(ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?
        .unwrap_or_default();
    if ctx.dialect == Dialect::S3 && tagging.tags.is_empty() {
        return Err(OssError::no_such_tag_set());
    }
    Ok(xml(tagging.to_xml()))
}

/// `DELETE /?tagging`: removes every tag, or with `tagging=k1,k2` only those keys (by
/// compare-and-set, so a concurrent PutBucketTags is never half-undone). 204 either way, also
/// when the bucket has no such tag (DeleteBucketTags page).
pub(super) async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let keys: Vec<&str> = ctx
        .query("tagging")
        .unwrap_or_default()
        .split(',')
        .filter(|k| !k.is_empty())
        .collect();
    if keys.is_empty() {
        store(state, ctx, &BucketTagging::default()).await?;
        return Ok(status(http::StatusCode::NO_CONTENT));
    }
    state
        .store
        .bucket_configs()
        .update(ctx.bucket(), |current: Option<BucketTagging>| {
            let mut tagging = current.unwrap_or_default();
            let before = tagging.tags.len();
            tagging.remove_keys(&keys);
            if tagging.tags.len() == before {
                return Ok(Update::Keep);
            }
            Ok(Update::Put(tagging))
        })
        .await
        .map_err(|e| update_error(e, ctx))?;
    Ok(status(http::StatusCode::NO_CONTENT))
}

/// Replaces the bucket's tags (an empty set removes them).
async fn store(state: &AppState, ctx: &Ctx, tagging: &BucketTagging) -> Result<(), OssError> {
    state
        .store
        .bucket_configs()
        .put(ctx.bucket(), tagging)
        .await
        .map_err(|e| store_error(e, ctx))
}
