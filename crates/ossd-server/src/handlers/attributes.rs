//! S3's GetObjectAttributes (`GET /<key>?attributes`, S3 API reference, GetObjectAttributes) and
//! the parts of an object that it and `GET|HEAD /<key>?partNumber=N` read
//! (docs/protocol/s3-chunked.md#multipart-checksums).

use ossd_meta::{DataRef, ObjectPart, ObjectRecord, StoredChecksum};
use ossd_proto::error::OssError;
use ossd_proto::params::Params;
use ossd_proto::time_fmt::rfc1123;
use ossd_proto::xml::{AttributePart, GetObjectAttributesResponse, ObjectParts};
use ossd_types::{ETag, ObjectType};

use crate::AppState;
use crate::handlers::checksum;
use crate::handlers::put::version_header;
use crate::pipeline::ctx::Ctx;
use crate::pipeline::errors::store_error;
use crate::transport::response::{Resp, set, xml};

/// The attributes `x-amz-object-attributes` may name.
const ATTRIBUTES: [&str; 5] = [
    "ETag",
    "Checksum",
    "ObjectParts",
    "StorageClass",
    "ObjectSize",
];

/// `GET /<key>?attributes` with `x-amz-object-attributes`.
pub(super) async fn get_object_attributes(state: &AppState, ctx: &Ctx) -> Result<Resp, OssError> {
    let p = ctx.params(Params::attributes)?;
    let wanted = requested(ctx.header("x-amz-object-attributes"))?;
    let has = |name: &str| wanted.contains(&name);
    let rec = state
        .store
        .head_object_meta(ctx.bucket(), ctx.key(), p.version_id.as_deref())
        .await
        .map_err(|e| store_error(e, ctx))?;
    let object_parts =
        (has("ObjectParts") && rec.object_type == ObjectType::Multipart).then(|| {
            let all = parts_of(&rec);
            let page: Vec<&ObjectPart> = all
                .iter()
                .filter(|part| part.number > p.part_number_marker)
                .take(p.max_parts)
                .collect();
            let next = page.last().map_or(p.part_number_marker, |part| part.number);
            ObjectParts {
                parts_count: all.len(),
                part_number_marker: p.part_number_marker,
                next_part_number_marker: next,
                max_parts: p.max_parts,
                is_truncated: all.iter().any(|part| part.number > next),
                parts: page
                    .into_iter()
                    .map(|part| AttributePart {
                        part_number: part.number,
                        size: part.size,
                        checksum: checksum::element(ctx, part.checksum.as_ref()),
                    })
                    .collect(),
            }
        });
    let doc = GetObjectAttributesResponse {
        etag: has("ETag").then(|| ETag::from_inner(rec.etag.clone())),
        checksum: checksum::element(ctx, rec.checksum.as_ref().filter(|_| has("Checksum"))),
        object_parts,
        storage_class: has("StorageClass").then_some(rec.storage_class),
        object_size: has("ObjectSize").then_some(rec.size),
    };
    let mut resp = xml(doc.to_xml());
    set(&mut resp, "last-modified", rfc1123(rec.last_modified_ms));
    version_header(&mut resp, ctx, &rec);
    Ok(resp)
}

/// The attribute names of `x-amz-object-attributes` (comma-separated; at least one, each
/// known; else 400 `InvalidArgument`).
fn requested(header: Option<&str>) -> Result<Vec<&'static str>, OssError> {
    let invalid = || OssError::invalid_argument("Invalid attribute name specified.");
    let header = header.ok_or_else(invalid)?;
    let mut out = Vec::new();
    for name in header.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let known = ATTRIBUTES
            .iter()
            .find(|a| a.eq_ignore_ascii_case(name))
            .ok_or_else(invalid)?;
        out.push(*known);
    }
    if out.is_empty() {
        return Err(invalid());
    }
    Ok(out)
}

/// The parts of an object: a multipart object's as completed (numbered by their data pieces
/// when completed before parts were recorded), else one part of the whole object.
pub(super) fn parts_of(rec: &ObjectRecord) -> Vec<ObjectPart> {
    if !rec.parts.is_empty() {
        return rec.parts.clone();
    }
    if rec.object_type == ObjectType::Multipart
        && let DataRef::Parts(pieces) = &rec.data
        && !pieces.is_empty()
    {
        return (1u32..)
            .zip(pieces)
            .map(|(number, piece)| ObjectPart {
                number,
                size: piece.size,
                checksum: None,
            })
            .collect();
    }
    vec![ObjectPart {
        number: 1,
        size: rec.size,
        checksum: rec.checksum.clone(),
    }]
}

/// Part `number` of an object, as an S3 `partNumber` read serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PartRead {
    /// Its first byte in the object.
    pub(super) offset: u64,
    /// Its length.
    pub(super) size: u64,
    /// How many parts the object has (`x-amz-mp-parts-count`; multipart objects only).
    pub(super) count: Option<usize>,
    /// The part's checksum, typed as the object's (`x-amz-checksum-*` with checksum mode).
    pub(super) checksum: Option<StoredChecksum>,
}

/// Part `number` of `rec`: 1 to 10000 (else 400 `InvalidArgument`) and one of its parts (else
/// 400 `InvalidPart`, as S3-compatible servers answer).
pub(super) fn part_read(rec: &ObjectRecord, number: u32) -> Result<PartRead, OssError> {
    if !(1..=ossd_store::MAX_PART_NUMBER).contains(&number) {
        return Err(OssError::invalid_argument(
            "Part number must be an integer between 1 and 10000, inclusive.",
        ));
    }
    let parts = parts_of(rec);
    let index = parts
        .iter()
        .position(|p| p.number == number)
        .ok_or_else(OssError::invalid_part)?;
    let offset = parts[..index].iter().map(|p| p.size).sum();
    let part = &parts[index];
    let composite = rec.checksum.as_ref().is_some_and(|c| c.composite);
    Ok(PartRead {
        offset,
        size: part.size,
        count: (rec.object_type == ObjectType::Multipart).then_some(parts.len()),
        checksum: part
            .checksum
            .clone()
            .map(|c| StoredChecksum { composite, ..c }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_names_are_checked() {
        assert_eq!(
            requested(Some("ETag, ObjectSize")).ok(),
            Some(vec!["ETag", "ObjectSize"])
        );
        assert!(requested(Some("Size")).is_err());
        assert!(requested(None).is_err());
        assert!(requested(Some(" , ")).is_err());
    }
}
