//! ListObjects (v1) and ListObjectsV2.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ossd_meta::{ListPage, ListQuery};
use ossd_proto::error::OssError;
use ossd_proto::xml::{ListObjectsResult, ListObjectsV2Result, ObjectSummary, Owner};
use ossd_types::ETag;

use crate::AppState;
use crate::ctx::Ctx;
use crate::errors::store_error;
use crate::handlers::service::parse_max_keys;
use crate::response::{Resp, xml};

/// Default and largest `max-keys` of object listings.
const DEFAULT_MAX_KEYS: usize = 100;
const MAX_MAX_KEYS: usize = 1000;

/// `GET /` (v1) or `GET /?list-type=2` (v2).
pub(super) async fn list_objects(state: &AppState, ctx: &Ctx, v2: bool) -> Result<Resp, OssError> {
    let max = parse_max_keys(ctx.query("max-keys"), DEFAULT_MAX_KEYS, MAX_MAX_KEYS)?;
    let encoding_url = encoding_url(ctx)?;
    let prefix = ctx.query("prefix").unwrap_or_default().to_owned();
    let delimiter = ctx
        .query("delimiter")
        .filter(|d| !d.is_empty())
        .map(str::to_owned);
    let start_after = if v2 {
        v2_start(ctx)?
    } else {
        ctx.query("marker").unwrap_or_default().to_owned()
    };
    let query = ListQuery {
        bucket: ctx.bucket().to_owned(),
        prefix: prefix.clone(),
        delimiter: delimiter.clone(),
        start_after,
        max_keys: max,
    };
    let page = state
        .store
        .list_objects(&query)
        .await
        .map_err(|e| store_error(e, ctx))?;
    let owner = Owner::new(state.config.account_id.clone());
    let contents = summaries(&page, &owner, super::restore::now_ms(state));
    let delimiter = delimiter.unwrap_or_default();
    let doc = if v2 {
        ListObjectsV2Result {
            name: ctx.bucket().to_owned(),
            prefix,
            start_after: ctx
                .query("start-after")
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            continuation_token: ctx
                .query("continuation-token")
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            max_keys: max as u32,
            delimiter,
            encoding_url,
            next_continuation_token: page
                .next_marker
                .as_ref()
                .filter(|_| page.truncated)
                .map(|m| URL_SAFE_NO_PAD.encode(m)),
            fetch_owner: ctx
                .query("fetch-owner")
                .is_some_and(|v| v.eq_ignore_ascii_case("true")),
            contents,
            common_prefixes: page.common_prefixes,
        }
        .to_xml()
    } else {
        ListObjectsResult {
            name: ctx.bucket().to_owned(),
            prefix,
            marker: ctx.query("marker").unwrap_or_default().to_owned(),
            max_keys: max as u32,
            delimiter,
            encoding_url,
            next_marker: page.next_marker.clone().filter(|_| page.truncated),
            contents,
            common_prefixes: page.common_prefixes,
        }
        .to_xml()
    };
    Ok(xml(doc))
}

/// The `encoding-type` query parameter: absent (or empty) or `url`.
pub(super) fn encoding_url(ctx: &Ctx) -> Result<bool, OssError> {
    match ctx.query("encoding-type").filter(|v| !v.is_empty()) {
        None => Ok(false),
        Some("url") => Ok(true),
        Some(_) => Err(OssError::invalid_argument("The encoding-type must be url.")),
    }
}

/// Where a v2 listing starts: after the continuation token's key, else after `start-after`.
fn v2_start(ctx: &Ctx) -> Result<String, OssError> {
    if let Some(token) = ctx.query("continuation-token").filter(|t| !t.is_empty()) {
        let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| {
            OssError::invalid_argument("The continuation token provided is incorrect.")
        })?;
        return String::from_utf8(bytes).map_err(|_| {
            OssError::invalid_argument("The continuation token provided is incorrect.")
        });
    }
    Ok(ctx.query("start-after").unwrap_or_default().to_owned())
}

fn summaries(page: &ListPage, owner: &Owner, now_ms: i64) -> Vec<ObjectSummary> {
    page.objects
        .iter()
        .map(|r| ObjectSummary {
            key: r.key.clone(),
            last_modified_ms: r.last_modified_ms,
            etag: ETag::from_inner(r.etag.clone()),
            object_type: r.object_type,
            size: r.size,
            storage_class: r.storage_class,
            restore_info: super::restore::restore_header(r, now_ms),
            owner: owner.clone(),
        })
        .collect()
}
