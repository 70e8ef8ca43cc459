//! The response writer: a `String` builder that always starts with the XML declaration and
//! escapes every text node. Markup is always well-formed XML 1.0; the one departure is the one
//! OSS makes for object keys (which may hold any control character): written with
//! [`XmlWriter::elem_key`], a character XML cannot carry is a character reference, `&#1;`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::borrow::Cow;
use std::fmt::{Display, Write as _};

/// The declaration every response body starts with.
pub const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// RFC 3986 unreserved characters stay; every other byte is percent-encoded (`/` too).
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Builds one XML document. Element names must be fixed, valid names; text is escaped.
#[derive(Debug)]
pub struct XmlWriter {
    buf: String,
    pretty: bool,
    depth: usize,
}

impl XmlWriter {
    /// A compact writer (no whitespace between elements).
    pub fn new() -> Self {
        Self::with_layout(false)
    }

    /// A writer that puts each element on its own line, indented by two spaces per level.
    pub fn pretty() -> Self {
        Self::with_layout(true)
    }

    fn with_layout(pretty: bool) -> Self {
        let mut buf = String::with_capacity(512);
        buf.push_str(XML_DECLARATION);
        buf.push('\n');
        Self {
            buf,
            pretty,
            depth: 0,
        }
    }

    /// Writes `<name>`, then whatever `body` writes, then `</name>`.
    pub fn node(&mut self, name: &str, body: impl FnOnce(&mut Self)) -> &mut Self {
        self.line_break();
        self.push_tag("<", name, ">");
        let mark = self.buf.len();
        self.depth += 1;
        body(self);
        self.depth -= 1;
        if self.buf.len() != mark {
            self.line_break();
        }
        self.push_tag("</", name, ">");
        self
    }

    /// Writes `<name a="v" ...>`, then whatever `body` writes, then `</name>`; attribute
    /// names must be fixed, valid names, values are escaped.
    pub fn node_with_attrs(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        body: impl FnOnce(&mut Self),
    ) -> &mut Self {
        self.line_break();
        self.buf.push('<');
        self.buf.push_str(name);
        for (k, v) in attrs {
            self.buf.push(' ');
            self.buf.push_str(k);
            self.buf.push_str("=\"");
            self.buf.push_str(&escape_text(v).replace('"', "&quot;"));
            self.buf.push('"');
        }
        self.buf.push('>');
        self.depth += 1;
        body(self);
        self.depth -= 1;
        self.line_break();
        self.push_tag("</", name, ">");
        self
    }

    /// Writes `<name>text</name>` with `text` escaped.
    pub fn elem(&mut self, name: &str, text: &str) -> &mut Self {
        self.line_break();
        self.push_tag("<", name, ">");
        self.buf.push_str(&escape_text(text));
        self.push_tag("</", name, ">");
        self
    }

    /// Writes `<name>key</name>` for an object key, prefix, marker or delimiter: percent-encoded
    /// when `url` (`encoding-type=url`), else escaped by [`escape_key_text`].
    pub fn elem_key(&mut self, name: &str, key: &str, url: bool) -> &mut Self {
        self.line_break();
        self.push_tag("<", name, ">");
        push_key(&mut self.buf, key, url);
        self.push_tag("</", name, ">");
        self
    }

    /// Writes `<name>value</name>` for a number, boolean or other displayable value.
    /// The value is formatted straight into the document (no string of its own), then
    /// escaped in place in the rare case it needs it.
    pub fn elem_display(&mut self, name: &str, value: impl Display) -> &mut Self {
        // Writing into a `String` cannot fail.
        self.elem_with(name, |buf| {
            let _ = write!(buf, "{value}");
        })
    }

    /// Writes `<name>`, the text `write` appends to the document, then `</name>`: for text
    /// made of parts (a date, a quoted ETag), built in place rather than in a string of its
    /// own, then escaped in place in the rare case it needs it.
    pub fn elem_with(&mut self, name: &str, write: impl FnOnce(&mut String)) -> &mut Self {
        self.line_break();
        self.push_tag("<", name, ">");
        let mark = self.buf.len();
        write(&mut self.buf);
        let escaped = match escape_text(&self.buf[mark..]) {
            Cow::Owned(e) => Some(e),
            Cow::Borrowed(_) => None,
        };
        if let Some(e) = escaped {
            self.buf.truncate(mark);
            self.buf.push_str(&e);
        }
        self.push_tag("</", name, ">");
        self
    }

    /// Writes `<name>`, the text `write` appends to the document, then `</name>`, without
    /// escaping: only for text that never needs it (digits, dates). A listing writes three
    /// such elements per entry, where checking each costs as much as writing it.
    pub fn elem_plain_with(&mut self, name: &str, write: impl FnOnce(&mut String)) -> &mut Self {
        self.line_break();
        self.push_tag("<", name, ">");
        let mark = self.buf.len();
        write(&mut self.buf);
        debug_assert!(
            matches!(escape_text(&self.buf[mark..]), Cow::Borrowed(_)),
            "{name} needs escaping"
        );
        self.push_tag("</", name, ">");
        self
    }

