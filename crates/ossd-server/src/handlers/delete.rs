//! DeleteObject and DeleteMultipleObjects.

use http::StatusCode;
use ossd_meta::{BucketRecord, DeleteOutcome, NULL_VERSION};
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::op::Operation;
use ossd_proto::xml::{
    DeleteErrorEntry, DeleteObjectsRequest, DeleteResult, DeletedEntry, MAX_DELETE_BODY_BYTES,
};
use ossd_types::VersioningState;

use crate::AppState;
use crate::handlers::read_checked_body;
use crate::pipeline::auth::{Resource, authorize, bucket_scope, object_facts};
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::body::RequestBody;
use crate::transport::response::{Resp, set, status, xml};

/// `DELETE /<key>`: 204 whether or not the key existed.
pub(super) async fn delete_object(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let outcome = state
        .store
        .delete_object(ctx.bucket(), ctx.key(), ctx.version_id(), ctx.now_ms())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let mut resp = status(StatusCode::NO_CONTENT);
    let entry = entry(ctx, ctx.key(), ctx.version_id(), &outcome);
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
pub(super) async fn delete_multiple(
    state: &AppState,
    ctx: &Ctx,
    body: RequestBody,
) -> Result<Resp, OssError> {
    // S3 takes an `x-amz-checksum-<alg>` header (checked as the body is read) instead of
    // Content-MD5 (docs/s3.md#headers).
    let s3_checksum = ctx.dialect == ossd_proto::dialect::Dialect::S3
        && ctx
            .headers
            .iter()
            .any(|(k, _)| k.starts_with("x-amz-checksum-"));
    if ctx.header("content-md5").is_none() && !s3_checksum {
        return Err(OssError::missing_argument("Missing Content-MD5 header."));
    }
    let raw = read_checked_body(ctx, body, MAX_DELETE_BODY_BYTES).await?;
    let request = DeleteObjectsRequest::parse(&raw)?;
    // A malformed version id fails the whole request before anything is deleted.
    for v in request
        .objects
        .iter()
        .filter_map(|o| o.version_id.as_deref())
    {
        if !v.is_empty() {
            crate::pipeline::ctx::check_version_id(v)?;
        }
    }
    // Every entry is authorized before anything is deleted, on its own key: `oss:DeleteObject`,
    // `oss:DeleteObjectVersion` for an entry naming a version (the action map's "one check per
    // key", crates/ossd-policy/ACTIONS.md). The request's own check names the bucket only, so
    // without these a Deny on some keys would not stop their deletion. In OSS one refusal
    // refuses the whole request and nothing is deleted; S3 reports each refused entry as an
    // `<Error>` and deletes the others (docs/s3.md#deleteobjects).
    let s3 = ctx.dialect == ossd_proto::dialect::Dialect::S3;
    let mut scope = None;
    let mut errors = Vec::new();
    let mut refused = vec![false; request.objects.len()];
    for (i, obj) in request.objects.iter().enumerate() {
        if obj.key.is_empty() {
            continue;
        }
        if !ctx.dialect.valid_key(&obj.key) {
            return Err(OssError::invalid_object_name());
        }
        let (bucket, policy) = match &scope {
            Some(s) => s,
            None => scope.insert(bucket_scope(state, ctx).await?),
        };
        let version = obj.version_id.as_deref().filter(|v| !v.is_empty());
        match authorize_key(state, ctx, bucket, policy.as_deref(), &obj.key, version).await {
            Ok(()) => {}
            Err(e) if s3 && e.code == OssCode::AccessDenied => {
                refused[i] = true;
                errors.push(DeleteErrorEntry {
                    key: obj.key.clone(),
                    version_id: version.map(str::to_owned),
                    code: ossd_proto::s3::error_code(&e).1,
                    message: e.message,
                });
            }
            Err(e) => return Err(e),
        }
    }
    let mut deleted = Vec::with_capacity(request.objects.len());
    for (obj, refused) in request.objects.iter().zip(refused) {
        let version = obj.version_id.as_deref().filter(|v| !v.is_empty());
        if refused {
            continue;
        }
        if obj.key.is_empty() {
            // No object can have an empty key, so there is nothing to delete; OSS accepts the
            // entry (fsspec's ossfs sends one for the bucket itself) and it is reported like a
            // key that does not exist.
            deleted.push(DeletedEntry {
                key: String::new(),
                version_id: version.map(str::to_owned),
                ..DeletedEntry::default()
            });
            continue;
        }
        let outcome = state
            .store
            .delete_object(ctx.bucket(), &obj.key, version, ctx.now_ms())
            .await
            .map_err(|e| store_error(e, ctx))?;
        deleted.push(entry(ctx, &obj.key, version, &outcome));
    }
    let encoding_url = ctx.query("encoding-type").is_some_and(|v| v == "url");
    Ok(xml(DeleteResult {
        quiet: request.quiet,
        encoding_url,
        deleted,
        errors,
    }
    .to_xml()))
}

/// Authorizes deleting `key` (`version`): the operation's action on that key, its version action
/// when a version is named, with the object's ACL and tags as a DeleteObject of it would have.
async fn authorize_key(
    state: &AppState,
    ctx: &Ctx,
    bucket: &BucketRecord,
    policy: Option<&str>,
    key: &str,
    version: Option<&str>,
) -> Result<(), OssError> {
    let object = object_facts(state, ctx, bucket, policy, key, version).await?;
    let res = Resource {
        bucket: Some(bucket),
        key: Some(key),
        object_acl: object.as_ref().map(|r| r.acl),
        bucket_policy: policy,
        versioned: version.is_some(),
        object_tags: object.as_ref().map(|r| r.tags.as_slice()),
    };
    let op = Operation::DeleteMultipleObjects;
    let context = crate::pipeline::policy_ctx::oss(ctx.conn, ctx.now, &ctx.headers, op, |_| None);
    authorize(state, ctx, op, res, &context).await
}

/// The `<Deleted>` entry (and response headers) describing what a delete did. Version ids are
/// reported in buckets whose versioning was ever configured (`null` included,
/// docs/protocol/versioning.md#version-semantics).
fn entry(ctx: &Ctx, key: &str, version: Option<&str>, outcome: &DeleteOutcome) -> DeletedEntry {
    let removed_marker = outcome.removed.iter().any(|r| r.delete_marker);
    let versioned_bucket = ctx.versioning != VersioningState::Disabled;
    let versioned = |v: &str| (versioned_bucket || v != NULL_VERSION).then(|| v.to_owned());
    DeletedEntry {
        key: key.to_owned(),
        version_id: version.map(str::to_owned),
        delete_marker: outcome.marker_created.is_some() || removed_marker,
        delete_marker_version_id: outcome.marker_created.as_deref().and_then(versioned),
    }
}
