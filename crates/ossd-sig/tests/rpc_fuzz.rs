//! Property tests: collection, parsing and verification never panic on arbitrary input, and
//! every signer output verifies.
#![allow(clippy::unwrap_used)]

mod rpc_common;

use ossd_sig::rpc::{
    RpcAuth, RpcView, V1Variant, collect_params, sign_v1_variant, v1_matching_variant, verify,
};
use proptest::prelude::*;
use rpc_common::*;
use time::OffsetDateTime;

/// Parameter names that drive detection, plus noise.
fn param_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Signature".to_owned()),
        Just("AccessKeyId".to_owned()),
        Just("Action".to_owned()),
        Just("Version".to_owned()),
        Just("SignatureMethod".to_owned()),
        Just("SignatureVersion".to_owned()),
        Just("SignatureNonce".to_owned()),
        Just("Timestamp".to_owned()),
        Just("SecurityToken".to_owned()),
        "[ -~]{0,10}",
    ]
}

/// Values that pass the format checks, plus noise (with `%`, `+` and non-ASCII).
fn param_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("HMAC-SHA1".to_owned()),
        Just("1.0".to_owned()),
        Just(T2024.to_owned()),
        Just("2024-01-01T00:00:00.123456789Z".to_owned()),
        "[ -~]{0,20}",
        "\\PC{0,12}",
        "(%[0-9A-Fa-f]{0,2}|\\+|[a-z]){0,8}",
    ]
}

/// Raw `k=v&…` strings from the strategies above.
fn raw_pairs() -> impl Strategy<Value = String> {
    proptest::collection::vec((param_name(), proptest::option::of(param_value())), 0..12).prop_map(
        |items| {
            let parts: Vec<String> = items
                .into_iter()
                .map(|(k, v)| v.map_or(k.clone(), |v| format!("{k}={v}")))
                .collect();
            parts.join("&")
        },
    )
}

/// Header lists with the V3 names, Authorization noise behind the ACS3 prefix, and repeats.
fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        Just("authorization".to_owned()),
        Just("host".to_owned()),
        Just("x-acs-action".to_owned()),
        Just("x-acs-version".to_owned()),
        Just("x-acs-date".to_owned()),
        Just("x-acs-signature-nonce".to_owned()),
        Just("x-acs-content-sha256".to_owned()),
        Just("x-acs-security-token".to_owned()),
        Just("x-acs-accesskey-id".to_owned()),
        Just("content-type".to_owned()),
        "[A-Za-z-]{0,8}",
    ];
    let fields = "((Credential|SignedHeaders|Signature)=[ -~&&[^,]]{0,20},?){0,4}";
    let value = prop_oneof![
        param_value(),
        fields.prop_map(|f| format!("ACS3-HMAC-SHA256 {f}")),
        "[a-z;-]{0,40}".prop_map(|h| format!(
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={h},Signature=00"
        )),
    ];
    proptest::collection::vec((name, value), 0..14)
}

proptest! {
    #[test]
    fn parse_and_verify_never_panic(
        method in "GET|POST|[A-Za-z]{0,6}",
        path in "\\PC{0,8}",
        query in raw_pairs(),
        body in proptest::option::of(raw_pairs()),
        headers in headers(),
        secret in "\\PC{0,12}",
        now in 0i64..4_102_444_800,
    ) {
        let params = collect_params(&query, body.as_deref().map(str::as_bytes));
        let view = RpcView {
            method: &method,
            path: &path,
            params: &params,
            headers: &headers,
            body: body.as_deref().map(str::as_bytes),
        };
        let now = OffsetDateTime::from_unix_timestamp(now).unwrap();
        match RpcAuth::parse(&view) {
            Ok(Some(auth)) => {
                let _ = auth.replay_key();
                if let Err(e) = verify(&auth, &view, &secret, now) {
                    let _ = e.code();
                }
            }
            Ok(None) => {}
            Err(e) => {
                let _ = e.code();
            }
        }
    }

    #[test]
    fn collect_params_never_panics(query in "\\PC{0,40}", body in proptest::collection::vec(any::<u8>(), 0..64)) {
        let p = collect_params(&query, Some(&body));
        prop_assert_eq!(p.all().len(), p.query().len() + p.form().len());
    }

    #[test]
    fn v1_signatures_verify_for_arbitrary_parameters(
        extra in proptest::collection::vec(("[A-Za-z][\\PC]{0,8}", "\\PC{0,16}"), 0..5),
        form in any::<bool>(),
        variant in prop_oneof![Just(V1Variant::Standard), Just(V1Variant::Plus), Just(V1Variant::Js)],
    ) {
        let reserved = V1_BASE.map(|(n, _)| n);
        let extra: Vec<(&str, &str)> = extra
            .iter()
            .filter(|(n, _)| !reserved.contains(&n.as_str()) && n != "Signature" && n != "SecurityToken")
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let method = if form { "POST" } else { "GET" };
        let req = signed_v1(method, &v1_pairs(&extra, &[]), form);
        prop_assert!(req.verify_at(T2024).is_ok());
        let sig = sign_v1_variant(method, req.params().all(), SECRET, variant);
        prop_assert!(v1_matching_variant(method, req.params().all(), SECRET, &sig).is_some());
        prop_assert!(req.verify_with("not-the-secret", T2024).is_err());
    }
}

