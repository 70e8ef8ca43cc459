//! Property tests: parsers never panic, escaping round-trips, serializers stay well-formed.

use ossd_proto::error::OssError;
use ossd_proto::xml::{
    CompleteMultipartUpload, CorsConfiguration, CreateBucketConfiguration, DeleteObjectsRequest,
    ListObjectsResult, ObjectSummary, Owner, Tagging, VersioningConfiguration, escape_text,
    is_xml_char, url_encode,
};
use ossd_types::{ETag, ObjectType, StorageClass};
use proptest::prelude::*;

/// Runs every parser on `body`; each must return (Ok or Err), never panic.
fn run_all_parsers(body: &[u8]) {
    let _ = DeleteObjectsRequest::parse(body);
    let _ = CompleteMultipartUpload::parse(body);
    let _ = Tagging::parse(body);
    let _ = CorsConfiguration::parse(body);
    let _ = VersioningConfiguration::parse(body);
    let _ = CreateBucketConfiguration::parse(body);
}

const TOKENS: &[&str] = &[
    "<Delete>",
    "</Delete>",
    "<Object>",
    "</Object>",
    "<Key>",
    "</Key>",
    "<Quiet>",
    "</Quiet>",
    "<CompleteMultipartUpload>",
    "</CompleteMultipartUpload>",
    "<Part>",
    "</Part>",
    "<PartNumber>",
    "</PartNumber>",
    "<ETag>",
    "</ETag>",
    "<Tagging>",
    "</Tagging>",
    "<TagSet>",
    "</TagSet>",
    "<Tag>",
    "</Tag>",
    "<Value>",
    "</Value>",
    "<CORSConfiguration>",
    "</CORSConfiguration>",
    "<CORSRule>",
    "</CORSRule>",
    "<AllowedOrigin>",
    "</AllowedOrigin>",
    "<AllowedMethod>",
    "</AllowedMethod>",
    "<VersioningConfiguration>",
    "</VersioningConfiguration>",
    "<Status>",
    "</Status>",
    "<x:Key xmlns:x=\"u\">",
    "</x:Key>",
    "<a/>",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE x>",
    "&amp;",
    "&lt;",
    "&#x41;",
    "&#0;",
    "&#xFFFFFFFF;",
    "&bogus;",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "1",
    "10000",
    "true",
    "Enabled",
    "GET",
    "*",
    " ",
    "\n",
    "\r",
    "\u{0}",
    "\u{FEFF}",
    "é",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..64).prop_map(|t| t.concat())
}

fn summary(key: String) -> ObjectSummary {
    ObjectSummary {
        key,
        last_modified_ms: 0,
        etag: ETag::from_inner("E"),
        object_type: ObjectType::Normal,
        size: 0,
        storage_class: StorageClass::Standard,
        restore_info: None,
    }
}

fn listing(text: &str, encoding_url: bool) -> ListObjectsResult {
    ListObjectsResult {
        name: "b".to_owned(),
        prefix: text.to_owned(),
        marker: text.to_owned(),
        max_keys: 1,
        delimiter: text.to_owned(),
        encoding_url,
        next_marker: Some(text.to_owned()),
        contents: vec![summary(text.to_owned())],
        owner: Owner::new("1"),
        common_prefixes: vec![text.to_owned()],
    }
}

fn assert_well_formed(xml: &str) -> Result<(), TestCaseError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(TestCaseError::fail(format!("{e}: {xml}"))),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parsers_never_panic_on_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        run_all_parsers(&body);
    }

    #[test]
    fn parsers_never_panic_on_xml_like_input(body in token_soup()) {
        run_all_parsers(body.as_bytes());
    }

    #[test]
    fn escaped_keys_round_trip_through_the_parser(key in "\\PC{1,64}|[ \t\r\n&<>\"'a]{1,16}") {
        prop_assume!(key.chars().all(is_xml_char));
        let body = format!("<Delete><Object><Key>{}</Key></Object></Delete>", escape_text(&key));
        let parsed = DeleteObjectsRequest::parse(body.as_bytes()).map(|r| r.objects[0].key.clone());
        prop_assert_eq!(parsed, Ok::<_, OssError>(key));
    }

    #[test]
    fn serialized_listings_are_well_formed(text in any::<String>()) {
        assert_well_formed(&listing(&text, false).to_xml())?;
        let encoded = listing(&text, true).to_xml();
        assert_well_formed(&encoded)?;
        prop_assert!(encoded.is_ascii());
        assert_well_formed(&OssError::no_such_key(&text).to_xml(&text, &text))?;
    }

    #[test]
    fn url_encoding_round_trips(text in any::<String>()) {
        let encoded = url_encode(&text);
        let unreserved = |c: char| c.is_ascii_alphanumeric() || "-._~%".contains(c);
        prop_assert!(encoded.chars().all(unreserved));
        let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8();
        prop_assert_eq!(decoded.map(|d| d.into_owned()).ok(), Some(text));
    }
}
