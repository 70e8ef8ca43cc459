//! The OSS response documents the console's bucket and object pages read back from the requests
//! they make (ListBuckets, GetBucketStat, ListObjectsV2, ListObjectVersions, GetBucketVersioning,
//! the ACL documents, InitiateMultipartUpload): quick-xml events folded into a small element
//! tree (namespaces and attributes ignored), then typed views of the elements the pages show.
//! Element names as in docs/protocol/buckets.md#listbuckets, #listobjectsv2, #acl-documents,
//! docs/protocol/versioning.md#listobjectversions and
//! docs/protocol/multipart.md#initiatemultipartupload.

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

/// The largest response document the console parses (a listing page of 1000 keys of 1023
/// bytes each fits).
pub(crate) const MAX_DOC_BYTES: usize = 4 * 1024 * 1024;

/// A response document the console could not read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DocError {
    /// Larger than [`MAX_DOC_BYTES`].
    #[error("response document larger than {MAX_DOC_BYTES} bytes")]
    TooLarge,
    /// Not UTF-8, not well-formed, or truncated.
    #[error("malformed response document")]
    Malformed(#[source] Option<quick_xml::Error>),
    /// The root element is not the one expected.
    #[error("expected a <{expected}> document, got <{got}>")]
    Root {
        /// The root the operation answers with.
        expected: &'static str,
        /// The root found.
        got: String,
    },
}

/// One element: its local name, its own text (concatenated) and its child elements.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    /// Local name.
    pub(crate) name: String,
    /// Text directly inside the element.
    pub(crate) text: String,
    /// Child elements in document order.
    pub(crate) children: Vec<Element>,
}

impl Element {
    /// The first child called `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child called `name`, or `""`.
    pub(crate) fn text_of(&self, name: &str) -> &str {
        self.child(name).map_or("", |c| c.text.as_str())
    }

    /// The first child called `name` as a number (0 when absent or not a number).
    fn number_of(&self, name: &str) -> u64 {
        self.text_of(name).trim().parse().unwrap_or(0)
    }
}

/// Parses a whole document whose root element must be `root`.
pub(crate) fn parse(body: &[u8], root: &'static str) -> Result<Element, DocError> {
    if body.len() > MAX_DOC_BYTES {
        return Err(DocError::TooLarge);
    }
    let text = std::str::from_utf8(body).map_err(|_| DocError::Malformed(None))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut stack: Vec<Element> = Vec::new();
    let malformed = |e: quick_xml::Error| DocError::Malformed(Some(e));
    loop {
        match reader.read_event().map_err(malformed)? {
            Event::Start(s) => {
                let name = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
                stack.push(Element {
                    name,
                    ..Element::default()
                });
            }
            Event::End(_) => {
                let done = stack.pop().ok_or(DocError::Malformed(None))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None if done.name == root => return Ok(done),
                    None => {
                        return Err(DocError::Root {
                            expected: root,
                            got: done.name,
                        });
                    }
                }
            }
            Event::Text(t) => {
                let s = t.xml10_content().map_err(|e| malformed(e.into()))?;
                push_text(&mut stack, &s);
            }
            Event::CData(c) => {
                let s = c.decode().map_err(|e| malformed(e.into()))?;
                push_text(&mut stack, &s);
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().map_err(malformed)?.map(String::from)
                } else {
                    let name = r.decode().map_err(|e| malformed(e.into()))?;
                    resolve_predefined_entity(&name).map(str::to_owned)
                };
                push_text(&mut stack, &resolved.unwrap_or_default());
            }
            Event::Eof => return Err(DocError::Malformed(None)),
            _ => {}
        }
    }
}

fn push_text(stack: &mut [Element], s: &str) {
    if let Some(top) = stack.last_mut() {
        top.text.push_str(s);
    }
}

