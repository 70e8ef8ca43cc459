//! Time formats on the wire: ISO 8601 with milliseconds in XML, RFC 1123 in headers.
//!
//! Times are Unix milliseconds (`i64`). Formatting is total: values outside years 0000–9999 are
//! clamped to that range, so every output has the fixed width the SDK parsers expect.

use std::time::UNIX_EPOCH;
use time::format_description::well_known::Rfc3339;
use time::{Month, OffsetDateTime, Weekday};

/// The earliest formattable instant, `0000-01-01T00:00:00.000Z`, in Unix milliseconds.
pub const MIN_UNIX_MS: i64 = -62_167_219_200_000;
/// The latest formattable instant, `9999-12-31T23:59:59.999Z`, in Unix milliseconds.
pub const MAX_UNIX_MS: i64 = 253_402_300_799_999;

/// Formats as ISO 8601 UTC with milliseconds, e.g. `2025-01-15T08:30:00.000Z` (XML elements).
/// Written digit by digit rather than through `format!`: listings write one per entry.
pub fn iso8601_ms(unix_ms: i64) -> String {
    let mut out = String::with_capacity(24);
    push_iso8601_ms(&mut out, unix_ms);
    out
}

/// Appends [`iso8601_ms`]'s text to `out` (a listing writes it straight into its document).
/// The calendar date comes from the day number by Howard Hinnant's `civil_from_days`
/// (<https://howardhinnant.github.io/date_algorithms.html#civil_from_days>), the proleptic
/// Gregorian calendar `time` uses too, and the 24 bytes are written at once.
pub fn push_iso8601_ms(out: &mut String, unix_ms: i64) {
    let ms = unix_ms.clamp(MIN_UNIX_MS, MAX_UNIX_MS);
    let (days, ms_of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Days since 0000-03-01, in 400-year eras (non-negative: the clamp starts at year 0).
    let z = days + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let mut b = *b"0000-00-00T00:00:00.000Z";
    put_digits(&mut b[0..4], year);
    put_digits(&mut b[5..7], month);
    put_digits(&mut b[8..10], day);
    put_digits(&mut b[11..13], ms_of_day / 3_600_000);
    put_digits(&mut b[14..16], ms_of_day / 60_000 % 60);
    put_digits(&mut b[17..19], ms_of_day / 1000 % 60);
    put_digits(&mut b[20..23], ms_of_day % 1000);
    // Only ASCII digits replaced ASCII digits.
    out.push_str(std::str::from_utf8(&b).unwrap_or_default());
}

/// Writes the low `out.len()` decimal digits of `n` (non-negative) into `out`, zero-padded.
fn put_digits(out: &mut [u8], mut n: i64) {
    for d in out.iter_mut().rev() {
        // `rem_euclid(10)` is 0..=9, so the cast keeps it whole.
        *d = b'0' + n.rem_euclid(10) as u8;
        n /= 10;
    }
}

/// Formats as RFC 1123 GMT, e.g. `Wed, 15 Jan 2025 08:30:00 GMT` (`Date`, `Last-Modified`).
pub fn rfc1123(unix_ms: i64) -> String {
    let t = to_datetime(unix_ms);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        weekday_abbr(t.weekday()),
        t.day(),
        month_abbr(t.month()),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses an HTTP date (RFC 1123, RFC 850 or asctime) into Unix milliseconds; `None` if invalid.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let t = httpdate::parse_http_date(s.trim()).ok()?;
    let d = t.duration_since(UNIX_EPOCH).ok()?;
    i64::try_from(d.as_millis()).ok()
}

/// Parses ISO 8601 / RFC 3339 (`2025-01-15T08:30:00Z`, with or without fraction) into Unix ms.
pub fn parse_iso8601(s: &str) -> Option<i64> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok().map(unix_ms)
}

/// Unix milliseconds of `t` (sub-millisecond digits are dropped).
pub fn unix_ms(t: OffsetDateTime) -> i64 {
    t.unix_timestamp() * 1000 + i64::from(t.millisecond())
}

fn to_datetime(unix_ms: i64) -> OffsetDateTime {
    let ms = unix_ms.clamp(MIN_UNIX_MS, MAX_UNIX_MS);
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn weekday_abbr(d: Weekday) -> &'static str {
    match d {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

fn month_abbr(m: Month) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    NAMES[usize::from(u8::from(m) - 1) % 12]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the `time` crate writes for `unix_ms` (clamped as [`iso8601_ms`] clamps).
    fn by_time(unix_ms: i64) -> String {
        let t = to_datetime(unix_ms);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        )
    }

    #[test]
    fn iso8601_edges() {
        for ms in [
            i64::MIN,
            MIN_UNIX_MS - 1,
            MIN_UNIX_MS,
            -1,
            0,
            951_782_400_000, // 2000-02-29
            1_700_000_000_123,
            MAX_UNIX_MS,
            MAX_UNIX_MS + 1,
            i64::MAX,
        ] {
            assert_eq!(iso8601_ms(ms), by_time(ms), "{ms}");
        }
        assert_eq!(iso8601_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601_ms(i64::MIN), "0000-01-01T00:00:00.000Z");
        assert_eq!(iso8601_ms(i64::MAX), "9999-12-31T23:59:59.999Z");
    }

    proptest! {
        #[test]
        fn iso8601_is_what_time_writes(ms in MIN_UNIX_MS..=MAX_UNIX_MS) {
            prop_assert_eq!(iso8601_ms(ms), by_time(ms));
        }
    }
}
