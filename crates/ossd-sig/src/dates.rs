//! The two date formats of OSS signatures: RFC 1123 GMT (V1/V2) and `YYYYMMDDTHHMMSSZ` (V4).

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// `Wed, 15 Jan 2025 08:30:00 GMT`.
const RFC1123: &[BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// Parses an RFC 1123 GMT date such as `Wed, 15 Jan 2025 08:30:00 GMT`.
pub fn parse_rfc1123(s: &str) -> Option<OffsetDateTime> {
    PrimitiveDateTime::parse(s.trim(), RFC1123)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// `Wed, 15 Jan 2025 08:30:00 +0000`: RFC 1123 with a numeric zone (RFC 2822's form, which
/// Python's `email.utils.formatdate` writes as `-0000`).
const RFC1123_NUMERIC_ZONE: &[BorrowedFormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] [offset_hour sign:mandatory][offset_minute]"
);

/// Parses the `Date` (or V2 `x-amz-date`) of an AWS-signed request: RFC 1123 with `GMT`, or
/// with a numeric zone (`+0000`, `-0000`, `+0800`), the HTTP-date forms S3 accepts
/// (docs/protocol/s3-signatures.md#time-checks). The OSS signatures keep [`parse_rfc1123`].
pub fn parse_aws_http_date(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    parse_rfc1123(s).or_else(|| OffsetDateTime::parse(s, RFC1123_NUMERIC_ZONE).ok())
}

/// Formats a time as RFC 1123 GMT (`Wed, 15 Jan 2025 08:30:00 GMT`).
pub fn format_rfc1123(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(RFC1123)
        .unwrap_or_default()
}

/// Parses a V4 timestamp `YYYYMMDDTHHMMSSZ` (UTC).
pub fn parse_iso8601_basic(s: &str) -> Option<OffsetDateTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u8> {
        let digits = s.get(from..to)?;
        digits.bytes().try_fold(0u8, |acc, c| {
            c.is_ascii_digit()
                .then(|| acc.wrapping_mul(10).wrapping_add(c - b'0'))
        })
    };
    let century = i32::from(num(0, 2)?);
    let year = century * 100 + i32::from(num(2, 4)?);
    let month = Month::try_from(num(4, 6)?).ok()?;
    let date = Date::from_calendar_date(year, month, num(6, 8)?).ok()?;
    let time = date
        .with_hms(num(9, 11)?, num(11, 13)?, num(13, 15)?)
        .ok()?;
    Some(time.assume_utc())
}

/// Formats a time as a V4 timestamp `YYYYMMDDTHHMMSSZ`.
pub fn format_iso8601_basic(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const T: i64 = 1_736_929_800; // 2025-01-15 08:30:00 UTC

    #[test]
    fn rfc1123_round_trip() {
        let t = parse_rfc1123("Wed, 15 Jan 2025 08:30:00 GMT").map(|t| t.unix_timestamp());
        assert_eq!(t, Some(T));
        let at = OffsetDateTime::from_unix_timestamp(T).unwrap();
        assert_eq!(format_rfc1123(at), "Wed, 15 Jan 2025 08:30:00 GMT");
        assert!(parse_rfc1123("Wed, 15 Jan 2025 08:30:00 +0000").is_none());
        assert!(parse_rfc1123("20250115T083000Z").is_none());
        assert!(parse_rfc1123("").is_none());
    }

    #[test]
    fn aws_http_date_takes_numeric_zones() {
        for ok in [
            "Wed, 15 Jan 2025 08:30:00 GMT",
            "Wed, 15 Jan 2025 08:30:00 +0000",
            "Wed, 15 Jan 2025 08:30:00 -0000",
            "Wed, 15 Jan 2025 16:30:00 +0800",
        ] {
            let t = parse_aws_http_date(ok).map(|t| t.unix_timestamp());
            assert_eq!(t, Some(T), "{ok}");
        }
        for bad in ["", "Bad Date", "Wed, 15 Jan 2025 08:30:00"] {
            assert!(parse_aws_http_date(bad).is_none(), "{bad}");
        }
        // The OSS parser is unchanged: GMT only.
        assert!(parse_rfc1123("Wed, 15 Jan 2025 08:30:00 -0000").is_none());
    }

    #[test]
    fn iso_basic_round_trip() {
        let t = parse_iso8601_basic("20250115T083000Z").map(|t| t.unix_timestamp());
        assert_eq!(t, Some(T));
        let at = OffsetDateTime::from_unix_timestamp(T).unwrap();
        assert_eq!(format_iso8601_basic(at), "20250115T083000Z");
        for bad in [
            "",
            "20250115T083000",
            "2025011aT083000Z",
            "20251315T083000Z",
            "20250115T246000Z",
        ] {
            assert!(parse_iso8601_basic(bad).is_none(), "{bad}");
        }
        assert!(parse_iso8601_basic("2025０115T083000Z").is_none());
    }
}
