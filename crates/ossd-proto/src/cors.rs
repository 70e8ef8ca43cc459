//! CORS rule evaluation (docs/protocol/cors.md#preflight, #actual-requests), sans I/O: which rule
//! of a bucket's configuration answers a preflight or an actual cross-origin request, and the
//! headers that answer carries.

use crate::xml::{CorsConfiguration, CorsRule};

/// A response header: lowercase name and value.
pub type Header = (&'static str, String);

/// What `Access-Control-Allow-Origin` says when the matching rule allows every origin (`*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wildcard {
    /// The request's origin echoed, as OSS does (docs/protocol/cors.md#preflight).
    EchoOrigin,
    /// `*`, as S3 does (docs/s3.md#cors).
    Star,
}

/// The `Vary` value of a preflight answered by a configuration with `ResponseVary` true.
const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

/// The headers listed in `Access-Control-Request-Headers`: trimmed, lowercased, non-empty.
pub fn request_headers(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split(',')
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect()
}

/// The first rule that allows `origin`, `method` and every header of `headers`
/// (docs/protocol/cors.md#preflight).
pub fn find_rule<'c>(
    config: &'c CorsConfiguration,
    origin: &str,
    method: &str,
    headers: &[String],
) -> Option<&'c CorsRule> {
    config.rules.iter().find(|rule| {
        rule.allowed_origins
            .iter()
            .any(|o| ossd_policy::wildcard_matches_ignore_ascii_case(o, origin, false))
            && rule.allowed_methods.iter().any(|m| m == method)
            && headers.iter().all(|h| {
                rule.allowed_headers
                    .iter()
                    .any(|a| ossd_policy::wildcard_matches_ignore_ascii_case(a.trim(), h, false))
            })
    })
}

/// The headers of a successful preflight: the origin and requested headers echoed, the rule's
/// methods, exposed headers and max age, and `Vary` when the configuration asks for it.
pub fn preflight_headers(
    config: &CorsConfiguration,
    rule: &CorsRule,
    origin: &str,
    requested: &[String],
    wildcard: Wildcard,
) -> Vec<Header> {
    let mut out = common(rule, origin, wildcard);
    if !requested.is_empty() {
        out.push(("access-control-allow-headers", requested.join(", ")));
    }
    if config.response_vary {
        out.push(("vary", PREFLIGHT_VARY.to_owned()));
    }
    out
}

/// The method an actual (non-OPTIONS) request is matched with: its own, except that in the S3
/// dialect an `Access-Control-Request-Method` it carries stands for it, as ceph/s3-tests'
/// `test_cors_origin_response` expects of S3 (a PUT that says `GET` gets the headers of a rule
/// allowing only GET; docs/s3.md#cors). Browsers never send that header on an actual request.
pub fn actual_method<'a>(
    method: &'a str,
    requested_method: Option<&'a str>,
    dialect: crate::dialect::Dialect,
) -> &'a str {
    match (dialect, requested_method.map(str::trim)) {
        (crate::dialect::Dialect::S3, Some(requested)) if !requested.is_empty() => requested,
        _ => method,
    }
}

/// The headers added to an actual request from `origin` with `method`, or none when no rule
/// allows it (docs/protocol/cors.md#actual-requests: the request itself is processed either way).
pub fn actual_headers(
    config: &CorsConfiguration,
    origin: &str,
    method: &str,
    wildcard: Wildcard,
) -> Vec<Header> {
    let Some(rule) = find_rule(config, origin, method, &[]) else {
        return Vec::new();
    };
    let mut out = common(rule, origin, wildcard);
    if config.response_vary {
        out.push(("vary", "Origin".to_owned()));
    }
    out
}

