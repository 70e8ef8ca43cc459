//! The OSS wire: request classification and parsing, XML bodies, error documents.
//!
//! Everything here is pure: it turns the raw parts of an HTTP request (method, Host, raw path,
//! raw query, headers) into a resolved [`request::Target`], decoded query parameters and an
//! [`op::Operation`], and turns results and errors into the XML the SDKs parse.

pub mod error;
pub mod op;
pub mod request;
pub mod time_fmt;
pub mod xml;
