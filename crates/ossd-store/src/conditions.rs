//! Conditional requests against a stored version: the [`Conditions`] (`ossd-types`) evaluated
//! against an [`ObjectRecord`] (docs/protocol/objects.md#getobject).

use ossd_meta::ObjectRecord;
use ossd_types::ETag;

use crate::ObjectBody;

pub use ossd_types::{ConditionFailure, Conditions};

/// Evaluates `c` against `rec` in the order of RFC 7232 section 6 ([`Conditions::check`]).
pub fn check_conditions(rec: &ObjectRecord, c: &Conditions) -> Result<(), ConditionFailure> {
    let etag = ETag::from_inner(rec.etag.clone());
    c.check(&etag, rec.last_modified_ms.div_euclid(1000))
}

/// Evaluates `c` against what a GET or HEAD of `body` answers with: for a symlink its target's
/// ETag and the later of the two modification times ([`ObjectBody::etag`],
/// [`ObjectBody::last_modified_ms`]); for any other object its own record.
pub fn check_body_conditions(body: &ObjectBody, c: &Conditions) -> Result<(), ConditionFailure> {
    let etag = ETag::from_inner(body.etag().to_owned());
    c.check(&etag, body.last_modified_ms().div_euclid(1000))
}
