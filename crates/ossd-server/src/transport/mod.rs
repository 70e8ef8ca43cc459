//! HTTP transport: the listener (plain or TLS, connection limits, idle timeouts), streaming
//! request and response bodies, response building and compression.

pub(crate) mod body;
pub(crate) mod compress;
pub(crate) mod listener;
pub(crate) mod response;
pub(crate) mod s3_render;
