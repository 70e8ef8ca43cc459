//! `--blobs s3://bucket/prefix?endpoint=…&region=…`: where an S3-compatible store is and how
//! to sign for it (docs/scale-out.md, "S3-compatible backend"). The secret is never printed.

use std::fmt;
use std::time::Duration;

use percent_encoding::percent_decode_str;

/// Environment variable holding the backend's access key id (when the URL has none).
pub const ACCESS_KEY_ENV: &str = "OSSD_BLOBS_ACCESS_KEY_ID";
/// Environment variable holding the backend's secret access key (when the URL has none).
pub const SECRET_KEY_ENV: &str = "OSSD_BLOBS_SECRET_ACCESS_KEY";

/// The URL scheme of an S3 backend.
pub const SCHEME: &str = "s3://";

/// Region signed for when the URL names none (what most S3-compatible stores accept).
const DEFAULT_REGION: &str = "us-east-1";

/// Longest a write may take from its first byte sent to the backend to its completion; longer
/// writes are aborted. The orphan sweep relies on it (see [`S3Settings::max_write`]).
pub const DEFAULT_MAX_WRITE: Duration = Duration::from_secs(12 * 3600);

/// Why an `s3://` URL was refused. Messages never quote the URL, which may hold a secret.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SettingsError {
    /// The text does not start with `s3://`.
    #[error("an S3 blob backend URL starts with s3://")]
    Scheme,
    /// No bucket after `s3://`.
    #[error("the S3 blob backend URL names no bucket")]
    NoBucket,
    /// A query parameter this backend does not know (a typo would otherwise be ignored).
    #[error("unknown S3 blob backend URL parameter {0:?}")]
    UnknownParam(String),
    /// A parameter whose value is not valid.
    #[error("invalid value for S3 blob backend URL parameter {0:?}")]
    BadValue(&'static str),
    /// No access key id or no secret (neither in the URL nor in the environment).
    #[error("the S3 blob backend needs credentials: set {ACCESS_KEY_ENV} and {SECRET_KEY_ENV}")]
    NoCredentials,
}

/// A parsed `s3://` backend URL plus credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Settings {
    /// The bucket.
    pub bucket: String,
    /// Key prefix inside the bucket (no leading or trailing `/`; empty for the whole bucket).
    pub prefix: String,
    /// The endpoint, `http(s)://host[:port]` (empty: the AWS endpoint of the region).
    pub endpoint: String,
    /// The region signed for.
    pub region: String,
    /// Virtual-hosted addressing (`bucket.host`) instead of path-style (`host/bucket`).
    pub virtual_host: bool,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key (never printed).
    pub secret_access_key: String,
    /// The longest a write may take; the orphan sweep considers a blob only once its id's
    /// timestamp is older than the sweep's grace period plus this (docs/scale-out.md).
    pub max_write: Duration,
}

impl S3Settings {
    /// Parses `s3://bucket[/prefix][?endpoint=…&region=…&virtual_host=true&access_key_id=…&
    /// secret_access_key=…]`; credentials missing from the URL are read from
    /// [`ACCESS_KEY_ENV`] and [`SECRET_KEY_ENV`] through `env`.
    pub fn parse(raw: &str, env: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let rest = raw.strip_prefix(SCHEME).ok_or(SettingsError::Scheme)?;
        let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
        if bucket.is_empty() {
            return Err(SettingsError::NoBucket);
        }
        let mut settings = Self {
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
            endpoint: String::new(),
            region: DEFAULT_REGION.to_owned(),
            virtual_host: false,
            access_key_id: String::new(),
            secret_access_key: String::new(),
            max_write: DEFAULT_MAX_WRITE,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode_str(value)
                .decode_utf8()
                .map_err(|_| SettingsError::BadValue("utf-8"))?
                .into_owned();
            match name {
                "endpoint" => settings.endpoint = endpoint(value)?,
                "region" if !value.is_empty() => settings.region = value,
                "region" => return Err(SettingsError::BadValue("region")),
                "virtual_host" => settings.virtual_host = boolean(&value, "virtual_host")?,
                "access_key_id" => settings.access_key_id = value,
                "secret_access_key" => settings.secret_access_key = value,
                other => {
                    return Err(SettingsError::UnknownParam(
                        other.chars().take(40).collect(),
                    ));
                }
            }
        }
        if settings.access_key_id.is_empty() {
            settings.access_key_id = env(ACCESS_KEY_ENV).unwrap_or_default();
        }
        if settings.secret_access_key.is_empty() {
            settings.secret_access_key = env(SECRET_KEY_ENV).unwrap_or_default();
        }
        if settings.access_key_id.is_empty() || settings.secret_access_key.is_empty() {
            return Err(SettingsError::NoCredentials);
        }
        Ok(settings)
    }

