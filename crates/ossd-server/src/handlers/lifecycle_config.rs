//! `PUT|GET|DELETE /?lifecycle`: the configuration is validated and stored through the bucket
//! service (in its stored XML form, which keeps the form of each rule), and returned in the
//! request's dialect; and S3's `x-amz-expiration` header, which PutObject and HeadObject derive
//! from it.

use ossd_proto::dialect::Dialect;
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::xml::{LifecycleConfiguration, MAX_LIFECYCLE_BODY_BYTES};

use crate::AppState;
use crate::handlers::put_config;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, set, xml};
use ossd_meta::ObjectRecord;
use ossd_proto::time_fmt::rfc1123;
use ossd_types::lifecycle::{Subject, expiry};

/// `PUT /?lifecycle`: replaces the bucket's rules. In the OSS dialect, the rules' tags follow
/// OSS's character rule ([`LifecycleConfiguration::check_oss_tags`]), and rules whose prefixes
/// overlap may not share an action unless `x-oss-allow-same-action-overlap: true`
/// ([`LifecycleConfiguration::check_overlap`]); S3 allows both.
pub(crate) async fn put(state: &AppState, ctx: &Ctx, body: RequestBody) -> Result<Resp, OssError> {
    let overlap_allowed = ctx
        .header("x-oss-allow-same-action-overlap")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let parse = match (ctx.dialect, overlap_allowed) {
        (Dialect::S3, _) => LifecycleConfiguration::parse,
        (Dialect::Oss, true) => parse_oss,
        (Dialect::Oss, false) => parse_oss_without_overlap,
    };
    put_config(state, ctx, body, MAX_LIFECYCLE_BODY_BYTES, parse).await
}

/// [`LifecycleConfiguration::parse`], then [`LifecycleConfiguration::check_oss_tags`].
fn parse_oss(body: &[u8]) -> Result<LifecycleConfiguration, OssError> {
    let config = LifecycleConfiguration::parse(body)?;
    config.check_oss_tags()?;
    Ok(config)
}

/// [`parse_oss`], then [`LifecycleConfiguration::check_overlap`].
fn parse_oss_without_overlap(body: &[u8]) -> Result<LifecycleConfiguration, OssError> {
    let config = parse_oss(body)?;
    config.check_overlap()?;
    Ok(config)
}

/// `GET /?lifecycle`: the rules, or 404 `NoSuchLifecycle`: OSS's document, or S3's with each
/// rule in the form it was put (docs/s3.md, "Lifecycle").
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
    Ok(xml(match ctx.dialect {
        Dialect::Oss => config.to_xml(),
        Dialect::S3 => ossd_proto::s3::lifecycle_xml(&config),
    }))
}

/// `DELETE /?lifecycle`: 204 whether or not rules were set.
pub(crate) async fn delete(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    super::delete_config::<LifecycleConfiguration>(state, ctx).await
}

/// S3's `x-amz-expiration` (`expiry-date="<RFC 1123>", rule-id="<URL-encoded id>"`) on a
/// PutObject or HeadObject response of the S3 dialect, when an enabled rule will expire the
/// object (AWS: PutObject and HeadObject, "Expiration" response header; the date as
/// [`expiry`] computes it). Written as `x-oss-expiration`, which the S3 rewrite renames; OSS
/// documents no such header, so an OSS response never has it. The bucket's rules are read only
/// for S3 requests; an error reading them leaves the header out.
pub(crate) async fn expiration_header(
    state: &AppState,
    ctx: &Ctx,
    record: &ObjectRecord,
    resp: &mut Resp,
) {
    if ctx.dialect != Dialect::S3 || record.delete_marker {
        return;
    }
    let Ok(Some(config)) = state
        .store
        .bucket_configs()
        .get::<LifecycleConfiguration>(ctx.bucket())
        .await
    else {
        return;
    };
    let subject = Subject {
        key: &record.key,
        tags: &record.tags,
        size: Some(record.size),
    };
    let day_ms = i64::try_from(state.config.lifecycle_day_secs)
        .unwrap_or(i64::MAX)
        .saturating_mul(1000);
    if let Some((at, id)) = expiry(&config.rules, subject, record.last_modified_ms, day_ms) {
        let value = format!(
            "expiry-date=\"{}\", rule-id=\"{}\"",
            rfc1123(at),
            ossd_sig::uri_encode(id)
        );
        set(resp, "x-oss-expiration", value);
    }
}