    /// Writes `<name>text</name>` for a fixed spelling (an enum's `as_str`), without escaping.
    pub fn elem_plain(&mut self, name: &str, text: &'static str) -> &mut Self {
        self.elem_plain_with(name, |b| b.push_str(text))
    }

    /// The compact document's text so far, for markup written in bulk: adjacent fixed tags as
    /// one string and values appended in place (a listing's `<Contents>`, where one `push_str` per
    /// tag costs more than the values). The caller writes well-formed, escaped markup.
    ///
    /// # Panics
    /// In debug builds, on a pretty writer (whose layout bulk markup would skip).
    pub(crate) fn compact_text(&mut self) -> &mut String {
        debug_assert!(!self.pretty, "bulk markup in a pretty document");
        &mut self.buf
    }

    /// Reserves room for `additional` more bytes (a listing knows roughly how long it is).
    pub fn reserve(&mut self, additional: usize) {
        self.buf.reserve(additional);
    }

    /// Writes the element only when `text` is present.
    pub fn elem_opt(&mut self, name: &str, text: Option<&str>) -> &mut Self {
        if let Some(t) = text {
            self.elem(name, t);
        }
        self
    }

    /// Writes a self-closing `<name/>`.
    pub fn empty(&mut self, name: &str) -> &mut Self {
        self.line_break();
        self.push_tag("<", name, "/>");
        self
    }

    /// The finished document.
    pub fn finish(self) -> String {
        self.buf
    }

    fn push_tag(&mut self, open: &str, name: &str, close: &str) {
        self.buf.push_str(open);
        self.buf.push_str(name);
        self.buf.push_str(close);
    }

    fn line_break(&mut self) {
        if self.pretty && !self.buf.ends_with('\n') {
            self.buf.push('\n');
            for _ in 0..self.depth {
                self.buf.push_str("  ");
            }
        }
    }
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

/// Escapes element text: `&`, `<`, `>` as entities, CR as `&#13;` (so it survives parsing), and
/// characters XML 1.0 forbids (C0 controls other than TAB/LF/CR, U+FFFE, U+FFFF) as U+FFFD.
/// Quotes stay literal, so ETags read `"..."`.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape_with(s, |_, out| out.push('\u{FFFD}'))
}

/// Escapes an object key (or prefix, marker, delimiter) as [`escape_text`] does, except that a
/// character XML 1.0 forbids is a decimal character reference (`&#1;`), which is how OSS writes
/// keys in listings without `encoding-type=url`: lenient parsers (ali-oss's sax before 1.5) read
/// the key back; strict ones need `encoding-type=url`, which oss2 and the v2 SDK send.
pub fn escape_key_text(s: &str) -> Cow<'_, str> {
    escape_with(s, |c, out| {
        out.push_str("&#");
        out.push_str(&u32::from(c).to_string());
        out.push(';');
    })
}

fn escape_with(s: &str, forbidden: impl Fn(char, &mut String)) -> Cow<'_, str> {
    // Fast path over bytes: printable ASCII other than `&<>`, TAB and LF stay as they are
    // (the common case: names, ETags, dates, sizes); anything else takes the char scan.
    if s.bytes().all(plain_ascii) || !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if !is_xml_char(c) => forbidden(c, &mut out),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn plain_ascii(b: u8) -> bool {
    PLAIN_ASCII[usize::from(b)]
}

/// Which bytes [`plain_ascii`] accepts, as a table: one load per byte of the fast path.
static PLAIN_ASCII: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        // `b` is below 256, so the cast keeps it whole.
        let c = b as u8;
        table[b] = matches!(c, b'\t' | b'\n' | 0x20..=0x7e) && !matches!(c, b'&' | b'<' | b'>');
        b += 1;
    }
    table
};

fn needs_escape(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '\r') || !is_xml_char(c)
}

/// Whether `c` is allowed in an XML 1.0 document (the `Char` production).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Appends an object key (or prefix, marker, delimiter) as [`XmlWriter::elem_key`] writes it:
/// percent-encoded when `url`, else escaped by [`escape_key_text`].
pub(crate) fn push_key(out: &mut String, key: &str, url: bool) {
    if url {
        out.extend(utf8_percent_encode(key, STRICT));
    } else {
        out.push_str(&escape_key_text(key));
    }
}

/// Percent-encodes for `encoding-type=url`: strict RFC 3986, uppercase hex, `%20` for space.
pub fn url_encode(s: &str) -> String {
    utf8_percent_encode(s, STRICT).to_string()
}

/// `s` percent-encoded when `url` is set, else unchanged.
pub fn maybe_url_encode(s: &str, url: bool) -> Cow<'_, str> {
    if url {
        Cow::Owned(url_encode(s))
    } else {
        Cow::Borrowed(s)
    }
}
