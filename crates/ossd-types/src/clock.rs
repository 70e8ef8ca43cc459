//! The clock. Pure crates take `now` from a [`Clock`] so tests can fix or move time.
//!
//! [`OffsetClock`] is the emulator's clock: the system time moved forward by an adjustable
//! offset, so expiry (STS credentials, signed URLs, POST policies, lifecycle) can be tested
//! without waiting, while [`Clock::real_now`] keeps the wall time for checks against the
//! clients' own clocks (the 15-minute request-time window).

use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// The current (effective) time in UTC: what expiry and timestamps use.
    fn now(&self) -> OffsetDateTime;

    /// The real wall-clock time, for comparisons with the time a client put in its request
    /// (the request-time skew window). Equals [`Clock::now`] unless the clock is offset.
    fn real_now(&self) -> OffsetDateTime {
        self.now()
    }
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one read of the system clock
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock fixed at a Unix time (seconds) that tests may move.
#[derive(Debug, Default)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock standing at `unix` seconds.
    pub fn at(unix: i64) -> Self {
        Self(AtomicI64::new(unix))
    }

    /// Moves the clock to `unix` seconds.
    pub fn set(&self, unix: i64) {
        self.0.store(unix, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.0.load(Ordering::SeqCst))
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
}

/// Largest offset an [`OffsetClock`] accepts: 100 years, far from any overflow.
pub const MAX_CLOCK_OFFSET_SECS: i64 = 100 * 366 * 86_400;

/// An offset outside `0..=MAX_CLOCK_OFFSET_SECS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("clock offset must be between 0 and {MAX_CLOCK_OFFSET_SECS} seconds")]
pub struct OffsetOutOfRange;

/// Another clock (the system clock in the server) moved forward by an offset in seconds that
/// can be changed while running; [`Clock::real_now`] is the inner clock's time.
#[derive(Debug)]
pub struct OffsetClock<C = SystemClock> {
    inner: C,
    offset: AtomicI64,
}

impl OffsetClock<SystemClock> {
    /// The system clock moved forward by `offset_secs`.
    pub fn system(offset_secs: i64) -> Result<Self, OffsetOutOfRange> {
        Self::new(SystemClock, offset_secs)
    }
}

impl<C: Clock> OffsetClock<C> {
    /// `inner` moved forward by `offset_secs`.
    pub fn new(inner: C, offset_secs: i64) -> Result<Self, OffsetOutOfRange> {
        check(offset_secs)?;
        Ok(Self {
            inner,
            offset: AtomicI64::new(offset_secs),
        })
    }

    /// The current offset in seconds.
    pub fn offset(&self) -> i64 {
        self.offset.load(Ordering::SeqCst)
    }

    /// Sets the offset; returns the new one.
    pub fn set_offset(&self, offset_secs: i64) -> Result<i64, OffsetOutOfRange> {
        check(offset_secs)?;
        self.offset.store(offset_secs, Ordering::SeqCst);
        Ok(offset_secs)
    }

    /// Moves the clock forward by `secs` (atomically with concurrent moves); returns the new
    /// offset. Nothing changes when the result would be out of range.
    pub fn advance(&self, secs: i64) -> Result<i64, OffsetOutOfRange> {
        let prev = self
            .offset
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |cur| {
                cur.checked_add(secs).filter(|n| check(*n).is_ok())
            })
            .map_err(|_| OffsetOutOfRange)?;
        Ok(prev + secs)
    }
}

impl<C: Clock> Clock for OffsetClock<C> {
    fn now(&self) -> OffsetDateTime {
        let real = self.inner.now();
        real.checked_add(time::Duration::seconds(self.offset()))
            .unwrap_or(real)
    }

    fn real_now(&self) -> OffsetDateTime {
        self.inner.real_now()
    }
}

fn check(offset_secs: i64) -> Result<(), OffsetOutOfRange> {
    if (0..=MAX_CLOCK_OFFSET_SECS).contains(&offset_secs) {
        Ok(())
    } else {
        Err(OffsetOutOfRange)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn offset_moves_now_but_not_real_now() {
        let clock = OffsetClock::new(FixedClock::at(1_000), 60).unwrap();
        assert_eq!(clock.now().unix_timestamp(), 1_060);
        assert_eq!(clock.real_now().unix_timestamp(), 1_000);
        assert_eq!(clock.advance(3_600).unwrap(), 3_660);
        assert_eq!(clock.now().unix_timestamp(), 4_660);
        assert_eq!(clock.real_now().unix_timestamp(), 1_000);
        assert_eq!(clock.set_offset(0).unwrap(), 0);
        assert_eq!(clock.now().unix_timestamp(), 1_000);
    }

    #[test]
    fn out_of_range_offsets_change_nothing() {
        let clock = OffsetClock::new(FixedClock::at(0), 10).unwrap();
        assert_eq!(clock.advance(-11), Err(OffsetOutOfRange));
        assert_eq!(clock.advance(i64::MAX), Err(OffsetOutOfRange));
        assert_eq!(clock.set_offset(-1), Err(OffsetOutOfRange));
        assert_eq!(
            clock.set_offset(MAX_CLOCK_OFFSET_SECS + 1),
            Err(OffsetOutOfRange)
        );
        assert_eq!(clock.offset(), 10);
        assert!(OffsetClock::system(-5).is_err());
    }

    #[test]
    fn plain_clocks_have_real_now_equal_to_now() {
        let fixed = FixedClock::at(42);
        assert_eq!(fixed.real_now(), fixed.now());
    }
}
