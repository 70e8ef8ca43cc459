//! The Amazon S3 dialect over the OSS request model (docs/s3.md).
//!
//! An S3 request is read into the same [`Operation`](crate::op::Operation) and typed parameters
//! as an OSS request: its `x-amz-*` headers are translated into the OSS vocabulary
//! ([`request_headers`]) and its query needs no translation (S3 and OSS share sub-resource
//! names). Responses are written by the handlers in the OSS form and then rewritten once, here:
//! headers ([`response_header`]), XML documents ([`rewrite_xml`]) and errors ([`error`]).

mod acl;
mod error;
mod headers;
mod lifecycle;
mod strict;
mod xml;

pub use acl::{
    UnknownGrantee, canned_from_grants, check_grant_headers, check_grantees, grants_xml,
};
pub use error::{S3_NAMESPACE, error_code, error_xml};
pub use headers::{
    ResponseHeader, request_headers, response_header, s3_class_name, storage_class_from_s3,
    storage_class_to_s3,
};
pub use lifecycle::lifecycle_xml;
pub(crate) use lifecycle::write_s3_filter;
pub use strict::{copy_onto_itself, copy_source_range, unreadable_key};
pub use xml::rewrite_xml;

use ossd_sig::QueryParam;

use crate::op::Operation;
use crate::request::query_has;

/// S3 sub-resources ossd does not implement: a request naming one is 501 `NotImplemented`
/// rather than being taken for a plain object or bucket request.
const UNSUPPORTED: &[&str] = &[
    "accelerate",
    "analytics",
    "encryption",
    "intelligent-tiering",
    "inventory",
    "legal-hold",
    "logging",
    "metrics",
    "notification",
    "object-lock",
    "ownershipControls",
    "replication",
    "requestPayment",
    "retention",
    "select",
    "torrent",
    "website",
];

/// The first S3 sub-resource of the query that ossd does not implement.
pub fn unsupported_subresource(query: &[QueryParam]) -> Option<&'static str> {
    UNSUPPORTED
        .iter()
        .copied()
        .find(|s| query.iter().any(|p| p.key == *s))
}

/// The operation of an S3 request classified as `op` by [`crate::op::classify`]: the S3 APIs
/// OSS does not have — `GET /<key>?attributes` is GetObjectAttributes (S3 API reference,
/// GetObjectAttributes); an OSS request with that query stays a GetObject.
pub fn s3_operation(op: Operation, query: &[QueryParam]) -> Operation {
    match op {
        Operation::GetObject if query_has(query, "attributes") => Operation::GetObjectAttributes,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_is_its_own_operation_in_s3() {
        let q = crate::request::parse_query("attributes").unwrap_or_default();
        assert_eq!(
            s3_operation(Operation::GetObject, &q),
            Operation::GetObjectAttributes
        );
        assert_eq!(
            s3_operation(Operation::HeadObject, &q),
            Operation::HeadObject
        );
        assert_eq!(
            s3_operation(Operation::GetObject, &[]),
            Operation::GetObject
        );
    }
}
