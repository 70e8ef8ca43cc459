//! `PUT|GET|DELETE /?lifecycle`: the configuration is validated and stored through the bucket
//! service (in its canonical XML form), and returned as stored.

use ossd_proto::error::{OssCode, OssError};
use ossd_proto::xml::{LifecycleConfiguration, MAX_LIFECYCLE_BODY_BYTES};

use crate::AppState;
use crate::handlers::put_config;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, xml};

/// `PUT /?lifecycle`: replaces the bucket's rules.
pub(crate) async fn put(state: &AppState, ctx: &Ctx, body: RequestBody) -> Result<Resp, OssError> {
    put_config(
        state,
        ctx,
        body,
        MAX_LIFECYCLE_BODY_BYTES,
        LifecycleConfiguration::parse,
    )
    .await
}

/// `GET /?lifecycle`: the rules, or 404 `NoSuchLifecycle`.
pub(crate) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let config = state
        .store
        .bucket_configs()
        .get::<LifecycleConfiguration>(ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))?
        .ok_or_else(|| {
            OssError::with_message(OssCode::NoSuchLifecycle, "No Row found in Lifecycle Table.")
                .with_extra("BucketName", ctx.bucket().to_owned())
        })?;
    Ok(xml(config.to_xml()))
}

/// `DELETE /?lifecycle`: 204 whether or not rules were set.
pub(crate) async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    super::delete_config::<LifecycleConfiguration>(state, ctx).await
}
