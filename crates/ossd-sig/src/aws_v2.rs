//! AWS Signature Version 2 string to sign (docs/protocol/s3-signatures.md#v2-signature,
//! #v2-canonicalized-resource, #v2-presigned-urls): header form and presigned URL form.

use percent_encoding::percent_decode_str;

use crate::view::{QueryParam, SigningView};

/// The S3 sub-resources that are part of the V2 canonicalized resource
/// (docs/protocol/s3-signatures.md#v2-canonicalized-resource).
#[rustfmt::skip]
const SUBRESOURCES: &[&str] = &[
    "acl", "accelerate", "analytics", "cors", "defaultObjectAcl", "delete", "encryption",
    "intelligent-tiering", "inventory", "legal-hold", "lifecycle", "location", "logging",
    "metrics", "notification", "object-lock", "ownershipControls", "partNumber", "policy",
    "publicAccessBlock", "replication", "requestPayment", "restore", "retention", "select",
    "select-type", "storageClass", "tagging", "torrent", "uploadId", "uploads", "versionId",
    "versioning", "versions", "website", "response-cache-control",
    "response-content-disposition", "response-content-encoding", "response-content-language",
    "response-content-type", "response-expires",
];

/// The V2 Date slot for header auth: empty when an `x-amz-date` header is sent (the server
/// then ignores `Date` for the signature), else the `Date` header.
pub fn aws_v2_header_date<'a>(view: &SigningView<'a>) -> &'a str {
    if view.header("x-amz-date").is_some() {
        ""
    } else {
        view.header_or_empty("date")
    }
}

/// Builds the V2 string to sign with `date` in the Date slot (see [`aws_v2_header_date`], or the
/// `Expires` value for presigned URLs). `presigned` adds the `x-amz-*` query parameters to the
/// amz header lines.
pub fn aws_v2_string_to_sign(view: &SigningView, date: &str, presigned: bool) -> String {
    let mut out = format!(
        "{}\n{}\n{}\n{}\n",
        view.method,
        view.header_or_empty("content-md5"),
        view.header_or_empty("content-type"),
        date
    );
    out.push_str(&canonicalized_amz_headers(view, presigned));
    out.push_str(&aws_v2_canonicalized_resource(view));
    out
}

/// `name:value\n` for every `x-amz-*` header (and, presigned, every `x-amz-*` query parameter),
/// lowercase names, trimmed values, one line per name (repeated names joined with `,`), sorted.
fn canonicalized_amz_headers(view: &SigningView, presigned: bool) -> String {
    let headers = view.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
    let params = view
        .query
        .iter()
        .filter(|_| presigned)
        .map(|p| (p.key.as_str(), p.value.as_str()));
    let mut lines: Vec<(String, &str)> = headers
        .chain(params)
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim()))
        .filter(|(n, _)| n.starts_with("x-amz-"))
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::new();
    let mut last: Option<&str> = None;
    for (name, value) in &lines {
        if last == Some(name.as_str()) {
            out.pop();
            out.push(',');
        } else {
            out.push_str(name);
            out.push(':');
        }
        out.push_str(value);
        out.push('\n');
        last = Some(name);
    }
    out
}

/// Whether query key `key` is part of the V2 canonicalized resource: an S3 sub-resource, or an
/// `x-oss-*` key (`x-oss-process` above all), which S3 does not know but which changes ossd's
/// response: signed like in OSS V1, so such a key added to a signed request or a presigned URL
/// breaks the signature instead of being served unsigned
/// (docs/protocol/s3-signatures.md#v2-canonicalized-resource; docs/security.md, "Signatures").
fn is_signed_key(key: &str) -> bool {
    SUBRESOURCES.contains(&key) || key.starts_with("x-oss-")
}

/// `/bucket` + the path as received (still encoded; `/bucket/` for a bucket-level path-style
/// request), then `?` and the sorted sub-resources (and `x-oss-*` keys), `name=value` with
/// decoded values.
pub fn aws_v2_canonicalized_resource(view: &SigningView) -> String {
    let mut out = resource_path(view);
    let mut subs: Vec<&QueryParam> = view
        .query
        .iter()
        .filter(|p| is_signed_key(&p.key))
        .collect();
    subs.sort_by(|a, b| (&a.key, &a.value).cmp(&(&b.key, &b.value)));
    for (i, p) in subs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&p.key);
        if p.has_equals || !p.value.is_empty() {
            out.push('=');
            out.push_str(&p.value);
        }
    }
    out
}

