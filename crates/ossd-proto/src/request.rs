//! Addressing and query decoding: which bucket and key a request names
//! (docs/protocol/addressing.md#bucket-and-key-resolution) and the decoded query parameters
//! (docs/protocol/addressing.md#query-string-parsing).

use ossd_sig::QueryParam;
use percent_encoding::percent_decode;

/// What the request addresses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// The bucket, if any (service-level requests have none).
    pub bucket: Option<String>,
    /// The decoded object key, if any (bucket-level requests have none).
    pub key: Option<String>,
    /// Whether the bucket came from the Host header.
    pub virtual_hosted: bool,
}

/// Why a request target could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// The path or a query value is not valid percent-encoded UTF-8.
    #[error("the request URI is not valid UTF-8 after decoding")]
    InvalidUri,
}

/// The base domains under which `bucket.<domain>` selects virtual-hosted addressing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domains {
    bases: Vec<String>,
}

impl Domains {
    /// `localhost` plus the given domains (lowercased, without ports).
    pub fn new<I: IntoIterator<Item = String>>(extra: I) -> Self {
        let mut bases = vec!["localhost".to_owned()];
        bases.extend(
            extra
                .into_iter()
                .map(|d| d.trim().trim_matches('.').to_ascii_lowercase()),
        );
        bases.retain(|d| !d.is_empty());
        bases.dedup();
        Self { bases }
    }

    /// The bucket named by `host` (already lowercased, port stripped): `Some(None)` for a
    /// service-level virtual host (empty first label), `None` when the host names no bucket.
    fn bucket_of(&self, host: &str) -> Option<Option<String>> {
        let (first, rest) = host.split_once('.')?;
        let is_base = self.bases.iter().any(|b| b == rest) || is_oss_endpoint(rest);
        if !is_base {
            return None;
        }
        Some((!first.is_empty()).then(|| first.to_owned()))
    }
}

/// `oss-<region>[-internal].aliyuncs.com` and the like: what ali-oss writes in Host in IP mode.
fn is_oss_endpoint(host: &str) -> bool {
    host.starts_with("oss-") && host.ends_with(".aliyuncs.com")
}

/// Lowercases a Host header value and strips its port (keeping `[..]` for IPv6).
pub fn host_without_port(host: &str) -> String {
    let h = host.trim().to_ascii_lowercase();
    if h.starts_with('[') {
        return match h.find(']') {
            Some(end) => h[..=end].to_owned(),
            None => h,
        };
    }
    match h.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|c| c.is_ascii_digit()) => name.to_owned(),
        _ => h,
    }
}

/// Resolves bucket and key from the Host header and the raw (still encoded) path.
pub fn resolve_target(
    host: Option<&str>,
    raw_path: &str,
    domains: &Domains,
) -> Result<Target, TargetError> {
    let host = host.map(host_without_port).unwrap_or_default();
    let path = raw_path.strip_prefix('/').unwrap_or(raw_path);
    if let Some(bucket) = domains.bucket_of(&host) {
        let key = decode_path(path)?;
        let virtual_hosted = bucket.is_some();
        let key = (bucket.is_some() && !key.is_empty()).then_some(key);
        return Ok(Target {
            bucket,
            key,
            virtual_hosted,
        });
    }
    let (bucket, key) = match path.split_once('/') {
        Some((b, k)) => (decode_path(b)?, decode_path(k)?),
        None => (decode_path(path)?, String::new()),
    };
    Ok(Target {
        bucket: (!bucket.is_empty()).then_some(bucket),
        key: (!key.is_empty()).then_some(key),
        virtual_hosted: false,
    })
}

/// Percent-decodes a path segment; `+` stays a literal plus.
fn decode_path(s: &str) -> Result<String, TargetError> {
    percent_decode(s.as_bytes())
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| TargetError::InvalidUri)
}

/// Decodes a query value or key: `+` is a space, then `%XX`.
fn decode_query_part(s: &str) -> Result<String, TargetError> {
    let plus = s.replace('+', " ");
    percent_decode(plus.as_bytes())
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| TargetError::InvalidUri)
}

/// Splits and decodes a raw query string, keeping wire order and whether each item had `=`.
pub fn parse_query(raw: &str) -> Result<Vec<QueryParam>, TargetError> {
    raw.split('&')
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (k, v, has_equals) = match item.split_once('=') {
                Some((k, v)) => (k, v, true),
                None => (item, "", false),
            };
            Ok(QueryParam {
                key: decode_query_part(k)?,
                value: decode_query_part(v)?,
                has_equals,
            })
        })
        .collect()
}

/// The first value of query parameter `key`.
pub fn query_get<'a>(query: &'a [QueryParam], key: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|q| q.key == key)
        .map(|q| q.value.as_str())
}

/// Whether query parameter `key` is present (with or without a value).
pub fn query_has(query: &[QueryParam], key: &str) -> bool {
    query.iter().any(|q| q.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(host: &str, path: &str) -> Target {
        resolve_target(Some(host), path, &Domains::new(["oss.example".to_owned()]))
            .unwrap_or_default()
    }

    #[test]
    fn addressing() {
        let a = t("127.0.0.1:9000", "/b/dir%2Fa%20b%2Bc.txt");
        assert_eq!(a.bucket.as_deref(), Some("b"));
        assert_eq!(a.key.as_deref(), Some("dir/a b+c.txt"));
        let v = t("b.oss-cn-hangzhou.aliyuncs.com", "/x/y+z");
        assert_eq!(
            (v.bucket.as_deref(), v.key.as_deref()),
            (Some("b"), Some("x/y+z"))
        );
        assert!(v.virtual_hosted);
        let s = t(".oss-cn-hangzhou.aliyuncs.com", "/");
        assert_eq!((s.bucket, s.key), (None, None));
        let l = t("bkt.localhost:9000", "/");
        assert_eq!((l.bucket.as_deref(), l.key), (Some("bkt"), None));
        let d = t("bkt.oss.example", "/k");
        assert_eq!(d.bucket.as_deref(), Some("bkt"));
        let p = t("localhost:1", "/b/");
        assert_eq!((p.bucket.as_deref(), p.key), (Some("b"), None));
        let svc = t("localhost", "/");
        assert_eq!(svc.bucket, None);
        let v6 = t("[::1]:9000", "/b/k");
        assert_eq!(v6.key.as_deref(), Some("k"));
        assert!(resolve_target(None, "/b/%FF", &Domains::new([])).is_err());
    }

    #[test]
    fn query() -> Result<(), TargetError> {
        let q = parse_query("continuation-token=dir%2Fa+b%2Bc&uploads&prefix=&x=1=2")?;
        assert_eq!(q[0].value, "dir/a b+c");
        assert!(!q[1].has_equals && q[1].value.is_empty());
        assert!(q[2].has_equals && q[2].value.is_empty());
        assert_eq!(q[3].value, "1=2");
        assert!(query_has(&q, "uploads"));
        assert_eq!(query_get(&q, "x"), Some("1=2"));
        Ok(())
    }
}
