//! Header translation between S3 and the OSS vocabulary (docs/s3.md#headers).

use ossd_types::StorageClass;

use crate::error::OssError;

/// The S3 → OSS renames of request headers whose value needs no translation.
const SAME_VALUE: &[(&str, &str)] = &[
    ("x-amz-copy-source-if-match", "x-oss-copy-source-if-match"),
    (
        "x-amz-copy-source-if-none-match",
        "x-oss-copy-source-if-none-match",
    ),
    (
        "x-amz-copy-source-if-modified-since",
        "x-oss-copy-source-if-modified-since",
    ),
    (
        "x-amz-copy-source-if-unmodified-since",
        "x-oss-copy-source-if-unmodified-since",
    ),
    ("x-amz-copy-source-range", "x-oss-copy-source-range"),
    ("x-amz-metadata-directive", "x-oss-metadata-directive"),
    ("x-amz-tagging-directive", "x-oss-tagging-directive"),
    ("x-amz-tagging", "x-oss-tagging"),
    (
        "x-amz-server-side-encryption",
        "x-oss-server-side-encryption",
    ),
];

/// The `AllUsers` group of S3 grants: a grant to it is what makes a canned ACL public.
pub(crate) const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";

/// The headers of an S3 request in the OSS vocabulary the typed parser and the handlers read:
/// `x-amz-meta-*`, `x-amz-acl`/`x-amz-grant-*`, `x-amz-copy-source*`, directives, tagging and
/// storage class are renamed (values translated where the two differ); `If-None-Match: *` on a
/// write becomes OSS's `x-oss-forbid-overwrite`; `x-oss-*` headers mean nothing in S3 and are
/// dropped; every other header is kept as sent. `object` says whether the request addresses an
/// object (`x-amz-acl` is then the object's ACL) and `write` whether it writes one.
pub fn request_headers(
    headers: &[(String, String)],
    object: bool,
    write: bool,
) -> Result<Vec<(String, String)>, OssError> {
    if write {
        check_encryption_choice(headers)?;
    }
    refuse_customer_keys(headers)?;
    let mut out = Vec::with_capacity(headers.len());
    let chunked = is_aws_chunked(headers);
    for (name, value) in headers {
        if name.starts_with("x-oss-") {
            continue;
        }
        if let Some(meta) = name.strip_prefix("x-amz-meta-") {
            out.push((format!("x-oss-meta-{meta}"), value.clone()));
            continue;
        }
        if let Some((_, oss)) = SAME_VALUE.iter().find(|(s3, _)| s3 == name) {
            let value = match *oss {
                "x-oss-copy-source-if-match" | "x-oss-copy-source-if-none-match" => {
                    value.to_ascii_uppercase()
                }
                _ => value.clone(),
            };
            out.push(((*oss).to_owned(), value));
            continue;
        }
        match name.as_str() {
            "x-amz-acl" => {
                let acl_header = if object {
                    "x-oss-object-acl"
                } else {
                    "x-oss-acl"
                };
                out.push((acl_header.to_owned(), canned_acl(value).to_owned()));
            }
            "x-amz-storage-class" => {
                let class = storage_class_from_s3(value)?;
                out.push(("x-oss-storage-class".to_owned(), class.as_str().to_owned()));
            }
            "x-amz-copy-source" => {
                out.push(("x-oss-copy-source".to_owned(), copy_source(value)));
            }
            // An aws-chunked body's own length is the decoded one; the encoding is transport.
            "content-length" if chunked => {
                if let Some((_, len)) = headers
                    .iter()
                    .find(|(k, _)| k == "x-amz-decoded-content-length")
                {
                    out.push((name.clone(), len.clone()));
                }
            }
            // `aws-chunked` names the transfer framing, never the stored content's encoding.
            "content-encoding" => {
                let tokens: Vec<&str> = value.split(',').map(str::trim).collect();
                if !tokens.iter().any(|t| t.eq_ignore_ascii_case("aws-chunked")) {
                    out.push((name.clone(), value.clone()));
                    continue;
                }
                let kept: Vec<&str> = tokens
                    .into_iter()
                    .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("aws-chunked"))
                    .collect();
                if !kept.is_empty() {
                    out.push((name.clone(), kept.join(", ")));
                }
            }
            "if-none-match" if write && value.trim() == "*" => {
                out.push(("x-oss-forbid-overwrite".to_owned(), "true".to_owned()));
            }
            // ETags are hex: S3 spells them in lowercase, OSS (and the store) in uppercase.
            "if-match" | "if-none-match" => {
                out.push((name.clone(), value.to_ascii_uppercase()));
            }
            _ => out.push((name.clone(), value.clone())),
        }
    }
    if let Some(acl) = acl_from_grant_headers(headers) {
        let acl_header = if object {
            "x-oss-object-acl"
        } else {
            "x-oss-acl"
        };
        if !out.iter().any(|(k, _)| k == acl_header) {
            out.push((acl_header.to_owned(), acl.to_owned()));
        }
    }
    Ok(out)
}

