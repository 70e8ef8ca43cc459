//! Bucket lifecycle configuration: `<LifecycleConfiguration>` as PutBucketLifecycle sends it and
//! GetBucketLifecycle returns it. Rules are parsed by [`super::lifecycle_rule`]; this file checks
//! the configuration as a whole (rule count, unique IDs) and writes the document back.

use std::collections::HashSet;

use ossd_types::lifecycle::{AgeLimit, Expiration, LifecycleFilter, LifecycleRule, Transition};

use super::lifecycle_rule::parse_rule;
use super::reader::parse_document;
use super::tagging::check_oss_tag_characters;
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

    /// OSS's overlap check, applied to a PutBucketLifecycle of the OSS dialect unless the
    /// request has `x-oss-allow-same-action-overlap: true`: two rules whose prefixes overlap (one
    /// starts with the other) may not have the same action — an age-based `Expiration`,
    /// `NoncurrentVersionExpiration`, `AbortMultipartUpload`, or a transition (current or
    /// noncurrent) to the same storage class. `InvalidArgument` "Overlap for same action type
    /// <action>." (OSS error pages 0014-00000079 and 0014-00000084; the message as oss2's
    /// `test_lifecycle_overlap_exception` reads it). S3 has no such check.
    pub fn check_overlap(&self) -> Result<(), OssError> {
        for (i, a) in self.rules.iter().enumerate() {
            for b in &self.rules[i + 1..] {
                if !(a.prefix.starts_with(&b.prefix) || b.prefix.starts_with(&a.prefix)) {
                    continue;
                }
                if let Some(action) = shared_action(a, b) {
                    return Err(OssError::invalid_argument(format!(
                        "Overlap for same action type {action}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// OSS's character rule for tags ([`check_oss_tag_characters`]: `InvalidTag`), applied to
    /// the rules' tags and `<Not>` tags of a PutBucketLifecycle of the OSS dialect: oss2's
    /// `test_lifecycle_object_tagging_exceptions_*` expect `%&` in a key and `)%` in a value
    /// refused. The S3 dialect allows more, as for object tags.
    pub fn check_oss_tags(&self) -> Result<(), OssError> {
        for rule in &self.rules {
            let nots = rule
                .filter
                .iter()
                .flat_map(|f| f.not.iter().filter_map(|n| n.tag.as_ref()));
            let all = rule.tags.iter().chain(nots);
            check_oss_tag_characters(all.map(|(k, v)| (k.as_str(), v.as_str())))?;
        }
        Ok(())
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

/// The name of an action both rules have, if any.
fn shared_action(a: &LifecycleRule, b: &LifecycleRule) -> Option<&'static str> {
    let same_class =
        |x: &[Transition], y: &[Transition]| x.iter().any(|t| y.iter().any(|u| u.class == t.class));
    if a.expiration_limit().is_some() && b.expiration_limit().is_some() {
        Some("Expiration")
    } else if a.noncurrent_days.is_some() && b.noncurrent_days.is_some() {
        Some("NoncurrentVersionExpiration")
    } else if a.abort_uploads.is_some() && b.abort_uploads.is_some() {
        Some("AbortMultipartUpload")
    } else if same_class(&a.transitions, &b.transitions) {
        Some("Transition")
    } else if same_class(&a.noncurrent_transitions, &b.noncurrent_transitions) {
        Some("NoncurrentVersionTransition")
    } else {
        None
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
        for t in &r.transitions {
            w.node("Transition", |w| write_transition(w, t, "Days"));
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
        for t in &r.noncurrent_transitions {
            w.node("NoncurrentVersionTransition", |w| {
                write_transition(w, t, "NoncurrentDays");
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
        AgeLimit::OnDate(ms) => w.elem("Date", &iso8601_ms(ms)),
    };
}

/// A transition's limit (its days under `days_name`), class and the flags that were sent.
fn write_transition(w: &mut XmlWriter, t: &Transition, days_name: &str) {
    if let AgeLimit::Days(d) = t.limit {
        w.elem_display(days_name, d);
    } else {
        write_age(w, t.limit);
    }
    w.elem("StorageClass", t.class.as_str());
    for (name, flag) in [
        ("IsAccessTime", t.is_access_time),
        ("ReturnToStdWhenVisit", t.return_to_std_when_visit),
        ("AllowSmallFile", t.allow_small_file),
    ] {
        if let Some(flag) = flag {
            w.elem_display(name, flag);
        }
    }
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
