//! Shared fixtures for the RPC signature tests: a request builder that parses the captured
//! requests of docs/protocol/rpc.md#test-vectors verbatim, and time helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub(crate) mod vectors;

use ossd_sig::rpc::{
    RpcAuth, RpcParams, RpcSigError, RpcView, collect_params, is_form_urlencoded,
    parse_rpc_timestamp, verify,
};
use time::{Duration, OffsetDateTime};

/// AccessKeyId of all vectors.
pub(crate) const AK: &str = "testid";
/// AccessKeySecret of all vectors.
pub(crate) const SECRET: &str = "testsecret";
/// Timestamp of the 9.2–9.10 vectors.
pub(crate) const T2024: &str = "2024-01-01T00:00:00Z";
/// SHA-256 of the empty body.
pub(crate) const EMPTY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// An owned request from which an [`RpcView`] is borrowed.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub method: String,
    pub path: String,
    pub raw_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Whether the view hands the body to `verify` (V3 payload-hash check).
    pub pass_body: bool,
    params: RpcParams,
}

impl Req {
    /// A request; `target` is the path with an optional `?query`.
    pub(crate) fn new(method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> Self {
        let (path, raw_query) = target.split_once('?').unwrap_or((target, ""));
        let mut req = Req {
            method: method.to_owned(),
            path: path.to_owned(),
            raw_query: raw_query.to_owned(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.to_vec(),
            pass_body: true,
            params: RpcParams::default(),
        };
        req.refresh();
        req
    }

    /// Parses a captured request (docs/protocol/rpc.md#test-vectors): `METHOD target`,
    /// `Name: value` lines, an optional blank line and body.
    pub(crate) fn captured(text: &str) -> Self {
        let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
        let mut lines = head.lines();
        let (method, target) = lines.next().unwrap().split_once(' ').unwrap();
        let headers: Vec<(&str, &str)> = lines.map(|l| l.split_once(": ").unwrap()).collect();
        Req::new(method, target, &headers, body.as_bytes())
    }

    /// Recomputes the parameters after a mutation (form body only with a form content type).
    pub(crate) fn refresh(&mut self) {
        let form = self
            .header("content-type")
            .is_some_and(is_form_urlencoded)
            .then_some(self.body.as_slice());
        self.params = collect_params(&self.raw_query, form);
    }

    /// The first value of a header (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A copy with every occurrence of `from` replaced by `to` in query, body and header values.
    pub(crate) fn replaced(&self, from: &str, to: &str) -> Self {
        let mut req = self.clone();
        req.raw_query = req.raw_query.replace(from, to);
        req.body = String::from_utf8_lossy(&req.body)
            .replace(from, to)
            .into_bytes();
        for (_, v) in &mut req.headers {
            *v = v.replace(from, to);
        }
        req.refresh();
        req
    }

    /// A copy with one more header.
    pub(crate) fn with_header(&self, name: &str, value: &str) -> Self {
        let mut req = self.clone();
        req.headers.push((name.to_owned(), value.to_owned()));
        req.refresh();
        req
    }

    /// A copy without the headers of this name.
    pub(crate) fn without_header(&self, name: &str) -> Self {
        let mut req = self.clone();
        req.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        req.refresh();
        req
    }

    /// A copy with another method.
    pub(crate) fn with_method(&self, method: &str) -> Self {
        Req {
            method: method.to_owned(),
            ..self.clone()
        }
    }

    /// The decoded parameters.
    pub(crate) fn params(&self) -> &RpcParams {
        &self.params
    }

    /// The view that signatures cover.
    pub(crate) fn view(&self) -> RpcView<'_> {
        RpcView {
            method: &self.method,
            path: &self.path,
            params: &self.params,
            headers: &self.headers,
            body: self.pass_body.then_some(self.body.as_slice()),
        }
    }

    /// Parses the credentials.
    pub(crate) fn parse(&self) -> Result<Option<RpcAuth>, RpcSigError> {
        RpcAuth::parse(&self.view())
    }

    /// Parses (must be signed) and verifies with `secret` at the RPC timestamp `now`.
    pub(crate) fn verify_with(&self, secret: &str, now: &str) -> Result<RpcAuth, RpcSigError> {
        let auth = self.parse()?.expect("a signed request");
        verify(&auth, &self.view(), secret, at(now))?;
        Ok(auth)
    }

    /// Parses and verifies with the vector secret at `now`.
    pub(crate) fn verify_at(&self, now: &str) -> Result<RpcAuth, RpcSigError> {
        self.verify_with(SECRET, now)
    }
}

/// An RPC timestamp as a time.
pub(crate) fn at(s: &str) -> OffsetDateTime {
    parse_rpc_timestamp(s).unwrap()
}

/// `s` shifted by `secs` seconds, formatted as an RPC timestamp.
pub(crate) fn shifted(s: &str, secs: i64) -> String {
    ossd_sig::rpc::format_rpc_timestamp(at(s) + Duration::seconds(secs))
}

/// The SignatureDoesNotMatch string to sign of an error, or a panic.
pub(crate) fn mismatch_sts(err: &RpcSigError) -> &str {
    match err {
        RpcSigError::SignatureDoesNotMatch { string_to_sign } => string_to_sign,
        other => panic!("expected SignatureDoesNotMatch, got {other:?}"),
    }
}

/// The v1 common parameters of an STS call at [`T2024`] (no `Signature`).
pub(crate) const V1_BASE: [(&str, &str); 8] = [
    ("Action", "GetCallerIdentity"),
    ("Version", "2015-04-01"),
    ("Format", "JSON"),
    ("AccessKeyId", AK),
    ("SignatureMethod", "HMAC-SHA1"),
    ("SignatureVersion", "1.0"),
    ("SignatureNonce", "nonce-0001"),
    ("Timestamp", T2024),
];

/// `name=value` pairs percent-encoded (docs/protocol/rpc.md#percent-encoding) and joined with `&`.
pub(crate) fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(n, v)| format!("{}={}", ossd_sig::uri_encode(n), ossd_sig::uri_encode(v)))
        .collect();
    encoded.join("&")
}

