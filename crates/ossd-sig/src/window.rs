//! Time checks (docs/protocol/signatures.md#time-checks, docs/protocol/s3-signatures.md#time-checks):
//! the 15-minute skew window for header auth, URL expiry, and the V4 scope date.

use time::OffsetDateTime;

use crate::dates::{format_iso8601_basic, parse_aws_http_date, parse_iso8601_basic, parse_rfc1123};
use crate::error::SigError;
use crate::scope::Scope;
use crate::verify::VerifyTime;
use crate::view::SigningView;

/// The allowed distance between the request time and server time for header auth (15 minutes).
pub const MAX_SKEW_SECS: u64 = 900;

/// A non-empty, trimmed header value, or `MissingDate`.
pub(crate) fn date_header<'a>(view: &SigningView<'a>, name: &str) -> Result<&'a str, SigError> {
    let value = view.header(name).map(str::trim).filter(|d| !d.is_empty());
    value.ok_or(SigError::MissingDate)
}

/// An RFC 1123 date within the skew window of `now`.
pub(crate) fn check_rfc1123(raw: &str, now: i64) -> Result<(), SigError> {
    let date = parse_rfc1123(raw).ok_or(SigError::MissingDate)?;
    check_skew(raw, date.unix_timestamp(), now)
}

/// A V4 `x-oss-date` that matches the scope date and lies within the skew window of `now`.
pub(crate) fn check_v4_header_date(raw: &str, scope: &Scope, now: i64) -> Result<(), SigError> {
    let date = parse_iso8601_basic(raw).ok_or(SigError::MissingDate)?;
    check_scope_date(scope, raw, "x-oss-date")?;
    check_skew(raw, date.unix_timestamp(), now)
}

/// AWS V4 header auth: the request time is `x-amz-date` (ISO 8601 basic) or, without it, `Date`
/// (an HTTP date, [`parse_aws_http_date`]); it must match the scope date and lie within the skew
/// window of `now`. Returns the time in ISO 8601 basic form, as the string to sign carries it.
pub(crate) fn check_aws_v4_header_date(
    view: &SigningView,
    scope: &Scope,
    now: i64,
) -> Result<String, SigError> {
    let (raw, date) = match date_header(view, "x-amz-date") {
        Ok(raw) => (raw, parse_iso8601_basic(raw)),
        Err(_) => {
            let raw = date_header(view, "date")?;
            (raw, parse_aws_http_date(raw))
        }
    };
    let date = aws_request_date(date)?;
    let iso = format_iso8601_basic(date);
    check_scope_date(scope, &iso, "x-amz-date")?;
    check_skew(raw, date.unix_timestamp(), now)?;
    Ok(iso)
}

/// AWS V2 header auth: the request time is `x-amz-date` or, without it, `Date` (an HTTP date,
/// [`parse_aws_http_date`]; an ISO 8601 basic `x-amz-date` is accepted too), within the skew
/// window of `now`. An `x-amz-date` header that is sent replaces `Date` even when empty, as it
/// does in the string to sign ([`crate::aws_v2_header_date`]): an empty one is no valid date.
pub(crate) fn check_aws_v2_header_date(view: &SigningView, now: i64) -> Result<(), SigError> {
    let raw = match view.header("x-amz-date") {
        Some(raw) => raw.trim(),
        None => date_header(view, "date")?,
    };
    let date = parse_aws_http_date(raw).or_else(|| parse_iso8601_basic(raw));
    let date = aws_request_date(date)?;
    check_skew(raw, date.unix_timestamp(), now)
}

/// The request time of AWS header auth: a date before 1970 is no valid date (403
/// `AccessDenied`, not `RequestTimeTooSkewed`), as S3 answers (ceph/s3-tests'
/// `test_object_create_bad_date_before_epoch_aws2`, which runs against AWS).
fn aws_request_date(date: Option<OffsetDateTime>) -> Result<OffsetDateTime, SigError> {
    date.filter(|d| d.unix_timestamp() >= 0)
        .ok_or(SigError::MissingDate)
}

