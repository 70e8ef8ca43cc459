//! S3's GetBucketLifecycleConfiguration document (docs/s3.md, "Lifecycle"): each rule in the form
//! it was put — S3's older top-level `<Prefix>`, or `<Filter>` with one `<Prefix>`, `<Tag>`,
//! `<ObjectSizeGreaterThan>`, `<ObjectSizeLessThan>` or an `<And>` of several (AWS S3 API
//! reference, LifecycleRuleFilter: a filter names exactly one of them) —,
//! `<AbortIncompleteMultipartUpload>`, `NewerNoncurrentVersions` and the storage class names
//! that were put. OSS's document is [`LifecycleConfiguration::to_xml`]; the dialect rewrite
//! ([`super::rewrite_xml`]) then adds S3's namespace.

use ossd_types::lifecycle::{AgeLimit, LifecycleRule, RuleForm, Transition};

use super::headers::storage_class_to_s3;
use crate::xml::lifecycle::{
    write_age, write_expiration, write_nots, write_tag, write_transition_limit,
};
use crate::xml::{LifecycleConfiguration, XmlWriter};

/// S3's `<LifecycleConfiguration>` for GetBucketLifecycleConfiguration. OSS-only parts have no
/// S3 element and are left out (`<Not>` exclusions, the access-time flags of transitions); a
/// `CreatedBeforeDate` (OSS's) is written as OSS names it.
pub fn lifecycle_xml(config: &LifecycleConfiguration) -> String {
    let mut w = XmlWriter::new();
    w.node("LifecycleConfiguration", |w| {
        config.rules.iter().for_each(|r| write_rule(w, r));
    });
    w.finish()
}

fn write_rule(w: &mut XmlWriter, r: &LifecycleRule) {
    w.node("Rule", |w| {
        w.elem("ID", &r.id);
        let sized = r
            .filter
            .as_ref()
            .is_some_and(|f| f.size_greater_than.is_some() || f.size_less_than.is_some());
        // The older form can only name a prefix: a rule with more conditions (one put through
        // OSS with tags or sizes) is written with a filter.
        if r.form == RuleForm::Prefix && r.tags.is_empty() && !sized {
            w.elem("Prefix", &r.prefix);
        } else {
            write_s3_filter(w, r, false);
        }
        w.elem("Status", if r.enabled { "Enabled" } else { "Disabled" });
        if let Some(e) = r.expiration {
            w.node("Expiration", |w| write_expiration(w, e));
        }
        for t in &r.transitions {
            w.node("Transition", |w| write_transition(w, t, "Days"));
        }
        for t in &r.noncurrent_transitions {
            w.node("NoncurrentVersionTransition", |w| {
                write_transition(w, t, "NoncurrentDays");
            });
        }
        if let Some(days) = r.noncurrent_days {
            w.node("NoncurrentVersionExpiration", |w| {
                w.elem_display("NoncurrentDays", days);
                if let Some(n) = r.newer_noncurrent {
                    w.elem_display("NewerNoncurrentVersions", n);
                }
            });
        }
        match r.abort_uploads {
            Some(AgeLimit::Days(days)) => {
                w.node("AbortIncompleteMultipartUpload", |w| {
                    w.elem_display("DaysAfterInitiation", days);
                });
            }
            Some(limit) => {
                w.node("AbortMultipartUpload", |w| write_age(w, limit));
            }
            None => {}
        }
    });
}

/// A transition's limit, its class (the S3 name it was put with, else the S3 spelling of the
/// OSS class) and `NewerNoncurrentVersions`.
fn write_transition(w: &mut XmlWriter, t: &Transition, days_name: &str) {
    write_transition_limit(w, t, days_name);
    let class = t
        .s3_class
        .unwrap_or_else(|| storage_class_to_s3(t.class.as_str()));
    w.elem("StorageClass", class);
    if let Some(n) = t.newer_noncurrent {
        w.elem_display("NewerNoncurrentVersions", n);
    }
}

