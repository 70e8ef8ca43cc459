//! The object browser: a bucket's objects by prefix with delimiter `/` ("folders"), one page of
//! ListObjectsV2 at a time with its continuation token (docs/protocol/buckets.md#listobjectsv2);
//! the versions view (ListObjectVersions: versions and delete markers,
//! docs/protocol/versioning.md#listobjectversions); an object's detail (HeadObject headers and
//! metadata, GetObjectACL); deletion of the current object or of one version. A refused listing
//! is shown on the page, which still offers the upload form: credentials may allow writing and
//! reading a bucket without listing it.

use askama::Template;
use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use super::buckets::unreadable;
use super::{Layout, Visit};
use crate::console::caller::CallError;
use crate::console::doc;
use crate::console::links::{console_path, href, human_bytes, parent_prefix};
use crate::console::post_form::{self, FormRequest, PostForm};
use crate::console::presign_url::is_image_key;
use crate::console::{ROOT, assets, html};
use crate::transport::response::Resp;

/// Keys per page unless the query says otherwise (`max`, 1 to 1000).
const DEFAULT_PAGE: u32 = 100;

/// A "folder" (common prefix) link.
struct Folder {
    name: String,
    href: String,
}

/// One object row.
struct ObjectRow {
    key: String,
    name: String,
    size: String,
    modified: String,
    etag: String,
    detail_href: String,
    download_href: String,
}

/// The object browser.
#[derive(Template)]
#[template(path = "console/objects.html")]
struct ObjectsPage {
    layout: Layout,
    bucket: String,
    prefix: String,
    crumbs: Vec<Folder>,
    folders: Vec<Folder>,
    objects: Vec<ObjectRow>,
    error: Option<CallError>,
    next_href: Option<String>,
    first_href: Option<String>,
    here: String,
    versions_href: String,
    uploaded: Option<String>,
    form: PostForm,
    max_file: String,
    upload_js: &'static str,
}

/// GET `buckets/B[?prefix=P&token=T&max=N]`.
pub(crate) async fn browse(v: &Visit<'_>, bucket: &str) -> Resp {
    let prefix = v.query.get("prefix").unwrap_or_default();
    let token = v.query.text("token");
    let max = page_size(v).to_string();
    let mut query = vec![
        ("list-type", "2"),
        ("delimiter", "/"),
        ("max-keys", max.as_str()),
        ("prefix", prefix),
    ];
    if !token.is_empty() {
        query.push(("continuation-token", token));
    }
    query.retain(|(k, x)| !x.is_empty() || *k == "delimiter");
    let listed = v
        .caller()
        .oss(Method::GET, Some(bucket), None, &query, &[], Bytes::new())
        .await
        .and_then(|r| doc::object_page(&r.body).map_err(|e| unreadable(&e)));
    let (page, error) = match listed {
        Ok(p) => (p, None),
        Err(e) => (doc::ObjectPage::default(), Some(e)),
    };
    let path = format!("buckets/{bucket}");
    let max_q = v.query.text("max");
    let here = href(
        &path,
        &[("prefix", prefix), ("token", token), ("max", max_q)],
    );
    let folders = page
        .prefixes
        .iter()
        .map(|p| Folder {
            name: p.strip_prefix(prefix).unwrap_or(p).to_owned(),
            href: href(&path, &[("prefix", p), ("max", max_q)]),
        })
        .collect();
    let objects = page
        .objects
        .into_iter()
        .map(|o| ObjectRow {
            name: o.key.strip_prefix(prefix).unwrap_or(&o.key).to_owned(),
            size: human_bytes(o.size),
            modified: o.modified,
            etag: o.etag,
            detail_href: href(&format!("{path}/object"), &[("key", &o.key)]),
            download_href: href(&format!("{path}/download"), &[("key", &o.key)]),
            key: o.key,
        })
        .collect();
    let uploaded = v.query.opt("key").map(|k| match v.query.opt("etag") {
        Some(etag) => format!("{k} (ETag {})", etag.trim_matches('"')),
        None => k.to_owned(),
    });
    let creds = &v.session.creds;
    let redirect = href(&path, &[("prefix", prefix), ("uploaded", "1")]);
    let form = post_form::signed_form(
        &creds.access_key_id,
        &creds.secret,
        creds.security_token.as_deref(),
        &FormRequest {
            bucket,
            prefix,
            region: &v.state.config.region,
            redirect: &redirect,
        },
        v.state.clock.real_now(),
    );
    let page = ObjectsPage {
        layout: v.layout("buckets", format!("{bucket}/{prefix}")),
        bucket: bucket.to_owned(),
        prefix: prefix.to_owned(),
        crumbs: crumbs(&path, prefix),
        folders,
        objects,
        error,
        next_href: page
            .next_token
            .map(|t| href(&path, &[("prefix", prefix), ("token", &t), ("max", max_q)])),
        first_href: (!token.is_empty()).then(|| href(&path, &[("prefix", prefix), ("max", max_q)])),
        here,
        versions_href: href(&format!("{path}/versions"), &[("prefix", prefix)]),
        uploaded,
        form,
        max_file: human_bytes(post_form::MAX_FORM_FILE_BYTES),
        upload_js: assets::OBJECTS_JS,
    };
    html::render(StatusCode::OK, &page)
}

