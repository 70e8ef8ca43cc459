//! Idle and stall timeouts for one connection (docs/limits.md, "Connections").
//!
//! [`IdleIo`] wraps the connection's byte stream. A read that stays pending fails with
//! `TimedOut` once the connection has made no progress (no byte read or written) for:
//! - the idle timeout, when no request is in progress (a new connection that sends nothing, an
//!   HTTP/1.1 keep-alive or HTTP/2 connection between requests);
//! - the header read timeout counted from the start, until the first request has arrived (so
//!   that a trickle of bytes cannot stretch hyper-util's protocol detection, which reads before
//!   hyper's own header timer starts);
//! - the body timeout, while a request whose body has not been fully handled is in progress
//!   (a stalled upload).
//!
//! While a handler works on a request whose body it has read, or a response streams out, a
//! pending read is not timed (hyper keeps a read pending to notice a closed peer); a write that
//! stays pending for the body timeout (the client stopped reading) fails instead. Progress only
//! moves a deadline, so a slow upload or download that keeps moving is never cut.
//!
//! [`Activity`] is what the connection's requests tell the wrapper; a [`RequestGuard`] lives
//! from the service call until the response body is dropped ([`TrackedBody`]).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body::{Body, Frame, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// The two timeouts [`IdleIo`] applies.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timeouts {
    /// No request in progress and nothing received.
    pub idle: Duration,
    /// A request body (or a response write) making no progress.
    pub body: Duration,
    /// From the start until the first request has arrived.
    pub first_request: Duration,
}

impl Timeouts {
    /// How often a pending read is looked at again while it is not timed.
    fn recheck(&self) -> Duration {
        self.idle.min(self.body)
    }
}

/// The requests in progress on one connection.
#[derive(Debug, Default)]
pub(super) struct Activity {
    /// Requests from the service call until their response body is dropped.
    active: AtomicUsize,
    /// Requests with a body whose handler has not returned yet.
    uploading: AtomicUsize,
    /// Whether a request has arrived.
    started: AtomicBool,
}

impl Activity {
    /// How long a pending read may wait for the client now (`None`: not timed).
    fn read_limit(&self, t: &Timeouts) -> Option<Duration> {
        if self.uploading.load(Ordering::Relaxed) > 0 {
            Some(t.body)
        } else if self.active.load(Ordering::Relaxed) == 0 {
            Some(t.idle)
        } else {
            None
        }
    }
}

/// One request in progress: counted in [`Activity`] until dropped.
#[derive(Debug)]
pub(super) struct RequestGuard {
    activity: Arc<Activity>,
    uploading: bool,
}

impl RequestGuard {
    /// A request arrived; `has_body` when its body may still be arriving.
    pub(super) fn start(activity: &Arc<Activity>, has_body: bool) -> Self {
        activity.active.fetch_add(1, Ordering::Relaxed);
        activity.started.store(true, Ordering::Relaxed);
        if has_body {
            activity.uploading.fetch_add(1, Ordering::Relaxed);
        }
        Self {
            activity: activity.clone(),
            uploading: has_body,
        }
    }

