//! DeleteMultipleObjects: the request parser and the DeleteResult serializer.

use ossd_proto::xml::{
    DeleteErrorEntry, DeleteObjectsRequest, DeleteResult, DeletedEntry, MAX_DELETE_BODY_BYTES,
    ObjectToDelete,
};

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

fn obj(key: &str, version_id: Option<&str>) -> ObjectToDelete {
    ObjectToDelete {
        key: key.to_owned(),
        version_id: version_id.map(str::to_owned),
    }
}

fn code(body: &[u8]) -> &'static str {
    DeleteObjectsRequest::parse(body)
        .err()
        .map_or("ok", |e| e.code.as_str())
}

#[test]
fn parses_the_spec_example() {
    let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<Delete>
  <Quiet>false</Quiet>
  <Object><Key>top.txt</Key><VersionId>CAEQ1</VersionId></Object>
  <Object><Key>dir/a b.txt</Key></Object>
</Delete>"#;
    let req = DeleteObjectsRequest::parse(body);
    let expected = DeleteObjectsRequest {
        quiet: false,
        objects: vec![obj("top.txt", Some("CAEQ1")), obj("dir/a b.txt", None)],
    };
    assert_eq!(req, Ok(expected));
}

#[test]
fn quiet_defaults_to_false_and_accepts_case() {
    let req = DeleteObjectsRequest::parse(b"<Delete><Object><Key>k</Key></Object></Delete>");
    assert_eq!(req.map(|r| r.quiet), Ok(false));
    let req = DeleteObjectsRequest::parse(
        b"<Delete><Quiet> True </Quiet><Object><Key>k</Key></Object></Delete>",
    );
    assert_eq!(req.map(|r| r.quiet), Ok(true));
    assert_eq!(
        code(b"<Delete><Quiet>yes</Quiet><Object><Key>k</Key></Object></Delete>"),
        "MalformedXML"
    );
}

#[test]
fn keys_keep_whitespace_entities_and_cdata() {
    let body = b"<Delete><Object><Key> a&amp;b&lt;&#x4E2D;&#13;\n </Key></Object>\
                 <Object><Key><![CDATA[<raw>&]]></Key><VersionId></VersionId></Object></Delete>";
    let req = DeleteObjectsRequest::parse(body);
    let expected = vec![obj(" a&b<\u{4E2D}\r\n ", None), obj("<raw>&", None)];
    assert_eq!(req.map(|r| r.objects), Ok(expected));
}

#[test]
fn namespaces_and_prefixes_are_ignored() {
    let body =
        br#"<d:Delete xmlns:d="urn:x" xmlns="urn:y"><d:Object><Key>k</Key></d:Object></d:Delete>"#;
    assert_eq!(
        DeleteObjectsRequest::parse(body).map(|r| r.objects),
        Ok(vec![obj("k", None)])
    );
}

#[test]
fn unknown_elements_are_skipped() {
    let body =
        b"<Delete><Extra><Deep>x</Deep></Extra><Object><Key>k</Key><Other/></Object></Delete>";
    assert_eq!(
        DeleteObjectsRequest::parse(body).map(|r| r.objects.len()),
        Ok(1)
    );
}

#[test]
fn object_limits() {
    let body = |n: usize| {
        let objs = "<Object><Key>k</Key></Object>".repeat(n);
        format!("<Delete>{objs}</Delete>").into_bytes()
    };
    assert_eq!(
        DeleteObjectsRequest::parse(&body(1000)).map(|r| r.objects.len()),
        Ok(1000)
    );
    assert_eq!(code(&body(1001)), "MalformedXML");
    assert_eq!(code(&body(0)), "MalformedXML");
}

