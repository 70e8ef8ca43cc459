//! RPC (POP) request signatures for the STS and RAM endpoints (docs/protocol/rpc.md), sans I/O.
//!
//! [`collect_params`] gathers the decoded query and form parameters; [`RpcAuth::parse`] detects
//! v1 (HMAC-SHA1) or V3 (`ACS3-HMAC-SHA256`) and extracts the credentials; [`verify`] checks
//! the timestamp window and then the signature. Key lookup, STS token checks and nonce replay
//! detection (via [`RpcAuth::replay_key`]) are the caller's. The signing helpers share the
//! canonicalisation code with verification.

mod acs3;
mod auth;
mod error;
mod params;
mod parse;
mod timestamp;
mod v1;
mod verify;
mod view;

pub use acs3::{
    ACS3_ALGORITHM, CONTENT_SHA256_HEADER, acs3_canonical_query, acs3_canonical_request,
    acs3_signature, acs3_string_to_sign, content_sha256, sign_acs3,
};
pub use auth::{RpcAuth, RpcScheme};
pub use error::{RpcSigError, SIGNATURE_MISMATCH_PREFIX};
pub use params::{RpcParams, collect_params, is_form_urlencoded};
pub use parse::MAX_NONCE_LEN;
pub use timestamp::{NONCE_RETENTION_SECS, format_rpc_timestamp, parse_rpc_timestamp};
pub use v1::{
    V1Variant, sign_v1, sign_v1_variant, v1_canonicalized_query, v1_matching_variant, v1_signature,
    v1_string_to_sign,
};
pub use verify::verify;
pub use view::RpcView;
