//! Bucket lifecycle configuration: `<LifecycleConfiguration>` as PutBucketLifecycle sends it and
//! GetBucketLifecycle returns it. Rules are parsed by [`super::lifecycle_rule`]; this file checks
//! the configuration as a whole (rule count, unique IDs) and writes the document back.

use std::collections::HashSet;

use ossd_types::lifecycle::{AgeLimit, Expiration, LifecycleFilter, LifecycleRule};

use super::lifecycle_rule::parse_rule;
use super::reader::parse_document;
use super::writer::XmlWriter;
use crate::error::OssError;
use crate::time_fmt::iso8601_ms;

/// The most `<Rule>` elements a configuration may have.
pub const MAX_LIFECYCLE_RULES: usize = 1000;
/// The largest `<LifecycleConfiguration>` body accepted (1000 full rules fit).
pub const MAX_LIFECYCLE_BODY_BYTES: usize = 2 * 1024 * 1024;

/// A bucket's lifecycle rules, in document order. Prefixes of different rules may overlap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LifecycleConfiguration {
    /// 1 to [`MAX_LIFECYCLE_RULES`] rules with unique IDs.
    pub rules: Vec<LifecycleRule>,
}

impl LifecycleConfiguration {
    /// Parses and checks a PutBucketLifecycle body. No rule is `MalformedXML`; too many rules or
    /// a repeated ID is `InvalidArgument`. Rules without an ID get `rule-<n>`, unused so far.
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        let root = parse_document(body, MAX_LIFECYCLE_BODY_BYTES, "LifecycleConfiguration")?;
        let mut rules = root
            .children_named("Rule")
            .map(parse_rule)
            .collect::<Result<Vec<_>, _>>()?;
        if rules.is_empty() {
            return Err(OssError::malformed_xml());
        }
        if rules.len() > MAX_LIFECYCLE_RULES {
            return Err(OssError::invalid_argument(
                "The number of lifecycle rules should not exceed 1000.",
            ));
        }
        let mut seen = HashSet::with_capacity(rules.len());
        for rule in rules.iter().filter(|r| !r.id.is_empty()) {
            if !seen.insert(rule.id.clone()) {
                return Err(OssError::invalid_argument_value(
                    "Rule IDs must be unique within a lifecycle configuration.",
                    "ID",
                    &rule.id,
                ));
            }
        }
        let mut next = 1usize;
        for rule in rules.iter_mut().filter(|r| r.id.is_empty()) {
            while seen.contains(&format!("rule-{next}")) {
                next += 1;
            }
            rule.id = format!("rule-{next}");
            seen.insert(rule.id.clone());
        }
        Ok(Self { rules })
    }

    /// The GetBucketLifecycle document (also the stored form).
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("LifecycleConfiguration", |w| {
            self.rules.iter().for_each(|r| write_rule(w, r));
        });
        w.finish()
    }
}

fn write_rule(w: &mut XmlWriter, r: &LifecycleRule) {
    w.node("Rule", |w| {
        w.elem("ID", &r.id).elem("Prefix", &r.prefix);
        w.elem("Status", if r.enabled { "Enabled" } else { "Disabled" });
        if let Some(e) = r.expiration {
            w.node("Expiration", |w| match e {
                Expiration::After(limit) => write_age(w, limit),
                Expiration::DeleteMarker(flag) => {
                    w.elem_display("ExpiredObjectDeleteMarker", flag);
                }
            });
        }
        if let Some(limit) = r.abort_uploads {
            w.node("AbortMultipartUpload", |w| write_age(w, limit));
        }
        for (k, v) in &r.tags {
            w.node("Tag", |w| {
                w.elem("Key", k).elem("Value", v);
            });
        }
        if let Some(days) = r.noncurrent_days {
            w.node("NoncurrentVersionExpiration", |w| {
                w.elem_display("NoncurrentDays", days);
            });
        }
        if let Some(f) = &r.filter {
            write_filter(w, f);
        }
    });
}

fn write_age(w: &mut XmlWriter, limit: AgeLimit) {
    match limit {
        AgeLimit::Days(d) => w.elem_display("Days", d),
        AgeLimit::CreatedBefore(ms) => w.elem("CreatedBeforeDate", &iso8601_ms(ms)),
    };
}

fn write_filter(w: &mut XmlWriter, f: &LifecycleFilter) {
    w.node("Filter", |w| {
        if let Some(n) = f.size_greater_than {
            w.elem_display("ObjectSizeGreaterThan", n);
        }
        if let Some(n) = f.size_less_than {
            w.elem_display("ObjectSizeLessThan", n);
        }
        for not in &f.not {
            w.node("Not", |w| {
                w.elem("Prefix", &not.prefix);
                if let Some((k, v)) = &not.tag {
                    w.node("Tag", |w| {
                        w.elem("Key", k).elem("Value", v);
                    });
                }
            });
        }
    });
}
