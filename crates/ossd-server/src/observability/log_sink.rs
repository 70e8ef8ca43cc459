//! The buffered access-log writer: requests append their lines to one shared buffer, and a
//! background thread writes the buffer out with one `write(2)` per batch, a moment
//! ([`FLUSH_DELAY`]) after the first line of the batch arrived. A request never waits for the log
//! file, unless the buffer has grown past [`HIGH_WATER`] (the log is not being read): then the
//! request writes the buffer itself, as every request did before, so memory stays bounded and no
//! line is dropped (docs/operations.md, "Access log").
//!
//! [`install_access_log`] sets it up for the process (`ossd serve`); without it the access
//! record falls back to the `tracing` event. Dropping the [`AccessLogGuard`] writes what is left:
//! a clean stop loses nothing, a `kill -9` loses the lines of the last [`FLUSH_DELAY`].

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::Thread;
use std::time::{Duration, SystemTime};

use crate::observability::access_line::{AccessLine, AccessLogFormat};

/// How long after a batch's first line the batch is written: lines are at most this late.
const FLUSH_DELAY: Duration = Duration::from_millis(2);

/// Buffered bytes past which the request that adds a line writes the buffer itself.
const HIGH_WATER: usize = 1 << 20;

/// The process's access-log writer, once installed.
static INSTALLED: OnceLock<Arc<LogSink>> = OnceLock::new();

/// The installed writer, if any.
pub(crate) fn installed() -> Option<&'static LogSink> {
    INSTALLED.get().map(|s| &**s)
}

/// Installs the process's access-log writer: `ossd::access` lines in `format`, written to
/// `out` (stderr for `ossd serve`) by a background thread. Keep the guard for as long as the
/// server runs; dropping it writes what is buffered. `None` if a writer is already installed
/// or the thread cannot be started (the lines then go through `tracing`).
pub fn install_access_log(
    format: AccessLogFormat,
    out: Box<dyn Write + Send>,
) -> Option<AccessLogGuard> {
    if INSTALLED.get().is_some() {
        return None;
    }
    let sink = Arc::new(LogSink::new(format, out));
    let flusher = sink.clone();
    let thread = std::thread::Builder::new()
        .name("ossd-access-log".to_owned())
        .spawn(move || flusher.run())
        .ok()?;
    // The thread parks first: the first line of a batch wakes it.
    let _ = sink.flusher.set(thread.thread().clone());
    INSTALLED.set(sink.clone()).ok()?;
    Some(AccessLogGuard { sink })
}

/// Keeps the access log flowing; dropping it writes out what is buffered.
#[must_use = "dropping the guard at once would only flush an empty buffer"]
#[derive(Debug)]
pub struct AccessLogGuard {
    sink: Arc<LogSink>,
}

impl Drop for AccessLogGuard {
    fn drop(&mut self) {
        self.sink.flush();
    }
}

/// The shared buffer and the writer behind it.
pub(crate) struct LogSink {
    format: AccessLogFormat,
    buffer: Mutex<Buffers>,
    /// The destination; held while a batch is written, so batches stay in order.
    out: Mutex<Box<dyn Write + Send>>,
    flusher: OnceLock<Thread>,
}

impl std::fmt::Debug for LogSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogSink")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// The batch being filled and the emptied one waiting to be reused.
#[derive(Default)]
struct Buffers {
    filling: Vec<u8>,
    spare: Vec<u8>,
}

fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl LogSink {
    fn new(format: AccessLogFormat, out: Box<dyn Write + Send>) -> Self {
        Self {
            format,
            buffer: Mutex::new(Buffers::default()),
            out: Mutex::new(out),
            flusher: OnceLock::new(),
        }
    }

    /// Appends `line`, stamped now, to the batch.
    #[allow(clippy::disallowed_methods)] // log times are the system clock's, as tracing's are
    pub(crate) fn append(&self, line: &AccessLine<'_>) {
        let now = SystemTime::now();
        let (first, len) = {
            let mut b = lock(&self.buffer);
            let first = b.filling.is_empty();
            line.write(self.format, now, &mut b.filling);
            (first, b.filling.len())
        };
        if len > HIGH_WATER {
            self.flush();
        } else if first && let Some(t) = self.flusher.get() {
            t.unpark();
        }
    }

    /// Writes the buffered lines out now.
    fn flush(&self) {
        let mut out = lock(&self.out);
        let mut batch = {
            let mut b = lock(&self.buffer);
            let spare = std::mem::take(&mut b.spare);
            std::mem::replace(&mut b.filling, spare)
        };
        if batch.is_empty() {
            return;
        }
        // Nothing sensible can be done about a failing log destination; tracing ignores it too.
        let _ = out.write_all(&batch).and_then(|()| out.flush());
        drop(out);
        batch.clear();
        let mut b = lock(&self.buffer);
        if b.spare.capacity() < batch.capacity() {
            b.spare = batch;
        }
    }

    /// The background writer: woken by the first line of a batch, waits [`FLUSH_DELAY`] for
    /// more, writes the batch.
    fn run(&self) {
        loop {
            std::thread::park();
            std::thread::sleep(FLUSH_DELAY);
            self.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);

    impl Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            lock(&self.0).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn line(request_id: &str) -> AccessLine<'_> {
        AccessLine {
            request_id,
            method: "GET",
            op: "GetObject",
            bucket: Some("b"),
            key: Some("k"),
            status: 200,
            bytes_in: 0,
            bytes_out: 4096,
            micros: 10,
            principal: "anonymous",
            principal_type: Some("anonymous"),
            account: None,
            user: None,
            role: None,
            session: None,
            remote: ([127, 0, 0, 1], 5000).into(),
            secure: false,
            complete: true,
            denial: None,
            code: None,
        }
    }

    #[test]
    fn lines_are_written_in_order_and_flushed_on_demand() {
        let capture = Capture::default();
        let sink = LogSink::new(AccessLogFormat::Text, Box::new(capture.clone()));
        for i in 0..3 {
            sink.append(&line(&format!("id-{i}")));
        }
        assert!(lock(&capture.0).is_empty(), "buffered until flushed");
        sink.flush();
        let text = String::from_utf8(lock(&capture.0).clone()).expect("utf-8");
        let ids: Vec<&str> = text
            .lines()
            .map(|l| {
                l.split_once("request_id=")
                    .and_then(|(_, r)| r.split(' ').next())
                    .expect("id")
            })
            .collect();
        assert_eq!(ids, ["id-0", "id-1", "id-2"]);
        sink.flush();
        assert_eq!(lock(&capture.0).len(), text.len(), "nothing written twice");
    }

    #[test]
    fn a_full_buffer_is_written_by_the_request() {
        let capture = Capture::default();
        let sink = LogSink::new(AccessLogFormat::Json, Box::new(capture.clone()));
        let id = "x".repeat(4096);
        let mut appended = 0;
        while lock(&capture.0).is_empty() {
            sink.append(&line(&id));
            appended += 1;
            assert!(appended < 1000, "never written");
        }
        assert!(lock(&capture.0).len() > HIGH_WATER);
    }
}
