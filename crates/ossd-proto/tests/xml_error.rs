//! The OSS error document (docs/protocol/errors.md#error-document) and the error constructors.

use base64::Engine;
use ossd_proto::error::{EC_SIGNATURE_PRESIGNED, OssError, string_to_sign_bytes};

const RID: &str = "5C3D9175B6FC201293AD4890";
const HOST: &str = "examplebucket.oss-cn-hangzhou.aliyuncs.com";

#[test]
fn no_such_key_matches_the_spec_document() {
    let xml = OssError::no_such_key("example.txt").to_xml(RID, HOST);
    let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchKey</Code>
  <Message>The specified key does not exist.</Message>
  <RequestId>5C3D9175B6FC201293AD4890</RequestId>
  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>
  <Key>example.txt</Key>
  <EC>0026-00000001</EC>
  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0026-00000001</RecommendDoc>
</Error>"#;
    assert_eq!(xml, expected);
}

#[test]
fn without_ec_there_is_no_recommend_doc() {
    let xml = OssError::malformed_xml().to_xml(RID, "oss.example.com");
    let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>MalformedXML</Code>
  <Message>The XML you provided was not well-formed or did not validate against our published schema.</Message>
  <RequestId>5C3D9175B6FC201293AD4890</RequestId>
  <HostId>oss.example.com</HostId>
</Error>"#;
    assert_eq!(xml, expected);
}

#[test]
fn extras_keep_their_order_before_ec() {
    let err = OssError::precondition_failed("If-Match")
        .with_extra("Key", "a")
        .with_ec("0026-00000011");
    let xml = err.to_xml(RID, HOST);
    let cond = xml.find("<Condition>If-Match</Condition>");
    let key = xml.find("<Key>a</Key>");
    let ec = xml.find("<EC>0026-00000011</EC>");
    assert!(cond < key && key < ec && cond.is_some(), "{xml}");
    assert_eq!(err.status, 412);
    assert_eq!(err.extra("Condition"), Some("If-Match"));
}

#[test]
fn keys_are_escaped_and_invalid_characters_replaced() {
    let key = "a&b<c>d\"e'f\u{1}g\rh\ti\u{FFFE}";
    let xml = OssError::no_such_key(key).to_xml(RID, HOST);
    assert!(
        xml.contains("<Key>a&amp;b&lt;c&gt;d\"e'f\u{FFFD}g&#13;h\ti\u{FFFD}</Key>"),
        "{xml}"
    );
    assert_well_formed(&xml);
}

#[test]
fn request_id_and_host_are_escaped_too() {
    let xml = OssError::internal_error().to_xml("<id>", "h&h");
    assert!(xml.contains("<RequestId>&lt;id&gt;</RequestId>"));
    assert!(xml.contains("<HostId>h&amp;h</HostId>"));
    assert_well_formed(&xml);
}

#[test]
fn x_oss_err_is_base64_of_the_document() {
    let err = OssError::no_such_bucket("nob");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(err.x_oss_err(RID, HOST))
        .unwrap_or_default();
    assert_eq!(
        String::from_utf8(decoded).unwrap_or_default(),
        err.to_xml(RID, HOST)
    );
}

#[test]
fn string_to_sign_bytes_is_spaced_upper_hex() {
    assert_eq!(string_to_sign_bytes("GET\n\n\n"), "47 45 54 0A 0A 0A");
    assert_eq!(string_to_sign_bytes(""), "");
    assert_eq!(string_to_sign_bytes("\u{e9}"), "C3 A9");
}

