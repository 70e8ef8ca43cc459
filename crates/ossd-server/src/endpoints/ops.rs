//! Operations endpoints under `/-/` (path-style, routed before the admin endpoints):
//!
//! - `GET|HEAD /-/health/live`: 200 `{"status":"ok"}` while the process serves; no credentials.
//! - `GET|HEAD /-/health/ready`: 200 when the metadata store answers a read and the blob store
//!   takes a write (a small blob written durably and deleted), else 503 with the failing check;
//!   no credentials (the answer reveals nothing).
//! - `GET /-/metrics`: the Prometheus exposition ([`crate::observability::metrics`]). Requires
//!   the account's root AccessKey (any OSS signature, header or URL) or
//!   `Authorization: Bearer <token>` when a metrics token is configured; anything else is 403.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Method, StatusCode, header};
use ossd_blob::{BlobError, BlobStore, Written};
use ossd_meta::ErrorChain;
use ossd_proto::error::OssError;
use ossd_proto::request::Target;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use crate::AppState;
use crate::observability::metrics::Denial;
use crate::pipeline::auth::{authenticate_endpoint, is_account_root};
use crate::transport::body::{empty, full};
use crate::transport::response::Resp;

/// The pseudo-bucket of `/-/...` paths.
const OPS_BUCKET: &str = "-";

/// The longest a readiness check may take before it counts as failed.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// Settings and handles of the operations endpoints.
pub struct Ops {
    /// The bearer token that may scrape `/-/metrics`, if configured.
    pub metrics_token: Option<MetricsToken>,
    /// The blob store the readiness check writes to.
    pub blobs: Arc<dyn BlobStore>,
}

/// A bearer token for `/-/metrics`; compared in constant time and never printed.
#[derive(Clone)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// A token; `None` for an empty string (no token configured).
    pub fn new(token: impl Into<String>) -> Option<Self> {
        let token = token.into();
        (!token.is_empty()).then_some(Self(token))
    }

    fn matches(&self, presented: &str) -> bool {
        self.0.as_bytes().ct_eq(presented.as_bytes()).into()
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(<redacted>)")
    }
}

/// An operations endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// `/-/health/live`.
    Live,
    /// `/-/health/ready`.
    Ready,
    /// `/-/metrics`.
    Metrics,
}

impl Endpoint {
    /// The operation name used in the access log and metrics.
    pub(crate) fn op(self) -> &'static str {
        match self {
            Self::Live => "HealthLive",
            Self::Ready => "HealthReady",
            Self::Metrics => "Metrics",
        }
    }
}

/// The operations endpoint `target` addresses, if any.
pub(crate) fn endpoint(target: &Target) -> Option<Endpoint> {
    if target.virtual_hosted || target.bucket.as_deref() != Some(OPS_BUCKET) {
        return None;
    }
    match target.key.as_deref() {
        Some("health/live") => Some(Endpoint::Live),
        Some("health/ready") => Some(Endpoint::Ready),
        Some("metrics") => Some(Endpoint::Metrics),
        _ => None,
    }
}

/// Answers an operations request; returns the response and the caller's label.
pub(crate) async fn handle(
    state: &AppState,
    parts: &Parts,
    target: &Target,
    which: Endpoint,
    request_id: &str,
    now: OffsetDateTime,
) -> (Resp, String) {
    let head = parts.method == Method::HEAD;
    if parts.method != Method::GET && !head {
        let e = OssError::method_not_allowed();
        return (error_reply(&e, request_id), String::new());
    }
    let (mut resp, caller) = match which {
        Endpoint::Live => (
            json_reply(StatusCode::OK, json!({"status": "ok"})),
            String::new(),
        ),
        Endpoint::Ready => (ready(state).await, String::new()),
        Endpoint::Metrics => match scrape_allowed(state, parts, target, now).await {
            Ok(caller) => (metrics_reply(state, parts), caller),
            Err((e, reason)) => {
                let mut resp = error_reply(&e, request_id);
                resp.extensions_mut().insert(Denial(reason));
                (resp, String::new())
            }
        },
    };
    if head {
        let length = resp.headers().get(header::CONTENT_LENGTH).cloned();
        *resp.body_mut() = empty();
        if let Some(length) = length {
            resp.headers_mut().insert(header::CONTENT_LENGTH, length);
        }
    }
    (resp, caller)
}

/// Runs the readiness checks: metadata read, blob write.
async fn ready(state: &AppState) -> Resp {
    let checks = async {
        state
            .store
            .buckets()
            .get("-health-")
            .await
            .map_err(|e| ("metadata", ErrorChain(&e).to_string()))?;
        probe_blobs(state.ops.blobs.as_ref())
            .await
            .map_err(|e| ("data", e))
    };
    let failed = match tokio::time::timeout(READY_TIMEOUT, checks).await {
        Ok(Ok(())) => None,
        Ok(Err((check, detail))) => Some((check, detail)),
        Err(_) => Some(("timeout", "the checks took longer than 2 s".to_owned())),
    };
    match failed {
        None => json_reply(
            StatusCode::OK,
            json!({"status": "ok", "checks": {"metadata": "ok", "data": "ok"}}),
        ),
        Some((check, detail)) => {
            tracing::warn!(check, error = %detail, "readiness check failed");
            json_reply(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"status": "unavailable", "failed": check, "reason": detail}),
            )
        }
    }
}

