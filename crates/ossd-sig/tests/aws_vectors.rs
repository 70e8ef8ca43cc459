//! AWS Signature V4 and V2 against the test vectors of docs/protocol/s3-signatures.md#test-vectors
//! (requests signed by botocore and the AWS SDK for JavaScript v3), plus the canonical URI rule
//! and the separation of the OSS and AWS families.
#![allow(clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ossd_sig::{
    AwsUriForm, QueryParam, Scheme, Scope, SigError, SigningKeyCache, SigningView, VerifyTime,
    aws_v2_authorization, aws_v2_presign_signature, aws_v4_authorization, aws_v4_canonical_request,
    aws_v4_presign, aws_v4_string_to_sign, post_policy_aws_v2_signature,
    post_policy_aws_v4_signature, v4_authorization, verify_post_policy_aws_v2,
    verify_post_policy_aws_v4,
};
use time::OffsetDateTime;

const AK: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=";
/// 2013-05-24 00:00:00 UTC.
const T0: i64 = 1_369_353_600;
const ISO: &str = "20130524T000000Z";
const RFC: &str = "Fri, 24 May 2013 00:00:00 GMT";
const EMPTY_SHA: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const VHOST: &str = "examplebucket.s3.amazonaws.com";
const LOCAL: &str = "127.0.0.1:9000";

/// An owned request a [`SigningView`] borrows from.
struct Req {
    method: String,
    bucket: Option<String>,
    key: Option<String>,
    raw_path: String,
    query: Vec<QueryParam>,
    headers: Vec<(String, String)>,
    body_sha256: Option<String>,
}

impl Req {
    fn new(method: &str, target: (Option<&str>, Option<&str>), raw: &str) -> Self {
        let (raw_path, raw_query) = raw.split_once('?').unwrap_or((raw, ""));
        Req {
            method: method.to_owned(),
            bucket: target.0.map(str::to_owned),
            key: target.1.map(str::to_owned),
            raw_path: raw_path.to_owned(),
            query: QueryParam::parse_query(raw_query),
            headers: Vec::new(),
            body_sha256: None,
        }
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    fn view(&self) -> SigningView<'_> {
        SigningView {
            method: &self.method,
            bucket: self.bucket.as_deref(),
            key: self.key.as_deref(),
            query: &self.query,
            headers: &self.headers,
            raw_path: &self.raw_path,
            body_sha256: self.body_sha256.as_deref(),
        }
    }

    /// Parses and verifies at `unix` with a fresh key cache.
    fn verify_at(&self, unix: i64) -> Result<Scheme, SigError> {
        let view = self.view();
        let auth = ossd_sig::parse(&view)?.ok_or(SigError::MissingDate)?;
        assert_eq!(auth.access_key_id, AK);
        let now = OffsetDateTime::from_unix_timestamp(unix).unwrap();
        let keys = SigningKeyCache::new();
        ossd_sig::verify_at(&auth, &view, SECRET, VerifyTime::at(now), &keys)?;
        // The uncached path agrees.
        ossd_sig::verify(&auth, &view, SECRET, now)?;
        Ok(auth.scheme)
    }
}

fn s3_scope() -> Scope {
    Scope::new("20130524", "us-east-1", "s3")
}

fn names(list: &str) -> Vec<String> {
    list.split(';').map(str::to_owned).collect()
}

/// Virtual-hosted GET of key `photos/a b+c=d.txt` with a Range (botocore).
fn get_with_range() -> Req {
    let target = (Some("examplebucket"), Some("photos/a b+c=d.txt"));
    Req::new("GET", target, "/photos/a%20b%2Bc%3Dd.txt")
        .header("host", VHOST)
        .header("range", "bytes=0-9")
        .header("x-amz-checksum-mode", "ENABLED")
        .header("x-amz-date", ISO)
        .header("x-amz-content-sha256", EMPTY_SHA)
        .header("user-agent", "Boto3/1.44.18")
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date, Signature=2e76648978c7303ee63b1bde9c96518ef29eafacab47d75cc86f0a8cac100080",
        )
}

