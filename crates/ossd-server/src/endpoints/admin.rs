//! Administrative endpoints under `/-/` (path-style; `-` is not a valid bucket name, so these
//! never collide with OSS requests). They are signed like OSS requests (V1, V2 or V4, header or
//! URL) with the account's root AccessKey, and answer JSON.
//!
//! - `POST /-/admin/lifecycle/run[?bucket=B]`: applies the lifecycle rules of `B` (or of every
//!   bucket) now; returns `{"request_id", "reports": [{"bucket", "expired", ...}]}`.
//! - `POST /-/admin/reset` (`--dev` or `--seed`): deletes every bucket, object and RAM entity
//!   (except the root key) and re-applies the dev identities and the seed.
//! - `POST /-/admin/clock[?advance=D | ?offset=D]` (`--dev`): moves the emulator clock;
//!   returns `{"offset_seconds", "now", "real_now"}`.
//!
//! - `POST /-/admin/backup?target=DIR`: a consistent backup while serving (`crate::backup`).
//! - `GET /-/admin/audit?tail=N`: the last N audit records (`crate::observability::audit`).
//!
//! Errors are `{"Code", "Message", "RequestId"}` (the shape of RPC errors).

use http::request::Parts;
use http::{HeaderValue, StatusCode, header};
use ossd_meta::ErrorChain;
use ossd_proto::error::{OssCode, OssError};
use ossd_proto::request::{Target, query_get};
use ossd_sig::QueryParam;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::AppState;
use crate::emulator::{self, ClockRequest};
use crate::lifecycle::{BucketReport, run_now};
use crate::pipeline::auth::{authenticate_endpoint, is_account_root};
use crate::transport::body::full;
use crate::transport::response::Resp;

/// The pseudo-bucket of administrative paths.
const ADMIN_BUCKET: &str = "-";

/// Whether the request addresses an administrative path (`/-/...`, path-style).
pub(crate) fn is_admin(target: &Target) -> bool {
    !target.virtual_hosted && target.bucket.as_deref() == Some(ADMIN_BUCKET)
}

/// Handles one administrative request; returns the response and the caller's label.
pub(crate) async fn handle(
    state: &AppState,
    parts: &Parts,
    target: &Target,
    request_id: &str,
    now: OffsetDateTime,
) -> (Resp, String) {
    match run(state, parts, target, request_id, now).await {
        Ok((value, caller)) => (reply(StatusCode::OK, value, request_id), caller),
        Err(e) => {
            let body = json!({"Code": e.code.as_str(), "Message": e.message});
            let code = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
            let mut resp = reply(code, body, request_id);
            if let Some(reason) = crate::observability::metrics::denial_reason(&e) {
                resp.extensions_mut()
                    .insert(crate::observability::metrics::Denial(reason));
            }
            (resp, String::new())
        }
    }
}

async fn run(
    state: &AppState,
    parts: &Parts,
    target: &Target,
    request_id: &str,
    now: OffsetDateTime,
) -> Result<(Value, String), OssError> {
    let (caller, query) = authenticate_endpoint(state, parts, target, now).await?;
    if !is_account_root(state, &caller) {
        return Err(OssError::access_denied(
            "Administrative endpoints require the account's root AccessKey.",
        ));
    }
    let post = || match parts.method.as_str() {
        "POST" => Ok(()),
        _ => Err(OssError::method_not_allowed()),
    };
    // One arm per endpoint (path under `/-/`); each checks its own method.
    let value = match target.key.as_deref().unwrap_or_default() {
        "admin/lifecycle/run" => {
            post()?;
            let bucket = query_get(&query, "bucket").filter(|b| !b.is_empty());
            lifecycle_run(state, bucket).await?
        }
        "admin/reset" => {
            post()?;
            reset(state).await?
        }
        "admin/clock" => {
            post()?;
            clock(state, &query)?
        }
        "admin/backup" => {
            post()?;
            let dir = query_get(&query, "target");
            crate::backup::audited(state, &caller, request_id, dir).await?
        }
        "admin/audit" => {
            if parts.method != http::Method::GET {
                return Err(OssError::method_not_allowed());
            }
            crate::observability::audit::tail(state, query_get(&query, "tail")).await?
        }
        _ => {
            return Err(OssError::with_message(
                OssCode::NotFound,
                "No such administrative endpoint.",
            ));
        }
    };
    Ok((value, caller.label()))
}

/// Empties the server and re-applies the dev identities and the seed (`--dev` or `--seed`).
async fn reset(state: &AppState) -> Result<Value, OssError> {
    if !state.emulator.can_reset() {
        return Err(OssError::access_denied(
            "Reset is only available on a server started with --dev or --seed.",
        ));
    }
    let report = emulator::reset(state).await.map_err(|e| {
        tracing::error!(error = %ErrorChain(&e), "reset failed");
        OssError::internal_error()
    })?;
    tracing::info!(
        buckets_removed = report.buckets_removed,
        "server reset to its seed"
    );
    Ok(json!({ "buckets_removed": report.buckets_removed }))
}

/// Moves the emulator clock (`advance` / `offset`), or reports it; only with `--dev`.
fn clock(state: &AppState, query: &[QueryParam]) -> Result<Value, OssError> {
    let Some(clock) = &state.emulator.clock else {
        return Err(OssError::access_denied(
            "Clock control is only available on a server started with --dev.",
        ));
    };
    let request = ClockRequest::from_query(query_get(query, "advance"), query_get(query, "offset"))
        .map_err(|e| OssError::invalid_argument(&e.0))?;
    let value = request
        .apply(clock)
        .map_err(|e| OssError::invalid_argument(&e.0))?;
    tracing::info!(offset_seconds = clock.offset(), "emulator clock moved");
    Ok(value)
}

/// Runs the lifecycle rules; a named bucket must exist.
async fn lifecycle_run(state: &AppState, bucket: Option<&str>) -> Result<Value, OssError> {
    if let Some(name) = bucket {
        let found = state.store.buckets().get(name).await.map_err(|e| {
            tracing::error!(error = %ErrorChain(&e), "metadata failure");
            OssError::internal_error()
        })?;
        if found.is_none() {
            return Err(OssError::no_such_bucket(name));
        }
    }
    let reports = run_now(state, bucket).await.map_err(|e| {
        tracing::error!(error = %ErrorChain(&e), "lifecycle run failed");
        OssError::internal_error()
    })?;
    Ok(json!({ "reports": reports.iter().map(report_json).collect::<Vec<_>>() }))
}

fn report_json(r: &BucketReport) -> Value {
    let c = &r.report;
    json!({
        "bucket": r.bucket,
        "expired": c.expired,
        "noncurrent_expired": c.noncurrent_expired,
        "markers_removed": c.markers_removed,
        "uploads_aborted": c.uploads_aborted,
        "transitioned": c.transitioned,
        "bytes_reclaimed": c.bytes_reclaimed,
    })
}

/// A JSON response with the request id in the body (`request_id` on success, `RequestId` in
/// errors, as RPC errors have it).
fn reply(status: StatusCode, mut value: Value, request_id: &str) -> Resp {
    if let Value::Object(obj) = &mut value {
        let key = if status.is_success() {
            "request_id"
        } else {
            "RequestId"
        };
        obj.insert(key.to_owned(), request_id.into());
    }
    let mut r = Resp::new(full(value.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}
