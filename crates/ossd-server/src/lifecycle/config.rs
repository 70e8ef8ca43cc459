//! `PUT|GET|DELETE /?lifecycle`: the configuration is validated, stored in its canonical XML form
//! as the bucket configuration document `"lifecycle"`, and returned as stored.

use http::StatusCode;
use hyper::body::Incoming;
use ossd_meta::MetaStore;
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::xml::{LifecycleConfiguration, MAX_LIFECYCLE_BODY_BYTES};

use crate::AppState;
use crate::ctx::Ctx;
use crate::errors::meta_error;
use crate::handlers::read_checked_body;
use crate::response::{Resp, ok, status, xml};

/// The configuration-document kind under which lifecycle rules are stored.
pub(super) const CONFIG_KIND: &str = "lifecycle";

/// `PUT /?lifecycle`: replaces the bucket's rules.
pub(crate) async fn put(state: &AppState, ctx: &Ctx, body: Incoming) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_LIFECYCLE_BODY_BYTES).await?;
    let config = LifecycleConfiguration::parse(&raw)?;
    state
        .store
        .meta()
        .put_bucket_config(ctx.bucket(), CONFIG_KIND, Some(config.to_xml()))
        .await
        .map_err(|e| meta_error(e, ctx))?;
    Ok(ok())
}

/// `GET /?lifecycle`: the rules, or 404 `NoSuchLifecycle`.
pub(crate) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let doc = state
        .store
        .meta()
        .get_bucket_config(ctx.bucket(), CONFIG_KIND)
        .await
        .map_err(|e| meta_error(e, ctx))?
        .ok_or_else(|| {
            OssError::with_message(OssCode::NoSuchLifecycle, "No Row found in Lifecycle Table.")
                .with_extra("BucketName", ctx.bucket().to_owned())
        })?;
    Ok(xml(doc))
}

/// `DELETE /?lifecycle`: 204 whether or not rules were set.
pub(crate) async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    state
        .store
        .meta()
        .put_bucket_config(ctx.bucket(), CONFIG_KIND, None)
        .await
        .map_err(|e| meta_error(e, ctx))?;
    Ok(status(StatusCode::NO_CONTENT))
}

/// The stored rules of `bucket`: `None` when it has none (or no longer exists). A stored
/// document that no longer parses is logged and treated as no rules.
pub(super) async fn load(
    meta: &dyn MetaStore,
    bucket: &str,
) -> Result<Option<LifecycleConfiguration>, ossd_meta::MetaError> {
    let doc = match meta.get_bucket_config(bucket, CONFIG_KIND).await {
        Ok(Some(doc)) => doc,
        Ok(None) | Err(ossd_meta::MetaError::NoSuchBucket) => return Ok(None),
        Err(e) => return Err(e),
    };
    match LifecycleConfiguration::parse(doc.as_bytes()) {
        Ok(config) => Ok(Some(config)),
        Err(e) => {
            tracing::warn!(bucket, error = %e, "stored lifecycle configuration is invalid; skipped");
            Ok(None)
        }
    }
}
