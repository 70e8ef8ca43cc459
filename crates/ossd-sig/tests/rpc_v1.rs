//! v1 (HMAC-SHA1) behaviour beyond the vectors: tampering, timestamps, required parameters,
//! GET versus POST form, tokens and replay keys.
#![allow(clippy::unwrap_used)]

mod rpc_common;

use ossd_sig::rpc::{RpcSigError, V1Variant, sign_v1_variant, v1_matching_variant};
use rpc_common::vectors::*;
use rpc_common::*;

#[test]
fn tampered_parameter_fails_with_servers_string_to_sign() {
    let req =
        Req::captured(V92_REQUEST).replaced("RoleSessionName=alice", "RoleSessionName=mallory");
    let err = req.verify_at(T2024).unwrap_err();
    assert_eq!(mismatch_sts(&err), V92_STS.replace("alice", "mallory"));
}

#[test]
fn tampered_signature_secret_and_method_fail() {
    let req = Req::captured(V93_REQUEST);
    let bad_sig = req.replaced(
        "Nx4RbXDXYwxG5AoPeG%2BrRESRPrc%3D",
        "Nx4RbXDXYwxG5AoPeG%2BrRESRPrd%3D",
    );
    assert!(matches!(
        bad_sig.verify_at(T2024),
        Err(RpcSigError::SignatureDoesNotMatch { .. })
    ));
    assert!(matches!(
        req.verify_with("testsecreT", T2024),
        Err(RpcSigError::SignatureDoesNotMatch { .. })
    ));
    let as_get = req.with_method("GET");
    assert!(mismatch_sts(&as_get.verify_at(T2024).unwrap_err()).starts_with("GET&%2F&"));
    let added = req.replaced("RegionId=cn-hangzhou", "RegionId=cn-hangzhou&Extra=1");
    assert!(added.verify_at(T2024).is_err());
}

#[test]
fn variant_vectors_fail_when_tampered_or_wrong_secret() {
    for (text, now) in [
        (V95_REQUEST, "2024-01-01T00:00:00.000Z"),
        (V96_REQUEST, T2024),
    ] {
        let req = Req::captured(text);
        assert!(req.verify_with("other", now).is_err());
        let tampered = req.replaced("alice", "alicf");
        let err = tampered.verify_at(now).unwrap_err();
        // The message always shows the standard string to sign.
        assert!(mismatch_sts(&err).contains("RoleSessionName%3Dalicf"));
    }
}

#[test]
fn timestamp_window_is_fifteen_minutes_both_ways() {
    let req = Req::captured(V92_REQUEST);
    req.verify_at(&shifted(T2024, 900)).unwrap();
    req.verify_at(&shifted(T2024, -900)).unwrap();
    for skew in [901, -901, 86_400, -86_400] {
        let err = req.verify_at(&shifted(T2024, skew)).unwrap_err();
        assert_eq!(err, RpcSigError::TimestampExpired);
        let (status, code, message) = err.code();
        assert_eq!((status, code.as_ref()), (400, "InvalidTimeStamp.Expired"));
        assert_eq!(message, "Specified time stamp or date value is expired.");
    }
    // The window is checked before the signature: step 3 before step 6 of
    // docs/protocol/rpc.md#v1-authentication-order.
    let err = req.verify_with("wrong", &shifted(T2024, 3600)).unwrap_err();
    assert_eq!(err, RpcSigError::TimestampExpired);
    let auth = req.parse().unwrap().unwrap();
    assert_eq!(
        auth.check_timestamp(at(&shifted(T2024, 901))),
        Err(RpcSigError::TimestampExpired)
    );
}

