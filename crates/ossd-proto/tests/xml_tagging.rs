//! Object tagging: parse, validate, serialize.

use ossd_proto::xml::{
    MAX_TAGGING_BODY_BYTES, Tag, Tagging, check_oss_tag_characters, validate_tags,
};

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.to_owned(),
        value: value.to_owned(),
    }
}

/// A body with the given (already escaped) keys and values.
fn body(tags: &[(&str, &str)]) -> Vec<u8> {
    let inner: String = tags
        .iter()
        .map(|(k, v)| format!("<Tag><Key>{k}</Key><Value>{v}</Value></Tag>"))
        .collect();
    format!("<Tagging><TagSet>{inner}</TagSet></Tagging>").into_bytes()
}

fn err(body: &[u8]) -> Option<(&'static str, Option<&'static str>)> {
    Tagging::parse(body).err().map(|e| (e.code.as_str(), e.ec))
}

#[test]
fn parses_tags_in_order() {
    let parsed = Tagging::parse(&body(&[("age", "18"), ("a b", ""), ("k&amp;", "v&lt;")]));
    let expected = vec![tag("age", "18"), tag("a b", ""), tag("k&", "v<")];
    assert_eq!(parsed.map(|t| t.tags), Ok(expected));
}

#[test]
fn empty_tag_set_and_missing_value() {
    let empty = Tagging::parse(b"<Tagging><TagSet/></Tagging>");
    assert_eq!(empty, Ok(Tagging::default()));
    let no_value = Tagging::parse(b"<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>");
    assert_eq!(no_value.map(|t| t.tags), Ok(vec![tag("k", "")]));
}

#[test]
fn structure_errors_are_malformed_xml() {
    for bad in [
        &b"<Tagging></Tagging>"[..],
        b"<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>",
        b"<TagSet><Tag><Key>k</Key></Tag></TagSet>",
        b"<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet>",
    ] {
        assert_eq!(err(bad).map(|e| e.0), Some("MalformedXML"));
    }
    let huge = vec![b'x'; MAX_TAGGING_BODY_BYTES + 1];
    assert_eq!(err(&huge).map(|e| e.0), Some("EntityTooLarge"));
}

#[test]
fn rule_errors_are_invalid_tag() {
    let eleven: Vec<String> = (0..11).map(|i| format!("k{i}")).collect();
    let pairs: Vec<(&str, &str)> = eleven.iter().map(|k| (k.as_str(), "v")).collect();
    assert_eq!(
        err(&body(&pairs)),
        Some(("InvalidTag", Some("0010-00000217")))
    );
    assert!(Tagging::parse(&body(&pairs[..10])).is_ok());

    let long_key = "k".repeat(129);
    assert_eq!(
        err(&body(&[(&long_key, "v")])),
        Some(("InvalidTag", Some("0010-00000209")))
    );
    assert!(Tagging::parse(&body(&[(&"中".repeat(128), "v")])).is_ok());

    let long_value = "v".repeat(257);
    assert_eq!(
        err(&body(&[("k", &long_value)])),
        Some(("InvalidTag", Some("0010-00000214")))
    );
    assert!(Tagging::parse(&body(&[("k", &"v".repeat(256))])).is_ok());

    assert_eq!(
        err(&body(&[("k", "1"), ("k", "2")])),
        Some(("InvalidTag", Some("0010-00000217")))
    );
    assert_eq!(err(&body(&[("", "v")])).map(|e| e.0), Some("InvalidTag"));
}

#[test]
fn validate_tags_is_usable_for_headers() {
    assert!(validate_tags(&[tag("a", "1"), tag("b", "2")]).is_ok());
    assert!(validate_tags(&[tag("a", "1"), tag("a", "2")]).is_err());
}

#[test]
fn serializes_with_escaping() {
    let t = Tagging {
        tags: vec![tag("age", "18"), tag("a&b", "<v>")],
    };
    let expected = format!(
        "{DECL}<Tagging><TagSet><Tag><Key>age</Key><Value>18</Value></Tag>\
         <Tag><Key>a&amp;b</Key><Value>&lt;v&gt;</Value></Tag></TagSet></Tagging>"
    );
    assert_eq!(t.to_xml(), expected);
    assert_eq!(
        Tagging::default().to_xml(),
        format!("{DECL}<Tagging><TagSet></TagSet></Tagging>")
    );
    assert_eq!(Tagging::parse(t.to_xml().as_bytes()), Ok(t));
}

#[test]
fn oss_tag_characters() {
    let code = |k: &str, v: &str| {
        check_oss_tag_characters([(k, v)])
            .err()
            .map(|e| (e.code.as_str(), e.ec))
    };
    // letters, digits, the space and + - = . _ : / are allowed; an empty value too
    assert_eq!(code("Key 1+-=._:/", "Value 2+-=._:/"), None);
    assert_eq!(code("+-/", ":+:"), None);
    assert_eq!(code("k", ""), None);
    // letters beyond ASCII too, as OSS stores them
    assert_eq!(code("中文", "++中文++"), None);
    assert_eq!(code(" +/ ", "é"), None);
    // anything else is InvalidTag: in a key EC 0010-00000212, in a value 0010-00000217
    for bad in ["%@abc", "a@b", "a&b", "a%b", "a!b", "a\tb", "a\u{3000}b"] {
        assert_eq!(
            code(bad, "v"),
            Some(("InvalidTag", Some("0010-00000212"))),
            "{bad}"
        );
        assert_eq!(
            code("k", bad),
            Some(("InvalidTag", Some("0010-00000217"))),
            "{bad}"
        );
    }
}
