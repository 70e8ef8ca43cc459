//! Bucket tagging (PutBucketTags, GetBucketTags): the object `<Tagging>` document with the
//! bucket's rules, and the ListBuckets `tagging` filter (`"k1":"v1","k2":"v2"`).
//!
//! Rules from Alibaba's PutBucketTags page and the error pages 0010-00000219, 0010-00000207 and
//! 0010-00000002: at most 20 tags; keys 1–64 characters, not starting with `http://`, `https://`
//! or `Aliyun` (case-insensitive) nor `acs`; values at most 128 characters, possibly empty.

use std::collections::HashSet;

use super::tagging::{Tag, parse_tag_set};
use super::writer::XmlWriter;
use crate::error::OssError;

/// The most tags one bucket may carry.
pub const MAX_BUCKET_TAGS: usize = 20;
/// The longest bucket tag key, in characters.
pub const MAX_BUCKET_TAG_KEY_CHARS: usize = 64;
/// The longest bucket tag value, in characters.
pub const MAX_BUCKET_TAG_VALUE_CHARS: usize = 128;

/// EC for a key or value breaking the length or emptiness rules.
const EC_INVALID_BUCKET_TAG: &str = "0010-00000219";
/// EC for a key starting with `http://`, `https://` or `Aliyun`.
const EC_RESERVED_PREFIX: &str = "0010-00000207";
/// EC for a key starting with `acs`.
const EC_ACS_PREFIX: &str = "0010-00000002";

/// Key prefixes reserved for the system, compared case-insensitively.
const RESERVED_PREFIXES: [&str; 3] = ["http://", "https://", "aliyun"];

/// A bucket's tag set, as PutBucketTags sends it and GetBucketTags returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BucketTagging {
    /// The tags, in document order, keys unique.
    pub tags: Vec<Tag>,
}

impl BucketTagging {
    /// Parses and validates a PutBucketTags body: structure errors are `MalformedXML`, rule
    /// breaks `InvalidTag`.
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        let tags = parse_tag_set(body)?;
        validate_bucket_tags(&tags)?;
        Ok(Self { tags })
    }

    /// The GetBucketTags document. Without tags the `<Tagging>` element is empty, as the
    /// GetBucketTags page describes.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        self.write(&mut w);
        w.finish()
    }

    /// Writes `<Tagging>` (also used inside ListBuckets' `<Bucket>`).
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        w.node("Tagging", |w| {
            if self.tags.is_empty() {
                return;
            }
            w.node("TagSet", |w| {
                for t in &self.tags {
                    w.node("Tag", |w| {
                        w.elem("Key", &t.key).elem("Value", &t.value);
                    });
                }
            });
        });
    }

    /// The value of `key`, if the bucket has that tag.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|t| t.key == key)
            .map(|t| t.value.as_str())
    }

    /// Removes the tags whose keys are listed (DeleteBucketTags with `tagging=k1,k2`).
    pub fn remove_keys(&mut self, keys: &[&str]) {
        self.tags.retain(|t| !keys.contains(&t.key.as_str()));
    }

    /// Whether the bucket has every tag of `filter` with the same value.
    pub fn has_all(&self, filter: &[Tag]) -> bool {
        filter.iter().all(|f| self.value(&f.key) == Some(&f.value))
    }
}

/// Checks the bucket rules (see the module documentation) and that keys are unique.
pub fn validate_bucket_tags(tags: &[Tag]) -> Result<(), OssError> {
    if tags.len() > MAX_BUCKET_TAGS {
        return Err(OssError::invalid_tag(
            "Bucket tags cannot be greater than 20.",
        ));
    }
    let mut seen = HashSet::with_capacity(tags.len());
    for t in tags {
        validate_key(&t.key)?;
        if t.value.chars().count() > MAX_BUCKET_TAG_VALUE_CHARS {
            return Err(invalid(
                "The tag value is longer than 128 characters.",
                EC_INVALID_BUCKET_TAG,
            ));
        }
        if !seen.insert(t.key.as_str()) {
            return Err(OssError::invalid_tag(
                "Cannot provide multiple tags with the same key.",
            ));
        }
    }
    Ok(())
}

