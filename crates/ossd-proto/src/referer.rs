//! Hotlink protection, sans I/O: whether a request's `Referer` passes a bucket's
//! [`RefererConfiguration`]. Only anonymous and signed-URL requests are checked (the caller
//! decides that); header-signed requests never are.

use crate::xml::RefererConfiguration;

/// The message OSS sends with the 403 `AccessDenied` of a refused Referer.
pub const DENIED_MESSAGE: &str = "You are denied by bucket referer policy.";

/// Whether `referer` (the request header, if any) is allowed: an absent or empty Referer
/// passes only with `AllowEmptyReferer`; otherwise the (truncated) Referer must match no
/// blacklist entry and, when a whitelist is set, one of its entries (`*` and `?` wildcards).
pub fn allowed(config: &RefererConfiguration, referer: Option<&str>) -> bool {
    let Some(referer) = referer.map(str::trim).filter(|r| !r.is_empty()) else {
        return config.allow_empty_referer;
    };
    let candidate = truncate(config, referer);
    let hit = |list: &[String]| {
        list.iter()
            .any(|p| ossd_policy::wildcard_matches_ignore_ascii_case(p, candidate, true))
    };
    if hit(&config.blacklist) {
        return false;
    }
    config.referers.is_empty() || hit(&config.referers)
}

/// The part of the Referer that is matched: without the query string when
/// `AllowTruncateQueryString`, and also without the path when `TruncatePath`.
fn truncate<'r>(config: &RefererConfiguration, referer: &'r str) -> &'r str {
    if !config.allow_truncate_query_string {
        return referer;
    }
    let without_query = referer.split(['?', '#']).next().unwrap_or(referer);
    if !config.truncate_path {
        return without_query;
    }
    let authority_start = without_query.find("://").map_or(0, |i| i + 3);
    match without_query
        .get(authority_start..)
        .and_then(|rest| rest.find('/'))
    {
        Some(slash) => without_query
            .get(..authority_start + slash)
            .unwrap_or(without_query),
        None => without_query,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(list: &[&str], black: &[&str]) -> RefererConfiguration {
        RefererConfiguration {
            allow_empty_referer: false,
            referers: list.iter().map(|s| (*s).to_owned()).collect(),
            blacklist: black.iter().map(|s| (*s).to_owned()).collect(),
            ..RefererConfiguration::default()
        }
    }

    #[test]
    fn empty_referer() {
        let mut c = config(&["http://a.com"], &[]);
        assert!(!allowed(&c, None));
        assert!(!allowed(&c, Some("  ")));
        c.allow_empty_referer = true;
        assert!(allowed(&c, None));
        assert!(allowed(
            &RefererConfiguration::default(),
            Some("http://any")
        ));
    }

    #[test]
    fn white_and_black_lists() {
        let c = config(
            &["http://*.a.com/*", "https://b?.com"],
            &["http://bad.a.com/*"],
        );
        assert!(allowed(&c, Some("http://www.a.com/page.html")));
        assert!(allowed(&c, Some("http://www.a.com/page.html?x=1")));
        assert!(!allowed(&c, Some("http://bad.a.com/page.html")));
        assert!(allowed(&c, Some("https://b1.com")));
        assert!(!allowed(&c, Some("https://b12.com")));
        assert!(!allowed(&c, Some("http://www.c.com/")));
        let only_black = config(&[], &["*evil*"]);
        assert!(allowed(&only_black, Some("http://good.com")));
        assert!(!allowed(&only_black, Some("http://evil.com")));
    }

    #[test]
    fn truncation() {
        let mut c = config(&["http://a.com/page"], &[]);
        assert!(allowed(&c, Some("http://a.com/page?q=1")));
        c.allow_truncate_query_string = false;
        assert!(!allowed(&c, Some("http://a.com/page?q=1")));
        let mut c = config(&["http://a.com"], &[]);
        assert!(!allowed(&c, Some("http://a.com/deep/page")));
        c.truncate_path = true;
        assert!(allowed(&c, Some("http://a.com/deep/page?x")));
        assert!(allowed(&c, Some("http://a.com")));
    }
}