fn common(rule: &CorsRule, origin: &str, wildcard: Wildcard) -> Vec<Header> {
    let allow = match wildcard {
        Wildcard::Star if rule.allowed_origins.iter().any(|o| o.trim() == "*") => "*",
        _ => origin,
    };
    let mut out = vec![
        ("access-control-allow-origin", allow.to_owned()),
        (
            "access-control-allow-methods",
            rule.allowed_methods.join(", "),
        ),
    ];
    if !rule.expose_headers.is_empty() {
        out.push((
            "access-control-expose-headers",
            rule.expose_headers.join(", "),
        ));
    }
    if let Some(age) = rule.max_age_seconds {
        out.push(("access-control-max-age", age.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(origins: &[&str], methods: &[&str], headers: &[&str]) -> CorsRule {
        let v = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect();
        CorsRule {
            allowed_origins: v(origins),
            allowed_methods: v(methods),
            allowed_headers: v(headers),
            expose_headers: v(&["ETag", "x-oss-request-id"]),
            max_age_seconds: Some(100),
        }
    }

    fn config() -> CorsConfiguration {
        CorsConfiguration {
            rules: vec![
                rule(&["http://*.a.com"], &["GET"], &[]),
                rule(
                    &["http://app.b.com"],
                    &["PUT", "POST"],
                    &["x-oss-*", "Content-Type"],
                ),
                rule(&["*"], &["HEAD"], &["*"]),
            ],
            response_vary: true,
        }
    }

    #[test]
    fn preflight_matching() {
        let c = config();
        let h = request_headers(Some(" X-OSS-Date , content-type,,"));
        assert_eq!(h, ["x-oss-date", "content-type"]);
        assert!(find_rule(&c, "http://www.a.com", "GET", &[]).is_some());
        assert!(find_rule(&c, "http://www.a.com", "PUT", &[]).is_none());
        assert!(find_rule(&c, "http://www.a.com", "GET", &h).is_none());
        let r = find_rule(&c, "http://app.b.com", "PUT", &h);
        assert_eq!(r.map(|r| r.allowed_methods.len()), Some(2));
        let extra = request_headers(Some("x-oss-date,authorization"));
        assert!(find_rule(&c, "http://app.b.com", "PUT", &extra).is_none());
        assert!(find_rule(&c, "http://evil.com", "HEAD", &extra).is_some());
        assert!(find_rule(&CorsConfiguration::default(), "http://x", "GET", &[]).is_none());
    }

    #[test]
    fn response_headers() {
        let c = config();
        let h = request_headers(Some("x-oss-date"));
        let Some(r) = find_rule(&c, "http://app.b.com", "POST", &h) else {
            panic!("no rule");
        };
        let out = preflight_headers(&c, r, "http://app.b.com", &h, Wildcard::Star);
        let get = |n: &str| out.iter().find(|(k, _)| *k == n).map(|(_, v)| v.as_str());
        assert_eq!(get("access-control-allow-origin"), Some("http://app.b.com"));
        assert_eq!(get("access-control-allow-methods"), Some("PUT, POST"));
        assert_eq!(get("access-control-allow-headers"), Some("x-oss-date"));
        assert_eq!(
            get("access-control-expose-headers"),
            Some("ETag, x-oss-request-id")
        );
        assert_eq!(get("access-control-max-age"), Some("100"));
        assert_eq!(get("vary"), Some(PREFLIGHT_VARY));
        let actual = actual_headers(&c, "http://www.a.com", "GET", Wildcard::EchoOrigin);
        assert!(actual.contains(&("vary", "Origin".to_owned())));
        assert!(actual_headers(&c, "http://www.a.com", "DELETE", Wildcard::EchoOrigin).is_empty());
    }

    #[test]
    fn a_wildcard_rule_answers_star_in_s3_and_the_origin_in_oss() {
        let c = config();
        let allow = |wildcard| {
            actual_headers(&c, "http://evil.com", "HEAD", wildcard)
                .into_iter()
                .find(|(k, _)| *k == "access-control-allow-origin")
                .map(|(_, v)| v)
        };
        assert_eq!(allow(Wildcard::Star).as_deref(), Some("*"));
        assert_eq!(
            allow(Wildcard::EchoOrigin).as_deref(),
            Some("http://evil.com")
        );
        // A rule with a pattern, not a bare `*`, echoes the origin in both dialects.
        let named = actual_headers(&c, "http://www.a.com", "GET", Wildcard::Star);
        assert!(named.contains(&("access-control-allow-origin", "http://www.a.com".to_owned())));
    }

    #[test]
    fn an_s3_actual_request_is_matched_with_its_requested_method() {
        use crate::dialect::Dialect;
        let c = config();
        let matched = |method: &str, requested: Option<&str>, dialect| {
            let method = actual_method(method, requested, dialect);
            !actual_headers(&c, "http://www.a.com", method, Wildcard::Star).is_empty()
        };
        // A PUT saying `Access-Control-Request-Method: GET` gets the GET rule's headers in S3.
        assert!(matched("PUT", Some("GET"), Dialect::S3));
        assert!(!matched("PUT", Some(" PUT "), Dialect::S3));
        assert!(!matched("PUT", None, Dialect::S3));
        assert!(matched("GET", Some(""), Dialect::S3));
        // OSS matches the request's own method.
        assert!(!matched("PUT", Some("GET"), Dialect::Oss));
        assert!(matched("GET", Some("PUT"), Dialect::Oss));
    }
}