/// A V4 URL: scope date, not signed more than 15 minutes ahead of the real time, not expired
/// at the effective time.
pub(crate) fn check_v4_url(
    raw: &str,
    scope: &Scope,
    date: i64,
    expires: i64,
    time: VerifyTime,
) -> Result<(), SigError> {
    check_url_window(raw, scope, date, expires, time, "x-oss-date")
}

/// An AWS V4 URL: as [`check_v4_url`], with the date in `X-Amz-Date`.
pub(crate) fn check_aws_v4_url(
    raw: &str,
    scope: &Scope,
    date: i64,
    expires: i64,
    time: VerifyTime,
) -> Result<(), SigError> {
    check_url_window(raw, scope, date, expires, time, "X-Amz-Date")
}

/// Scope date, signing time at most 15 minutes ahead of the real time, expiry at the effective
/// time; `date_name` names the date parameter in the error message.
fn check_url_window(
    raw: &str,
    scope: &Scope,
    date: i64,
    expires: i64,
    time: VerifyTime,
    date_name: &str,
) -> Result<(), SigError> {
    check_scope_date(scope, raw, date_name)?;
    if date.saturating_sub(time.real.unix_timestamp()) > MAX_SKEW_SECS as i64 {
        return Err(SigError::Skewed {
            request_time: raw.to_owned(),
        });
    }
    check_not_expired(
        date.saturating_add(expires),
        time.effective.unix_timestamp(),
    )
}

/// `Expired` when `now` is past `expires_at`.
pub(crate) fn check_not_expired(expires_at: i64, now: i64) -> Result<(), SigError> {
    if now > expires_at {
        Err(SigError::Expired)
    } else {
        Ok(())
    }
}

/// `RequestTimeTooSkewed` when `date` is more than 15 minutes from `now`.
fn check_skew(raw: &str, date: i64, now: i64) -> Result<(), SigError> {
    if date.abs_diff(now) > MAX_SKEW_SECS {
        return Err(SigError::Skewed {
            request_time: raw.to_owned(),
        });
    }
    Ok(())
}

/// The scope date must equal the first 8 characters of the request date `date_name`.
fn check_scope_date(scope: &Scope, date: &str, date_name: &str) -> Result<(), SigError> {
    if date.get(..8) == Some(scope.date.as_str()) {
        return Ok(());
    }
    let msg = format!("Invalid credential date: it does not match {date_name}.");
    Err(SigError::Malformed(msg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_boundaries() {
        assert!(check_skew("d", 1000, 1900).is_ok());
        assert!(check_skew("d", 1000, 1901).is_err());
        assert!(check_skew("d", 1901, 1000).is_err());
        assert!(check_skew("d", i64::MIN, i64::MAX).is_err());
    }

    fn times(effective: i64, real: i64) -> VerifyTime {
        let at = |t| {
            time::OffsetDateTime::from_unix_timestamp(t).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        };
        VerifyTime {
            effective: at(effective),
            real: at(real),
        }
    }

    #[test]
    fn v4_url_expires_at_effective_time_and_skews_against_real_time() {
        let scope = Scope {
            date: "19700101".to_owned(),
            region: "cn-hangzhou".to_owned(),
            product: "oss".to_owned(),
        };
        let raw = "19700101T000000Z";
        // Signed at 1000 for 60 s: valid while the effective time is at most 1060.
        assert!(check_v4_url(raw, &scope, 1000, 60, times(1060, 1000)).is_ok());
        assert_eq!(
            check_v4_url(raw, &scope, 1000, 60, times(1061, 1000)),
            Err(SigError::Expired)
        );
        // An effective time far ahead does not make a freshly signed URL "from the future"
        // invalid, and a real time far behind the signing time does.
        assert!(check_v4_url(raw, &scope, 1000, 10_000, times(5000, 1000)).is_ok());
        assert!(matches!(
            check_v4_url(raw, &scope, 1000, 10_000, times(5000, 99)),
            Err(SigError::Skewed { .. })
        ));
    }

    #[test]
    fn expiry_boundaries() {
        assert!(check_not_expired(10, 10).is_ok());
        assert_eq!(check_not_expired(10, 11), Err(SigError::Expired));
    }
}