/// One row of the versions view.
struct VersionRow {
    key: String,
    version_id: String,
    is_latest: bool,
    delete_marker: bool,
    size: String,
    modified: String,
    detail_href: String,
    download_href: String,
}

/// The versions view.
#[derive(Template)]
#[template(path = "console/versions.html")]
struct VersionsPage {
    layout: Layout,
    bucket: String,
    prefix: String,
    crumbs: Vec<Folder>,
    folders: Vec<Folder>,
    rows: Vec<VersionRow>,
    error: Option<CallError>,
    next_href: Option<String>,
    first_href: Option<String>,
    here: String,
    objects_href: String,
}

/// GET `buckets/B/versions[?prefix=P&key_marker=K&version_marker=V&max=N]`.
pub(crate) async fn versions(v: &Visit<'_>, bucket: &str) -> Resp {
    let prefix = v.query.get("prefix").unwrap_or_default();
    let key_marker = v.query.get("key_marker").unwrap_or_default();
    let version_marker = v.query.get("version_marker").unwrap_or_default();
    let max = page_size(v).to_string();
    let mut query = vec![
        ("versions", ""),
        ("delimiter", "/"),
        ("max-keys", max.as_str()),
    ];
    for (k, x) in [
        ("prefix", prefix),
        ("key-marker", key_marker),
        ("version-id-marker", version_marker),
    ] {
        if !x.is_empty() {
            query.push((k, x));
        }
    }
    let listed = v
        .caller()
        .oss(Method::GET, Some(bucket), None, &query, &[], Bytes::new())
        .await
        .and_then(|r| doc::version_page(&r.body).map_err(|e| unreadable(&e)));
    let (page, error) = match listed {
        Ok(p) => (p, None),
        Err(e) => (doc::VersionPage::default(), Some(e)),
    };
    let path = format!("buckets/{bucket}");
    let vpath = format!("{path}/versions");
    let max_q = v.query.text("max");
    let rows = page
        .entries
        .into_iter()
        .map(|e| {
            let at = [
                ("key", e.key.as_str()),
                ("versionId", e.version_id.as_str()),
            ];
            VersionRow {
                detail_href: href(&format!("{path}/object"), &at),
                download_href: href(&format!("{path}/download"), &at),
                key: e.key,
                version_id: e.version_id,
                is_latest: e.is_latest,
                delete_marker: e.delete_marker,
                size: human_bytes(e.size),
                modified: e.modified,
            }
        })
        .collect();
    let page = VersionsPage {
        layout: v.layout("buckets", format!("Versions of {bucket}/{prefix}")),
        bucket: bucket.to_owned(),
        prefix: prefix.to_owned(),
        crumbs: crumbs(&vpath, prefix),
        folders: page
            .prefixes
            .iter()
            .map(|p| Folder {
                name: p.strip_prefix(prefix).unwrap_or(p).to_owned(),
                href: href(&vpath, &[("prefix", p), ("max", max_q)]),
            })
            .collect(),
        rows,
        error,
        next_href: page.next.map(|(k, vid)| {
            href(
                &vpath,
                &[
                    ("prefix", prefix),
                    ("key_marker", &k),
                    ("version_marker", &vid),
                    ("max", max_q),
                ],
            )
        }),
        first_href: (!key_marker.is_empty())
            .then(|| href(&vpath, &[("prefix", prefix), ("max", max_q)])),
        here: href(
            &vpath,
            &[
                ("prefix", prefix),
                ("key_marker", key_marker),
                ("version_marker", version_marker),
                ("max", max_q),
            ],
        ),
        objects_href: href(&path, &[("prefix", prefix)]),
    };
    html::render(StatusCode::OK, &page)
}

/// The object detail page.
#[derive(Template)]
#[template(path = "console/object.html")]
struct ObjectPage {
    layout: Layout,
    bucket: String,
    key: String,
    version_id: String,
    headers: Vec<(String, String)>,
    metadata: Vec<(String, String)>,
    error: Option<CallError>,
    acl: Result<String, CallError>,
    download_href: String,
    presign_href: String,
    folder_href: String,
    versions_href: String,
    is_image: bool,
}

/// The response headers the detail page lists (besides `x-oss-meta-*`).
const SHOWN_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "etag",
    "last-modified",
    "x-oss-object-type",
    "x-oss-storage-class",
    "x-oss-version-id",
    "x-oss-hash-crc64ecma",
    "content-md5",
    "cache-control",
    "content-disposition",
    "content-encoding",
    "expires",
    "x-oss-server-side-encryption",
    "x-oss-tagging-count",
];