#[test]
fn v4_header_get_virtual_hosted() {
    let req = get_with_range();
    let signed = names("host;range;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date");
    let canonical = aws_v4_canonical_request(
        &req.view(),
        &signed,
        EMPTY_SHA,
        AwsUriForm::Reencoded,
        false,
    );
    assert_eq!(
        canonical,
        "GET\n/photos/a%20b%2Bc%3Dd.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n\
         x-amz-checksum-mode:ENABLED\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
         x-amz-date:20130524T000000Z\n\nhost;range;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        aws_v4_string_to_sign(ISO, &s3_scope(), &canonical),
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n\
         17c20b7dc0b795b97ca249ee510e1ef4f5f06544b95c0b1c7d87f0ed51fd1527"
    );
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV4Header));
    let auth = aws_v4_authorization(AK, SECRET, &req.view(), &s3_scope(), &signed);
    assert_eq!(Some(auth.as_str()), req.view().header("authorization"));
}

#[test]
fn v4_header_put_path_style() {
    let req = Req::new(
        "PUT",
        (Some("examplebucket"), Some("dir/hello.txt")),
        "/examplebucket/dir/hello.txt",
    )
    .header("host", LOCAL)
    .header("content-type", "text/plain")
    .header("x-amz-meta-author", "alice")
    .header("expect", "100-continue")
    .header("content-length", "11")
    .header("x-amz-checksum-crc32", "DUoRhQ==")
    .header("x-amz-sdk-checksum-algorithm", "CRC32")
    .header(
        "x-amz-content-sha256",
        "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
    )
    .header("x-amz-date", ISO)
    .header(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;x-amz-meta-author;x-amz-sdk-checksum-algorithm, Signature=565abf3e29a7e24e5d650d06939160f2d433a2d36029d177afe86165b85c5950",
    );
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV4Header));
}

#[test]
fn v4_header_list_with_encoded_query() {
    let req = Req::new(
        "GET",
        (Some("examplebucket"), None),
        "/examplebucket?list-type=2&prefix=photos%2F2013%20may%2F&delimiter=%2F&max-keys=2&continuation-token=1%2Fa%2Bb%3Dc&encoding-type=url",
    )
    .header("host", LOCAL)
    .header("x-amz-content-sha256", EMPTY_SHA)
    .header("x-amz-date", ISO)
    .header(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=969aeea272d4a6701c2779ef53e935a0eef33222c5fd746569b7b2ba2522f00a",
    );
    let canonical = aws_v4_canonical_request(
        &req.view(),
        &names("host;x-amz-content-sha256;x-amz-date"),
        EMPTY_SHA,
        AwsUriForm::Reencoded,
        false,
    );
    let query = canonical.lines().nth(2).unwrap();
    assert_eq!(
        query,
        "continuation-token=1%2Fa%2Bb%3Dc&delimiter=%2F&encoding-type=url&list-type=2&max-keys=2&prefix=photos%2F2013%20may%2F"
    );
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV4Header));
}

#[test]
fn v4_header_sdk_v3_with_x_id() {
    let req = Req::new(
        "GET",
        (Some("examplebucket"), Some("photos/a b.txt")),
        "/examplebucket/photos/a%20b.txt?x-id=GetObject",
    )
    .header("host", LOCAL)
    .header("x-amz-checksum-mode", "ENABLED")
    .header("x-amz-content-sha256", EMPTY_SHA)
    .header("x-amz-date", ISO)
    .header(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date, Signature=40aa3e899c76e8e534e9104feae05a3ad44033d0eeee18bf49614be4df68a4bc",
    );
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV4Header));
}

