//! Validated values shared by every ossd crate: names, keys, ACLs, storage classes, ETags, bucket
//! lifecycle rules ([`lifecycle`]), the [`BucketConfig`] trait of bucket configuration documents,
//! the [`Conditions`] of conditional requests, and the [`Clock`] through which pure crates learn
//! the time.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod acl;
mod bucket_config;
mod clock;
mod conditions;
mod etag;
pub mod lifecycle;
mod names;

pub use acl::{BucketAcl, ObjectAcl, ObjectType, StorageClass, VersioningState};
pub use bucket_config::BucketConfig;
pub use clock::{
    Clock, FixedClock, MAX_CLOCK_OFFSET_SECS, OffsetClock, OffsetOutOfRange, SystemClock,
};
pub use conditions::{ConditionFailure, Conditions};
pub use etag::{ETag, quote_etag};
pub use names::{AccountId, BucketName, MAX_KEY_BYTES, ObjectKey};

/// The version id of objects written while versioning is not enabled.
pub const NULL_VERSION: &str = "null";

/// A value failed validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TypesError {
    /// Bucket name outside `[a-z0-9-]{3,63}` or not starting/ending with a letter or digit.
    #[error("the specified bucket is not valid")]
    InvalidBucketName,
    /// Object key empty, longer than [`MAX_KEY_BYTES`], or starting with `/` or `\`.
    #[error("the specified object name is not valid")]
    InvalidObjectName,
    /// An enumerated value (ACL, storage class, ...) that is not one of the known spellings.
    #[error("invalid {what}: {value}")]
    InvalidValue {
        /// What kind of value was expected.
        what: &'static str,
        /// The value received.
        value: String,
    },
}
