//! The listings the commands read: buckets (ListBuckets), objects and common prefixes
//! (ListObjectsV2, docs/protocol/buckets.md#listobjectsv2), versions and delete markers
//! (docs/protocol/versioning.md#listobjectversions), multipart uploads and their parts
//! (docs/protocol/multipart.md#listmultipartuploads, #listparts), page by page, with
//! `encoding-type=url` so that any key survives the XML.

use anyhow::{Context, bail};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};

use super::client::{ObjectClient, Req};
use super::xml::{self, Element};

/// The page size asked for (the maximum).
const PAGE: &str = "1000";

/// A bucket of ListBuckets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BucketEntry {
    /// Name.
    pub name: String,
    /// Creation time (ISO 8601).
    pub created: String,
    /// Region id.
    pub region: String,
    /// Storage class.
    pub storage_class: String,
}

/// An object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectEntry {
    /// Key.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// ETag as sent (with quotes).
    pub etag: String,
    /// Last modification (ISO 8601).
    pub last_modified: String,
    /// Storage class.
    pub storage_class: String,
    /// `Normal`, `Multipart`, `Appendable` or `Symlink`.
    pub kind: String,
}

impl ObjectEntry {
    /// The entry as a JSON line.
    pub(crate) fn to_json(&self, bucket: &str) -> Value {
        json!({
            "bucket": bucket,
            "key": self.key,
            "size": self.size,
            "etag": self.etag.trim_matches('"'),
            "last_modified": self.last_modified,
            "storage_class": self.storage_class,
            "type": self.kind,
        })
    }
}

/// One entry of an object listing with a delimiter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Listed {
    /// An object.
    Object(ObjectEntry),
    /// A common prefix (a "directory").
    Prefix(String),
}

/// A version or delete marker of ListObjectVersions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VersionEntry {
    /// The object (size and ETag are zero and empty for a delete marker).
    pub object: ObjectEntry,
    /// Version id (`null` for versions written while versioning was off).
    pub version_id: String,
    /// Whether it is the current version.
    pub is_latest: bool,
    /// Whether it is a delete marker.
    pub delete_marker: bool,
}

/// Reads ListObjectsV2 pages of `bucket` under `prefix`, optionally folded at `delimiter`.
pub(crate) struct ObjectPages<'a> {
    client: &'a ObjectClient,
    bucket: &'a str,
    prefix: &'a str,
    delimiter: Option<&'a str>,
    token: Option<String>,
    done: bool,
}

impl<'a> ObjectPages<'a> {
    /// Pages of `bucket` under `prefix`.
    pub(crate) fn new(
        client: &'a ObjectClient,
        bucket: &'a str,
        prefix: &'a str,
        delimiter: Option<&'a str>,
    ) -> Self {
        Self {
            client,
            bucket,
            prefix,
            delimiter,
            token: None,
            done: false,
        }
    }

    /// The next page, `None` after the last.
    pub(crate) async fn next(&mut self) -> anyhow::Result<Option<Vec<Listed>>> {
        if self.done {
            return Ok(None);
        }
        let token = self.token.take();
        let req = Req::new("GET", Some(self.bucket))
            .query("list-type", "2")
            .query("max-keys", PAGE)
            .query("encoding-type", "url")
            .query_opt("prefix", Some(self.prefix).filter(|p| !p.is_empty()))
            .query_opt("delimiter", self.delimiter)
            .query_opt("continuation-token", token.as_deref());
        let root = xml::parse(&self.client.send(req).await?.body)?;
        let mut page = Vec::new();
        for c in &root.children {
            match c.name.as_str() {
                "Contents" => page.push(Listed::Object(object_entry(c)?)),
                "CommonPrefixes" => page.push(Listed::Prefix(decoded(c, "Prefix"))),
                _ => {}
            }
        }
        let next = root
            .text_of("NextContinuationToken")
            .filter(|t| !t.is_empty())
            .map(decode);
        match next {
            Some(t) if is_true(&root, "IsTruncated") => {
                if token.as_deref() == Some(t.as_str()) {
                    bail!("the server repeated the continuation token");
                }
                self.token = Some(t);
            }
            _ => self.done = true,
        }
        Ok(Some(page))
    }
}

/// Every object of `bucket` under `prefix` (no delimiter).
pub(crate) async fn all_objects(
    client: &ObjectClient,
    bucket: &str,
    prefix: &str,
) -> anyhow::Result<Vec<ObjectEntry>> {
    let mut pages = ObjectPages::new(client, bucket, prefix, None);
    let mut out = Vec::new();
    while let Some(page) = pages.next().await? {
        out.extend(page.into_iter().filter_map(|l| match l {
            Listed::Object(o) => Some(o),
            Listed::Prefix(_) => None,
        }));
    }
    Ok(out)
}