/// `V1_BASE` without the pairs named in `omit`, followed by `extra`.
pub(crate) fn v1_pairs<'a>(extra: &[(&'a str, &'a str)], omit: &[&str]) -> Vec<(&'a str, &'a str)> {
    V1_BASE
        .iter()
        .filter(|(n, _)| !omit.contains(n))
        .chain(extra)
        .copied()
        .collect()
}

/// A v1 request signed with `sign_v1` over `pairs`: in the query (`form = false`) or in a
/// form body (`form = true`, with the form content type).
pub(crate) fn signed_v1(method: &str, pairs: &[(&str, &str)], form: bool) -> Req {
    let unsigned = Req::new(method, &format!("/?{}", encode_pairs(pairs)), &[], b"");
    let sig = ossd_sig::rpc::sign_v1(method, unsigned.params().all(), SECRET);
    let mut all = pairs.to_vec();
    all.push(("Signature", &sig));
    let encoded = encode_pairs(&all);
    if form {
        let ct = [("content-type", "application/x-www-form-urlencoded")];
        Req::new(method, "/", &ct, encoded.as_bytes())
    } else {
        Req::new(method, &format!("/?{encoded}"), &[], b"")
    }
}

/// The error of parsing, or a panic when parsing succeeded.
pub(crate) fn parse_err(req: &Req) -> RpcSigError {
    match req.parse() {
        Err(e) => e,
        Ok(auth) => panic!("expected a parse error, got {auth:?}"),
    }
}

/// The 9.10 request: V3 with a form body.
pub(crate) fn v9_10_request() -> Req {
    let authorization = "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;\
x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
Signature=9f7c412978c471966de7ef0bfa7f4ad011091b673a65789f5403dfd48a306bcf";
    let headers = [
        ("host", "ram.example.com"),
        ("x-acs-action", "CreatePolicy"),
        ("x-acs-version", "2015-05-01"),
        ("x-acs-date", T2024),
        ("x-acs-signature-nonce", "n-0001"),
        ("content-type", "application/x-www-form-urlencoded"),
        (
            "x-acs-content-sha256",
            "9f57225b0b8c30ecc50b67ece723ccaa9c4c53095ab0083cd38277a4860ed697",
        ),
        ("authorization", authorization),
    ];
    let body = b"PolicyDocument=%7B%22Version%22%3A%221%22%7D&PolicyName=p1&Description=a%20b";
    Req::new(
        "POST",
        "/?Action=CreatePolicy&Tag.1.Key=env",
        &headers,
        body,
    )
}
