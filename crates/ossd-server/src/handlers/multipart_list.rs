//! Multipart listings (docs/protocol/multipart.md#listparts, #listmultipartuploads): ListParts and
//! ListMultipartUploads.

use ossd_meta::{ListUploadsQuery, PartRecord, UploadsPage};
use ossd_proto::error::OssError;
use ossd_proto::xml::{ListMultipartUploadsResult, ListPartsResult, PartSummary, UploadSummary};
use ossd_types::ETag;

use crate::AppState;
use crate::ctx::Ctx;
use crate::errors::store_error;
use crate::handlers::list::encoding_url;
use crate::response::{Resp, xml};

/// Default and largest `max-parts` / `max-uploads`.
const MAX_ENTRIES: usize = 1000;

/// A `max-*` query value: absent or empty gives the default, else 1..=1000.
fn parse_max(ctx: &Ctx, name: &str) -> Result<usize, OssError> {
    match ctx.query(name).map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(MAX_ENTRIES),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=MAX_ENTRIES).contains(&n) => Ok(n),
            _ => Err(OssError::invalid_argument(format!(
                "Argument {name} must be an integer between 1 and {MAX_ENTRIES}."
            ))),
        },
    }
}

/// `GET /<key>?uploadId=ID`.
pub(super) async fn list_parts(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let encoding_url = encoding_url(ctx)?;
    let max = parse_max(ctx, "max-parts")?;
    let marker = part_number_marker(ctx)?;
    let upload_id = ctx.query("uploadId").unwrap_or_default();
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
        parts: page.parts.iter().map(part_summary).collect(),
    }
    .to_xml()))
}

/// `part-number-marker` (absent or empty: 0).
fn part_number_marker(ctx: &Ctx) -> Result<u32, OssError> {
    match ctx.query("part-number-marker").map(str::trim) {
        None | Some("") => Ok(0),
        Some(v) => v
            .parse::<u32>()
            .map_err(|_| OssError::invalid_argument("Invalid part-number-marker.")),
    }
}

fn part_summary(p: &PartRecord) -> PartSummary {
    PartSummary {
        part_number: p.part_number,
        last_modified_ms: p.last_modified_ms,
        etag: ETag::from_inner(p.etag.clone()),
        crc64: Some(p.crc64),
        size: p.size,
    }
}

/// `GET /?uploads`.
pub(super) async fn list_uploads(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let encoding_url = encoding_url(ctx)?;
    let text = |k: &str| ctx.query(k).unwrap_or_default().to_owned();
    let query = ListUploadsQuery {
        bucket: ctx.bucket().to_owned(),
        prefix: text("prefix"),
        delimiter: ctx
            .query("delimiter")
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
        key_marker: text("key-marker"),
        upload_id_marker: text("upload-id-marker"),
        max_uploads: parse_max(ctx, "max-uploads")?,
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