#[test]
fn v4_header_streaming_payloads() {
    // Seed signature of a signed aws-chunked upload (SDK v3 signer).
    let signed_chunks = Req::new(
        "PUT",
        (Some("examplebucket"), Some("chunked.txt")),
        "/examplebucket/chunked.txt",
    )
    .header("host", LOCAL)
    .header("content-encoding", "aws-chunked")
    .header("content-length", "280")
    .header("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
    .header("x-amz-date", ISO)
    .header("x-amz-decoded-content-length", "21")
    .header(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length, Signature=3d4f1b5abdb073ede54b04338771725ec5a2e9b451b44466af2ac314987c7f59",
    );
    assert_eq!(signed_chunks.verify_at(T0), Ok(Scheme::AwsV4Header));
    // Unsigned chunks with a checksum trailer (botocore over HTTPS).
    let trailer = Req::new(
        "PUT",
        (Some("examplebucket"), Some("chunked.txt")),
        "/chunked.txt",
    )
    .header("host", VHOST)
    .header("content-encoding", "aws-chunked")
    .header("transfer-encoding", "chunked")
    .header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    .header("x-amz-date", ISO)
    .header("x-amz-decoded-content-length", "11")
    .header("x-amz-sdk-checksum-algorithm", "CRC32")
    .header("x-amz-trailer", "x-amz-checksum-crc32")
    .header(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-sdk-checksum-algorithm;x-amz-trailer, Signature=c72bb826ddf4c501924fc3fa927efc097bd6232d2316639e7bc4639bb9c9866d",
    );
    assert_eq!(trailer.verify_at(T0), Ok(Scheme::AwsV4Header));
}

#[test]
fn v4_header_time_and_tampering() {
    let req = get_with_range();
    assert_eq!(req.verify_at(T0 + 900), Ok(Scheme::AwsV4Header));
    assert!(matches!(
        req.verify_at(T0 + 901),
        Err(SigError::Skewed { .. })
    ));
    assert!(matches!(
        req.verify_at(T0 - 901),
        Err(SigError::Skewed { .. })
    ));
    // A changed signed header breaks the signature; the error carries the server's strings.
    let mut changed = get_with_range();
    changed.headers[1].1 = "bytes=0-99".to_owned();
    match changed.verify_at(T0) {
        Err(SigError::Mismatch {
            string_to_sign,
            canonical_request,
            ..
        }) => {
            assert!(string_to_sign.starts_with("AWS4-HMAC-SHA256\n20130524T000000Z\n"));
            assert!(canonical_request.unwrap().contains("range:bytes=0-99\n"));
        }
        other => panic!("{other:?}"),
    }
    // A missing signed header never matches.
    let mut missing = get_with_range();
    missing.headers.retain(|(n, _)| n != "range");
    assert!(matches!(
        missing.verify_at(T0),
        Err(SigError::Mismatch { .. })
    ));
    // Without x-amz-content-sha256, S3 header auth is refused before the signature.
    let mut no_hash = get_with_range();
    no_hash.headers.retain(|(n, _)| n != "x-amz-content-sha256");
    assert_eq!(no_hash.verify_at(T0), Err(SigError::MissingContentSha256));
    // No date at all.
    let mut no_date = get_with_range();
    no_date.headers.retain(|(n, _)| n != "x-amz-date");
    assert_eq!(no_date.verify_at(T0), Err(SigError::MissingDate));
}

#[test]
fn v4_header_with_date_instead_of_x_amz_date() {
    // GMT, and the numeric zones of RFC 2822 (`-0000` is how botocore writes the `Date` it
    // signs with when the caller set one).
    let signed = names("date;host;x-amz-content-sha256");
    for date in [
        RFC,
        "Fri, 24 May 2013 00:00:00 -0000",
        "Fri, 24 May 2013 08:00:00 +0800",
    ] {
        let mut req = Req::new("GET", (Some("b"), Some("k")), "/b/k")
            .header("host", LOCAL)
            .header("date", date)
            .header("x-amz-content-sha256", EMPTY_SHA);
        let auth = aws_v4_authorization(AK, SECRET, &req.view(), &s3_scope(), &signed);
        req = req.header("authorization", &auth);
        assert_eq!(req.verify_at(T0 + 60), Ok(Scheme::AwsV4Header), "{date}");
        assert!(matches!(
            req.verify_at(T0 + 901),
            Err(SigError::Skewed { .. })
        ));
    }
    // botocore 1.44's S3SigV4Auth with the clock fixed at T0 and a `Date` set by the caller.
    let botocore = Req::new("PUT", (Some("b"), Some("k")), "/b/k")
        .header("host", LOCAL)
        .header("date", "Fri, 24 May 2013 00:00:00 -0000")
        .header("x-amz-content-sha256", EMPTY_SHA)
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256, Signature=367cea85e00f26f8e66356d7b40939dcafb58eb025456c1e4e4c5333b4aa0be9",
        );
    assert_eq!(botocore.verify_at(T0 + 60), Ok(Scheme::AwsV4Header));
}

