//! Image styles: the `<Style><Content>` request body (PutStyle) and the `<Style>` /
//! `<StyleList>` documents (GetStyle, ListStyle).

use super::reader::parse_document;
use super::writer::XmlWriter;
use crate::error::OssError;
use crate::time_fmt::iso8601_ms;

/// The largest PutStyle body accepted.
pub const MAX_STYLE_BODY_BYTES: usize = 16 * 1024;
/// The category of a style put without one.
pub const DEFAULT_STYLE_CATEGORY: &str = "image";
/// The categories PutStyle accepts (OSS API reference, GetStyle: `Category`).
pub const STYLE_CATEGORIES: [&str; 3] = ["image", "document", "video"];

/// One stored image style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    /// The style name (`styleName`).
    pub name: String,
    /// The processing pipeline, for example `image/resize,w_200`.
    pub content: String,
    /// The style's category (PutStyle's `category`: `image`, `document` or `video`;
    /// [`DEFAULT_STYLE_CATEGORY`] when not given).
    pub category: String,
    /// Creation time, Unix milliseconds.
    pub create_ms: i64,
    /// Last modification time, Unix milliseconds.
    pub modify_ms: i64,
}

impl Style {
    /// Parses a PutStyle body and returns the trimmed `<Content>` (`MalformedXML` if absent,
    /// `InvalidArgument` "Style content is invalid." if empty, as OSS answers oss2's
    /// `test_bucket_style_exception`).
    pub fn parse_content(body: &[u8]) -> Result<String, OssError> {
        let root = parse_document(body, MAX_STYLE_BODY_BYTES, "Style")?;
        let content = root
            .child_text("Content")?
            .ok_or_else(OssError::malformed_xml)?;
        match content.trim() {
            "" => Err(OssError::invalid_argument_value(
                "Style content is invalid.",
                "Content",
                "",
            )),
            c => Ok(c.to_owned()),
        }
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
                .elem("Category", &self.category)
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
        let empty = Style::parse_content(b"<Style><Content> </Content></Style>");
        assert_eq!(
            empty.map_err(|e| (e.code.as_str(), e.message)),
            Err(("InvalidArgument", "Style content is invalid.".to_owned()))
        );
        assert!(Style::parse_content(b"<Other><Content>x</Content></Other>").is_err());
        let s = Style {
            name: "small".into(),
            content: "image/resize,w_200".into(),
            category: "image".into(),
            create_ms: 0,
            modify_ms: 0,
        };
        let doc = Style::list_xml(&[s]);
        assert!(doc.contains(
            "<StyleList><Style><Name>small</Name><Content>image/resize,w_200</Content>\
                 <Category>image</Category>"
        ));
    }
}
