//! Accepting connections: TCP_NODELAY on every socket, optional TLS, HTTP/1.1 and HTTP/2 through
//! hyper-util's auto builder, and graceful shutdown that lets in-flight requests finish.

use std::{future::Future, io, net::SocketAddr, sync::Arc, time::Duration};

use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use crate::AppState;

/// A bound listening socket, with TLS when configured.
pub struct Listener {
    /// The TCP listener.
    pub tcp: TcpListener,
    /// TLS settings, for HTTPS.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

/// How long shutdown waits for in-flight requests.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves until `shutdown` completes, then waits for open connections to finish their requests.
pub async fn serve(
    listener: Listener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let graceful = GracefulShutdown::new();
    let builder = Builder::new(TokioExecutor::new());
    let acceptor = listener.tls.map(TlsAcceptor::from);
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.tcp.accept() => match accepted {
                Ok(a) => a,
                Err(e) => { tracing::warn!(error = %e, "accept failed"); continue; }
            },
            () = &mut shutdown => break,
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "set_nodelay failed");
        }
        spawn_connection(
            &builder,
            &graceful,
            acceptor.clone(),
            stream,
            remote,
            state.clone(),
        );
    }
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!("shutdown grace period over"),
    }
    Ok(())
}

fn spawn_connection(
    builder: &Builder<TokioExecutor>,
    graceful: &GracefulShutdown,
    acceptor: Option<TlsAcceptor>,
    stream: TcpStream,
    remote: SocketAddr,
    state: Arc<AppState>,
) {
    let secure = acceptor.is_some();
    let service =
        service_fn(move |req| crate::dispatch::handle(state.clone(), req, remote, secure));
    let builder = builder.clone();
    let watcher = graceful.watcher();
    tokio::spawn(async move {
        let result = match acceptor {
            None => {
                let conn = builder
                    .serve_connection(TokioIo::new(stream), service)
                    .into_owned();
                watcher.watch(conn).await
            }
            Some(acceptor) => match acceptor.accept(stream).await {
                Ok(tls) => {
                    let conn = builder
                        .serve_connection(TokioIo::new(tls), service)
                        .into_owned();
                    watcher.watch(conn).await
                }
                Err(e) => {
                    tracing::debug!(error = %e, %remote, "TLS handshake failed");
                    return;
                }
            },
        };
        if let Err(e) = result {
            tracing::debug!(error = %e, %remote, "connection ended with an error");
        }
    });
}
