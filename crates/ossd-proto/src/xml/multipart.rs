//! Multipart upload (docs/protocol/multipart.md#initiatemultipartupload, #completemultipartupload):
//! Initiate and Complete documents.

use super::list::write_encoding_type;
use super::reader::{Node, parse_document, parse_u32};
use super::writer::XmlWriter;
use crate::error::OssError;
use ossd_types::ETag;

/// The highest part number.
pub const MAX_PART_NUMBER: u32 = 10_000;
/// The largest CompleteMultipartUpload body accepted (10 000 parts, pretty-printed, fit).
pub const MAX_COMPLETE_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The InitiateMultipartUpload response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiateMultipartUploadResult {
    /// Bucket name.
    pub bucket: String,
    /// The object key.
    pub key: String,
    /// The new upload id.
    pub upload_id: String,
    /// `encoding-type=url`: percent-encode the key and write `<EncodingType>`.
    pub encoding_url: bool,
}

impl InitiateMultipartUploadResult {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("InitiateMultipartUploadResult", |w| {
            w.elem("Bucket", &self.bucket)
                .elem_key("Key", &self.key, self.encoding_url)
                .elem("UploadId", &self.upload_id);
            write_encoding_type(w, self.encoding_url);
        });
        w.finish()
    }
}

/// One `<Part>` of the Complete request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletePart {
    /// 1 to [`MAX_PART_NUMBER`].
    pub part_number: u32,
    /// The ETag as sent, surrounding whitespace and quotes removed (compare case-insensitively).
    pub etag: String,
    /// S3's `<ChecksumCRC32>` … of the part, as `(algorithm, Base64 value)`: the algorithm is
    /// the element name after `Checksum` (`CRC32`, `SHA256`, …), not checked here.
    pub checksum: Option<(String, String)>,
}

/// The CompleteMultipartUpload request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteMultipartUpload {
    /// The parts, strictly ascending by number.
    pub parts: Vec<CompletePart>,
}

impl CompleteMultipartUpload {
    /// Parses the body. No parts or a bad element is `MalformedXML`, a number outside
    /// 1–10000 `InvalidArgument`, parts not strictly ascending `InvalidPartOrder`.
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        let parts = parse_parts(body)?;
        if parts
            .windows(2)
            .any(|p| p[0].part_number >= p[1].part_number)
        {
            return Err(OssError::invalid_part_order());
        }
        Ok(Self { parts })
    }

    /// Parses the body of an S3 request: as [`Self::parse`], but a part number may be listed
    /// again right after itself, and then its last entry is the one that counts (an earlier
    /// entry names an upload of that number that a later one replaced). ceph/s3-tests'
    /// `test_multipart_resend_first_finishes_last` completes with part 1 listed twice, the
    /// re-sent upload first (docs/s3.md#known-differences). Numbers that go down are `InvalidPartOrder`.
    pub fn parse_s3(body: &[u8]) -> Result<Self, OssError> {
        let listed = parse_parts(body)?;
        let mut parts: Vec<CompletePart> = Vec::with_capacity(listed.len());
        for part in listed {
            match parts.last_mut() {
                Some(last) if last.part_number == part.part_number => *last = part,
                Some(last) if last.part_number > part.part_number => {
                    return Err(OssError::invalid_part_order());
                }
                _ => parts.push(part),
            }
        }
        Ok(Self { parts })
    }
}

/// The `<Part>` entries in the order listed, at least one (`MalformedXML` otherwise).
fn parse_parts(body: &[u8]) -> Result<Vec<CompletePart>, OssError> {
    let root = parse_document(body, MAX_COMPLETE_BODY_BYTES, "CompleteMultipartUpload")?;
    let parts = root
        .children_named("Part")
        .map(parse_part)
        .collect::<Result<Vec<_>, _>>()?;
    if parts.is_empty() {
        return Err(OssError::malformed_xml());
    }
    Ok(parts)
}

fn parse_part(node: &Node) -> Result<CompletePart, OssError> {
    let part_number = parse_u32(node.required_text("PartNumber")?)?;
    if !(1..=MAX_PART_NUMBER).contains(&part_number) {
        let msg = "Part number must be an integer between 1 and 10000, inclusive.";
        return Err(OssError::invalid_argument(msg));
    }
    let etag = node
        .required_text("ETag")?
        .trim()
        .trim_matches('"')
        .to_owned();
    let checksum = node
        .children
        .iter()
        .find_map(|c| {
            let algorithm = c.name.strip_prefix("Checksum")?;
            (!algorithm.is_empty() && algorithm != "Type").then_some((algorithm, c))
        })
        .map(|(algorithm, c)| {
            c.leaf_text()
                .map(|v| (algorithm.to_owned(), v.trim().to_owned()))
        })
        .transpose()?;
    Ok(CompletePart {
        part_number,
        etag,
        checksum,
    })
}

/// The CompleteMultipartUpload response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompleteMultipartUploadResult {
    /// `encoding-type=url`: write `<EncodingType>` and percent-encode the key.
    pub encoding_url: bool,
    /// The object URL.
    pub location: String,
    /// Bucket name.
    pub bucket: String,
    /// The object key.
    pub key: String,
    /// The object's ETag.
    pub etag: ETag,
    /// The object's S3 checksum (S3 dialect only).
    pub checksum: Option<super::ChecksumElement>,
}

impl CompleteMultipartUploadResult {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("CompleteMultipartUploadResult", |w| {
            write_encoding_type(w, self.encoding_url);
            w.elem("Location", &self.location)
                .elem("Bucket", &self.bucket)
                .elem_key("Key", &self.key, self.encoding_url)
                .elem("ETag", &self.etag.quoted());
            if let Some(c) = &self.checksum {
                c.write(w, true);
            }
        });
        w.finish()
    }
}