#[test]
fn malformed_timestamps_fail_at_parse() {
    for bad in [
        "1704067200",
        "2024-01-01 00:00:00Z",
        "2024-01-01T00:00:00+08:00",
        "2024-1-1T0:0:0Z",
        "garbage",
    ] {
        let req = signed_v1(
            "GET",
            &v1_pairs(&[("Timestamp", bad)], &["Timestamp"]),
            false,
        );
        let err = parse_err(&req);
        assert_eq!(err, RpcSigError::TimestampFormat, "{bad}");
        let (status, code, message) = err.code();
        assert_eq!((status, code.as_ref()), (400, "InvalidTimeStamp.Format"));
        assert_eq!(
            message,
            "Specified time stamp or date value is not well formatted."
        );
    }
    let with_ms = signed_v1(
        "GET",
        &v1_pairs(&[("Timestamp", "2024-01-01T00:00:00.123Z")], &["Timestamp"]),
        false,
    );
    with_ms.verify_at(T2024).unwrap();
}

#[test]
fn missing_required_parameters() {
    for name in [
        "Action",
        "Version",
        "AccessKeyId",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "Timestamp",
    ] {
        let req = signed_v1("GET", &v1_pairs(&[], &[name]), false);
        let err = parse_err(&req);
        assert_eq!(
            err,
            RpcSigError::Missing {
                name: static_name(name)
            }
        );
        let (status, code, message) = err.code();
        assert_eq!((status, code.into_owned()), (400, format!("Missing{name}")));
        assert_eq!(message, format!("{name} is mandatory for this action."));
        let empty = signed_v1("GET", &v1_pairs(&[(name, "")], &[name]), false);
        assert_eq!(
            parse_err(&empty),
            RpcSigError::Missing {
                name: static_name(name)
            }
        );
    }
    let (_, code, message) = RpcSigError::Missing {
        name: "AccessKeyId",
    }
    .code();
    assert_eq!(
        (code.as_ref(), message.as_str()),
        (
            "MissingAccessKeyId",
            "AccessKeyId is mandatory for this action."
        )
    );
}

/// The `&'static str` spelling of a required parameter name.
fn static_name(name: &str) -> &'static str {
    [
        "Action",
        "Version",
        "AccessKeyId",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "Timestamp",
    ]
    .into_iter()
    .find(|n| *n == name)
    .unwrap()
}

#[test]
fn unsigned_requests_are_anonymous_and_empty_signature_is_missing() {
    let anonymous = Req::new("GET", &format!("/?{}", encode_pairs(&V1_BASE)), &[], b"");
    assert_eq!(anonymous.parse(), Ok(None));
    let (_, code, message) = RpcSigError::Missing { name: "Signature" }.code();
    assert_eq!(
        (code.as_ref(), message.as_str()),
        (
            "MissingSignature",
            "Signature is mandatory for this action."
        )
    );
    let empty = anonymous.replaced("Format=JSON", "Format=JSON&Signature=");
    assert_eq!(
        parse_err(&empty),
        RpcSigError::Missing { name: "Signature" }
    );
}

#[test]
fn unsigned_request_error_names_what_is_missing() {
    use ossd_sig::rpc::RpcAuth;
    let unsigned = |pairs: &[(&str, &str)], headers: &[(&str, &str)]| {
        let req = Req::new("GET", &format!("/?{}", encode_pairs(pairs)), headers, b"");
        assert_eq!(req.parse(), Ok(None));
        RpcAuth::unsigned_error(&req.view())
    };
    let missing_signature = RpcSigError::Missing { name: "Signature" };
    // An AccessKeyId without a Signature: the signature is what is missing (400).
    let err = unsigned(&V1_BASE, &[]);
    assert_eq!(err, missing_signature);
    assert_eq!(err.status(), 400);
    assert_eq!(err.code_name(), "MissingSignature");
    // The same with the key named only in the V3 header and no Authorization header.
    let no_param = v1_pairs(&[], &["AccessKeyId"]);
    assert_eq!(
        unsigned(&no_param, &[("x-acs-accesskey-id", AK)]),
        missing_signature
    );
    // A form body counts like the query.
    let body = encode_pairs(&V1_BASE);
    let ct = [("content-type", "application/x-www-form-urlencoded")];
    let form = Req::new("POST", "/", &ct, body.as_bytes());
    assert_eq!(form.parse(), Ok(None));
    assert_eq!(RpcAuth::unsigned_error(&form.view()), missing_signature);
    // Neither a key nor a signature (or an empty key): the key is checked first.
    let missing_key = RpcSigError::Missing {
        name: "AccessKeyId",
    };
    assert_eq!(unsigned(&no_param, &[]), missing_key);
    let empty_key = v1_pairs(&[("AccessKeyId", "")], &["AccessKeyId"]);
    assert_eq!(
        unsigned(&empty_key, &[("x-acs-accesskey-id", " ")]),
        missing_key
    );
}

