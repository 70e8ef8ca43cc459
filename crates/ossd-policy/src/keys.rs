//! Condition keys the server provides (docs/protocol/policy.md#conditions), and how key names are
//! compared.
//!
//! Key names are compared case-insensitively (ossd's choice, docs/protocol/policy.md#conditions),
//! except the tag name after the `/` of `oss:BucketTag/…`, `oss:ExistingObjectTag/…` and
//! `oss:RequestObjectTag/…`, which is case-sensitive like the tags themselves.

/// Client IP address (IP).
pub const SOURCE_IP: &str = "acs:SourceIp";
/// Source VPC id (string); absent on a self-hosted server.
pub const SOURCE_VPC: &str = "acs:SourceVpc";
/// `true` iff the request came over HTTPS (Bool).
pub const SECURE_TRANSPORT: &str = "acs:SecureTransport";
/// Server time when the request arrived (Date).
pub const CURRENT_TIME: &str = "acs:CurrentTime";
/// The `User-Agent` header (string).
pub const USER_AGENT: &str = "acs:UserAgent";
/// The `Referer` header (string).
pub const REFERER: &str = "acs:Referer";
/// The AccessKeyId that signed the request (string).
pub const ACCESS_ID: &str = "acs:AccessId";
/// Whether MFA was used (Bool; `false` for AccessKey and STS requests).
pub const MFA_PRESENT: &str = "acs:MFAPresent";
/// `prefix` of ListObjects / ListObjectsV2 / ListObjectVersions; `""` when absent (string).
pub const PREFIX: &str = "oss:Prefix";
/// `delimiter` of the same listing calls (string).
pub const DELIMITER: &str = "oss:Delimiter";
/// `x-oss-acl` header of PutBucket / PutBucketAcl (string).
pub const X_OSS_ACL: &str = "oss:x-oss-acl";
/// `x-oss-object-acl` header of PutObject / PutObjectAcl etc. (string).
pub const X_OSS_OBJECT_ACL: &str = "oss:x-oss-object-acl";
/// Prefix of `oss:BucketTag/<key>`: a tag of the bucket (string).
pub const BUCKET_TAG_PREFIX: &str = "oss:BucketTag/";
/// Prefix of `oss:ExistingObjectTag/<key>`: a tag of the existing object (string).
pub const EXISTING_OBJECT_TAG_PREFIX: &str = "oss:ExistingObjectTag/";
/// Prefix of `oss:RequestObjectTag/<key>`: a tag sent with the request (string).
pub const REQUEST_OBJECT_TAG_PREFIX: &str = "oss:RequestObjectTag/";
/// AssumeRole `ExternalId` (string; trust policies).
pub const EXTERNAL_ID: &str = "sts:ExternalId";
/// SAML assertion recipient (string; trust policies).
pub const SAML_RECIPIENT: &str = "saml:recipient";

/// Every fixed key a policy may name.
const KNOWN: [&str; 14] = [
    SOURCE_IP,
    SOURCE_VPC,
    SECURE_TRANSPORT,
    CURRENT_TIME,
    USER_AGENT,
    REFERER,
    ACCESS_ID,
    MFA_PRESENT,
    PREFIX,
    DELIMITER,
    X_OSS_ACL,
    X_OSS_OBJECT_ACL,
    EXTERNAL_ID,
    SAML_RECIPIENT,
];

/// Every key family that ends with a tag name.
const TAG_PREFIXES: [&str; 3] = [
    BUCKET_TAG_PREFIX,
    EXISTING_OBJECT_TAG_PREFIX,
    REQUEST_OBJECT_TAG_PREFIX,
];

/// The comparison form of a key: lower-cased up to the first `/`, the rest kept as is.
pub fn normalize(key: &str) -> String {
    match key.split_once('/') {
        Some((head, tail)) => format!("{}/{tail}", head.to_lowercase()),
        None => key.to_lowercase(),
    }
}

/// Whether `key` is one the server provides (docs/protocol/policy.md#conditions); tag keys need a
/// non-empty tag name.
pub fn is_known(key: &str) -> bool {
    KNOWN.iter().any(|k| k.eq_ignore_ascii_case(key))
        || TAG_PREFIXES.iter().any(|prefix| {
            key.len() > prefix.len()
                && key
                    .get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        })
}
