//! The access log and per-request metrics: one [`AccessRecord`] per request, created when it
//! arrives and finished exactly once — when the response body has been sent (or dropped, if the
//! client went away), or when the request itself is abandoned. Finishing writes the one
//! `ossd::access` log line and updates the request metrics.
//!
//! The line carries request id, method, operation, bucket, key, status, bytes in and out,
//! duration, the principal (and its parts: type, account, user / role + session) and the source
//! address. Never the query string, headers, signatures, tokens or secrets. Under `ossd serve`
//! the line is formatted and buffered by [`log_sink`] (same bytes as tracing's formatter would
//! write); elsewhere it is a `tracing` event.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use http_body_util::BodyExt;

use crate::observability::access_line::AccessLine;
use crate::observability::log_sink;
use crate::observability::metrics::{ErrorCode, Metrics, RequestSample};
use crate::transport::body::Body;
use crate::transport::response::Resp;

/// Status logged for a request whose client went away before it was answered (nginx's).
pub(crate) const CLIENT_CLOSED: u16 = 499;

/// One request's access record; dropping it writes the log line and updates the metrics.
#[derive(Debug)]
pub(crate) struct AccessRecord {
    metrics: Arc<Metrics>,
    started: Instant,
    /// Request id (as sent in `x-oss-request-id` / `RequestId`).
    pub request_id: String,
    /// Method.
    pub method: String,
    /// Operation name.
    pub op: &'static str,
    /// Addressed bucket, if any.
    pub bucket: Option<String>,
    /// Addressed key, if any.
    pub key: Option<String>,
    /// Who made it: [`ossd_iam::Caller::label`], empty when unknown.
    pub principal: String,
    /// The connection's peer.
    pub remote: SocketAddr,
    /// TLS.
    pub secure: bool,
    /// Status, once a response exists.
    pub status: Option<u16>,
    /// An image-processing request (counted as an image job).
    pub image: bool,
    /// Why it was refused, if it was.
    pub denial: Option<&'static str>,
    /// The error code sent (an RPC code's family), for error responses.
    pub error_code: Option<ErrorCode>,
    /// Request body bytes read (shared with the body reader, see
    /// [`crate::transport::body::BytesIn`]).
    pub bytes_in: Arc<AtomicU64>,
    bytes_out: u64,
    body_complete: bool,
}

impl AccessRecord {
    /// A request arrived: counts it in flight.
    pub(crate) fn start(
        metrics: Arc<Metrics>,
        remote: SocketAddr,
        secure: bool,
        method: &str,
    ) -> Self {
        metrics.request_started();
        Self {
            metrics,
            started: Instant::now(),
            request_id: String::new(),
            method: method.to_owned(),
            op: "-",
            bucket: None,
            key: None,
            principal: String::new(),
            remote,
            secure,
            status: None,
            image: false,
            denial: None,
            error_code: None,
            bytes_in: Arc::new(AtomicU64::new(0)),
            bytes_out: 0,
            body_complete: false,
        }
    }

    /// Hands the record to `resp`'s body: it is finished when the body has been sent or dropped.
    pub(crate) fn attach(mut self, resp: Resp) -> Resp {
        self.status = Some(resp.status().as_u16());
        let declared = resp
            .headers()
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        resp.map(|body| {
            let length = body.size_hint().exact().or(declared);
            CountingBody {
                inner: body,
                length,
                record: Some(self),
            }
            .boxed_unsync()
        })
    }

    fn emit(&self) {
        let status = self.status.unwrap_or(CLIENT_CLOSED);
        let elapsed = self.started.elapsed();
        let bytes_in = self.bytes_in.load(Ordering::Relaxed);
        let who = Principal::parse(&self.principal);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        let line = AccessLine {
            request_id: &self.request_id,
            method: &self.method,
            op: self.op,
            bucket: self.bucket.as_deref(),
            key: self.key.as_deref(),
            status,
            bytes_in,
            bytes_out: self.bytes_out,
            micros,
            principal: &self.principal,
            principal_type: who.kind,
            account: who.account,
            user: who.user,
            role: who.role,
            session: who.session,
            remote: self.remote,
            secure: self.secure,
            complete: self.body_complete,
            denial: self.denial,
            code: self.error_code.map(|c| c.code),
        };
        match log_sink::installed() {
            // The dedicated writer (`ossd serve`), when tracing's filter lets the line through.
            Some(sink) => {
                if tracing::enabled!(target: "ossd::access", tracing::Level::INFO) {
                    sink.append(&line);
                }
            }
            None => line.emit_event(),
        }
        self.metrics.request_done(&RequestSample {
            operation: self.op,
            status,
            elapsed,
            bytes_in,
            bytes_out: self.bytes_out,
        });
        if let Some(code) = self.error_code {
            self.metrics.error_sent(code);
        }
        if let Some(reason) = self.denial {
            self.metrics.denied(reason);
        }
        if self.image {
            self.metrics.image_job(status);
        }
    }
}

impl Drop for AccessRecord {
    fn drop(&mut self) {
        self.emit();
    }
}

/// A response body that counts the bytes it yields and finishes its [`AccessRecord`] at the end
/// of the stream (or when dropped before).
struct CountingBody {
    inner: Body,
    /// The body's length when known (exact size hint or Content-Length): hyper stops polling a
    /// body once that many bytes are out, so reaching it means complete.
    length: Option<u64>,
    record: Option<AccessRecord>,
}

