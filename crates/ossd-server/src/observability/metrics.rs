//! The server's Prometheus metrics (prefix `ossd_`): one [`Metrics`] per process, kept in
//! [`crate::AppState`], updated by the dispatcher (requests, bytes, latency, denials, image jobs),
//! the RPC layer (STS tokens issued) and the metadata writer (through
//! [`ossd_meta::CommitObserver`]), and rendered by `GET /-/metrics` (see `docs/operations.md`).
//!
//! Every label value comes from a closed set (operation names, status codes, fixed reasons), so
//! no request can grow the number of series.

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use ossd_iam::{ActionError, IamError};
use ossd_proto::error::{OssError, Refusal};
use ossd_rpc::RpcFailure;
use ossd_sig::rpc::RpcSigError;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Labels of per-request series: the operation and the response status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OpStatus {
    operation: &'static str,
    status: u16,
}

/// Labels of per-operation series.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Op {
    operation: &'static str,
}

/// Labels of the authorization-denial counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Reason {
    reason: &'static str,
}

/// Labels of the error counter: the error code sent (`OssCode::as_str`, or the family of an
/// RPC code, `RpcCode::family`) and its dialect (`oss`, `rpc`): both dialects have codes such
/// as `InternalError` and `SignatureDoesNotMatch`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Code {
    code: &'static str,
    dialect: &'static str,
}

/// Labels of the per-metadata-operation database series: the `MetaStore` method name.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MetaOp {
    op: &'static str,
}

/// Labels of the image-job counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    outcome: &'static str,
}

/// A histogram constructor (a plain function, so families stay `Send + Sync`).
type HistogramFn = fn() -> Histogram;

/// Request latency buckets: 0.5 ms to about 12 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.5, 12))
}

/// The process's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<OpStatus, Counter>,
    latency: Family<Op, Histogram, HistogramFn>,
    bytes_in: Family<Op, Counter>,
    bytes_out: Family<Op, Counter>,
    in_flight: Gauge,
    sts_issued: Counter,
    denials: Family<Reason, Counter>,
    errors: Family<Code, Counter>,
    commit_batch: Histogram,
    commit_latency: Histogram,
    commit_failures: Counter,
    db_round_trips: Family<MetaOp, Counter>,
    db_seconds: Family<MetaOp, Counter<f64, AtomicU64>>,
    image_jobs: Family<Outcome, Counter>,
    image_in_flight: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// What one finished request contributes.
#[derive(Debug, Clone, Copy)]
pub struct RequestSample {
    /// Operation name (`PutObject`, `RPC`, `Health`, ...).
    pub operation: &'static str,
    /// HTTP status sent (499 when the client went away first).
    pub status: u16,
    /// From arrival to the last byte of the response body.
    pub elapsed: Duration,
    /// Request body bytes read.
    pub bytes_in: u64,
    /// Response body bytes sent.
    pub bytes_out: u64,
}

