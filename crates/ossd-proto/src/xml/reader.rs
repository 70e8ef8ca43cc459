//! Request bodies: quick-xml events folded into a small, bounded element tree. Namespaces
//! (prefixes and `xmlns`) and attributes are ignored; a DTD is refused.

use super::writer::is_xml_char;
use crate::error::OssError;
use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};

/// The largest small configuration document accepted (versioning, CreateBucketConfiguration).
pub const MAX_CONFIG_BODY_BYTES: usize = 64 * 1024;
/// The deepest element nesting any request document may have.
pub const MAX_XML_DEPTH: usize = 16;
/// The most elements any request document may have (CompleteMultipartUpload needs 30 001).
pub const MAX_XML_ELEMENTS: usize = 65_536;

/// One element: its local name, its own text (concatenated), and its child elements.
#[derive(Debug, Default)]
pub(crate) struct Node {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) children: Vec<Node>,
}

/// Parses `body` (at most `max_bytes`) whose root element must be `root`.
pub(crate) fn parse_document(body: &[u8], max_bytes: usize, root: &str) -> Result<Node, OssError> {
    parse_with(body, max_bytes, root, false)
}

/// [`parse_document`] for a document that names object keys (DeleteMultipleObjects): a key may
/// hold any character but NUL, and OSS takes control characters in it, raw or referenced
/// (ali-oss sends them raw), so they are text here rather than `MalformedXML`.
pub(crate) fn parse_key_document(
    body: &[u8],
    max_bytes: usize,
    root: &str,
) -> Result<Node, OssError> {
    parse_with(body, max_bytes, root, true)
}

fn parse_with(body: &[u8], max_bytes: usize, root: &str, controls: bool) -> Result<Node, OssError> {
    if body.len() > max_bytes {
        return Err(OssError::entity_too_large());
    }
    let text = std::str::from_utf8(body).map_err(|_| OssError::malformed_xml())?;
    let builder = TreeBuilder {
        controls,
        ..TreeBuilder::default()
    };
    let node = builder.run(text)?;
    if node.name != root {
        return Err(OssError::malformed_xml());
    }
    Ok(node)
}

#[derive(Default)]
struct TreeBuilder {
    stack: Vec<Node>,
    root: Option<Node>,
    elements: usize,
    /// Whether text may hold characters outside XML 1.0 other than NUL.
    controls: bool,
}

impl TreeBuilder {
    fn run(mut self, text: &str) -> Result<Node, OssError> {
        let mut reader = Reader::from_str(text);
        reader.config_mut().expand_empty_elements = true;
        loop {
            let event = reader.read_event().map_err(|_| OssError::malformed_xml())?;
            if !self.on_event(event)? {
                break;
            }
        }
        if !self.stack.is_empty() {
            return Err(OssError::malformed_xml());
        }
        self.root.ok_or_else(OssError::malformed_xml)
    }

    /// Handles one event; `Ok(false)` at the end of input.
    fn on_event(&mut self, event: Event<'_>) -> Result<bool, OssError> {
        match event {
            Event::Start(s) => self.open(&s)?,
            Event::Empty(s) => {
                self.open(&s)?;
                self.close()?;
            }
            Event::End(_) => self.close()?,
            Event::Text(t) => self.text(&t.xml10_content().map_err(|_| malformed())?)?,
            Event::CData(c) => self.text(&c.decode().map_err(|_| malformed())?)?,
            Event::GeneralRef(r) => self.text(&resolve_reference(&r)?)?,
            Event::DocType(_) => return Err(malformed()),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => return Ok(false),
        }
        Ok(true)
    }

    fn open(&mut self, start: &BytesStart<'_>) -> Result<(), OssError> {
        self.elements += 1;
        let too_big = self.elements > MAX_XML_ELEMENTS || self.stack.len() >= MAX_XML_DEPTH;
        if self.root.is_some() || too_big {
            return Err(malformed());
        }
        let local = start.local_name();
        let name = std::str::from_utf8(local.as_ref()).map_err(|_| malformed())?;
        self.stack.push(Node {
            name: name.to_owned(),
            ..Node::default()
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), OssError> {
        let node = self.stack.pop().ok_or_else(malformed)?;
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => self.root = Some(node),
        }
        Ok(())
    }

    fn text(&mut self, s: &str) -> Result<(), OssError> {
        // Only XML 1.0 `Char`s, raw or referenced (https://www.w3.org/TR/xml/#charsets, WFC: Legal
        // Character), except in key documents, whose keys the writer renders as references.
        let allowed = |c: char| is_xml_char(c) || (self.controls && c != '\0');
        if !s.chars().all(allowed) {
            return Err(malformed());
        }
        match self.stack.last_mut() {
            Some(node) => node.text.push_str(s),
            None if s.trim().is_empty() => {}
            None => return Err(malformed()),
        }
        Ok(())
    }
}

/// Resolves `&#NN;`, `&#xNN;` and the five predefined entities; anything else is malformed.
fn resolve_reference(r: &BytesRef<'_>) -> Result<String, OssError> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c.to_string()),
            _ => Err(malformed()),
        };
    }
    let name = r.decode().map_err(|_| malformed())?;
    resolve_predefined_entity(&name)
        .map(str::to_owned)
        .ok_or_else(malformed)
}

fn malformed() -> OssError {
    OssError::malformed_xml()
}

impl Node {
    /// The first child element called `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child element called `name`, in document order.
    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of a leaf element; an element with children is malformed here.
    pub(crate) fn leaf_text(&self) -> Result<&str, OssError> {
        if self.children.is_empty() {
            Ok(&self.text)
        } else {
            Err(malformed())
        }
    }

    /// The text of the first child `name`, if there is one.
    pub(crate) fn child_text(&self, name: &str) -> Result<Option<&str>, OssError> {
        self.child(name).map(Node::leaf_text).transpose()
    }

    /// The text of the first child `name`; a missing child is malformed.
    pub(crate) fn required_text(&self, name: &str) -> Result<&str, OssError> {
        self.child_text(name)?.ok_or_else(malformed)
    }
}

/// Parses `true` / `false` (case-insensitive, surrounding whitespace ignored).
pub(crate) fn parse_bool(s: &str) -> Result<bool, OssError> {
    match s.trim() {
        t if t.eq_ignore_ascii_case("true") => Ok(true),
        t if t.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(malformed()),
    }
}

/// Parses a decimal `u32` (surrounding whitespace ignored).
pub(crate) fn parse_u32(s: &str) -> Result<u32, OssError> {
    s.trim().parse().map_err(|_| malformed())
}
