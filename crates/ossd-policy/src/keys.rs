//! Condition keys the server provides (docs/protocol/policy.md#conditions), and how key names are
//! compared. IAM-grammar keys (`aws:…`, `s3:…`) read the value of their RAM twin, or are provided
//! natively where there is none (docs/protocol/iam-grammar.md#condition-keys).
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

/// The request time as Unix seconds (Numeric; IAM grammar, no RAM twin).
pub const EPOCH_TIME: &str = "aws:EpochTime";
/// The caller's ARN in IAM form: `arn:aws:iam::{acct}:root|user/{name}|role/{role}` (ARN / string;
/// IAM grammar, derived from the caller).
pub const PRINCIPAL_ARN: &str = "aws:PrincipalArn";
/// The RAM user's name; absent for other callers (string; IAM grammar, derived from the caller).
pub const USERNAME: &str = "aws:username";
/// `max-keys` of the listing calls (Numeric; IAM grammar, no RAM twin).
pub const MAX_KEYS: &str = "s3:max-keys";
/// `s3:x-amz-acl`: the canned ACL header; reads `oss:x-oss-object-acl`, else `oss:x-oss-acl`.
pub const X_AMZ_ACL: &str = "s3:x-amz-acl";

/// S3 request-header keys with no RAM twin (IAM grammar; the S3 dialect sets each from the
/// header of the same name as sent, docs/protocol/iam-grammar.md#condition-keys):
/// `s3:x-amz-copy-source` (`bucket/key`, decoded, without a leading `/` or `?versionId=`),
/// `s3:x-amz-metadata-directive`, the `s3:x-amz-grant-*` headers and
/// `s3:x-amz-server-side-encryption`.
pub const S3_HEADER_KEYS: [&str; 8] = [
    "s3:x-amz-copy-source",
    "s3:x-amz-metadata-directive",
    "s3:x-amz-grant-read",
    "s3:x-amz-grant-write",
    "s3:x-amz-grant-read-acp",
    "s3:x-amz-grant-write-acp",
    "s3:x-amz-grant-full-control",
    "s3:x-amz-server-side-encryption",
];

/// The keys whose fixed values confine a statement to known callers, so that a `*` principal
/// with such a condition is not public (docs/protocol/policy.md#public-policies; AWS's
/// "The meaning of public" in the S3 user guide: `aws:SourceIp` blocks, a fixed source VPC,
/// principal or user id): the source address and VPC, the AccessKey, the caller's ARN and the
/// RAM user's name.
pub(crate) const CALLER_LIMITING: [&str; 5] =
    [SOURCE_IP, SOURCE_VPC, ACCESS_ID, PRINCIPAL_ARN, USERNAME];

/// IAM-grammar keys and the RAM key whose value they read
/// (docs/protocol/iam-grammar.md#condition-keys).
const ALIASES: [(&str, &str); 7] = [
    ("aws:SourceIp", SOURCE_IP),
    ("aws:SecureTransport", SECURE_TRANSPORT),
    ("aws:CurrentTime", CURRENT_TIME),
    ("aws:UserAgent", USER_AGENT),
    ("aws:Referer", REFERER),
    ("s3:prefix", PREFIX),
    ("s3:delimiter", DELIMITER),
];

/// IAM-grammar tag key families and their RAM twins.
const ALIAS_PREFIXES: [(&str, &str); 2] = [
    ("s3:ExistingObjectTag/", EXISTING_OBJECT_TAG_PREFIX),
    ("s3:RequestObjectTag/", REQUEST_OBJECT_TAG_PREFIX),
];

/// Every fixed key a policy may name.
const KNOWN: [&str; 19] = [
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
    EPOCH_TIME,
    PRINCIPAL_ARN,
    USERNAME,
    MAX_KEYS,
    X_AMZ_ACL,
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

/// The normalised keys a condition on `key` reads, in order (the first present one counts):
/// an IAM-grammar key reads its RAM twin (docs/protocol/iam-grammar.md#condition-keys),
/// `s3:x-amz-acl` the object ACL header, else the bucket ACL header; any other key itself.
pub(crate) fn lookup_keys(key: &str) -> Vec<String> {
    if key.eq_ignore_ascii_case(X_AMZ_ACL) {
        return vec![normalize(X_OSS_OBJECT_ACL), normalize(X_OSS_ACL)];
    }
    if let Some((_, twin)) = ALIASES.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
        return vec![normalize(twin)];
    }
    for (prefix, twin) in ALIAS_PREFIXES {
        if let Some(tag) = strip_prefix_ignore_case(key, prefix) {
            return vec![normalize(&format!("{twin}{tag}"))];
        }
    }
    vec![normalize(key)]
}

/// `key` without `prefix` (compared ASCII case-insensitively), if it starts with it.
fn strip_prefix_ignore_case<'a>(key: &'a str, prefix: &str) -> Option<&'a str> {
    key.get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .and_then(|_| key.get(prefix.len()..))
}

/// Whether `key` is one the server provides (docs/protocol/policy.md#conditions); tag keys need a
/// non-empty tag name.
pub fn is_known(key: &str) -> bool {
    let tagged =
        |prefix: &&str| strip_prefix_ignore_case(key, prefix).is_some_and(|t| !t.is_empty());
    KNOWN.iter().any(|k| k.eq_ignore_ascii_case(key))
        || S3_HEADER_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
        || ALIASES.iter().any(|(k, _)| k.eq_ignore_ascii_case(key))
        || TAG_PREFIXES.iter().any(tagged)
        || ALIAS_PREFIXES.iter().map(|(prefix, _)| prefix).any(tagged)
}
