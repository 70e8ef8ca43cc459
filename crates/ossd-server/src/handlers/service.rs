//! ListBuckets.

use ossd_proto::error::OssError;
use ossd_proto::xml::{BucketSummary, ListAllMyBucketsResult, Owner};

use crate::AppState;
use crate::ctx::Ctx;
use crate::errors::meta_error;
use crate::public_endpoint;
use crate::response::{Resp, xml};

/// Default and largest `max-keys` of ListBuckets.
const DEFAULT_MAX_BUCKETS: usize = 100;
const MAX_MAX_BUCKETS: usize = 1000;

/// `GET /` at service level.
pub async fn list_buckets(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let prefix = ctx.query("prefix").unwrap_or_default();
    let marker = ctx.query("marker").unwrap_or_default();
    let max = parse_max_keys(ctx.query("max-keys"), DEFAULT_MAX_BUCKETS, MAX_MAX_BUCKETS)?;
    let owner = state.config.account_id.clone();
    let (buckets, truncated) = state
        .store
        .meta()
        .list_buckets(&owner, prefix, marker, max)
        .await
        .map_err(|e| meta_error(e, ctx))?;
    let next_marker = truncated
        .then(|| buckets.last().map(|b| b.name.clone()))
        .flatten();
    let given = |k: &str| ctx.query(k).map(str::to_owned);
    let endpoint = public_endpoint::reported(&state.config, ctx);
    let result = ListAllMyBucketsResult {
        prefix: given("prefix"),
        marker: given("marker"),
        max_keys: ctx
            .query("max-keys")
            .filter(|v| !v.is_empty())
            .map(|_| max as u32),
        next_marker,
        owner: Owner::new(owner),
        buckets: buckets
            .iter()
            .map(|b| BucketSummary {
                name: b.name.clone(),
                creation_date_ms: b.created_ms,
                location: format!("oss-{}", b.region),
                region: b.region.clone(),
                extranet_endpoint: endpoint.clone(),
                intranet_endpoint: endpoint.clone(),
                storage_class: b.storage_class,
            })
            .collect(),
    };
    Ok(xml(result.to_xml()))
}

/// Parses `max-keys`: empty means the default; otherwise 1..=`max`.
pub fn parse_max_keys(v: Option<&str>, default: usize, max: usize) -> Result<usize, OssError> {
    match v.filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(OssError::invalid_argument(format!(
                "Argument max-keys must be an integer between 1 and {max}."
            ))),
        },
    }
}
