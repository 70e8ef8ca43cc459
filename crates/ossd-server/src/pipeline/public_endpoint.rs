//! The endpoint a bucket reports as `ExtranetEndpoint` / `IntranetEndpoint` (ListBuckets,
//! GetBucketInfo). OSS reports its own `oss-<region>.aliyuncs.com`; clients follow that value
//! (oss2 and alibabacloud-oss-v2 build a client from it), so ossd reports an address they can
//! reach: the configured `--public-endpoint`, else the host the request came in on without the
//! bucket label (so path-style and virtual-hosted clients both get their base endpoint back).

use std::fmt;
use std::str::FromStr;

use http::uri::Authority;

use crate::ServerConfig;
use crate::pipeline::ctx::Ctx;

/// A configured public endpoint: `host[:port]` as OSS reports endpoints, optionally with an
/// `http://` or `https://` scheme (alibabacloud-oss-v2 assumes HTTPS for a value without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicEndpoint(String);

/// Why a public endpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not host[:port] or http(s)://host[:port]")]
pub struct InvalidPublicEndpoint;

impl PublicEndpoint {
    /// Parses `host[:port]` or `http(s)://host[:port]` (a trailing `/` is dropped); refuses a
    /// path, query, user info or whitespace.
    pub fn parse(raw: &str) -> Result<Self, InvalidPublicEndpoint> {
        let value = raw.trim();
        let value = value.strip_suffix('/').unwrap_or(value);
        let lower = value.to_ascii_lowercase();
        let authority = ["http://", "https://"]
            .iter()
            .find(|s| lower.starts_with(*s))
            .map_or(value, |s| &value[s.len()..]);
        let plain = |c: char| !c.is_whitespace() && !"/?#@".contains(c);
        if authority.is_empty() || !authority.chars().all(plain) {
            return Err(InvalidPublicEndpoint);
        }
        Authority::from_str(authority).map_err(|_| InvalidPublicEndpoint)?;
        Ok(Self(value.to_owned()))
    }

    /// The value as configured.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PublicEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The endpoint reported for buckets in reply to `ctx`.
pub(crate) fn reported(config: &ServerConfig, ctx: &Ctx) -> String {
    if let Some(e) = &config.public_endpoint {
        return e.as_str().to_owned();
    }
    let from_host = base_host(ctx.host.trim(), ctx.target.virtual_hosted);
    match from_host {
        "" => format!("oss-{}.aliyuncs.com", config.region),
        h => h.to_owned(),
    }
}

/// `host` without the bucket label of a virtual-hosted request (`b.localhost:9000` gives
/// `localhost:9000`) or the empty label ali-oss sends for service-level calls
/// (`.oss-cn-hangzhou.aliyuncs.com`).
fn base_host(host: &str, virtual_hosted: bool) -> &str {
    if let Some(rest) = host.strip_prefix('.') {
        return rest;
    }
    match host.split_once('.') {
        Some((_, rest)) if virtual_hosted => rest,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::{PublicEndpoint, base_host};

    #[test]
    fn parse_accepts_host_port_and_scheme() {
        for ok in [
            "127.0.0.1:9000",
            "oss.example.com",
            "http://127.0.0.1:9000",
            "HTTPS://oss.example.com/",
            "[::1]:9000",
        ] {
            assert!(PublicEndpoint::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            PublicEndpoint::parse(" http://h:1/ ").map(|e| e.to_string()),
            Ok("http://h:1".to_owned())
        );
        for bad in [
            "",
            "http://",
            "h/path",
            "http://h:1/p",
            "u@h",
            "h ost",
            "h?x",
            "ftp://h",
        ] {
            assert!(PublicEndpoint::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base_host_drops_the_bucket_label() {
        assert_eq!(base_host("b.localhost:9000", true), "localhost:9000");
        assert_eq!(base_host("127.0.0.1:9000", false), "127.0.0.1:9000");
        assert_eq!(base_host("localhost:9000", false), "localhost:9000");
        assert_eq!(
            base_host(".oss-cn-hangzhou.aliyuncs.com", false),
            "oss-cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            base_host("b.oss-cn-hangzhou.aliyuncs.com", true),
            "oss-cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(base_host("oss.example.com", false), "oss.example.com");
    }
}