fn validate_key(key: &str) -> Result<(), OssError> {
    let chars = key.chars().count();
    if chars == 0 {
        return Err(invalid(
            "The tag key can not be empty.",
            EC_INVALID_BUCKET_TAG,
        ));
    }
    if chars > MAX_BUCKET_TAG_KEY_CHARS {
        return Err(invalid(
            "The tag key is longer than 64 characters.",
            EC_INVALID_BUCKET_TAG,
        ));
    }
    let reserved = RESERVED_PREFIXES.iter().any(|p| {
        key.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    });
    if reserved {
        return Err(invalid(
            "The tag key can not start with http://, https:// or Aliyun.",
            EC_RESERVED_PREFIX,
        ));
    }
    if key.starts_with("acs") {
        return Err(invalid(
            "The tag key can not start with acs.",
            EC_ACS_PREFIX,
        ));
    }
    Ok(())
}

fn invalid(message: &str, ec: &'static str) -> OssError {
    OssError::invalid_tag(message).with_ec(ec)
}

/// Parses the ListBuckets `tagging` parameter, `"k1":"v1","k2":"v2"` (every pair must match),
/// as the SDKs send it. Keys and values are double-quoted and contain no `"`; anything else is
/// 400 `InvalidArgument`.
pub fn parse_tag_filter(raw: &str) -> Result<Vec<Tag>, OssError> {
    let bad =
        || OssError::invalid_argument_value("The tagging parameter is invalid.", "tagging", raw);
    let mut tags = Vec::new();
    let mut rest = raw.trim();
    while !rest.is_empty() {
        let (key, after_key) = quoted(rest).ok_or_else(bad)?;
        let after_colon = after_key.trim_start().strip_prefix(':').ok_or_else(bad)?;
        let (value, after_value) = quoted(after_colon.trim_start()).ok_or_else(bad)?;
        tags.push(Tag {
            key: key.to_owned(),
            value: value.to_owned(),
        });
        rest = after_value.trim_start();
        if let Some(next) = rest.strip_prefix(',') {
            rest = next.trim_start();
            if rest.is_empty() {
                return Err(bad());
            }
        } else if !rest.is_empty() {
            return Err(bad());
        }
    }
    if tags.is_empty() {
        return Err(bad());
    }
    Ok(tags)
}

