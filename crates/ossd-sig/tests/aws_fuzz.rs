//! Property tests of the AWS schemes (docs/protocol/s3-signatures.md): what the signing helpers
//! produce verifies for any key, query and header values, and parsing and verifying arbitrary
//! AWS-looking requests never panics.
#![allow(clippy::unwrap_used)]

use ossd_sig::{
    QueryParam, Scope, SigningView, aws_v2_authorization, aws_v2_presign_signature,
    aws_v4_authorization, aws_v4_presign, uri_encode, uri_encode_path,
};
use proptest::prelude::*;
use time::OffsetDateTime;

const AK: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const T0: i64 = 1_369_353_600;
const ISO: &str = "20130524T000000Z";
const RFC: &str = "Fri, 24 May 2013 00:00:00 GMT";

fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn view<'a>(
    key: &'a str,
    raw_path: &'a str,
    query: &'a [QueryParam],
    headers: &'a [(String, String)],
) -> SigningView<'a> {
    SigningView {
        method: "GET",
        bucket: Some("b"),
        key: Some(key),
        query,
        headers,
        raw_path,
        body_sha256: None,
    }
}

fn verifies(view: &SigningView) -> bool {
    match ossd_sig::parse(view) {
        Ok(Some(auth)) => ossd_sig::verify(&auth, view, SECRET, at(T0)).is_ok(),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn v4_header_round_trip(
        key in "\\PC{1,30}",
        virtual_hosted in any::<bool>(),
        params in proptest::collection::vec(("[a-zA-Z0-9 +/=&%-]{1,8}", "\\PC{0,10}"), 0..4),
        meta in "[ -~]{0,20}",
    ) {
        let raw_path = match virtual_hosted {
            true => format!("/{}", uri_encode_path(&key)),
            false => format!("/b/{}", uri_encode_path(&key)),
        };
        let query: Vec<QueryParam> = params.iter().map(|(k, v)| QueryParam::new(k, v)).collect();
        let mut headers = vec![
            ("host".to_owned(), "127.0.0.1:9000".to_owned()),
            ("x-amz-date".to_owned(), ISO.to_owned()),
            ("x-amz-content-sha256".to_owned(), "UNSIGNED-PAYLOAD".to_owned()),
            ("x-amz-meta-m".to_owned(), meta),
        ];
        let scope = Scope::new("20130524", "us-east-1", "s3");
        let signed: Vec<String> = ["host", "x-amz-content-sha256", "x-amz-date", "x-amz-meta-m"]
            .iter().map(|s| (*s).to_owned()).collect();
        let auth = aws_v4_authorization(AK, SECRET, &view(&key, &raw_path, &query, &headers), &scope, &signed);
        headers.push(("authorization".to_owned(), auth));
        prop_assert!(verifies(&view(&key, &raw_path, &query, &headers)));
    }

    #[test]
    fn v4_presigned_round_trip(key in "\\PC{1,30}", expires in 1i64..=604_800) {
        let raw_path = format!("/b/{}", uri_encode_path(&key));
        let headers = vec![("host".to_owned(), "b.s3.amazonaws.com".to_owned())];
        let scope = Scope::new("20130524", "us-east-1", "s3");
        let mut query = vec![
            QueryParam::new("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            QueryParam::new("X-Amz-Credential", scope.aws_credential(AK)),
            QueryParam::new("X-Amz-Date", ISO),
            QueryParam::new("X-Amz-Expires", expires.to_string()),
            QueryParam::new("X-Amz-SignedHeaders", "host"),
        ];
        let sig = aws_v4_presign(SECRET, &view(&key, &raw_path, &query, &headers), &scope, ISO, &["host".to_owned()]);
        query.push(QueryParam::new("X-Amz-Signature", sig));
        prop_assert!(verifies(&view(&key, &raw_path, &query, &headers)));
    }

    #[test]
    fn v2_round_trip(
        key in "\\PC{1,30}",
        virtual_hosted in any::<bool>(),
        version in "\\PC{0,10}",
        meta in "[ -~]{0,20}",
    ) {
        let raw_path = match virtual_hosted {
            true => format!("/{}", uri_encode_path(&key)),
            false => format!("/b/{}", uri_encode_path(&key)),
        };
        let query = vec![QueryParam::new("versionId", version), QueryParam::new("prefix", "p")];
        let mut headers = vec![
            ("date".to_owned(), RFC.to_owned()),
            ("x-amz-meta-m".to_owned(), meta),
        ];
        let auth = aws_v2_authorization(AK, SECRET, &view(&key, &raw_path, &query, &headers));
        headers.push(("authorization".to_owned(), auth));
        prop_assert!(verifies(&view(&key, &raw_path, &query, &headers)));
        let mut query = query;
        query.push(QueryParam::new("AWSAccessKeyId", AK));
        query.push(QueryParam::new("Expires", (T0 + 60).to_string()));
        headers.retain(|(n, _)| n != "authorization");
        let sig = aws_v2_presign_signature(SECRET, &view(&key, &raw_path, &query, &headers), T0 + 60);
        query.push(QueryParam::new("Signature", sig));
        prop_assert!(verifies(&view(&key, &raw_path, &query, &headers)));
    }

    #[test]
    fn arbitrary_aws_requests_never_panic(
        auth in proptest::option::of("(AWS4-HMAC-SHA256 |AWS )\\PC{0,120}"),
        raw_query in "(X-Amz-[A-Za-z]{1,12}=[ -~]{0,20}&?|AWSAccessKeyId=a&|Expires=[0-9]{0,12}&|Signature=x&){0,8}",
        raw_path in "\\PC{0,30}",
        amz_date in "[0-9TZ]{0,17}",
        sha in "[0-9a-fA-Z-]{0,70}",
        body in proptest::option::of("[0-9a-f]{64}"),
        now in -100_000_000_000i64..100_000_000_000i64,
    ) {
        let mut headers = vec![
            ("host".to_owned(), "h".to_owned()),
            ("x-amz-date".to_owned(), amz_date),
            ("x-amz-content-sha256".to_owned(), sha),
        ];
        if let Some(a) = auth {
            headers.push(("authorization".to_owned(), a));
        }
        let query = QueryParam::parse_query(&raw_query);
        let view = SigningView {
            method: "GET",
            bucket: Some("b"),
            key: Some("k"),
            query: &query,
            headers: &headers,
            raw_path: &raw_path,
            body_sha256: body.as_deref(),
        };
        if let Ok(Some(parsed)) = ossd_sig::parse(&view) {
            let _ = parsed.url_expires_at();
            let _ = ossd_sig::verify(&parsed, &view, SECRET, at(now));
        }
        let _ = uri_encode(&raw_path);
    }
}
