//! A bucket's policy as stored (PutBucketPolicy, GetBucketPolicy): the JSON text exactly as the
//! client sent it, validated as a [`PolicyKind::Bucket`] document before it is stored, and read
//! back as that text (every request to the bucket is authorized with it).

use ossd_types::BucketConfig;

use crate::{Policy, PolicyError, PolicyKind};

/// The policy document of a bucket: its text, which is what GetBucketPolicy returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketPolicyDocument(String);

impl BucketPolicyDocument {
    /// Validates `text` as a bucket policy (docs/protocol/policy.md#validation-and-size-limits).
    pub fn parse(text: String) -> Result<Self, PolicyError> {
        Policy::parse(&text, PolicyKind::Bucket)?;
        Ok(Self(text))
    }

    /// The document text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the policy grants access to the public (GetBucketPolicyStatus `IsPublic`,
    /// docs/protocol/policy.md#public-policies). A stored text that no longer parses is not
    /// public: authorization ignores it too.
    pub fn is_public(&self) -> bool {
        Policy::parse(&self.0, PolicyKind::Bucket).is_ok_and(|p| p.is_public())
    }

    /// The document text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl BucketConfig for BucketPolicyDocument {
    const KIND: &'static str = "policy";
    type DecodeError = std::convert::Infallible;

    /// The stored text as it is: it was validated when stored, and it is parsed again wherever
    /// it is evaluated.
    fn decode(stored: &str) -> Result<Self, Self::DecodeError> {
        Ok(Self(stored.to_owned()))
    }

    fn encode(&self) -> Option<String> {
        Some(self.0.clone())
    }
}
