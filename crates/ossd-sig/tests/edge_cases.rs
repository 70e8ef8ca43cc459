//! Edge cases: time windows, SDK quirks, malformed input, error mapping.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ossd_sig::{
    EmptyValueForm, Scheme, Scope, SigError, v1_string_to_sign, v4_authorization,
    v4_canonical_request, v4_signature, v4_signing_key, v4_string_to_sign,
};

const MIN: i64 = 60;

/// TV1: V1 header PUT.
fn tv1() -> Req {
    Req::new(
        "PUT",
        Some(BUCKET),
        Some(KEY),
        "",
        &[
            ("Content-MD5", "M3szwC+JSTAmhDmD/ycqMA=="),
            ("Content-Type", "image/jpeg"),
            ("x-oss-meta-author", "alice"),
            ("X-OSS-Object-Acl", "private"),
            ("Date", RFC_DATE),
            (
                "Authorization",
                "OSS LTAI5tVectorKeyId0001:RLKNpWZWgW3l4JgOr2sc/jYtq6E=",
            ),
        ],
    )
}

/// TV9: V4 header GET with additional headers, without Authorization.
fn tv9_unsigned() -> Req {
    Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        "",
        &[
            ("Range", "bytes=0-99"),
            ("If-None-Match", "\"0123456789ABCDEF0123456789ABCDEF\""),
            ("x-oss-date", ISO_DATE),
            ("x-oss-security-token", TOKEN),
            ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
        ],
    )
}

const TV9_SIG: &str = "3e11526fbeae5af7caf1b592816ca38c626e5f51846de4d49698b99626d6d1fb";
const TV9_CRED: &str = "LTAI5tVectorKeyId0001/20250115/cn-hangzhou/oss/aliyun_v4_request";

/// TV13: V4 presigned GET.
fn tv13() -> Req {
    Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20250115T083000Z&x-oss-expires=3600&x-oss-credential=LTAI5tVectorKeyId0001%2F20250115%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-signature=ae7a31c7e33c04b1a4c767aab3bcc13b50eff88f7b4187f76db593963e5ff428",
        &[],
    )
}

/// TV5: V1 presigned GET.
fn tv5() -> Req {
    Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        "OSSAccessKeyId=LTAI5tVectorKeyId0001&Expires=1736933400&Signature=TUl5GW%2F%2FLyIb02ehlXH3fLFyXgg%3D",
        &[],
    )
}

fn scope() -> Scope {
    Scope::new("20250115", "cn-hangzhou", "oss")
}

fn signed_v4(mut req: Req, additional: &[&str]) -> Req {
    let additional: Vec<String> = additional.iter().map(|s| (*s).to_owned()).collect();
    let auth = v4_authorization(AK, SECRET, &req.view(), &scope(), &additional);
    req.set_header("authorization", &auth);
    req
}

#[test]
fn v1_header_skew_window() {
    let req = tv1();
    for delta in [-14 * MIN, -15 * MIN, 0, 14 * MIN, 15 * MIN] {
        assert_eq!(req.check_at(T0 + delta), Ok(()), "{delta}");
    }
    for delta in [
        -16 * MIN,
        16 * MIN,
        -15 * MIN - 1,
        15 * MIN + 1,
        86_400 * 365,
    ] {
        let skewed = SigError::Skewed {
            request_time: RFC_DATE.to_owned(),
        };
        assert_eq!(req.check_at(T0 + delta), Err(skewed), "{delta}");
    }
}

#[test]
fn v4_header_skew_window() {
    let req = signed_v4(tv9_unsigned(), &["if-none-match", "range"]);
    for delta in [-14 * MIN, 0, 14 * MIN] {
        assert_eq!(req.check_at(T0 + delta), Ok(()), "{delta}");
    }
    for delta in [-16 * MIN, 16 * MIN] {
        let skewed = SigError::Skewed {
            request_time: ISO_DATE.to_owned(),
        };
        assert_eq!(req.check_at(T0 + delta), Err(skewed), "{delta}");
    }
}

#[test]
fn v4_presign_from_the_future_is_skewed() {
    let req = tv13();
    assert_eq!(req.check_at(T0 - 14 * MIN), Ok(()));
    let skewed = SigError::Skewed {
        request_time: ISO_DATE.to_owned(),
    };
    assert_eq!(req.check_at(T0 - 16 * MIN), Err(skewed));
}

