//! Fuzz target `xml` (docs/fuzzing.md): every request-body parser of `ossd_proto::xml` on every
//! input. Parsers return a 4xx `OssError` or a value; where a serializer exists, a parsed value
//! survives serialize → parse unchanged. Corpus: `fuzz/corpus/xml/`.

#[path = "../../../fuzz/harness.rs"]
mod harness;

use harness::Target;
use ossd_proto::error::OssError;
use ossd_proto::xml::{
    CompleteMultipartUpload, CorsConfiguration, CreateBucketConfiguration, DeleteObjectsRequest,
    LifecycleConfiguration, RefererConfiguration, Style, Tagging, VersioningConfiguration,
    XmlWriter,
};

const TOKENS: &[&str] = &[
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
    "<!DOCTYPE a [<!ENTITY e \"x\">]>",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?pi?>",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&apos;",
    "&#13;",
    "&#x1;",
    "&#xFFFE;",
    "&#x10FFFF;",
    "&e;",
    " xmlns=\"http://doc.oss-cn-hangzhou.aliyuncs.com\"",
    " a=\"&lt;\"",
    "/>",
    "</",
    "true",
    "false",
    "Enabled",
    "Suspended",
    "Disabled",
    "GET",
    "HEAD",
    "2014-12-21T00:00:00.000Z",
    "2014-12-21T08:00:00+08:00",
];

/// A parse error is a client error with a code.
fn assert_client_error(e: &OssError) {
    assert!((400..500).contains(&e.status), "{e:?}");
    assert!(!e.code.as_str().is_empty(), "{e:?}");
}

/// Checks one parser: deterministic, typed errors, and (with `round`) parse ∘ render = id.
fn check<T: PartialEq + std::fmt::Debug>(
    body: &[u8],
    parse: fn(&[u8]) -> Result<T, OssError>,
    render: Option<fn(&T) -> String>,
) {
    let parsed = parse(body);
    match &parsed {
        Err(e) => assert_client_error(e),
        Ok(value) => {
            if let Some(render) = render {
                let xml = render(value);
                assert_eq!(parse(xml.as_bytes()).as_ref(), Ok(value), "{xml}");
            }
        }
    }
    assert_eq!(parsed, parse(body), "parse is deterministic");
}

/// The DeleteMultipleObjects request as an SDK writes it.
fn render_delete(d: &DeleteObjectsRequest) -> String {
    let mut w = XmlWriter::new();
    w.node("Delete", |w| {
        w.elem_display("Quiet", d.quiet);
        for o in &d.objects {
            w.node("Object", |w| {
                w.elem_key("Key", &o.key, false)
                    .elem_opt("VersionId", o.version_id.as_deref());
            });
        }
    });
    w.finish()
}

/// The CompleteMultipartUpload request as an SDK writes it.
fn render_complete(c: &CompleteMultipartUpload) -> String {
    let mut w = XmlWriter::new();
    w.node("CompleteMultipartUpload", |w| {
        for p in &c.parts {
            w.node("Part", |w| {
                w.elem_display("PartNumber", p.part_number)
                    .elem("ETag", &format!("\"{}\"", p.etag));
            });
        }
    });
    w.finish()
}

/// The PutStyle body for a content (`&String`: the renderer type of [`check`] for `String`).
#[allow(clippy::ptr_arg)]
fn render_style(content: &String) -> String {
    let style = Style {
        name: "s".to_owned(),
        content: content.clone(),
        category: "image".to_owned(),
        create_ms: 0,
        modify_ms: 0,
    };
    style.to_xml()
}

#[test]
fn fuzz_xml() {
    let target = Target::new("xml", TOKENS);
    for (name, body) in target.realistic() {
        let accepted = [
            CorsConfiguration::parse(body).is_ok(),
            LifecycleConfiguration::parse(body).is_ok(),
            RefererConfiguration::parse(body).is_ok(),
            Tagging::parse(body).is_ok(),
            VersioningConfiguration::parse(body).is_ok(),
            Style::parse_content(body).is_ok(),
            DeleteObjectsRequest::parse(body).is_ok(),
            CompleteMultipartUpload::parse(body).is_ok(),
            CreateBucketConfiguration::parse(body).is_ok(),
        ];
        assert_eq!(accepted.iter().filter(|ok| **ok).count(), 1, "{name}");
    }
    target.run(|body| {
        check(
            body,
            CorsConfiguration::parse,
            Some(CorsConfiguration::to_xml),
        );
        check(
            body,
            LifecycleConfiguration::parse,
            Some(LifecycleConfiguration::to_stored_xml),
        );
        check(
            body,
            RefererConfiguration::parse,
            Some(RefererConfiguration::to_xml),
        );
        check(body, Tagging::parse, Some(Tagging::to_xml));
        check(
            body,
            VersioningConfiguration::parse,
            Some(VersioningConfiguration::to_xml),
        );
        check(body, Style::parse_content, Some(render_style));
        check(body, DeleteObjectsRequest::parse, Some(render_delete));
        check(body, CompleteMultipartUpload::parse, Some(render_complete));
        check(body, CreateBucketConfiguration::parse, None);
    });
}

/// Found by this target: a control character (raw or as a reference) used to be accepted and
/// came back from GetBucketReferer as U+FFFD. XML 1.0 forbids it: `MalformedXML`.
#[test]
fn characters_outside_xml_are_malformed() {
    for bad in [
        &b"<RefererConfiguration><RefererList><Referer>a\x0eb</Referer></RefererList></RefererConfiguration>"[..],
        b"<RefererConfiguration><RefererList><Referer>a&#x1;b</Referer></RefererList></RefererConfiguration>",
        b"<RefererConfiguration><RefererList><Referer>&#xFFFE;</Referer></RefererList></RefererConfiguration>",
        b"<RefererConfiguration><RefererList><Referer><![CDATA[\x01]]></Referer></RefererList></RefererConfiguration>",
    ] {
        let code = RefererConfiguration::parse(bad).map_err(|e| e.code.as_str());
        assert_eq!(code, Err("MalformedXML"), "{}", String::from_utf8_lossy(bad));
    }
    let tab = b"<RefererConfiguration><RefererList><Referer>a&#9;b&#13;</Referer></RefererList></RefererConfiguration>";
    let parsed = RefererConfiguration::parse(tab).map(|c| c.referers);
    assert_eq!(parsed, Ok(vec!["a\tb".to_owned()]));
}
