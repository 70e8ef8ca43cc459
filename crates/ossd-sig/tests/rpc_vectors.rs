//! The RPC test vectors 9.1 to 9.10 (docs/protocol/rpc.md#test-vectors): every vector reproduces
//! its canonical string, string to sign and signature byte for byte and verifies at its timestamp;
//! 9.5/9.6 only through their variant.
#![allow(clippy::unwrap_used)]

mod rpc_common;

use ossd_sig::rpc::{
    RpcScheme, RpcSigError, SIGNATURE_MISMATCH_PREFIX, V1Variant, acs3_canonical_request,
    acs3_signature, acs3_string_to_sign, content_sha256, sign_acs3, sign_v1, sign_v1_variant,
    v1_canonicalized_query, v1_matching_variant, v1_string_to_sign,
};
use rpc_common::vectors::*;
use rpc_common::*;

/// The 9.1 parameters as a GET query string (signature appended by the caller).
const V91_QUERY: &str = "UserName=test&SignatureVersion=1.0&Format=JSON&Timestamp=2015-08-18T03%3A15%3A45Z\
&AccessKeyId=testid&SignatureMethod=HMAC-SHA1&Version=2015-05-01&Action=CreateUser\
&SignatureNonce=6a6e0ca6-4557-11e5-86a2-b8e8563dc8d2";

/// The second official example (IMS CreateUser), GET.
const V91_IMS_QUERY: &str = "Action=CreateUser&Version=2019-08-15&UserPrincipalName=test%40example.onaliyun.com\
&DisplayName=test&Timestamp=2021-01-15T06%3A02%3A28Z&SignatureNonce=3f6b4e80-56f7-11eb-a256-a9f756ea7e85\
&SignatureVersion=1.0&Format=JSON&AccessKeyId=testid&SignatureMethod=HMAC-SHA1";

/// The wire signature of a request, decoded.
fn wire_signature(req: &Req) -> String {
    req.params().get("Signature").unwrap().to_owned()
}

/// One variant's string to sign and signature for the request's own parameters.
fn variant(req: &Req, v: V1Variant) -> (String, String) {
    let params = req.params().all();
    (
        v1_string_to_sign(&req.method, params, v),
        sign_v1_variant(&req.method, params, SECRET, v),
    )
}

/// A standard v1 vector: canonical string, string to sign, signature, matching variant, verify.
fn assert_standard_v1(req: &Req, canonical: &str, sts: &str, now: &str) {
    let params = req.params().all();
    let sig = wire_signature(req);
    assert_eq!(
        v1_canonicalized_query(params, V1Variant::Standard),
        canonical
    );
    assert_eq!(
        v1_string_to_sign(&req.method, params, V1Variant::Standard),
        sts
    );
    assert_eq!(sign_v1(&req.method, params, SECRET), sig);
    let found = v1_matching_variant(&req.method, params, SECRET, &sig);
    assert_eq!(found, Some(V1Variant::Standard));
    let auth = req.verify_at(now).unwrap();
    assert_eq!(auth.scheme(), RpcScheme::V1);
    assert_eq!(auth.access_key_id(), AK);
    assert_eq!(auth.security_token(), None);
    assert_eq!(auth.timestamp(), at(now));
}

#[test]
fn v9_1_official_create_user() {
    let req = Req::new(
        "GET",
        &format!("/?{V91_QUERY}&Signature=kRA2cnpJVacIhDMzXnoNZG9tDCI%3D"),
        &[],
        b"",
    );
    let params = req.params().all();
    assert_eq!(
        v1_string_to_sign("GET", params, V1Variant::Standard),
        V91_STS
    );
    assert_eq!(
        sign_v1("GET", params, SECRET),
        "kRA2cnpJVacIhDMzXnoNZG9tDCI="
    );
    let auth = req.verify_at("2015-08-18T03:15:45Z").unwrap();
    assert_eq!(
        (auth.action(), auth.version()),
        ("CreateUser", "2015-05-01")
    );
    assert_eq!(auth.nonce(), "6a6e0ca6-4557-11e5-86a2-b8e8563dc8d2");
    assert_eq!(auth.timestamp_raw(), "2015-08-18T03:15:45Z");
}

#[test]
fn v9_1_official_ims_create_user() {
    let target = format!("/?{V91_IMS_QUERY}&Signature=02heLegtw4%2BBFamznl1Ltj%2BvJ4A%3D");
    let req = Req::new("GET", &target, &[], b"");
    assert_eq!(
        sign_v1("GET", req.params().all(), SECRET),
        "02heLegtw4+BFamznl1Ltj+vJ4A="
    );
    let auth = req.verify_at("2021-01-15T06:02:28Z").unwrap();
    assert_eq!(auth.version(), "2019-08-15");
}

