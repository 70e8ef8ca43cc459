//! The OSS wire (and the S3 dialect over the same model, [`s3`]): request classification and parsing, XML bodies, error documents.
//!
//! Everything here is pure: it turns the raw parts of an HTTP request (method, Host, raw path,
//! raw query, headers) into a resolved [`request::Target`], decoded query parameters and an
//! [`op::Operation`], and turns results and errors into the XML the SDKs parse. It also holds the
//! pure rules applied to requests: header parsing ([`headers`]), the CORS ([`cors`]) and Referer
//! ([`referer`]) matchers, and PostObject policy documents ([`post_policy`]).
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

pub mod cors;
pub mod dialect;
pub mod error;
pub mod headers;
pub mod op;
pub mod params;
pub mod post_policy;
pub mod referer;
pub mod request;
pub mod s3;
pub mod time_fmt;
pub mod xml;
