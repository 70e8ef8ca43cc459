//! GetObject with `x-oss-process=image/...` (spec 19): read the source (bounded), run the plan
//! on the image pool, answer with the processed bytes and the source's ETag/Last-Modified,
//! never the source's CRC-64 (spec 14.4).

use futures_util::StreamExt;
use ossd_image::{ImageError, Limits, Pool};
use ossd_proto::error::OssError;
use ossd_store::{ObjectBody, StoreError};

use crate::AppState;
use crate::body::full;
use crate::ctx::Ctx;
use crate::errors::store_error;
use crate::handlers::get::{Prepared, READ_RETRIES, prepare, resolve};
use crate::response::{Resp, set};

/// Source headers that describe the stored bytes and are wrong for the processed ones.
const STALE: &[&str] = &[
    "x-oss-hash-crc64ecma",
    "content-range",
    "accept-ranges",
    "content-md5",
    "content-encoding",
    "x-oss-next-append-position",
];

/// `GET /<key>?x-oss-process=image/...`. Authorization (GetObject) is done by the pipeline.
pub(super) async fn get_processed(
    state: &AppState,
    ctx: &Ctx,
    process: &str,
) -> Result<Resp, OssError> {
    let plan = ossd_image::parse(process).map_err(image_error)?;
    let limits = Limits::default();
    for _ in 0..READ_RETRIES {
        let body = resolve(state, ctx).await?;
        let mut resp = match prepare(ctx, &body)? {
            Prepared::Done(r) => return Ok(r),
            Prepared::Serve(r, _) => r,
        };
        limits
            .check_source_size(body.data.size)
            .map_err(image_error)?;
        let Some(data) = read_all(state, ctx, &body, limits.max_source_bytes).await? else {
            continue;
        };
        let plan = plan.clone();
        let out = Pool::global()
            .run(move || ossd_image::process(&data, &plan, &limits))
            .await
            .map_err(image_error)?;
        *resp.status_mut() = http::StatusCode::OK;
        for h in STALE {
            resp.headers_mut().remove(*h);
        }
        if !ctx.has_query("response-content-type") {
            set(&mut resp, "content-type", out.content_type);
        }
        set(&mut resp, "content-length", out.body.len().to_string());
        *resp.body_mut() = full(out.body);
        return Ok(resp);
    }
    Err(OssError::internal_error())
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

fn image_error(e: ImageError) -> OssError {
    OssError::new(e.status(), e.code(), e.to_string())
}
