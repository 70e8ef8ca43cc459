//! The PostObject steps after the form's fields are read: credentials and signature, policy,
//! key, authorization as `PutObject`, then the streamed write.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use http::request::Parts;
use multer::Multipart;
use ossd_iam::Caller;
use ossd_meta::BucketRecord;
use ossd_proto::dialect::Dialect;
use ossd_proto::error::OssError;
use ossd_proto::op::Operation;
use ossd_proto::post_policy::{PostPolicy, condition_failed};
use ossd_proto::request::Target;
use ossd_sig::uri_encode;
use ossd_store::StoreError;
use ossd_types::BucketName;

use super::PostRequest;
use super::auth::authenticate;
use super::form::{self, Fields};
use super::reply;
use crate::AppState;
use crate::handlers::ownership_config;
use crate::pipeline::auth::{Resource, authorize};
use crate::pipeline::ctx::Ctx;
use crate::pipeline::dispatch::collect_headers;
use crate::pipeline::errors::store_error;
use crate::pipeline::headers::write_spec;
use crate::pipeline::policy_ctx;
use crate::transport::response::Resp;

/// Form fields that never become object attributes.
const NOT_HEADERS: &[&str] = &[
    "content-length",
    "content-md5",
    "authorization",
    "x-oss-copy-source",
];

/// Checks the form and writes the object; returns the response and the caller's label.
/// `dialect` starts as the listener's and becomes the form's once its fields are read.
pub(super) async fn run(
    state: &AppState,
    parts: &Parts,
    multipart: Multipart<'static>,
    target: Target,
    req: &PostRequest<'_>,
    dialect: &mut Dialect,
) -> Result<(Resp, String), OssError> {
    let name = target.bucket.clone().unwrap_or_default();
    BucketName::new(&name).map_err(|_| OssError::invalid_bucket_name(&name))?;
    let mut ctx = Ctx {
        request_id: req.request_id.to_owned(),
        method: "POST".to_owned(),
        host: req.host.to_owned(),
        target,
        raw_path: parts.uri.path().to_owned(),
        query: Vec::new(),
        headers: collect_headers(&parts.headers),
        wire_headers: None,
        dialect: *dialect,
        op: Operation::PutObject,
        params: ossd_proto::params::Params::None,
        plan: None,
        now: req.now,
        caller: Caller::Anonymous,
        conn: req.conn,
        versioning: ossd_types::VersioningState::Disabled,
    };
    let bucket = state
        .store
        .buckets()
        .get(&name)
        .await
        .map_err(|e| store_error(e, &ctx))?
        .ok_or_else(|| OssError::no_such_bucket(&name))?;
    ctx.versioning = bucket.versioning;
    let form = form::read(multipart).await?;
    if form.fields.get("x-amz-algorithm").is_some() || form.fields.get("awsaccesskeyid").is_some() {
        // Known before the signature is checked, so that its refusal is in S3's words too.
        *dialect = Dialect::S3;
    }
    let keys = &state.signing_keys;
    let signed = authenticate(&state.iam, keys, &form.fields, &state.config.region).await?;
    ctx.caller = signed.caller;
    if let Some(d) = signed.dialect {
        *dialect = d;
    }
    ctx.dialect = *dialect;
    let key = object_key(&form.fields, form.file.file_name(), ctx.dialect)?;
    let content_type = form
        .fields
        .get("x-oss-content-type")
        .or_else(|| form.fields.get("content-type"))
        .map(str::to_owned)
        .or_else(|| form.file.content_type().map(|m| m.to_string()));
    let policy = match &signed.policy {
        Some(b64) => Some(PostPolicy::decode(b64)?),
        None => None,
    };
    if let Some(p) = &policy {
        p.check_expiration(req.now)?;
        {
            for f in signed.v4_fields {
                if !p.has_eq(f) {
                    return Err(OssError::access_denied(format!(
                        "Invalid according to Policy: Policy Condition required: {f}"
                    )));
                }
            }
        }
        p.check_fields(|f| match f {
            "bucket" => Some(name.as_str()),
            "key" => Some(key.as_str()),
            "content-type" => content_type.as_deref(),
            other => form.fields.get(other),
        })?;
    }
    ctx.target.key = Some(key);
    let mut object = object_headers(&form.fields, content_type.as_deref());
    let translated = if ctx.dialect == Dialect::S3 {
        s3_object_headers(&object).map(|mut headers| {
            if !headers.iter().any(|(k, _)| k == "x-oss-object-acl") {
                // S3 objects are private unless a canned ACL says otherwise (docs/s3.md#acls).
                headers.push(("x-oss-object-acl".to_owned(), "private".to_owned()));
            }
            headers
        })
    } else {
        Ok(object.clone())
    };
    // The upload's ACL and tags are the form's: the policy context takes them from there (a
    // condition on `oss:x-oss-object-acl` or `oss:RequestObjectTag/<k>` tests what the upload
    // sets), and the rest (User-Agent, Referer) from the request's own headers. A form whose
    // fields do not translate is refused after authorization, as other bad arguments are.
    let set_by_form = translated.as_ref().map_or(&object, |h| h);
    let request_headers = std::mem::take(&mut ctx.headers);
    ctx.headers = request_headers
        .into_iter()
        .filter(|(k, _)| !set_by_form.iter().any(|(f, _)| f == k))
        .chain(set_by_form.iter().cloned())
        .collect();
    authorize_put(state, &ctx, &bucket).await?;
    // A bucket whose ACLs are disabled takes no form ACL but the owner's (docs/s3.md#object-ownership).
    let sets_acl = ownership_config::form_sets_acl(ctx.dialect, |f| form.fields.get(f));
    ownership_config::refuse_if_disabled(state, &ctx, &bucket.name, sets_acl).await?;
    if ctx.dialect == Dialect::S3 {
        object = translated?;
    }
    ctx.headers = object;
    // Block Public Access refuses a public `x-oss-object-acl` field (or S3's `acl`) here as on
    // PutObject (docs/protocol/buckets.md#block-public-access).
    let public =
        crate::handlers::public_access_block::header_acl_is_public(&ctx, "x-oss-object-acl")
            || (ctx.dialect == Dialect::S3
                && form
                    .fields
                    .get("acl")
                    .is_some_and(|v| v.trim() == "authenticated-read"));
    crate::handlers::public_access_block::refuse_public_acl(state, &ctx, &bucket, public).await?;
    let mut spec = write_spec(&ctx, bucket.storage_class)?;
    let range = policy.as_ref().and_then(|p| p.length_range());
    let violated = Arc::new(AtomicBool::new(false));
    let mut stream = form::file_stream(
        form.file,
        range.map(|(min, max, _)| (min, max)),
        Arc::clone(&violated),
    );
    if ctx.dialect == Dialect::S3 {
        let fields: Vec<(String, String)> = form.fields.iter().cloned().collect();
        let (checked, checksum) = crate::handlers::form_stream(stream, &fields)?;
        (stream, spec.checksum) = (checked, checksum);
    }
    let record = match state.store.put_object(spec, stream, ctx.now_ms()).await {
        Ok(r) => r,
        Err(StoreError::Body(e)) if violated.load(Ordering::SeqCst) => {
            // S3 answers a file outside content-length-range with 400 EntityTooLarge or
            // EntityTooSmall, OSS with 403 AccessDenied naming the condition.
            if ctx.dialect == Dialect::S3 {
                return Err(match form::LengthViolation::find(&e) {
                    Some(form::LengthViolation::TooSmall) => OssError::entity_too_small(),
                    _ => OssError::entity_too_large(),
                });
            }
            let failed = range.map(|(_, _, c)| condition_failed(c));
            return Err(failed.unwrap_or_else(OssError::internal_error));
        }
        Err(e) => return Err(store_error(e, &ctx)),
    };
    let resp = reply::success(&ctx, &record, &form.fields, req.conn.secure);
    Ok((resp, ctx.caller.label()))
}

