//! One `<Rule>` of a `<LifecycleConfiguration>`: parsed into [`LifecycleRule`] and checked.
//! Structure errors (a missing `Status`, text where a number belongs) are `MalformedXML`; rule
//! breaks are `InvalidArgument` naming the element at fault.

use ossd_types::lifecycle::{
    AgeLimit, DAY_MS, Expiration, FilterNot, LifecycleFilter, LifecycleRule,
};

use super::reader::{Node, parse_bool, parse_u32};
use super::tagging::{Tag, validate_tags};
use crate::error::OssError;
use crate::time_fmt::parse_iso8601;

/// The longest rule `<ID>`, in bytes.
pub const MAX_RULE_ID_BYTES: usize = 255;

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
    if node.child("Transition").is_some() || node.child("NoncurrentVersionTransition").is_some() {
        return Err(invalid(
            "Storage class transitions are not supported by ossd: remove Transition and \
             NoncurrentVersionTransition (every object stays in its storage class).",
            "Transition",
            "",
        ));
    }
    let rule = LifecycleRule {
        prefix: node.child_text("Prefix")?.unwrap_or_default().to_owned(),
        enabled: parse_status(node.required_text("Status")?)?,
        tags: parse_tags(node)?,
        filter: node.child("Filter").map(parse_filter).transpose()?,
        expiration: node.child("Expiration").map(parse_expiration).transpose()?,
        noncurrent_days: node
            .child("NoncurrentVersionExpiration")
            .map(|n| parse_days(n.required_text("NoncurrentDays")?, "NoncurrentDays"))
            .transpose()?,
        abort_uploads: node
            .child("AbortMultipartUpload")
            .map(|n| parse_age(n, "AbortMultipartUpload"))
            .transpose()?,
        id,
    };
    check_combinations(&rule)?;
    Ok(rule)
}

fn parse_status(s: &str) -> Result<bool, OssError> {
    match s.trim() {
        "Enabled" => Ok(true),
        "Disabled" => Ok(false),
        other => Err(invalid(
            "Status must be Enabled or Disabled.",
            "Status",
            other,
        )),
    }
}

/// The rule's `<Tag>` elements, checked like object tags.
fn parse_tags(node: &Node) -> Result<Vec<(String, String)>, OssError> {
    let tags = node
        .children_named("Tag")
        .map(parse_tag)
        .collect::<Result<Vec<_>, _>>()?;
    validate_tags(&tags)?;
    Ok(tags.into_iter().map(|t| (t.key, t.value)).collect())
}

fn parse_tag(node: &Node) -> Result<Tag, OssError> {
    Ok(Tag {
        key: node.required_text("Key")?.to_owned(),
        value: node.child_text("Value")?.unwrap_or_default().to_owned(),
    })
}

/// `<Expiration>`: exactly one of `Days`, `CreatedBeforeDate`, `ExpiredObjectDeleteMarker`.
fn parse_expiration(node: &Node) -> Result<Expiration, OssError> {
    if node.child("Date").is_some() {
        let msg = "Expiration/Date is not supported: use CreatedBeforeDate or Days.";
        return Err(invalid(
            msg,
            "Date",
            node.child_text("Date")?.unwrap_or_default(),
        ));
    }
    let given = ["Days", "CreatedBeforeDate", "ExpiredObjectDeleteMarker"]
        .iter()
        .filter(|n| node.child(n).is_some())
        .count();
    if given != 1 {
        return Err(invalid(
            "Expiration must contain exactly one of Days, CreatedBeforeDate and \
             ExpiredObjectDeleteMarker.",
            "Expiration",
            "",
        ));
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
        (None, Some(date)) => parse_date(date).map(AgeLimit::CreatedBefore),
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

/// An ISO 8601 date at midnight UTC, e.g. `2025-01-01T00:00:00.000Z`.
fn parse_date(text: &str) -> Result<i64, OssError> {
    let msg = "CreatedBeforeDate must be an ISO 8601 date at midnight UTC, \
               e.g. 2025-01-01T00:00:00.000Z.";
    match parse_iso8601(text) {
        Some(ms) if ms.rem_euclid(DAY_MS) == 0 => Ok(ms),
        _ => Err(invalid(msg, "CreatedBeforeDate", text)),
    }
}

/// `<Filter>`: `ObjectSizeGreaterThan`, `ObjectSizeLessThan`, and `<Not>` exclusions.
fn parse_filter(node: &Node) -> Result<LifecycleFilter, OssError> {
    let size = |name: &str| -> Result<Option<u64>, OssError> {
        node.child_text(name)?
            .map(|t| {
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
    Ok(filter)
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
    if rule.expiration.is_none() && rule.noncurrent_days.is_none() && rule.abort_uploads.is_none() {
        return Err(invalid(
            "A rule must contain at least one of Expiration, NoncurrentVersionExpiration and \
             AbortMultipartUpload.",
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

fn invalid(message: &str, name: &str, value: &str) -> OssError {
    OssError::invalid_argument_value(message, name, value)
}
