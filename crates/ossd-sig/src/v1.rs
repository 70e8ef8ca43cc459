//! Signature V1 string to sign (spec 3 and 4): header form and presigned URL form.

use crate::view::{QueryParam, SigningView};

/// The V1 sub-resource keys (spec 3); any query key starting with `x-oss-` is signed as well.
#[rustfmt::skip]
const SUBRESOURCES: &[&str] = &[
    "acl", "append", "asyncFetch", "bucketArchiveDirectRead", "bucketInfo", "callback",
    "callback-var", "cloudboxes", "cname", "comp", "continuation-token", "cors", "delete",
    "encryption", "endTime", "group", "httpsConfig", "img", "inventory", "inventoryId",
    "lifecycle", "link", "live", "location", "logging", "metaQuery", "objectInfo", "objectMeta",
    "partNumber", "policy", "position", "publicAccessBlock", "qos", "qosInfo",
    "redundancyTransition", "referer", "regionList", "replication", "replicationLocation",
    "replicationProgress", "requestPayment", "resourceGroup", "resourcePool",
    "resourcePoolBuckets", "resourcePoolInfo", "response-cache-control",
    "response-content-disposition", "response-content-encoding", "response-content-language",
    "response-content-type", "response-expires", "restore", "rtc", "security-token",
    "sequential", "startTime", "stat", "status", "style", "styleName", "symlink", "tagging",
    "transferAcceleration", "udf", "udfApplication", "udfApplicationLog", "udfId", "udfImage",
    "udfImageDesc", "udfName", "uploadId", "uploads", "versionId", "versioning", "versions",
    "vod", "website", "worm", "wormExtend", "wormId", "accessPoint", "accessPointPolicy",
    "requesterQosInfo", "qosRequester", "withHashContext",
];

/// Which query keys go into the V1 canonical resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubresourceRule {
    /// The sub-resource list plus every `x-oss-*` key (what ali-oss, oss2 and Go sign).
    Full,
    /// The sub-resource list only: the alibabacloud-oss-v2 (Python) quirk (spec 3).
    ListOnly,
}

/// Whether `key` is signed as a V1 sub-resource under `rule`.
pub fn is_subresource(key: &str, rule: SubresourceRule) -> bool {
    SUBRESOURCES.contains(&key) || (rule == SubresourceRule::Full && key.starts_with("x-oss-"))
}

/// Whether the query has `x-oss-*` keys, i.e. whether the [`SubresourceRule::ListOnly`] retry can differ.
pub(crate) fn has_oss_query(query: &[QueryParam]) -> bool {
    query.iter().any(|p| p.key.starts_with("x-oss-"))
}

/// The V1 DATE slot for header auth: `x-oss-date` if present and non-empty, else `Date`.
pub fn header_date<'a>(view: &SigningView<'a>) -> Option<&'a str> {
    let oss_date = view
        .header("x-oss-date")
        .map(str::trim)
        .filter(|d| !d.is_empty());
    oss_date.or_else(|| view.header("date").map(str::trim).filter(|d| !d.is_empty()))
}

/// Builds the V1 string to sign with `date` in the DATE slot (the date header, or `Expires` for URLs).
pub fn v1_string_to_sign(view: &SigningView, date: &str) -> String {
    v1_string_to_sign_with(view, date, SubresourceRule::Full)
}

/// Like [`v1_string_to_sign`] with an explicit sub-resource rule.
pub fn v1_string_to_sign_with(view: &SigningView, date: &str, rule: SubresourceRule) -> String {
    let mut out = format!(
        "{}\n{}\n{}\n{}\n",
        view.method,
        view.header_or_empty("content-md5"),
        view.header_or_empty("content-type"),
        date
    );
    out.push_str(&canonicalized_oss_headers(view));
    out.push_str(&canonicalized_resource(view, rule));
    out
}

/// `name:value\n` for every `x-oss-*` header, lowercased, trimmed, sorted by name.
fn canonicalized_oss_headers(view: &SigningView) -> String {
    let mut headers: Vec<(String, &str)> = view
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim()))
        .filter(|(n, _)| n.starts_with("x-oss-"))
        .collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect()
}

/// `/bucket/key` (decoded) plus `?` and the sorted sub-resources, if any.
fn canonicalized_resource(view: &SigningView, rule: SubresourceRule) -> String {
    let mut subs: Vec<&QueryParam> = view
        .query
        .iter()
        .filter(|p| is_subresource(&p.key, rule))
        .collect();
    subs.sort_by(|a, b| a.key.cmp(&b.key));
    let mut out = view.resource_path();
    for (i, p) in subs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&p.key);
        if !p.value.is_empty() {
            out.push('=');
            out.push_str(&p.value);
        }
    }
    out
}

/// Parses `OSS <ak>:<signature>` (split at the last `:`) into (access key id, signature).
pub(crate) fn parse_header(rest: &str) -> Option<(String, String)> {
    let (ak, sig) = rest.rsplit_once(':')?;
    let (ak, sig) = (ak.trim(), sig.trim());
    (!ak.is_empty() && !sig.is_empty()).then(|| (ak.to_owned(), sig.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_split_at_last_colon() {
        assert_eq!(
            parse_header("STS.a:b:sig"),
            Some(("STS.a:b".into(), "sig".into()))
        );
        assert_eq!(parse_header("nocolon"), None);
        assert_eq!(parse_header(":sig"), None);
        assert_eq!(parse_header("ak:"), None);
    }

    #[test]
    fn subresource_rules() {
        assert!(is_subresource("x-oss-process", SubresourceRule::Full));
        assert!(!is_subresource("x-oss-process", SubresourceRule::ListOnly));
        assert!(is_subresource("uploadId", SubresourceRule::ListOnly));
        assert!(!is_subresource("prefix", SubresourceRule::Full));
        assert!(!is_subresource("Signature", SubresourceRule::Full));
    }
}
