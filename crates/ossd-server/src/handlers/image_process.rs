//! GetObject with `x-oss-process=image/...` (docs/protocol/image-processing.md): read the source
//! (bounded), run the plan on the image pool, answer with the processed bytes and the source's
//! ETag/Last-Modified, never the source's CRC-64 (docs/protocol/objects.md#crc-64).

use futures_util::StreamExt;
use std::sync::Arc;

use ossd_image::{Deadline, ImageError, Limits, Output, Plan};
use ossd_proto::error::OssError;
use ossd_proto::params::ReadParams;
use ossd_store::{ObjectBody, StoreError};

use crate::AppState;
use crate::handlers::get::{Prepared, READ_RETRIES, prepare, resolve};
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::{image_error, store_error};
use crate::pipeline::read_auth::{Addressed, ReadScope};
use crate::transport::body::full;
use crate::transport::response::{Resp, set};

/// Source headers that describe the stored bytes and are wrong for the processed ones.
const STALE: &[&str] = &[
    "x-oss-hash-crc64ecma",
    "content-range",
    "accept-ranges",
    "content-md5",
    "content-encoding",
    "x-oss-next-append-position",
];

/// `GET /<key>?x-oss-process=image/...` or `style/<name>` (a stored style).
/// Authorization (GetObject) is done by the pipeline.
pub(super) async fn get_processed(
    state: &AppState,
    ctx: &Ctx,
    p: &ReadParams,
    process: &str,
) -> Result<Resp, OssError> {
    let plan = plan_for(state, ctx, process).await?;
    let limits = Limits::default();
    let marks = Arc::new(load_marks(state, ctx, &plan, &limits).await?);
    for _ in 0..READ_RETRIES {
        let body = resolve(state, ctx, p.version_id.as_deref()).await?;
        let mut resp = match prepare(ctx, p, &body)? {
            Prepared::Done(r) => return Ok(r),
            Prepared::Serve(r, _) => r,
        };
        let Some(out) = run(state, ctx, &body, &plan, &marks).await? else {
            continue;
        };
        *resp.status_mut() = http::StatusCode::OK;
        for h in STALE {
            resp.headers_mut().remove(*h);
        }
        if p.overrides.content_type.is_none() {
            set(&mut resp, "content-type", out.content_type);
        }
        set(&mut resp, "content-length", out.body.len().to_string());
        *resp.body_mut() = full(out.body);
        return Ok(resp);
    }
    Err(OssError::internal_error())
}

/// The plan of a GetObject's `x-oss-process=image/...`, parsed with the request before any I/O
/// (`None` without one, and for `style/<name>`, which needs the bucket's styles). Any other value
/// is left to the handler (`NotImplemented` after authentication), so a parameter added to a
/// signed URL is still refused as a signature mismatch first.
pub(crate) fn early_plan(process: Option<&str>) -> Result<Option<Plan>, OssError> {
    match process {
        Some(p) if p.starts_with("image/") => ossd_image::parse(p).map(Some).map_err(image_error),
        _ => Ok(None),
    }
}

/// The plan of `image/...` (the one parsed with the request when it has one), or of the bucket's
/// stored style for `style/<name>`.
pub(super) async fn plan_for(state: &AppState, ctx: &Ctx, process: &str) -> Result<Plan, OssError> {
    if let Some(plan) = &ctx.plan {
        return Ok(plan.clone());
    }
    match process.strip_prefix("style/") {
        Some(name) => {
            let content = crate::handlers::style_config::resolve(state, ctx, name).await?;
            ossd_image::parse(&content).map_err(image_error)
        }
        None => ossd_image::parse(process).map_err(image_error),
    }
}

/// Reads `body` (bounded) and runs `plan` on the image pool within the job time and memory budgets
/// ([`Limits::max_job_time`]); `None` when its data was replaced meanwhile (the caller
/// re-resolves).
pub(super) async fn run(
    state: &AppState,
    ctx: &Ctx,
    body: &ObjectBody,
    plan: &Plan,
    marks: &Arc<Vec<(String, Vec<u8>)>>,
) -> Result<Option<Output>, OssError> {
    let limits = Limits::default();
    // The budget covers reading the source, queueing and processing.
    let deadline = Deadline::after(limits.max_job_time);
    limits
        .check_source_size(body.data.size)
        .map_err(image_error)?;
    let Some(data) = read_all(state, ctx, body, limits.max_source_bytes).await? else {
        return Ok(None);
    };
    // Admitted against the pool's memory budget (estimated from the image header) before it
    // takes a worker.
    let out = state
        .images
        .process(deadline, data, plan.clone(), limits, Arc::clone(marks))
        .await
        .map_err(image_error)?;
    Ok(Some(out))
}

/// The watermark objects `plan` names, read from the same bucket (latest versions, size
/// limited like a source), each authorized as a read by the caller (a symlink's target too).
/// A missing one is 404 `NoSuchKey`, told only to a caller who may read that key.
pub(super) async fn load_marks(
    state: &AppState,
    ctx: &Ctx,
    plan: &ossd_image::Plan,
    limits: &Limits,
) -> Result<Vec<(String, Vec<u8>)>, OssError> {
    let keys = plan.watermark_keys();
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let scope = ReadScope::load(state, ctx, ctx.bucket()).await?;
    let mut marks = Vec::with_capacity(keys.len());
    for key in keys {
        for attempt in 0..=READ_RETRIES {
            if attempt == READ_RETRIES {
                return Err(OssError::internal_error());
            }
            let resolved = scope
                .resolve(state, ctx, &key, None, Addressed::Unchecked)
                .await?;
            let body = match resolved {
                Ok(b) => b,
                Err(
                    StoreError::NoSuchKey
                    | StoreError::CurrentIsDeleteMarker(_)
                    | StoreError::NoSuchVersion
                    | StoreError::SymlinkTargetNotExist
                    | StoreError::InvalidTargetType,
                ) => return Err(OssError::no_such_key(&key)),
                Err(e) => return Err(store_error(e, ctx)),
            };
            limits
                .check_source_size(body.data.size)
                .map_err(image_error)?;
            if let Some(data) = read_all(state, ctx, &body, limits.max_source_bytes).await? {
                marks.push((key, data));
                break;
            }
        }
    }
    Ok(marks)
}

/// The whole source, refused above `max` bytes; `None` when its data was replaced meanwhile.
async fn read_all(
    state: &AppState,
    ctx: &Ctx,
    body: &ObjectBody,
    max: u64,
) -> Result<Option<Vec<u8>>, OssError> {
    let mut stream = match state.store.read(&body.data, 0, body.data.size).await {
        Ok(s) => s,
        Err(StoreError::DataGone) => return Ok(None),
        Err(e) => return Err(store_error(e, ctx)),
    };
    let mut buf = Vec::with_capacity(usize::try_from(body.data.size.min(max)).unwrap_or(0));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| OssError::internal_error())?;
        if (buf.len() + chunk.len()) as u64 > max {
            return Err(image_error(ImageError::TooLarge(
                "The source image is too large.".into(),
            )));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Some(buf))
}