#[test]
fn signature_mismatch_carries_debug_extras_with_newlines() {
    let sts = "GET\n\n\nWed, 15 Jan 2025 08:30:00 GMT\n/b/k";
    let err = OssError::signature_does_not_match("AKID", sts, None, "c2ln");
    assert_eq!(
        (err.status, err.code.as_str()),
        (403, "SignatureDoesNotMatch")
    );
    let names: Vec<_> = err.extras.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "OSSAccessKeyId",
            "SignatureProvided",
            "StringToSign",
            "StringToSignBytes"
        ]
    );
    assert_eq!(err.ec, Some("0002-00000040"));
    let xml = err.to_xml(RID, HOST);
    assert!(
        xml.contains("<StringToSign>GET\n\n\nWed, 15 Jan 2025 08:30:00 GMT\n/b/k</StringToSign>")
    );
    assert!(xml.contains("<StringToSignBytes>47 45 54 0A 0A 0A 57"));
    let presigned = err.with_ec(EC_SIGNATURE_PRESIGNED);
    assert!(
        presigned
            .to_xml(RID, HOST)
            .contains("<EC>0002-00000307</EC>")
    );
}

#[test]
fn signature_mismatch_v4_adds_canonical_request() {
    let err = OssError::signature_does_not_match("AK", "OSS4-HMAC-SHA256\n", Some("PUT\n/"), "sig");
    assert_eq!(err.extra("SignatureProvided"), Some("sig"));
    assert_eq!(err.extra("CanonicalRequest"), Some("PUT\n/"));
    assert_eq!(err.extra("CanonicalRequestBytes"), Some("50 55 54 0A 2F"));
    assert_eq!(
        err.extras.last().map(|(n, _)| *n),
        Some("CanonicalRequestBytes")
    );
}

#[test]
fn statuses_codes_and_messages_follow_the_spec() {
    let cases: Vec<(OssError, u16, &str, &str)> = vec![
        (
            OssError::no_such_bucket("b"),
            404,
            "NoSuchBucket",
            "The specified bucket does not exist.",
        ),
        (
            OssError::access_denied("Request has expired."),
            403,
            "AccessDenied",
            "Request has expired.",
        ),
        (OssError::invalid_argument("x"), 400, "InvalidArgument", "x"),
        (
            OssError::invalid_digest(),
            400,
            "InvalidDigest",
            "The Content-MD5 you specified was invalid.",
        ),
        (
            OssError::invalid_range(),
            416,
            "InvalidRange",
            "The requested range cannot be satisfied.",
        ),
        (
            OssError::bucket_not_empty("b"),
            409,
            "BucketNotEmpty",
            "The bucket you tried to delete is not empty.",
        ),
        (
            OssError::bucket_already_exists(),
            409,
            "BucketAlreadyExists",
            "The requested bucket name is not available.",
        ),
        (
            OssError::file_already_exists(),
            409,
            "FileAlreadyExists",
            "The object you specified already exists and can not be overwritten.",
        ),
        (
            OssError::position_not_equal_to_length(6),
            409,
            "PositionNotEqualToLength",
            "Position is not equal to file length",
        ),
        (
            OssError::object_not_appendable(),
            409,
            "ObjectNotAppendable",
            "The object is not appendable.",
        ),
        (
            OssError::entity_too_large(),
            400,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size.",
        ),
        (
            OssError::entity_too_small(),
            400,
            "EntityTooSmall",
            "Your proposed upload smaller than the minimum allowed size.",
        ),
        (
            OssError::missing_content_length(),
            411,
            "MissingContentLength",
            "You must provide the Content-Length HTTP header.",
        ),
        (
            OssError::method_not_allowed(),
            405,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
        ),
        (
            OssError::invalid_bucket_name("B"),
            400,
            "InvalidBucketName",
            "The specified bucket is not valid.",
        ),
        (
            OssError::symlink_target_not_exist(),
            404,
            "SymlinkTargetNotExist",
            "The symlink target object does not exist.",
        ),
        (
            OssError::invalid_target_type(),
            400,
            "InvalidTargetType",
            "The symbolic's target file type is invalid",
        ),
        (
            OssError::no_such_upload(),
            404,
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
        ),
        (
            OssError::no_such_version(),
            404,
            "NoSuchVersion",
            "The specified version does not exist.",
        ),
        (
            OssError::invalid_part(),
            400,
            "InvalidPart",
            "One or more of the specified parts could not be found or the specified entity.",
        ),
        (
            OssError::invalid_part_order(),
            400,
            "InvalidPartOrder",
            "The list of parts was not in ascending order.",
        ),
        (
            OssError::request_time_too_skewed("a", "b"),
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        ),
        (
            OssError::invalid_access_key_id("AK"),
            403,
            "InvalidAccessKeyId",
            "The OSS Access Key Id you provided does not exist in our records.",
        ),
        (
            OssError::invalid_security_token(),
            403,
            "InvalidSecurityToken",
            "The security token you provided is invalid.",
        ),
        (
            OssError::security_token_expired(),
            403,
            "SecurityTokenExpired",
            "The security token you provided has expired.",
        ),
        (
            OssError::access_key_id_and_security_token_not_match(),
            403,
            "AccessKeyIdAndSecurityTokenNotMatch",
            "The OSS access key id and security token you provided does not match.",
        ),
        (
            OssError::internal_error(),
            500,
            "InternalError",
            "We encountered an internal error. Please try again.",
        ),
        (
            OssError::too_many_buckets(),
            400,
            "TooManyBuckets",
            "You have attempted to create more buckets than allowed.",
        ),
        (
            OssError::missing_argument("Missing Some Required Arguments."),
            400,
            "MissingArgument",
            "Missing Some Required Arguments.",
        ),
        (
            OssError::no_such_cors_configuration(),
            404,
            "NoSuchCORSConfiguration",
            "The CORS Configuration does not exist.",
        ),
        (
            OssError::no_such_tag_set(),
            404,
            "NoSuchTagSet",
            "The TagSet does not exist.",
        ),
        (
            OssError::invalid_date(),
            403,
            "AccessDenied",
            "OSS authentication requires a valid Date.",
        ),
        (
            OssError::incomplete_body(),
            400,
            "IncompleteBody",
            "You did not provide the number of bytes specified by the Content-Length HTTP header.",
        ),
        (
            OssError::invalid_uri(),
            400,
            "InvalidURI",
            "Couldn't parse the specified URI.",
        ),
        (
            OssError::security_token_not_in_query(),
            400,
            "InvalidRequest",
            "Security-token must be provided by query string parameter.",
        ),
    ];
    for (err, status, code, message) in cases {
        assert_eq!(
            (err.status, err.code.as_str(), err.message.as_str()),
            (status, code, message)
        );
    }
}

