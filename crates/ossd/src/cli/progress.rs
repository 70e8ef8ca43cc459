//! The progress line of a long transfer, redrawn on standard error when it is a terminal.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::units::human_size;

/// How often the line is redrawn at most.
const REDRAW: Duration = Duration::from_millis(150);

/// Whether some progress line is on the screen (so that output clears it first).
static SHOWN: AtomicBool = AtomicBool::new(false);

/// Bytes done out of a total, for one transfer.
#[derive(Debug)]
pub(crate) struct Progress {
    /// What is transferred (a path or URL).
    label: String,
    /// Bytes in all.
    total: u64,
    /// Bytes done.
    done: AtomicU64,
    /// Whether to draw at all.
    enabled: bool,
    /// When the transfer started.
    start: Instant,
    /// When the line was last drawn.
    drawn: Mutex<Option<Instant>>,
}

impl Progress {
    /// A progress line for `total` bytes of `label`, drawn only when `enabled`.
    pub(crate) fn new(label: impl Into<String>, total: u64, enabled: bool) -> Self {
        Self {
            label: label.into(),
            total,
            done: AtomicU64::new(0),
            enabled,
            start: Instant::now(),
            drawn: Mutex::new(None),
        }
    }

    /// Counts `n` more bytes done and redraws if due.
    pub(crate) fn add(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed).saturating_add(n);
        if !self.enabled {
            return;
        }
        let Ok(mut drawn) = self.drawn.lock() else {
            return;
        };
        let now = Instant::now();
        if drawn.is_some_and(|t| now.duration_since(t) < REDRAW) && done < self.total {
            return;
        }
        *drawn = Some(now);
        self.draw(done);
    }

    fn draw(&self, done: u64) {
        let pct = done
            .saturating_mul(100)
            .checked_div(self.total)
            .unwrap_or(100)
            .min(100);
        let secs = self.start.elapsed().as_secs_f64().max(0.001);
        // Display only: the rounding of an f64 is fine here.
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss
        )]
        let rate = (done as f64 / secs) as u64;
        let line = format!(
            "\r\x1b[2K{}  {} / {}  {pct:>3}%  {}/s",
            self.label,
            human_size(done),
            human_size(self.total),
            human_size(rate)
        );
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(line.as_bytes()).and_then(|()| err.flush());
        SHOWN.store(true, Ordering::Relaxed);
    }
}

/// Clears a progress line left on the terminal, if any.
pub(crate) fn clear_line() {
    if SHOWN.swap(false, Ordering::Relaxed) {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(b"\r\x1b[2K").and_then(|()| err.flush());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_without_drawing() {
        let p = Progress::new("x", 10, false);
        p.add(4);
        p.add(6);
        assert_eq!(p.done.load(Ordering::Relaxed), 10);
        assert!(!SHOWN.load(Ordering::Relaxed));
    }
}
