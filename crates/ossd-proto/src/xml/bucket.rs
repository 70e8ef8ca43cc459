//! Bucket documents: GetBucketInfo, GetBucketLocation, ACLs and the PutBucket request body
//! (docs/protocol/buckets.md#getbucketinfo-and-getbucketlocation, #acl-documents, #putbucket).

use super::reader::{MAX_CONFIG_BODY_BYTES, Node, parse_document};
use super::service::Owner;
use super::writer::XmlWriter;
use crate::error::OssError;
use crate::time_fmt::iso8601_ms;
use ossd_types::{BucketAcl, ObjectAcl, StorageClass, VersioningState};

/// A bucket's data redundancy type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataRedundancyType {
    /// Locally redundant storage.
    Lrs,
    /// Zone-redundant storage.
    Zrs,
}

impl DataRedundancyType {
    /// The OSS spelling, `LRS` or `ZRS`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lrs => "LRS",
            Self::Zrs => "ZRS",
        }
    }

    /// Parses `LRS` / `ZRS` exactly.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "LRS" => Some(Self::Lrs),
            "ZRS" => Some(Self::Zrs),
            _ => None,
        }
    }
}

/// The PutBucket body: `<CreateBucketConfiguration>`, both fields optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateBucketConfiguration {
    /// `<StorageClass>`.
    pub storage_class: Option<StorageClass>,
    /// `<DataRedundancyType>`.
    pub data_redundancy_type: Option<DataRedundancyType>,
}

impl CreateBucketConfiguration {
    /// Parses the body (≤ [`MAX_CONFIG_BODY_BYTES`]); an unknown value is `InvalidArgument`.
    pub fn parse(body: &[u8]) -> Result<Self, OssError> {
        let root = parse_document(body, MAX_CONFIG_BODY_BYTES, "CreateBucketConfiguration")?;
        Ok(Self {
            storage_class: field(&root, "StorageClass", |s| StorageClass::parse(s).ok())?,
            data_redundancy_type: field(&root, "DataRedundancyType", DataRedundancyType::parse)?,
        })
    }
}

/// The trimmed text of child `name` parsed by `parse`; a value it rejects is `InvalidArgument`.
fn field<T>(
    root: &Node,
    name: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, OssError> {
    let text = root.child_text(name)?.map(str::trim);
    text.map(|s| parse(s).ok_or_else(|| bad_value(name, s)))
        .transpose()
}

fn bad_value(name: &str, value: &str) -> OssError {
    OssError::invalid_argument_value(&format!("Invalid {name}: {value}"), name, value)
}

/// The GetBucketInfo response, `<BucketInfo><Bucket>…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketInfo {
    /// Bucket name.
    pub name: String,
    /// Creation time, Unix milliseconds.
    pub creation_date_ms: i64,
    /// `<Location>` with the `oss-` prefix.
    pub location: String,
    /// Public endpoint host.
    pub extranet_endpoint: String,
    /// Internal endpoint host.
    pub intranet_endpoint: String,
    /// Default storage class.
    pub storage_class: StorageClass,
    /// Data redundancy type.
    pub data_redundancy_type: DataRedundancyType,
    /// `<ResourceGroupId>`, e.g. `rg-default`.
    pub resource_group_id: String,
    /// The owning account.
    pub owner: Owner,
    /// The bucket ACL.
    pub acl: BucketAcl,
    /// `<Comment>`.
    pub comment: String,
    /// Versioning state; `Disabled` (never configured) leaves `<Versioning>` out.
    pub versioning: VersioningState,
    /// `<BlockPublicAccess>`: whether Block Public Access is on for the bucket
    /// (docs/protocol/buckets.md#block-public-access).
    pub block_public_access: bool,
}

impl BucketInfo {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("BucketInfo", |w| {
            w.node("Bucket", |w| self.write_fields(w));
        });
        w.finish()
    }

    fn write_fields(&self, w: &mut XmlWriter) {
        w.elem("AccessMonitor", "Disabled")
            .elem("CreationDate", &iso8601_ms(self.creation_date_ms))
            .elem("ExtranetEndpoint", &self.extranet_endpoint)
            .elem("IntranetEndpoint", &self.intranet_endpoint)
            .elem("Location", &self.location)
            .elem("StorageClass", self.storage_class.as_str())
            .elem("TransferAcceleration", "Disabled")
            .elem("CrossRegionReplication", "Disabled")
            .elem("DataRedundancyType", self.data_redundancy_type.as_str())
            .elem("Name", &self.name)
            .elem("ResourceGroupId", &self.resource_group_id);
        self.owner.write_name_first(w);
        w.node("AccessControlList", |w| {
            w.elem("Grant", self.acl.as_str());
        });
        w.elem("Comment", &self.comment);
        if self.versioning != VersioningState::Disabled {
            w.elem("Versioning", self.versioning.as_str());
        }
        w.node("ServerSideEncryptionRule", |w| {
            w.elem("SSEAlgorithm", "None");
        });
        w.node("BucketPolicy", |w| {
            w.elem("LogBucket", "").elem("LogPrefix", "");
        });
        // ossd does not turn Block Public Access on for new buckets, as OSS does for buckets
        // created since October 2025 (docs/protocol/buckets.md#block-public-access).
        w.elem(
            "BlockPublicAccess",
            if self.block_public_access {
                "true"
            } else {
                "false"
            },
        );
    }
}

/// The GetBucketLocation response, `<LocationConstraint>oss-cn-hangzhou</LocationConstraint>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationConstraint {
    /// The location with the `oss-` prefix.
    pub location: String,
}

impl LocationConstraint {
    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.elem("LocationConstraint", &self.location);
        w.finish()
    }
}

/// The GetBucketAcl / GetObjectAcl response, `AccessControlPolicy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessControlPolicy {
    /// The owning account.
    pub owner: Owner,
    /// The `<Grant>` value.
    pub grant: &'static str,
}

impl AccessControlPolicy {
    /// A bucket's ACL document.
    pub fn bucket(owner: Owner, acl: BucketAcl) -> Self {
        Self {
            owner,
            grant: acl.as_str(),
        }
    }

    /// An object's ACL document (`default` means "inherit the bucket ACL").
    pub fn object(owner: Owner, acl: ObjectAcl) -> Self {
        Self {
            owner,
            grant: acl.as_str(),
        }
    }

    /// The response document.
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.node("AccessControlPolicy", |w| {
            self.owner.write(w);
            w.node("AccessControlList", |w| {
                w.elem("Grant", self.grant);
            });
        });
        w.finish()
    }
}