#[test]
fn v4_sts_signs_the_body_hash() {
    let body = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=alice&DurationSeconds=900&ExternalId=ext-1";
    let mut req = Req::new("POST", (None, None), "/")
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .header("host", "sts.us-east-1.amazonaws.com")
        .header("x-amz-date", ISO)
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=3cb385306ea3471d728155b0bc9d1980b1142c53f5f6a8b940950bde0d76acf9",
        );
    req.body_sha256 = Some(sha256_hex(body));
    assert_eq!(
        req.body_sha256.as_deref(),
        Some("985eba5e2efb6a533865e43045c7af18ff5bf7d1d327116ab9fc1b9b8f2de3c2")
    );
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV4Header));
    let auth = ossd_sig::parse(&req.view()).unwrap().unwrap();
    assert_eq!(auth.scope().map(|s| s.product.as_str()), Some("sts"));
    // Without the body hash, STS signs the hash of an empty body: this one then fails.
    req.body_sha256 = None;
    assert!(matches!(req.verify_at(T0), Err(SigError::Mismatch { .. })));

    // GetCallerIdentity with a session token in the header.
    let mut with_token = Req::new("POST", (None, None), "/")
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .header("host", "sts.us-east-1.amazonaws.com")
        .header("x-amz-date", ISO)
        .header("x-amz-security-token", TOKEN)
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=31027d4b5b4703936f39562c7791a78b2c7ba2f18765b8d747be12855262763a",
        );
    with_token.body_sha256 = Some(sha256_hex("Action=GetCallerIdentity&Version=2011-06-15"));
    assert_eq!(with_token.verify_at(T0), Ok(Scheme::AwsV4Header));
    let auth = ossd_sig::parse(&with_token.view()).unwrap().unwrap();
    assert_eq!(auth.security_token.as_deref(), Some(TOKEN));
}

fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

/// botocore's presigned GET with a session token.
fn presigned_botocore() -> Req {
    Req::new(
        "GET",
        (Some("examplebucket"), Some("test.txt")),
        "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLETOKEN%2B%2F%3D&X-Amz-Signature=7b7c6dfdead92b906abf71c04777ed8ee7d914798d4d8a64a3f29c5a09c6036a",
    )
    .header("host", VHOST)
}

#[test]
fn v4_presigned_botocore() {
    let req = presigned_botocore();
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV4Query));
    assert_eq!(req.verify_at(T0 + 3600), Ok(Scheme::AwsV4Query));
    assert_eq!(req.verify_at(T0 + 3601), Err(SigError::Expired));
    // No skew window besides "not signed in the future".
    assert!(matches!(
        req.verify_at(T0 - 901),
        Err(SigError::Skewed { .. })
    ));
    let auth = ossd_sig::parse(&req.view()).unwrap().unwrap();
    assert_eq!(auth.security_token.as_deref(), Some(TOKEN));
    assert_eq!(auth.url_expires_at(), Some(T0 + 3600));
    assert_eq!(auth.scope(), Some(&s3_scope()));
    let mut unsigned = Req::new(
        "GET",
        (Some("examplebucket"), Some("test.txt")),
        "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLETOKEN%2B%2F%3D",
    )
    .header("host", VHOST);
    let sig = aws_v4_presign(SECRET, &unsigned.view(), &s3_scope(), ISO, &names("host"));
    assert_eq!(
        sig,
        "7b7c6dfdead92b906abf71c04777ed8ee7d914798d4d8a64a3f29c5a09c6036a"
    );
    unsigned.query.push(QueryParam::new("X-Amz-Signature", sig));
    assert_eq!(unsigned.verify_at(T0), Ok(Scheme::AwsV4Query));
    // Another Host breaks it (host is signed).
    let mut moved = presigned_botocore();
    moved.headers[0].1 = "other.s3.amazonaws.com".to_owned();
    assert!(matches!(
        moved.verify_at(T0),
        Err(SigError::Mismatch { .. })
    ));
}

