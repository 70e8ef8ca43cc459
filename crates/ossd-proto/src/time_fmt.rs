//! Time formats on the wire: ISO 8601 with milliseconds in XML, RFC 1123 in headers.
//!
//! Times are Unix milliseconds (`i64`). Formatting is total: values outside years 0000–9999 are
//! clamped to that range, so every output has the fixed width the SDK parsers expect.

use std::time::UNIX_EPOCH;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

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
///
/// The civil date comes from the day number by Howard Hinnant's `civil_from_days`
/// (<https://howardhinnant.github.io/date_algorithms.html#civil_from_days>), the 24 characters
/// are laid out in an array and appended at once: a listing writes one date per entry, and the
/// `time` crate's conversion plus one `push` per character cost about four times as much.
pub fn push_iso8601_ms(out: &mut String, unix_ms: i64) {
    let ms = unix_ms.clamp(MIN_UNIX_MS, MAX_UNIX_MS);
    let days = ms.div_euclid(MS_PER_DAY);
    // `rem_euclid` by a day is in 0..86_400_000, so it fits a `u32`.
    let of_day = u32::try_from(ms.rem_euclid(MS_PER_DAY)).unwrap_or(0);
    let (year, month, day) = civil_from_days(days);
    let mut text = *b"0000-00-00T00:00:00.000Z";
    put_digits(&mut text[0..4], year);
    put_digits(&mut text[5..7], month);
    put_digits(&mut text[8..10], day);
    put_digits(&mut text[11..13], of_day / 3_600_000);
    put_digits(&mut text[14..16], of_day / 60_000 % 60);
    put_digits(&mut text[17..19], of_day / 1000 % 60);
    put_digits(&mut text[20..23], of_day % 1000);
    // Only ASCII digits and punctuation were written.
    out.push_str(std::str::from_utf8(&text).unwrap_or_default());
}

/// Writes [`iso8601_ms`]'s text for a run of instants, reusing the text up to the second of the
/// previous one: the entries of a listing page were often written in the same second, and then
/// only the milliseconds differ.
#[derive(Debug, Default)]
pub struct Iso8601Run {
    /// The second (Unix, after clamping) whose text `head` holds.
    second: Option<i64>,
    /// `YYYY-MM-DDThh:mm:ss.` of `second`.
    head: String,
}

impl Iso8601Run {
    /// Appends [`iso8601_ms`]`(unix_ms)` to `out`.
    pub fn push(&mut self, out: &mut String, unix_ms: i64) {
        let ms = unix_ms.clamp(MIN_UNIX_MS, MAX_UNIX_MS);
        let second = ms.div_euclid(1000);
        if self.second != Some(second) {
            self.head.clear();
            push_iso8601_ms(&mut self.head, ms);
            self.head.truncate(ISO8601_HEAD);
            self.second = Some(second);
        }
        out.push_str(&self.head);
        // `rem_euclid(1000)` is in 0..1000, so it fits a `u32` and each digit a `u8`.
        let milli = u32::try_from(ms.rem_euclid(1000)).unwrap_or(0);
        out.push(char::from(b'0' + (milli / 100) as u8));
        out.push(char::from(b'0' + (milli / 10 % 10) as u8));
        out.push(char::from(b'0' + (milli % 10) as u8));
        out.push('Z');
    }
}

/// The length of `YYYY-MM-DDThh:mm:ss.`, the part of [`iso8601_ms`]'s text a second shares.
const ISO8601_HEAD: usize = 20;

/// Milliseconds in a day.
const MS_PER_DAY: i64 = 86_400_000;

/// The proleptic Gregorian `(year, month, day)` of `days` since 1970-01-01, for the days of
/// years 0000–9999 (what [`push_iso8601_ms`] clamps to), by Howard Hinnant's `civil_from_days`.
pub fn civil_from_days(days: i64) -> (u32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let small = |n: i64| u32::try_from(n).unwrap_or(0);
    (small(year), small(month), small(day))
}

