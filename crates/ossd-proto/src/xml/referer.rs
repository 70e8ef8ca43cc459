//! Bucket hotlink protection: `<RefererConfiguration>` parse and serialize (PutBucketReferer,
//! GetBucketReferer).

use super::reader::{Node, parse_bool, parse_document};
use super::writer::XmlWriter;
use crate::error::OssError;

/// The largest `<RefererConfiguration>` body accepted.
pub const MAX_REFERER_BODY_BYTES: usize = 64 * 1024;
/// The most entries a white or black list may have.
pub const MAX_REFERERS: usize = 100;

/// A bucket's Referer rules. The default (no configuration) allows every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefererConfiguration {
    /// `<AllowEmptyReferer>`: requests without (or with an empty) Referer are allowed.
    pub allow_empty_referer: bool,
    /// `<AllowTruncateQueryString>`: the query string is removed before matching (default true).
    pub allow_truncate_query_string: bool,
    /// `<TruncatePath>`: the path is removed before matching (needs the query truncated too).
    pub truncate_path: bool,
    /// `<RefererList><Referer>`: the allowed Referers (`*` and `?` wildcards). Empty: any.
    pub referers: Vec<String>,
    /// `<RefererBlacklist><Referer>`: Referers always refused (checked first).
    pub blacklist: Vec<String>,
}

impl Default for RefererConfiguration {
    fn default() -> Self {
        Self {
            allow_empty_referer: true,
            allow_truncate_query_string: true,
            truncate_path: false,
            referers: Vec::new(),
            blacklist: Vec::new(),
        }
    }
}

impl RefererConfiguration {
    /// Parses a PutBucketReferer body (`MalformedXML` on structure errors, `InvalidArgument`
    /// for too many entries).
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        let root = parse_document(body, MAX_REFERER_BODY_BYTES, "RefererConfiguration")?;
        let flag = |name: &str, default: bool| -> Result<bool, OssError> {
            Ok(root
                .child_text(name)?
                .map(|v| parse_bool(v.trim()))
                .transpose()?
                .unwrap_or(default))
        };
        let config = Self {
            allow_empty_referer: flag("AllowEmptyReferer", true)?,
            allow_truncate_query_string: flag("AllowTruncateQueryString", true)?,
            truncate_path: flag("TruncatePath", false)?,
            referers: list(&root, "RefererList")?,
            blacklist: list(&root, "RefererBlacklist")?,
        };
        if config.referers.len() > MAX_REFERERS || config.blacklist.len() > MAX_REFERERS {
            return Err(OssError::invalid_argument(
                "The number of Referer entries exceeds the limit.",
            ));
        }
        Ok(config)
    }

    /// The GetBucketReferer document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("RefererConfiguration", |w| {
            w.elem_display("AllowEmptyReferer", self.allow_empty_referer)
                .elem_display("AllowTruncateQueryString", self.allow_truncate_query_string)
                .elem_display("TruncatePath", self.truncate_path);
            w.node("RefererList", |w| {
                self.referers.iter().for_each(|r| _ = w.elem("Referer", r));
            });
            if !self.blacklist.is_empty() {
                w.node("RefererBlacklist", |w| {
                    self.blacklist.iter().for_each(|r| _ = w.elem("Referer", r));
                });
            }
        });
        w.finish()
    }
}

/// The non-empty trimmed `<Referer>` texts under `<name>`.
fn list(root: &Node, name: &str) -> Result<Vec<String>, OssError> {
    let Some(node) = root.child(name) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for r in node.children_named("Referer") {
        let text = r.leaf_text()?.trim();
        if !text.is_empty() {
            out.push(text.to_owned());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let body = b"<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer>\
            <RefererList><Referer>http://*.example.com</Referer><Referer>https://a?.b</Referer>\
            </RefererList><RefererBlacklist><Referer>http://bad.*</Referer></RefererBlacklist>\
            <TruncatePath>true</TruncatePath></RefererConfiguration>";
        let c = RefererConfiguration::parse(body).unwrap_or_default();
        assert!(!c.allow_empty_referer);
        assert!(c.allow_truncate_query_string);
        assert!(c.truncate_path);
        assert_eq!(c.referers, ["http://*.example.com", "https://a?.b"]);
        assert_eq!(c.blacklist, ["http://bad.*"]);
        let again = RefererConfiguration::parse(c.to_xml().as_bytes());
        assert_eq!(again, Ok(c));
    }

    #[test]
    fn defaults_and_errors() {
        let c = RefererConfiguration::parse(b"<RefererConfiguration/>");
        assert_eq!(c, Ok(RefererConfiguration::default()));
        assert!(RefererConfiguration::parse(b"<Other/>").is_err());
        let bad = b"<RefererConfiguration><AllowEmptyReferer>maybe</AllowEmptyReferer></RefererConfiguration>";
        assert!(RefererConfiguration::parse(bad).is_err());
    }
}
