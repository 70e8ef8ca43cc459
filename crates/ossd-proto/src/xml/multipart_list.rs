//! Multipart listings (docs/protocol/multipart.md#listparts, #listmultipartuploads): ListParts and
//! ListMultipartUploads.

use super::list::{write_common_prefixes, write_encoding_type};
use super::service::Owner;
use super::writer::XmlWriter;
use crate::time_fmt::iso8601_ms;
use ossd_types::{ETag, StorageClass};

/// One `<Part>` of ListParts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartSummary {
    /// The part number.
    pub part_number: u32,
    /// Upload time, Unix milliseconds.
    pub last_modified_ms: i64,
    /// The part's ETag.
    pub etag: ETag,
    /// `<HashCrc64ecma>`, written when known.
    pub crc64: Option<u64>,
    /// Size in bytes.
    pub size: u64,
    /// The part's S3 checksum (S3 dialect only).
    pub checksum: Option<super::ChecksumElement>,
}

/// The ListParts response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPartsResult {
    /// Bucket name.
    pub bucket: String,
    /// The object key.
    pub key: String,
    /// The upload id.
    pub upload_id: String,
    /// The upload's storage class.
    pub storage_class: StorageClass,
    /// The request's `part-number-marker` (0 when absent).
    pub part_number_marker: u32,
    /// `<NextPartNumberMarker>`, always written (oss2 requires it): the last part returned.
    pub next_part_number_marker: u32,
    /// The effective `max-parts`.
    pub max_parts: u32,
    /// Whether more parts follow.
    pub is_truncated: bool,
    /// `encoding-type=url`: write `<EncodingType>` and percent-encode the key.
    pub encoding_url: bool,
    /// The parts, ascending.
    pub parts: Vec<PartSummary>,
    /// S3's `<ChecksumAlgorithm>` and `<ChecksumType>` of an upload initiated with one (S3
    /// dialect only).
    pub checksum: Option<(String, &'static str)>,
    /// S3's `<Initiator>` and `<Owner>` of the upload (S3 API reference, ListParts; S3 dialect
    /// only): the account, the only one here.
    pub owner: Option<Owner>,
}

impl ListPartsResult {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("ListPartsResult", |w| {
            w.elem("Bucket", &self.bucket)
                .elem_key("Key", &self.key, self.encoding_url)
                .elem("UploadId", &self.upload_id)
                .elem("StorageClass", self.storage_class.as_str())
                .elem_display("PartNumberMarker", self.part_number_marker)
                .elem_display("NextPartNumberMarker", self.next_part_number_marker)
                .elem_display("MaxParts", self.max_parts);
            write_encoding_type(w, self.encoding_url);
            w.elem_display("IsTruncated", self.is_truncated);
            if let Some((algorithm, kind)) = &self.checksum {
                w.elem("ChecksumAlgorithm", algorithm)
                    .elem("ChecksumType", kind);
            }
            self.parts.iter().for_each(|p| write_part(w, p));
            if let Some(owner) = &self.owner {
                w.node("Initiator", |w| {
                    w.elem("ID", &owner.id)
                        .elem("DisplayName", &owner.display_name);
                });
                owner.write(w);
            }
        });
        w.finish()
    }
}

fn write_part(w: &mut XmlWriter, p: &PartSummary) {
    w.node("Part", |w| {
        w.elem_display("PartNumber", p.part_number)
            .elem("LastModified", &iso8601_ms(p.last_modified_ms))
            .elem("ETag", &p.etag.quoted());
        if let Some(crc) = p.crc64 {
            w.elem_display("HashCrc64ecma", crc);
        }
        w.elem_display("Size", p.size);
        if let Some(c) = &p.checksum {
            c.write(w, false);
        }
    });
}

/// One `<Upload>` of ListMultipartUploads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadSummary {
    /// The object key.
    pub key: String,
    /// The upload id.
    pub upload_id: String,
    /// Initiation time, Unix milliseconds.
    pub initiated_ms: i64,
}

/// The ListMultipartUploads response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListMultipartUploadsResult {
    /// Bucket name.
    pub bucket: String,
    /// The request's `key-marker` (empty when absent).
    pub key_marker: String,
    /// The request's `upload-id-marker` (empty when absent).
    pub upload_id_marker: String,
    /// `<NextKeyMarker>`, always written (oss2 requires it): the last entry listed (empty page: empty).
    pub next_key_marker: String,
    /// `<NextUploadIdMarker>`, always written.
    pub next_upload_id_marker: String,
    /// The request's `delimiter` (empty when absent).
    pub delimiter: String,
    /// The request's `prefix` (empty when absent).
    pub prefix: String,
    /// The effective `max-uploads`.
    pub max_uploads: u32,
    /// Whether more uploads follow.
    pub is_truncated: bool,
    /// `encoding-type=url`: write `<EncodingType>`, percent-encode keys, markers and prefixes.
    pub encoding_url: bool,
    /// The uploads, by key then initiation time.
    pub uploads: Vec<UploadSummary>,
    /// The common prefixes, in order.
    pub common_prefixes: Vec<String>,
}

impl ListMultipartUploadsResult {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let url = self.encoding_url;
        let mut w = XmlWriter::new();
        w.node("ListMultipartUploadsResult", |w| {
            w.elem("Bucket", &self.bucket)
                .elem_key("KeyMarker", &self.key_marker, url)
                .elem("UploadIdMarker", &self.upload_id_marker)
                .elem_key("NextKeyMarker", &self.next_key_marker, url)
                .elem("NextUploadIdMarker", &self.next_upload_id_marker)
                .elem_key("Delimiter", &self.delimiter, url)
                .elem_key("Prefix", &self.prefix, url)
                .elem_display("MaxUploads", self.max_uploads);
            write_encoding_type(w, url);
            w.elem_display("IsTruncated", self.is_truncated);
            self.uploads.iter().for_each(|u| write_upload(w, u, url));
            write_common_prefixes(w, &self.common_prefixes, url);
        });
        w.finish()
    }
}

fn write_upload(w: &mut XmlWriter, u: &UploadSummary, url: bool) {
    w.node("Upload", |w| {
        w.elem_key("Key", &u.key, url)
            .elem("UploadId", &u.upload_id)
            .elem("Initiated", &iso8601_ms(u.initiated_ms));
    });
}