    /// `s3://bucket/prefix` and the endpoint, for logs and the banner (no credentials).
    pub fn location(&self) -> String {
        let mut out = format!("{SCHEME}{}", self.bucket);
        if !self.prefix.is_empty() {
            out.push('/');
            out.push_str(&self.prefix);
        }
        if !self.endpoint.is_empty() {
            out.push_str(" at ");
            out.push_str(&self.endpoint);
        }
        out
    }
}

impl fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Settings")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("virtual_host", &self.virtual_host)
            .field("access_key_id", &self.access_key_id)
            .field("max_write", &self.max_write)
            .finish_non_exhaustive()
    }
}

/// An `http://` or `https://` endpoint without a path.
fn endpoint(value: String) -> Result<String, SettingsError> {
    let host = value
        .strip_prefix("http://")
        .or_else(|| value.strip_prefix("https://"))
        .ok_or(SettingsError::BadValue("endpoint"))?;
    let host = host.trim_end_matches('/');
    if host.is_empty() || host.contains(['/', '?', '#', '@']) {
        return Err(SettingsError::BadValue("endpoint"));
    }
    Ok(value.trim_end_matches('/').to_owned())
}

fn boolean(value: &str, name: &'static str) -> Result<bool, SettingsError> {
    match value {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(SettingsError::BadValue(name)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            ACCESS_KEY_ENV => Some("AKENV".into()),
            SECRET_KEY_ENV => Some("secret-env".into()),
            _ => None,
        }
    }

    #[test]
    fn full_url() {
        let s = S3Settings::parse(
            "s3://data/ossd/node?endpoint=http%3A%2F%2F127.0.0.1%3A8333&region=eu-1&virtual_host=true",
            env,
        )
        .unwrap();
        assert_eq!(s.bucket, "data");
        assert_eq!(s.prefix, "ossd/node");
        assert_eq!(s.endpoint, "http://127.0.0.1:8333");
        assert_eq!(s.region, "eu-1");
        assert!(s.virtual_host);
        assert_eq!(s.access_key_id, "AKENV");
        assert_eq!(s.location(), "s3://data/ossd/node at http://127.0.0.1:8333");
    }

    #[test]
    fn url_credentials_win_and_are_not_printed() {
        let s = S3Settings::parse(
            "s3://b?endpoint=https://s3.example.com/&access_key_id=AK&secret_access_key=sk%2Bx",
            env,
        )
        .unwrap();
        assert_eq!(
            (s.access_key_id.as_str(), s.secret_access_key.as_str()),
            ("AK", "sk+x")
        );
        assert_eq!((s.prefix.as_str(), s.region.as_str()), ("", DEFAULT_REGION));
        assert_eq!(s.endpoint, "https://s3.example.com");
        assert!(!format!("{s:?}").contains("sk+x"));
    }

    #[test]
    fn refusals() {
        let none = |_: &str| None;
        assert_eq!(S3Settings::parse("/dir", env), Err(SettingsError::Scheme));
        assert_eq!(
            S3Settings::parse("s3:///x", env),
            Err(SettingsError::NoBucket)
        );
        assert_eq!(
            S3Settings::parse("s3://b?endpiont=http://x", env),
            Err(SettingsError::UnknownParam("endpiont".into()))
        );
        assert_eq!(
            S3Settings::parse("s3://b?endpoint=ftp://x", env),
            Err(SettingsError::BadValue("endpoint"))
        );
        assert_eq!(
            S3Settings::parse("s3://b?endpoint=http://u:p@x", env),
            Err(SettingsError::BadValue("endpoint"))
        );
        assert_eq!(
            S3Settings::parse("s3://b", none),
            Err(SettingsError::NoCredentials)
        );
        let err = S3Settings::parse("s3://b?secret_access_key=topsecret&x=1", none).unwrap_err();
        assert!(!err.to_string().contains("topsecret"));
    }
}
