//! The S3 names of the RAM actions (docs/protocol/iam-grammar.md#actions): an IAM-grammar
//! statement's `s3:…` pattern matches a request whose RAM action has that S3 name.
//!
//! One sorted table, checked at compile time (sorted, so a lookup is a binary search, never a
//! scan); `tests/actions_md.rs` checks that every RAM action it names is one of the OSS action
//! map. RAM actions without an S3 twin (styles, LiveChannel, CNAME, …) are simply absent.

use std::cmp::Ordering;

/// One RAM action and the S3 action that denotes the same permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct S3Alias {
    /// The RAM action, e.g. `oss:ListObjects`.
    pub ram: &'static str,
    /// Its S3 name, e.g. `s3:ListBucket`.
    pub s3: &'static str,
}

/// Shorthand for one row.
const fn alias(ram: &'static str, s3: &'static str) -> S3Alias {
    S3Alias { ram, s3 }
}

/// Every RAM action with an S3 twin, sorted by RAM action (ASCII case-insensitively). The names
/// come from AWS "Actions, resources, and condition keys for Amazon S3"
/// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html); where
/// S3 has no delete action for a configuration, deleting it needs the `Put…` action, as in S3.
pub(super) const S3_ALIASES: &[S3Alias] = &[
    alias("oss:AbortBucketWorm", "s3:PutBucketObjectLockConfiguration"),
    alias("oss:AbortMultipartUpload", "s3:AbortMultipartUpload"),
    alias(
        "oss:CompleteBucketWorm",
        "s3:PutBucketObjectLockConfiguration",
    ),
    alias("oss:DeleteBucket", "s3:DeleteBucket"),
    alias("oss:DeleteBucketCors", "s3:PutBucketCORS"),
    alias(
        "oss:DeleteBucketEncryption",
        "s3:PutEncryptionConfiguration",
    ),
    alias("oss:DeleteBucketInventory", "s3:PutInventoryConfiguration"),
    alias("oss:DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"),
    alias("oss:DeleteBucketLogging", "s3:PutBucketLogging"),
    alias(
        "oss:DeleteBucketOwnershipControls",
        "s3:PutBucketOwnershipControls",
    ),
    alias("oss:DeleteBucketPolicy", "s3:DeleteBucketPolicy"),
    alias(
        "oss:DeleteBucketPublicAccessBlock",
        "s3:PutBucketPublicAccessBlock",
    ),
    alias(
        "oss:DeleteBucketReplication",
        "s3:PutReplicationConfiguration",
    ),
    alias("oss:DeleteBucketTagging", "s3:PutBucketTagging"),
    alias("oss:DeleteBucketWebsite", "s3:DeleteBucketWebsite"),
    alias("oss:DeleteObject", "s3:DeleteObject"),
    alias("oss:DeleteObjectTagging", "s3:DeleteObjectTagging"),
    alias("oss:DeleteObjectVersion", "s3:DeleteObjectVersion"),
    alias(
        "oss:DeleteObjectVersionTagging",
        "s3:DeleteObjectVersionTagging",
    ),
    alias(
        "oss:DeletePublicAccessBlock",
        "s3:PutAccountPublicAccessBlock",
    ),
    alias(
        "oss:ExtendBucketWorm",
        "s3:PutBucketObjectLockConfiguration",
    ),
    alias("oss:GetBucketAcl", "s3:GetBucketAcl"),
    alias("oss:GetBucketCors", "s3:GetBucketCORS"),
    alias("oss:GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    alias("oss:GetBucketInventory", "s3:GetInventoryConfiguration"),
    alias("oss:GetBucketLifecycle", "s3:GetLifecycleConfiguration"),
    alias("oss:GetBucketLocation", "s3:GetBucketLocation"),
    alias("oss:GetBucketLogging", "s3:GetBucketLogging"),
    alias(
        "oss:GetBucketOwnershipControls",
        "s3:GetBucketOwnershipControls",
    ),
    alias("oss:GetBucketPolicy", "s3:GetBucketPolicy"),
    alias("oss:GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"),
    alias(
        "oss:GetBucketPublicAccessBlock",
        "s3:GetBucketPublicAccessBlock",
    ),
    alias("oss:GetBucketReplication", "s3:GetReplicationConfiguration"),
    alias("oss:GetBucketRequestPayment", "s3:GetBucketRequestPayment"),
    alias("oss:GetBucketTagging", "s3:GetBucketTagging"),
    alias(
        "oss:GetBucketTransferAcceleration",
        "s3:GetAccelerateConfiguration",
    ),
    alias("oss:GetBucketVersioning", "s3:GetBucketVersioning"),
    alias("oss:GetBucketWebsite", "s3:GetBucketWebsite"),
    alias("oss:GetBucketWorm", "s3:GetBucketObjectLockConfiguration"),
    alias("oss:GetObject", "s3:GetObject"),
    alias("oss:GetObjectAcl", "s3:GetObjectAcl"),
    alias("oss:GetObjectAttributes", "s3:GetObjectAttributes"),
    alias("oss:GetObjectTagging", "s3:GetObjectTagging"),
    alias("oss:GetObjectVersion", "s3:GetObjectVersion"),
    alias("oss:GetObjectVersionAcl", "s3:GetObjectVersionAcl"),
    alias(
        "oss:GetObjectVersionAttributes",
        "s3:GetObjectVersionAttributes",
    ),
    alias("oss:GetObjectVersionTagging", "s3:GetObjectVersionTagging"),
    alias("oss:GetPublicAccessBlock", "s3:GetAccountPublicAccessBlock"),
    alias(
        "oss:InitiateBucketWorm",
        "s3:PutBucketObjectLockConfiguration",
    ),
    alias("oss:ListBuckets", "s3:ListAllMyBuckets"),
    alias("oss:ListMultipartUploads", "s3:ListBucketMultipartUploads"),
    alias("oss:ListObjects", "s3:ListBucket"),
    alias("oss:ListObjectVersions", "s3:ListBucketVersions"),
    alias("oss:ListParts", "s3:ListMultipartUploadParts"),
    alias("oss:PutBucket", "s3:CreateBucket"),
    alias("oss:PutBucketAcl", "s3:PutBucketAcl"),
    alias("oss:PutBucketCors", "s3:PutBucketCORS"),
    alias("oss:PutBucketEncryption", "s3:PutEncryptionConfiguration"),
    alias("oss:PutBucketInventory", "s3:PutInventoryConfiguration"),
    alias("oss:PutBucketLifecycle", "s3:PutLifecycleConfiguration"),
    alias("oss:PutBucketLogging", "s3:PutBucketLogging"),
    alias(
        "oss:PutBucketOwnershipControls",
        "s3:PutBucketOwnershipControls",
    ),
    alias("oss:PutBucketPolicy", "s3:PutBucketPolicy"),
    alias(
        "oss:PutBucketPublicAccessBlock",
        "s3:PutBucketPublicAccessBlock",
    ),
    alias("oss:PutBucketReplication", "s3:PutReplicationConfiguration"),
    alias("oss:PutBucketRequestPayment", "s3:PutBucketRequestPayment"),
    alias("oss:PutBucketTagging", "s3:PutBucketTagging"),
    alias(
        "oss:PutBucketTransferAcceleration",
        "s3:PutAccelerateConfiguration",
    ),
    alias("oss:PutBucketVersioning", "s3:PutBucketVersioning"),
    alias("oss:PutBucketWebsite", "s3:PutBucketWebsite"),
    alias("oss:PutObject", "s3:PutObject"),
    alias("oss:PutObjectAcl", "s3:PutObjectAcl"),
    alias("oss:PutObjectTagging", "s3:PutObjectTagging"),
    alias("oss:PutObjectVersionAcl", "s3:PutObjectVersionAcl"),
    alias("oss:PutObjectVersionTagging", "s3:PutObjectVersionTagging"),
    alias("oss:PutPublicAccessBlock", "s3:PutAccountPublicAccessBlock"),
    alias("oss:RestoreObject", "s3:RestoreObject"),
    alias("oss:RestoreObjectVersion", "s3:RestoreObject"),
];

/// `a` before `b`, ASCII case-insensitively (a `const fn`, for the compile-time check).
const fn before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        let (x, y) = (a[i].to_ascii_lowercase(), b[i].to_ascii_lowercase());
        if x != y {
            return x < y;
        }
        i += 1;
    }
    a.len() < b.len()
}