/// The `key` field, with `${filename}` replaced by the file's name.
fn object_key(
    fields: &Fields,
    file_name: Option<&str>,
    dialect: Dialect,
) -> Result<String, OssError> {
    let raw = fields.get("key").ok_or_else(|| {
        OssError::invalid_argument(
            "Bucket POST must contain a field named 'key'. If it is specified, please check the order of the fields.",
        )
    })?;
    let key = raw.replace("${filename}", file_name.unwrap_or_default());
    if !dialect.valid_key(&key) {
        return Err(OssError::invalid_object_name());
    }
    Ok(key)
}

/// The form fields as the request headers a PutObject would carry.
fn object_headers(fields: &Fields, content_type: Option<&str>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| k != "content-type" && !NOT_HEADERS.contains(&k.as_str()))
        .cloned()
        .collect();
    if let Some(ct) = content_type {
        out.push(("content-type".to_owned(), ct.to_owned()));
    }
    out
}

/// An S3 form's fields in the OSS vocabulary: `x-amz-meta-*`, `x-amz-storage-class`,
/// `x-amz-tagging`, and `acl` as the object's canned ACL (docs/s3.md#headers).
fn s3_object_headers(fields: &[(String, String)]) -> Result<Vec<(String, String)>, OssError> {
    let mut renamed = Vec::with_capacity(fields.len());
    for (k, v) in fields {
        match k.as_str() {
            "acl" => renamed.push(("x-amz-acl".to_owned(), v.clone())),
            // The `tagging` field is a Tagging document; the header form is a query string.
            "tagging" => {
                let tagging = ossd_proto::xml::Tagging::parse(v.as_bytes())?;
                let query: Vec<String> = tagging
                    .tags
                    .iter()
                    .map(|t| format!("{}={}", uri_encode(&t.key), uri_encode(&t.value)))
                    .collect();
                renamed.push(("x-amz-tagging".to_owned(), query.join("&")));
            }
            _ => renamed.push((k.clone(), v.clone())),
        }
    }
    ossd_proto::s3::request_headers(&renamed, true, false)
}

/// The one authorization decision, as `PutObject` on the bucket and key.
async fn authorize_put(state: &AppState, ctx: &Ctx, bucket: &BucketRecord) -> Result<(), OssError> {
    let bucket_policy = crate::handlers::bucket_policy::load(state, &bucket.name)
        .await
        .map_err(|e| store_error(e, ctx))?;
    let context = policy_ctx::oss(ctx.conn, ctx.now, &ctx.headers, ctx.op, |_| None);
    let res = Resource {
        bucket: Some(bucket),
        key: ctx.target.key.as_deref(),
        object_acl: None,
        bucket_policy: bucket_policy.as_deref(),
        versioned: false,
        object_tags: None,
    };
    authorize(state, ctx, Operation::PutObject, res, &context).await
}
