//! Fuzz targets of the signature parsers (docs/fuzzing.md): OSS V1/V2/V4 in the Authorization
//! header and in URLs (`sig_request`), PostObject signature fields (`sig_post`) and the RPC
//! parameters and signatures (`rpc`). Corpus: `fuzz/corpus/<target>/`; files named `valid-*`
//! are the test vectors of docs/protocol/signatures.md#test-vectors and must verify.

#[path = "../../../fuzz/harness.rs"]
mod harness;

use std::collections::HashSet;

use harness::{Target, split_request};
use ossd_sig::rpc::{
    MAX_NONCE_LEN, RpcAuth, RpcParams, RpcView, collect_params, format_rpc_timestamp,
    is_form_urlencoded, parse_rpc_timestamp,
};
use ossd_sig::{
    AuthRequest, QueryParam, Scheme, Scope, SigError, SigningKeyCache, SigningView, V4_ALGORITHM,
};
use percent_encoding::percent_decode_str;
use time::OffsetDateTime;

/// The secret of the OSS vectors (`valid-*` files of `sig_request` and `sig_post`).
const OSS_SECRET: &str = "VectorSecret0123456789ABCDEFGHIJ";
/// The OSS vectors' signing time, 2025-01-15 08:30:00 UTC.
const OSS_T0: i64 = 1_736_929_800;
/// The secret of the RPC vectors.
const RPC_SECRET: &str = "testsecret";
/// The RPC vectors' signing time, 2024-01-01 00:00:00 UTC.
const RPC_T0: i64 = 1_704_067_200;

const SIG_TOKENS: &[&str] = &[
    "OSS ",
    "OSS2 ",
    "OSS4-HMAC-SHA256 ",
    "Credential=",
    "Signature=",
    "AdditionalHeaders=",
    "AccessKeyId:",
    "Signature:",
    "AdditionalHeaders:",
    "/aliyun_v4_request",
    "OSSAccessKeyId=",
    "Expires=",
    "security-token=",
    "x-oss-signature-version=OSS4-HMAC-SHA256&",
    "x-oss-signature-version=OSS2&",
    "&x-oss-credential=",
    "&x-oss-date=",
    "&x-oss-expires=",
    "&x-oss-signature=",
    "&x-oss-additional-headers=",
    "&x-oss-access-key-id=",
    "&x-oss-security-token=",
    "\nauthorization: ",
    "\ndate: ",
    "\nx-oss-date: ",
    "\nx-oss-security-token: ",
    "\nhost: ",
    "20250115T083000Z",
    "Wed, 15 Jan 2025 08:30:00 GMT",
    "?acl&",
    "x-oss-process=",
    "%2F",
];

const RPC_TOKENS: &[&str] = &[
    "Action=",
    "&Version=",
    "&AccessKeyId=",
    "&Signature=",
    "&SignatureMethod=HMAC-SHA1",
    "&SignatureVersion=1.0",
    "&SignatureNonce=",
    "&Timestamp=",
    "&SecurityToken=",
    "2024-01-01T00%3A00%3A00Z",
    "2024-01-01T00:00:00.123456789Z",
    "ACS3-HMAC-SHA256 ",
    "Credential=",
    ",SignedHeaders=",
    ",Signature=",
    "\nauthorization: ",
    "\nx-acs-action: ",
    "\nx-acs-version: ",
    "\nx-acs-date: ",
    "\nx-acs-signature-nonce: ",
    "\nx-acs-content-sha256: ",
    "\nx-acs-security-token: ",
    "\ncontent-type: application/x-www-form-urlencoded",
    "\n\n",
];

/// An owned OSS request from a corpus file: `METHOD /bucket/key?query`, then headers.
struct OssReq {
    method: String,
    bucket: Option<String>,
    key: Option<String>,
    query: Vec<QueryParam>,
    headers: Vec<(String, String)>,
}

