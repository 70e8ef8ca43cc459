//! One `<Rule>` of a `<LifecycleConfiguration>`: parsed into [`LifecycleRule`] and checked.
//! Structure errors (a missing `Status` or one other than `Enabled` / `Disabled`, text where a
//! number belongs) are `MalformedXML`; rule breaks are `InvalidArgument` naming the element at
//! fault. The S3 forms of the same rule are read too (docs/s3.md, "Lifecycle"): `<Filter>` with
//! `<Prefix>`, `<Tag>` or `<And>`, `<AbortIncompleteMultipartUpload><DaysAfterInitiation>`,
//! `<Date>` in `<Transition>`, and S3's storage class names.

use std::collections::HashSet;

use ossd_types::StorageClass;
use ossd_types::lifecycle::{
    AgeLimit, DAY_MS, Expiration, FilterNot, LifecycleFilter, LifecycleRule, RuleForm, Transition,
    coldness,
};

use super::reader::{Node, parse_bool, parse_u32};
use super::tagging::Tag;
use crate::error::OssError;
use crate::s3::{s3_class_name, storage_class_from_s3};
use crate::time_fmt::parse_iso8601;

/// The longest rule `<ID>`, in bytes.
pub const MAX_RULE_ID_BYTES: usize = 255;
/// The most noncurrent versions `NewerNoncurrentVersions` may keep (AWS S3 API reference,
/// NoncurrentVersionExpiration: "up to 100").
pub const MAX_NEWER_NONCURRENT: u32 = 100;

/// Parses and checks one `<Rule>` (its `ID` may be empty: the caller assigns one).
pub(crate) fn parse_rule(node: &Node) -> Result<LifecycleRule, OssError> {
    let id = node.child_text("ID")?.unwrap_or_default().trim().to_owned();
    if id.len() > MAX_RULE_ID_BYTES {
        return Err(invalid(
            "A rule ID can be at most 255 bytes long.",
            "ID",
            &id,
        ));
    }
    let filter = node.child("Filter");
    let form = rule_form(node);
    let mut prefix = node.child_text("Prefix")?.unwrap_or_default().to_owned();
    let mut tags: Vec<Tag> = node
        .children_named("Tag")
        .map(parse_tag)
        .collect::<Result<_, _>>()?;
    if let Some(f) = filter {
        s3_filter(f, &mut prefix, &mut tags)?;
    }
    check_tags(&tags)?;
    let mut rule = LifecycleRule {
        prefix,
        enabled: parse_status(node.required_text("Status")?)?,
        tags: tags.into_iter().map(|t| (t.key, t.value)).collect(),
        filter: filter
            .and_then(|f| parse_filter(f).transpose())
            .transpose()?,
        expiration: node.child("Expiration").map(parse_expiration).transpose()?,
        noncurrent_days: node
            .child("NoncurrentVersionExpiration")
            .map(|n| parse_days(n.required_text("NoncurrentDays")?, "NoncurrentDays"))
            .transpose()?,
        newer_noncurrent: node
            .child("NoncurrentVersionExpiration")
            .map(parse_newer_noncurrent)
            .transpose()?
            .flatten(),
        form,
        abort_uploads: parse_abort(node)?,
        transitions: node
            .children_named("Transition")
            .map(|n| parse_transition(n, false))
            .collect::<Result<_, _>>()?,
        noncurrent_transitions: node
            .children_named("NoncurrentVersionTransition")
            .map(|n| parse_transition(n, true))
            .collect::<Result<_, _>>()?,
        id,
    };
    // Several conditions are an `<And>` in S3's form, however they were sent.
    let several = rule.filter_conditions() > 1;
    if let RuleForm::Filter { and, .. } = &mut rule.form {
        *and |= several;
    }
    check_combinations(&rule)?;
    check_transitions(&rule)?;
    Ok(rule)
}

