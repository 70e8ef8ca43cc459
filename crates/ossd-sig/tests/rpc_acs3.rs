//! V3 (`ACS3-HMAC-SHA256`) behaviour beyond the vectors: Authorization parsing, required and
//! signed headers, payload hash, tampering, timestamps, tokens and the signer.
#![allow(clippy::unwrap_used)]

mod rpc_common;

use ossd_sig::rpc::{RpcSigError, SIGNATURE_MISMATCH_PREFIX, content_sha256, sign_acs3};
use rpc_common::vectors::*;
use rpc_common::*;

/// The headers every test request signs.
const SIGNED: [&str; 6] = [
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

/// A request signed with `sign_acs3` over `signed` (its headers set to plausible values).
fn signed_acs3(target: &str, extra: &[(&str, &str)], body: &[u8], signed: &[&str]) -> Req {
    let hash = content_sha256(body);
    let mut headers = vec![
        ("host", "sts.example.com"),
        ("x-acs-action", "GetCallerIdentity"),
        ("x-acs-version", "2015-04-01"),
        ("x-acs-date", T2024),
        ("x-acs-signature-nonce", "n-1"),
        ("x-acs-content-sha256", hash.as_str()),
    ];
    headers.extend_from_slice(extra);
    let unsigned = Req::new("POST", target, &headers, body);
    let authorization = sign_acs3(&unsigned.view(), AK, signed, SECRET).unwrap();
    unsigned.with_header("Authorization", &authorization)
}

/// The Authorization value of a request with `from` replaced by `to`.
fn with_authorization(req: &Req, from: &str, to: &str) -> Req {
    let value = req.header("authorization").unwrap().replace(from, to);
    req.without_header("authorization")
        .with_header("authorization", &value)
}

#[test]
fn signer_round_trips_with_query_body_and_token() {
    let plain = signed_acs3("/?B=2&A=x%20y", &[], b"", &SIGNED);
    let auth = plain.verify_at(T2024).unwrap();
    assert_eq!((auth.action(), auth.nonce()), ("GetCallerIdentity", "n-1"));
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let mut names = SIGNED.to_vec();
    names.push("Content-Type");
    let body = signed_acs3("/", &form, b"UserName=bob&Comments=a+b", &names);
    assert_eq!(body.params().get("Comments"), Some("a b"));
    body.verify_at(T2024).unwrap();
    let token = [
        ("x-acs-security-token", "CAIS-x"),
        ("x-acs-accesskey-id", AK),
    ];
    let mut names = SIGNED.to_vec();
    names.extend(["x-acs-security-token", "x-acs-accesskey-id"]);
    let sts = signed_acs3("/", &token, b"", &names);
    assert_eq!(
        sts.verify_at(T2024).unwrap().security_token(),
        Some("CAIS-x")
    );
}

#[test]
fn unsupported_algorithms_and_malformed_authorization() {
    let req = Req::captured(V97_REQUEST);
    let sm3 = with_authorization(&req, "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3");
    let err = parse_err(&sm3);
    assert_eq!(err, RpcSigError::InvalidSignatureMethod);
    assert_eq!(err.code().1, "InvalidSignatureMethod");
    let rsa = with_authorization(&req, "ACS3-HMAC-SHA256", "ACS3-RSA-SHA256");
    assert_eq!(parse_err(&rsa), RpcSigError::InvalidSignatureMethod);
    for (from, to) in [
        (",Signature=", ",Sig="),
        ("Credential=testid,", ""),
        ("SignedHeaders=accept;", "SignedHeaders=;accept;"),
    ] {
        let err = parse_err(&with_authorization(&req, from, to));
        assert!(
            matches!(err, RpcSigError::IncompleteSignature(_)),
            "{from}: {err:?}"
        );
        let (status, code, message) = err.code();
        assert_eq!((status, code.as_ref()), (400, "IncompleteSignature"));
        assert_eq!(
            message,
            "The request signature does not conform to Aliyun standards."
        );
    }
    let twice = req.with_header("authorization", req.header("authorization").unwrap());
    assert!(matches!(
        parse_err(&twice),
        RpcSigError::IncompleteSignature(_)
    ));
}

#[test]
fn non_acs3_authorization_falls_back_to_v1() {
    let req = Req::captured(V93_REQUEST).with_header("Authorization", "Bearer abc");
    req.verify_at(T2024).unwrap();
    assert_eq!(
        Req::captured(V97_REQUEST)
            .without_header("authorization")
            .parse(),
        Ok(None)
    );
}

#[test]
fn signed_header_absent_from_request() {
    let req = Req::captured(V97_REQUEST).without_header("user-agent");
    assert!(matches!(
        parse_err(&req),
        RpcSigError::IncompleteSignature(_)
    ));
}

#[test]
fn required_headers_must_be_present_and_signed() {
    let req = Req::captured(V97_REQUEST);
    for name in SIGNED {
        let err = parse_err(&req.without_header(name));
        assert_eq!(err, RpcSigError::MissingParameter { name }, "{name}");
        let (status, code, message) = err.code();
        assert_eq!((status, code.as_ref()), (400, "MissingParameter"));
        let expected = format!(
            "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
        );
        assert_eq!(message, expected);
        let unsigned: Vec<&str> = SIGNED.iter().copied().filter(|n| *n != name).collect();
        let partial = signed_acs3("/", &[], b"", &unsigned);
        assert!(
            matches!(parse_err(&partial), RpcSigError::IncompleteSignature(_)),
            "{name}"
        );
    }
    let token = signed_acs3("/", &[("x-acs-security-token", "CAIS-x")], b"", &SIGNED);
    assert!(matches!(
        parse_err(&token),
        RpcSigError::IncompleteSignature(_)
    ));
    let ct = signed_acs3("/", &[("content-type", "application/json")], b"{}", &SIGNED);
    assert!(matches!(
        parse_err(&ct),
        RpcSigError::IncompleteSignature(_)
    ));
}

#[test]
fn tampered_query_header_secret_and_method() {
    let req = Req::captured(V99_REQUEST);
    let query = req.replaced("DisplayName=Bob+Smith", "DisplayName=Bob+Jones");
    let err = query.verify_at(T2024).unwrap_err();
    assert!(mismatch_sts(&err).starts_with("ACS3-HMAC-SHA256\n"));
    assert_ne!(mismatch_sts(&err), V99_STS);
    let added = req.replaced("UserName=bob", "UserName=bob&Extra=");
    assert!(added.verify_at(T2024).is_err());
    let ua = req.replaced("TeaDSL/2", "TeaDSL/3");
    assert!(matches!(
        ua.verify_at(T2024),
        Err(RpcSigError::SignatureDoesNotMatch { .. })
    ));
    let err = req.verify_with("wrong", T2024).unwrap_err();
    assert_eq!(mismatch_sts(&err), V99_STS);
    assert!(req.with_method("GET").verify_at(T2024).is_err());
    let sig = with_authorization(&req, "Signature=1abf", "Signature=1abe");
    assert!(sig.verify_at(T2024).is_err());
    // An unsigned header may change freely.
    req.with_header("accept-encoding", "gzip")
        .verify_at(T2024)
        .unwrap();
}

#[test]
fn payload_hash_is_checked_against_the_body() {
    let req = Req::captured(V97_REQUEST);
    let mut with_body = req.clone();
    with_body.body = b"smuggled".to_vec();
    let err = with_body.verify_at(T2024).unwrap_err();
    assert!(matches!(err, RpcSigError::PayloadHashMismatch { .. }));
    assert_eq!(err.code().1, "SignatureDoesNotMatch");
    // Without the body the caller opts out of the check; the signed hash still must match.
    with_body.pass_body = false;
    with_body.verify_at(T2024).unwrap();
    let hash = req.replaced(EMPTY_SHA256, &content_sha256(b"x"));
    assert!(matches!(
        hash.verify_at(T2024),
        Err(RpcSigError::PayloadHashMismatch { .. })
    ));
}

#[test]
fn tampered_form_body_of_v9_10() {
    let base = v9_10_request();
    base.verify_at(T2024).unwrap();
    let tampered = base.replaced("PolicyName=p1", "PolicyName=p2");
    assert_eq!(tampered.params().get("PolicyName"), Some("p2"));
    let err = tampered.verify_at(T2024).unwrap_err();
    assert!(matches!(err, RpcSigError::PayloadHashMismatch { .. }));
    let expected_prefix = format!("{SIGNATURE_MISMATCH_PREFIX}ACS3-HMAC-SHA256\n");
    assert!(err.message().starts_with(&expected_prefix));
    let query = base.replaced("Tag.1.Key=env", "Tag.1.Key=prod");
    assert!(matches!(
        query.verify_at(T2024),
        Err(RpcSigError::SignatureDoesNotMatch { .. })
    ));
}

#[test]
fn action_parameter_must_agree_with_header() {
    let req = signed_acs3("/?Action=AssumeRole", &[], b"", &SIGNED);
    let err = parse_err(&req);
    assert_eq!(
        err,
        RpcSigError::InvalidParameter {
            name: "Action or Version"
        }
    );
    assert_eq!(
        err.message(),
        "The specified parameter \"Action or Version\" is not valid."
    );
    let version = signed_acs3("/?Version=2015-05-01", &[], b"", &SIGNED);
    assert_eq!(
        parse_err(&version),
        RpcSigError::InvalidParameter {
            name: "Action or Version"
        }
    );
    signed_acs3(
        "/?Action=GetCallerIdentity&Version=2015-04-01",
        &[],
        b"",
        &SIGNED,
    )
    .verify_at(T2024)
    .unwrap();
}

#[test]
fn access_key_id_header_must_equal_credential() {
    let req = Req::captured(V98_REQUEST);
    let other = req
        .without_header("x-acs-accesskey-id")
        .with_header("x-acs-accesskey-id", "someone");
    assert_eq!(
        parse_err(&other),
        RpcSigError::InvalidParameter {
            name: "x-acs-accesskey-id"
        }
    );
}

#[test]
fn timestamps_window_and_format() {
    let req = Req::captured(V98_REQUEST);
    req.verify_at(&shifted(T2024, -900)).unwrap();
    assert_eq!(
        req.verify_at(&shifted(T2024, 901)).unwrap_err(),
        RpcSigError::TimestampExpired
    );
    assert_eq!(
        req.verify_at(&shifted(T2024, -901)).unwrap_err(),
        RpcSigError::TimestampExpired
    );
    let bad = req
        .without_header("x-acs-date")
        .with_header("x-acs-date", "Mon, 01 Jan 2024 00:00:00 GMT");
    assert_eq!(parse_err(&bad), RpcSigError::TimestampFormat);
}

#[test]
fn repeated_semantic_headers_are_rejected() {
    let req = Req::captured(V97_REQUEST).with_header("x-acs-date", T2024);
    assert_eq!(
        parse_err(&req),
        RpcSigError::InvalidParameter { name: "x-acs-date" }
    );
}

#[test]
fn repeated_signed_headers_are_sorted_and_joined() {
    let req = signed_acs3(
        "/",
        &[("x-custom", "b"), ("x-custom", " a ")],
        b"",
        &[&SIGNED[..], &["x-custom"]].concat(),
    );
    req.verify_at(T2024).unwrap();
    let reordered = req
        .without_header("x-custom")
        .with_header("x-custom", "a")
        .with_header("x-custom", "b");
    reordered.verify_at(T2024).unwrap();
    let changed = req.without_header("x-custom").with_header("x-custom", "a");
    assert!(changed.verify_at(T2024).is_err());
}