impl OssReq {
    fn from_text(text: &str) -> Self {
        let (line, raw_headers, _) = split_request(text);
        let (method, target) = line.split_once(' ').unwrap_or((line, "/"));
        let (path, raw_query) = target.split_once('?').unwrap_or((target, ""));
        let path = path.strip_prefix('/').unwrap_or(path);
        let (bucket, key) = match path.split_once('/') {
            _ if path.is_empty() => (None, None),
            None => (Some(path.to_owned()), None),
            Some((b, "")) => (Some(b.to_owned()), None),
            Some((b, k)) => (
                Some(b.to_owned()),
                Some(percent_decode_str(k).decode_utf8_lossy().into_owned()),
            ),
        };
        // Lowercase names; repeated headers joined with `,` as the SigningView expects.
        let mut headers: Vec<(String, String)> = Vec::new();
        for (name, value) in raw_headers {
            let name = name.to_ascii_lowercase();
            match headers.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => {
                    v.push(',');
                    v.push_str(value);
                }
                None => headers.push((name, value.to_owned())),
            }
        }
        Self {
            method: method.to_owned(),
            bucket,
            key,
            query: QueryParam::parse_query(raw_query),
            headers,
        }
    }

    fn view(&self) -> SigningView<'_> {
        SigningView {
            method: &self.method,
            bucket: self.bucket.as_deref(),
            key: self.key.as_deref(),
            query: &self.query,
            headers: &self.headers,
            raw_path: "/",
            body_sha256: None,
        }
    }
}

fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// A signature error explains itself (the server maps each variant to a 400 or 403).
fn assert_typed(e: &SigError) {
    assert!(!e.to_string().is_empty(), "{e:?}");
}

/// Parses and verifies one OSS request; returns the parse result and the verification.
fn check_oss(text: &str) -> Option<(AuthRequest, Result<(), SigError>)> {
    let req = OssReq::from_text(text);
    let view = req.view();
    let parsed = ossd_sig::parse(&view);
    assert_eq!(parsed, ossd_sig::parse(&view), "parse is deterministic");
    let auth = match parsed {
        Err(e) => {
            assert_typed(&e);
            return None;
        }
        Ok(None) => {
            assert!(
                view.header("authorization").is_none(),
                "anonymous with a header"
            );
            return None;
        }
        Ok(Some(auth)) => auth,
    };
    let in_url = auth.scheme.is_presigned();
    assert_eq!(in_url, view.header("authorization").is_none());
    assert_eq!(auth.url_expires_at().is_some(), in_url);
    let v4 = matches!(auth.scheme, Scheme::V4Header | Scheme::V4Query);
    assert_eq!(auth.scope().is_some(), v4);
    if let Some(scope) = auth.scope() {
        // Render → parse round trip of the credential.
        let rendered = scope.credential(&auth.access_key_id);
        let again = Scope::parse_credential(&rendered);
        assert_eq!(again, Ok((auth.access_key_id.clone(), scope.clone())));
    }
    let verified = ossd_sig::verify(&auth, &view, OSS_SECRET, at(OSS_T0));
    if let Err(e) = &verified {
        assert_typed(e);
    }
    Some((auth, verified))
}

/// The signatures of the `valid-*` files, which must all verify.
fn known_signatures(target: &Target, verify: impl Fn(&str) -> Option<String>) -> HashSet<String> {
    let mut known = HashSet::new();
    for (path, bytes) in target.corpus() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| n.starts_with("valid-")) {
            let text = String::from_utf8_lossy(bytes);
            let sig = verify(&text);
            let sig = sig.unwrap_or_else(|| panic!("{} does not verify", path.display()));
            known.insert(sig);
        }
    }
    assert!(!known.is_empty(), "no valid-* files");
    known
}

#[test]
fn fuzz_sig_request() {
    let target = Target::new("sig_request", SIG_TOKENS);
    for (name, bytes) in target.realistic() {
        let parsed = check_oss(&String::from_utf8_lossy(bytes));
        assert!(parsed.is_some(), "{name} does not parse");
    }
    let known = known_signatures(&target, |text| match check_oss(text) {
        Some((auth, Ok(()))) => Some(auth.signature_provided().to_owned()),
        _ => None,
    });
    target.run_str(|text| {
        if let Some((auth, Ok(()))) = check_oss(text) {
            // Mutations never forge a signature: whatever verifies reuses a vector's one.
            let sig = auth.signature_provided();
            assert!(known.contains(sig), "new signature {sig:?} verified");
        }
    });
}