impl Metrics {
    /// All series registered, all zero.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("ossd");
        let requests = Family::<OpStatus, Counter>::default();
        registry.register(
            "requests",
            "Requests answered, by operation and HTTP status",
            requests.clone(),
        );
        let latency = Family::<Op, Histogram, HistogramFn>::new_with_constructor(
            latency_histogram as HistogramFn,
        );
        registry.register(
            "request_duration_seconds",
            "Time from a request's arrival to the last byte of its response, by operation",
            latency.clone(),
        );
        let bytes_in = Family::<Op, Counter>::default();
        registry.register(
            "request_bytes",
            "Request body bytes received, by operation",
            bytes_in.clone(),
        );
        let bytes_out = Family::<Op, Counter>::default();
        registry.register(
            "response_bytes",
            "Response body bytes sent, by operation",
            bytes_out.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "requests_in_flight",
            "Requests received and not yet fully answered",
            in_flight.clone(),
        );
        let sts_issued = Counter::default();
        registry.register(
            "sts_tokens_issued",
            "STS credentials issued (AssumeRole)",
            sts_issued.clone(),
        );
        let errors = Family::<Code, Counter>::default();
        registry.register("errors", "Error responses, by error code", errors.clone());
        let denials = Family::<Reason, Counter>::default();
        registry.register(
            "auth_denials",
            "Requests refused by authentication or authorization, by reason",
            denials.clone(),
        );
        let commit_batch = Histogram::new(exponential_buckets(1.0, 2.0, 11));
        registry.register(
            "meta_commit_batch_size",
            "Mutations per metadata transaction (group commit)",
            commit_batch.clone(),
        );
        let commit_latency = Histogram::new(exponential_buckets(0.0001, 2.5, 12));
        registry.register(
            "meta_commit_duration_seconds",
            "Duration of one metadata transaction, start to durable commit",
            commit_latency.clone(),
        );
        let commit_failures = Counter::default();
        registry.register(
            "meta_commit_failures",
            "Metadata transactions that failed to commit",
            commit_failures.clone(),
        );
        let db_round_trips = Family::<MetaOp, Counter>::default();
        registry.register(
            "meta_db_roundtrips",
            "Statements sent to the metadata database server, by metadata operation (PostgreSQL)",
            db_round_trips.clone(),
        );
        let db_seconds = Family::<MetaOp, Counter<f64, AtomicU64>>::default();
        registry.register(
            "meta_db_seconds",
            "Time spent waiting for the metadata database server, by metadata operation (PostgreSQL)",
            db_seconds.clone(),
        );
        let image_jobs = Family::<Outcome, Counter>::default();
        registry.register(
            "image_jobs",
            "Image processing requests (x-oss-process), by outcome",
            image_jobs.clone(),
        );
        let image_in_flight = Gauge::default();
        registry.register(
            "image_jobs_in_flight",
            "Image jobs admitted to the pool and not finished (running or queued)",
            image_in_flight.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            bytes_in,
            bytes_out,
            in_flight,
            sts_issued,
            denials,
            errors,
            commit_batch,
            commit_latency,
            commit_failures,
            db_round_trips,
            db_seconds,
            image_jobs,
            image_in_flight,
        }
    }

    /// A request arrived (pair with [`Metrics::request_done`]).
    pub fn request_started(&self) {
        self.in_flight.inc();
    }

    /// A request finished (its response body was sent or dropped).
    pub fn request_done(&self, s: &RequestSample) {
        self.in_flight.dec();
        let op = Op {
            operation: s.operation,
        };
        self.requests
            .get_or_create(&OpStatus {
                operation: s.operation,
                status: s.status,
            })
            .inc();
        self.latency
            .get_or_create(&op)
            .observe(s.elapsed.as_secs_f64());
        if s.bytes_in > 0 {
            self.bytes_in.get_or_create(&op).inc_by(s.bytes_in);
        }
        if s.bytes_out > 0 {
            self.bytes_out.get_or_create(&op).inc_by(s.bytes_out);
        }
    }

    /// STS credentials were issued.
    pub fn sts_issued(&self) {
        self.sts_issued.inc();
    }

    /// A request was refused for `reason` (see [`denial_reason`]).
    pub fn denied(&self, reason: &'static str) {
        self.denials.get_or_create(&Reason { reason }).inc();
    }

    /// An error response with `code` was sent.
    pub(crate) fn error_sent(&self, code: ErrorCode) {
        self.errors
            .get_or_create(&Code {
                code: code.code,
                dialect: code.dialect,
            })
            .inc();
    }

    /// An image request finished with `status`.
    pub fn image_job(&self, status: u16) {
        let outcome = match status {
            200..=299 => "ok",
            503 => "busy",
            400..=499 => "rejected",
            _ => "error",
        };
        self.image_jobs.get_or_create(&Outcome { outcome }).inc();
    }

    /// The image jobs admitted and not yet finished, read from the pool at scrape time.
    pub fn image_in_flight(&self, jobs: usize) {
        self.image_in_flight
            .set(i64::try_from(jobs).unwrap_or(i64::MAX));
    }

    /// The exposition: OpenMetrics text when `openmetrics`, else the Prometheus text format
    /// (0.0.4), which is the same without the closing `# EOF`.
    pub fn render(&self, openmetrics: bool) -> String {
        let mut out = String::with_capacity(8 * 1024);
        // Writing into a String cannot fail; an encoding error would only truncate.
        if let Err(e) = prometheus_client::encoding::text::encode_registry(&mut out, &self.registry)
        {
            tracing::error!(error = %e, "encoding metrics failed");
        }
        if openmetrics {
            out.push_str("# EOF\n");
        }
        out
    }
}