#[test]
fn extras_of_common_errors() {
    assert_eq!(
        OssError::no_such_bucket("nob").extra("BucketName"),
        Some("nob")
    );
    assert_eq!(OssError::no_such_bucket("nob").ec, Some("0015-00000101"));
    assert_eq!(
        OssError::invalid_access_key_id("AK").extra("OSSAccessKeyId"),
        Some("AK")
    );
    let skew = OssError::request_time_too_skewed(
        "Wed, 15 Jan 2025 08:30:00 GMT",
        "2025-01-15T09:00:00.000Z",
    );
    assert_eq!(
        skew.extra("RequestTime"),
        Some("Wed, 15 Jan 2025 08:30:00 GMT")
    );
    assert_eq!(skew.extra("ServerTime"), Some("2025-01-15T09:00:00.000Z"));
    let append = OssError::position_not_equal_to_length(6);
    assert_eq!(
        append.headers,
        [("x-oss-next-append-position", "6".to_owned())]
    );
    assert_eq!(append.ec, Some("0026-00000016"));
    assert_eq!(OssError::invalid_target_type().ec, Some("0026-00000011"));
    assert_eq!(
        OssError::not_implemented("x-oss-callback").message,
        "x-oss-callback is not implemented."
    );
    assert_eq!(OssError::cors_forbidden().code.as_str(), "AccessForbidden");
    assert_eq!(
        OssError::no_such_key("k").to_string(),
        "NoSuchKey (404): The specified key does not exist."
    );
}

fn assert_well_formed(xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}: {xml}"),
        }
    }
}
