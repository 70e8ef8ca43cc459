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
    UnknownGrantee, canned_from_grants, check_acl_document, check_grant_headers, check_grantees,
    grants_xml,
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

use crate::op::{ClassifyError, Operation};
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
/// GetObjectAttributes), `PUT|GET|DELETE /?ownershipControls` the bucket's Object Ownership
/// (S3 API reference, PutBucketOwnershipControls …); an OSS request with those queries stays
/// what [`crate::op::classify`] made of it. Another method with `?ownershipControls` is
/// `MethodNotAllowed`.
pub fn s3_operation(op: Operation, query: &[QueryParam]) -> Result<Operation, ClassifyError> {
    use Operation::*;
    if query_has(query, "ownershipControls") {
        return match op {
            PutBucket => Ok(PutBucketOwnershipControls),
            ListObjects | ListObjectsV2 => Ok(GetBucketOwnershipControls),
            DeleteBucket => Ok(DeleteBucketOwnershipControls),
            HeadBucket => Err(ClassifyError::MethodNotAllowed),
            other => Ok(other),
        };
    }
    Ok(match op {
        GetObject if query_has(query, "attributes") => GetObjectAttributes,
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_is_its_own_operation_in_s3() {
        let q = crate::request::parse_query("attributes").unwrap_or_default();
        assert_eq!(
            s3_operation(Operation::GetObject, &q),
            Ok(Operation::GetObjectAttributes)
        );
        assert_eq!(
            s3_operation(Operation::HeadObject, &q),
            Ok(Operation::HeadObject)
        );
        assert_eq!(
            s3_operation(Operation::GetObject, &[]),
            Ok(Operation::GetObject)
        );
    }

    #[test]
    fn ownership_controls_are_their_own_operations_in_s3() {
        use crate::op::classify;
        let q = crate::request::parse_query("ownershipControls").unwrap_or_default();
        assert_eq!(unsupported_subresource(&q), None);
        let s3 = |method: &str| {
            classify(method, true, false, &q, false).and_then(|op| s3_operation(op, &q))
        };
        assert_eq!(s3("PUT"), Ok(Operation::PutBucketOwnershipControls));
        assert_eq!(s3("GET"), Ok(Operation::GetBucketOwnershipControls));
        assert_eq!(s3("DELETE"), Ok(Operation::DeleteBucketOwnershipControls));
        assert_eq!(s3("HEAD"), Err(ClassifyError::MethodNotAllowed));
        assert_eq!(s3("POST"), Err(ClassifyError::MethodNotAllowed));
        let listing = crate::request::parse_query("list-type=2").unwrap_or_default();
        assert_eq!(
            s3_operation(Operation::ListObjectsV2, &listing),
            Ok(Operation::ListObjectsV2)
        );
    }
}
