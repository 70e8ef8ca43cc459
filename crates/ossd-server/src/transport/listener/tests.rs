//! The listener in process, on 127.0.0.1 with short timeouts and a small handler.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use super::{Listener, ListenerConfig, serve_with};
use crate::transport::body::Body;

const CONFIG: ListenerConfig = ListenerConfig {
    max_connections: 8,
    header_read_timeout: Duration::from_millis(600),
    idle_timeout: Duration::from_millis(300),
    body_idle_timeout: Duration::from_millis(500),
    tls_handshake_timeout: Duration::from_millis(300),
    max_headers: 512,
};
/// Room for a loaded machine in the timing assertions.
const SLACK: Duration = Duration::from_millis(700);

/// `/sleep`: answers after 4 idle timeouts; anything else: reads the body and answers with its
/// length.
async fn handler(
    req: Request<Incoming>,
    _remote: SocketAddr,
    _secure: bool,
) -> Result<Response<Body>, Infallible> {
    if req.uri().path() == "/sleep" {
        tokio::time::sleep(CONFIG.idle_timeout * 4).await;
        return Ok(Response::new(crate::transport::body::full("slept")));
    }
    let len = match req.into_body().collect().await {
        Ok(b) => b.to_bytes().len(),
        Err(_) => return Ok(Response::new(crate::transport::body::full("body failed"))),
    };
    Ok(Response::new(crate::transport::body::full(len.to_string())))
}

struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(config: ListenerConfig) -> Self {
        let tcp = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = tcp.local_addr().expect("local addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let listener = Listener {
            tcp,
            tls: None,
            config,
        };
        let task = tokio::spawn(serve_with(listener, handler, async {
            let _ = stopped.await;
        }));
        Self {
            addr,
            stop: Some(stop),
            task,
        }
    }

    async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), &mut self.task).await;
    }
}

/// Reads until the peer closes (or `limit` passes); returns what was read and whether it closed.
async fn read_to_close(s: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (out, true),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => return (out, false),
        }
    }
}

/// One request on a fresh connection; the response text.
async fn request(addr: SocketAddr, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(raw).await.expect("write");
    let (out, _) = read_to_close(&mut s, Duration::from_secs(5)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn a_silent_connection_is_closed_after_the_idle_timeout() {
    let server = Server::start(CONFIG).await;
    let mut s = TcpStream::connect(server.addr).await.expect("connect");
    let start = Instant::now();
    let (out, closed) = read_to_close(&mut s, Duration::from_secs(5)).await;
    assert!(closed && out.is_empty());
    let t = start.elapsed();
    assert!(
        t >= CONFIG.idle_timeout && t < CONFIG.idle_timeout + SLACK,
        "{t:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_keep_alive_connection_is_closed_when_idle() {
    let server = Server::start(CONFIG).await;
    let mut s = TcpStream::connect(server.addr).await.expect("connect");
    s.write_all(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).await.expect("response");
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    let start = Instant::now();
    let (_, closed) = read_to_close(&mut s, Duration::from_secs(5)).await;
    assert!(closed);
    let t = start.elapsed();
    // the shorter of the idle and header timeouts
    assert!(
        t >= CONFIG.idle_timeout && t < CONFIG.idle_timeout + SLACK,
        "{t:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn slowloris_headers_hit_the_header_read_timeout() {
    let server = Server::start(CONFIG).await;
    let mut s = TcpStream::connect(server.addr).await.expect("connect");
    let start = Instant::now();
    // a header byte every 100 ms: progress for the idle timer, but never a complete head
    let head =
        b"GET / HTTP/1.1\r\nHost: a\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut closed = false;
    for b in head {
        if s.write_all(&[*b]).await.is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 64];
        if let Ok(r) = tokio::time::timeout(Duration::from_millis(100), s.read(&mut buf)).await {
            assert!(matches!(r, Ok(0) | Err(_)), "unexpected answer");
            closed = true;
            break;
        }
    }
    assert!(closed, "still open after {:?}", start.elapsed());
    let t = start.elapsed();
    assert!(t < CONFIG.header_read_timeout + SLACK, "{t:?}");
    server.stop().await;
}

#[tokio::test]
async fn slowloris_on_a_kept_alive_connection_hits_hyper_s_header_timer() {
    let server = Server::start(CONFIG).await;
    let mut s = TcpStream::connect(server.addr).await.expect("connect");
    s.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).await.expect("response");
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    let start = Instant::now();
    let mut closed = false;
    for b in b"GET / HTTP/1.1\r\nHost: a\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
        if s.write_all(&[*b]).await.is_err() {
            closed = true;
            break;
        }
        if let Ok(r) = tokio::time::timeout(Duration::from_millis(100), s.read(&mut buf)).await {
            assert!(matches!(r, Ok(0) | Err(_)), "unexpected answer");
            closed = true;
            break;
        }
    }
    assert!(closed, "still open after {:?}", start.elapsed());
    assert!(start.elapsed() < CONFIG.header_read_timeout + SLACK);
    server.stop().await;
}

#[tokio::test]
async fn a_stalled_upload_is_closed_while_a_slow_one_completes() {
    let server = Server::start(CONFIG).await;
    let addr = server.addr;
    let slow = tokio::spawn(async move {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"PUT /o HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n")
            .await
            .expect("head");
        // 10 bytes, one every 200 ms (less than the body timeout apart): 2 s in all
        for _ in 0..10 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            s.write_all(b"x").await.expect("byte");
        }
        let mut buf = [0u8; 1024];
        let n = s.read(&mut buf).await.expect("response");
        String::from_utf8_lossy(&buf[..n]).into_owned()
    });
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"PUT /o HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly-part")
        .await
        .expect("write");
    let start = Instant::now();
    let (out, closed) = read_to_close(&mut s, Duration::from_secs(5)).await;
    assert!(
        closed,
        "stalled upload still open: {:?}",
        String::from_utf8_lossy(&out)
    );
    // the handler saw its body fail; hyper may still send its answer before closing
    let out = String::from_utf8_lossy(&out);
    assert!(out.is_empty() || out.ends_with("body failed"), "{out}");
    let t = start.elapsed();
    assert!(
        t >= CONFIG.body_idle_timeout && t < CONFIG.body_idle_timeout + SLACK,
        "{t:?}"
    );
    let answer = slow.await.expect("slow upload");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("\r\n\r\n10"), "{answer}");
    server.stop().await;
}