/// Whether every S3 name starts with `s3:` and the rows are strictly sorted.
const fn well_formed(rows: &[S3Alias]) -> bool {
    let mut i = 0;
    while i < rows.len() {
        let s3 = rows[i].s3.as_bytes();
        if s3.len() < 4 || s3[0] != b's' || s3[1] != b'3' || s3[2] != b':' {
            return false;
        }
        if i > 0 && !before(rows[i - 1].ram, rows[i].ram) {
            return false;
        }
        i += 1;
    }
    true
}

const _: () = assert!(
    well_formed(S3_ALIASES),
    "S3_ALIASES must be sorted and name s3: actions"
);

/// ASCII case-insensitive ordering, the order of [`S3_ALIASES`].
fn compare(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The S3 name of the RAM action `ram_action` (any case), if it has one
/// (docs/protocol/iam-grammar.md#actions).
pub fn s3_action(ram_action: &str) -> Option<&'static str> {
    S3_ALIASES
        .binary_search_by(|row| compare(row.ram, ram_action))
        .ok()
        .and_then(|i| S3_ALIASES.get(i))
        .map(|row| row.s3)
}

/// Every RAM action with an S3 twin, sorted by RAM action.
pub fn s3_aliases() -> &'static [S3Alias] {
    S3_ALIASES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let cases = [
            ("oss:GetObject", Some("s3:GetObject")),
            ("OSS:getobject", Some("s3:GetObject")),
            ("oss:ListObjects", Some("s3:ListBucket")),
            ("oss:ListBuckets", Some("s3:ListAllMyBuckets")),
            ("oss:PutBucket", Some("s3:CreateBucket")),
            ("oss:ListObjectVersions", Some("s3:ListBucketVersions")),
            ("oss:ListParts", Some("s3:ListMultipartUploadParts")),
            (
                "oss:ListMultipartUploads",
                Some("s3:ListBucketMultipartUploads"),
            ),
            ("oss:GetBucketCors", Some("s3:GetBucketCORS")),
            ("oss:DeleteBucketCors", Some("s3:PutBucketCORS")),
            ("oss:DeleteBucketTagging", Some("s3:PutBucketTagging")),
            ("oss:GetObjectVersion", Some("s3:GetObjectVersion")),
            ("oss:PutStyle", None),
            ("sts:AssumeRole", None),
            ("", None),
        ];
        for (ram, s3) in cases {
            assert_eq!(s3_action(ram), s3, "{ram}");
        }
    }

    #[test]
    fn every_row_is_found() {
        for row in S3_ALIASES {
            assert_eq!(s3_action(row.ram), Some(row.s3), "{}", row.ram);
        }
    }

    #[test]
    fn order_check_rejects_disorder() {
        let rows = [alias("oss:B", "s3:B"), alias("oss:a", "s3:A")];
        assert!(!well_formed(&rows));
        assert!(!well_formed(&[alias("oss:A", "x:A")]));
        assert!(well_formed(&[
            alias("oss:a", "s3:A"),
            alias("oss:B", "s3:B")
        ]));
    }
}
