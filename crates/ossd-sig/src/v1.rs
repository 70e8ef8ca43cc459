//! Signature V1 string to sign (docs/protocol/signatures.md#v1-header-signature,
//! #v1-presigned-urls): header form and presigned URL form.

use crate::view::{QueryParam, SigningView};

/// The V1 sub-resource keys (docs/protocol/signatures.md#v1-header-signature); any query key
/// starting with `x-oss-` is signed as well.
#[rustfmt::skip]
const SUBRESOURCES: &[&str] = &[
    "acl", "append", "asyncFetch", "bucketArchiveDirectRead", "bucketInfo", "callback",
    "callback-var", "cloudboxes", "cname", "comp", "continuation-token", "cors", "delete",
    "encryption", "endTime", "group", "httpsConfig", "img", "inventory", "inventoryId",
    "lifecycle", "link", "live", "location", "logging", "metaQuery", "objectInfo", "objectMeta",
    "partNumber", "policy", "policyStatus", "position", "publicAccessBlock", "qos", "qosInfo",
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

/// The presigned-URL parameters of V1 itself (OSS API reference, V1 signature in a URL): never signed.
const URL_CREDENTIALS: &[&str] = &["OSSAccessKeyId", "Expires", "Signature"];

/// What the V1 canonical resource does with one query key (OSS API reference, V1 signature:
/// CanonicalizedResource).
///
/// There is one rule for every client, with no fallback: a query key that selects a
/// sub-resource or starts with `x-oss-` (`x-oss-process`, and any unknown `x-oss-foo`) is
/// [`Signed`](Self::Signed), so adding one to a signed request breaks the signature. ali-oss and
/// oss2 sign every such key they send. alibabacloud-oss-v2 (Python) in V1 mode signs only its
/// own list plus per-operation names and leaves out `x-oss-process` (GetObject with `process`,
/// ProcessObject, SelectObject) and `x-oss-async-process`; all of them change the response, so
/// such requests are refused rather than verified without those keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V1QueryKey {
    /// A sub-resource or an `x-oss-*` key: `key[=value]` is part of the canonical resource.
    Signed,
    /// `OSSAccessKeyId`, `Expires` or `Signature`: the URL signature's own parameters.
    UrlCredential,
    /// Anything else (`prefix`, `marker`, `max-keys`, `list-type`…): not signed in V1.
    Unsigned,
}

impl V1QueryKey {
    /// Classifies a decoded query key (case-sensitive, as OSS and ossd's handlers read them).
    pub fn of(key: &str) -> Self {
        if SUBRESOURCES.contains(&key) || key.starts_with("x-oss-") {
            Self::Signed
        } else if URL_CREDENTIALS.contains(&key) {
            Self::UrlCredential
        } else {
            Self::Unsigned
        }
    }

    /// Whether the key is part of the V1 canonical resource.
    pub fn is_signed(self) -> bool {
        self == Self::Signed
    }
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
    let mut out = format!(
        "{}\n{}\n{}\n{}\n",
        view.method,
        view.header_or_empty("content-md5"),
        view.header_or_empty("content-type"),
        date
    );
    out.push_str(&canonicalized_oss_headers(view));
    out.push_str(&canonicalized_resource(view));
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

/// `/bucket/key` (decoded) plus `?` and the sorted [signed](V1QueryKey::Signed) keys, if any.
fn canonicalized_resource(view: &SigningView) -> String {
    let mut subs: Vec<&QueryParam> = view
        .query
        .iter()
        .filter(|p| V1QueryKey::of(&p.key).is_signed())
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
    fn query_key_classes() {
        for key in [
            "x-oss-process",
            "x-oss-foo",
            "x-oss-async-process",
            "response-content-type",
            "versionId",
            "security-token",
            "uploadId",
            // alibabacloud-oss-v2 signs GetBucketPolicyStatus's sub-resource in V1 mode.
            "policyStatus",
        ] {
            assert_eq!(V1QueryKey::of(key), V1QueryKey::Signed, "{key}");
        }
        for key in ["OSSAccessKeyId", "Expires", "Signature"] {
            assert_eq!(V1QueryKey::of(key), V1QueryKey::UrlCredential, "{key}");
        }
        for key in [
            "prefix",
            "marker",
            "list-type",
            "X-Oss-Process",
            "versionid",
        ] {
            assert_eq!(V1QueryKey::of(key), V1QueryKey::Unsigned, "{key}");
        }
    }
}