/// The form a rule names its objects in: a top-level `<Prefix>` (or no `<Filter>` either) is
/// [`RuleForm::Prefix`]; otherwise S3's `<Filter>`, with whether it used `<And>` and a `<Prefix>`
/// element (AWS returns a rule in the form it was put: s3-tests `test_lifecycle_get` reads the
/// older top-level `Prefix` back as it was sent).
fn rule_form(node: &Node) -> RuleForm {
    let Some(filter) = node
        .child("Filter")
        .filter(|_| node.child("Prefix").is_none())
    else {
        return RuleForm::Prefix;
    };
    let and = filter.child("And");
    RuleForm::Filter {
        and: and.is_some(),
        prefix: filter.child("Prefix").is_some()
            || and.is_some_and(|a| a.child("Prefix").is_some()),
    }
}

/// `<NewerNoncurrentVersions>` of a `<NoncurrentVersionExpiration>` or
/// `<NoncurrentVersionTransition>` (S3): 1 to [`MAX_NEWER_NONCURRENT`].
fn parse_newer_noncurrent(node: &Node) -> Result<Option<u32>, OssError> {
    let Some(text) = node.child_text("NewerNoncurrentVersions")? else {
        return Ok(None);
    };
    match parse_u32(text)? {
        n @ 1..=MAX_NEWER_NONCURRENT => Ok(Some(n)),
        _ => Err(invalid(
            "NewerNoncurrentVersions must be between 1 and 100.",
            "NewerNoncurrentVersions",
            text,
        )),
    }
}

/// `Enabled` or `Disabled`, exactly; anything else is `MalformedXML`, as S3 answers
/// (s3-tests `test_lifecycle_invalid_status`) and as OSS's schema refuses it.
fn parse_status(s: &str) -> Result<bool, OssError> {
    match s.trim() {
        "Enabled" => Ok(true),
        "Disabled" => Ok(false),
        _ => Err(OssError::malformed_xml()),
    }
}

/// S3's `<Filter>`: its `<Prefix>` (refused when the rule also has a different top-level one),
/// its `<Tag>`, or an `<And>` of a prefix, tags and sizes, added to the rule's prefix and tags.
/// OSS's own `<Filter>` elements (sizes, `<Not>`) are read by [`parse_filter`].
fn s3_filter(filter: &Node, prefix: &mut String, tags: &mut Vec<Tag>) -> Result<(), OssError> {
    let and = filter.child("And");
    let mut take_prefix = |p: Option<&str>| -> Result<(), OssError> {
        match p {
            Some(p) if prefix.is_empty() => *prefix = p.to_owned(),
            Some(p) if p != prefix.as_str() && !p.is_empty() => {
                return Err(OssError::malformed_xml());
            }
            _ => {}
        }
        Ok(())
    };
    take_prefix(filter.child_text("Prefix")?)?;
    if let Some(and) = and {
        take_prefix(and.child_text("Prefix")?)?;
        for t in and.children_named("Tag") {
            tags.push(parse_tag(t)?);
        }
    }
    if let Some(t) = filter.child("Tag") {
        tags.push(parse_tag(t)?);
    }
    Ok(())
}

/// A rule's tags: non-empty, unique keys. Neither their number nor their length is limited: OSS
/// accepts a rule with 19 tags, a 129-character key or a 257-character value (that rule then
/// matches no object; oss2's `test_lifecycle_object_tagging_exceptions_*`). Their characters
/// are checked for the OSS dialect only ([`super::LifecycleConfiguration::check_oss_tags`]).
fn check_tags(tags: &[Tag]) -> Result<(), OssError> {
    let mut seen = HashSet::with_capacity(tags.len());
    for t in tags {
        if t.key.is_empty() {
            return Err(invalid("A tag key cannot be empty.", "Key", ""));
        }
        if !seen.insert(t.key.as_str()) {
            return Err(invalid(
                "A rule cannot have two tags with the same key.",
                "Key",
                &t.key,
            ));
        }
    }
    Ok(())
}

