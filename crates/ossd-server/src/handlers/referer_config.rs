//! Bucket Referer rules over HTTP: `PUT|GET /?referer` (stored through the bucket service as
//! the configuration `RefererConfiguration`) and the check applied to anonymous and signed-URL
//! requests.

use ossd_proto::error::OssError;
use ossd_proto::referer;
use ossd_proto::xml::{MAX_REFERER_BODY_BYTES, RefererConfiguration};

use crate::AppState;
use crate::handlers::put_config;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, xml};

/// `PUT /?referer`: replaces the rules (an empty whitelist allowing empty Referers turns the
/// protection off).
pub(crate) async fn put(state: &AppState, ctx: &Ctx, body: RequestBody) -> Result<Resp, OssError> {
    put_config(
        state,
        ctx,
        body,
        MAX_REFERER_BODY_BYTES,
        RefererConfiguration::parse,
    )
    .await
}

/// `GET /?referer`: the rules, or the default (everything allowed) when none are set.
pub(crate) async fn get(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let config = load(state, ctx).await?.unwrap_or_default();
    Ok(xml(config.to_xml()))
}

async fn load(state: &AppState, ctx: &Ctx) -> Result<Option<RefererConfiguration>, OssError> {
    state
        .store
        .bucket_configs()
        .get(ctx.bucket())
        .await
        .map_err(|e| store_error(e, ctx))
}

/// Refuses a request that is not header-signed (anonymous or signed URL) when its Referer is
/// not allowed by the bucket's rules: 403 `AccessDenied`.
pub(crate) async fn check(state: &AppState, ctx: &Ctx) -> Result<(), OssError> {
    if ctx.header("authorization").is_some() {
        return Ok(());
    }
    let Some(config) = load(state, ctx).await? else {
        return Ok(());
    };
    if referer::allowed(&config, ctx.header("referer")) {
        return Ok(());
    }
    Err(OssError::access_denied(referer::DENIED_MESSAGE)
        .with_extra("BucketName", ctx.bucket().to_owned()))
}
