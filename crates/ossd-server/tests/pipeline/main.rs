//! Integration tests of the request pipeline over HTTP against an in-process server
//! (`tests/support`): routing, the order of checks (docs/security.md, "Order of checks"), the
//! error paths and their documents, and authorization of every operation class.

// Clients sign with the real time, as the SDKs do.
#![allow(clippy::disallowed_methods)]

#[path = "../support/mod.rs"]
mod support;

mod authz_absent;
mod authz_acl;
mod authz_identities;
mod aws_sts;
mod check_order;
mod console;
mod console_browser;
mod console_download;
mod console_objects;
mod errors;
mod routing;
mod s3_dialect;
mod signatures;
mod simulator;