/// A write names one kind of server-side encryption: `x-amz-server-side-encryption` (SSE-S3,
/// SSE-KMS) and the customer-provided key of `x-amz-server-side-encryption-customer-algorithm`
/// (SSE-C) together are 400 `InvalidArgument`, as S3 answers (ceph/s3-tests'
/// `test_put_obj_enc_conflict_c_s3`, which runs against AWS).
///
/// The algorithm itself must be one S3 documents for `x-amz-server-side-encryption` (PutObject
/// API reference: `AES256`, `aws:kms`, `aws:kms:dsse`); another value is 400 `InvalidArgument`.
fn check_encryption_choice(headers: &[(String, String)]) -> Result<(), OssError> {
    let has = |name: &str| headers.iter().any(|(k, _)| k == name);
    let sse = headers
        .iter()
        .find(|(k, _)| k == "x-amz-server-side-encryption");
    if let Some((name, value)) = sse
        && !S3_SSE_ALGORITHMS.contains(&value.trim())
    {
        return Err(OssError::invalid_argument_value(
            "The encryption method specified is not supported",
            name,
            value,
        ));
    }
    if has("x-amz-server-side-encryption") && has("x-amz-server-side-encryption-customer-algorithm")
    {
        return Err(OssError::invalid_argument(
            "Server Side Encryption with Customer provided key is incompatible with the \
             encryption method specified",
        ));
    }
    Ok(())
}

/// The values of `x-amz-server-side-encryption` (S3 PutObject API reference).
const S3_SSE_ALGORITHMS: [&str; 3] = ["AES256", "aws:kms", "aws:kms:dsse"];

/// The SSE-C headers: a customer-provided key for the object, or for a copy's source.
const CUSTOMER_KEY_HEADERS: [&str; 2] = [
    "x-amz-server-side-encryption-customer-algorithm",
    "x-amz-copy-source-server-side-encryption-customer-algorithm",
];

/// ossd does not implement server-side encryption with customer-provided keys (SSE-C): a request
/// naming one is 501 `NotImplemented` rather than served as if the key were used (a write would
/// store the bytes unencrypted, a read would ignore the key). AWS answers 501 `NotImplemented`
/// for a header that implies functionality it does not implement
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>).
fn refuse_customer_keys(headers: &[(String, String)]) -> Result<(), OssError> {
    match headers
        .iter()
        .find(|(k, _)| CUSTOMER_KEY_HEADERS.contains(&k.as_str()))
    {
        Some((name, _)) => Err(OssError::not_implemented(&format!(
            "Server-side encryption with customer-provided keys ({name})"
        ))),
        None => Ok(()),
    }
}

/// An S3 canned ACL as the OSS ACL with the same or stricter effect: the ACLs that grant only
/// the owner (or AWS services) are `private`; `authenticated-read` (any AWS account) has no
/// counterpart and is `private` too (docs/s3.md#acls). Unknown names pass through, so the OSS
/// parser rejects them.
fn canned_acl(value: &str) -> &str {
    match value.trim() {
        "private"
        | "authenticated-read"
        | "aws-exec-read"
        | "bucket-owner-read"
        | "bucket-owner-full-control"
        | "log-delivery-write" => "private",
        other => other,
    }
}

/// Whether the body is `aws-chunked`: `x-amz-content-sha256` names a streaming payload
/// (docs/protocol/s3-chunked.md#detecting-an-aws-chunked-body). `Content-Encoding:
/// aws-chunked` alone does not make a body chunked: S3 stores such a plain body as sent.
fn is_aws_chunked(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .any(|(k, v)| k == "x-amz-content-sha256" && v.starts_with("STREAMING-"))
}