/// The path part: the raw path of a path-style request (`/bucket` gets its trailing `/`), or
/// `/bucket` + the raw path of a virtual-hosted one. The style is read off the path: a
/// path-style path decodes to `/bucket/key` (or `/bucket`, `/bucket/`), a virtual-hosted one
/// to `/key` (or `/`); the two never coincide.
fn resource_path(view: &SigningView) -> String {
    let raw = if view.raw_path.is_empty() {
        "/"
    } else {
        view.raw_path
    };
    let Some(bucket) = view.bucket else {
        return raw.to_owned();
    };
    let decoded = percent_decode_str(raw).decode_utf8_lossy();
    let key = view.key.unwrap_or("");
    let virtual_hosted = decoded.strip_prefix('/') == Some(key);
    if virtual_hosted {
        return format!("/{bucket}{raw}");
    }
    let bucket_only = format!("/{bucket}");
    if decoded == bucket_only {
        return format!("{raw}/");
    }
    raw.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(
        bucket: Option<&'a str>,
        key: Option<&'a str>,
        raw_path: &'a str,
        query: &'a [QueryParam],
        headers: &'a [(String, String)],
    ) -> SigningView<'a> {
        SigningView {
            method: "GET",
            bucket,
            key,
            query,
            headers,
            raw_path,
            body_sha256: None,
        }
    }

    #[test]
    fn resource_by_addressing_style() {
        let r = |b, k, raw| aws_v2_canonicalized_resource(&view(b, k, raw, &[], &[]));
        assert_eq!(
            r(Some("b"), Some("a b/c+d"), "/b/a%20b/c%2Bd"),
            "/b/a%20b/c%2Bd"
        );
        assert_eq!(
            r(Some("b"), Some("a b/c+d"), "/a%20b/c%2Bd"),
            "/b/a%20b/c%2Bd"
        );
        assert_eq!(r(Some("b"), None, "/b"), "/b/");
        assert_eq!(r(Some("b"), None, "/b/"), "/b/");
        assert_eq!(r(Some("b"), None, "/"), "/b/");
        // Virtual-hosted bucket `b`, key `b/x`: not mistaken for path style.
        assert_eq!(r(Some("b"), Some("b/x"), "/b/x"), "/b/b/x");
        assert_eq!(r(None, None, "/"), "/");
        assert_eq!(r(None, None, ""), "/");
    }

    #[test]
    fn subresources_sorted_and_decoded() {
        let q = QueryParam::parse_query(
            "versionId=3HL4%2B&response-content-type=image%2Fpng&prefix=a&acl&tagging=",
        );
        let v = view(Some("b"), Some("k"), "/b/k", &q, &[]);
        assert_eq!(
            aws_v2_canonicalized_resource(&v),
            "/b/k?acl&response-content-type=image/png&tagging=&versionId=3HL4+"
        );
    }

    /// `x-oss-process` changes the response (and can name other objects as watermarks): it is
    /// signed, so a presigned URL cannot be extended with it.
    #[test]
    fn oss_query_keys_are_signed() {
        let q = QueryParam::parse_query("x-oss-process=image%2Finfo&prefix=a&versionId=1");
        let v = view(Some("b"), Some("k"), "/b/k", &q, &[]);
        assert_eq!(
            aws_v2_canonicalized_resource(&v),
            "/b/k?versionId=1&x-oss-process=image/info"
        );
        let plain = view(Some("b"), Some("k"), "/b/k", &[], &[]);
        assert_ne!(
            aws_v2_string_to_sign(&v, "1", true),
            aws_v2_string_to_sign(&plain, "1", true)
        );
    }

    #[test]
    fn amz_headers_and_date_slot() {
        let headers = vec![
            ("x-amz-meta-b".to_owned(), " 2 ".to_owned()),
            ("X-Amz-Meta-A".to_owned(), "1".to_owned()),
            ("date".to_owned(), "D".to_owned()),
        ];
        let q = QueryParam::parse_query("x-amz-security-token=t&x-amz-meta-a=3");
        let v = view(None, None, "/", &q, &headers);
        assert_eq!(
            aws_v2_string_to_sign(&v, aws_v2_header_date(&v), false),
            "GET\n\n\nD\nx-amz-meta-a:1\nx-amz-meta-b:2\n/"
        );
        assert_eq!(
            aws_v2_string_to_sign(&v, "99", true),
            "GET\n\n\n99\nx-amz-meta-a:1,3\nx-amz-meta-b:2\nx-amz-security-token:t\n/"
        );
        let with_amz_date = vec![
            ("date".to_owned(), "D".to_owned()),
            ("x-amz-date".to_owned(), "E".to_owned()),
        ];
        let v = view(None, None, "/", &[], &with_amz_date);
        assert_eq!(aws_v2_header_date(&v), "");
    }
}
