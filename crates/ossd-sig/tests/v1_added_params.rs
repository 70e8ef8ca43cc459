//! V1 in the header and in URLs: a query parameter that OSS signs or that changes the response
//! cannot be added to a signed request, while the forms the official SDKs send still verify.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use ossd_sig::{
    QueryParam, SigError, V1QueryKey, v1_authorization, v1_presign_signature, v1_string_to_sign,
};

/// Parameters a tamperer could append, each changing what the response is or which credential
/// applies.
const ADDED: &[(&str, &str)] = &[
    ("x-oss-process", "image/resize,w_10"),
    ("x-oss-foo", "bar"),
    ("response-content-type", "text/html"),
    (
        "response-content-disposition",
        "attachment; filename=a.html",
    ),
    ("versionId", VERSION_ID),
    ("security-token", TOKEN),
    ("x-oss-async-process", "image/resize,w_10"),
    ("x-oss-traffic-limit", "819200"),
    // sub-resources of operations added later: GetBucketStat, RestoreObject, bucket tagging
    ("stat", "1"),
    ("restore", "1"),
    ("tagging", "k1"),
];

/// A plain GET signed in the header, as oss2 `Auth` sends it (`Date`, no query).
fn header_get() -> Req {
    let mut req = Req::new("GET", Some(BUCKET), Some(KEY), "", &[("Date", RFC_DATE)]);
    let auth = v1_authorization(AK, SECRET, &req.view());
    req.set_header("authorization", &auth);
    req
}

/// A plain GET signed in the URL with `extra` query parameters covered by the signature.
fn url_get(extra: &[(&str, &str)]) -> Req {
    let mut req = Req::new("GET", Some(BUCKET), Some(KEY), "", &[]);
    for (k, v) in extra {
        req.query.push(QueryParam::new(*k, *v));
    }
    req.query.push(QueryParam::new("OSSAccessKeyId", AK));
    req.query
        .push(QueryParam::new("Expires", EXPIRES.to_string()));
    let sig = v1_presign_signature(SECRET, &req.view(), EXPIRES);
    req.query.push(QueryParam::new("Signature", sig));
    req
}

/// `req` with one more query parameter appended (never replacing one already there).
fn appended(req: &Req, param: QueryParam) -> Req {
    let mut out = req.clone();
    out.query.push(param);
    out
}

/// The server's string to sign of a mismatch.
fn mismatch_string(r: Result<(), SigError>) -> String {
    match r {
        Err(SigError::Mismatch { string_to_sign, .. }) => string_to_sign,
        other => panic!("expected SignatureDoesNotMatch, got {other:?}"),
    }
}

#[test]
fn header_refuses_each_added_parameter() {
    let req = header_get();
    assert_eq!(req.check_at(T0), Ok(()));
    for (k, v) in ADDED {
        let sts = mismatch_string(appended(&req, QueryParam::new(*k, *v)).check_at(T0));
        assert!(sts.ends_with(&format!("?{k}={v}")), "{k}: {sts}");
        // The bare form (`?x-oss-process`) is refused as well.
        let bare = appended(&req, QueryParam::bare(*k)).check_at(T0);
        assert!(is_mismatch(&bare), "{k} bare: {bare:?}");
    }
}

#[test]
fn url_refuses_each_added_parameter() {
    let req = url_get(&[]);
    assert_eq!(req.check_at(T0), Ok(()));
    for (k, v) in ADDED {
        let sts = mismatch_string(appended(&req, QueryParam::new(*k, *v)).check_at(T0));
        assert!(sts.ends_with(&format!("?{k}={v}")), "{k}: {sts}");
        let bare = appended(&req, QueryParam::bare(*k)).check_at(T0);
        assert!(is_mismatch(&bare), "{k} bare: {bare:?}");
    }
}

#[test]
fn signed_parameters_cannot_be_changed_or_repeated() {
    let signed = [
        ("x-oss-process", "image/resize,w_10"),
        ("versionId", VERSION_ID),
        ("response-content-type", "text/plain"),
    ];
    let req = url_get(&signed);
    assert_eq!(req.check_at(T0), Ok(()));
    for (k, _) in signed {
        // A second value after the signed one.
        let repeated = appended(&req, QueryParam::new(k, "other"));
        assert!(is_mismatch(&repeated.check_at(T0)), "{k} repeated");
        // The signed value replaced.
        let mut changed = req.clone();
        if let Some(p) = changed.query.iter_mut().find(|p| p.key == k) {
            p.value = "other".to_owned();
        }
        assert!(is_mismatch(&changed.check_at(T0)), "{k} changed");
        // The signed parameter removed.
        let mut removed = req.clone();
        removed.remove_query(k);
        assert!(is_mismatch(&removed.check_at(T0)), "{k} removed");
    }
}

#[test]
fn listing_parameters_stay_unsigned() {
    // V1 signs no listing parameter (OSS API reference); every SDK leaves them out.
    let mut req = Req::new("GET", Some(BUCKET), None, "", &[("Date", RFC_DATE)]);
    let auth = v1_authorization(AK, SECRET, &req.view());
    req.set_header("authorization", &auth);
    for (k, v) in [("prefix", "a/"), ("max-keys", "5"), ("list-type", "2")] {
        assert_eq!(V1QueryKey::of(k), V1QueryKey::Unsigned);
        assert_eq!(appended(&req, QueryParam::new(k, v)).check_at(T0), Ok(()));
    }
}