/// A rule's `<Filter>` in S3's form: its conditions (a non-empty prefix, or a `<Prefix>` that
/// was put; tags; sizes) inside an `<And>` when it was put with one or has several, else the
/// one condition alone, else empty. With `nots`, OSS's `<Not>` exclusions follow (the stored
/// form, [`LifecycleConfiguration::to_stored_xml`]).
pub(crate) fn write_s3_filter(w: &mut XmlWriter, r: &LifecycleRule, nots: bool) {
    let (and, prefix_put) = match r.form {
        RuleForm::Filter { and, prefix } => (and, prefix),
        RuleForm::Prefix => (false, false),
    };
    let sizes = r
        .filter
        .as_ref()
        .map(|f| (f.size_greater_than, f.size_less_than))
        .unwrap_or_default();
    let write_prefix = !r.prefix.is_empty() || prefix_put;
    let write_conditions = |w: &mut XmlWriter| {
        if write_prefix {
            w.elem("Prefix", &r.prefix);
        }
        for (k, v) in &r.tags {
            write_tag(w, k, v);
        }
        if let Some(n) = sizes.0 {
            w.elem_display("ObjectSizeGreaterThan", n);
        }
        if let Some(n) = sizes.1 {
            w.elem_display("ObjectSizeLessThan", n);
        }
    };
    w.node("Filter", |w| {
        if and || r.filter_conditions() > 1 {
            w.node("And", write_conditions);
        } else {
            write_conditions(w);
        }
        if let Some(f) = r.filter.as_ref().filter(|_| nots) {
            write_nots(w, f);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `<Rule>` elements of S3's document for a configuration of `rules`.
    fn s3_rules(rules: &str) -> String {
        let body = format!("<LifecycleConfiguration>{rules}</LifecycleConfiguration>");
        let doc = match LifecycleConfiguration::parse(body.as_bytes()) {
            Ok(config) => lifecycle_xml(&config),
            Err(e) => panic!("refused: {e:?}"),
        };
        let start = doc.find("<Rule>").unwrap_or(0);
        let end = doc.rfind("</LifecycleConfiguration>").unwrap_or(doc.len());
        doc[start..end].to_owned()
    }

    /// Rules written as S3 writes them, which S3's document returns unchanged.
    const AS_PUT: &str = "\
        <Rule><ID>legacy</ID><Prefix>logs/</Prefix><Status>Enabled</Status>\
        <Expiration><Days>3</Days></Expiration></Rule>\
        <Rule><ID>p</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status>\
        <AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation>\
        </AbortIncompleteMultipartUpload></Rule>\
        <Rule><ID>empty</ID><Filter></Filter><Status>Enabled</Status>\
        <Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>\
        <Rule><ID>blank</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>\
        <NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays>\
        <NewerNoncurrentVersions>5</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>\
        <Rule><ID>tag</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>\
        <Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>\
        <Rule><ID>size</ID><Filter><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan></Filter>\
        <Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>\
        <Rule><ID>and</ID><Filter><And><Prefix>a/</Prefix>\
        <Tag><Key>x</Key><Value>1</Value></Tag><Tag><Key>y</Key><Value>2</Value></Tag>\
        <ObjectSizeLessThan>64</ObjectSizeLessThan></And></Filter><Status>Disabled</Status>\
        <Transition><Days>10</Days><StorageClass>GLACIER_IR</StorageClass></Transition>\
        <Transition><Days>30</Days><StorageClass>DEEP_ARCHIVE</StorageClass></Transition></Rule>\
        <Rule><ID>and-one</ID><Filter><And><Tag><Key>x</Key><Value>1</Value></Tag></And></Filter>\
        <Status>Enabled</Status><NoncurrentVersionTransition><NoncurrentDays>2</NoncurrentDays>\
        <StorageClass>STANDARD_IA</StorageClass><NewerNoncurrentVersions>3</NewerNoncurrentVersions>\
        </NoncurrentVersionTransition></Rule>";

    #[test]
    fn rules_come_back_in_the_form_they_were_put_in() {
        assert_eq!(s3_rules(AS_PUT), AS_PUT);
    }

    #[test]
    fn several_conditions_are_an_and() {
        // Not a form S3 accepts, but ossd does: S3's document names the two in an <And>.
        let got = s3_rules(
            "<Rule><ID>r</ID><Filter><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag>\
             </Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
        );
        assert!(got.contains(
            "<Filter><And><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>"
        ));
    }

    #[test]
    fn oss_rules_with_more_than_a_prefix_get_a_filter() {
        let got = s3_rules(
            "<Rule><ID>r</ID><Prefix>logs/</Prefix><Status>Enabled</Status>\
             <Expiration><CreatedBeforeDate>2023-01-01T00:00:00.000Z</CreatedBeforeDate>\
             </Expiration><Transition><CreatedBeforeDate>2024-01-01T00:00:00.000Z\
             </CreatedBeforeDate><StorageClass>IA</StorageClass><IsAccessTime>false</IsAccessTime>\
             </Transition><Tag><Key>k</Key><Value>v</Value></Tag>\
             <Filter><Not><Prefix>logs/keep/</Prefix></Not></Filter></Rule>",
        );
        assert_eq!(
            got,
            "<Rule><ID>r</ID><Filter><And><Prefix>logs/</Prefix>\
             <Tag><Key>k</Key><Value>v</Value></Tag></And></Filter><Status>Enabled</Status>\
             <Expiration><CreatedBeforeDate>2023-01-01T00:00:00.000Z</CreatedBeforeDate>\
             </Expiration><Transition><CreatedBeforeDate>2024-01-01T00:00:00.000Z\
             </CreatedBeforeDate><StorageClass>STANDARD_IA</StorageClass></Transition></Rule>"
        );
    }
}
