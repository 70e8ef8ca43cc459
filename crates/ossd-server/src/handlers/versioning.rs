//! Versioning (docs/protocol/versioning.md): PutBucketVersioning, GetBucketVersioning and
//! ListObjectVersions.

use ossd_meta::{BucketRecord, ListVersionsQuery, VersionsPage};
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::params::Params;
use ossd_proto::xml::{
    DeleteMarkerInfo, ListVersionsResult, MAX_CONFIG_BODY_BYTES, Owner, VersionEntry, VersionInfo,
    VersionMarker, VersioningConfiguration,
};
use ossd_types::ETag;

use crate::AppState;
use crate::handlers::read_checked_body;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, ok, xml};

/// `PUT /?versioning`: `Enabled` or `Suspended` (a bucket never returns to unversioned). A
/// missing, empty or other `Status` (`Disabled` included) is `MalformedXML`, as oss2's
/// `test_bucket_versioning_wrong` receives from OSS.
pub(super) async fn put_bucket_versioning(
    state: &AppState,
    ctx: &Ctx,
    bucket: BucketRecord,
    body: RequestBody,
) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_CONFIG_BODY_BYTES).await?;
    let config = VersioningConfiguration::parse(&raw).map_err(|e| match e.code {
        OssCode::InvalidArgument => OssError::malformed_xml(),
        _ => e,
    })?;
    state
        .store
        .buckets()
        .set_versioning(&bucket.name, config.status)
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(ok())
}

/// `GET /?versioning`: `<VersioningConfiguration/>` when never configured.
pub(super) fn get_bucket_versioning(bucket: &BucketRecord) -> Result<Resp, OssError> {
    Ok(xml(VersioningConfiguration {
        status: bucket.versioning,
    }
    .to_xml()))
}

/// `GET /?versions`.
pub(super) async fn list_object_versions(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let p = ctx.params(Params::list_versions)?;
    let encoding_url = p.encoding_url;
    let query = ListVersionsQuery {
        bucket: ctx.bucket().to_owned(),
        prefix: p.prefix.clone(),
        delimiter: p.delimiter.clone(),
        key_marker: p.key_marker.clone(),
        version_id_marker: p.version_id_marker.clone(),
        max_keys: p.max_keys,
    };
    let page = state
        .store
        .list_versions(&query)
        .await
        .map_err(|e| store_error(e, ctx))?;
    let owner = Owner::new(state.config.account_id.clone());
    Ok(xml(ListVersionsResult {
        entries: entries(&page, &owner, super::restore::now_ms(state)),
        next_marker: next_marker(&page),
        common_prefixes: page.common_prefixes,
        name: query.bucket,
        prefix: query.prefix,
        key_marker: query.key_marker,
        version_id_marker: query.version_id_marker,
        max_keys: query.max_keys as u32,
        delimiter: query.delimiter.unwrap_or_default(),
        encoding_url,
    }
    .to_xml()))
}

/// Where a truncated page continues.
fn next_marker(page: &VersionsPage) -> Option<VersionMarker> {
    if !page.truncated {
        return None;
    }
    Some(VersionMarker {
        key: page.next_key_marker.clone().unwrap_or_default(),
        version_id: page.next_version_id_marker.clone().unwrap_or_default(),
    })
}

/// The `<Version>` and `<DeleteMarker>` entries, in listing order.
fn entries(page: &VersionsPage, owner: &Owner, now_ms: i64) -> Vec<VersionEntry> {
    page.versions
        .iter()
        .map(|v| {
            let r = &v.record;
            if r.delete_marker {
                return VersionEntry::DeleteMarker(DeleteMarkerInfo {
                    key: r.key.clone(),
                    version_id: r.version_id.clone(),
                    is_latest: v.is_latest,
                    last_modified_ms: r.last_modified_ms,
                    owner: owner.clone(),
                });
            }
            VersionEntry::Version(VersionInfo {
                key: r.key.clone(),
                version_id: r.version_id.clone(),
                is_latest: v.is_latest,
                last_modified_ms: r.last_modified_ms,
                etag: ETag::from_inner(r.etag.clone()),
                object_type: r.object_type,
                size: r.size,
                storage_class: r.storage_class,
                restore_info: super::restore::restore_header(r, now_ms),
                owner: owner.clone(),
            })
        })
        .collect()
}