/// Writes the low `slot.len()` decimal digits of `n` into `slot`, zero-padded.
fn put_digits(slot: &mut [u8], mut n: u32) {
    for b in slot.iter_mut().rev() {
        // `n % 10` is below 10, so the cast keeps it whole.
        *b = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// Formats as RFC 1123 GMT, e.g. `Wed, 15 Jan 2025 08:30:00 GMT` (`Date`, `Last-Modified`).
/// Laid out in an array as [`push_iso8601_ms`] does (every GET and HEAD writes one).
pub fn rfc1123(unix_ms: i64) -> String {
    const WEEKDAYS: [&[u8; 3]; 7] = [b"Sun", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat"];
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let ms = unix_ms.clamp(MIN_UNIX_MS, MAX_UNIX_MS);
    let days = ms.div_euclid(MS_PER_DAY);
    // `rem_euclid` by a day is in 0..86_400_000, so it fits a `u32`.
    let second = u32::try_from(ms.rem_euclid(MS_PER_DAY) / 1000).unwrap_or(0);
    let (year, month, day) = civil_from_days(days);
    let mut text = *b"Thu, 01 Jan 1970 00:00:00 GMT";
    // 1970-01-01 was a Thursday; both indexes are in range by construction.
    let weekday = usize::try_from((days + 4).rem_euclid(7)).unwrap_or(4);
    text[0..3].copy_from_slice(WEEKDAYS[weekday % 7]);
    put_digits(&mut text[5..7], day);
    let month = usize::try_from(month).unwrap_or(1);
    text[8..11].copy_from_slice(MONTHS[(month + 11) % 12]);
    put_digits(&mut text[12..16], year);
    put_digits(&mut text[17..19], second / 3600);
    put_digits(&mut text[20..22], second / 60 % 60);
    put_digits(&mut text[23..25], second % 60);
    // Only ASCII letters, digits and punctuation were written.
    std::str::from_utf8(&text).unwrap_or_default().to_owned()
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

#[cfg(test)]
mod tests {
    use super::{Iso8601Run, MAX_UNIX_MS, MIN_UNIX_MS, iso8601_ms};
    use time::OffsetDateTime;

    /// The `time` crate's instant for `unix_ms`, clamped as the formatters clamp.
    fn to_datetime(unix_ms: i64) -> OffsetDateTime {
        let ms = unix_ms.clamp(MIN_UNIX_MS, MAX_UNIX_MS);
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// What the `time` crate writes for `unix_ms` (the formatter before the hand-written one).
    fn by_time_crate(unix_ms: i64) -> String {
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
    fn iso8601_matches_the_time_crate() {
        let fixed = [
            i64::MIN,
            MIN_UNIX_MS - 1,
            MIN_UNIX_MS,
            MIN_UNIX_MS + 1,
            -86_400_001,
            -86_400_000,
            -1,
            0,
            1,
            951_782_400_000, // 2000-02-29
            4_107_542_399_999,
            1_736_929_800_123,
            MAX_UNIX_MS,
            MAX_UNIX_MS + 1,
            i64::MAX,
        ];
        let mut run = Iso8601Run::default();
        for ms in fixed {
            assert_eq!(iso8601_ms(ms), by_time_crate(ms), "{ms}");
            for ms in [ms, ms.saturating_add(1), ms.saturating_add(999), ms] {
                let mut out = String::new();
                run.push(&mut out, ms);
                assert_eq!(out, by_time_crate(ms), "run {ms}");
            }
        }
        // Every day of years 0000–9999 at a time of day that moves with the day.
        let mut ms = MIN_UNIX_MS;
        while ms <= MAX_UNIX_MS {
            assert_eq!(iso8601_ms(ms), by_time_crate(ms), "{ms}");
            ms += 86_400_000 + 3_723_457;
        }
    }
}