/// Every captured vector request, with its verification time.
fn vector_requests() -> Vec<(Req, &'static str)> {
    use rpc_common::vectors::*;
    let ms = "2024-01-01T00:00:00.000Z";
    vec![
        (Req::captured(V92_REQUEST), T2024),
        (Req::captured(V93_REQUEST), T2024),
        (Req::captured(V94_REQUEST), ms),
        (Req::captured(V95_REQUEST), ms),
        (Req::captured(V96_REQUEST), T2024),
        (Req::captured(V97_REQUEST), T2024),
        (Req::captured(V98_REQUEST), T2024),
        (Req::captured(V99_REQUEST), T2024),
        (v9_10_request(), T2024),
    ]
}

/// Replaces `s[at..at + len]` (clamped to char boundaries) with `with`.
fn splice(s: &str, at: usize, len: usize, with: &str) -> String {
    let mut start = at % (s.len() + 1);
    while !s.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + len).min(s.len());
    while !s.is_char_boundary(end) {
        end += 1;
    }
    format!("{}{with}{}", &s[..start], &s[end..])
}

proptest! {
    #[test]
    fn mutated_vectors_never_panic_nor_verify_with_changed_params(
        which in 0usize..9,
        target in 0usize..20,
        at in any::<usize>(),
        len in 0usize..4,
        with in "[ -~]{0,3}|\\PC{0,2}",
    ) {
        let (mut req, now) = vector_requests().swap_remove(which);
        let original = req.clone();
        match target {
            0..=3 => req.raw_query = splice(&req.raw_query, at, len, &with),
            4..=7 => req.body = splice(&String::from_utf8_lossy(&req.body), at, len, &with).into_bytes(),
            _ => {
                let i = target % req.headers.len().max(1);
                if let Some((_, v)) = req.headers.get_mut(i) {
                    *v = splice(v, at, len, &with);
                }
            }
        }
        req.refresh();
        match req.parse() {
            Ok(Some(auth)) => {
                let result = verify(&auth, &req.view(), SECRET, rpc_common::at(now));
                if let Err(e) = &result {
                    let _ = e.code();
                }
                // A verified mutation must leave every signed parameter unchanged.
                if result.is_ok() {
                    prop_assert_eq!(
                        canonical_params(&req),
                        canonical_params(&original)
                    );
                }
            }
            Ok(None) => {}
            Err(e) => {
                let _ = e.code();
            }
        }
    }

    #[test]
    fn acs3_signatures_verify_for_arbitrary_query_and_headers(
        query in proptest::collection::vec(("[A-Za-z][\\PC]{0,8}", "\\PC{0,16}"), 0..5),
        custom in "[ -~]{0,20}",
    ) {
        let target = format!("/?{}", encode_pairs(&query.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect::<Vec<_>>()));
        let headers = [
            ("host", "ram.example.com"),
            ("x-acs-action", "ListUsers"),
            ("x-acs-version", "2015-05-01"),
            ("x-acs-date", T2024),
            ("x-acs-signature-nonce", "n"),
            ("x-acs-content-sha256", EMPTY_SHA256),
            ("x-custom", custom.as_str()),
        ];
        let names: Vec<&str> = headers.iter().map(|(n, _)| *n).collect();
        let unsigned = Req::new("POST", &target, &headers, b"");
        let authorization = ossd_sig::rpc::sign_acs3(&unsigned.view(), AK, &names, SECRET).unwrap();
        let req = unsigned.with_header("authorization", &authorization);
        let has_action = query.iter().any(|(n, v)| (n == "Action" && v != "ListUsers") || (n == "Version" && v != "2015-05-01"));
        prop_assume!(!has_action);
        prop_assert!(req.verify_at(T2024).is_ok());
        prop_assert!(req.verify_with("x", T2024).is_err());
    }
}

/// The decoded parameters (query and form) except `Signature`, sorted.
fn canonical_params(req: &Req) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = req
        .params()
        .all()
        .iter()
        .filter(|p| p.key != "Signature")
        .map(|p| (p.key.clone(), p.value.clone()))
        .collect();
    out.sort();
    out
}
