//! The RAM policy language: parse, validate, evaluate (docs/protocol/policy.md,
//! docs/protocol/authorization.md). Pure: no I/O, no clock (the request time comes in through
//! [`RequestContext`]).
//!
//! [`Policy::parse`] validates a document of a [`PolicyKind`] and maps every failure to RAM's error
//! codes ([`PolicyError::code`]). [`evaluate`] answers one [`Request`] against a set of policies
//! (Deny first, then Allow, else implicit deny). The `authorize_*` functions combine the sets the
//! protocol notes define: identity policies, the STS session gate, the account root, AssumeRole
//! (identity AND trust) and OSS requests (RAM policies, bucket policy, owner, ACL), returning an
//! [`Authorization`] whose [`DenyReason`] maps to the AccessDenied details of
//! docs/protocol/access-denied.md. [`oss_action`] is the one table from OSS API operation to RAM
//! action and resource.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod action;
mod arn;
mod bucket_policy;
mod caller;
mod combine;
mod condition;
mod context;
mod document;
mod error;
mod evaluate;
mod json;
pub mod keys;
mod kind;
mod oss_actions;
mod parse;
mod principal;
mod public;
mod public_access;
mod reason;
mod request;
mod system;
mod wildcard;

pub use action::action_matches;
pub use arn::{ram_resource_arn, ram_role_arn, resource_matches};
pub use bucket_policy::BucketPolicyDocument;
pub use caller::Caller;
pub use combine::{
    OssTarget, RoleTarget, Subject, authorize_assume_role, authorize_identity, authorize_oss,
    authorize_ram, authorize_session,
};
pub use condition::operator_names as condition_operators;
pub use context::RequestContext;
pub use document::{Effect, Policy, Statement};
pub use error::PolicyError;
pub use evaluate::{Decision, Evaluation, MatchedStatement, evaluate};
pub use kind::{
    MAX_BUCKET_POLICY_BYTES, MAX_IDENTITY_POLICY_CHARS, MAX_SESSION_POLICY_CHARS,
    MAX_TRUST_POLICY_CHARS, PolicyKind,
};
pub use oss_actions::{
    Access, AclGrant, OssAction, ResourceLevel, S3Alias, actions_markdown, oss_action, oss_actions,
    oss_resource_arn, rows, s3_action, s3_aliases,
};
pub use public_access::PublicAccessBlock;
pub use reason::{AllowReason, Authorization, DenyReason, NoPermissionType, Outcome, PolicyType};
pub use request::Request;
pub use system::{system_policies, system_policy, system_policy_default_version};
pub use wildcard::matches_ignore_ascii_case as wildcard_matches_ignore_ascii_case;
