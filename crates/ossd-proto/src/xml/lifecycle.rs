//! Bucket lifecycle configuration: `<LifecycleConfiguration>` as PutBucketLifecycle sends it and
//! GetBucketLifecycle returns it. Rules are parsed by [`super::lifecycle_rule`]; this file checks
//! the configuration as a whole (rule count, unique IDs) and writes the document back.

use std::collections::HashSet;

use ossd_types::lifecycle::{
    AgeLimit, Expiration, LifecycleFilter, LifecycleRule, RuleForm, Transition,
};

use super::lifecycle_rule::parse_rule;
use super::reader::parse_document;
use super::tagging::check_oss_tag_characters;
use super::writer::XmlWriter;
use crate::error::OssError;
use crate::s3::write_s3_filter;
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

    /// OSS's GetBucketLifecycle document. S3's is [`crate::s3::lifecycle_xml`].
    pub fn to_xml(&self) -> String {
        self.write(false)
    }

    /// The stored form ([`ossd_types::BucketConfig`]): OSS's document, except that rules put
    /// with S3's `<Filter>` keep it (in S3's form, plus OSS's `<Not>`) instead of a top-level
    /// `<Prefix>` and `<Tag>`s, transitions keep the S3 storage class name they were put with,
    /// and `NewerNoncurrentVersions` are kept; [`Self::parse`] reads it back to the same rules,
    /// form included. A configuration stored before the form was kept reads as
    /// [`RuleForm::Prefix`] rules.
    pub fn to_stored_xml(&self) -> String {
        self.write(true)
    }

    fn write(&self, stored: bool) -> String {
        let mut w = XmlWriter::new();
        w.node("LifecycleConfiguration", |w| {
            self.rules.iter().for_each(|r| write_rule(w, r, stored));
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

/// One rule in OSS's form, or in the stored form (`stored`, see
/// [`LifecycleConfiguration::to_stored_xml`]).
fn write_rule(w: &mut XmlWriter, r: &LifecycleRule, stored: bool) {
    let s3_filter = stored && matches!(r.form, RuleForm::Filter { .. });
    w.node("Rule", |w| {
        w.elem("ID", &r.id);
        if s3_filter {
            write_s3_filter(w, r, true);
        } else {
            w.elem("Prefix", &r.prefix);
        }
        w.elem("Status", if r.enabled { "Enabled" } else { "Disabled" });
        if let Some(e) = r.expiration {
            w.node("Expiration", |w| write_expiration(w, e));
        }
        for t in &r.transitions {
            w.node("Transition", |w| write_transition(w, t, "Days", stored));
        }
        if let Some(limit) = r.abort_uploads {
            w.node("AbortMultipartUpload", |w| write_age(w, limit));
        }
        for (k, v) in r.tags.iter().filter(|_| !s3_filter) {
            write_tag(w, k, v);
        }
        if let Some(days) = r.noncurrent_days {
            w.node("NoncurrentVersionExpiration", |w| {
                w.elem_display("NoncurrentDays", days);
                if let Some(n) = r.newer_noncurrent.filter(|_| stored) {
                    w.elem_display("NewerNoncurrentVersions", n);
                }
            });
        }
        for t in &r.noncurrent_transitions {
            w.node("NoncurrentVersionTransition", |w| {
                write_transition(w, t, "NoncurrentDays", stored);
            });
        }
        if let Some(f) = r.filter.as_ref().filter(|_| !s3_filter) {
            write_filter(w, f);
        }
    });
}

/// The content of `<Expiration>` (the same in both dialects).
pub(crate) fn write_expiration(w: &mut XmlWriter, e: Expiration) {
    match e {
        Expiration::After(limit) => write_age(w, limit),
        Expiration::DeleteMarker(flag) => {
            w.elem_display("ExpiredObjectDeleteMarker", flag);
        }
    }
}

/// `<Tag><Key>k</Key><Value>v</Value></Tag>`.
pub(crate) fn write_tag(w: &mut XmlWriter, k: &str, v: &str) {
    w.node("Tag", |w| {
        w.elem("Key", k).elem("Value", v);
    });
}

/// `Days`, `CreatedBeforeDate` or `Date`.
pub(crate) fn write_age(w: &mut XmlWriter, limit: AgeLimit) {
    match limit {
        AgeLimit::Days(d) => w.elem_display("Days", d),
        AgeLimit::CreatedBefore(ms) => w.elem("CreatedBeforeDate", &iso8601_ms(ms)),
        AgeLimit::OnDate(ms) => w.elem("Date", &iso8601_ms(ms)),
    };
}

/// A transition's limit (its days under `days_name`), class (as put, S3's name included, when
/// `stored`) and the flags that were sent.
fn write_transition(w: &mut XmlWriter, t: &Transition, days_name: &str, stored: bool) {
    write_transition_limit(w, t, days_name);
    let class = t.s3_class.filter(|_| stored).unwrap_or(t.class.as_str());
    w.elem("StorageClass", class);
    if let Some(n) = t.newer_noncurrent.filter(|_| stored) {
        w.elem_display("NewerNoncurrentVersions", n);
    }
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

/// A transition's limit: its days under `days_name`, or its date.
pub(crate) fn write_transition_limit(w: &mut XmlWriter, t: &Transition, days_name: &str) {
    if let AgeLimit::Days(d) = t.limit {
        w.elem_display(days_name, d);
    } else {
        write_age(w, t.limit);
    }
}

/// OSS's `<Filter>`: sizes and `<Not>`s.
fn write_filter(w: &mut XmlWriter, f: &LifecycleFilter) {
    w.node("Filter", |w| {
        if let Some(n) = f.size_greater_than {
            w.elem_display("ObjectSizeGreaterThan", n);
        }
        if let Some(n) = f.size_less_than {
            w.elem_display("ObjectSizeLessThan", n);
        }
        write_nots(w, f);
    });
}

/// OSS's `<Not>` exclusions of a filter.
pub(crate) fn write_nots(w: &mut XmlWriter, f: &LifecycleFilter) {
    for not in &f.not {
        w.node("Not", |w| {
            w.elem("Prefix", &not.prefix);
            if let Some((k, v)) = &not.tag {
                write_tag(w, k, v);
            }
        });
    }
}