#[test]
fn v1_presign_has_no_skew_check() {
    assert_eq!(tv5().check_at(T0 - 86_400 * 30), Ok(()));
}

#[test]
fn ali_oss_empty_value_with_equals_quirk() {
    // ali-oss signs `prefix=` for `prefix=` on the wire; the server retries with that form.
    let mut req = Req::new(
        "GET",
        Some(BUCKET),
        None,
        "list-type=2&prefix=&delimiter=%2F",
        &[
            ("x-oss-date", ISO_DATE),
            ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
        ],
    );
    let cr = v4_canonical_request(&req.view(), &[], false, EmptyValueForm::KeepEquals);
    assert!(cr.contains("\ndelimiter=%2F&list-type=2&prefix=\n"), "{cr}");
    let key = v4_signing_key(SECRET, "20250115", "cn-hangzhou", "oss");
    let sig = v4_signature(&key, &v4_string_to_sign(ISO_DATE, &scope(), &cr));
    req.set_header(
        "authorization",
        &format!("OSS4-HMAC-SHA256 Credential={TV9_CRED},Signature={sig}"),
    );
    assert_eq!(req.check_at(T0), Ok(()));

    // The bare-key form (oss2, v2) is accepted too.
    req.remove_header("authorization");
    let req = signed_v4(req, &[]);
    assert_eq!(req.check_at(T0), Ok(()));
}

#[test]
fn equals_form_only_for_params_that_arrived_with_equals() {
    // `uploads` arrived bare: a signature over `uploads=` does not match, and the error carries
    // the bare-key strings.
    let mut req = Req::new(
        "POST",
        Some(BUCKET),
        Some(KEY),
        "uploads",
        &[
            ("x-oss-date", ISO_DATE),
            ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
        ],
    );
    let mut as_equals = req.clone();
    as_equals.query[0].has_equals = true;
    let cr = v4_canonical_request(&as_equals.view(), &[], false, EmptyValueForm::KeepEquals);
    let key = v4_signing_key(SECRET, "20250115", "cn-hangzhou", "oss");
    let sig = v4_signature(&key, &v4_string_to_sign(ISO_DATE, &scope(), &cr));
    req.set_header(
        "authorization",
        &format!("OSS4-HMAC-SHA256 Credential={TV9_CRED},Signature={sig}"),
    );
    let Err(SigError::Mismatch {
        canonical_request: Some(got),
        ..
    }) = req.check_at(T0)
    else {
        panic!("expected mismatch");
    };
    assert!(got.contains("\nuploads\n"), "{got}");
}

#[test]
fn oss2_authorization_layout_and_badly_sorted_additional_headers() {
    let mut req = tv9_unsigned();
    for auth in [
        format!(
            "OSS4-HMAC-SHA256 Credential={TV9_CRED}, Signature={TV9_SIG}, AdditionalHeaders=range;if-none-match"
        ),
        format!(
            "OSS4-HMAC-SHA256 Credential={TV9_CRED},AdditionalHeaders=Range;If-None-Match;range,Signature={TV9_SIG}"
        ),
        format!(
            "OSS4-HMAC-SHA256 AdditionalHeaders=if-none-match;range , Signature={TV9_SIG} ,Credential={TV9_CRED}"
        ),
    ] {
        req.set_header("authorization", &auth);
        assert_eq!(req.check_at(T0), Ok(()), "{auth}");
    }
}

#[test]
fn missing_additional_header_is_a_mismatch() {
    let mut req = signed_v4(tv9_unsigned(), &["if-none-match", "range"]);
    req.remove_header("range");
    assert!(is_mismatch(&req.check_at(T0)));
    // A URL that lists `host` needs the Host header.
    let mut url = Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        "x-oss-process=image%2Fresize%2Cm_fill%2Cw_200%2Ch_200&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20250115T083000Z&x-oss-expires=3600&x-oss-credential=LTAI5tVectorKeyId0001%2F20250115%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-additional-headers=host&x-oss-signature=1cb1e0c194c528e67ce063fb18db13e5d2b510fc68c35f18459daf2a8fa1f816",
        &[("Host", "examplebucket.oss-cn-hangzhou.aliyuncs.com")],
    );
    assert_eq!(url.check_at(T0), Ok(()));
    url.remove_header("host");
    assert!(is_mismatch(&url.check_at(T0)));
}

