//! S3's checksum elements (`<ChecksumCRC32>` …, `<ChecksumType>`) and the GetObjectAttributes
//! response (S3 API reference, GetObjectAttributes and Checksum;
//! docs/protocol/s3-chunked.md#multipart-checksums). S3-only documents: ossd writes them for
//! requests in the S3 dialect, whose renderer adds the namespace.

use super::writer::XmlWriter;
use ossd_types::{ETag, StorageClass};

/// A checksum as S3 writes it in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumElement {
    /// The algorithm as S3 names it (`CRC32`, `CRC32C`, `CRC64NVME`, `SHA1`, `SHA256`).
    pub algorithm: String,
    /// The Base64 value (`-N` ended for a composite one).
    pub value: String,
    /// `COMPOSITE` or `FULL_OBJECT`.
    pub checksum_type: &'static str,
}

impl ChecksumElement {
    /// Writes `<Checksum<ALG>>value</…>` (and `<ChecksumType>` when `with_type`).
    pub fn write(&self, w: &mut XmlWriter, with_type: bool) {
        w.elem(&format!("Checksum{}", self.algorithm), &self.value);
        if with_type {
            w.elem("ChecksumType", self.checksum_type);
        }
    }
}

/// One `<Part>` of GetObjectAttributes' `<ObjectParts>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributePart {
    /// The part number.
    pub part_number: u32,
    /// Size in bytes.
    pub size: u64,
    /// The part's checksum, when it has one.
    pub checksum: Option<ChecksumElement>,
}

/// `<ObjectParts>` of a multipart object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectParts {
    /// How many parts the object has.
    pub parts_count: usize,
    /// The request's part-number marker.
    pub part_number_marker: u32,
    /// The last part number of this page.
    pub next_part_number_marker: u32,
    /// The page size asked for.
    pub max_parts: usize,
    /// Whether more parts follow.
    pub is_truncated: bool,
    /// The parts of this page.
    pub parts: Vec<AttributePart>,
}

/// The GetObjectAttributes response: only the attributes asked for are `Some`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetObjectAttributesResponse {
    /// `ETag` (written unquoted, as S3 does here).
    pub etag: Option<ETag>,
    /// `Checksum`.
    pub checksum: Option<ChecksumElement>,
    /// `ObjectParts` (multipart objects only).
    pub object_parts: Option<ObjectParts>,
    /// `StorageClass`.
    pub storage_class: Option<StorageClass>,
    /// `ObjectSize`.
    pub object_size: Option<u64>,
}

impl GetObjectAttributesResponse {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("GetObjectAttributesResponse", |w| {
            if let Some(etag) = &self.etag {
                w.elem("ETag", etag.inner());
            }
            if let Some(c) = &self.checksum {
                w.node("Checksum", |w| c.write(w, true));
            }
            if let Some(p) = &self.object_parts {
                w.node("ObjectParts", |w| {
                    w.elem_display("PartsCount", p.parts_count)
                        .elem_display("PartNumberMarker", p.part_number_marker)
                        .elem_display("NextPartNumberMarker", p.next_part_number_marker)
                        .elem_display("MaxParts", p.max_parts)
                        .elem_display("IsTruncated", p.is_truncated);
                    for part in &p.parts {
                        w.node("Part", |w| {
                            w.elem_display("PartNumber", part.part_number)
                                .elem_display("Size", part.size);
                            if let Some(c) = &part.checksum {
                                c.write(w, false);
                            }
                        });
                    }
                });
            }
            if let Some(class) = self.storage_class {
                w.elem("StorageClass", class.as_str());
            }
            if let Some(size) = self.object_size {
                w.elem_display("ObjectSize", size);
            }
        });
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_what_was_asked() {
        let doc = GetObjectAttributesResponse {
            etag: Some(ETag::from_inner("ABC".to_owned())),
            checksum: Some(ChecksumElement {
                algorithm: "SHA256".to_owned(),
                value: "x=-2".to_owned(),
                checksum_type: "COMPOSITE",
            }),
            object_parts: Some(ObjectParts {
                parts_count: 2,
                part_number_marker: 1,
                next_part_number_marker: 2,
                max_parts: 1,
                is_truncated: false,
                parts: vec![AttributePart {
                    part_number: 2,
                    size: 5,
                    checksum: None,
                }],
            }),
            storage_class: None,
            object_size: Some(10),
        }
        .to_xml();
        assert!(doc.contains("<ETag>ABC</ETag>"), "{doc}");
        assert!(
            doc.contains(
                "<Checksum><ChecksumSHA256>x=-2</ChecksumSHA256>\
                 <ChecksumType>COMPOSITE</ChecksumType></Checksum>"
            ),
            "{doc}"
        );
        assert!(doc.contains("<Part><PartNumber>2</PartNumber><Size>5</Size></Part>"));
        assert!(doc.contains("<ObjectSize>10</ObjectSize>") && !doc.contains("StorageClass"));
    }
}
