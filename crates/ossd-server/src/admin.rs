//! Administrative endpoints under `/-/` (path-style; `-` is not a valid bucket name, so these
//! never collide with OSS requests). They are signed like OSS requests (V1, V2 or V4, header or
//! URL) with the account's root AccessKey, and answer JSON.
//!
//! - `POST /-/admin/lifecycle/run[?bucket=B]`: applies the lifecycle rules of `B` (or of every
//!   bucket) now; returns `{"request_id", "reports": [{"bucket", "expired", ...}]}`.
//!
//! Errors are `{"Code", "Message", "RequestId"}` (the shape of RPC errors).

use http::request::Parts;
use http::{HeaderValue, StatusCode, header};
use ossd_iam::Caller;
use ossd_proto::error::OssError;
use ossd_proto::request::{Target, parse_query, query_get};
use ossd_sig::SigningView;
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::AppState;
use crate::auth::authenticate;
use crate::body::full;
use crate::dispatch::collect_headers;
use crate::lifecycle::{BucketReport, run_now};
use crate::response::Resp;

/// The pseudo-bucket of administrative paths.
const ADMIN_BUCKET: &str = "-";

/// Whether the request addresses an administrative path (`/-/...`, path-style).
pub fn is_admin(target: &Target) -> bool {
    !target.virtual_hosted && target.bucket.as_deref() == Some(ADMIN_BUCKET)
}

/// Handles one administrative request; returns the response and the caller's label.
pub async fn handle(
    state: &AppState,
    parts: &Parts,
    target: &Target,
    request_id: &str,
    now: OffsetDateTime,
) -> (Resp, String) {
    match run(state, parts, target, now).await {
        Ok((value, caller)) => (reply(StatusCode::OK, value, request_id), caller),
        Err(e) => {
            let body = json!({"Code": e.code, "Message": e.message});
            let code = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
            (reply(code, body, request_id), String::new())
        }
    }
}

async fn run(
    state: &AppState,
    parts: &Parts,
    target: &Target,
    now: OffsetDateTime,
) -> Result<(Value, String), OssError> {
    let query =
        parse_query(parts.uri.query().unwrap_or_default()).map_err(|_| OssError::invalid_uri())?;
    let headers = collect_headers(&parts.headers);
    let view = SigningView {
        method: parts.method.as_str(),
        bucket: target.bucket.as_deref(),
        key: target.key.as_deref(),
        query: &query,
        headers: &headers,
    };
    let caller = authenticate(&state.iam, &view, now).await?;
    if !matches!(&caller, Caller::Root { account_id, .. } if *account_id == state.config.account_id)
    {
        return Err(OssError::access_denied(
            "Administrative endpoints require the account's root AccessKey.",
        ));
    }
    let value = match (parts.method.as_str(), target.key.as_deref()) {
        ("POST", Some("admin/lifecycle/run")) => {
            let bucket = query_get(&query, "bucket").filter(|b| !b.is_empty());
            lifecycle_run(state, bucket).await?
        }
        (_, Some("admin/lifecycle/run")) => return Err(OssError::method_not_allowed()),
        _ => {
            return Err(OssError::new(
                404,
                "NotFound",
                "No such administrative endpoint.",
            ));
        }
    };
    Ok((value, caller.label()))
}

/// Runs the lifecycle rules; a named bucket must exist.
async fn lifecycle_run(state: &AppState, bucket: Option<&str>) -> Result<Value, OssError> {
    if let Some(name) = bucket {
        let found = state.store.meta().get_bucket(name).await.map_err(|e| {
            tracing::error!(error = %e, "metadata failure");
            OssError::internal_error()
        })?;
        if found.is_none() {
            return Err(OssError::no_such_bucket(name));
        }
    }
    let reports = run_now(state, bucket).await.map_err(|e| {
        tracing::error!(error = %e, "lifecycle run failed");
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