#[test]
fn v4_content_headers_are_signed_only_if_present() {
    let req = signed_v4(
        Req::new(
            "DELETE",
            Some(BUCKET),
            Some(KEY),
            "",
            &[
                ("x-oss-date", ISO_DATE),
                ("Content-Type", "text/plain"),
                ("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="),
            ],
        ),
        &[],
    );
    assert_eq!(req.check_at(T0), Ok(()));
    let mut stripped = req.clone();
    stripped.remove_header("content-type");
    assert!(is_mismatch(&stripped.check_at(T0)));
    let cr = v4_canonical_request(&req.view(), &[], false, EmptyValueForm::BareKey);
    assert!(
        cr.ends_with("\nUNSIGNED-PAYLOAD"),
        "no x-oss-content-sha256 header: {cr}"
    );
}

#[test]
fn v4_scope_date_must_match_x_oss_date() {
    let mut req = tv9_unsigned();
    let cred = "LTAI5tVectorKeyId0001/20250114/cn-hangzhou/oss/aliyun_v4_request";
    req.set_header(
        "authorization",
        &format!("OSS4-HMAC-SHA256 Credential={cred},Signature={TV9_SIG}"),
    );
    assert!(matches!(req.check_at(T0), Err(SigError::Malformed(_))));
    let mut url = tv13();
    url.set_query(
        "x-oss-credential",
        "LTAI5tVectorKeyId0001/20250116/cn-hangzhou/oss/aliyun_v4_request",
    );
    assert!(matches!(url.check_at(T0), Err(SigError::Malformed(_))));
}

#[test]
fn v4_region_from_scope_is_used() {
    let mut req = tv9_unsigned();
    let scope = Scope::new("20250115", "oss-test-region", "oss");
    let additional = ["if-none-match".to_owned(), "range".to_owned()];
    let auth = v4_authorization(AK, SECRET, &req.view(), &scope, &additional);
    req.set_header("authorization", &auth);
    assert_eq!(req.auth().scope(), Some(&scope));
    assert_eq!(req.check_at(T0), Ok(()));
}

#[test]
fn v1_date_prefers_non_empty_x_oss_date() {
    // ali-oss: no Date, x-oss-date in RFC 1123, signed in the DATE slot and as an x-oss header.
    let mut req = Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        "",
        &[("x-oss-date", RFC_DATE)],
    );
    let sts = v1_string_to_sign(&req.view(), RFC_DATE);
    assert!(
        sts.contains(&format!("{RFC_DATE}\nx-oss-date:{RFC_DATE}\n")),
        "{sts}"
    );
    req.set_header(
        "authorization",
        &ossd_sig::v1_authorization(AK, SECRET, &req.view()),
    );
    assert_eq!(req.check_at(T0), Ok(()));
    // An unrelated stale Date header does not matter when x-oss-date is set.
    req.set_header("date", "Mon, 01 Jan 2024 00:00:00 GMT");
    assert_eq!(req.check_at(T0), Ok(()));

    // An empty x-oss-date falls back to Date.
    let mut req = Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        "",
        &[("x-oss-date", ""), ("Date", RFC_DATE)],
    );
    req.set_header(
        "authorization",
        &ossd_sig::v1_authorization(AK, SECRET, &req.view()),
    );
    assert_eq!(req.check_at(T0), Ok(()));
}

#[test]
fn missing_or_invalid_dates() {
    let mut req = tv1();
    req.remove_header("date");
    assert_eq!(req.check_at(T0), Err(SigError::MissingDate));
    req.set_header("date", "yesterday");
    assert_eq!(req.check_at(T0), Err(SigError::MissingDate));
    let mut v4 = signed_v4(tv9_unsigned(), &["if-none-match", "range"]);
    v4.remove_header("x-oss-date");
    assert_eq!(v4.check_at(T0), Err(SigError::MissingDate));
    v4.set_header("x-oss-date", RFC_DATE);
    assert_eq!(v4.check_at(T0), Err(SigError::MissingDate));
    let mut url = tv13();
    url.remove_query("x-oss-date");
    assert_eq!(
        ossd_sig::parse(&url.view()).map(|_| ()),
        Err(SigError::MissingDate)
    );
}

