//! Bucket tags: `PUT|GET|DELETE /?tagging` (PutBucketTags, GetBucketTags, DeleteBucketTags),
//! stored as the bucket configuration kind `tagging`.

use hyper::body::Incoming;
use ossd_meta::ConfigSwap;
use ossd_proto::error::OssError;
use ossd_proto::xml::{BucketTagging, MAX_TAGGING_BODY_BYTES};

use crate::AppState;
use crate::ctx::Ctx;
use crate::errors::meta_error;
use crate::handlers::read_checked_body;
use crate::response::{Resp, ok, status, xml};

/// The configuration-document kind under which a bucket's tags are stored.
pub const CONFIG_KIND: &str = "tagging";
/// How many times a partial delete is re-applied after losing a race to another update.
const MAX_UPDATE_ATTEMPTS: usize = 1000;

/// `PUT /?tagging`: replaces the bucket's tags with the body's (an empty set removes them).
pub async fn put(state: &AppState, ctx: &Ctx, body: Incoming) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_TAGGING_BODY_BYTES).await?;
    let tagging = BucketTagging::parse(&raw)?;
    store(state, ctx, ctx.bucket(), &tagging).await?;
    Ok(ok())
}

/// `GET /?tagging`: the tags; an empty `<Tagging>` when there are none.
pub async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let tagging = load(state, ctx, ctx.bucket()).await?;
    Ok(xml(tagging.to_xml()))
}

/// `DELETE /?tagging`: removes every tag, or with `tagging=k1,k2` only those keys (by
/// compare-and-set, so a concurrent PutBucketTags is never half-undone). 204 either way, also
/// when the bucket has no such tag (DeleteBucketTags page).
pub async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let keys: Vec<&str> = ctx
        .query("tagging")
        .unwrap_or_default()
        .split(',')
        .filter(|k| !k.is_empty())
        .collect();
    if keys.is_empty() {
        store(state, ctx, ctx.bucket(), &BucketTagging::default()).await?;
        return Ok(status(http::StatusCode::NO_CONTENT));
    }
    let meta = state.store.meta();
    let mut current = meta
        .get_bucket_config(ctx.bucket(), CONFIG_KIND)
        .await
        .map_err(|e| meta_error(e, ctx))?;
    for _ in 0..MAX_UPDATE_ATTEMPTS {
        let mut tagging = decode(current.as_deref());
        let before = tagging.tags.len();
        tagging.remove_keys(&keys);
        if tagging.tags.len() == before {
            return Ok(status(http::StatusCode::NO_CONTENT));
        }
        let doc = (!tagging.tags.is_empty()).then(|| tagging.to_xml());
        match meta
            .swap_bucket_config(ctx.bucket(), CONFIG_KIND, current.as_deref(), doc)
            .await
            .map_err(|e| meta_error(e, ctx))?
        {
            ConfigSwap::Swapped => return Ok(status(http::StatusCode::NO_CONTENT)),
            ConfigSwap::Changed(now) => current = now,
        }
    }
    Err(OssError::service_unavailable())
}

/// The tags of `bucket` (none when unset; a stored document that no longer parses counts as
/// none rather than failing every listing).
pub async fn load(state: &AppState, ctx: &Ctx, bucket: &str) -> Result<BucketTagging, OssError> {
    let doc = state
        .store
        .meta()
        .get_bucket_config(bucket, CONFIG_KIND)
        .await
        .map_err(|e| meta_error(e, ctx))?;
    Ok(decode(doc.as_deref()))
}

/// The tags of a stored document (none when absent or no longer parsable).
fn decode(doc: Option<&str>) -> BucketTagging {
    doc.and_then(|d| BucketTagging::parse(d.as_bytes()).ok())
        .unwrap_or_default()
}

async fn store(
    state: &AppState,
    ctx: &Ctx,
    bucket: &str,
    tagging: &BucketTagging,
) -> Result<(), OssError> {
    let doc = (!tagging.tags.is_empty()).then(|| tagging.to_xml());
    state
        .store
        .meta()
        .put_bucket_config(bucket, CONFIG_KIND, doc)
        .await
        .map_err(|e| meta_error(e, ctx))
}
