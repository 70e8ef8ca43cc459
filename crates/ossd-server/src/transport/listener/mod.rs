//! Accepting connections: TCP_NODELAY on every socket, optional TLS, HTTP/1.1 and HTTP/2 through
//! hyper-util's auto builder, graceful shutdown that lets in-flight requests finish, and the
//! connection limits of docs/limits.md ("Connections"): a cap on open connections, header,
//! idle, body and TLS handshake timeouts, and an accept loop that backs off when accepting fails.

mod accept;
mod idle;

use ossd_proto::dialect::Dialect;
use std::convert::Infallible;
use std::{future::Future, io, net::SocketAddr, sync::Arc, time::Duration};

use http_body::Body as _;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;

use crate::AppState;
use crate::transport::body::Body;
use accept::{Backoff, LOG_INTERVAL, LogLimiter};
use idle::{Activity, IdleIo, RequestGuard, Timeouts, TrackedBody};

/// A bound listening socket, with TLS when configured.
pub struct Listener {
    /// The TCP listener.
    pub tcp: TcpListener,
    /// TLS settings, for HTTPS.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Connection limits and timeouts.
    pub config: ListenerConfig,
}

/// Connection limits and timeouts (docs/limits.md, "Connections").
#[derive(Debug, Clone)]
pub struct ListenerConfig {
    /// Open connections at most; a connection beyond it is accepted and closed at once.
    pub max_connections: usize,
    /// An HTTP/1.1 request head must arrive within this long once the connection waits for it.
    pub header_read_timeout: Duration,
    /// A connection with no request in progress that receives nothing for this long is closed.
    pub idle_timeout: Duration,
    /// A request body or a response write that makes no progress for this long closes the
    /// connection.
    pub body_idle_timeout: Duration,
    /// The TLS handshake must finish within this long.
    pub tls_handshake_timeout: Duration,
    /// Header fields per HTTP/1.1 request; more are refused with 431.
    pub max_headers: usize,
}

/// Default [`ListenerConfig::header_read_timeout`].
pub(crate) const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default [`ListenerConfig::idle_timeout`].
pub(crate) const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default [`ListenerConfig::body_idle_timeout`].
pub(crate) const DEFAULT_BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Default [`ListenerConfig::tls_handshake_timeout`].
pub(crate) const DEFAULT_TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Default [`ListenerConfig::max_headers`]: room for the 8 KiB of user metadata OSS allows
/// (`ossd_proto::headers::MAX_USER_META_BYTES`) in several hundred `x-oss-meta-*` headers.
pub(crate) const DEFAULT_MAX_HEADERS: usize = 512;
/// The most [`ListenerConfig::max_connections`] defaults to.
pub(crate) const DEFAULT_MAX_CONNECTIONS_CAP: usize = 10_000;
/// File descriptors kept back from the open-file limit for the server's own files when the
/// connection cap is derived from it.
const RESERVED_FDS: usize = 64;
/// hyper's own HTTP/1.1 header-count limit; kept (on the stack) unless a larger one is asked for.
const HYPER_DEFAULT_MAX_HEADERS: usize = 100;
/// HTTP/2 header list size (hyper's default is 16 KiB): the HTTP/1.1 header count above with
/// 8 KiB of metadata fits.
const H2_MAX_HEADER_LIST_SIZE: u32 = 64 * 1024;

impl Default for ListenerConfig {
    fn default() -> Self {
        Self {
            max_connections: default_max_connections(open_file_limit()),
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            body_idle_timeout: DEFAULT_BODY_IDLE_TIMEOUT,
            tls_handshake_timeout: DEFAULT_TLS_HANDSHAKE_TIMEOUT,
            max_headers: DEFAULT_MAX_HEADERS,
        }
    }
}

/// Longer timeouts are taken as this (deadlines stay far from `Instant` overflow).
const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 86_400);