impl CountingBody {
    /// Whether everything has been sent.
    fn sent_all(&self) -> bool {
        self.inner.is_end_stream()
            || matches!((&self.record, self.length), (Some(r), Some(n)) if r.bytes_out >= n)
    }

    fn finish(&mut self, complete: bool) {
        if let Some(mut record) = self.record.take() {
            record.body_complete = complete;
            drop(record);
        }
    }
}

impl HttpBody for CountingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(data), Some(record)) = (frame.data_ref(), this.record.as_mut()) {
                    record.bytes_out += data.len() as u64;
                }
                if this.sent_all() {
                    this.finish(true);
                }
            }
            Poll::Ready(Some(Err(_))) => this.finish(false),
            Poll::Ready(None) => this.finish(true),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for CountingBody {
    fn drop(&mut self) {
        // An empty body (HEAD, 204, errors without a document) is never polled: it is complete.
        let complete = self.sent_all();
        self.finish(complete);
    }
}

/// The parts of a [`ossd_iam::Caller::label`] (`root:<account>`, `user:<account>/<name>`,
/// `session:<account>/<role>/<session>`, `anonymous`): names contain no `/` or `:`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Principal<'a> {
    kind: Option<&'a str>,
    account: Option<&'a str>,
    user: Option<&'a str>,
    role: Option<&'a str>,
    session: Option<&'a str>,
}

impl<'a> Principal<'a> {
    fn parse(label: &'a str) -> Self {
        let (kind, rest) = label.split_once(':').unwrap_or((label, ""));
        let mut parts = rest.split('/');
        let mut p = Principal {
            kind: Some(kind).filter(|k| !k.is_empty()),
            account: parts.next().filter(|a| !a.is_empty()),
            ..Principal::default()
        };
        match kind {
            "user" => p.user = parts.next(),
            "session" => {
                p.role = parts.next();
                p.session = parts.next();
            }
            _ => {}
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principal_labels_split_into_fields() {
        assert_eq!(
            Principal::parse("root:1234"),
            Principal {
                kind: Some("root"),
                account: Some("1234"),
                ..Default::default()
            }
        );
        assert_eq!(
            Principal::parse("user:1234/alice"),
            Principal {
                kind: Some("user"),
                account: Some("1234"),
                user: Some("alice"),
                ..Default::default()
            }
        );
        assert_eq!(
            Principal::parse("session:1234/uploader/s-1"),
            Principal {
                kind: Some("session"),
                account: Some("1234"),
                role: Some("uploader"),
                session: Some("s-1"),
                ..Default::default()
            }
        );
        assert_eq!(
            Principal::parse("anonymous"),
            Principal {
                kind: Some("anonymous"),
                ..Default::default()
            }
        );
        assert_eq!(Principal::parse(""), Principal::default());
    }

    fn record(metrics: &Arc<Metrics>) -> AccessRecord {
        let remote: SocketAddr = ([127, 0, 0, 1], 5000).into();
        let mut r = AccessRecord::start(metrics.clone(), remote, false, "GET");
        r.op = "GetObject";
        r
    }

    #[tokio::test]
    async fn bytes_out_are_counted_when_the_body_is_sent() {
        let metrics = Arc::new(Metrics::new());
        let resp = record(&metrics).attach(Resp::new(crate::transport::body::full("hello world")));
        let collected = resp.into_body().collect().await.expect("body").to_bytes();
        assert_eq!(&collected[..], b"hello world");
        let text = metrics.render(false);
        assert!(
            text.contains("ossd_response_bytes_total{operation=\"GetObject\"} 11\n"),
            "{text}"
        );
        assert!(text.contains("ossd_requests_in_flight 0\n"), "{text}");
        assert!(text.contains("ossd_requests_total{operation=\"GetObject\",status=\"200\"} 1\n"));
    }

    #[tokio::test]
    async fn an_abandoned_request_is_logged_once_as_499() {
        let metrics = Arc::new(Metrics::new());
        drop(record(&metrics));
        let text = metrics.render(false);
        assert!(text.contains("ossd_requests_total{operation=\"GetObject\",status=\"499\"} 1\n"));
        assert!(text.contains("ossd_requests_in_flight 0\n"), "{text}");
    }

    #[tokio::test]
    async fn a_dropped_streaming_body_counts_what_was_sent() {
        use futures_util::stream;
        let metrics = Arc::new(Metrics::new());
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
            Ok(Bytes::from_static(b"abc")),
            Ok(Bytes::from_static(b"defg")),
        ];
        let body = crate::transport::body::stream(Box::pin(stream::iter(chunks)));
        let mut resp = record(&metrics).attach(Resp::new(body));
        let first = resp.body_mut().frame().await.expect("frame").expect("ok");
        assert_eq!(first.data_ref().map(|d| d.len()), Some(3));
        assert!(
            metrics
                .render(false)
                .contains("ossd_requests_in_flight 1\n")
        );
        drop(resp);
        let text = metrics.render(false);
        assert!(text.contains("ossd_response_bytes_total{operation=\"GetObject\"} 3\n"));
        assert!(text.contains("ossd_requests_in_flight 0\n"), "{text}");
    }
}
