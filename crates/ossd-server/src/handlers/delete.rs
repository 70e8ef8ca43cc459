//! DeleteObject and DeleteMultipleObjects.

use http::StatusCode;
use hyper::body::Incoming;
use md5::{Digest, Md5};
use ossd_meta::{DeleteOutcome, NULL_VERSION};
use ossd_proto::error::OssError;
use ossd_proto::xml::{DeleteObjectsRequest, DeleteResult, DeletedEntry, MAX_DELETE_BODY_BYTES};

use crate::AppState;
use crate::ctx::Ctx;
use crate::errors::store_error;
use crate::handlers::bucket::read_xml;
use crate::headers::content_md5;
use crate::response::{Resp, set, status, xml};

/// `DELETE /<key>`: 204 whether or not the key existed.
pub async fn delete_object(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let outcome = state
        .store
        .delete_object(ctx.bucket(), ctx.key(), ctx.version_id(), ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let mut resp = status(StatusCode::NO_CONTENT);
    let entry = entry(ctx.key(), ctx.version_id(), &outcome);
    if entry.delete_marker {
        set(&mut resp, "x-oss-delete-marker", "true");
    }
    if let Some(v) = entry
        .delete_marker_version_id
        .as_deref()
        .or(entry.version_id.as_deref())
    {
        set(&mut resp, "x-oss-version-id", v);
    }
    Ok(resp)
}

/// `POST /?delete`.
pub async fn delete_multiple(
    state: &AppState,
    ctx: &Ctx,
    body: Incoming,
) -> Result<Resp, OssError> {
    let expected = content_md5(ctx)?
        .ok_or_else(|| OssError::missing_argument("Missing Content-MD5 header."))?;
    let raw = read_xml(body, MAX_DELETE_BODY_BYTES).await?;
    let actual: [u8; 16] = Md5::digest(&raw).into();
    if actual != expected {
        return Err(OssError::invalid_digest());
    }
    let request = DeleteObjectsRequest::parse(&raw)?;
    let mut deleted = Vec::with_capacity(request.objects.len());
    for obj in &request.objects {
        if ossd_types::ObjectKey::new(&obj.key).is_err() {
            return Err(OssError::invalid_object_name());
        }
        let version = obj.version_id.as_deref().filter(|v| !v.is_empty());
        let outcome = state
            .store
            .delete_object(ctx.bucket(), &obj.key, version, ctx.now_ms())
            .await
            .map_err(|e| store_error(e, ctx))?;
        deleted.push(entry(&obj.key, version, &outcome));
    }
    let encoding_url = ctx.query("encoding-type").is_some_and(|v| v == "url");
    Ok(xml(DeleteResult {
        quiet: request.quiet,
        encoding_url,
        deleted,
    }
    .to_xml()))
}

/// The `<Deleted>` entry (and response headers) describing what a delete did.
fn entry(key: &str, version: Option<&str>, outcome: &DeleteOutcome) -> DeletedEntry {
    let removed_marker = outcome.removed.iter().any(|r| r.delete_marker);
    let versioned = |v: &str| (v != NULL_VERSION).then(|| v.to_owned());
    DeletedEntry {
        key: key.to_owned(),
        version_id: version.map(str::to_owned),
        delete_marker: outcome.marker_created.is_some() || removed_marker,
        delete_marker_version_id: outcome.marker_created.as_deref().and_then(versioned),
    }
}
