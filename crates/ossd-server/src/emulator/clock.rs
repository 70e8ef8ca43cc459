//! `POST /-/admin/clock`: moves the emulator's clock. Query parameters (one at most):
//! `advance=<duration>` moves it forward, `offset=<duration>` sets the offset from the real
//! time (0 puts it back); none just reports. Durations are seconds (`3600`) or humantime
//! (`1h`, `90m`, `2h 30m`).

use ossd_types::{Clock, OffsetClock};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

/// A change requested of the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockRequest {
    /// Only report.
    Show,
    /// Move forward by this many seconds.
    Advance(i64),
    /// Set the offset to this many seconds.
    Offset(i64),
}

/// Why a clock request is refused (400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ClockError(pub String);

/// Seconds of `s`: a whole number of seconds, or a humantime duration (`1h`, `15m 30s`).
pub fn parse_duration_secs(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    humantime::parse_duration(s)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
}

impl ClockRequest {
    /// The request named by the query's `advance` / `offset` values.
    pub fn from_query(advance: Option<&str>, offset: Option<&str>) -> Result<Self, ClockError> {
        let parse = |name: &str, v: &str| {
            parse_duration_secs(v).ok_or_else(|| {
                ClockError(format!(
                    "{name} must be a duration: seconds (3600) or e.g. 1h, 90m, 2h 30m"
                ))
            })
        };
        match (advance, offset) {
            (Some(_), Some(_)) => Err(ClockError(
                "give either advance or offset, not both".to_owned(),
            )),
            (Some(a), None) => parse("advance", a).map(Self::Advance),
            (None, Some(o)) => parse("offset", o).map(Self::Offset),
            (None, None) => Ok(Self::Show),
        }
    }

    /// Applies the request and reports the clock: `offset_seconds`, `now` (effective) and
    /// `real_now`, RFC 3339.
    pub fn apply<C: Clock>(self, clock: &OffsetClock<C>) -> Result<Value, ClockError> {
        let range = |_| {
            ClockError(format!(
                "the offset must stay between 0 and {} seconds",
                ossd_types::MAX_CLOCK_OFFSET_SECS
            ))
        };
        match self {
            Self::Show => {}
            Self::Advance(secs) => {
                clock.advance(secs).map_err(range)?;
            }
            Self::Offset(secs) => {
                clock.set_offset(secs).map_err(range)?;
            }
        }
        let fmt = |t: time::OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
        Ok(json!({
            "offset_seconds": clock.offset(),
            "now": fmt(clock.now()),
            "real_now": fmt(clock.real_now()),
        }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ossd_types::FixedClock;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_secs("3600"), Some(3600));
        assert_eq!(parse_duration_secs("1h"), Some(3600));
        assert_eq!(parse_duration_secs("2h 30m"), Some(9000));
        assert_eq!(parse_duration_secs("-5"), None);
        assert_eq!(parse_duration_secs("soon"), None);
        assert_eq!(parse_duration_secs(""), None);
    }

    #[test]
    fn requests_move_the_clock() {
        let clock = OffsetClock::new(FixedClock::at(0), 0).unwrap();
        let r = ClockRequest::from_query(Some("1h"), None).unwrap();
        assert_eq!(r, ClockRequest::Advance(3600));
        let v = r.apply(&clock).unwrap();
        assert_eq!(v["offset_seconds"], 3600);
        assert_eq!(v["now"], "1970-01-01T01:00:00Z");
        assert_eq!(v["real_now"], "1970-01-01T00:00:00Z");
        ClockRequest::from_query(None, Some("0"))
            .unwrap()
            .apply(&clock)
            .unwrap();
        assert_eq!(clock.offset(), 0);
        assert!(ClockRequest::from_query(Some("1"), Some("2")).is_err());
        assert!(ClockRequest::from_query(Some("x"), None).is_err());
        assert_eq!(
            ClockRequest::from_query(None, None).unwrap(),
            ClockRequest::Show
        );
    }
}
