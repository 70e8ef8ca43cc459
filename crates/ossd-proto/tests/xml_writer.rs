//! The response writer: declaration, layout, escaping.

use ossd_proto::xml::{XML_DECLARATION, XmlWriter, escape_key_text, escape_text, maybe_url_encode};

#[test]
fn compact_layout() {
    let mut w = XmlWriter::new();
    w.node("A", |w| {
        w.elem("B", "1")
            .node("C", |_| {})
            .empty("D")
            .elem_display("E", 2u8);
        w.elem_opt("F", None).elem_opt("G", Some("g"));
    });
    let expected = format!("{XML_DECLARATION}\n<A><B>1</B><C></C><D/><E>2</E><G>g</G></A>");
    assert_eq!(w.finish(), expected);
}

#[test]
fn pretty_layout() {
    let mut w = XmlWriter::pretty();
    w.node("A", |w| {
        w.elem("B", "1").node("C", |w| {
            w.elem("D", "x");
        });
        w.node("E", |_| {});
    });
    let expected =
        format!("{XML_DECLARATION}\n<A>\n  <B>1</B>\n  <C>\n    <D>x</D>\n  </C>\n  <E></E>\n</A>");
    assert_eq!(w.finish(), expected);
}

#[test]
fn escaping_rules() {
    assert_eq!(escape_text("plain ü 中 \"q\" 'a'"), "plain ü 中 \"q\" 'a'");
    assert_eq!(escape_text("a&b<c>d]]>"), "a&amp;b&lt;c&gt;d]]&gt;");
    assert_eq!(escape_text("l1\nl2\tt\rcr"), "l1\nl2\tt&#13;cr");
    assert_eq!(
        escape_text("\u{0}\u{8}\u{1F}\u{7F}\u{FFFE}\u{FFFF}\u{10000}"),
        "\u{FFFD}\u{FFFD}\u{FFFD}\u{7F}\u{FFFD}\u{FFFD}\u{10000}"
    );
    // Object keys: as OSS writes them without encoding-type=url, references.
    assert_eq!(
        escape_key_text("a&\u{1}\u{c}\u{7}\r\n\u{FFFE}"),
        "a&amp;&#1;&#12;&#7;&#13;\n&#65534;"
    );
    let mut w = XmlWriter::new();
    w.elem_key("Key", "a b\u{1}", false)
        .elem_key("Key", "a b\u{1}", true);
    assert!(
        w.finish()
            .ends_with("<Key>a b&#1;</Key><Key>a%20b%01</Key>")
    );
}

#[test]
fn escaping_borrows_when_nothing_changes() {
    assert!(matches!(escape_text("abc"), std::borrow::Cow::Borrowed(_)));
    assert!(matches!(
        maybe_url_encode("a b", false),
        std::borrow::Cow::Borrowed("a b")
    ));
    assert_eq!(maybe_url_encode("a b", true), "a%20b");
}