/// Reads ListObjectVersions pages of `bucket` under `prefix`.
pub(crate) struct VersionPages<'a> {
    client: &'a ObjectClient,
    bucket: &'a str,
    prefix: &'a str,
    delimiter: Option<&'a str>,
    markers: Option<(String, String)>,
    done: bool,
}

impl<'a> VersionPages<'a> {
    /// Pages of `bucket` under `prefix`.
    pub(crate) fn new(
        client: &'a ObjectClient,
        bucket: &'a str,
        prefix: &'a str,
        delimiter: Option<&'a str>,
    ) -> Self {
        Self {
            client,
            bucket,
            prefix,
            delimiter,
            markers: None,
            done: false,
        }
    }

    /// The next page (versions, delete markers and common prefixes), `None` after the last.
    pub(crate) async fn next(
        &mut self,
    ) -> anyhow::Result<Option<(Vec<VersionEntry>, Vec<String>)>> {
        if self.done {
            return Ok(None);
        }
        let markers = self.markers.take();
        let (key_marker, version_marker) = match &markers {
            Some((k, v)) => (Some(k.as_str()), Some(v.as_str()).filter(|v| !v.is_empty())),
            None => (None, None),
        };
        let req = Req::new("GET", Some(self.bucket))
            .query("versions", "")
            .query("max-keys", PAGE)
            .query("encoding-type", "url")
            .query_opt("prefix", Some(self.prefix).filter(|p| !p.is_empty()))
            .query_opt("delimiter", self.delimiter)
            .query_opt("key-marker", key_marker)
            .query_opt("version-id-marker", version_marker);
        let root = xml::parse(&self.client.send(req).await?.body)?;
        let mut versions = Vec::new();
        let mut prefixes = Vec::new();
        for c in &root.children {
            match c.name.as_str() {
                "Version" | "DeleteMarker" => versions.push(VersionEntry {
                    object: object_entry(c)?,
                    version_id: c.text_of("VersionId").unwrap_or_default().to_owned(),
                    is_latest: is_true(c, "IsLatest"),
                    delete_marker: c.name == "DeleteMarker",
                }),
                "CommonPrefixes" => prefixes.push(decoded(c, "Prefix")),
                _ => {}
            }
        }
        let next = (
            decoded(&root, "NextKeyMarker"),
            decoded(&root, "NextVersionIdMarker"),
        );
        if is_true(&root, "IsTruncated") && !next.0.is_empty() {
            if markers.as_ref() == Some(&next) {
                bail!("the server repeated the version listing markers");
            }
            self.markers = Some(next);
        } else {
            self.done = true;
        }
        Ok(Some((versions, prefixes)))
    }
}

/// Every version and delete marker of `bucket` under `prefix`.
pub(crate) async fn all_versions(
    client: &ObjectClient,
    bucket: &str,
    prefix: &str,
) -> anyhow::Result<Vec<VersionEntry>> {
    let mut pages = VersionPages::new(client, bucket, prefix, None);
    let mut out = Vec::new();
    while let Some((page, _)) = pages.next().await? {
        out.extend(page);
    }
    Ok(out)
}

/// Every bucket of the caller (ListBuckets, page by page).
pub(crate) async fn buckets(client: &ObjectClient) -> anyhow::Result<Vec<BucketEntry>> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let req = Req::new("GET", None)
            .query("max-keys", PAGE)
            .query_opt("marker", marker.as_deref());
        let root = xml::parse(&client.send(req).await?.body)?;
        let list = root.child("Buckets");
        for b in list.iter().flat_map(|l| l.children_named("Bucket")) {
            out.push(BucketEntry {
                name: b.text_of("Name").unwrap_or_default().to_owned(),
                created: b.text_of("CreationDate").unwrap_or_default().to_owned(),
                region: b.text_of("Region").unwrap_or_default().to_owned(),
                storage_class: b.text_of("StorageClass").unwrap_or_default().to_owned(),
            });
        }
        let next = root
            .text_of("NextMarker")
            .filter(|m| !m.is_empty())
            .map(str::to_owned);
        match next {
            Some(m) if is_true(&root, "IsTruncated") && marker.as_ref() != Some(&m) => {
                marker = Some(m);
            }
            _ => return Ok(out),
        }
    }
}

/// An unfinished multipart upload of ListMultipartUploads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UploadEntry {
    /// The object key it writes.
    pub key: String,
    /// Its upload id.
    pub upload_id: String,
    /// When it was initiated (ISO 8601).
    pub initiated: String,
}