/// `x-amz-grant-read`/`-write`/`-full-control` naming the AllUsers group, as a canned ACL.
fn acl_from_grant_headers(headers: &[(String, String)]) -> Option<&'static str> {
    let grants_all = |name: &str| {
        headers
            .iter()
            .any(|(k, v)| k == name && v.contains(ALL_USERS))
    };
    if grants_all("x-amz-grant-write") || grants_all("x-amz-grant-full-control") {
        Some("public-read-write")
    } else if grants_all("x-amz-grant-read") {
        Some("public-read")
    } else if headers.iter().any(|(k, _)| k.starts_with("x-amz-grant-")) {
        Some("private")
    } else {
        None
    }
}

/// `x-amz-copy-source: [/]bucket/key[?versionId=v]` (URL-encoded) in OSS's form, which always
/// starts with `/`.
fn copy_source(value: &str) -> String {
    let v = value.trim();
    if v.starts_with('/') {
        v.to_owned()
    } else {
        format!("/{v}")
    }
}

/// An S3 storage class as the OSS class that stores alike (docs/s3.md#storage-classes).
pub fn storage_class_from_s3(value: &str) -> Result<StorageClass, OssError> {
    Ok(match value.trim() {
        "STANDARD" | "REDUCED_REDUNDANCY" => StorageClass::Standard,
        "STANDARD_IA" | "ONEZONE_IA" | "INTELLIGENT_TIERING" | "GLACIER_IR" => StorageClass::Ia,
        "GLACIER" => StorageClass::Archive,
        "DEEP_ARCHIVE" => StorageClass::ColdArchive,
        _ => {
            return Err(OssError::invalid_argument(
                "The storage class you specified is not valid",
            ));
        }
    })
}

/// S3's storage class names that ossd accepts ([`storage_class_from_s3`]).
const S3_CLASS_NAMES: [&str; 8] = [
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
];

/// `value` as one of the S3 storage class names [`storage_class_from_s3`] accepts, if it is
/// one (kept where S3 returns the name that was sent, as in lifecycle rules).
pub fn s3_class_name(value: &str) -> Option<&'static str> {
    let value = value.trim();
    S3_CLASS_NAMES.iter().copied().find(|n| *n == value)
}

/// An OSS storage class in S3's spelling.
pub fn storage_class_to_s3(class: &str) -> &str {
    match class {
        "Standard" => "STANDARD",
        "IA" => "STANDARD_IA",
        "Archive" => "GLACIER",
        "ColdArchive" | "DeepColdArchive" => "DEEP_ARCHIVE",
        other => other,
    }
}

/// What becomes of a response header of the OSS form in an S3 response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseHeader {
    /// Sent as is (standard HTTP headers).
    Keep,
    /// Sent under this name.
    Rename(String),
    /// Not sent (OSS-only headers).
    Drop,
}

