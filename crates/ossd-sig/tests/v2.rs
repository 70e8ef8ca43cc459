//! Signature V2 (`OSS2`): header and presigned URL round trips through the verifier.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ossd_sig::{Scheme, SigError, v2_authorization, v2_signature, v2_string_to_sign};

fn request() -> Req {
    Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        "versionId=v1&prefix=",
        &[
            ("Date", RFC_DATE),
            ("Range", "bytes=0-9"),
            ("If-Modified-Since", RFC_DATE),
            ("x-oss-security-token", TOKEN),
        ],
    )
}

#[test]
fn header_round_trip() {
    let mut req = request();
    let additional = vec!["if-modified-since".to_owned(), "range".to_owned()];
    let auth = v2_authorization(AK, SECRET, &req.view(), &additional);
    // oss2 joins a Python set: the order on the wire is arbitrary.
    let auth = auth.replace("if-modified-since;range", "range;if-modified-since");
    req.set_header("authorization", &auth);
    let parsed = req.auth();
    assert_eq!(parsed.scheme, Scheme::V2Header);
    assert_eq!(parsed.security_token.as_deref(), Some(TOKEN));
    assert_eq!(req.check_at(T0), Ok(()));
    assert!(matches!(
        req.check_at(T0 + 16 * 60),
        Err(SigError::Skewed { .. })
    ));
    let mut tampered = req.clone();
    tampered.set_header("range", "bytes=0-99");
    assert!(is_mismatch(&tampered.check_at(T0)));
    let mut missing = req.clone();
    missing.remove_header("range");
    assert!(is_mismatch(&missing.check_at(T0)));
    let mut extra_param = req.clone();
    extra_param.set_query("marker", "m");
    assert!(
        is_mismatch(&extra_param.check_at(T0)),
        "V2 signs every query parameter"
    );
}

#[test]
fn header_string_to_sign_shape() {
    let req = request();
    let additional = vec!["if-modified-since".to_owned(), "range".to_owned()];
    let sts = v2_string_to_sign(&req.view(), RFC_DATE, &additional, false);
    let expected = format!(
        "GET\n\n\n{RFC_DATE}\nif-modified-since:{RFC_DATE}\nrange:bytes=0-9\nx-oss-security-token:{TOKEN}\n\
         if-modified-since;range\n%2Fexamplebucket%2Fphotos%2F2025%2Fcat%20%26%20dog%2B1.jpg?prefix&versionId=v1"
    );
    assert_eq!(sts, expected);
}

#[test]
fn presigned_round_trip() {
    let expires = EXPIRES.to_string();
    let mut req = Req::new("GET", Some(BUCKET), Some(KEY), "", &[]);
    req.set_query("x-oss-signature-version", "OSS2")
        .set_query("x-oss-expires", &expires)
        .set_query("x-oss-access-key-id", AK)
        .set_query("security-token", TOKEN);
    let sts = v2_string_to_sign(&req.view(), &expires, &[], true);
    req.set_query("x-oss-signature", &v2_signature(SECRET, &sts));
    let auth = req.auth();
    assert_eq!(auth.scheme, Scheme::V2Query);
    assert_eq!(auth.security_token.as_deref(), Some(TOKEN));
    assert_eq!(auth.url_expires_at(), Some(EXPIRES));
    assert_eq!(req.check_at(T0), Ok(()));
    assert_eq!(req.check_at(EXPIRES + 1), Err(SigError::Expired));
    let mut tampered = req.clone();
    tampered.set_query("security-token", "other");
    assert!(is_mismatch(&tampered.check_at(T0)));
    let mut bad = req.clone();
    bad.set_query("x-oss-expires", "soon");
    assert_eq!(
        ossd_sig::parse(&bad.view()).map(|_| ()),
        Err(SigError::InvalidExpires)
    );
}