impl ossd_meta::CommitObserver for Metrics {
    fn commit(&self, mutations: usize, elapsed: Duration, ok: bool) {
        if ok {
            self.commit_batch.observe(mutations as f64);
            self.commit_latency.observe(elapsed.as_secs_f64());
        } else {
            self.commit_failures.inc();
        }
    }

    fn db_work(&self, op: &'static str, round_trips: u32, waited: Duration) {
        let op = MetaOp { op };
        self.db_round_trips
            .get_or_create(&op)
            .inc_by(u64::from(round_trips));
        self.db_seconds
            .get_or_create(&op)
            .inc_by(waited.as_secs_f64());
    }
}

/// The code of an error response, attached to it as a response extension so the dispatcher can
/// count it by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ErrorCode {
    /// The OSS code, or the family of the RAM/STS code (never request input).
    pub code: &'static str,
    /// `oss` or `rpc`.
    pub dialect: &'static str,
}

impl ErrorCode {
    /// An OSS error code (`OssCode::as_str`).
    pub(crate) const fn oss(code: &'static str) -> Self {
        Self {
            code,
            dialect: "oss",
        }
    }

    /// The family of a RAM/STS error code (`ossd_rpc::RpcCode::family`).
    pub(crate) const fn rpc(family: &'static str) -> Self {
        Self {
            code: family,
            dialect: "rpc",
        }
    }
}

/// Why a request was refused, attached to error responses as a response extension so the
/// dispatcher can count it once, whichever layer refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Denial(pub &'static str);

/// The denial reason of an OSS error, `None` for errors that are not refusals: recorded by the
/// layer that refused (`ossd_proto::error::Refusal`), never recovered from the message.
pub(crate) fn denial_reason(e: &OssError) -> Option<&'static str> {
    e.refusal().map(Refusal::as_str)
}