/// `<AbortMultipartUpload>` (OSS) or `<AbortIncompleteMultipartUpload><DaysAfterInitiation>`
/// (S3).
fn parse_abort(node: &Node) -> Result<Option<AgeLimit>, OssError> {
    if let Some(n) = node.child("AbortMultipartUpload") {
        return parse_age(n, "AbortMultipartUpload").map(Some);
    }
    node.child("AbortIncompleteMultipartUpload")
        .map(|n| {
            parse_days(
                n.required_text("DaysAfterInitiation")?,
                "DaysAfterInitiation",
            )
            .map(AgeLimit::Days)
        })
        .transpose()
}

/// One `<Transition>` (`Days`, `CreatedBeforeDate` or S3's `Date`) or
/// `<NoncurrentVersionTransition>` (`NoncurrentDays`), with its `StorageClass`.
fn parse_transition(node: &Node, noncurrent: bool) -> Result<Transition, OssError> {
    let name = if noncurrent {
        "NoncurrentVersionTransition"
    } else {
        "Transition"
    };
    let limit = if noncurrent {
        AgeLimit::Days(parse_days(
            node.required_text("NoncurrentDays")?,
            "NoncurrentDays",
        )?)
    } else if let Some(date) = node.child_text("Date")? {
        if node.child("Days").is_some() || node.child("CreatedBeforeDate").is_some() {
            return Err(invalid(
                "Transition must contain exactly one of Days, CreatedBeforeDate and Date.",
                name,
                "",
            ));
        }
        AgeLimit::OnDate(parse_date(date, "Date")?)
    } else {
        parse_age(node, name)?
    };
    let class_text = node.required_text("StorageClass")?.trim();
    let class = StorageClass::parse(class_text)
        .or_else(|_| storage_class_from_s3(class_text))
        .ok()
        .filter(|c| *c != StorageClass::Standard)
        .ok_or_else(|| {
            invalid(
                "StorageClass must be IA, Archive, ColdArchive or DeepColdArchive.",
                "StorageClass",
                class_text,
            )
        })?;
    let flag = |n: &str| node.child_text(n)?.map(parse_bool).transpose();
    let t = Transition {
        limit,
        class,
        is_access_time: flag("IsAccessTime")?,
        return_to_std_when_visit: flag("ReturnToStdWhenVisit")?,
        allow_small_file: flag("AllowSmallFile")?,
        s3_class: s3_class_name(class_text),
        newer_noncurrent: if noncurrent {
            parse_newer_noncurrent(node)?
        } else {
            None
        },
    };
    if t.is_access_time == Some(true) {
        return Err(invalid(
            "IsAccessTime true needs access tracking, which ossd does not have: transitions \
             count from the last-modified time.",
            "IsAccessTime",
            "true",
        ));
    }
    Ok(t)
}

fn parse_tag(node: &Node) -> Result<Tag, OssError> {
    Ok(Tag {
        key: node.required_text("Key")?.to_owned(),
        value: node.child_text("Value")?.unwrap_or_default().to_owned(),
    })
}

/// `<Expiration>`: exactly one of `Days`, `CreatedBeforeDate`, `Date` (objects expire from
/// that date on, S3's and OSS's older form) and `ExpiredObjectDeleteMarker`.
fn parse_expiration(node: &Node) -> Result<Expiration, OssError> {
    let given = [
        "Days",
        "CreatedBeforeDate",
        "Date",
        "ExpiredObjectDeleteMarker",
    ]
    .iter()
    .filter(|n| node.child(n).is_some())
    .count();
    if given != 1 {
        return Err(invalid(
            "Expiration must contain exactly one of Days, CreatedBeforeDate, Date and \
             ExpiredObjectDeleteMarker.",
            "Expiration",
            "",
        ));
    }
    if let Some(date) = node.child_text("Date")? {
        return parse_date(date, "Date").map(|ms| Expiration::After(AgeLimit::OnDate(ms)));
    }
    match node.child_text("ExpiredObjectDeleteMarker")? {
        Some(flag) => Ok(Expiration::DeleteMarker(parse_bool(flag)?)),
        None => parse_age(node, "Expiration").map(Expiration::After),
    }
}

