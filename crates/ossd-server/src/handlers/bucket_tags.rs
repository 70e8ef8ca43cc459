//! Bucket tags: `PUT|GET|DELETE /?tagging` (PutBucketTags, GetBucketTags, DeleteBucketTags),
//! stored as the bucket configuration kind `tagging`.

use hyper::body::Incoming;
use ossd_proto::error::OssError;
use ossd_proto::xml::{BucketTagging, MAX_TAGGING_BODY_BYTES};

use crate::AppState;
use crate::config_update::Change;
use crate::ctx::Ctx;
use crate::errors::meta_error;
use crate::handlers::read_checked_body;
use crate::response::{Resp, ok, status, xml};

/// The configuration-document kind under which a bucket's tags are stored.
pub(super) const CONFIG_KIND: &str = "tagging";

/// `PUT /?tagging`: replaces the bucket's tags with the body's (an empty set removes them).
pub(super) async fn put(state: &AppState, ctx: &Ctx, body: Incoming) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_TAGGING_BODY_BYTES).await?;
    let tagging = BucketTagging::parse(&raw)?;
    store(state, ctx, ctx.bucket(), &tagging).await?;
    Ok(ok())
}

/// `GET /?tagging`: the tags; an empty `<Tagging>` when there are none.
pub(super) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let tagging = load(state, ctx, ctx.bucket()).await?;
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
        store(state, ctx, ctx.bucket(), &BucketTagging::default()).await?;
        return Ok(status(http::StatusCode::NO_CONTENT));
    }
    crate::config_update::update(state, ctx, CONFIG_KIND, |current| {
        let mut tagging = decode(current);
        let before = tagging.tags.len();
        tagging.remove_keys(&keys);
        if tagging.tags.len() == before {
            return Ok(Change::Unchanged);
        }
        Ok(Change::Store(
            (!tagging.tags.is_empty()).then(|| tagging.to_xml()),
        ))
    })
    .await?;
    Ok(status(http::StatusCode::NO_CONTENT))
}

/// The tags of `bucket` (none when unset; a stored document that no longer parses counts as
/// none rather than failing every listing).
pub(super) async fn load(
    state: &AppState,
    ctx: &Ctx,
    bucket: &str,
) -> Result<BucketTagging, OssError> {
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
