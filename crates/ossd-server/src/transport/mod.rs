//! HTTP transport: the listener (plain or TLS, connection limits, idle timeouts), streaming
//! request bodies (as received, or S3 `aws-chunked` decoded and checked) and response bodies, response building and compression.

pub(crate) mod body;
#[allow(
    dead_code,
    reason = "the S3 dialect constructs decoded bodies; until it is routed only tests do"
)]
pub(crate) mod chunked_body;
pub(crate) mod compress;
pub(crate) mod listener;
pub(crate) mod response;
pub(crate) mod s3_body;
pub(crate) mod s3_render;
