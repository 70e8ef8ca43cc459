//! Versioning (docs/protocol/versioning.md): PutBucketVersioning, GetBucketVersioning and
//! ListObjectVersions.

use hyper::body::Incoming;
use ossd_meta::{BucketRecord, ListVersionsQuery, VersionsPage};
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::xml::{
    DeleteMarkerInfo, ListVersionsResult, MAX_CONFIG_BODY_BYTES, Owner, VersionEntry, VersionInfo,
    VersionMarker, VersioningConfiguration,
};
use ossd_types::ETag;

use crate::AppState;
use crate::ctx::Ctx;
use crate::errors::store_error;
use crate::handlers::list::encoding_url;
use crate::handlers::read_checked_body;
use crate::handlers::service::parse_max_keys;
use crate::response::{Resp, ok, xml};

/// Default and largest `max-keys` of ListObjectVersions.
const DEFAULT_MAX_KEYS: usize = 100;
const MAX_MAX_KEYS: usize = 1000;
/// The longest `prefix`, `delimiter`, `key-marker` and `version-id-marker` accepted, in bytes:
/// OSS answers 1025 bytes of each with `InvalidArgument` (oss2's
/// `test_list_object_versions_wrong`); object keys are at most 1023 bytes, so no listing is lost.
const MAX_PARAM_BYTES: usize = 1024;

/// `PUT /?versioning`: `Enabled` or `Suspended` (a bucket never returns to unversioned). A
/// missing, empty or other `Status` (`Disabled` included) is `MalformedXML`, as oss2's
/// `test_bucket_versioning_wrong` receives from OSS.
pub(super) async fn put_bucket_versioning(
    state: &AppState,
    ctx: &Ctx,
    bucket: BucketRecord,
    body: Incoming,
) -> Result<Resp, OssError> {
    let raw = read_checked_body(ctx, body, MAX_CONFIG_BODY_BYTES).await?;
    let config = VersioningConfiguration::parse(&raw).map_err(|e| match e.code {
        OssCode::InvalidArgument => OssError::malformed_xml(),
        _ => e,
    })?;
    state
        .store
        .buckets()
        .set_versioning(bucket, config.status)
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
    let encoding_url = encoding_url(ctx)?;
    let query = versions_query(ctx)?;
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

/// The listing query of the request's `prefix`, `delimiter`, `key-marker`,
/// `version-id-marker` and `max-keys`.
fn versions_query(ctx: &Ctx) -> Result<ListVersionsQuery, OssError> {
    for name in ["prefix", "delimiter", "key-marker", "version-id-marker"] {
        if ctx.query(name).is_some_and(|v| v.len() > MAX_PARAM_BYTES) {
            return Err(OssError::invalid_argument(format!(
                "The length of {name} must be less than or equal to {MAX_PARAM_BYTES}."
            )));
        }
    }
    let text = |k: &str| ctx.query(k).unwrap_or_default().to_owned();
    let key_marker = text("key-marker");
    // The version marker only means something within a key marker
    // (docs/protocol/versioning.md#listobjectversions).
    let version_id_marker = if key_marker.is_empty() {
        String::new()
    } else {
        text("version-id-marker")
    };
    Ok(ListVersionsQuery {
        bucket: ctx.bucket().to_owned(),
        prefix: text("prefix"),
        delimiter: ctx
            .query("delimiter")
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
        key_marker,
        version_id_marker,
        max_keys: parse_max_keys(ctx.query("max-keys"), DEFAULT_MAX_KEYS, MAX_MAX_KEYS)?,
    })
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