#[test]
fn v9_2_pop_core_post_form() {
    let req = Req::captured(V92_REQUEST);
    assert!(req.raw_query.is_empty() && req.params().form().len() == 13);
    assert_eq!(wire_signature(&req), "4g1fyMQR5qMEYyD8ziUZYa+bFbY=");
    assert_standard_v1(&req, V92_CANONICAL, V92_STS, T2024);
    let auth = req.parse().unwrap().unwrap();
    assert_eq!(
        (auth.action(), auth.version()),
        ("AssumeRole", "2015-04-01")
    );
    assert_eq!(auth.nonce(), "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
}

#[test]
fn v9_3_python_core_post_query_with_empty_signature_type() {
    let req = Req::captured(V93_REQUEST);
    assert!(req.params().form().is_empty());
    assert_eq!(req.params().get("SignatureType"), Some(""));
    assert_eq!(wire_signature(&req), "Nx4RbXDXYwxG5AoPeG+rRESRPrc=");
    assert_standard_v1(&req, V93_CANONICAL, V93_STS, T2024);
}

#[test]
fn v9_4_ali_oss_form_with_raw_star_and_milliseconds() {
    let req = Req::captured(V94_REQUEST);
    assert_eq!(wire_signature(&req), "/ZXqEvg1X+KOm2zqt31C2kUYy2o=");
    assert_standard_v1(&req, V94_CANONICAL, V94_STS, "2024-01-01T00:00:00.000Z");
    assert_eq!(req.parse().unwrap().unwrap().nonce(), "0.5");
}

#[test]
fn v9_5_sts_sdk_verifies_only_through_js_variant() {
    let req = Req::captured(V95_REQUEST);
    let wire = wire_signature(&req);
    assert_eq!(wire, "kGgPLyKWA9+7EItOO0BugMyQBgQ=");
    let params = req.params().all();
    assert_eq!(
        v1_canonicalized_query(params, V1Variant::Standard),
        V95_CANONICAL
    );
    let (standard_sts, standard_sig) = variant(&req, V1Variant::Standard);
    assert_eq!(
        (standard_sts.as_str(), standard_sig.as_str()),
        (V95_STS, "o2OLNo/EzA3hUuti1PlSXVys4iQ=")
    );
    let (js_sts, js_sig) = variant(&req, V1Variant::Js);
    assert_eq!(
        (js_sts.as_str(), js_sig.as_str()),
        (V95_JS_STS, wire.as_str())
    );
    assert_ne!(variant(&req, V1Variant::Plus).1, wire);
    assert_eq!(
        v1_matching_variant(&req.method, params, SECRET, &wire),
        Some(V1Variant::Js)
    );
    assert_eq!(
        req.verify_at("2024-01-01T00:00:00.000Z")
            .unwrap()
            .access_key_id(),
        AK
    );
}

#[test]
fn v9_6_credentials_verifies_only_through_plus_variant() {
    let req = Req::captured(V96_REQUEST);
    let wire = wire_signature(&req);
    assert_eq!(wire, "86/eghQ6MW0Hh5jfrnPvtXXAXkE=");
    let params = req.params().all();
    assert_eq!(
        v1_canonicalized_query(params, V1Variant::Standard),
        V96_CANONICAL
    );
    let (standard_sts, standard_sig) = variant(&req, V1Variant::Standard);
    assert_eq!(
        (standard_sts.as_str(), standard_sig.as_str()),
        (V96_STS, "fSRWdOhaH7oUxyB8PS0xxsPnFjc=")
    );
    let (plus_sts, plus_sig) = variant(&req, V1Variant::Plus);
    assert_eq!(
        (plus_sts.as_str(), plus_sig.as_str()),
        (V96_PLUS_STS, wire.as_str())
    );
    assert_eq!(
        standard_sts.replace("%2520", "%2B"),
        plus_sts,
        "spec shortcut"
    );
    assert_ne!(variant(&req, V1Variant::Js).1, wire);
    assert_eq!(
        v1_matching_variant(&req.method, params, SECRET, &wire),
        Some(V1Variant::Plus)
    );
    req.verify_at(T2024).unwrap();
}

#[test]
fn standard_vectors_do_not_need_variants() {
    for text in [V92_REQUEST, V93_REQUEST, V94_REQUEST] {
        let req = Req::captured(text);
        let wire = wire_signature(&req);
        let standard = variant(&req, V1Variant::Standard).0;
        // Plus differs only with spaces: these vectors have none, so it is never tried.
        assert_eq!(variant(&req, V1Variant::Plus).0, standard);
        // Js differs (the policy contains `*`) and must not match.
        assert_ne!(variant(&req, V1Variant::Js).1, wire);
    }
}

/// A V3 vector: canonical request, string to sign, signature, the signer, and verification.
fn assert_acs3(req: &Req, canonical: &str, sts: &str) -> ossd_sig::rpc::RpcAuth {
    let auth = req.parse().unwrap().unwrap();
    let signed = auth.signed_headers().unwrap();
    let hashed = req.header("x-acs-content-sha256").unwrap();
    let view = req.view();
    assert_eq!(
        acs3_canonical_request(&view, signed, hashed).unwrap(),
        canonical
    );
    assert_eq!(acs3_string_to_sign(canonical), sts);
    assert_eq!(acs3_signature(SECRET, sts), auth.signature_provided());
    let names: Vec<&str> = signed.split(';').collect();
    let authorization = sign_acs3(&view, AK, &names, SECRET).unwrap();
    assert_eq!(Some(authorization.as_str()), req.header("authorization"));
    let verified = req.verify_at(T2024).unwrap();
    assert_eq!(verified.scheme(), RpcScheme::Acs3);
    assert_eq!(verified.access_key_id(), AK);
    assert_eq!(verified.nonce(), "3156853299f313e23d1673dc12e1703d");
    verified
}

#[test]
fn v9_7_tea_assume_role() {
    let req = Req::captured(V97_REQUEST);
    let auth = assert_acs3(&req, V97_CANONICAL, V97_STS);
    assert_eq!(
        auth.signature_provided(),
        "52cfea5072c031800060e3bbaf74a6dc6b16bfeea3de3dbcb401487ac75b7f55"
    );
    assert_eq!(
        (auth.action(), auth.version()),
        ("AssumeRole", "2015-04-01")
    );
    assert_eq!(auth.security_token(), None);
    assert_eq!(content_sha256(b""), EMPTY_SHA256);
}

#[test]
fn v9_8_tea_get_caller_identity_with_sts_token() {
    let req = Req::captured(V98_REQUEST);
    let auth = assert_acs3(&req, V98_CANONICAL, V98_STS);
    assert_eq!(
        auth.signature_provided(),
        "f04a15e263356e3eebc62de3fa74a8d3d6aeb783a4b70662ff6e762c8428bf4d"
    );
    assert_eq!(auth.action(), "GetCallerIdentity");
    assert_eq!(auth.security_token(), Some("CAIS+test/token=="));
}

#[test]
fn v9_9_tea_ram_create_user_plus_in_query() {
    let req = Req::captured(V99_REQUEST);
    assert_eq!(req.params().get("DisplayName"), Some("Bob Smith"));
    let auth = assert_acs3(&req, V99_CANONICAL, V99_STS);
    assert_eq!(
        auth.signature_provided(),
        "1abf79a5dae459e7e03edd72b6f234af914685b415edde8f3e29eb9ea529206a"
    );
    assert_eq!(
        (auth.action(), auth.version()),
        ("CreateUser", "2015-05-01")
    );
}

#[test]
fn v9_10_form_body_is_covered_by_payload_hash_only() {
    let req = v9_10_request();
    assert_eq!(
        content_sha256(&req.body),
        req.header("x-acs-content-sha256").unwrap()
    );
    assert_eq!(req.params().query().len(), 2);
    assert_eq!(
        req.params().get("PolicyDocument"),
        Some("{\"Version\":\"1\"}")
    );
    assert_eq!(req.params().get("Description"), Some("a b"));
    let auth = req.parse().unwrap().unwrap();
    let view = req.view();
    let hashed = req.header("x-acs-content-sha256").unwrap();
    let canonical = acs3_canonical_request(&view, auth.signed_headers().unwrap(), hashed).unwrap();
    assert_eq!(canonical, V910_CANONICAL);
    assert_eq!(acs3_string_to_sign(&canonical), V910_STS);
    let verified = req.verify_at(T2024).unwrap();
    assert_eq!(
        (verified.action(), verified.nonce()),
        ("CreatePolicy", "n-0001")
    );
}

#[test]
fn v9_11_signature_error_message_for_wrong_secret() {
    let req = Req::captured(V92_REQUEST);
    let err = req.verify_with("wrongsecret", T2024).unwrap_err();
    assert_eq!(mismatch_sts(&err), V92_STS);
    let (status, code, message) = err.code();
    assert_eq!((status, code.as_ref()), (400, "SignatureDoesNotMatch"));
    assert_eq!(message, format!("{SIGNATURE_MISMATCH_PREFIX}{V92_STS}"));
    // aliyun-python-sdk-core compares everything after the first ':' with its own string to sign.
    assert_eq!(message.split_once(':').map(|(_, s)| s), Some(V92_STS));
    assert!(matches!(err, RpcSigError::SignatureDoesNotMatch { .. }));
}
