//! ListObjects (v1) and ListObjectsV2.

use ossd_meta::{ListEntry, ListQuery};
use ossd_proto::error::OssError;
use ossd_proto::params::{Params, continuation_token};
use ossd_proto::xml::{ListObjectsResult, ListObjectsV2Result, ObjectSummary, Owner};
use ossd_types::ETag;

use crate::AppState;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::response::{Resp, xml};

/// `GET /` (v1) or `GET /?list-type=2` (v2).
pub(super) async fn list_objects(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let p = ctx.params(Params::list_objects)?;
    let query = ListQuery {
        bucket: ctx.bucket().to_owned(),
        prefix: p.prefix.clone(),
        delimiter: p.delimiter.clone(),
        start_after: p.start.clone(),
        max_keys: p.max_keys,
    };
    let mut page = state
        .store
        .list_objects(&query)
        .await
        .map_err(|e| store_error(e, ctx))?;
    let owner = Owner::new(state.config.account_id.clone());
    let objects = std::mem::take(&mut page.objects);
    let contents = summaries(objects, super::restore::now_ms(state));
    let delimiter = p.delimiter.clone().unwrap_or_default();
    let doc = if p.v2 {
        ListObjectsV2Result {
            name: ctx.bucket().to_owned(),
            prefix: p.prefix.clone(),
            start_after: p.start_after.clone(),
            continuation_token: p.continuation_token.clone(),
            max_keys: p.max_keys as u32,
            delimiter,
            encoding_url: p.encoding_url,
            next_continuation_token: page
                .next_marker
                .as_ref()
                .filter(|_| page.truncated)
                .map(|m| continuation_token(m)),
            fetch_owner: p.fetch_owner,
            contents,
            owner,
            common_prefixes: page.common_prefixes,
        }
        .to_xml()
    } else {
        ListObjectsResult {
            name: ctx.bucket().to_owned(),
            prefix: p.prefix.clone(),
            marker: p.marker.clone(),
            max_keys: p.max_keys as u32,
            delimiter,
            encoding_url: p.encoding_url,
            next_marker: page.next_marker.clone().filter(|_| page.truncated),
            contents,
            owner,
            common_prefixes: page.common_prefixes,
        }
        .to_xml()
    };
    Ok(xml(doc))
}

/// The `<Contents>` entries, taking the listed entries' keys and ETags rather than copying them.
fn summaries(objects: Vec<ListEntry>, now_ms: i64) -> Vec<ObjectSummary> {
    objects
        .into_iter()
        .map(|e| ObjectSummary {
            restore_info: super::restore::restore_value(e.restore_status(now_ms)),
            last_modified_ms: e.last_modified_ms,
            object_type: e.object_type,
            size: e.size,
            storage_class: e.storage_class,
            key: e.key,
            etag: ETag::from_inner(e.etag),
        })
        .collect()
}