/// One bucket of a ListBuckets answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BucketEntry {
    /// Name.
    pub(crate) name: String,
    /// Region (`Region`, else `Location`).
    pub(crate) region: String,
    /// Storage class.
    pub(crate) storage_class: String,
    /// `CreationDate` as sent.
    pub(crate) created: String,
}

/// A ListBuckets (GetService) answer: the buckets and the marker of the next page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BucketList {
    /// The buckets of this page.
    pub(crate) buckets: Vec<BucketEntry>,
    /// `NextMarker` when truncated.
    pub(crate) next_marker: Option<String>,
}

/// Reads a `ListAllMyBucketsResult`.
pub(crate) fn bucket_list(body: &[u8]) -> Result<BucketList, DocError> {
    let root = parse(body, "ListAllMyBucketsResult")?;
    let buckets = root
        .child("Buckets")
        .map(|b| {
            b.children_named("Bucket")
                .map(|b| {
                    let region = match b.text_of("Region") {
                        "" => b.text_of("Location"),
                        r => r,
                    };
                    BucketEntry {
                        name: b.text_of("Name").to_owned(),
                        region: region.to_owned(),
                        storage_class: b.text_of("StorageClass").to_owned(),
                        created: b.text_of("CreationDate").to_owned(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(BucketList {
        buckets,
        next_marker: truncated(&root, "NextMarker"),
    })
}

/// The GetBucketStat figures the bucket list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stat {
    /// Bytes stored.
    pub(crate) storage: u64,
    /// Objects (current and noncurrent versions).
    pub(crate) objects: u64,
    /// Multipart uploads in progress.
    pub(crate) multipart_uploads: u64,
    /// Delete markers.
    pub(crate) delete_markers: u64,
}

/// Reads a `BucketStat`.
pub(crate) fn bucket_stat(body: &[u8]) -> Result<Stat, DocError> {
    let root = parse(body, "BucketStat")?;
    Ok(Stat {
        storage: root.number_of("Storage"),
        objects: root.number_of("ObjectCount"),
        multipart_uploads: root.number_of("MultipartUploadCount"),
        delete_markers: root.number_of("DeleteMarkerCount"),
    })
}

/// One object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectEntry {
    /// Key.
    pub(crate) key: String,
    /// Size in bytes.
    pub(crate) size: u64,
    /// `LastModified` as sent.
    pub(crate) modified: String,
    /// ETag without quotes.
    pub(crate) etag: String,
    /// Storage class.
    pub(crate) storage_class: String,
}

/// One page of a ListObjectsV2 answer with delimiter `/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ObjectPage {
    /// The "folders": common prefixes.
    pub(crate) prefixes: Vec<String>,
    /// The objects.
    pub(crate) objects: Vec<ObjectEntry>,
    /// `NextContinuationToken` when truncated.
    pub(crate) next_token: Option<String>,
}

/// Reads a ListObjectsV2 `ListBucketResult`.
pub(crate) fn object_page(body: &[u8]) -> Result<ObjectPage, DocError> {
    let root = parse(body, "ListBucketResult")?;
    Ok(ObjectPage {
        prefixes: common_prefixes(&root),
        objects: root
            .children_named("Contents")
            .map(|c| ObjectEntry {
                key: c.text_of("Key").to_owned(),
                size: c.number_of("Size"),
                modified: c.text_of("LastModified").to_owned(),
                etag: unquote(c.text_of("ETag")),
                storage_class: c.text_of("StorageClass").to_owned(),
            })
            .collect(),
        next_token: truncated(&root, "NextContinuationToken"),
    })
}

/// One version or delete marker of a ListObjectVersions answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VersionEntry {
    /// Key.
    pub(crate) key: String,
    /// Version id (`null` for the null version).
    pub(crate) version_id: String,
    /// Whether this is the current version.
    pub(crate) is_latest: bool,
    /// Whether this is a delete marker.
    pub(crate) delete_marker: bool,
    /// Size (0 for delete markers).
    pub(crate) size: u64,
    /// `LastModified` as sent.
    pub(crate) modified: String,
    /// ETag without quotes (empty for delete markers).
    pub(crate) etag: String,
}

/// One page of a ListObjectVersions answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct VersionPage {
    /// The "folders": common prefixes.
    pub(crate) prefixes: Vec<String>,
    /// Versions and delete markers in document order (by key, newest first).
    pub(crate) entries: Vec<VersionEntry>,
    /// `NextKeyMarker` and `NextVersionIdMarker` when truncated.
    pub(crate) next: Option<(String, String)>,
}

/// Reads a `ListVersionsResult`.
pub(crate) fn version_page(body: &[u8]) -> Result<VersionPage, DocError> {
    let root = parse(body, "ListVersionsResult")?;
    let entries = root
        .children
        .iter()
        .filter(|c| c.name == "Version" || c.name == "DeleteMarker")
        .map(|c| VersionEntry {
            key: c.text_of("Key").to_owned(),
            version_id: c.text_of("VersionId").to_owned(),
            is_latest: c.text_of("IsLatest") == "true",
            delete_marker: c.name == "DeleteMarker",
            size: c.number_of("Size"),
            modified: c.text_of("LastModified").to_owned(),
            etag: unquote(c.text_of("ETag")),
        })
        .collect();
    let next = truncated(&root, "NextKeyMarker")
        .map(|key| (key, root.text_of("NextVersionIdMarker").to_owned()));
    Ok(VersionPage {
        prefixes: common_prefixes(&root),
        entries,
        next,
    })
}

/// The `Status` of a `VersioningConfiguration` (`""` when never enabled).
pub(crate) fn versioning_status(body: &[u8]) -> Result<String, DocError> {
    Ok(parse(body, "VersioningConfiguration")?
        .text_of("Status")
        .to_owned())
}

/// The canned ACL (`Grant`) of an `AccessControlPolicy` (GetBucketAcl, GetObjectACL).
pub(crate) fn acl_grant(body: &[u8]) -> Result<String, DocError> {
    let root = parse(body, "AccessControlPolicy")?;
    Ok(root
        .child("AccessControlList")
        .map_or("", |l| l.text_of("Grant"))
        .to_owned())
}

/// The `UploadId` of an `InitiateMultipartUploadResult`.
pub(crate) fn upload_id(body: &[u8]) -> Result<String, DocError> {
    Ok(parse(body, "InitiateMultipartUploadResult")?
        .text_of("UploadId")
        .to_owned())
}

fn common_prefixes(root: &Element) -> Vec<String> {
    root.children_named("CommonPrefixes")
        .map(|p| p.text_of("Prefix").to_owned())
        .collect()
}

/// The value of `next` when the document says `IsTruncated` and `next` is not empty.
fn truncated(root: &Element, next: &str) -> Option<String> {
    (root.text_of("IsTruncated") == "true")
        .then(|| root.text_of(next).to_owned())
        .filter(|n| !n.is_empty())
}

fn unquote(etag: &str) -> String {
    etag.trim_matches('"').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_listing_page_with_folders_and_a_token() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult><Name>b</Name><Prefix>photos/</Prefix><MaxKeys>2</MaxKeys>
<Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
<NextContinuationToken>CgJiYw--</NextContinuationToken>
<Contents><Key>photos/a&amp;b.jpg</Key><LastModified>2025-01-02T03:04:05.000Z</LastModified>
<ETag>"5B3C1A2E"</ETag><Type>Normal</Type><Size>1024</Size><StorageClass>Standard</StorageClass></Contents>
<CommonPrefixes><Prefix>photos/2024/</Prefix></CommonPrefixes>
<KeyCount>2</KeyCount></ListBucketResult>"#;
        let page = object_page(xml).unwrap();
        assert_eq!(page.prefixes, ["photos/2024/"]);
        assert_eq!(page.objects.len(), 1);
        assert_eq!(page.objects[0].key, "photos/a&b.jpg");
        assert_eq!(page.objects[0].size, 1024);
        assert_eq!(page.objects[0].etag, "5B3C1A2E");
        assert_eq!(page.next_token.as_deref(), Some("CgJiYw--"));
    }

    #[test]
    fn a_last_page_has_no_token() {
        let xml = b"<ListBucketResult><IsTruncated>false</IsTruncated>\
<NextContinuationToken></NextContinuationToken></ListBucketResult>";
        assert_eq!(object_page(xml).unwrap().next_token, None);
    }

    #[test]
    fn reads_versions_and_delete_markers_in_order() {
        let xml = br#"<ListVersionsResult><IsTruncated>true</IsTruncated>
<NextKeyMarker>k</NextKeyMarker><NextVersionIdMarker>v1</NextVersionIdMarker>
<DeleteMarker><Key>k</Key><VersionId>v3</VersionId><IsLatest>true</IsLatest>
<LastModified>2025-01-03T00:00:00.000Z</LastModified></DeleteMarker>
<Version><Key>k</Key><VersionId>v2</VersionId><IsLatest>false</IsLatest>
<LastModified>2025-01-02T00:00:00.000Z</LastModified><ETag>"AB"</ETag><Size>3</Size></Version>
</ListVersionsResult>"#;
        let page = version_page(xml).unwrap();
        assert_eq!(page.entries.len(), 2);
        assert!(page.entries[0].delete_marker && page.entries[0].is_latest);
        assert_eq!(page.entries[1].version_id, "v2");
        assert_eq!(page.entries[1].size, 3);
        assert!(!page.entries[1].delete_marker);
        assert_eq!(page.next, Some(("k".to_owned(), "v1".to_owned())));
    }

    #[test]
    fn reads_buckets_stat_acl_versioning_and_upload_id() {
        let xml = b"<ListAllMyBucketsResult><Owner><ID>1</ID></Owner><Buckets>\
<Bucket><Name>a</Name><Location>oss-cn-hangzhou</Location><Region>cn-hangzhou</Region>\
<StorageClass>Standard</StorageClass><CreationDate>2025-01-01T00:00:00.000Z</CreationDate></Bucket>\
</Buckets></ListAllMyBucketsResult>";
        let list = bucket_list(xml).unwrap();
        assert_eq!(list.buckets[0].name, "a");
        assert_eq!(list.buckets[0].region, "cn-hangzhou");
        assert_eq!(list.next_marker, None);
        let stat = b"<BucketStat><Storage>10</Storage><ObjectCount>2</ObjectCount>\
<MultipartUploadCount>1</MultipartUploadCount></BucketStat>";
        let stat = bucket_stat(stat).unwrap();
        assert_eq!(
            (stat.storage, stat.objects, stat.multipart_uploads),
            (10, 2, 1)
        );
        let acl = b"<AccessControlPolicy><Owner/><AccessControlList><Grant>public-read</Grant>\
</AccessControlList></AccessControlPolicy>";
        assert_eq!(acl_grant(acl).unwrap(), "public-read");
        let v = b"<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
        assert_eq!(versioning_status(v).unwrap(), "Enabled");
        let never = b"<VersioningConfiguration/>";
        assert_eq!(versioning_status(never).unwrap(), "");
        let init = b"<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>\
<UploadId>U1</UploadId></InitiateMultipartUploadResult>";
        assert_eq!(upload_id(init).unwrap(), "U1");
    }

    #[test]
    fn refuses_other_roots_and_broken_documents() {
        assert!(matches!(
            object_page(b"<Error><Code>AccessDenied</Code></Error>"),
            Err(DocError::Root { .. })
        ));
        assert!(object_page(b"<ListBucketResult>").is_err());
        assert!(object_page(&[0xff, 0xfe]).is_err());
        let big = vec![b' '; MAX_DOC_BYTES + 1];
        assert!(matches!(object_page(&big), Err(DocError::TooLarge)));
    }
}
