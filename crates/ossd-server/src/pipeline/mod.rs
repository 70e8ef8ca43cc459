//! The request pipeline: parse (the request context, headers), authenticate, authorize (the
//! policy context, the read checks), hand to the handler, and map failures to OSS errors.
//! [`dispatch::handle`] runs it for every request.

pub(crate) mod auth;
pub(crate) mod ctx;
pub(crate) mod dispatch;
pub(crate) mod errors;
pub(crate) mod headers;
pub(crate) mod policy_ctx;
pub(crate) mod public_endpoint;
pub(crate) mod read_auth;