/// The S3 form of a response header (lowercase name).
pub fn response_header(name: &str) -> ResponseHeader {
    let Some(rest) = name.strip_prefix("x-oss-") else {
        return ResponseHeader::Keep;
    };
    match rest {
        "version-id"
        | "delete-marker"
        | "storage-class"
        | "tagging-count"
        | "restore"
        | "server-side-encryption"
        | "copy-source-version-id"
        | "expiration"
        | "request-id" => ResponseHeader::Rename(format!("x-amz-{rest}")),
        _ => match rest.strip_prefix("meta-") {
            Some(meta) => ResponseHeader::Rename(format!("x-amz-meta-{meta}")),
            None => ResponseHeader::Drop,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn request_translation() {
        let out = request_headers(
            &h(&[
                ("x-amz-meta-color", "blue"),
                ("x-amz-acl", "bucket-owner-full-control"),
                ("x-amz-copy-source", "src/a%20b?versionId=v1"),
                ("x-amz-storage-class", "STANDARD_IA"),
                ("x-oss-forbid-overwrite", "true"),
                ("if-none-match", "*"),
                ("content-type", "text/plain"),
            ]),
            true,
            true,
        )
        .unwrap_or_default();
        let get = |k: &str| out.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("x-oss-meta-color"), Some("blue"));
        assert_eq!(get("x-oss-object-acl"), Some("private"));
        assert_eq!(get("x-oss-copy-source"), Some("/src/a%20b?versionId=v1"));
        assert_eq!(get("x-oss-storage-class"), Some("IA"));
        assert_eq!(get("x-oss-forbid-overwrite"), Some("true"));
        assert_eq!(get("content-type"), Some("text/plain"));
        assert_eq!(get("x-amz-meta-color"), None);
        assert_eq!(
            out.iter().filter(|(k, _)| k.starts_with("x-oss-f")).count(),
            1
        );
    }

    #[test]
    fn bucket_acl_and_grants() {
        let out =
            request_headers(&h(&[("x-amz-acl", "public-read")]), false, false).unwrap_or_default();
        assert_eq!(out, h(&[("x-oss-acl", "public-read")]));
        let grant = format!("uri=\"{ALL_USERS}\"");
        let out =
            request_headers(&h(&[("x-amz-grant-read", &grant)]), false, false).unwrap_or_default();
        assert!(out.contains(&("x-oss-acl".to_owned(), "public-read".to_owned())));
        // If-None-Match on a read is a condition, not a write guard.
        let out = request_headers(&h(&[("if-none-match", "*")]), true, false).unwrap_or_default();
        assert_eq!(out, h(&[("if-none-match", "*")]));
    }

    #[test]
    fn sse_c_with_another_encryption_is_refused() {
        let both = h(&[
            ("x-amz-server-side-encryption", "AES256"),
            ("x-amz-server-side-encryption-customer-algorithm", "AES256"),
        ]);
        let err = request_headers(&both, true, true).err().map(|e| e.code);
        assert_eq!(err, Some(crate::error::OssCode::InvalidArgument));
        let one = h(&[("x-amz-server-side-encryption", "AES256")]);
        assert!(request_headers(&one, true, true).is_ok());
    }

    #[test]
    fn sse_algorithm_must_be_one_s3_documents() {
        for ok in ["AES256", "aws:kms", "aws:kms:dsse"] {
            let one = h(&[("x-amz-server-side-encryption", ok)]);
            assert!(request_headers(&one, true, true).is_ok(), "{ok}");
        }
        for bad in ["ROT13", "aes256", "", "KMS"] {
            let one = h(&[("x-amz-server-side-encryption", bad)]);
            let err = request_headers(&one, true, true).err();
            assert_eq!(
                err.map(|e| e.code),
                Some(crate::error::OssCode::InvalidArgument),
                "{bad}"
            );
        }
    }

    #[test]
    fn sse_c_is_not_implemented() {
        for name in CUSTOMER_KEY_HEADERS {
            let sse_c = h(&[(name, "AES256")]);
            for write in [true, false] {
                let err = request_headers(&sse_c, true, write).err().map(|e| e.code);
                assert_eq!(err, Some(crate::error::OssCode::NotImplemented), "{name}");
            }
        }
    }

    #[test]
    fn chunked_lengths() {
        let out = request_headers(
            &h(&[
                ("content-length", "120"),
                ("content-encoding", "aws-chunked,gzip"),
                ("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
                ("x-amz-decoded-content-length", "11"),
            ]),
            true,
            true,
        )
        .unwrap_or_default();
        let get = |k: &str| out.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("content-length"), Some("11"));
        assert_eq!(get("content-encoding"), Some("gzip"));
        let same = request_headers(&h(&[("content-encoding", "deflate, gzip")]), true, true)
            .unwrap_or_default();
        assert_eq!(same, h(&[("content-encoding", "deflate, gzip")]));
    }

    #[test]
    fn storage_classes() {
        assert!(storage_class_from_s3("WARM").is_err());
        for s3 in ["STANDARD", "STANDARD_IA", "GLACIER", "DEEP_ARCHIVE"] {
            let oss = storage_class_from_s3(s3).map(StorageClass::as_str);
            assert_eq!(oss.map(storage_class_to_s3), Ok(s3));
        }
    }

    #[test]
    fn response_headers() {
        assert_eq!(
            response_header("x-oss-version-id"),
            ResponseHeader::Rename("x-amz-version-id".to_owned())
        );
        assert_eq!(
            response_header("x-oss-meta-a"),
            ResponseHeader::Rename("x-amz-meta-a".to_owned())
        );
        assert_eq!(
            response_header("x-oss-hash-crc64ecma"),
            ResponseHeader::Drop
        );
        assert_eq!(response_header("etag"), ResponseHeader::Keep);
    }
}
