//! Accept errors: a growing pause after each failure that is not about one connection
//! (`EMFILE`, `ENFILE`, `ENOBUFS`, …) and log lines at most once per interval
//! (docs/limits.md, "Connections").

use std::io;
use std::time::{Duration, Instant};

/// First pause after a failed accept.
pub(super) const ACCEPT_BACKOFF_MIN: Duration = Duration::from_millis(5);
/// Longest pause between accept attempts while they keep failing.
pub(super) const ACCEPT_BACKOFF_MAX: Duration = Duration::from_secs(1);
/// Repeated accept failures (and connection-cap refusals) are logged at most once per interval.
pub(super) const LOG_INTERVAL: Duration = Duration::from_secs(10);

/// Whether an accept error concerns only the one connection being accepted (the peer reset or
/// gave up before it was accepted): the next accept can be tried at once.
pub(super) fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// The pause before the next accept: doubles from [`ACCEPT_BACKOFF_MIN`] up to
/// [`ACCEPT_BACKOFF_MAX`] while accepts fail, back to the minimum after one succeeds.
#[derive(Debug)]
pub(super) struct Backoff {
    next: Duration,
    failures: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            next: ACCEPT_BACKOFF_MIN,
            failures: 0,
        }
    }
}

impl Backoff {
    /// An accept failed: how long to pause before the next attempt.
    pub(super) fn failed(&mut self) -> Duration {
        let pause = self.next;
        self.next = (self.next * 2).min(ACCEPT_BACKOFF_MAX);
        self.failures += 1;
        pause
    }

    /// An accept succeeded: returns the number of failures since the last success.
    pub(super) fn succeeded(&mut self) -> u64 {
        self.next = ACCEPT_BACKOFF_MIN;
        std::mem::take(&mut self.failures)
    }
}

/// Lets one log line through per interval and counts the ones held back.
#[derive(Debug)]
pub(super) struct LogLimiter {
    interval: Duration,
    last: Option<Instant>,
    suppressed: u64,
}

impl LogLimiter {
    /// At most one line per `interval`.
    pub(super) fn new(interval: Duration) -> Self {
        Self {
            interval,
            last: None,
            suppressed: 0,
        }
    }

    /// An event at `now`: `Some(n)` when it should be logged (`n` events were held back since the
    /// last line), `None` when it is held back.
    pub(super) fn hit(&mut self, now: Instant) -> Option<u64> {
        match self.last {
            Some(t) if now.saturating_duration_since(t) < self.interval => {
                self.suppressed += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.suppressed))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_and_resets_on_success() {
        let mut b = Backoff::default();
        let pauses: Vec<Duration> = (0..12).map(|_| b.failed()).collect();
        assert_eq!(pauses[0], ACCEPT_BACKOFF_MIN);
        assert_eq!(pauses[1], ACCEPT_BACKOFF_MIN * 2);
        assert!(pauses.windows(2).all(|w| w[0] <= w[1]), "{pauses:?}");
        assert_eq!(
            *pauses.last().unwrap_or(&Duration::ZERO),
            ACCEPT_BACKOFF_MAX
        );
        assert!(pauses.iter().all(|p| *p <= ACCEPT_BACKOFF_MAX));
        assert_eq!(b.succeeded(), 12);
        assert_eq!(b.failed(), ACCEPT_BACKOFF_MIN);
        assert_eq!(b.succeeded(), 1);
        assert_eq!(b.succeeded(), 0);
    }

    #[test]
    fn a_storm_of_failures_logs_once_per_interval_with_counts() {
        let mut log = LogLimiter::new(LOG_INTERVAL);
        let start = Instant::now();
        // 10,000 failures spread over 25 s: lines at 0 s, 10 s and 20 s only.
        let mut lines = Vec::new();
        for i in 0..10_000u64 {
            let now = start + Duration::from_micros(i * 2_500);
            if let Some(held) = log.hit(now) {
                lines.push((now - start, held));
            }
        }
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0].1, 0);
        assert_eq!(lines[0].0, Duration::ZERO);
        assert!(lines[1].1 > 3_000 && lines[1].1 < 4_100, "{lines:?}");
        let total: u64 = lines.iter().map(|(_, n)| n + 1).sum();
        // every event is either a line or counted in the next line, except those after the last
        assert!(total <= 10_000 && total > 8_000, "{total}");
    }

    #[test]
    fn out_of_files_is_not_a_connection_error() {
        assert!(!is_connection_error(&io::Error::from_raw_os_error(24))); // EMFILE
        assert!(!is_connection_error(&io::Error::from_raw_os_error(23))); // ENFILE
        assert!(is_connection_error(&io::Error::from(
            io::ErrorKind::ConnectionAborted
        )));
    }
}