    /// The handler returned: its request body is no longer awaited.
    pub(super) fn handler_done(&mut self) {
        if std::mem::take(&mut self.uploading) {
            self.activity.uploading.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl Drop for RequestGuard {
    fn drop(&mut self) {
        self.handler_done();
        self.activity.active.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A response body that keeps its request counted as active until hyper drops it.
#[derive(Debug)]
pub(super) struct TrackedBody<B> {
    inner: B,
    _guard: RequestGuard,
}

impl<B> TrackedBody<B> {
    /// `inner`, holding `guard` (its handler has returned).
    pub(super) fn new(inner: B, mut guard: RequestGuard) -> Self {
        guard.handler_done();
        Self {
            inner,
            _guard: guard,
        }
    }
}

impl<B: Body + Unpin> Body for TrackedBody<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// A deadline that starts when an operation goes pending after progress.
#[derive(Debug, Default)]
struct Stall {
    /// When the operation went pending with no progress since (`None`: it made progress).
    since: Option<Instant>,
    /// Made on first use and reset afterwards (resetting to a later time is cheap in tokio).
    sleep: Option<Pin<Box<Sleep>>>,
}

impl Stall {
    fn progress(&mut self) {
        self.since = None;
    }

    /// The operation is pending: `Ready` once it has been stalled for `limit` or `hard` has
    /// passed; with neither, the stall count restarts and the task is woken again after
    /// `recheck` to look again.
    fn poll_expired(
        &mut self,
        cx: &mut Context<'_>,
        limit: Option<Duration>,
        hard: Option<Instant>,
        recheck: Duration,
    ) -> Poll<()> {
        let since = *self.since.get_or_insert_with(Instant::now);
        let mut at = since + limit.unwrap_or(recheck);
        if let Some(hard) = hard {
            at = at.min(hard);
        }
        let sleep = self
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(at)));
        if sleep.deadline() != at {
            sleep.as_mut().reset(at);
        }
        if sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        if limit.is_some() || hard.is_some() {
            return Poll::Ready(());
        }
        let now = Instant::now();
        self.since = Some(now);
        sleep.as_mut().reset(now + recheck);
        // registers the waker for the new deadline
        let _ = sleep.as_mut().poll(cx);
        Poll::Pending
    }
}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, what.to_owned())
}

/// A byte stream with the idle and stall timeouts of this module.
#[derive(Debug)]
pub(super) struct IdleIo<T> {
    inner: T,
    activity: Arc<Activity>,
    timeouts: Timeouts,
    read: Stall,
    write: Stall,
    /// The first request must have arrived by then (`None` once it has).
    first_request_by: Option<Instant>,
}

impl<T> IdleIo<T> {
    /// Wraps `inner`; `activity` is shared with the connection's service.
    pub(super) fn new(inner: T, activity: Arc<Activity>, timeouts: Timeouts) -> Self {
        Self {
            inner,
            activity,
            timeouts,
            read: Stall::default(),
            write: Stall::default(),
            first_request_by: Some(Instant::now() + timeouts.first_request),
        }
    }

    /// After a write: bytes out are progress in both directions (idleness counts from the end
    /// of a response).
    fn wrote(&mut self, r: &io::Result<usize>) {
        if matches!(r, Ok(n) if *n > 0) {
            self.write.progress();
            self.read.progress();
        }
    }