#[test]
fn authorization_split_at_last_colon() {
    let mut req = tv1();
    req.set_header("authorization", "OSS STS.odd:id:c2lnbmF0dXJl");
    let auth = req.auth();
    assert_eq!(auth.scheme, Scheme::V1Header);
    assert_eq!(auth.access_key_id, "STS.odd:id");
    assert_eq!(auth.signature_provided(), "c2lnbmF0dXJl");
}

#[test]
fn incomplete_v1_presign() {
    for query in [
        "OSSAccessKeyId=ak&Expires=1736933400",
        "OSSAccessKeyId=ak&Signature=x",
        "Expires=1736933400&Signature=x",
        "Signature=x",
        "Expires=1",
        "OSSAccessKeyId=ak",
        "OSSAccessKeyId=ak&Expires=1736933400&Signature=",
        "OSSAccessKeyId=&Expires=1736933400&Signature=x",
    ] {
        let req = Req::new("GET", Some(BUCKET), Some(KEY), query, &[]);
        let got = ossd_sig::parse(&req.view()).map(|_| ());
        assert_eq!(got, Err(SigError::IncompletePresign), "{query}");
    }
}

#[test]
fn invalid_expires_v1_and_v4_are_distinguishable() {
    for expires in [
        "abc",
        "",
        "-5",
        "1e9",
        " 1736933400",
        "99999999999999999999",
    ] {
        let mut req = tv5();
        req.set_query("Expires", expires);
        let got = ossd_sig::parse(&req.view()).map(|_| ());
        assert_eq!(got, Err(SigError::InvalidExpires), "{expires:?}");
    }
    for expires in ["0", "604801", "abc", "", "-1", "3600.5"] {
        let mut req = tv13();
        req.set_query("x-oss-expires", expires);
        let got = ossd_sig::parse(&req.view()).map(|_| ());
        assert_eq!(got, Err(SigError::ExpiresOutOfRange), "{expires:?}");
    }
    let mut req = tv13();
    req.remove_query("x-oss-expires");
    assert_eq!(
        ossd_sig::parse(&req.view()).map(|_| ()),
        Err(SigError::ExpiresOutOfRange)
    );
    req.set_query("x-oss-expires", "604800");
    assert_eq!(req.auth().url_expires_at(), Some(T0 + 604_800));
}

#[test]
fn incomplete_v4_presign() {
    for missing in ["x-oss-credential", "x-oss-signature"] {
        let mut req = tv13();
        req.remove_query(missing);
        assert!(
            matches!(ossd_sig::parse(&req.view()), Err(SigError::Malformed(_))),
            "{missing}"
        );
    }
    let mut req = tv13();
    req.set_query("x-oss-credential", "garbage");
    assert!(matches!(
        ossd_sig::parse(&req.view()),
        Err(SigError::Malformed(_))
    ));
}

#[test]
fn both_header_and_query_auth() {
    for query in [
        "Signature=x",
        "OSSAccessKeyId=ak",
        "Expires=1",
        "x-oss-signature-version=OSS4-HMAC-SHA256",
        "x-oss-signature=abc",
        "x-oss-credential=c",
    ] {
        let mut req = tv1();
        req.set_query(
            query.split('=').next().unwrap(),
            query.split('=').nth(1).unwrap(),
        );
        assert_eq!(
            ossd_sig::parse(&req.view()).map(|_| ()),
            Err(SigError::BothHeaderAndQuery),
            "{query}"
        );
    }
}