#[test]
fn v4_presigned_sdk_v3_with_hoisted_parameters() {
    let req = Req::new(
        "GET",
        (Some("examplebucket"), Some("test.txt")),
        "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=AKIDEXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLETOKEN%2B%2F%3D&X-Amz-Signature=2aa3a791dfd3a9ef3c6de5832a08ba396607a5592c6120b1dc3864ccfba5eaac&X-Amz-SignedHeaders=host&x-amz-checksum-mode=ENABLED&x-id=GetObject",
    )
    .header("host", "examplebucket.s3.us-east-1.amazonaws.com");
    assert_eq!(req.verify_at(T0 + 10), Ok(Scheme::AwsV4Query));
}

#[test]
fn v4_header_and_query_together() {
    let req = presigned_botocore().header(
        "authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
    );
    assert_eq!(
        ossd_sig::parse(&req.view()).unwrap_err(),
        SigError::BothHeaderAndQuery
    );
}

/// botocore's V2 header-signed PUT.
fn v2_put() -> Req {
    Req::new(
        "PUT",
        (Some("examplebucket"), Some("photos/puppy.jpg")),
        "/examplebucket/photos/puppy.jpg",
    )
    .header("host", LOCAL)
    .header("content-type", "image/jpeg")
    .header("x-amz-meta-author", "alice")
    .header("x-amz-acl", "public-read")
    .header("x-amz-checksum-crc32", "DUoRhQ==")
    .header("x-amz-sdk-checksum-algorithm", "CRC32")
    .header("date", RFC)
    .header("content-length", "11")
    .header(
        "authorization",
        "AWS AKIDEXAMPLE:h/N9NUBg+enwuSfFBiazVWGQKpY=",
    )
}

#[test]
fn v2_header_put() {
    let req = v2_put();
    assert_eq!(
        ossd_sig::aws_v2_string_to_sign(&req.view(), RFC, false),
        "PUT\n\nimage/jpeg\nFri, 24 May 2013 00:00:00 GMT\nx-amz-acl:public-read\n\
         x-amz-checksum-crc32:DUoRhQ==\nx-amz-meta-author:alice\nx-amz-sdk-checksum-algorithm:CRC32\n\
         /examplebucket/photos/puppy.jpg"
    );
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV2Header));
    assert!(matches!(
        req.verify_at(T0 + 901),
        Err(SigError::Skewed { .. })
    ));
    assert_eq!(
        Some(aws_v2_authorization(AK, SECRET, &req.view()).as_str()),
        req.view().header("authorization")
    );
    // The same request virtual-hosted signs the same resource.
    let mut vhost = v2_put();
    vhost.raw_path = "/photos/puppy.jpg".to_owned();
    assert_eq!(vhost.verify_at(T0), Ok(Scheme::AwsV2Header));
    // An unsigned x-amz header changes the string to sign.
    let added = v2_put().header("x-amz-storage-class", "GLACIER");
    assert!(matches!(
        added.verify_at(T0),
        Err(SigError::Mismatch { .. })
    ));
}

#[test]
fn v2_header_with_x_amz_date_leaves_the_date_line_empty() {
    let mut req = Req::new("GET", (Some("b"), Some("k")), "/b/k")
        .header("date", "Thu, 01 Jan 1970 00:00:00 GMT")
        .header("x-amz-date", RFC);
    let sts = ossd_sig::aws_v2_string_to_sign(
        &req.view(),
        ossd_sig::aws_v2_header_date(&req.view()),
        false,
    );
    assert_eq!(sts, format!("GET\n\n\n\nx-amz-date:{RFC}\n/b/k"));
    let auth = aws_v2_authorization(AK, SECRET, &req.view());
    req = req.header("authorization", &auth);
    // The request time is x-amz-date, not the (stale) Date.
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV2Header));
}

/// A V2 header request signed with `x-amz-date: date` (and a valid `Date` beside it).
fn v2_with_amz_date(date: &str) -> Req {
    let req = Req::new("PUT", (Some("b"), Some("k")), "/b/k")
        .header("date", RFC)
        .header("x-amz-date", date);
    let auth = aws_v2_authorization(AK, SECRET, &req.view());
    req.header("authorization", &auth)
}