#[test]
fn unsupported_method_and_version() {
    let method = signed_v1(
        "GET",
        &v1_pairs(&[("SignatureMethod", "HMAC-SHA256")], &["SignatureMethod"]),
        false,
    );
    let err = parse_err(&method);
    assert_eq!(
        err,
        RpcSigError::InvalidParameter {
            name: "SignatureMethod"
        }
    );
    let (status, code, message) = err.code();
    assert_eq!((status, code.as_ref()), (400, "InvalidParameter"));
    assert_eq!(
        message,
        "The specified parameter \"SignatureMethod\" is not valid."
    );
    let version = signed_v1(
        "GET",
        &v1_pairs(&[("SignatureVersion", "2.0")], &["SignatureVersion"]),
        false,
    );
    assert_eq!(
        parse_err(&version),
        RpcSigError::InvalidParameter {
            name: "SignatureVersion"
        }
    );
}

#[test]
fn repeated_auth_parameters_are_rejected() {
    let req = Req::captured(V92_REQUEST);
    let mut twice = req.clone();
    twice.raw_query = "AccessKeyId=testid".to_owned();
    twice.refresh();
    assert_eq!(
        parse_err(&twice),
        RpcSigError::InvalidParameter {
            name: "AccessKeyId"
        }
    );
    let nonce = req.replaced(
        "SignatureNonce=3ee8",
        "SignatureNonce=x&SignatureNonce=3ee8",
    );
    assert_eq!(
        parse_err(&nonce),
        RpcSigError::InvalidParameter {
            name: "SignatureNonce"
        }
    );
}

#[test]
fn get_query_and_post_form_both_verify() {
    let pairs = v1_pairs(&[("UserName", "a b*(x)~'!")], &[]);
    signed_v1("GET", &pairs, false).verify_at(T2024).unwrap();
    signed_v1("POST", &pairs, false).verify_at(T2024).unwrap();
    let form = signed_v1("POST", &pairs, true);
    assert!(form.params().query().is_empty());
    form.verify_at(T2024).unwrap();
    // A body without the form content type is not a parameter source.
    let json = form
        .without_header("content-type")
        .with_header("content-type", "application/json");
    assert_eq!(json.parse(), Ok(None));
    let charset = form.without_header("content-type").with_header(
        "Content-Type",
        "application/x-www-form-urlencoded; charset=UTF-8",
    );
    charset.verify_at(T2024).unwrap();
}

#[test]
fn signature_split_between_query_and_form() {
    let form = signed_v1("POST", &v1_pairs(&[], &[]), true);
    let body = String::from_utf8(form.body.clone()).unwrap();
    let (rest, sig) = body.rsplit_once("&Signature=").unwrap();
    let ct = [("content-type", "application/x-www-form-urlencoded")];
    let split = Req::new("POST", &format!("/?Signature={sig}"), &ct, rest.as_bytes());
    split.verify_at(T2024).unwrap();
}

#[test]
fn raw_plus_in_signature_is_tolerated() {
    let req = Req::captured(V92_REQUEST).replaced(
        "Signature=4g1fyMQR5qMEYyD8ziUZYa%2BbFbY%3D",
        "Signature=4g1fyMQR5qMEYyD8ziUZYa+bFbY=",
    );
    assert_eq!(
        req.params().get("Signature"),
        Some("4g1fyMQR5qMEYyD8ziUZYa bFbY=")
    );
    req.verify_at(T2024).unwrap();
}

