//! Object tagging (docs/protocol/objects.md#object-tagging):
//! `<Tagging><TagSet><Tag><Key/><Value/></Tag></TagSet></Tagging>`.

use super::reader::{Node, parse_document};
use super::writer::XmlWriter;
use crate::error::OssError;
use std::collections::HashSet;

/// The most tags one object may carry.
pub const MAX_TAGS: usize = 10;
/// The longest tag key, in characters (keys must have at least one).
pub const MAX_TAG_KEY_CHARS: usize = 128;
/// The longest tag value, in characters (values may be empty).
pub const MAX_TAG_VALUE_CHARS: usize = 256;
/// The largest `<Tagging>` body accepted.
pub const MAX_TAGGING_BODY_BYTES: usize = 64 * 1024;

/// EC for a tag key over 128 characters.
const EC_TAG_KEY_TOO_LONG: &str = "0010-00000209";
/// EC for a tag value over 256 characters.
const EC_TAG_VALUE_TOO_LONG: &str = "0010-00000214";
/// EC for other invalid tags (count, duplicates, empty key, a value's characters).
const EC_INVALID_TAG: &str = "0010-00000217";
/// EC for a tag key with a character OSS does not allow.
const EC_TAG_KEY_CHARACTERS: &str = "0010-00000212";

/// One tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The key, 1–128 characters.
    pub key: String,
    /// The value, 0–256 characters.
    pub value: String,
}

/// An object's tag set, as PutObjectTagging sends it and GetObjectTagging returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tagging {
    /// The tags, in document order.
    pub tags: Vec<Tag>,
}

impl Tagging {
    /// Parses and validates a body: structure errors are `MalformedXML`, rule breaks `InvalidTag`.
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        let tags = parse_tag_set(body)?;
        validate_tags(&tags)?;
        Ok(Self { tags })
    }

    /// The GetObjectTagging document (an empty set is `<TagSet></TagSet>`).
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("Tagging", |w| {
            w.node("TagSet", |w| {
                for t in &self.tags {
                    w.node("Tag", |w| {
                        w.elem("Key", &t.key).elem("Value", &t.value);
                    });
                }
            });
        });
        w.finish()
    }
}

/// The tags of a `<Tagging><TagSet>` body, in document order, before any rule is checked.
pub(super) fn parse_tag_set(body: &[u8]) -> Result<Vec<Tag>, OssError> {
    let root = parse_document(body, MAX_TAGGING_BODY_BYTES, "Tagging")?;
    let set = root.child("TagSet").ok_or_else(OssError::malformed_xml)?;
    set.children_named("Tag").map(parse_tag).collect()
}

fn parse_tag(node: &Node) -> Result<Tag, OssError> {
    let key = node.required_text("Key")?.to_owned();
    let value = node.child_text("Value")?.unwrap_or_default().to_owned();
    Ok(Tag { key, value })
}

/// Checks the OSS rules: at most 10 tags, keys 1–128 and values ≤ 256 characters, unique keys.
/// Also usable for the `x-oss-tagging` header once decoded.
pub fn validate_tags(tags: &[Tag]) -> Result<(), OssError> {
    if tags.len() > MAX_TAGS {
        return Err(invalid(
            "Object tags cannot be greater than 10.",
            EC_INVALID_TAG,
        ));
    }
    let mut seen = HashSet::with_capacity(tags.len());
    for t in tags {
        let key_chars = t.key.chars().count();
        if key_chars == 0 {
            return Err(invalid("The tag key can not be empty.", EC_INVALID_TAG));
        }
        if key_chars > MAX_TAG_KEY_CHARS {
            return Err(invalid(
                "The tag key is longer than 128 characters.",
                EC_TAG_KEY_TOO_LONG,
            ));
        }
        if t.value.chars().count() > MAX_TAG_VALUE_CHARS {
            let msg = "The tag value is longer than 256 characters.";
            return Err(invalid(msg, EC_TAG_VALUE_TOO_LONG));
        }
        if !seen.insert(t.key.as_str()) {
            return Err(invalid(
                "Cannot provide multiple tags with the same key.",
                EC_INVALID_TAG,
            ));
        }
    }
    Ok(())
}

/// Whether OSS allows `c` in an object tag's key or value: letters and digits, the space and
/// `+ - = . _ : /` (OSS error pages 0010-00000212 and 0010-00000217, "Allowed characters"). The
/// pages name only ASCII letters, but OSS takes any letter: oss2's test_copy_object_with_tagging,
/// test_multipart_with_object_tagging and test_upload_large_with_tagging store `中文` keys and
/// values (docs/protocol/objects.md#object-tagging).
fn oss_tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ' ' | '+' | '-' | '=' | '.' | '_' | ':' | '/')
}

/// Checks OSS's character rule for object tags ([`oss_tag_char`]): a key with another character
/// is `InvalidTag` (EC 0010-00000212), a value too (EC 0010-00000217). The S3 dialect does not
/// apply it (AWS allows more: Unicode letters, `@`).
pub fn check_oss_tag_characters<'a>(
    tags: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), OssError> {
    for (key, value) in tags {
        if !key.chars().all(oss_tag_char) {
            return Err(invalid(
                "The tag key contains characters that are not allowed.",
                EC_TAG_KEY_CHARACTERS,
            ));
        }
        if !value.chars().all(oss_tag_char) {
            return Err(invalid(
                "The tag value contains characters that are not allowed.",
                EC_INVALID_TAG,
            ));
        }
    }
    Ok(())
}

fn invalid(message: &str, ec: &'static str) -> OssError {
    OssError::invalid_tag(message).with_ec(ec)
}
