//! Small object responses: CopyObject (docs/protocol/objects.md#copyobject),
//! UploadPartCopy (docs/protocol/multipart.md#uploadpartcopy), PostObject 201
//! (docs/protocol/post-object.md#response).

use super::writer::XmlWriter;
use crate::time_fmt::iso8601_ms;
use ossd_types::ETag;

/// The CopyObject response, `<CopyObjectResult><ETag/><LastModified/>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyObjectResult {
    /// The new object's ETag.
    pub etag: ETag,
    /// The new object's modification time, Unix milliseconds.
    pub last_modified_ms: i64,
}

impl CopyObjectResult {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("CopyObjectResult", |w| {
            w.elem("ETag", &self.etag.quoted())
                .elem("LastModified", &iso8601_ms(self.last_modified_ms));
        });
        w.finish()
    }
}

/// The UploadPartCopy response, `<CopyPartResult><LastModified/><ETag/>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyPartResult {
    /// The part's modification time, Unix milliseconds.
    pub last_modified_ms: i64,
    /// The part's ETag (also send it as the `ETag` header: ali-oss reads only that).
    pub etag: ETag,
}

impl CopyPartResult {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("CopyPartResult", |w| {
            w.elem("LastModified", &iso8601_ms(self.last_modified_ms))
                .elem("ETag", &self.etag.quoted());
        });
        w.finish()
    }
}

/// The PostObject response for `success_action_status=201`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostResponse {
    /// Bucket name.
    pub bucket: String,
    /// The object URL.
    pub location: String,
    /// The object key.
    pub key: String,
    /// The object's ETag.
    pub etag: ETag,
}

impl PostResponse {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("PostResponse", |w| {
            w.elem("Bucket", &self.bucket)
                .elem("Location", &self.location)
                .elem("Key", &self.key)
                .elem("ETag", &self.etag.quoted());
        });
        w.finish()
    }
}
