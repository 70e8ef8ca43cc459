//! DeleteMultipleObjects (docs/protocol/objects.md#deletemultipleobjects): the `<Delete>` request
//! and the `<DeleteResult>` response.

use super::list::write_encoding_type;
use super::reader::{Node, parse_bool, parse_key_document};
use super::writer::{XmlWriter, is_xml_char};
use crate::error::OssError;

/// The most `<Object>` entries one request may name; more is `MalformedXML`.
pub const MAX_DELETE_OBJECTS: usize = 1000;
/// The largest `<Delete>` body accepted (1000 keys of 1023 bytes, fully escaped, fit).
pub const MAX_DELETE_BODY_BYTES: usize = 8 * 1024 * 1024;

/// One `<Object>` of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectToDelete {
    /// The key, exactly as sent (never trimmed; not URL-decoded; may be empty).
    pub key: String,
    /// `<VersionId>`; an empty element counts as absent.
    pub version_id: Option<String>,
}

/// The DeleteMultipleObjects request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteObjectsRequest {
    /// `<Quiet>true</Quiet>`: report nothing (default false).
    pub quiet: bool,
    /// 1 to [`MAX_DELETE_OBJECTS`] objects, in request order.
    pub objects: Vec<ObjectToDelete>,
}

impl DeleteObjectsRequest {
    /// Parses the body; no objects, more than 1000, or an object without a `<Key>` element is
    /// `MalformedXML`. An empty key is kept (the caller reports it as deleted).
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        let root = parse_key_document(body, MAX_DELETE_BODY_BYTES, "Delete")?;
        let quiet = match root.child_text("Quiet")? {
            Some(q) => parse_bool(q)?,
            None => false,
        };
        let count = root.children_named("Object").count();
        if count == 0 || count > MAX_DELETE_OBJECTS {
            return Err(OssError::malformed_xml());
        }
        let objects = root
            .children_named("Object")
            .map(parse_object)
            .collect::<Result<_, _>>()?;
        Ok(Self { quiet, objects })
    }
}

fn parse_object(node: &Node) -> Result<ObjectToDelete, OssError> {
    let key = node.required_text("Key")?;
    let version_id = node.child_text("VersionId")?.filter(|v| !v.is_empty());
    // Only keys may hold characters outside XML 1.0 (see `parse_key_document`).
    if version_id.is_some_and(|v| !v.chars().all(is_xml_char)) {
        return Err(OssError::malformed_xml());
    }
    Ok(ObjectToDelete {
        key: key.to_owned(),
        version_id: version_id.map(str::to_owned),
    })
}

/// One `<Deleted>` entry of the response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeletedEntry {
    /// The key as requested.
    pub key: String,
    /// `<VersionId>`: the version deleted, or the one given.
    pub version_id: Option<String>,
    /// `<DeleteMarker>true</DeleteMarker>`: a delete marker was created or removed.
    pub delete_marker: bool,
    /// `<DeleteMarkerVersionId>`.
    pub delete_marker_version_id: Option<String>,
}

/// An entry the request named and did not delete (S3's `<Error>` element of DeleteObjects:
/// "for each key, Amazon S3 performs a delete operation and returns the result of that delete,
/// success or failure", S3 API reference, DeleteObjects).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteErrorEntry {
    /// The key as requested.
    pub key: String,
    /// The version the entry named, if any.
    pub version_id: Option<String>,
    /// The error code (`AccessDenied`).
    pub code: &'static str,
    /// The error message.
    pub message: String,
}

/// The DeleteMultipleObjects response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteResult {
    /// Quiet mode: no `<Deleted>` entries (`<Error>` entries are still written).
    pub quiet: bool,
    /// `encoding-type=url`: writes `<EncodingType>` and percent-encodes keys.
    pub encoding_url: bool,
    /// The entries, in request order (keys that did not exist are reported too).
    pub deleted: Vec<DeletedEntry>,
    /// The entries not deleted, in request order (only the S3 dialect reports any).
    pub errors: Vec<DeleteErrorEntry>,
}

impl DeleteResult {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("DeleteResult", |w| {
            if self.quiet && self.errors.is_empty() {
                return;
            }
            write_encoding_type(w, self.encoding_url);
            if !self.quiet {
                for d in &self.deleted {
                    w.node("Deleted", |w| write_deleted(w, d, self.encoding_url));
                }
            }
            for e in &self.errors {
                w.node("Error", |w| {
                    w.elem_key("Key", &e.key, self.encoding_url)
                        .elem_opt("VersionId", e.version_id.as_deref())
                        .elem("Code", e.code)
                        .elem("Message", &e.message);
                });
            }
        });
        w.finish()
    }
}

fn write_deleted(w: &mut XmlWriter, d: &DeletedEntry, url: bool) {
    w.elem_key("Key", &d.key, url)
        .elem_opt("VersionId", d.version_id.as_deref());
    if d.delete_marker {
        w.elem("DeleteMarker", "true");
    }
    w.elem_opt(
        "DeleteMarkerVersionId",
        d.delete_marker_version_id.as_deref(),
    );
}
