//! ListBuckets (docs/protocol/buckets.md#listbuckets) and the `Owner` element shared by many
//! documents.

use super::bucket_tagging::BucketTagging;
use super::writer::{XmlWriter, escape_text};
use crate::time_fmt::iso8601_ms;
use ossd_types::StorageClass;

/// An account as `<Owner>` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// `<ID>`: the numeric account id.
    pub id: String,
    /// `<DisplayName>`: OSS shows the id again.
    pub display_name: String,
}

impl Owner {
    /// An owner whose display name is its id, as OSS shows accounts.
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        Self {
            display_name: id.clone(),
            id,
        }
    }

    /// Writes `<Owner><ID/><DisplayName/></Owner>`.
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        w.node("Owner", |w| {
            w.elem("ID", &self.id)
                .elem("DisplayName", &self.display_name);
        });
    }

    /// The `<Owner>` markup [`Self::write`] writes in a compact document (a listing repeats it
    /// in every entry).
    pub(crate) fn markup(&self) -> String {
        let id = escape_text(&self.id);
        let name = escape_text(&self.display_name);
        let mut out = String::with_capacity(48 + id.len() + name.len());
        out.push_str("<Owner><ID>");
        out.push_str(&id);
        out.push_str("</ID><DisplayName>");
        out.push_str(&name);
        out.push_str("</DisplayName></Owner>");
        out
    }

    /// Writes `<Owner>` with DisplayName first, as GetBucketInfo does.
    pub(crate) fn write_name_first(&self, w: &mut XmlWriter) {
        w.node("Owner", |w| {
            w.elem("DisplayName", &self.display_name)
                .elem("ID", &self.id);
        });
    }
}

/// One `<Bucket>` of a ListBuckets response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketSummary {
    /// Bucket name.
    pub name: String,
    /// Creation time, Unix milliseconds.
    pub creation_date_ms: i64,
    /// `<Location>` with the `oss-` prefix, e.g. `oss-cn-hangzhou`.
    pub location: String,
    /// `<Region>` without the prefix, e.g. `cn-hangzhou`.
    pub region: String,
    /// Public endpoint host.
    pub extranet_endpoint: String,
    /// Internal endpoint host.
    pub intranet_endpoint: String,
    /// Default storage class.
    pub storage_class: StorageClass,
}

/// The ListBuckets (GetService) response, `ListAllMyBucketsResult`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAllMyBucketsResult {
    /// `<Prefix>`, written when the request had `prefix`.
    pub prefix: Option<String>,
    /// `<Marker>`, written when the request had `marker`.
    pub marker: Option<String>,
    /// `<MaxKeys>`, written when the request had `max-keys`.
    pub max_keys: Option<u32>,
    /// Set when truncated: writes `<IsTruncated>true</IsTruncated><NextMarker>…`.
    pub next_marker: Option<String>,
    /// The caller's account.
    pub owner: Owner,
    /// The buckets, in name order.
    pub buckets: Vec<BucketSummary>,
}

impl ListAllMyBucketsResult {
    /// The response document.
    pub fn to_xml(&self) -> String {
        self.to_xml_with_tags(&[])
    }

    /// The response document with each bucket's `<Tagging>` (`tags[i]` for `buckets[i]`;
    /// buckets past the end of `tags` have none written), as ListBuckets answers a tag filter.
    pub fn to_xml_with_tags(&self, tags: &[BucketTagging]) -> String {
        let mut w = XmlWriter::new();
        w.node("ListAllMyBucketsResult", |w| {
            w.elem_opt("Prefix", self.prefix.as_deref())
                .elem_opt("Marker", self.marker.as_deref());
            if let Some(max) = self.max_keys {
                w.elem_display("MaxKeys", max);
            }
            if let Some(next) = &self.next_marker {
                w.elem("IsTruncated", "true").elem("NextMarker", next);
            }
            self.owner.write(w);
            w.node("Buckets", |w| {
                for (i, b) in self.buckets.iter().enumerate() {
                    write_bucket(w, b, tags.get(i));
                }
            });
        });
        w.finish()
    }
}

fn write_bucket(w: &mut XmlWriter, b: &BucketSummary, tags: Option<&BucketTagging>) {
    w.node("Bucket", |w| {
        w.elem("CreationDate", &iso8601_ms(b.creation_date_ms))
            .elem("ExtranetEndpoint", &b.extranet_endpoint)
            .elem("IntranetEndpoint", &b.intranet_endpoint)
            .elem("Location", &b.location)
            .elem("Name", &b.name)
            .elem("Region", &b.region)
            .elem("StorageClass", b.storage_class.as_str());
        if let Some(t) = tags {
            t.write(w);
        }
    });
}
