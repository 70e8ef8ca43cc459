//! Bucket configuration documents: versioning and CORS.

use ossd_proto::xml::{CorsConfiguration, CorsRule, MAX_CORS_BODY_BYTES, VersioningConfiguration};
use ossd_types::VersioningState;

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

fn code<T>(r: Result<T, ossd_proto::error::OssError>) -> &'static str {
    r.err().map_or("ok", |e| e.code.as_str())
}

#[test]
fn versioning_parse() {
    let enabled = VersioningConfiguration::parse(
        b"<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>",
    );
    assert_eq!(enabled.map(|v| v.status), Ok(VersioningState::Enabled));
    let suspended = VersioningConfiguration::parse(
        br#"<VersioningConfiguration xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"><Status> Suspended </Status></VersioningConfiguration>"#,
    );
    assert_eq!(suspended.map(|v| v.status), Ok(VersioningState::Suspended));
}

#[test]
fn versioning_bad_bodies() {
    let bad = |b: &[u8]| code(VersioningConfiguration::parse(b));
    assert_eq!(bad(b"<VersioningConfiguration/>"), "InvalidArgument");
    assert_eq!(
        bad(b"<VersioningConfiguration><Status>Disabled</Status></VersioningConfiguration>"),
        "InvalidArgument"
    );
    assert_eq!(
        bad(b"<VersioningConfiguration><Status>enabled</Status></VersioningConfiguration>"),
        "InvalidArgument"
    );
    assert_eq!(
        bad(b"<VersioningConfiguration><Status>Enabled</Status>"),
        "MalformedXML"
    );
    assert_eq!(
        bad(b"<Versioning><Status>Enabled</Status></Versioning>"),
        "MalformedXML"
    );
    let err = VersioningConfiguration::parse(b"<VersioningConfiguration/>").err();
    assert_eq!(
        err.map(|e| e.message),
        Some("The Versioning element must be specified.".to_owned())
    );
}

#[test]
fn versioning_serialize() {
    let doc = |status| VersioningConfiguration { status }.to_xml();
    assert_eq!(
        doc(VersioningState::Enabled),
        format!(
            "{DECL}<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"
        )
    );
    assert_eq!(
        doc(VersioningState::Disabled),
        format!("{DECL}<VersioningConfiguration/>")
    );
}

const CORS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>http://www.a.com</AllowedOrigin>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>x-oss-request-id</ExposeHeader>
    <MaxAgeSeconds>100</MaxAgeSeconds>
  </CORSRule>
  <CORSRule><AllowedOrigin>https://*.b.com</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod></CORSRule>
  <ResponseVary>false</ResponseVary>
</CORSConfiguration>"#;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

fn expected_cors() -> CorsConfiguration {
    CorsConfiguration {
        rules: vec![
            CorsRule {
                allowed_origins: strings(&["http://www.a.com", "*"]),
                allowed_methods: strings(&["PUT", "GET"]),
                allowed_headers: strings(&["*"]),
                expose_headers: strings(&["ETag", "x-oss-request-id"]),
                max_age_seconds: Some(100),
            },
            CorsRule {
                allowed_origins: strings(&["https://*.b.com"]),
                allowed_methods: strings(&["HEAD"]),
                ..CorsRule::default()
            },
        ],
        response_vary: false,
    }
}

#[test]
fn cors_parse() {
    assert_eq!(CorsConfiguration::parse(CORS), Ok(expected_cors()));
}

#[test]
fn cors_serialize_and_round_trip() {
    let expected = format!(
        "{DECL}<CORSConfiguration><CORSRule><AllowedOrigin>http://www.a.com</AllowedOrigin>\
         <AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod>\
         <AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>\
         <ExposeHeader>x-oss-request-id</ExposeHeader><MaxAgeSeconds>100</MaxAgeSeconds></CORSRule>\
         <CORSRule><AllowedOrigin>https://*.b.com</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod>\
         </CORSRule><ResponseVary>false</ResponseVary></CORSConfiguration>"
    );
    let xml = expected_cors().to_xml();
    assert_eq!(xml, expected);
    assert_eq!(
        CorsConfiguration::parse(xml.as_bytes()),
        Ok(expected_cors())
    );
    // OSS reports ResponseVary false when it was never set, and keeps AllowedHeader lowercase.
    let unset = rule(
        "<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>X-Oss-Meta-A</AllowedHeader>",
    );
    let parsed = CorsConfiguration::parse(&unset);
    assert_eq!(parsed.as_ref().map(|c| c.response_vary), Ok(false));
    let xml = parsed.map(|c| c.to_xml()).unwrap_or_default();
    assert!(
        xml.contains("<AllowedHeader>x-oss-meta-a</AllowedHeader>"),
        "{xml}"
    );
    assert!(xml.contains("<ResponseVary>false</ResponseVary>"), "{xml}");
}

fn rule(inner: &str) -> Vec<u8> {
    format!("<CORSConfiguration><CORSRule>{inner}</CORSRule></CORSConfiguration>").into_bytes()
}

#[test]
fn cors_rule_errors() {
    let c = |inner: &str| code(CorsConfiguration::parse(&rule(inner)));
    assert_eq!(
        c("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>"),
        "InvalidArgument"
    );
    assert_eq!(
        c("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>get</AllowedMethod>"),
        "InvalidArgument"
    );
    assert_eq!(
        c("<AllowedOrigin>*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"),
        "InvalidArgument"
    );
    assert_eq!(
        c(
            "<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>x-*</ExposeHeader>"
        ),
        "InvalidArgument"
    );
    assert_eq!(c("<AllowedMethod>GET</AllowedMethod>"), "MalformedXML");
    assert_eq!(c("<AllowedOrigin>*</AllowedOrigin>"), "MalformedXML");
    // OSS names the argument (oss2's test_invalid_argument)
    let negative = CorsConfiguration::parse(&rule(
        "<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>-1</MaxAgeSeconds>",
    ));
    let Err(e) = negative else {
        panic!("a negative MaxAgeSeconds was accepted")
    };
    assert_eq!(e.code.as_str(), "InvalidArgument");
    assert_eq!(e.extra("ArgumentName"), Some("MaxAgeSeconds"));
    assert_eq!(e.extra("ArgumentValue"), Some("-1"));
}

#[test]
fn cors_configuration_errors() {
    let one =
        "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>";
    let many = |n: usize| format!("<CORSConfiguration>{}</CORSConfiguration>", one.repeat(n));
    assert_eq!(
        CorsConfiguration::parse(many(10).as_bytes()).map(|c| c.rules.len()),
        Ok(10)
    );
    assert_eq!(
        code(CorsConfiguration::parse(many(11).as_bytes())),
        "InvalidArgument"
    );
    assert_eq!(
        code(CorsConfiguration::parse(many(0).as_bytes())),
        "MalformedXML"
    );
    let vary =
        format!("<CORSConfiguration>{one}<ResponseVary>maybe</ResponseVary></CORSConfiguration>");
    assert_eq!(
        code(CorsConfiguration::parse(vary.as_bytes())),
        "MalformedXML"
    );
    let huge = vec![b' '; MAX_CORS_BODY_BYTES + 1];
    assert_eq!(code(CorsConfiguration::parse(&huge)), "EntityTooLarge");
}
