//! RPC timestamps (docs/protocol/rpc.md#v1-common-parameters, #acs3-headers):
//! `YYYY-MM-DDThh:mm:ss[.fff]Z` in UTC, and the 15-minute window.

use time::{Date, Month, OffsetDateTime, UtcOffset};

use super::error::RpcSigError;
use crate::window::MAX_SKEW_SECS;

/// Recommended nonce retention for the caller's replay cache: twice the window
/// (docs/protocol/rpc.md#v1-authentication-order step 7).
pub const NONCE_RETENTION_SECS: u64 = 2 * MAX_SKEW_SECS;

/// Parses `YYYY-MM-DDThh:mm:ssZ`, optionally with 1 to 9 fractional digits before the `Z`.
pub fn parse_rpc_timestamp(s: &str) -> Option<OffsetDateTime> {
    let body = s.strip_suffix('Z')?;
    let (main, nanos) = match body.split_once('.') {
        Some((main, frac)) => (main, fraction_nanos(frac)?),
        None => (body, 0),
    };
    let b = main.as_bytes();
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if b.len() != 19 || separators.iter().any(|&(i, c)| b[i] != c) {
        return None;
    }
    let field = |r| digits(main, r).and_then(|n| u8::try_from(n).ok());
    let year = i32::try_from(digits(main, 0..4)?).ok()?;
    let date = Date::from_calendar_date(year, Month::try_from(field(5..7)?).ok()?, field(8..10)?);
    let time = date
        .ok()?
        .with_hms_nano(field(11..13)?, field(14..16)?, field(17..19)?, nanos)
        .ok()?;
    Some(time.assume_utc())
}

/// Formats a time as `YYYY-MM-DDThh:mm:ssZ` (UTC, whole seconds), as the SDKs send it.
pub fn format_rpc_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `InvalidTimeStamp.Expired` when `ts` is more than 15 minutes away from `now` (either way).
pub(crate) fn check_window(ts: OffsetDateTime, now: OffsetDateTime) -> Result<(), RpcSigError> {
    if ts.unix_timestamp().abs_diff(now.unix_timestamp()) > MAX_SKEW_SECS {
        return Err(RpcSigError::TimestampExpired);
    }
    Ok(())
}

/// The ASCII-decimal number in `s[range]`, or `None` if any byte is not a digit.
fn digits(s: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let d = s.get(range)?;
    d.bytes().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Nanoseconds of a fraction of 1 to 9 digits (`"5"` → 500 000 000).
fn fraction_nanos(frac: &str) -> Option<u32> {
    if frac.is_empty() || frac.len() > 9 {
        return None;
    }
    let value = digits(frac, 0..frac.len())?;
    let scale = 10u32.checked_pow(u32::try_from(9 - frac.len()).ok()?)?;
    value.checked_mul(scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_704_067_200; // 2024-01-01T00:00:00Z

    fn unix(s: &str) -> Option<i64> {
        parse_rpc_timestamp(s).map(OffsetDateTime::unix_timestamp)
    }

    #[test]
    fn formats() {
        assert_eq!(unix("2024-01-01T00:00:00Z"), Some(T));
        assert_eq!(unix("2024-01-01T00:00:00.000Z"), Some(T));
        assert_eq!(unix("2015-08-18T03:15:45Z"), Some(1_439_867_745));
        let ms = parse_rpc_timestamp("2024-01-01T00:00:00.5Z").map(|t| t.nanosecond());
        assert_eq!(ms, Some(500_000_000));
        for bad in [
            "",
            "2024-01-01T00:00:00",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00+08:00",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00.1234567890Z",
            "2024-13-01T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "+024-01-01T00:00:00Z",
            "2024-01-01T00:00:00z",
            "２024-01-01T00:00:00Z",
            "1704067200",
        ] {
            assert!(parse_rpc_timestamp(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn format_round_trip() {
        let t = OffsetDateTime::from_unix_timestamp(T).map(format_rpc_timestamp);
        assert_eq!(t.as_deref(), Ok("2024-01-01T00:00:00Z"));
    }

    #[test]
    fn window_is_inclusive() {
        let at =
            |s: i64| OffsetDateTime::from_unix_timestamp(s).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        assert!(check_window(at(T), at(T + 900)).is_ok());
        assert!(check_window(at(T), at(T - 900)).is_ok());
        assert_eq!(
            check_window(at(T), at(T + 901)),
            Err(RpcSigError::TimestampExpired)
        );
        assert_eq!(
            check_window(at(T), at(T - 901)),
            Err(RpcSigError::TimestampExpired)
        );
    }
}
