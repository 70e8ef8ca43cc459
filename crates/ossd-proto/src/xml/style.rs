//! Image styles: the `<Style><Content>` request body (PutStyle) and the `<Style>` /
//! `<StyleList>` documents (GetStyle, ListStyle).

use super::reader::parse_document;
use super::writer::XmlWriter;
use crate::error::OssError;
use crate::time_fmt::iso8601_ms;

/// The largest PutStyle body accepted.
pub const MAX_STYLE_BODY_BYTES: usize = 16 * 1024;

/// One stored image style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    /// The style name (`styleName`).
    pub name: String,
    /// The processing pipeline, for example `image/resize,w_200`.
    pub content: String,
    /// Creation time, Unix milliseconds.
    pub create_ms: i64,
    /// Last modification time, Unix milliseconds.
    pub modify_ms: i64,
}

impl Style {
    /// Parses a PutStyle body and returns the trimmed `<Content>` (`MalformedXML` if absent).
    pub fn parse_content(body: &[u8]) -> Result<String, OssError> {
        let root = parse_document(body, MAX_STYLE_BODY_BYTES, "Style")?;
        Ok(root.required_text("Content")?.trim().to_owned())
    }

    /// The GetStyle document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        self.write(&mut w);
        w.finish()
    }

    fn write(&self, w: &mut XmlWriter) {
        w.node("Style", |w| {
            w.elem("Name", &self.name)
                .elem("Content", &self.content)
                .elem("CreateTime", &iso8601_ms(self.create_ms))
                .elem("LastModifyTime", &iso8601_ms(self.modify_ms));
        });
    }

    /// The ListStyle document.
    pub fn list_xml(styles: &[Style]) -> String {
        let mut w = XmlWriter::new();
        w.node("StyleList", |w| styles.iter().for_each(|s| s.write(w)));
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_write() {
        let c = Style::parse_content(b"<Style><Content> image/resize,w_200 </Content></Style>");
        assert_eq!(c.as_deref(), Ok("image/resize,w_200"));
        assert!(Style::parse_content(b"<Style/>").is_err());
        assert!(Style::parse_content(b"<Other><Content>x</Content></Other>").is_err());
        let s = Style {
            name: "small".into(),
            content: "image/resize,w_200".into(),
            create_ms: 0,
            modify_ms: 0,
        };
        let doc = Style::list_xml(&[s]);
        assert!(
            doc.contains(
                "<StyleList><Style><Name>small</Name><Content>image/resize,w_200</Content>"
            )
        );
    }
}
