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
pub fn push_iso8601_ms(out: &mut String, unix_ms: i64) {
    let t = to_datetime(unix_ms);
    // `to_datetime` clamps to years 0000–9999, so four digits always suffice.
    push_digits(out, u32::try_from(t.year()).unwrap_or(0), 4);
    out.push('-');
    push_digits(out, u32::from(u8::from(t.month())), 2);
    out.push('-');
    push_digits(out, u32::from(t.day()), 2);
    out.push('T');
    push_digits(out, u32::from(t.hour()), 2);
    out.push(':');
    push_digits(out, u32::from(t.minute()), 2);
    out.push(':');
    push_digits(out, u32::from(t.second()), 2);
    out.push('.');
    push_digits(out, u32::from(t.millisecond()), 3);
    out.push('Z');
}

/// Appends the low `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Formats as RFC 1123 GMT, e.g. `Wed, 15 Jan 2025 08:30:00 GMT` (`Date`, `Last-Modified`).
/// Written piece by piece rather than through `format!` (every GET and HEAD writes one).
pub fn rfc1123(unix_ms: i64) -> String {
    let t = to_datetime(unix_ms);
    let mut out = String::with_capacity(29);
    out.push_str(weekday_abbr(t.weekday()));
    out.push_str(", ");
    push_digits(&mut out, u32::from(t.day()), 2);
    out.push(' ');
    out.push_str(month_abbr(t.month()));
    out.push(' ');
    // `to_datetime` clamps to years 0000–9999, so four digits always suffice.
    push_digits(&mut out, u32::try_from(t.year()).unwrap_or(0), 4);
    out.push(' ');
    push_digits(&mut out, u32::from(t.hour()), 2);
    out.push(':');
    push_digits(&mut out, u32::from(t.minute()), 2);
    out.push(':');
    push_digits(&mut out, u32::from(t.second()), 2);
    out.push_str(" GMT");
    out
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