#[test]
fn malformed_objects() {
    for bad in [
        &b"<Delete><Object></Object></Delete>"[..],
        b"<Delete><Object><Key><b>x</b></Key></Object></Delete>",
        b"<Delete><Object><Key>k</Key></Object>",
        b"<Delete><Object><Key>k</Key></Object></Delete><Delete/>",
        b"<Remove><Object><Key>k</Key></Object></Remove>",
        b"",
        b"not xml",
        b"<Delete><Object><Key>&unknown;</Key></Object></Delete>",
        b"<Delete><Object><Key>&#0;</Key></Object></Delete>",
        b"<Delete><Object><Key>a & b</Key></Object></Delete>",
        b"<!DOCTYPE d [<!ENTITY e \"x\">]><Delete><Object><Key>&e;</Key></Object></Delete>",
        b"<Delete><Object><Key>\xff</Key></Object></Delete>",
        b"<Delete><Object><Key>k</Key></Objekt></Delete>",
        b"text<Delete><Object><Key>k</Key></Object></Delete>",
    ] {
        assert_eq!(
            code(bad),
            "MalformedXML",
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
}

/// OSS takes an empty key (fsspec's ossfs sends one for the bucket itself in `rm(bucket,
/// recursive=True)`) and control characters, raw (ali-oss) or referenced; NUL stays malformed.
#[test]
fn empty_keys_and_control_characters() {
    let keys = |body: &[u8]| {
        DeleteObjectsRequest::parse(body)
            .map(|r| r.objects.into_iter().map(|o| o.key).collect::<Vec<_>>())
    };
    assert_eq!(
        keys(b"<Delete><Object><Key></Key></Object><Object><Key/></Object></Delete>"),
        Ok(vec![String::new(), String::new()])
    );
    assert_eq!(
        keys(b"<Delete><Object><Key>a\x01\x0c\x07b&#8;&#x1f;</Key></Object></Delete>"),
        Ok(vec!["a\u{1}\u{c}\u{7}b\u{8}\u{1f}".to_owned()])
    );
    assert_eq!(
        code(b"<Delete><Object><Key>a\x00</Key></Object></Delete>"),
        "MalformedXML"
    );
    assert_eq!(
        code(b"<Delete><Object><Key>k</Key><VersionId>v\x14</VersionId></Object></Delete>"),
        "MalformedXML"
    );
}

#[test]
fn huge_bodies_are_rejected_before_parsing() {
    let mut body = b"<Delete><Object><Key>".to_vec();
    body.resize(MAX_DELETE_BODY_BYTES + 1, b'a');
    assert_eq!(code(&body), "EntityTooLarge");
}

#[test]
fn deep_nesting_is_rejected() {
    let body = format!(
        "<Delete>{}{}</Delete>",
        "<a>".repeat(100),
        "</a>".repeat(100)
    );
    assert_eq!(code(body.as_bytes()), "MalformedXML");
}

fn entry(key: &str) -> DeletedEntry {
    DeletedEntry {
        key: key.to_owned(),
        ..DeletedEntry::default()
    }
}

#[test]
fn result_plain_and_versioned() {
    let result = DeleteResult {
        quiet: false,
        encoding_url: false,
        deleted: vec![
            entry("top.txt"),
            DeletedEntry {
                key: "v.txt".to_owned(),
                version_id: Some("CAEQ1".to_owned()),
                delete_marker: true,
                delete_marker_version_id: Some("CAEQ2".to_owned()),
            },
        ],
        errors: vec![],
    };
    let expected = format!(
        "{DECL}<DeleteResult><Deleted><Key>top.txt</Key></Deleted><Deleted><Key>v.txt</Key>\
         <VersionId>CAEQ1</VersionId><DeleteMarker>true</DeleteMarker>\
         <DeleteMarkerVersionId>CAEQ2</DeleteMarkerVersionId></Deleted></DeleteResult>"
    );
    assert_eq!(result.to_xml(), expected);
}

#[test]
fn result_encoding_type_and_quiet() {
    let result = DeleteResult {
        quiet: false,
        encoding_url: true,
        deleted: vec![entry("a b&c")],
        errors: vec![],
    };
    let expected = format!(
        "{DECL}<DeleteResult><EncodingType>url</EncodingType><Deleted><Key>a%20b%26c</Key></Deleted></DeleteResult>"
    );
    assert_eq!(result.to_xml(), expected);
    let quiet = DeleteResult {
        quiet: true,
        ..result
    };
    assert_eq!(
        quiet.to_xml(),
        format!("{DECL}<DeleteResult></DeleteResult>")
    );
}

#[test]
fn refused_entries_are_errors_also_in_quiet_mode() {
    let refused = DeleteErrorEntry {
        key: "secret/a b".to_owned(),
        version_id: Some("CAEQ3".to_owned()),
        code: "AccessDenied",
        message: "Access Denied".to_owned(),
    };
    let result = DeleteResult {
        quiet: false,
        encoding_url: true,
        deleted: vec![entry("open.txt")],
        errors: vec![refused],
    };
    let error = "<Error><Key>secret%2Fa%20b</Key><VersionId>CAEQ3</VersionId><Code>AccessDenied</Code>\
                 <Message>Access Denied</Message></Error>";
    assert_eq!(
        result.to_xml(),
        format!(
            "{DECL}<DeleteResult><EncodingType>url</EncodingType><Deleted><Key>open.txt</Key></Deleted>\
             {error}</DeleteResult>"
        )
    );
    let quiet = DeleteResult {
        quiet: true,
        ..result
    };
    assert_eq!(
        quiet.to_xml(),
        format!("{DECL}<DeleteResult><EncodingType>url</EncodingType>{error}</DeleteResult>")
    );
}

#[test]
fn result_escapes_keys() {
    let result = DeleteResult {
        deleted: vec![entry("<&>")],
        ..DeleteResult::default()
    };
    assert!(result.to_xml().contains("<Key>&lt;&amp;&gt;</Key>"));
}

#[test]
fn a_utf8_bom_and_comments_are_tolerated() {
    let body = b"\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><Delete><?pi x?><Object><Key>k</Key></Object></Delete>\n";
    assert_eq!(
        DeleteObjectsRequest::parse(body).map(|r| r.objects),
        Ok(vec![obj("k", None)])
    );
}
