//! Response documents: quick-xml events folded into a small element tree (namespaces and
//! attributes ignored), for the listings, upload ids and error documents the commands read.

use anyhow::{Context, bail};
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

/// One element: its local name, its own text (concatenated) and its child elements.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    /// Local name.
    pub name: String,
    /// Text directly inside the element.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
}

impl Element {
    /// The first child called `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child called `name`.
    pub(crate) fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }
}

/// Parses a whole document into its root element.
pub(crate) fn parse(body: &[u8]) -> anyhow::Result<Element> {
    let text = std::str::from_utf8(body).context("response document is not UTF-8")?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut stack: Vec<Element> = Vec::new();
    loop {
        let event = reader.read_event().context("malformed response document")?;
        match event {
            Event::Start(s) => {
                let local = s.local_name();
                let name = std::str::from_utf8(local.as_ref()).context("element name")?;
                stack.push(Element {
                    name: name.to_owned(),
                    ..Element::default()
                });
            }
            Event::End(_) => {
                let done = stack.pop().context("unbalanced response document")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()?),
            Event::CData(c) => push_text(&mut stack, &c.decode()?),
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref()?.map(String::from)
                } else {
                    resolve_predefined_entity(&r.decode()?).map(str::to_owned)
                };
                push_text(&mut stack, &resolved.unwrap_or_default());
            }
            Event::Eof => bail!("truncated response document"),
            _ => {}
        }
    }
}

fn push_text(stack: &mut [Element], s: &str) {
    if let Some(top) = stack.last_mut() {
        top.text.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree() -> anyhow::Result<()> {
        let doc = br#"<?xml version="1.0"?><R xmlns="x"><A>1 &lt; 2&#x41;</A><B/><A>two</A><C><D>d</D></C></R>"#;
        let root = parse(doc)?;
        assert_eq!(root.name, "R");
        assert_eq!(root.text_of("A"), Some("1 < 2A"));
        assert_eq!(root.text_of("B"), Some(""));
        assert_eq!(root.children_named("A").count(), 2);
        assert_eq!(root.child("C").and_then(|c| c.text_of("D")), Some("d"));
        assert!(parse(b"<R><A>").is_err());
        assert!(parse(b"\xff").is_err());
        Ok(())
    }
}