#[tokio::test]
async fn a_slow_handler_is_not_cut() {
    let server = Server::start(CONFIG).await;
    let answer = request(
        server.addr,
        b"GET /sleep HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.ends_with("slept"), "{answer}");
    server.stop().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_at_once() {
    let config = ListenerConfig {
        max_connections: 2,
        idle_timeout: Duration::from_secs(30),
        header_read_timeout: Duration::from_secs(30),
        ..CONFIG
    };
    let server = Server::start(config).await;
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut s = TcpStream::connect(server.addr).await.expect("connect");
        // a complete request proves the connection was taken (not just queued)
        s.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            .await
            .expect("write");
        let mut buf = [0u8; 1024];
        let n = s.read(&mut buf).await.expect("response");
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        held.push(s);
    }
    let mut over = TcpStream::connect(server.addr).await.expect("connect");
    let (out, closed) = read_to_close(&mut over, Duration::from_secs(2)).await;
    assert!(closed && out.is_empty(), "third connection not refused");
    // one held connection goes away: a new one is served
    drop(held.pop());
    let mut answer = String::new();
    for _ in 0..50 {
        answer = request(
            server.addr,
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        )
        .await;
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    server.stop().await;
}

#[tokio::test]
async fn many_metadata_headers_are_accepted_and_too_many_refused() {
    let server = Server::start(CONFIG).await;
    let with = |n: usize| {
        let mut r = String::from("PUT /o HTTP/1.1\r\nHost: a\r\nConnection: close\r\n");
        for i in 0..n {
            r.push_str(&format!("x-oss-meta-k{i}: v{i}\r\n"));
        }
        r.push_str("Content-Length: 0\r\n\r\n");
        r
    };
    let ok = request(server.addr, with(150).as_bytes()).await;
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    let refused = request(server.addr, with(CONFIG.max_headers + 10).as_bytes()).await;
    assert!(refused.starts_with("HTTP/1.1 431"), "{refused}");
    server.stop().await;
}

#[test]
fn the_default_connection_cap_follows_the_open_file_limit() {
    use super::{DEFAULT_MAX_CONNECTIONS_CAP, default_max_connections, open_file_limit};
    assert_eq!(default_max_connections(Some(1024)), 480);
    assert_eq!(default_max_connections(Some(256)), 96);
    assert_eq!(default_max_connections(Some(10)), 16);
    assert_eq!(
        default_max_connections(Some(1 << 20)),
        DEFAULT_MAX_CONNECTIONS_CAP
    );
    assert_eq!(default_max_connections(None), DEFAULT_MAX_CONNECTIONS_CAP);
    if cfg!(target_os = "linux") {
        assert!(open_file_limit().is_some_and(|n| n > 0));
    }
}
