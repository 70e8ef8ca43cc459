//! The OSS wire: request classification and parsing, XML bodies, error documents.
//!
//! Everything here is pure: it turns the raw parts of an HTTP request (method, Host, raw path,
//! raw query, headers) into a resolved [`request::Target`], decoded query parameters and an
//! [`op::Operation`], and turns results and errors into the XML the SDKs parse.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

pub mod error;
pub mod op;
pub mod params;
pub mod request;
pub mod time_fmt;
pub mod xml;
