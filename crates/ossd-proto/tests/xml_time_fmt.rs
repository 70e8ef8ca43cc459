//! Time formats: ISO 8601 with milliseconds, RFC 1123, and HTTP-date parsing.

use ossd_proto::time_fmt::{
    MAX_UNIX_MS, MIN_UNIX_MS, iso8601_ms, parse_http_date, parse_iso8601, rfc1123, unix_ms,
};

const JAN_15_2025: i64 = 1_736_929_800_000;

#[test]
fn iso8601_has_milliseconds_and_z() {
    assert_eq!(iso8601_ms(JAN_15_2025), "2025-01-15T08:30:00.000Z");
    assert_eq!(iso8601_ms(JAN_15_2025 + 7), "2025-01-15T08:30:00.007Z");
    assert_eq!(iso8601_ms(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso8601_ms(-1), "1969-12-31T23:59:59.999Z");
}

#[test]
fn rfc1123_matches_http_date() {
    assert_eq!(rfc1123(JAN_15_2025), "Wed, 15 Jan 2025 08:30:00 GMT");
    assert_eq!(rfc1123(JAN_15_2025 + 999), "Wed, 15 Jan 2025 08:30:00 GMT");
    assert_eq!(rfc1123(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(rfc1123(1_330_072_952_000), "Fri, 24 Feb 2012 08:42:32 GMT");
}

#[test]
fn out_of_range_times_are_clamped() {
    assert_eq!(iso8601_ms(i64::MAX), "9999-12-31T23:59:59.999Z");
    assert_eq!(iso8601_ms(i64::MIN), "0000-01-01T00:00:00.000Z");
    assert_eq!(iso8601_ms(MAX_UNIX_MS), "9999-12-31T23:59:59.999Z");
    assert_eq!(iso8601_ms(MIN_UNIX_MS), "0000-01-01T00:00:00.000Z");
    assert_eq!(rfc1123(i64::MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
}

#[test]
fn parses_the_three_http_date_forms() {
    let ms = Some(JAN_15_2025);
    assert_eq!(parse_http_date("Wed, 15 Jan 2025 08:30:00 GMT"), ms);
    assert_eq!(parse_http_date("  Wed, 15 Jan 2025 08:30:00 GMT "), ms);
    assert_eq!(parse_http_date("Wednesday, 15-Jan-25 08:30:00 GMT"), ms);
    assert_eq!(parse_http_date("Wed Jan 15 08:30:00 2025"), ms);
}

#[test]
fn rejects_bad_http_dates() {
    for bad in [
        "",
        "yesterday",
        "2025-01-15T08:30:00Z",
        "Wed, 15 Jan 2025 08:30:00 PST",
        "Wed, 32 Jan 2025 08:30:00 GMT",
        "Wed, 15 Jan 2025 25:30:00 GMT",
    ] {
        assert_eq!(parse_http_date(bad), None, "{bad}");
    }
}

#[test]
fn round_trips_through_rfc1123() {
    for ms in [0, JAN_15_2025, 4_102_444_800_000] {
        assert_eq!(parse_http_date(&rfc1123(ms)), Some(ms));
    }
}

#[test]
fn parses_iso8601_with_and_without_fraction() {
    assert_eq!(parse_iso8601("2025-01-15T08:30:00.000Z"), Some(JAN_15_2025));
    assert_eq!(parse_iso8601("2025-01-15T08:30:00Z"), Some(JAN_15_2025));
    assert_eq!(
        parse_iso8601("2025-01-15T08:30:00.250Z"),
        Some(JAN_15_2025 + 250)
    );
    assert_eq!(
        parse_iso8601("2025-01-15T16:30:00+08:00"),
        Some(JAN_15_2025)
    );
    assert_eq!(parse_iso8601("2025-01-15"), None);
    assert_eq!(
        parse_iso8601(&iso8601_ms(JAN_15_2025 + 1)),
        Some(JAN_15_2025 + 1)
    );
}

#[test]
fn unix_ms_floors_sub_milliseconds() {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(1_500_999)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    assert_eq!(unix_ms(t), 1);
    let before = time::OffsetDateTime::from_unix_timestamp_nanos(-1)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    assert_eq!(unix_ms(before), -1);
}

#[test]
fn rfc1123_agrees_with_httpdate() {
    // Every weekday and month, leap days, and the years up to 9999 that `httpdate` formats.
    let mut secs: u64 = 0;
    while secs < 253_402_300_799 {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        let ms = i64::try_from(secs).expect("in range") * 1000 + 123;
        assert_eq!(rfc1123(ms), httpdate::fmt_http_date(at), "{secs}");
        secs += 86_400 * 17 + 3_661;
    }
    assert_eq!(rfc1123(MIN_UNIX_MS), "Sat, 01 Jan 0000 00:00:00 GMT");
}