/// `Days` or `CreatedBeforeDate` (exactly one) inside `parent`.
fn parse_age(node: &Node, parent: &str) -> Result<AgeLimit, OssError> {
    match (
        node.child_text("Days")?,
        node.child_text("CreatedBeforeDate")?,
    ) {
        (Some(days), None) => parse_days(days, "Days").map(AgeLimit::Days),
        (None, Some(date)) => parse_date(date, "CreatedBeforeDate").map(AgeLimit::CreatedBefore),
        _ => Err(invalid(
            &format!("{parent} must contain exactly one of Days and CreatedBeforeDate."),
            parent,
            "",
        )),
    }
}

/// A day count: a decimal number of at least 1.
fn parse_days(text: &str, name: &str) -> Result<u32, OssError> {
    let days = parse_u32(text)?;
    if days == 0 {
        return Err(invalid(&format!("{name} must be at least 1."), name, text));
    }
    Ok(days)
}

/// An ISO 8601 date at midnight UTC, e.g. `2025-01-01T00:00:00.000Z`, in the element `name`.
fn parse_date(text: &str, name: &str) -> Result<i64, OssError> {
    let msg =
        format!("{name} must be an ISO 8601 date at midnight UTC, e.g. 2025-01-01T00:00:00.000Z.");
    match parse_iso8601(text) {
        Some(ms) if ms.rem_euclid(DAY_MS) == 0 => Ok(ms),
        _ => Err(invalid(&msg, name, text)),
    }
}

/// `<Filter>`: `ObjectSizeGreaterThan`, `ObjectSizeLessThan` (also inside S3's `<And>`), and
/// `<Not>` exclusions. `None` for a filter of S3 elements only (prefix and tags, which
/// [`s3_filter`] moved into the rule).
fn parse_filter(node: &Node) -> Result<Option<LifecycleFilter>, OssError> {
    let s3_only = ["Prefix", "Tag", "And"]
        .iter()
        .any(|n| node.child(n).is_some())
        && ["ObjectSizeGreaterThan", "ObjectSizeLessThan", "Not"]
            .iter()
            .all(|n| node.child(n).is_none());
    let and = node.child("And");
    let size = |name: &str| -> Result<Option<u64>, OssError> {
        let text = match node.child_text(name)? {
            Some(t) => Some(t),
            None => and.map(|a| a.child_text(name)).transpose()?.flatten(),
        };
        text.map(|t| {
            t.trim()
                .parse::<u64>()
                .map_err(|_| OssError::malformed_xml())
        })
        .transpose()
    };
    let filter = LifecycleFilter {
        size_greater_than: size("ObjectSizeGreaterThan")?,
        size_less_than: size("ObjectSizeLessThan")?,
        not: node
            .children_named("Not")
            .map(parse_not)
            .collect::<Result<_, _>>()?,
    };
    if let (Some(min), Some(max)) = (filter.size_greater_than, filter.size_less_than)
        && min >= max
    {
        return Err(invalid(
            "ObjectSizeGreaterThan must be less than ObjectSizeLessThan.",
            "ObjectSizeGreaterThan",
            &min.to_string(),
        ));
    }
    if s3_only && filter == LifecycleFilter::default() {
        return Ok(None);
    }
    Ok(Some(filter))
}

fn parse_not(node: &Node) -> Result<FilterNot, OssError> {
    let tag = node.child("Tag").map(parse_tag).transpose()?;
    let prefix = node.child_text("Prefix")?.unwrap_or_default().to_owned();
    if prefix.is_empty() && tag.is_none() {
        return Err(invalid(
            "Filter/Not must contain a Prefix or a Tag.",
            "Not",
            "",
        ));
    }
    Ok(FilterNot {
        prefix,
        tag: tag.map(|t| (t.key, t.value)),
    })
}

