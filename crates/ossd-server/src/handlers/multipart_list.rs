//! Multipart listings (docs/protocol/multipart.md#listparts, #listmultipartuploads): ListParts and
//! ListMultipartUploads.

use ossd_meta::{ListUploadsQuery, PartRecord, UploadsPage};
use ossd_proto::error::OssError;
use ossd_proto::params::Params;
use ossd_proto::xml::{ListMultipartUploadsResult, ListPartsResult, PartSummary, UploadSummary};
use ossd_types::ETag;

use crate::AppState;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::response::{Resp, xml};

/// `GET /<key>?uploadId=ID`.
pub(super) async fn list_parts(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let p = ctx.params(Params::list_parts)?;
    let (encoding_url, max, marker) = (p.encoding_url, p.max_parts, p.part_number_marker);
    let upload_id = p.upload_id.as_str();
    let page = state
        .store
        .list_parts(ctx.bucket(), ctx.key(), upload_id, marker, max)
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(xml(ListPartsResult {
        bucket: ctx.bucket().to_owned(),
        key: ctx.key().to_owned(),
        upload_id: upload_id.to_owned(),
        storage_class: page.upload.template.storage_class,
        part_number_marker: marker,
        next_part_number_marker: page.parts.last().map_or(marker, |p| p.part_number),
        max_parts: max as u32,
        is_truncated: page.truncated,
        encoding_url,
        parts: page.parts.iter().map(|p| part_summary(ctx, p)).collect(),
        checksum: page
            .upload
            .checksum
            .as_ref()
            .filter(|_| ctx.dialect == ossd_proto::dialect::Dialect::S3)
            .map(|c| {
                let kind = if c.composite {
                    "COMPOSITE"
                } else {
                    "FULL_OBJECT"
                };
                (c.algorithm.clone(), kind)
            }),
        owner: (ctx.dialect == ossd_proto::dialect::Dialect::S3)
            .then(|| ossd_proto::xml::Owner::new(state.config.account_id.clone())),
    }
    .to_xml()))
}

fn part_summary(ctx: &Ctx, p: &PartRecord) -> PartSummary {
    PartSummary {
        part_number: p.part_number,
        last_modified_ms: p.last_modified_ms,
        etag: ETag::from_inner(p.etag.clone()),
        crc64: Some(p.crc64),
        size: p.size,
        checksum: super::checksum::element(ctx, p.checksum.as_ref()),
    }
}

/// `GET /?uploads`.
pub(super) async fn list_uploads(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let p = ctx.params(Params::list_uploads)?;
    let encoding_url = p.encoding_url;
    let query = ListUploadsQuery {
        bucket: ctx.bucket().to_owned(),
        prefix: p.prefix.clone(),
        delimiter: p.delimiter.clone(),
        key_marker: p.key_marker.clone(),
        upload_id_marker: p.upload_id_marker.clone(),
        max_uploads: p.max_uploads,
    };
    let page = state
        .store
        .list_uploads(&query)
        .await
        .map_err(|e| store_error(e, ctx))?;
    Ok(xml(uploads_result(query, page, encoding_url).to_xml()))
}

fn uploads_result(
    query: ListUploadsQuery,
    page: UploadsPage,
    encoding_url: bool,
) -> ListMultipartUploadsResult {
    let truncated = page.truncated;
    let (next_key_marker, next_upload_id_marker) = if truncated {
        (
            page.next_key_marker.unwrap_or_default(),
            page.next_upload_id_marker.unwrap_or_default(),
        )
    } else {
        last_entry(&page)
    };
    ListMultipartUploadsResult {
        bucket: query.bucket,
        key_marker: query.key_marker,
        upload_id_marker: query.upload_id_marker,
        next_key_marker,
        next_upload_id_marker,
        delimiter: query.delimiter.unwrap_or_default(),
        prefix: query.prefix,
        max_uploads: query.max_uploads as u32,
        is_truncated: truncated,
        encoding_url,
        uploads: page
            .uploads
            .into_iter()
            .map(|u| UploadSummary {
                key: u.key,
                upload_id: u.upload_id,
                initiated_ms: u.initiated_ms,
            })
            .collect(),
        common_prefixes: page.common_prefixes,
    }
}

/// The markers of the last entry of a complete page (empty when the page is): OSS names the last
/// upload (or common prefix) listed in `NextKeyMarker` / `NextUploadIdMarker` even when the
/// listing is not truncated, and the v2 SDK's suite expects it. Entries come in key order, so
/// the last is the greater of the last upload and the last common prefix.
fn last_entry(page: &UploadsPage) -> (String, String) {
    let upload = page.uploads.last();
    let prefix = page.common_prefixes.last();
    match (upload, prefix) {
        (Some(u), Some(p)) if p.as_str() > u.key.as_str() => (p.clone(), String::new()),
        (Some(u), _) => (u.key.clone(), u.upload_id.clone()),
        (None, Some(p)) => (p.clone(), String::new()),
        (None, None) => (String::new(), String::new()),
    }
}