/// Splits `"text"rest` into `text` and `rest`.
fn quoted(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix('"')?;
    let end = inner.find('"')?;
    Some((&inner[..end], &inner[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(k: &str, v: &str) -> Tag {
        Tag {
            key: k.to_owned(),
            value: v.to_owned(),
        }
    }

    fn body(tags: &[(&str, &str)]) -> Vec<u8> {
        let mut s = String::from("<Tagging><TagSet>");
        for (k, v) in tags {
            s.push_str(&format!("<Tag><Key>{k}</Key><Value>{v}</Value></Tag>"));
        }
        s.push_str("</TagSet></Tagging>");
        s.into_bytes()
    }

    fn ec(r: Result<BucketTagging, OssError>) -> (String, Option<&'static str>) {
        match r {
            Ok(_) => (String::from("ok"), None),
            Err(e) => (e.code.as_str().to_owned(), e.ec),
        }
    }

    #[test]
    fn parses_and_renders() {
        let t = BucketTagging::parse(&body(&[("a", "1"), ("%@abc", ""), ("123++", "++123%")]));
        let t = t.unwrap_or_default();
        assert_eq!(t.tags.len(), 3);
        assert_eq!(t.value("%@abc"), Some(""));
        let xml = t.to_xml();
        assert!(
            xml.contains("<Tag><Key>a</Key><Value>1</Value></Tag>"),
            "{xml}"
        );
        assert_eq!(BucketTagging::parse(xml.as_bytes()).unwrap_or_default(), t);
    }

    #[test]
    fn empty_set_renders_empty_tagging() {
        let xml = BucketTagging::default().to_xml();
        assert!(xml.ends_with("<Tagging></Tagging>"), "{xml}");
        let t = BucketTagging::parse(&body(&[])).unwrap_or_else(|_| tagging_of(&[("x", "")]));
        assert!(t.tags.is_empty());
    }

    fn tagging_of(tags: &[(&str, &str)]) -> BucketTagging {
        BucketTagging {
            tags: tags.iter().map(|(k, v)| tag(k, v)).collect(),
        }
    }

    #[test]
    fn limits() {
        let twenty: Vec<(String, String)> =
            (0..20).map(|i| (i.to_string(), i.to_string())).collect();
        let refs: Vec<(&str, &str)> = twenty
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(ec(BucketTagging::parse(&body(&refs))).0, "ok");
        let mut over = refs.clone();
        over.push(("20", "20"));
        assert_eq!(ec(BucketTagging::parse(&body(&over))).0, "InvalidTag");

        let k64 = "k".repeat(64);
        let k65 = "k".repeat(65);
        let v128 = "v".repeat(128);
        let v129 = "v".repeat(129);
        assert_eq!(ec(BucketTagging::parse(&body(&[(&k64, &v128)]))).0, "ok");
        assert_eq!(
            ec(BucketTagging::parse(&body(&[(&k65, "v")]))),
            ("InvalidTag".into(), Some(EC_INVALID_BUCKET_TAG))
        );
        assert_eq!(
            ec(BucketTagging::parse(&body(&[("k", &v129)]))),
            ("InvalidTag".into(), Some(EC_INVALID_BUCKET_TAG))
        );
        // Characters, not bytes: 64 two-byte characters are fine.
        let wide = "é".repeat(64);
        assert_eq!(ec(BucketTagging::parse(&body(&[(&wide, "v")]))).0, "ok");
        assert_eq!(
            ec(BucketTagging::parse(&body(&[("", "v")]))).0,
            "InvalidTag"
        );
        assert_eq!(
            ec(BucketTagging::parse(&body(&[("a", "1"), ("a", "2")]))).0,
            "InvalidTag"
        );
    }

    #[test]
    fn reserved_prefixes() {
        for key in ["http://x", "HTTPS://x", "Aliyun-abc", "aliyunx"] {
            assert_eq!(
                ec(BucketTagging::parse(&body(&[(key, "v")]))),
                ("InvalidTag".into(), Some(EC_RESERVED_PREFIX)),
                "{key}"
            );
        }
        assert_eq!(
            ec(BucketTagging::parse(&body(&[("acs:abc", "v")]))),
            ("InvalidTag".into(), Some(EC_ACS_PREFIX))
        );
        assert_eq!(
            ec(BucketTagging::parse(&body(&[("myaliyun", "v")]))).0,
            "ok"
        );
    }

    #[test]
    fn malformed() {
        assert_eq!(ec(BucketTagging::parse(b"<Tagging/>")).0, "MalformedXML");
        assert_eq!(ec(BucketTagging::parse(b"<Tags/>")).0, "MalformedXML");
        assert_eq!(
            ec(BucketTagging::parse(
                b"<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>"
            ))
            .0,
            "MalformedXML"
        );
    }

    #[test]
    fn remove_and_match() {
        let mut t = tagging_of(&[("a", "1"), ("b", "2"), ("c", "3")]);
        assert!(t.has_all(&[tag("a", "1"), tag("c", "3")]));
        assert!(!t.has_all(&[tag("a", "2")]));
        t.remove_keys(&["a", "c", "zz"]);
        assert_eq!(t, tagging_of(&[("b", "2")]));
    }

    #[test]
    fn tag_filter() {
        assert_eq!(
            parse_tag_filter(r#""a":"1","b":"2""#).ok(),
            Some(vec![tag("a", "1"), tag("b", "2")])
        );
        assert_eq!(
            parse_tag_filter(r#" "k, x" : "v:1" "#).ok(),
            Some(vec![tag("k, x", "v:1")])
        );
        assert_eq!(parse_tag_filter(r#""a":"""#).ok(), Some(vec![tag("a", "")]));
        for bad in [
            "",
            "a:1",
            r#""a""#,
            r#""a":"1","#,
            r#""a":"1" "b":"2""#,
            r#""a:"1""#,
        ] {
            assert!(parse_tag_filter(bad).is_err(), "{bad}");
        }
    }
}