/// Rules that need an action, and actions that cannot be combined with tags.
fn check_combinations(rule: &LifecycleRule) -> Result<(), OssError> {
    if rule.expiration.is_none()
        && rule.noncurrent_days.is_none()
        && rule.abort_uploads.is_none()
        && rule.transitions.is_empty()
        && rule.noncurrent_transitions.is_empty()
    {
        return Err(invalid(
            "A rule must contain at least one of Expiration, NoncurrentVersionExpiration, \
             AbortMultipartUpload, Transition and NoncurrentVersionTransition.",
            "Rule",
            &rule.id,
        ));
    }
    if !rule.tags.is_empty() && rule.abort_uploads.is_some() {
        let msg = "Tag cannot be used with AbortMultipartUpload (uploads have no tags).";
        return Err(invalid(msg, "Tag", &rule.id));
    }
    if !rule.tags.is_empty() && matches!(rule.expiration, Some(Expiration::DeleteMarker(_))) {
        let msg =
            "Tag cannot be used with ExpiredObjectDeleteMarker (delete markers have no tags).";
        return Err(invalid(msg, "Tag", &rule.id));
    }
    Ok(())
}

/// The constraints OSS documents between a rule's transitions and its expiration
/// (<https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketlifecycle>): one
/// transition per class; a colder class later than a warmer one; expiration later than every
/// transition (`Days`: more days; `CreatedBeforeDate`: an earlier date); and `Days` and
/// `CreatedBeforeDate` not mixed between a rule's expiration and its transitions
/// (`InvalidRequest`, oss2's `test_lifecycle_storage_transitions_mixed`). The same for the
/// noncurrent transitions against `NoncurrentVersionExpiration`.
fn check_transitions(rule: &LifecycleRule) -> Result<(), OssError> {
    let expiration = rule.expiration_limit();
    let kinds = |a: AgeLimit, b: AgeLimit| {
        matches!(
            (a, b),
            (AgeLimit::Days(_), AgeLimit::CreatedBefore(_))
                | (AgeLimit::CreatedBefore(_), AgeLimit::Days(_))
        )
    };
    if let Some(exp) = expiration
        && rule.transitions.iter().any(|t| kinds(exp, t.limit))
    {
        return Err(OssError::invalid_request(
            "Days and CreatedBeforeDate cannot be mixed between a rule's Expiration and its \
             Transition.",
        ));
    }
    check_order(&rule.transitions, expiration, "Transition")?;
    let noncurrent = rule.noncurrent_days.map(AgeLimit::Days);
    check_order(
        &rule.noncurrent_transitions,
        noncurrent,
        "NoncurrentVersionTransition",
    )
}

/// One class per transition, colder classes strictly later, expiration strictly after all.
fn check_order(
    list: &[Transition],
    expiration: Option<AgeLimit>,
    name: &str,
) -> Result<(), OssError> {
    // How late a limit is, comparable within one kind: more days, or an earlier date.
    let lateness = |l: AgeLimit| match l {
        AgeLimit::Days(d) => Some(i64::from(d)),
        AgeLimit::CreatedBefore(ms) => Some(-ms),
        AgeLimit::OnDate(ms) => Some(ms),
    };
    let same_kind =
        |a: AgeLimit, b: AgeLimit| std::mem::discriminant(&a) == std::mem::discriminant(&b);
    let mut classes = HashSet::new();
    for t in list {
        if !classes.insert(coldness(t.class)) {
            return Err(invalid(
                "A rule may transition to each storage class once.",
                "StorageClass",
                t.class.as_str(),
            ));
        }
    }
    for a in list {
        for b in list {
            if coldness(a.class) < coldness(b.class)
                && same_kind(a.limit, b.limit)
                && lateness(a.limit) >= lateness(b.limit)
            {
                return Err(invalid(
                    &format!(
                        "The {name} to {} must come later than the one to {}.",
                        b.class.as_str(),
                        a.class.as_str()
                    ),
                    name,
                    b.class.as_str(),
                ));
            }
        }
        if let Some(exp) = expiration
            && same_kind(exp, a.limit)
            && lateness(exp) <= lateness(a.limit)
        {
            return Err(invalid(
                &format!(
                    "The expiration must come later than the {name} to {}.",
                    a.class.as_str()
                ),
                name,
                a.class.as_str(),
            ));
        }
    }
    Ok(())
}

fn invalid(message: &str, name: &str, value: &str) -> OssError {
    OssError::invalid_argument_value(message, name, value)
}
