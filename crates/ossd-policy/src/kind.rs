//! The four uses of the policy language and their size limits
//! (docs/protocol/policy.md#validation-and-size-limits).

/// Maximum length of a RAM custom (identity-based) policy document, in characters
/// (docs/protocol/policy.md#validation-and-size-limits).
pub const MAX_IDENTITY_POLICY_CHARS: usize = 6144;
/// Maximum length of a role trust policy, in characters
/// (docs/protocol/policy.md#validation-and-size-limits; ossd's choice).
pub const MAX_TRUST_POLICY_CHARS: usize = 2048;
/// Maximum length of an STS session policy, in characters
/// (docs/protocol/policy.md#validation-and-size-limits).
pub const MAX_SESSION_POLICY_CHARS: usize = 2048;
/// Maximum size of an OSS bucket policy, in bytes
/// (docs/protocol/policy.md#validation-and-size-limits; ossd's choice).
pub const MAX_BUCKET_POLICY_BYTES: usize = 16 * 1024;

/// Which purpose a policy document serves; decides grammar, limits and error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to users, groups or roles (CreatePolicy / CreatePolicyVersion).
    Identity,
    /// A role's `AssumeRolePolicyDocument` (CreateRole / UpdateRole).
    Trust,
    /// An OSS bucket policy (PutBucketPolicy).
    Bucket,
    /// The `Policy` parameter of AssumeRole.
    Session,
}

impl PolicyKind {
    /// The size limit of this kind (characters, or bytes for bucket policies).
    pub const fn limit(self) -> usize {
        match self {
            Self::Identity => MAX_IDENTITY_POLICY_CHARS,
            Self::Trust => MAX_TRUST_POLICY_CHARS,
            Self::Bucket => MAX_BUCKET_POLICY_BYTES,
            Self::Session => MAX_SESSION_POLICY_CHARS,
        }
    }

    /// The size of `text` in the unit of [`PolicyKind::limit`].
    pub fn size_of(self, text: &str) -> usize {
        match self {
            Self::Bucket => text.len(),
            _ => text.chars().count(),
        }
    }

    /// Whether statements carry `Resource` / `NotResource` (all but trust policies).
    pub(crate) const fn has_resource(self) -> bool {
        !matches!(self, Self::Trust)
    }

    /// Whether statements carry a `Principal` (trust and bucket policies).
    pub(crate) const fn has_principal(self) -> bool {
        matches!(self, Self::Trust | Self::Bucket)
    }
}