#[test]
fn v2_header_invalid_x_amz_dates() {
    // Sent but empty, unparseable or before 1970: no valid date (AccessDenied), never a fall
    // back to `Date`, and not RequestTimeTooSkewed (ceph/s3-tests' *_bad_date_*_aws2).
    for bad in ["", "Bad Date", "Tue, 07 Jul 1950 21:53:04 GMT"] {
        assert_eq!(
            v2_with_amz_date(bad).verify_at(T0),
            Err(SigError::MissingDate),
            "{bad:?}"
        );
    }
    for skewed in [
        "Wed, 07 Jul 2010 21:53:04 GMT",
        "Wed, 07 Jul 9999 21:53:04 GMT",
    ] {
        assert!(matches!(
            v2_with_amz_date(skewed).verify_at(T0),
            Err(SigError::Skewed { .. })
        ));
    }
    let numeric = v2_with_amz_date("Fri, 24 May 2013 00:00:00 -0000");
    assert_eq!(numeric.verify_at(T0), Ok(Scheme::AwsV2Header));
}

/// boto3's default presigned GET (V2) with sub-resources.
fn v2_presigned() -> Req {
    Req::new(
        "GET",
        (Some("examplebucket"), Some("photos/puppy.jpg")),
        "/examplebucket/photos/puppy.jpg?versionId=3HL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY&response-content-type=image%2Fpng&AWSAccessKeyId=AKIDEXAMPLE&Signature=5U1gSc4VyTjd%2B2l%2FjIawrWrpdzY%3D&Expires=1369357200",
    )
    .header("host", LOCAL)
}

#[test]
fn v2_presigned_get() {
    let req = v2_presigned();
    assert_eq!(
        ossd_sig::aws_v2_string_to_sign(&req.view(), "1369357200", true),
        "GET\n\n\n1369357200\n/examplebucket/photos/puppy.jpg?response-content-type=image/png&versionId=3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"
    );
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV2Query));
    assert_eq!(req.verify_at(T0 + 3600), Ok(Scheme::AwsV2Query));
    assert_eq!(req.verify_at(T0 + 3601), Err(SigError::Expired));
    assert_eq!(
        aws_v2_presign_signature(SECRET, &req.view(), 1_369_357_200),
        "5U1gSc4VyTjd+2l/jIawrWrpdzY="
    );
}

#[test]
fn v2_presigned_with_session_token() {
    let mut req = Req::new(
        "GET",
        (Some("b"), Some("k")),
        "/b/k?x-amz-security-token=IQoJb3JpZ2luX2VjEXAMPLETOKEN%2B%2F%3D&AWSAccessKeyId=AKIDEXAMPLE&Expires=1369357200",
    );
    let sts = ossd_sig::aws_v2_string_to_sign(&req.view(), "1369357200", true);
    assert_eq!(
        sts,
        format!("GET\n\n\n1369357200\nx-amz-security-token:{TOKEN}\n/b/k")
    );
    let sig = aws_v2_presign_signature(SECRET, &req.view(), 1_369_357_200);
    req.query.push(QueryParam::new("Signature", sig));
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV2Query));
    let auth = ossd_sig::parse(&req.view()).unwrap().unwrap();
    assert_eq!(auth.security_token.as_deref(), Some(TOKEN));
}