/// Writes a small blob durably and deletes it again (nothing if the backend keeps it inline).
async fn probe_blobs(blobs: &dyn BlobStore) -> Result<(), String> {
    let mut writer = blobs.writer(0);
    if let Err(e) = writer
        .write(Bytes::from_static(b"ossd readiness probe"))
        .await
    {
        writer.abort().await;
        return Err(ErrorChain(&e).to_string());
    }
    let chain = |e: BlobError| ErrorChain(&e).to_string();
    let written = writer.finish().await.map_err(chain)?;
    if let Written::Blob(id) = written.data {
        blobs.delete(&[id]).await.map_err(chain)?;
    }
    Ok(())
}

/// Whether the request may read the metrics: the bearer token, or the account root's
/// signature. Returns the caller's label, or the refusal and its denial reason.
async fn scrape_allowed(
    state: &AppState,
    parts: &Parts,
    target: &Target,
    now: OffsetDateTime,
) -> Result<String, (OssError, &'static str)> {
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if let Some(presented) = bearer {
        return match &state.ops.metrics_token {
            Some(token) if token.matches(presented.trim()) => Ok("metrics-token".to_owned()),
            _ => Err((
                OssError::access_denied("The metrics bearer token is not valid."),
                "invalid_token",
            )),
        };
    }
    let (caller, _) = authenticate_endpoint(state, parts, target, now)
        .await
        .map_err(|e| {
            let reason = crate::observability::metrics::denial_reason(&e).unwrap_or("other");
            (e, reason)
        })?;
    match &caller {
        c if is_account_root(state, c) => Ok(caller.label()),
        _ => Err((
            OssError::access_denied(
                "Metrics require the account's root AccessKey or the metrics bearer token.",
            ),
            "other",
        )),
    }
}

/// The exposition, in OpenMetrics text when the scraper asks for it, else Prometheus text 0.0.4.
fn metrics_reply(state: &AppState, parts: &Parts) -> Resp {
    let openmetrics = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/openmetrics-text"));
    state.metrics.image_in_flight(state.images.in_flight());
    let text = state.metrics.render(openmetrics);
    let content_type = if openmetrics {
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    } else {
        "text/plain; version=0.0.4; charset=utf-8"
    };
    let mut r = Resp::new(full(text));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn json_reply(status: StatusCode, value: Value) -> Resp {
    let body = value.to_string();
    let mut r = Resp::new(full(body.clone()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    r
}

/// `{"Code", "Message", "RequestId"}`, as the admin endpoints answer errors.
fn error_reply(e: &OssError, request_id: &str) -> Resp {
    let code = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    json_reply(
        code,
        json!({"Code": e.code.as_str(), "Message": e.message, "RequestId": request_id}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(bucket: &str, key: Option<&str>, virtual_hosted: bool) -> Target {
        Target {
            bucket: Some(bucket.to_owned()),
            key: key.map(str::to_owned),
            virtual_hosted,
        }
    }

    #[test]
    fn routes_only_path_style_ops_paths() {
        assert_eq!(
            endpoint(&target("-", Some("health/live"), false)),
            Some(Endpoint::Live)
        );
        assert_eq!(
            endpoint(&target("-", Some("health/ready"), false)),
            Some(Endpoint::Ready)
        );
        assert_eq!(
            endpoint(&target("-", Some("metrics"), false)),
            Some(Endpoint::Metrics)
        );
        assert_eq!(endpoint(&target("-", Some("metrics"), true)), None);
        assert_eq!(
            endpoint(&target("-", Some("admin/lifecycle/run"), false)),
            None
        );
        assert_eq!(endpoint(&target("b", Some("metrics"), false)), None);
    }

    #[test]
    fn tokens_compare_exactly_and_never_print() {
        let t = MetricsToken::new("s3cr3t-token").expect("token");
        assert!(t.matches("s3cr3t-token"));
        assert!(!t.matches("s3cr3t-toke"));
        assert!(!t.matches("s3cr3t-token2"));
        assert!(!format!("{t:?}").contains("s3cr3t"));
        assert!(MetricsToken::new("").is_none());
    }

    #[tokio::test]
    async fn the_blob_probe_writes_and_removes_a_blob() {
        let dir = std::env::temp_dir().join(format!("ossd-probe-{}", uuid::Uuid::new_v4()));
        let blobs = ossd_blob::LocalFs::open(&dir).expect("open");
        probe_blobs(&blobs).await.expect("probe");
        assert!(blobs.list().await.expect("list").is_empty());
        std::fs::remove_dir_all(&dir).ok();
    }
}
