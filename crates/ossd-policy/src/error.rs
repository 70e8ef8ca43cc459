//! The parse error and its one mapping to RAM / STS / OSS error codes and messages
//! (docs/protocol/ram.md#ram-error-codes, docs/protocol/policy.md#validation-and-size-limits).

use crate::kind::PolicyKind;

/// Message of `InvalidParameter.PolicyGrammar` (docs/protocol/sts.md#assumerole).
const GRAMMAR_MESSAGE: &str = "The parameter Policy has not passed grammar check.";

/// Why a policy document was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The document exceeds the size limit of its kind.
    #[error("policy document too long: {size} > {limit}")]
    TooLong {
        /// The kind of document that was parsed.
        kind: PolicyKind,
        /// The size of the document (characters, bytes for bucket policies).
        size: usize,
        /// The limit of this kind.
        limit: usize,
    },
    /// The document is not valid JSON or violates the policy grammar.
    #[error("malformed policy document: {detail}")]
    Malformed {
        /// The kind of document that was parsed.
        kind: PolicyKind,
        /// What is wrong, for the error message.
        detail: String,
    },
}

impl PolicyError {
    /// The HTTP status of this error (always 400).
    pub const fn http_status(&self) -> u16 {
        400
    }

    /// The RAM / STS / OSS error code (docs/protocol/policy.md#validation-and-size-limits).
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Malformed { kind, .. } => match kind {
                PolicyKind::Session => "InvalidParameter.PolicyGrammar",
                PolicyKind::Bucket => "InvalidPolicyDocument",
                PolicyKind::Identity | PolicyKind::Trust => "MalformedPolicyDocument",
            },
            Self::TooLong { kind, .. } => match kind {
                PolicyKind::Identity => "InvalidParameter.PolicyDocument.Length",
                PolicyKind::Trust => "InvalidParameter.AssumeRolePolicyDocument.Length",
                PolicyKind::Session => "InvalidParameter.PolicySize",
                PolicyKind::Bucket => "InvalidPolicyDocument",
            },
        }
    }

    /// The error message sent with [`PolicyError::code`] (docs/protocol/sts.md#assumerole,
    /// docs/protocol/ram.md#ram-error-codes).
    pub fn message(&self) -> String {
        match self {
            Self::Malformed {
                kind: PolicyKind::Session,
                ..
            } => GRAMMAR_MESSAGE.to_owned(),
            Self::Malformed { detail, .. } => detail.clone(),
            Self::TooLong { kind, limit, .. } => too_long_message(*kind, *limit),
        }
    }

    /// The kind of document that was rejected.
    pub const fn kind(&self) -> PolicyKind {
        match self {
            Self::TooLong { kind, .. } | Self::Malformed { kind, .. } => *kind,
        }
    }
}

/// The size-limit message of each kind.
fn too_long_message(kind: PolicyKind, limit: usize) -> String {
    match kind {
        PolicyKind::Identity => {
            r#"The parameter - "PolicyDocument" beyond the length limit."#.to_owned()
        }
        PolicyKind::Trust => {
            r#"The parameter - "AssumeRolePolicyDocument" beyond the length limit."#.to_owned()
        }
        PolicyKind::Session => format!("The size of Policy must be smaller than {limit} bytes."),
        PolicyKind::Bucket => format!("The policy document is larger than {limit} bytes."),
    }
}