#[test]
fn post_policy_v4_botocore_and_sdk_v3() {
    let policy = "eyJleHBpcmF0aW9uIjogIjIwMTMtMDUtMjRUMDE6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbeyJhY2wiOiAicHJpdmF0ZSJ9LCB7InN1Y2Nlc3NfYWN0aW9uX3N0YXR1cyI6ICIyMDEifSwgWyJjb250ZW50LWxlbmd0aC1yYW5nZSIsIDEsIDEwNDg1NzYwXSwgeyJidWNrZXQiOiAiZXhhbXBsZWJ1Y2tldCJ9LCBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci9hbGljZS8iXSwgeyJ4LWFtei1hbGdvcml0aG0iOiAiQVdTNC1ITUFDLVNIQTI1NiJ9LCB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJREVYQU1QTEUvMjAxMzA1MjQvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LCB7IngtYW16LWRhdGUiOiAiMjAxMzA1MjRUMDAwMDAwWiJ9XX0=";
    let sig = "9043b3c24830e54764bac71ce785746309312e8e9982253d0a8e0ea1a06712d5";
    let (ak, scope) =
        Scope::parse_aws_credential("AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request").unwrap();
    assert_eq!(ak, AK);
    assert_eq!(post_policy_aws_v4_signature(SECRET, &scope, policy), sig);
    assert_eq!(
        verify_post_policy_aws_v4(policy, sig, SECRET, &scope),
        Ok(())
    );
    assert!(matches!(
        verify_post_policy_aws_v4(policy, sig, "other", &scope),
        Err(SigError::Mismatch { .. })
    ));

    let json = r#"{"expiration":"2013-05-24T01:00:00Z","conditions":[["content-length-range",1,10485760],{"acl":"private"},{"bucket":"examplebucket"},{"X-Amz-Algorithm":"AWS4-HMAC-SHA256"},{"X-Amz-Credential":"AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request"},{"X-Amz-Date":"20130524T000000Z"},{"X-Amz-Security-Token":"IQoJb3JpZ2luX2VjEXAMPLETOKEN+/="},["starts-with","$key","user/alice/"]]}"#;
    let policy = STANDARD.encode(json);
    let sig = "060411c041c2f66c2438b068d80f6bb8c6865d67bcca37a897d7c650e03c2f5c";
    assert_eq!(
        verify_post_policy_aws_v4(&policy, sig, SECRET, &scope),
        Ok(())
    );
}

#[test]
fn post_policy_v2_botocore() {
    let policy = "eyJleHBpcmF0aW9uIjogIjIwMTMtMDUtMjRUMDE6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbeyJidWNrZXQiOiAiZXhhbXBsZWJ1Y2tldCJ9LCB7ImtleSI6ICJ1c2VyL2FsaWNlL2EudHh0In1dfQ==";
    let sig = "/dDbSCQdJUEbZh1n5hxqlSYISoA=";
    assert_eq!(post_policy_aws_v2_signature(SECRET, policy), sig);
    assert_eq!(verify_post_policy_aws_v2(policy, sig, SECRET), Ok(()));
    assert!(verify_post_policy_aws_v2(policy, "AAAA", SECRET).is_err());
}

/// Signs a path-style S3 GET of `raw_path` with the helpers, then verifies it.
fn signed_get(key: &str, raw_path: &str) -> Req {
    let signed = names("host;x-amz-content-sha256;x-amz-date");
    let req = Req::new("GET", (Some("b"), Some(key)), raw_path)
        .header("host", LOCAL)
        .header("x-amz-content-sha256", EMPTY_SHA)
        .header("x-amz-date", ISO);
    let auth = aws_v4_authorization(AK, SECRET, &req.view(), &s3_scope(), &signed);
    req.header("authorization", &auth)
}

#[test]
fn canonical_uri_for_awkward_keys() {
    for (key, raw) in [
        ("a b.txt", "/b/a%20b.txt"),
        ("a+b.txt", "/b/a%2Bb.txt"),
        ("100%.txt", "/b/100%25.txt"),
        ("ä/日本.txt", "/b/%C3%A4/%E6%97%A5%E6%9C%AC.txt"),
        ("dir//x/./y/../z", "/b/dir//x/./y/../z"),
        (
            "dir/a b+c=d&e~f!(g)*h'i.txt",
            "/b/dir/a%20b%2Bc%3Dd%26e~f%21%28g%29%2Ah%27i.txt",
        ),
    ] {
        let req = signed_get(key, raw);
        assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV4Header), "{key}");
    }
    // A client that signs a reserved character sent raw (`=`): the raw path retry verifies it.
    let raw_signed = names("host;x-amz-content-sha256;x-amz-date");
    let mut req = Req::new("GET", (Some("b"), Some("a=b")), "/b/a=b")
        .header("host", LOCAL)
        .header("x-amz-content-sha256", EMPTY_SHA)
        .header("x-amz-date", ISO);
    let canonical =
        aws_v4_canonical_request(&req.view(), &raw_signed, EMPTY_SHA, AwsUriForm::Raw, false);
    let sts = aws_v4_string_to_sign(ISO, &s3_scope(), &canonical);
    let key = ossd_sig::aws_v4_signing_key(SECRET, "20130524", "us-east-1", "s3");
    let sig = ossd_sig::v4_signature(&key, &sts);
    req = req.header(
        "authorization",
        &format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={sig}"
        ),
    );
    assert_eq!(req.verify_at(T0), Ok(Scheme::AwsV4Header));
    // But a double-encoded path is not the same request.
    let mut double = signed_get("a b.txt", "/b/a%20b.txt");
    double.raw_path = "/b/a%2520b.txt".to_owned();
    assert!(matches!(
        double.verify_at(T0),
        Err(SigError::Mismatch { .. })
    ));
}