impl ListenerConfig {
    /// With every timeout at most [`MAX_TIMEOUT`].
    fn bounded(mut self) -> Self {
        for t in [
            &mut self.header_read_timeout,
            &mut self.idle_timeout,
            &mut self.body_idle_timeout,
            &mut self.tls_handshake_timeout,
        ] {
            *t = (*t).min(MAX_TIMEOUT);
        }
        self
    }
}

/// The default connection cap for a soft open-file limit (`None`: unknown): each connection
/// may need a second descriptor for the object file it reads or writes, and [`RESERVED_FDS`]
/// stay for the database, the audit trail and the like; at most [`DEFAULT_MAX_CONNECTIONS_CAP`].
pub(crate) fn default_max_connections(open_files: Option<u64>) -> usize {
    let Some(limit) = open_files else {
        return DEFAULT_MAX_CONNECTIONS_CAP;
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    (limit.saturating_sub(RESERVED_FDS) / 2).clamp(16, DEFAULT_MAX_CONNECTIONS_CAP)
}

/// The soft limit on open files of this process, from `/proc/self/limits` (Linux); `None`
/// elsewhere or when unlimited.
pub(crate) fn open_file_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// How long shutdown waits for in-flight requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves until `shutdown` completes, then waits for open connections to finish their requests.
/// Anonymous requests on this listener are in `dialect` (signed ones in their signature's,
/// docs/s3.md#the-dialect-rule).
pub async fn serve(
    listener: Listener,
    state: Arc<AppState>,
    dialect: Dialect,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    serve_with(
        listener,
        move |req, remote, secure| {
            crate::pipeline::dispatch::handle(state.clone(), req, remote, secure, dialect)
        },
        shutdown,
    )
    .await
}

/// [`serve`] with any request handler (tests use small ones).
async fn serve_with<H, F>(
    listener: Listener,
    handler: H,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()>
where
    H: Fn(Request<Incoming>, SocketAddr, bool) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Body>, Infallible>> + Send + 'static,
{
    let config = Arc::new(listener.config.bounded());
    let graceful = GracefulShutdown::new();
    let builder = builder(&config);
    let acceptor = listener.tls.map(TlsAcceptor::from);
    let permits = Arc::new(Semaphore::new(
        config.max_connections.min(Semaphore::MAX_PERMITS),
    ));
    let mut backoff = Backoff::default();
    let mut accept_log = LogLimiter::new(LOG_INTERVAL);
    let mut refusal_log = LogLimiter::new(LOG_INTERVAL);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.tcp.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, remote) = match accepted {
            Ok(a) => a,
            Err(e) if accept::is_connection_error(&e) => {
                tracing::debug!(error = %e, "accept: connection gone before it was accepted");
                continue;
            }
            Err(e) => {
                let pause = backoff.failed();
                if let Some(suppressed) = accept_log.hit(std::time::Instant::now()) {
                    tracing::warn!(
                        error = %e,
                        suppressed,
                        pause_ms = pause.as_millis() as u64,
                        "accept failed; pausing before the next attempt (at most one such line \
                         per {}s)",
                        LOG_INTERVAL.as_secs()
                    );
                }
                tokio::select! {
                    () = tokio::time::sleep(pause) => continue,
                    () = &mut shutdown => break,
                }
            }
        };
        let failures = backoff.succeeded();
        if failures > 0 {
            tracing::info!(failures, "accepting connections again");
        }
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            // Closed at once, without reading or answering: an answer would need the request.
            drop(stream);
            if let Some(suppressed) = refusal_log.hit(std::time::Instant::now()) {
                tracing::warn!(
                    %remote,
                    max_connections = config.max_connections,
                    suppressed,
                    "connection limit reached; closing new connections"
                );
            }
            continue;
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "set_nodelay failed");
        }
        spawn_connection(
            &builder,
            &graceful,
            &config,
            acceptor.clone(),
            Accepted {
                stream,
                remote,
                permit,
            },
            handler.clone(),
        );
    }
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!("shutdown grace period over"),
    }
    Ok(())
}

