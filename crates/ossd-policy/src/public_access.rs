//! Block Public Access (docs/protocol/policy.md#block-public-access): the four settings of
//! S3's `PublicAccessBlockConfiguration`, which OSS's single `BlockPublicAccess` turns on
//! together, and what they change in an OSS authorization ([`crate::authorize_oss`]).

use crate::bucket_policy::BucketPolicyDocument;
use crate::document::Policy;

/// The Block Public Access settings in force for a bucket: the bucket's own, combined with
/// the owner account's ([`PublicAccessBlock::union`]). All `false` (the default) changes
/// nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublicAccessBlock {
    /// Setting a public ACL (bucket or object) is refused.
    pub block_public_acls: bool,
    /// Public ACLs grant nothing.
    pub ignore_public_acls: bool,
    /// Setting a public bucket policy is refused.
    pub block_public_policy: bool,
    /// A public bucket policy grants only callers of the bucket owner's account.
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    /// All four settings on: OSS's `BlockPublicAccess` `true` (OSS API reference,
    /// PutBucketPublicAccessBlock: "existing public access permissions are ignored and you
    /// cannot configure public access permissions").
    pub const ALL: Self = Self {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    };

    /// OSS's `BlockPublicAccess`: [`Self::ALL`] when `true`, nothing when `false`.
    pub const fn from_oss(block_public_access: bool) -> Self {
        if block_public_access {
            Self::ALL
        } else {
            Self {
                block_public_acls: false,
                ignore_public_acls: false,
                block_public_policy: false,
                restrict_public_buckets: false,
            }
        }
    }

    /// OSS's `BlockPublicAccess` for these settings: `true` only when all four are on.
    pub const fn blocks_all(&self) -> bool {
        self.block_public_acls
            && self.ignore_public_acls
            && self.block_public_policy
            && self.restrict_public_buckets
    }

    /// The settings in force when both `self` and `other` apply (an account's and a
    /// bucket's): each setting is on when either turns it on (S3 user guide, "Blocking public
    /// access": "the most restrictive combination").
    pub const fn union(self, other: Self) -> Self {
        Self {
            block_public_acls: self.block_public_acls || other.block_public_acls,
            ignore_public_acls: self.ignore_public_acls || other.ignore_public_acls,
            block_public_policy: self.block_public_policy || other.block_public_policy,
            restrict_public_buckets: self.restrict_public_buckets || other.restrict_public_buckets,
        }
    }

    /// Whether these settings refuse storing `policy` as a bucket policy: `BlockPublicPolicy`
    /// and the policy is public ([`BucketPolicyDocument::is_public`]).
    pub fn refuses_policy(&self, policy: &BucketPolicyDocument) -> bool {
        self.block_public_policy && policy.is_public()
    }

    /// Whether the ACL's grant (`acl_allows`, which only a public canned ACL gives) still
    /// counts: not under `IgnorePublicAcls`.
    pub const fn acl_counts(&self, acl_allows: bool) -> bool {
        acl_allows && !self.ignore_public_acls
    }

    /// Whether an Allow of `policy` may count for a caller of account `caller_account` on a
    /// bucket of `owner`: under `RestrictPublicBuckets` a public policy grants only callers of
    /// the owner's account (S3 user guide, "Blocking public access", RestrictPublicBuckets).
    pub fn policy_allow_counts(
        &self,
        policy: &Policy,
        caller_account: Option<&str>,
        owner: &str,
    ) -> bool {
        !self.restrict_public_buckets || caller_account == Some(owner) || !policy.is_public()
    }
}

#[cfg(test)]
mod tests {
    use super::PublicAccessBlock;
    use crate::{Policy, PolicyKind};

    fn policy(doc: &str) -> Policy {
        match Policy::parse(doc, PolicyKind::Bucket) {
            Ok(p) => p,
            Err(e) => panic!("{doc}: {e:?}"),
        }
    }

    const PUBLIC: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Principal":["*"],"Action":["oss:GetObject"],"Resource":["acs:oss:*:*:b/*"]}]}"#;
    const FIXED: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Principal":["200"],"Action":["oss:GetObject"],"Resource":["acs:oss:*:*:b/*"]}]}"#;

    #[test]
    fn oss_flag_is_all_or_nothing() {
        assert_eq!(PublicAccessBlock::from_oss(true), PublicAccessBlock::ALL);
        assert_eq!(
            PublicAccessBlock::from_oss(false),
            PublicAccessBlock::default()
        );
        assert!(PublicAccessBlock::ALL.blocks_all());
        let partial = PublicAccessBlock {
            block_public_acls: true,
            ..PublicAccessBlock::default()
        };
        assert!(!partial.blocks_all());
    }

    #[test]
    fn union_turns_on_what_either_turns_on() {
        let acls = PublicAccessBlock {
            block_public_acls: true,
            ..PublicAccessBlock::default()
        };
        let restrict = PublicAccessBlock {
            restrict_public_buckets: true,
            ..PublicAccessBlock::default()
        };
        let both = acls.union(restrict);
        assert!(both.block_public_acls && both.restrict_public_buckets);
        assert!(!both.ignore_public_acls && !both.block_public_policy);
        assert_eq!(
            PublicAccessBlock::default().union(PublicAccessBlock::ALL),
            PublicAccessBlock::ALL
        );
    }

    #[test]
    fn public_policy_refused_only_under_block_public_policy() {
        let doc = |text: &str| match crate::BucketPolicyDocument::parse(text.to_owned()) {
            Ok(d) => d,
            Err(e) => panic!("{text}: {e:?}"),
        };
        let public = doc(PUBLIC);
        let fixed = doc(FIXED);
        assert!(PublicAccessBlock::ALL.refuses_policy(&public));
        assert!(!PublicAccessBlock::ALL.refuses_policy(&fixed));
        assert!(!PublicAccessBlock::default().refuses_policy(&public));
    }

    #[test]
    fn acl_ignored_only_under_ignore_public_acls() {
        assert!(PublicAccessBlock::default().acl_counts(true));
        assert!(!PublicAccessBlock::ALL.acl_counts(true));
        assert!(!PublicAccessBlock::default().acl_counts(false));
    }

    #[test]
    fn restrict_limits_public_policies_to_the_owner_account() {
        let public = policy(PUBLIC);
        let fixed = policy(FIXED);
        let on = PublicAccessBlock::ALL;
        assert!(!on.policy_allow_counts(&public, None, "100"));
        assert!(!on.policy_allow_counts(&public, Some("200"), "100"));
        assert!(on.policy_allow_counts(&public, Some("100"), "100"));
        assert!(on.policy_allow_counts(&fixed, Some("200"), "100"));
        assert!(PublicAccessBlock::default().policy_allow_counts(&public, None, "100"));
    }
}