#[test]
fn malformed_authorization_values() {
    for value in [
        "",
        " ",
        "OSS",
        "OSS ",
        "OSS nocolon",
        "OSS :sig",
        "OSS ak:",
        "OSS :",
        "oss ak:sig",
        "Bearer abc",
        "Basic dXNlcjpwYXNz",
        "AWS ak",
        "AWS :sig",
        "AWS4-HMAC-SHA256 Credential=a/20130524/us-east-1/s3/aws4_request,Signature=x",
        "AWS4-HMAC-SHA256 Credential=a/20130524/us-east-1/s3/aws4_request,SignedHeaders=date,Signature=x",
        "garbage\u{0}\u{7f}ÿ",
        "OSS4-HMAC-SHA256",
        "OSS4-HMAC-SHA256 ",
        "OSS4-HMAC-SHA256 garbage",
        "OSS4-HMAC-SHA256 Signature=abc",
        "OSS4-HMAC-SHA256 Credential=LTAI/20250115/cn-hangzhou/oss/aliyun_v4_request",
        "OSS4-HMAC-SHA256 Credential=bad,Signature=abc",
        "OSS4-HMAC-SHA256 Credential=LTAI/2025/cn/oss/aliyun_v4_request,Signature=abc",
        "OSS4-HMAC-SHA256 Credential=a/20250115/r/oss/aliyun_v4_request,Signature=x,Signature=y",
        "OSS4-HMAC-SHA256 Credential=a/20250115/r/oss/aliyun_v4_request,Signature=",
        "OSS2 ",
        "OSS2 AccessKeyId:ak",
        "OSS2 Signature:x",
        "OSS2 AccessKeyId=ak,Signature=x",
    ] {
        let mut req = tv1();
        req.set_header("authorization", value);
        let got = ossd_sig::parse(&req.view());
        assert!(
            matches!(got, Err(SigError::Malformed(_))),
            "{value:?}: {got:?}"
        );
    }
}

#[test]
fn anonymous_requests() {
    for query in [
        "",
        "prefix=a&max-keys=10",
        "uploads",
        "x-oss-process=image%2Fresize%2Cw_1",
        "acl",
    ] {
        let req = Req::new("GET", Some(BUCKET), Some(KEY), query, &[("Date", RFC_DATE)]);
        assert_eq!(ossd_sig::parse(&req.view()), Ok(None), "{query}");
    }
}

#[test]
fn unsupported_signature_version_and_repeated_params() {
    let mut req = tv13();
    req.set_query("x-oss-signature-version", "OSS3");
    assert!(matches!(
        ossd_sig::parse(&req.view()),
        Err(SigError::Malformed(_))
    ));
    let mut req = tv5();
    req.query
        .push(ossd_sig::QueryParam::new("Signature", "again"));
    assert!(matches!(
        ossd_sig::parse(&req.view()),
        Err(SigError::Malformed(_))
    ));
}

#[test]
fn token_sources() {
    // V1 header: x-oss-security-token header wins over the Python v2 `security-token` header.
    let mut req = tv1();
    req.set_header("security-token", "py");
    assert_eq!(req.auth().security_token.as_deref(), Some("py"));
    req.set_header("x-oss-security-token", "hdr");
    assert_eq!(req.auth().security_token.as_deref(), Some("hdr"));
    // V4 header ignores `security-token`.
    let mut v4 = signed_v4(tv9_unsigned(), &[]);
    v4.remove_header("x-oss-security-token")
        .set_header("security-token", "py");
    assert_eq!(v4.auth().security_token, None);
    // Presigned URLs take the token only from the query.
    let mut url = tv5();
    url.set_header("x-oss-security-token", TOKEN);
    assert_eq!(
        ossd_sig::parse(&url.view()).map(|_| ()),
        Err(SigError::TokenNotInQuery)
    );
    let mut url = tv13();
    url.set_header("x-oss-security-token", TOKEN);
    assert_eq!(
        ossd_sig::parse(&url.view()).map(|_| ()),
        Err(SigError::TokenNotInQuery)
    );
    url.set_query("security-token", TOKEN);
    assert_eq!(
        ossd_sig::parse(&url.view()).map(|_| ()),
        Err(SigError::TokenNotInQuery)
    );
}

#[test]
fn debug_output_hides_signature_and_token() {
    let mut url = tv5();
    url.set_query("security-token", TOKEN);
    let shown = format!("{:?}", url.auth());
    assert!(!shown.contains("TUl5GW"), "{shown}");
    assert!(!shown.contains("vectorToken"), "{shown}");
    assert!(shown.contains(AK));
}
