//! Versioning (docs/protocol/versioning.md): `<VersioningConfiguration>` and ListObjectVersions'
//! `ListVersionsResult`.

use super::list::{write_common_prefixes, write_encoding_type};
use super::reader::{MAX_CONFIG_BODY_BYTES, parse_document};
use super::service::Owner;
use super::writer::XmlWriter;
use crate::error::OssError;
use crate::time_fmt::iso8601_ms;
use ossd_types::{ETag, ObjectType, StorageClass, VersioningState};

/// The PutBucketVersioning body and GetBucketVersioning response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersioningConfiguration {
    /// The state; `Disabled` serializes as `<VersioningConfiguration/>` and is never parsed.
    pub status: VersioningState,
}

impl VersioningConfiguration {
    /// Parses a PUT body: `Status` must be `Enabled` or `Suspended`, else `InvalidArgument`.
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        let root = parse_document(body, MAX_CONFIG_BODY_BYTES, "VersioningConfiguration")?;
        let status = match root.child_text("Status")?.map(str::trim) {
            Some("Enabled") => VersioningState::Enabled,
            Some("Suspended") => VersioningState::Suspended,
            _ => {
                return Err(OssError::invalid_argument(
                    "The Versioning element must be specified.",
                ));
            }
        };
        Ok(Self { status })
    }

    /// The GET document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        match self.status {
            VersioningState::Disabled => w.empty("VersioningConfiguration"),
            s => w.node("VersioningConfiguration", |w| {
                w.elem("Status", s.as_str());
            }),
        };
        w.finish()
    }
}

/// A `<Version>` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// The key.
    pub key: String,
    /// The version id (`null` for the null version).
    pub version_id: String,
    /// Whether this is the current version.
    pub is_latest: bool,
    /// Last modification, Unix milliseconds.
    pub last_modified_ms: i64,
    /// The ETag, written quoted.
    pub etag: ETag,
    /// `<Type>`.
    pub object_type: ObjectType,
    /// Size in bytes.
    pub size: u64,
    /// Storage class.
    pub storage_class: StorageClass,
    /// `<RestoreInfo>` (the `x-oss-restore` value) once a restore was requested.
    pub restore_info: Option<String>,
    /// The owner.
    pub owner: Owner,
}

/// A `<DeleteMarker>` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteMarkerInfo {
    /// The key.
    pub key: String,
    /// The marker's version id.
    pub version_id: String,
    /// Whether the marker is the current version.
    pub is_latest: bool,
    /// When the marker was created, Unix milliseconds.
    pub last_modified_ms: i64,
    /// The owner.
    pub owner: Owner,
}

/// One listing entry; entries are written in the given order (key ascending, newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionEntry {
    /// An object version.
    Version(VersionInfo),
    /// A delete marker.
    DeleteMarker(DeleteMarkerInfo),
}

/// Where a truncated version listing continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionMarker {
    /// `<NextKeyMarker>`.
    pub key: String,
    /// `<NextVersionIdMarker>`.
    pub version_id: String,
}

/// The ListObjectVersions response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListVersionsResult {
    /// Bucket name.
    pub name: String,
    /// The request's `prefix` (empty when absent).
    pub prefix: String,
    /// The request's `key-marker` (empty when absent).
    pub key_marker: String,
    /// The request's `version-id-marker` (empty when absent).
    pub version_id_marker: String,
    /// The effective `max-keys`.
    pub max_keys: u32,
    /// The request's `delimiter` (empty when absent).
    pub delimiter: String,
    /// `encoding-type=url`: writes `<EncodingType>`, percent-encodes keys, prefixes, key markers.
    pub encoding_url: bool,
    /// Set when truncated: writes `<IsTruncated>true`, `<NextKeyMarker>`, `<NextVersionIdMarker>`.
    pub next_marker: Option<VersionMarker>,
    /// The entries.
    pub entries: Vec<VersionEntry>,
    /// The common prefixes, in order.
    pub common_prefixes: Vec<String>,
}

impl ListVersionsResult {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let url = self.encoding_url;
        let mut w = XmlWriter::new();
        w.node("ListVersionsResult", |w| {
            w.elem("Name", &self.name)
                .elem_key("Prefix", &self.prefix, url)
                .elem_key("KeyMarker", &self.key_marker, url)
                .elem("VersionIdMarker", &self.version_id_marker)
                .elem_display("MaxKeys", self.max_keys)
                .elem_key("Delimiter", &self.delimiter, url)
                .elem_display("IsTruncated", self.next_marker.is_some());
            if let Some(next) = &self.next_marker {
                w.elem_key("NextKeyMarker", &next.key, url)
                    .elem("NextVersionIdMarker", &next.version_id);
            }
            write_encoding_type(w, url);
            self.entries.iter().for_each(|e| write_entry(w, e, url));
            write_common_prefixes(w, &self.common_prefixes, url);
        });
        w.finish()
    }
}

fn write_entry(w: &mut XmlWriter, entry: &VersionEntry, url: bool) {
    match entry {
        VersionEntry::Version(v) => w.node("Version", |w| {
            write_head(
                w,
                &v.key,
                &v.version_id,
                v.is_latest,
                v.last_modified_ms,
                url,
            );
            w.elem("ETag", &v.etag.quoted())
                .elem("Type", v.object_type.as_str())
                .elem_display("Size", v.size)
                .elem("StorageClass", v.storage_class.as_str());
            if let Some(info) = &v.restore_info {
                w.elem("RestoreInfo", info);
            }
            v.owner.write(w);
        }),
        VersionEntry::DeleteMarker(m) => w.node("DeleteMarker", |w| {
            write_head(
                w,
                &m.key,
                &m.version_id,
                m.is_latest,
                m.last_modified_ms,
                url,
            );
            m.owner.write(w);
        }),
    };
}

fn write_head(w: &mut XmlWriter, key: &str, vid: &str, latest: bool, modified: i64, url: bool) {
    w.elem_key("Key", key, url)
        .elem("VersionId", vid)
        .elem_display("IsLatest", latest)
        .elem("LastModified", &iso8601_ms(modified));
}