#[test]
fn security_token_from_parameter_or_header() {
    let token = [("SecurityToken", "CAIS+tok/en==")];
    let param = signed_v1("POST", &v1_pairs(&token, &[]), true);
    assert_eq!(
        param.verify_at(T2024).unwrap().security_token(),
        Some("CAIS+tok/en==")
    );
    let both = param.with_header("x-acs-security-token", "CAIS+tok/en==");
    assert_eq!(
        both.verify_at(T2024).unwrap().security_token(),
        Some("CAIS+tok/en==")
    );
    let conflict = param.with_header("x-acs-security-token", "CAIS-other");
    assert_eq!(
        parse_err(&conflict),
        RpcSigError::InvalidParameter {
            name: "SecurityToken"
        }
    );
    let header_only =
        signed_v1("GET", &v1_pairs(&[], &[]), false).with_header("X-Acs-Security-Token", "CAIS-h");
    assert_eq!(
        header_only.verify_at(T2024).unwrap().security_token(),
        Some("CAIS-h")
    );
    let none = signed_v1("GET", &v1_pairs(&[("SecurityToken", "")], &[]), false);
    assert_eq!(none.verify_at(T2024).unwrap().security_token(), None);
}

#[test]
fn replay_keys_and_nonce_limits() {
    let a = signed_v1(
        "GET",
        &v1_pairs(
            &[("AccessKeyId", "a:b"), ("SignatureNonce", "c")],
            &["AccessKeyId", "SignatureNonce"],
        ),
        false,
    );
    let b = signed_v1(
        "GET",
        &v1_pairs(
            &[("AccessKeyId", "a"), ("SignatureNonce", "b:c")],
            &["AccessKeyId", "SignatureNonce"],
        ),
        false,
    );
    let (a, b) = (a.parse().unwrap().unwrap(), b.parse().unwrap().unwrap());
    assert_ne!(a.replay_key(), b.replay_key());
    let again = signed_v1(
        "GET",
        &v1_pairs(
            &[("AccessKeyId", "a:b"), ("SignatureNonce", "c")],
            &["AccessKeyId", "SignatureNonce"],
        ),
        false,
    );
    assert_eq!(again.parse().unwrap().unwrap().replay_key(), a.replay_key());
    let long = "n".repeat(ossd_sig::rpc::MAX_NONCE_LEN + 1);
    let req = signed_v1(
        "GET",
        &v1_pairs(&[("SignatureNonce", &long)], &["SignatureNonce"]),
        false,
    );
    assert_eq!(
        parse_err(&req),
        RpcSigError::InvalidParameter {
            name: "SignatureNonce"
        }
    );
    let (_, code, message) = RpcSigError::SignatureNonceUsed.code();
    assert_eq!(
        (code.as_ref(), message.as_str()),
        (
            "SignatureNonceUsed",
            "Specified signature nonce was used already."
        )
    );
}

#[test]
fn every_variant_signature_verifies_for_any_parameters() {
    let pairs = v1_pairs(&[("Policy", "{\"a\": \"acs:oss:*:*:b/*\"} (x)!'")], &[]);
    let base = signed_v1("GET", &pairs, false);
    for variant in V1Variant::ALL {
        let sig = sign_v1_variant("GET", base.params().all(), SECRET, variant);
        let found = v1_matching_variant("GET", base.params().all(), SECRET, &sig);
        assert_eq!(found, Some(variant));
        let encoded = ossd_sig::uri_encode(&sig);
        let old = ossd_sig::uri_encode(base.params().get("Signature").unwrap());
        let req = base.replaced(&format!("Signature={old}"), &format!("Signature={encoded}"));
        req.verify_at(T2024).unwrap();
    }
}