/// hyper's builder with the timeouts and header limits of `config`; otherwise hyper's defaults.
fn builder(config: &ListenerConfig) -> Builder<TokioExecutor> {
    let mut builder = Builder::new(TokioExecutor::new());
    {
        let mut h1 = builder.http1();
        h1.timer(TokioTimer::new())
            .header_read_timeout(config.header_read_timeout);
        if config.max_headers != HYPER_DEFAULT_MAX_HEADERS {
            h1.max_headers(config.max_headers);
        }
    }
    // hyper has no HTTP/2 idle timeout: `IdleIo` closes an idle or stalled HTTP/2 connection.
    // Pings (which hyper offers) go out only after twice the longest of those timeouts without
    // a frame, so that an answered ping cannot keep an idle or stalled connection open; they
    // find a dead peer while a long request is being handled.
    let ping_after = 2 * config.idle_timeout.max(config.body_idle_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(ping_after)
        .max_header_list_size(H2_MAX_HEADER_LIST_SIZE);
    builder
}

/// One accepted connection and its place under the connection cap.
struct Accepted {
    stream: TcpStream,
    remote: SocketAddr,
    permit: OwnedSemaphorePermit,
}

fn spawn_connection<H, F>(
    builder: &Builder<TokioExecutor>,
    graceful: &GracefulShutdown,
    config: &Arc<ListenerConfig>,
    acceptor: Option<TlsAcceptor>,
    accepted: Accepted,
    handler: H,
) where
    H: Fn(Request<Incoming>, SocketAddr, bool) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Body>, Infallible>> + Send + 'static,
{
    let Accepted {
        stream,
        remote,
        permit,
    } = accepted;
    let secure = acceptor.is_some();
    let activity = Arc::new(Activity::default());
    let timeouts = Timeouts {
        idle: config.idle_timeout,
        body: config.body_idle_timeout,
        first_request: config.header_read_timeout,
    };
    let service_activity = activity.clone();
    let service = service_fn(move |req: Request<Incoming>| {
        let guard = RequestGuard::start(&service_activity, !req.body().is_end_stream());
        // On the heap at once: the request's future holds the state of every handler it may
        // run (kilobytes), and hyper moves the future it gets several times (a `memcpy` of its
        // whole size each; docs/performance.md, "GET/HEAD per-request costs").
        let response = Box::pin(handler(req, remote, secure));
        async move {
            let response = response.await?;
            Ok::<_, Infallible>(response.map(|body| TrackedBody::new(body, guard)))
        }
    });
    let builder = builder.clone();
    let watcher = graceful.watcher();
    let handshake_timeout = config.tls_handshake_timeout;
    tokio::spawn(async move {
        let _permit = permit;
        let result = match acceptor {
            None => {
                let io = IdleIo::new(stream, activity, timeouts);
                let conn = builder
                    .serve_connection(TokioIo::new(io), service)
                    .into_owned();
                watcher.watch(conn).await
            }
            Some(acceptor) => {
                match tokio::time::timeout(handshake_timeout, acceptor.accept(stream)).await {
                    Ok(Ok(tls)) => {
                        let io = IdleIo::new(tls, activity, timeouts);
                        let conn = builder
                            .serve_connection(TokioIo::new(io), service)
                            .into_owned();
                        watcher.watch(conn).await
                    }
                    Ok(Err(e)) => {
                        tracing::debug!(error = %e, %remote, "TLS handshake failed");
                        return;
                    }
                    Err(_) => {
                        tracing::debug!(%remote, "TLS handshake timed out");
                        return;
                    }
                }
            }
        };
        if let Err(e) = result {
            tracing::debug!(error = %e, %remote, "connection ended with an error");
        }
    });
}

#[cfg(test)]
mod tests;