#[test]
fn oss_and_aws_families_never_cross() {
    // An OSS V4 signature over the same request, relabelled as AWS, fails: the scope terminator
    // is refused by the AWS parser, and with an AWS scope the key derivation differs.
    let req = Req::new("GET", (Some("b"), Some("k")), "/b/k")
        .header("host", LOCAL)
        .header("x-amz-content-sha256", EMPTY_SHA)
        .header("x-oss-content-sha256", "UNSIGNED-PAYLOAD")
        .header("x-amz-date", ISO)
        .header("x-oss-date", ISO);
    let oss_scope = Scope::new("20130524", "us-east-1", "s3");
    let oss = v4_authorization(AK, SECRET, &req.view(), &oss_scope, &[]);
    let oss_sig = oss.rsplit_once("Signature=").unwrap().1.to_owned();
    let relabelled = Req::new("GET", (Some("b"), Some("k")), "/b/k")
        .header("host", LOCAL)
        .header("x-amz-content-sha256", EMPTY_SHA)
        .header("x-amz-date", ISO)
        .header(
            "authorization",
            &format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aliyun_v4_request, SignedHeaders=host, Signature={oss_sig}"),
        );
    assert!(matches!(
        relabelled.verify_at(T0),
        Err(SigError::Malformed(_))
    ));
    let aws_scoped = Req::new("GET", (Some("b"), Some("k")), "/b/k")
        .header("host", LOCAL)
        .header("x-amz-content-sha256", EMPTY_SHA)
        .header("x-amz-date", ISO)
        .header(
            "authorization",
            &format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={oss_sig}"),
        );
    assert!(matches!(
        aws_scoped.verify_at(T0),
        Err(SigError::Mismatch { .. })
    ));

    // An AWS V4 signature relabelled as OSS V4 fails the same way.
    let aws = signed_get("k", "/b/k");
    let aws_sig = aws
        .view()
        .header("authorization")
        .unwrap()
        .rsplit_once("Signature=")
        .unwrap()
        .1
        .to_owned();
    for credential in [
        "AKIDEXAMPLE/20130524/us-east-1/s3/aws4_request",
        "AKIDEXAMPLE/20130524/us-east-1/s3/aliyun_v4_request",
    ] {
        let as_oss = Req::new("GET", (Some("b"), Some("k")), "/b/k")
            .header("host", LOCAL)
            .header("x-amz-content-sha256", EMPTY_SHA)
            .header("x-oss-date", ISO)
            .header(
                "authorization",
                &format!("OSS4-HMAC-SHA256 Credential={credential},Signature={aws_sig}"),
            );
        assert!(as_oss.verify_at(T0).is_err(), "{credential}");
    }

    // The same holds for presigned URLs: the botocore URL's parameters renamed to OSS V4 ones.
    let renamed = Req::new(
        "GET",
        (Some("examplebucket"), Some("test.txt")),
        "/test.txt?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=AKIDEXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&x-oss-date=20130524T000000Z&x-oss-expires=3600&x-oss-signature=7b7c6dfdead92b906abf71c04777ed8ee7d914798d4d8a64a3f29c5a09c6036a",
    )
    .header("host", VHOST);
    assert!(renamed.verify_at(T0).is_err());
}