/// GET `buckets/B/object?key=K[&versionId=V]`: HeadObject and GetObjectACL.
pub(crate) async fn detail(v: &Visit<'_>, bucket: &str) -> Resp {
    let key = v.query.get("key").unwrap_or_default();
    let version_id = v.query.text("versionId");
    let caller = v.caller();
    let mut query = Vec::new();
    if !version_id.is_empty() {
        query.push(("versionId", version_id));
    }
    let head = caller
        .oss(
            Method::HEAD,
            Some(bucket),
            Some(key),
            &query,
            &[],
            Bytes::new(),
        )
        .await;
    let (headers, metadata, error) = match head {
        Ok(r) => {
            let (h, m) = split_headers(&r.headers);
            (h, m, None)
        }
        Err(e) => (Vec::new(), Vec::new(), Some(e)),
    };
    let mut acl_query = vec![("acl", "")];
    acl_query.extend(query.iter().copied());
    let acl = caller
        .oss(
            Method::GET,
            Some(bucket),
            Some(key),
            &acl_query,
            &[],
            Bytes::new(),
        )
        .await
        .and_then(|r| doc::acl_grant(&r.body).map_err(|e| unreadable(&e)));
    let path = format!("buckets/{bucket}");
    let at = [("key", key), ("versionId", version_id)];
    let page = ObjectPage {
        layout: v.layout("buckets", format!("{bucket}/{key}")),
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        version_id: version_id.to_owned(),
        headers,
        metadata,
        error,
        acl,
        download_href: href(&format!("{path}/download"), &at),
        presign_href: href(
            "presign",
            &[("bucket", bucket), ("key", key), ("versionId", version_id)],
        ),
        folder_href: href(&path, &[("prefix", parent_prefix(key))]),
        versions_href: href(&format!("{path}/versions"), &[("prefix", key)]),
        is_image: is_image_key(key),
    };
    html::render(StatusCode::OK, &page)
}

/// POST `buckets/B/object/delete` (`key`, optional `versionId`, `back`): DeleteObject.
pub(crate) async fn delete(v: &Visit<'_>, bucket: &str) -> Resp {
    let key = v.form.get("key").unwrap_or_default();
    let version_id = v.form.text("versionId");
    let fallback = format!("{ROOT}buckets/{bucket}");
    let back = console_path(v.form.opt("back"), &fallback).to_owned();
    let mut query = Vec::new();
    if !version_id.is_empty() {
        query.push(("versionId", version_id));
    }
    match v
        .caller()
        .oss(
            Method::DELETE,
            Some(bucket),
            Some(key),
            &query,
            &[],
            Bytes::new(),
        )
        .await
    {
        Ok(_) => html::redirect(&back),
        Err(e) => v.failure(&e, &back),
    }
}

/// `max` of the query, within 1 to 1000.
fn page_size(v: &Visit<'_>) -> u32 {
    v.query
        .opt("max")
        .and_then(|m| m.parse::<u32>().ok())
        .map_or(DEFAULT_PAGE, |m| m.clamp(1, 1000))
}

/// The breadcrumb links of `prefix`: the bucket, then each folder down to `prefix`.
fn crumbs(path: &str, prefix: &str) -> Vec<Folder> {
    let mut out = vec![Folder {
        name: "(root)".to_owned(),
        href: href(path, &[]),
    }];
    let mut end = 0;
    for part in prefix.split_inclusive('/') {
        end += part.len();
        out.push(Folder {
            name: part.to_owned(),
            href: href(path, &[("prefix", prefix.get(..end).unwrap_or(prefix))]),
        });
    }
    out
}

/// Header or metadata names with their values, in the order shown.
type Pairs = Vec<(String, String)>;

/// The listed headers and the user metadata (`x-oss-meta-*`) of a HeadObject answer.
fn split_headers(h: &HeaderMap) -> (Pairs, Pairs) {
    let text = |v: &http::HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned();
    let shown = SHOWN_HEADERS
        .iter()
        .filter_map(|n| h.get(*n).map(|v| ((*n).to_owned(), text(v))))
        .collect();
    let mut meta: Vec<(String, String)> = h
        .iter()
        .filter_map(|(n, v)| {
            n.as_str()
                .strip_prefix("x-oss-meta-")
                .map(|m| (m.to_owned(), text(v)))
        })
        .collect();
    meta.sort();
    (shown, meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crumbs_walk_the_prefix() {
        let c = crumbs("buckets/b", "a/b c/");
        let names: Vec<_> = c.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["(root)", "a/", "b c/"]);
        assert_eq!(c[2].href, "/-/console/buckets/b?prefix=a%2Fb%20c%2F");
    }

    #[test]
    fn metadata_is_split_from_headers() {
        let mut h = HeaderMap::new();
        h.insert("content-type", "text/plain".parse().unwrap());
        h.insert("x-oss-meta-b", "2".parse().unwrap());
        h.insert("x-oss-meta-a", "1".parse().unwrap());
        h.insert("x-oss-request-id", "R".parse().unwrap());
        let (shown, meta) = split_headers(&h);
        assert_eq!(
            shown,
            [("content-type".to_owned(), "text/plain".to_owned())]
        );
        assert_eq!(
            meta,
            [
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "2".to_owned())
            ]
        );
    }
}
