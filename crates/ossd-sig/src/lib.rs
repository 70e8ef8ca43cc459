//! OSS V1/V2/V4 and AWS V4/V2 request signatures (header and URL), sans I/O.
//!
//! [`parse`] detects the scheme of a request described by a [`SigningView`] and extracts its
//! credentials; [`verify`] checks time and then the signature against the AccessKey secret.
//! The signing helpers share the same canonicalisation code, for clients and tests.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod auth;
mod aws_presign;
mod aws_v2;
mod aws_v4;
pub mod checksum;
pub mod chunked;
mod crypto;
mod dates;
mod encode;
mod error;
mod fields;
mod key_cache;
mod oss_request;
mod parse;
mod post;
mod presign;
pub mod rpc;
mod scope;
mod sign;
mod token;
mod v1;
mod v2;
mod v4;
mod verify;
mod view;
mod window;

pub use auth::{AuthRequest, Scheme};
pub use aws_v2::{aws_v2_canonicalized_resource, aws_v2_header_date, aws_v2_string_to_sign};
pub use aws_v4::{
    AWS_V4_ALGORITHM, AwsUriForm, aws_v4_canonical_request, aws_v4_canonical_uri,
    aws_v4_payload_hash, aws_v4_string_to_sign, aws_v4_uri_forms,
};
pub use crypto::{aws_v4_signing_key, v1_signature, v2_signature, v4_signature, v4_signing_key};
pub use dates::{
    format_iso8601_basic, format_rfc1123, parse_aws_http_date, parse_iso8601_basic, parse_rfc1123,
};
pub use encode::{uri_encode, uri_encode_path};
pub use error::{SigError, hex_bytes};
pub use fields::normalize_additional_headers;
pub use key_cache::SigningKeyCache;
pub use oss_request::{
    OSS_PRODUCT, OssRequest, SignedOssRequest, SigningCredentials, oss_path_and_query,
    oss_query_params, sign_oss_request,
};
pub use parse::parse;
pub use post::{
    post_policy_aws_v2_signature, post_policy_aws_v4_signature, post_policy_v1_signature,
    post_policy_v4_signature, verify_post_policy_aws_v2, verify_post_policy_aws_v4,
    verify_post_policy_v1, verify_post_policy_v4,
};
pub use presign::MAX_V4_EXPIRES;
pub use scope::{Scope, ScopeFamily};
pub use sign::{
    aws_v2_authorization, aws_v2_presign_signature, aws_v4_authorization, aws_v4_presign,
    v1_authorization, v1_presign_signature, v2_authorization, v4_authorization,
    v4_presign_signature,
};
pub use v1::{V1QueryKey, header_date, v1_string_to_sign};
pub use v2::v2_string_to_sign;
pub use v4::{
    EmptyValueForm, UNSIGNED_PAYLOAD, V4_ALGORITHM, missing_additional_header,
    v4_canonical_request, v4_string_to_sign,
};
pub use verify::{VerifyTime, verify, verify_at};
pub use view::{QueryParam, SigningView};
pub use window::MAX_SKEW_SECS;
