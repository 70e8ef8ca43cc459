//! Property tests: `parse` and `verify` never panic on arbitrary input, and every signer output
//! verifies.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ossd_sig::{QueryParam, Scope, SigningView};
use proptest::prelude::*;

/// Authorization values: pure noise and noise behind each scheme prefix.
fn authorization() -> impl Strategy<Value = Option<String>> {
    let noise = "[ -~\\u{80}-\\u{10FFFF}]{0,40}";
    let fields =
        "((Credential|Signature|AdditionalHeaders|AccessKeyId)[=:][ -~]{0,30}[, ]{0,2}){0,4}";
    prop_oneof![
        Just(None),
        noise.prop_map(Some),
        noise.prop_map(|s| Some(format!("OSS {s}"))),
        fields.prop_map(|s| Some(format!("OSS2 {s}"))),
        fields.prop_map(|s| Some(format!("OSS4-HMAC-SHA256 {s}"))),
        "[a-z0-9/_]{0,12}".prop_map(|s| Some(format!(
            "OSS4-HMAC-SHA256 Credential=ak/20250115/{s},Signature=x"
        ))),
    ]
}

/// Raw query strings built from auth-looking keys and noisy values.
fn raw_query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("OSSAccessKeyId".to_owned()),
        Just("Expires".to_owned()),
        Just("Signature".to_owned()),
        Just("security-token".to_owned()),
        Just("x-oss-signature-version".to_owned()),
        Just("x-oss-credential".to_owned()),
        Just("x-oss-date".to_owned()),
        Just("x-oss-expires".to_owned()),
        Just("x-oss-signature".to_owned()),
        Just("x-oss-additional-headers".to_owned()),
        Just("x-oss-access-key-id".to_owned()),
        Just("x-oss-security-token".to_owned()),
        "[ -~]{0,10}",
    ];
    let value = prop_oneof![
        Just("OSS4-HMAC-SHA256".to_owned()),
        Just("OSS2".to_owned()),
        Just("20250115T083000Z".to_owned()),
        Just("ak%2F20250115%2Fcn-hangzhou%2Foss%2Faliyun_v4_request".to_owned()),
        "[0-9]{0,20}",
        "[ -~]{0,20}",
    ];
    proptest::collection::vec((key, proptest::option::of(value)), 0..8).prop_map(|items| {
        let parts: Vec<String> = items
            .into_iter()
            .map(|(k, v)| match v {
                Some(v) => format!("{k}={v}"),
                None => k,
            })
            .collect();
        parts.join("&")
    })
}

/// Headers with names the verifier looks at and noisy values.
fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        Just("date"),
        Just("x-oss-date"),
        Just("x-oss-security-token"),
        Just("security-token"),
        Just("content-type"),
        Just("content-md5"),
        Just("host"),
        Just("range"),
        Just("x-oss-content-sha256"),
        Just("x-oss-meta-a"),
    ];
    let value = prop_oneof![
        Just(RFC_DATE.to_owned()),
        Just(ISO_DATE.to_owned()),
        "[ -~\\u{80}-\\u{FFFF}]{0,30}",
    ];
    proptest::collection::vec((name.prop_map(str::to_owned), value), 0..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_and_verify_never_panic(
        auth in authorization(),
        query in raw_query(),
        mut headers in headers(),
        key in proptest::option::of("\\PC{0,20}"),
        secret in "\\PC{0,20}",
        now in -100_000_000_000i64..100_000_000_000i64,
    ) {
        if let Some(a) = auth {
            headers.push(("authorization".to_owned(), a));
        }
        let query = QueryParam::parse_query(&query);
        let view = SigningView { method: "GET", bucket: Some(BUCKET), key: key.as_deref(), query: &query, headers: &headers, raw_path: "/", body_sha256: None };
        if let Ok(Some(parsed)) = ossd_sig::parse(&view) {
            let _ = parsed.url_expires_at();
            let _ = ossd_sig::verify(&parsed, &view, &secret, at(now));
        }
    }

    #[test]
    fn v4_signer_output_verifies(
        key in "\\PC{1,30}",
        params in proptest::collection::vec(("[a-z][a-z0-9-]{0,8}", "\\PC{0,12}", any::<bool>()), 0..5),
        meta in "[ -~]{0,20}",
        secret in "[ -~]{1,40}",
    ) {
        let mut req = Req::new("PUT", Some(BUCKET), Some(&key), "", &[
            ("x-oss-date", ISO_DATE),
            ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
            ("x-oss-meta-a", &meta),
            ("range", "bytes=0-1"),
        ]);
        req.query = params.iter().map(|(k, v, eq)| QueryParam { key: k.clone(), value: v.clone(), has_equals: *eq || !v.is_empty() }).collect();
        let scope = Scope::new("20250115", "cn-hangzhou", "oss");
        let auth = ossd_sig::v4_authorization(AK, &secret, &req.view(), &scope, &["range".to_owned()]);
        req.set_header("authorization", &auth);
        prop_assert_eq!(req.check_with(&secret, T0), Ok(()));
    }

    #[test]
    fn v1_signer_output_verifies(
        key in "\\PC{1,30}",
        params in proptest::collection::vec((prop_oneof![Just("acl"), Just("versionId"), Just("x-oss-process"), Just("prefix"), Just("uploadId")], "\\PC{0,12}"), 0..4),
        meta in "[ -~]{0,20}",
        secret in "[ -~]{1,40}",
    ) {
        let mut req = Req::new("GET", Some(BUCKET), Some(&key), "", &[("date", RFC_DATE), ("x-oss-meta-a", &meta)]);
        req.query = params.iter().map(|(k, v)| QueryParam::new(*k, v.clone())).collect();
        let auth = ossd_sig::v1_authorization(AK, &secret, &req.view());
        req.set_header("authorization", &auth);
        prop_assert_eq!(req.check_with(&secret, T0), Ok(()));
    }
}
