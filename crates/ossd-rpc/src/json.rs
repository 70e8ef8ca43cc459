//! Response shaping shared by RAM and STS bodies.

use time::OffsetDateTime;
use time::macros::format_description;

/// Formats Unix seconds as `YYYY-MM-DDThh:mm:ssZ` (UTC), the only timestamp form of RAM/STS.
pub fn timestamp(unix: i64) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_no_fraction() {
        assert_eq!(timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
    }
}