/// The unfinished multipart uploads of `bucket` whose keys start with `prefix`.
pub(crate) async fn uploads(
    client: &ObjectClient,
    bucket: &str,
    prefix: &str,
) -> anyhow::Result<Vec<UploadEntry>> {
    let mut out = Vec::new();
    let mut markers: Option<(String, String)> = None;
    loop {
        let (km, um) = match &markers {
            Some((k, u)) => (Some(k.as_str()), Some(u.as_str())),
            None => (None, None),
        };
        let req = Req::new("GET", Some(bucket))
            .query("uploads", "")
            .query("max-uploads", PAGE)
            .query("encoding-type", "url")
            .query_opt("prefix", Some(prefix).filter(|p| !p.is_empty()))
            .query_opt("key-marker", km)
            .query_opt("upload-id-marker", um);
        let root = xml::parse(&client.send(req).await?.body)?;
        for u in root.children_named("Upload") {
            out.push(UploadEntry {
                key: decoded(u, "Key"),
                upload_id: u.text_of("UploadId").unwrap_or_default().to_owned(),
                initiated: u.text_of("Initiated").unwrap_or_default().to_owned(),
            });
        }
        let next = (
            decoded(&root, "NextKeyMarker"),
            root.text_of("NextUploadIdMarker")
                .unwrap_or_default()
                .to_owned(),
        );
        if is_true(&root, "IsTruncated") && !next.0.is_empty() && markers.as_ref() != Some(&next) {
            markers = Some(next);
        } else {
            return Ok(out);
        }
    }
}

/// A part of ListParts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartEntry {
    /// Part number.
    pub number: u64,
    /// Size in bytes.
    pub size: u64,
    /// ETag (the part's MD5).
    pub etag: String,
}

/// The parts uploaded so far to `upload_id` of `bucket`/`key`.
pub(crate) async fn parts(
    client: &ObjectClient,
    bucket: &str,
    key: &str,
    upload_id: &str,
) -> anyhow::Result<Vec<PartEntry>> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let req = Req::new("GET", Some(bucket))
            .key(key)
            .query("uploadId", upload_id)
            .query("max-parts", PAGE)
            .query_opt("part-number-marker", marker.as_deref());
        let root = xml::parse(&client.send(req).await?.body)?;
        for p in root.children_named("Part") {
            let number = p.text_of("PartNumber").unwrap_or_default().trim();
            let size = p.text_of("Size").unwrap_or_default().trim();
            out.push(PartEntry {
                number: number
                    .parse()
                    .with_context(|| format!("bad PartNumber {number:?}"))?,
                size: size
                    .parse()
                    .with_context(|| format!("bad part Size {size:?}"))?,
                etag: p.text_of("ETag").unwrap_or_default().to_owned(),
            });
        }
        let next = root
            .text_of("NextPartNumberMarker")
            .filter(|m| !m.is_empty())
            .map(str::to_owned);
        match next {
            Some(m) if is_true(&root, "IsTruncated") && marker.as_ref() != Some(&m) => {
                marker = Some(m);
            }
            _ => return Ok(out),
        }
    }
}

/// An object entry of a listing (`Contents`, `Version`, `DeleteMarker`).
fn object_entry(e: &Element) -> anyhow::Result<ObjectEntry> {
    let key = decoded(e, "Key");
    let size = match e.text_of("Size") {
        Some(s) => s
            .trim()
            .parse()
            .with_context(|| format!("bad Size {s:?} of {key:?}"))?,
        None => 0,
    };
    Ok(ObjectEntry {
        key,
        size,
        etag: e.text_of("ETag").unwrap_or_default().to_owned(),
        last_modified: e.text_of("LastModified").unwrap_or_default().to_owned(),
        storage_class: e.text_of("StorageClass").unwrap_or_default().to_owned(),
        kind: e.text_of("Type").unwrap_or_default().to_owned(),
    })
}

/// The URL-decoded text of a child (listings are asked with `encoding-type=url`).
fn decoded(e: &Element, name: &str) -> String {
    decode(e.text_of(name).unwrap_or_default())
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn is_true(e: &Element, name: &str) -> bool {
    e.text_of(name)
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("true"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_decoded() -> anyhow::Result<()> {
        let doc = br#"<ListBucketResult><Contents><Key>a%20b%2Fc%2B</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"AB"</ETag><Type>Normal</Type><Size>12</Size><StorageClass>Standard</StorageClass></Contents></ListBucketResult>"#;
        let root = xml::parse(doc)?;
        let entry = object_entry(root.child("Contents").context("contents")?)?;
        assert_eq!(entry.key, "a b/c+");
        assert_eq!(entry.size, 12);
        assert_eq!(entry.to_json("b")["etag"], "AB");
        Ok(())
    }
}