#[test]
fn ali_oss_signature_url_with_process_version_and_response() {
    // ali-oss 6.x `signatureUrl(KEY, {expires: 3600, process: 'image/resize,w_10',
    // subResource: {versionId}, response: {'content-type': 'text/plain'}})`.
    let query = format!(
        "OSSAccessKeyId={AK}&Expires=1796524266&Signature=S5JdYc7Koqw7oIROEumjAwHtXNw%3D\
         &versionId={VERSION_ID}&x-oss-process=image%2Fresize%2Cw_10&response-content-type=text%2Fplain"
    );
    let req = Req::new("GET", Some(BUCKET), Some(KEY), &query, &[]);
    assert_eq!(req.check_at(1_796_524_000), Ok(()));
    let tampered = appended(&req, QueryParam::new("x-oss-foo", "bar"));
    assert!(is_mismatch(&tampered.check_at(1_796_524_000)));
}

#[test]
fn oss2_sign_url_with_process_version_and_response() {
    // oss2 `Bucket(Auth(AK, SECRET), ...).sign_url('GET', KEY, 3600, params={'x-oss-process':
    // 'image/resize,w_10', 'versionId': ..., 'response-content-type': 'text/plain'})`.
    let query = format!(
        "x-oss-process=image%2Fresize%2Cw_10&versionId={VERSION_ID}\
         &response-content-type=text%2Fplain&OSSAccessKeyId={AK}&Expires=1796524258\
         &Signature=Qtk07Uh%2FpblwobiSj9N2Q1YewU8%3D"
    );
    let req = Req::new("GET", Some(BUCKET), Some(KEY), &query, &[]);
    assert_eq!(req.check_at(1_796_524_000), Ok(()));
    let tampered = appended(
        &req,
        QueryParam::new("response-content-disposition", "inline"),
    );
    assert!(is_mismatch(&tampered.check_at(1_796_524_000)));
}

#[test]
fn python_v2_v1_signer_forms_that_verify() {
    // alibabacloud-oss-v2 `SignerV1`, header: GetObject of a version with STS credentials. The
    // token travels in an unsigned `security-token` header; versionId is in its signed list.
    let query = format!("versionId={VERSION_ID}");
    let req = Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        &query,
        &[
            ("Date", RFC_DATE),
            ("security-token", TOKEN),
            (
                "Authorization",
                &format!("OSS {AK}:i5FpK9X0s5fxyzzKdIxqcIAzNeo="),
            ),
        ],
    );
    assert_eq!(req.auth().security_token.as_deref(), Some(TOKEN));
    assert_eq!(req.check_at(T0), Ok(()));

    // The same signer in URL mode (presign): `security-token` is in the query and signed.
    let query = format!(
        "versionId={VERSION_ID}&OSSAccessKeyId={AK}&Expires={EXPIRES}\
         &security-token=CAIS%2BvectorToken%2FABC%3D%3D&Signature=HXBpKL1J8pMf5cxqNtIVcwF%2BtMo%3D"
    );
    let url = Req::new("GET", Some(BUCKET), Some(KEY), &query, &[]);
    assert_eq!(url.auth().security_token.as_deref(), Some(TOKEN));
    assert_eq!(url.check_at(T0), Ok(()));
}

#[test]
fn python_v2_v1_signer_leaving_out_x_oss_process_is_refused() {
    // alibabacloud-oss-v2 `SignerV1` leaves `x-oss-process` out of the string to sign, so its
    // signature equals that of the plain GET: accepting it would let anyone add a process.
    let header = Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        "x-oss-process=image%2Fresize%2Cw_100",
        &[
            ("Date", RFC_DATE),
            (
                "Authorization",
                &format!("OSS {AK}:Hm/gAnfdw3Y0R6U+cSfHYKgPvYY="),
            ),
        ],
    );
    let mut plain = header.clone();
    plain.remove_query("x-oss-process");
    assert_eq!(plain.check_at(T0), Ok(()));
    let sts = mismatch_string(header.check_at(T0));
    assert!(sts.ends_with("?x-oss-process=image/resize,w_100"), "{sts}");

    let url = Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        &format!(
            "x-oss-process=image%2Fresize%2Cw_100&OSSAccessKeyId={AK}&Expires={EXPIRES}\
             &Signature=TUl5GW%2F%2FLyIb02ehlXH3fLFyXgg%3D"
        ),
        &[],
    );
    let sts = mismatch_string(url.check_at(T0));
    assert_eq!(
        sts,
        format!("GET\n\n\n{EXPIRES}\n/{BUCKET}/{KEY}?x-oss-process=image/resize,w_100")
    );
}

#[test]
fn string_to_sign_lists_every_signed_key_sorted() {
    let req = Req::new(
        "GET",
        Some(BUCKET),
        Some(KEY),
        "x-oss-foo=bar&prefix=p&versionId=v&Signature=s&x-oss-process",
        &[],
    );
    assert_eq!(
        v1_string_to_sign(&req.view(), "D"),
        format!("GET\n\n\nD\n/{BUCKET}/{KEY}?versionId=v&x-oss-foo=bar&x-oss-process")
    );
}