/// The PostObject signature check of `ossd-server/src/endpoints/post/auth.rs` over `name: value`
/// fields: `Some(signature)` when it verifies.
fn check_post(text: &str) -> Option<String> {
    let (first, rest, _) = split_request(text);
    let mut fields: Vec<(String, &str)> = Vec::new();
    for (name, value) in std::iter::once(first.split_once(':').unwrap_or((first, "")))
        .map(|(n, v)| (n.trim(), v.strip_prefix(' ').unwrap_or(v)))
        .chain(rest)
    {
        let name = name.to_ascii_lowercase();
        if !fields.iter().any(|(n, _)| *n == name) {
            fields.push((name, value));
        }
    }
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
    if let Some(credential) = field("x-oss-credential") {
        let parsed = Scope::parse_credential(credential);
        let (ak, scope) = parsed.ok()?;
        assert_eq!(
            Scope::parse_credential(&scope.credential(&ak)),
            Ok((ak.clone(), scope.clone()))
        );
        if field("x-oss-signature-version") != Some(V4_ALGORITHM) {
            return None;
        }
        let date = field("x-oss-date")?;
        let scope = Scope::new(date.get(..8).unwrap_or(date), scope.region, scope.product);
        let (policy, sig) = (field("policy")?, field("x-oss-signature")?);
        let result = ossd_sig::verify_post_policy_v4(
            OSS_SECRET,
            &scope,
            policy,
            sig,
            &SigningKeyCache::new(),
        );
        return match result {
            Ok(()) => Some(sig.to_owned()),
            Err(e) => {
                assert!(matches!(e, SigError::Mismatch { .. }), "{e:?}");
                None
            }
        };
    }
    let (policy, sig) = (field("policy")?, field("signature")?);
    match ossd_sig::verify_post_policy_v1(OSS_SECRET, policy, sig) {
        Ok(()) => Some(sig.to_owned()),
        Err(e) => {
            assert!(matches!(e, SigError::Mismatch { .. }), "{e:?}");
            None
        }
    }
}

#[test]
fn fuzz_sig_post() {
    let target = Target::new("sig_post", SIG_TOKENS);
    let known = known_signatures(&target, check_post);
    target.run_str(|text| {
        if let Some(sig) = check_post(text) {
            assert!(known.contains(&sig), "new signature {sig:?} verified");
        }
    });
}

/// An owned RPC request from a corpus file (the captured-request format of the RPC vectors).
struct RpcReq {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    params: RpcParams,
}

impl RpcReq {
    fn from_text(text: &str) -> Self {
        let (line, headers, body) = split_request(text);
        let (method, target) = line.split_once(' ').unwrap_or((line, "/"));
        let (path, raw_query) = target.split_once('?').unwrap_or((target, ""));
        let headers: Vec<(String, String)> = headers
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        let form = headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("content-type") && is_form_urlencoded(v));
        let params = collect_params(raw_query, form.then_some(body.as_bytes()));
        assert_eq!(
            params.all().len(),
            params.query().len() + params.form().len()
        );
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            headers,
            body: body.as_bytes().to_vec(),
            params,
        }
    }

    fn view(&self) -> RpcView<'_> {
        RpcView {
            method: &self.method,
            path: &self.path,
            params: &self.params,
            headers: &self.headers,
            body: Some(&self.body),
        }
    }
}

/// Parses and verifies one RPC request: `Some(signature)` when it verifies.
fn check_rpc(text: &str) -> Option<String> {
    let req = RpcReq::from_text(text);
    let view = req.view();
    let parsed = RpcAuth::parse(&view);
    assert_eq!(parsed, RpcAuth::parse(&view), "parse is deterministic");
    let auth = match parsed {
        Ok(Some(auth)) => auth,
        Ok(None) => return None,
        Err(e) => {
            let (status, code, _) = e.code();
            assert!(matches!(status, 400 | 404) && !code.is_empty(), "{e:?}");
            return None;
        }
    };
    assert!(auth.nonce().len() <= MAX_NONCE_LEN);
    // The timestamp text parses, and its rendering parses back to the same second.
    let t = parse_rpc_timestamp(auth.timestamp_raw());
    assert_eq!(t, Some(auth.timestamp()));
    let whole = auth.timestamp().replace_nanosecond(0).ok();
    let rendered = format_rpc_timestamp(auth.timestamp());
    assert_eq!(parse_rpc_timestamp(&rendered), whole);
    let _ = auth.replay_key();
    match ossd_sig::rpc::verify(&auth, &view, RPC_SECRET, at(RPC_T0)) {
        Ok(()) => Some(auth.signature_provided().to_owned()),
        Err(e) => {
            assert_eq!(e.status(), 400, "{e:?}");
            None
        }
    }
}

#[test]
fn fuzz_rpc() {
    let target = Target::new("rpc", RPC_TOKENS);
    let known = known_signatures(&target, check_rpc);
    target.run_str(|text| {
        if let Some(sig) = check_rpc(text) {
            assert!(known.contains(&sig), "new signature {sig:?} verified");
        }
    });
}