/// The denial reason of an RPC (RAM/STS) failure, as for [`denial_reason`], from the typed
/// failure and its denial.
pub(crate) fn rpc_denial_reason(e: &RpcFailure) -> Option<&'static str> {
    match e {
        RpcFailure::Action { error, .. } => match error {
            ActionError::NoPermission(Some(d)) if d.explicit => Some("explicit"),
            ActionError::NoPermission(Some(_)) => Some("implicit"),
            ActionError::NoPermission(None) | ActionError::RootCannotAssume => Some("other"),
            _ => None,
        },
        RpcFailure::Signature(e) => match e {
            RpcSigError::SignatureDoesNotMatch { .. } | RpcSigError::PayloadHashMismatch { .. } => {
                Some("signature")
            }
            RpcSigError::TimestampExpired | RpcSigError::SecurityTokenExpired => Some("expired"),
            RpcSigError::AccessKeyNotFound | RpcSigError::AccessKeyInactive => Some("invalid_key"),
            RpcSigError::SecurityTokenMalformed | RpcSigError::SecurityTokenMismatch => {
                Some("invalid_token")
            }
            RpcSigError::SignatureNonceUsed => Some("replay"),
            _ => None,
        },
        RpcFailure::Credentials(e) => match e {
            IamError::InvalidAccessKeyId | IamError::AccessKeyInactive => Some("invalid_key"),
            IamError::InvalidSecurityToken | IamError::AccessKeyIdAndSecurityTokenNotMatch => {
                Some("invalid_token")
            }
            IamError::SecurityTokenExpired => Some("expired"),
            _ => None,
        },
        RpcFailure::NonceUsed => Some("replay"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(
        operation: &'static str,
        status: u16,
        bytes_in: u64,
        bytes_out: u64,
    ) -> RequestSample {
        RequestSample {
            operation,
            status,
            elapsed: Duration::from_millis(5),
            bytes_in,
            bytes_out,
        }
    }

    /// The value of the sample line that starts with `prefix` (name and labels).
    fn value(text: &str, prefix: &str) -> Option<f64> {
        text.lines()
            .find(|l| l.starts_with(prefix) && l[prefix.len()..].starts_with(' '))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
    }

    #[test]
    fn renders_every_family_with_help_and_type() {
        use ossd_meta::CommitObserver as _;
        let m = Metrics::new();
        // Families with labels appear once they have a series.
        m.request_started();
        m.request_done(&sample("PutObject", 200, 1, 1));
        m.denied("implicit");
        m.error_sent(ErrorCode::oss(
            ossd_proto::error::OssCode::NoSuchKey.as_str(),
        ));
        m.error_sent(ErrorCode::rpc("InternalError"));
        m.image_job(200);
        m.commit(1, Duration::from_millis(1), true);
        m.db_work("get_object", 1, Duration::from_millis(1));
        let text = m.render(false);
        assert_eq!(
            value(
                &text,
                r#"ossd_errors_total{code="NoSuchKey",dialect="oss"}"#
            ),
            Some(1.0)
        );
        assert_eq!(
            value(
                &text,
                r#"ossd_errors_total{code="InternalError",dialect="rpc"}"#
            ),
            Some(1.0)
        );
        for (name, kind) in [
            ("ossd_requests", "counter"),
            ("ossd_request_duration_seconds", "histogram"),
            ("ossd_request_bytes", "counter"),
            ("ossd_response_bytes", "counter"),
            ("ossd_requests_in_flight", "gauge"),
            ("ossd_sts_tokens_issued", "counter"),
            ("ossd_auth_denials", "counter"),
            ("ossd_errors", "counter"),
            ("ossd_meta_commit_batch_size", "histogram"),
            ("ossd_meta_commit_duration_seconds", "histogram"),
            ("ossd_meta_commit_failures", "counter"),
            ("ossd_meta_db_roundtrips", "counter"),
            ("ossd_meta_db_seconds", "counter"),
            ("ossd_image_jobs", "counter"),
            ("ossd_image_jobs_in_flight", "gauge"),
        ] {
            assert!(
                text.contains(&format!("# TYPE {name} {kind}\n")),
                "{name} {kind} missing in\n{text}"
            );
            assert!(text.contains(&format!("# HELP {name} ")), "{name} help");
        }
        assert!(!text.contains("# EOF"));
        assert!(m.render(true).ends_with("# EOF\n"));
    }

    #[test]
    fn requests_move_counters_and_histograms() {
        let m = Metrics::new();
        m.request_started();
        m.request_started();
        assert_eq!(
            value(&m.render(false), "ossd_requests_in_flight"),
            Some(2.0)
        );
        m.request_done(&sample("PutObject", 200, 1000, 0));
        m.request_done(&sample("PutObject", 200, 24, 0));
        m.request_started();
        m.request_done(&sample("GetObject", 404, 0, 312));
        let text = m.render(false);
        assert_eq!(value(&text, "ossd_requests_in_flight"), Some(0.0));
        assert_eq!(
            value(
                &text,
                r#"ossd_requests_total{operation="PutObject",status="200"}"#
            ),
            Some(2.0)
        );
        assert_eq!(
            value(
                &text,
                r#"ossd_requests_total{operation="GetObject",status="404"}"#
            ),
            Some(1.0)
        );
        assert_eq!(
            value(&text, r#"ossd_request_bytes_total{operation="PutObject"}"#),
            Some(1024.0)
        );
        assert_eq!(
            value(&text, r#"ossd_response_bytes_total{operation="GetObject"}"#),
            Some(312.0)
        );
        assert_eq!(
            value(
                &text,
                r#"ossd_request_duration_seconds_count{operation="PutObject"}"#
            ),
            Some(2.0)
        );
        // 5 ms falls in the 0.0078125 bucket (0.0005 * 2.5^3), not in the 0.003125 one.
        assert_eq!(
            value(
                &text,
                r#"ossd_request_duration_seconds_bucket{le="0.0078125",operation="PutObject"}"#
            ),
            Some(2.0)
        );
        assert_eq!(
            value(
                &text,
                r#"ossd_request_duration_seconds_bucket{le="0.003125",operation="PutObject"}"#
            ),
            Some(0.0)
        );
    }

    #[test]
    fn commits_db_work_denials_sts_and_images() {
        use ossd_meta::CommitObserver as _;
        let m = Metrics::new();
        m.commit(5, Duration::from_millis(2), true);
        m.commit(1, Duration::from_millis(1), true);
        m.commit(9, Duration::from_millis(1), false);
        m.denied("implicit");
        m.denied("implicit");
        m.denied("signature");
        m.sts_issued();
        m.image_job(200);
        m.image_job(503);
        m.image_job(400);
        m.db_work("put_object", 3, Duration::from_millis(2));
        m.db_work("put_object", 3, Duration::from_millis(4));
        let text = m.render(false);
        assert_eq!(
            value(&text, r#"ossd_meta_db_roundtrips_total{op="put_object"}"#),
            Some(6.0)
        );
        let seconds = value(&text, r#"ossd_meta_db_seconds_total{op="put_object"}"#);
        assert!(
            seconds.is_some_and(|s| (s - 0.006).abs() < 1e-9),
            "{seconds:?}"
        );
        assert_eq!(value(&text, "ossd_meta_commit_batch_size_count"), Some(2.0));
        assert_eq!(value(&text, "ossd_meta_commit_batch_size_sum"), Some(6.0));
        assert_eq!(value(&text, "ossd_meta_commit_failures_total"), Some(1.0));
        assert_eq!(
            value(&text, "ossd_meta_commit_duration_seconds_count"),
            Some(2.0)
        );
        assert_eq!(
            value(&text, r#"ossd_auth_denials_total{reason="implicit"}"#),
            Some(2.0)
        );
        assert_eq!(
            value(&text, r#"ossd_auth_denials_total{reason="signature"}"#),
            Some(1.0)
        );
        assert_eq!(value(&text, "ossd_sts_tokens_issued_total"), Some(1.0));
        for outcome in ["ok", "busy", "rejected"] {
            let series = format!(r#"ossd_image_jobs_total{{outcome="{outcome}"}}"#);
            assert_eq!(value(&text, &series), Some(1.0), "{series}");
        }
        assert_eq!(value(&text, "ossd_image_jobs_in_flight"), Some(0.0));
    }

    #[test]
    fn oss_errors_map_to_denial_reasons() {
        let policy = |why| OssError::access_denied("denied").with_refusal(why);
        assert_eq!(
            denial_reason(&policy(Refusal::ExplicitDeny)),
            Some("explicit")
        );
        assert_eq!(
            denial_reason(&policy(Refusal::ImplicitDeny)),
            Some("implicit")
        );
        assert_eq!(denial_reason(&OssError::request_expired()), Some("expired"));
        assert_eq!(
            denial_reason(&OssError::security_token_expired()),
            Some("expired")
        );
        assert_eq!(
            denial_reason(&OssError::invalid_access_key_id("LTAI")),
            Some("invalid_key")
        );
        assert_eq!(
            denial_reason(&OssError::invalid_security_token()),
            Some("invalid_token")
        );
        assert_eq!(
            denial_reason(&OssError::anonymous_forbidden()),
            Some("other")
        );
        assert_eq!(denial_reason(&OssError::no_such_key("k")), None);
        assert_eq!(denial_reason(&OssError::internal_error()), None);
    }

    #[test]
    fn rpc_errors_map_to_denial_reasons() {
        assert_eq!(
            rpc_denial_reason(&RpcFailure::Credentials(IamError::SecurityTokenExpired)),
            Some("expired")
        );
        assert_eq!(
            rpc_denial_reason(&RpcFailure::Credentials(IamError::InvalidAccessKeyId)),
            Some("invalid_key")
        );
        let mismatch = RpcSigError::SignatureDoesNotMatch {
            string_to_sign: String::new(),
        };
        assert_eq!(
            rpc_denial_reason(&RpcFailure::Signature(mismatch)),
            Some("signature")
        );
        assert_eq!(rpc_denial_reason(&RpcFailure::NonceUsed), Some("replay"));
        let action = |error| RpcFailure::Action {
            service: ossd_rpc::Service::Ram,
            error,
        };
        let denial = ossd_iam::Denial {
            action: "ram:CreateUser".to_owned(),
            resource: "acs:ram:*:1:user/*".to_owned(),
            principal_type: "SubUser",
            principal_name: "u".to_owned(),
            principal_owner: "1".to_owned(),
            explicit: false,
            policy_type: None,
            matched: None,
        };
        let denied = action(ActionError::NoPermission(Some(Box::new(denial))));
        assert_eq!(rpc_denial_reason(&denied), Some("implicit"));
        let missing = action(ActionError::NotExist(ossd_iam::Entity::Role));
        assert_eq!(rpc_denial_reason(&missing), None);
    }
}
