//! Shared fixtures for the integration tests: the inputs of the test vectors
//! (docs/protocol/signatures.md#test-vectors) and a request builder.
#![allow(dead_code, clippy::unwrap_used)]

use ossd_sig::{AuthRequest, QueryParam, SigError, SigningKeyCache, SigningView, VerifyTime};
use time::OffsetDateTime;

/// AccessKeyId of the vectors.
pub(crate) const AK: &str = "LTAI5tVectorKeyId0001";
/// AccessKeySecret of the vectors.
pub(crate) const SECRET: &str = "VectorSecret0123456789ABCDEFGHIJ";
/// STS token of the vectors.
pub(crate) const TOKEN: &str = "CAIS+vectorToken/ABC==";
/// Signing time, 2025-01-15 08:30:00 UTC.
pub(crate) const T0: i64 = 1_736_929_800;
/// The signing time in RFC 1123.
pub(crate) const RFC_DATE: &str = "Wed, 15 Jan 2025 08:30:00 GMT";
/// The signing time in V4 form.
pub(crate) const ISO_DATE: &str = "20250115T083000Z";
/// V1 presign expiry (T0 + 3600).
pub(crate) const EXPIRES: i64 = 1_736_933_400;
/// The bucket.
pub(crate) const BUCKET: &str = "examplebucket";
/// The decoded key.
pub(crate) const KEY: &str = "photos/2025/cat & dog+1.jpg";
/// The versionId of TV3 and TV11.
pub(crate) const VERSION_ID: &str =
    "CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFmZjQyYzk3MDg1";

/// An owned request from which a [`SigningView`] is borrowed.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub method: String,
    pub bucket: Option<String>,
    pub key: Option<String>,
    pub query: Vec<QueryParam>,
    pub headers: Vec<(String, String)>,
    /// The path as sent, path style (`/bucket/encoded-key`).
    pub raw_path: String,
}

impl Req {
    /// A request; header names are lowercased, the query is parsed per
    /// docs/protocol/addressing.md#query-string-parsing.
    pub(crate) fn new(
        method: &str,
        bucket: Option<&str>,
        key: Option<&str>,
        raw_query: &str,
        headers: &[(&str, &str)],
    ) -> Self {
        let raw_path = match (bucket, key) {
            (Some(b), Some(k)) => format!("/{b}/{}", ossd_sig::uri_encode_path(k)),
            (Some(b), None) => format!("/{b}"),
            _ => "/".to_owned(),
        };
        Req {
            raw_path,
            method: method.to_owned(),
            bucket: bucket.map(str::to_owned),
            key: key.map(str::to_owned),
            query: QueryParam::parse_query(raw_query),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), (*v).to_owned()))
                .collect(),
        }
    }

    /// The neutral view.
    pub(crate) fn view(&self) -> SigningView<'_> {
        SigningView {
            method: &self.method,
            bucket: self.bucket.as_deref(),
            key: self.key.as_deref(),
            query: &self.query,
            headers: &self.headers,
            raw_path: &self.raw_path,
            body_sha256: None,
        }
    }

    /// Sets (replaces or adds) a header.
    pub(crate) fn set_header(&mut self, name: &str, value: &str) -> &mut Self {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Removes a header.
    pub(crate) fn remove_header(&mut self, name: &str) -> &mut Self {
        self.headers.retain(|(n, _)| n != name);
        self
    }

    /// Sets (replaces or adds) a query parameter.
    pub(crate) fn set_query(&mut self, key: &str, value: &str) -> &mut Self {
        self.query.retain(|p| p.key != key);
        self.query.push(QueryParam::new(key, value));
        self
    }

    /// Removes a query parameter.
    pub(crate) fn remove_query(&mut self, key: &str) -> &mut Self {
        self.query.retain(|p| p.key != key);
        self
    }

    /// The value of a query parameter.
    pub(crate) fn query_value(&self, key: &str) -> String {
        self.query
            .iter()
            .find(|p| p.key == key)
            .map(|p| p.value.clone())
            .unwrap()
    }

    /// Parses the request; panics if it is anonymous or fails.
    pub(crate) fn auth(&self) -> AuthRequest {
        ossd_sig::parse(&self.view()).unwrap().unwrap()
    }

    /// Parses and verifies at `now` with the vector secret.
    pub(crate) fn check_at(&self, now: i64) -> Result<(), SigError> {
        self.check_with(SECRET, now)
    }

    /// Parses and verifies at `now` with `secret`, with a signing key derived afresh and with
    /// one from a [`SigningKeyCache`] (asked twice): every way gives the same answer.
    pub(crate) fn check_with(&self, secret: &str, now: i64) -> Result<(), SigError> {
        let auth = ossd_sig::parse(&self.view())?.unwrap();
        let derived = ossd_sig::verify(&auth, &self.view(), secret, at(now));
        let keys = SigningKeyCache::new();
        for _ in 0..2 {
            let time = VerifyTime::at(at(now));
            let cached = ossd_sig::verify_at(&auth, &self.view(), secret, time, &keys);
            assert_eq!(cached, derived);
        }
        derived
    }
}

/// A Unix time as `OffsetDateTime`.
pub(crate) fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap()
}

/// Whether the error is a signature mismatch.
pub(crate) fn is_mismatch(r: &Result<(), SigError>) -> bool {
    matches!(r, Err(SigError::Mismatch { .. }))
}

/// Changes the first character of a signature so that it no longer matches.
pub(crate) fn tamper(sig: &str) -> String {
    let mut chars: Vec<char> = sig.chars().collect();
    chars[0] = if chars[0] == 'a' { 'b' } else { 'a' };
    chars.into_iter().collect()
}