    fn poll_write_stall<R>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        match self
            .write
            .poll_expired(cx, Some(self.timeouts.body), None, self.timeouts.body)
        {
            Poll::Ready(()) => Poll::Ready(Err(timed_out("the client stopped reading"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for IdleIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                this.read.progress();
                Poll::Ready(r)
            }
            Poll::Pending => {
                let limit = this.activity.read_limit(&this.timeouts);
                if this.first_request_by.is_some() && this.activity.started.load(Ordering::Relaxed)
                {
                    this.first_request_by = None;
                }
                let hard = this.first_request_by;
                match this
                    .read
                    .poll_expired(cx, limit, hard, this.timeouts.recheck())
                {
                    Poll::Ready(()) => {
                        Poll::Ready(Err(timed_out("connection idle or request body stalled")))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for IdleIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(r) => {
                this.wrote(&r);
                Poll::Ready(r)
            }
            Poll::Pending => this.poll_write_stall(cx),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(r) => {
                this.wrote(&r);
                Poll::Ready(r)
            }
            Poll::Pending => this.poll_write_stall(cx),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(r) => {
                // hyper flushes after its writes went through; not progress for the read side
                this.write.progress();
                Poll::Ready(r)
            }
            Poll::Pending => this.poll_write_stall(cx),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_shutdown(cx) {
            Poll::Ready(r) => Poll::Ready(r),
            Poll::Pending => this.poll_write_stall(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};

    // Real time (tokio's paused clock needs its `test-util` feature): short timeouts, and
    // assertions with room for a busy machine.
    const T: Timeouts = Timeouts {
        idle: Duration::from_millis(200),
        body: Duration::from_millis(400),
        first_request: Duration::from_secs(60),
    };
    const SLACK: Duration = Duration::from_millis(300);

    fn wrapped(
        size: usize,
    ) -> (
        IdleIo<tokio::io::DuplexStream>,
        tokio::io::DuplexStream,
        Arc<Activity>,
    ) {
        let (a, b) = duplex(size);
        let activity = Arc::new(Activity::default());
        (IdleIo::new(a, activity.clone(), T), b, activity)
    }

    fn around(elapsed: Duration, expected: Duration) -> bool {
        elapsed >= expected && elapsed <= expected + SLACK
    }

    #[tokio::test]
    async fn an_idle_connection_times_out_after_the_idle_timeout() {
        let (mut io, _peer, _) = wrapped(64);
        let start = Instant::now();
        let mut buf = [0u8; 8];
        let err = io.read(&mut buf).await.err().map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::TimedOut));
        assert!(around(start.elapsed(), T.idle), "{:?}", start.elapsed());
    }

    #[tokio::test]
    async fn the_first_request_must_arrive_within_its_deadline() {
        let (a, mut peer) = duplex(64);
        let activity = Arc::new(Activity::default());
        let t = Timeouts {
            first_request: Duration::from_millis(500),
            ..T
        };
        let mut io = IdleIo::new(a, activity, t);
        let start = Instant::now();
        let trickle = tokio::spawn(async move {
            for _ in 0..100 {
                tokio::time::sleep(Duration::from_millis(50)).await;
                if peer.write_all(b"G").await.is_err() {
                    return;
                }
            }
        });
        let mut buf = [0u8; 8];
        let err = loop {
            if let Err(e) = io.read(&mut buf).await {
                break e.kind();
            }
        };
        assert_eq!(err, io::ErrorKind::TimedOut);
        assert!(
            around(start.elapsed(), t.first_request),
            "{:?}",
            start.elapsed()
        );
        trickle.abort();
    }

    #[tokio::test]
    async fn progress_moves_the_deadline() {
        let (mut io, mut peer, activity) = wrapped(64);
        let _req = RequestGuard::start(&activity, true);
        let feeder = tokio::spawn(async move {
            // a byte every 150 ms: slow but within the 400 ms body timeout, 8 times
            for _ in 0..8 {
                tokio::time::sleep(Duration::from_millis(150)).await;
                if peer.write_all(b"x").await.is_err() {
                    return;
                }
            }
            std::future::pending::<()>().await;
        });
        let mut got = 0;
        let mut buf = [0u8; 8];
        let mut last = Instant::now();
        let err = loop {
            match io.read(&mut buf).await {
                Ok(n) => {
                    got += n;
                    last = Instant::now();
                }
                Err(e) => break e.kind(),
            }
        };
        assert_eq!(err, io::ErrorKind::TimedOut);
        assert_eq!(got, 8, "a progressing upload was cut");
        assert!(around(last.elapsed(), T.body), "{:?}", last.elapsed());
        feeder.abort();
    }

    #[tokio::test]
    async fn a_working_handler_is_not_timed_and_idleness_counts_from_its_response() {
        let (mut io, mut peer, activity) = wrapped(64);
        let guard = RequestGuard::start(&activity, false);
        let mut buf = [0u8; 8];
        // the handler works for 4 idle timeouts; the pending read must not fail meanwhile
        let read = tokio::time::timeout(T.idle * 4, io.read(&mut buf)).await;
        assert!(read.is_err(), "read ended while a handler was working");
        // the response goes out, the request ends: now the idle timeout applies
        io.write_all(b"HTTP/1.1 200 OK\r\n\r\n").await.ok();
        let mut sink = [0u8; 64];
        let _ = peer.read(&mut sink).await;
        drop(guard);
        let responded = Instant::now();
        let err = io.read(&mut buf).await.err().map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::TimedOut));
        assert!(
            around(responded.elapsed(), T.idle),
            "{:?}",
            responded.elapsed()
        );
    }

    #[tokio::test]
    async fn a_stalled_upload_times_out_after_the_body_timeout() {
        let (mut io, mut peer, activity) = wrapped(64);
        let mut guard = RequestGuard::start(&activity, true);
        peer.write_all(b"part").await.ok();
        let mut buf = [0u8; 8];
        assert_eq!(io.read(&mut buf).await.ok(), Some(4));
        let stalled = Instant::now();
        let err = io.read(&mut buf).await.err().map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::TimedOut));
        assert!(around(stalled.elapsed(), T.body), "{:?}", stalled.elapsed());
        // once the handler has returned and its response streams, the read is not timed
        guard.handler_done();
        let body = TrackedBody::new(http_body_util::Empty::<bytes::Bytes>::new(), guard);
        let read = tokio::time::timeout(T.body * 2, io.read(&mut buf)).await;
        assert!(read.is_err());
        drop(body);
    }

    #[tokio::test]
    async fn a_client_that_stops_reading_times_out_after_the_body_timeout() {
        let (mut io, _peer, activity) = wrapped(16);
        let _guard = RequestGuard::start(&activity, false);
        let start = Instant::now();
        let err = io.write_all(&[0u8; 1024]).await.err().map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::TimedOut));
        assert!(around(start.elapsed(), T.body), "{:?}", start.elapsed());
    }
}
