//! The bucket list (ListBuckets, and GetBucketStat for each bucket's figures), bucket creation
//! (PutBucket with its ACL and storage class, then PutBucketVersioning when asked) and deletion
//! (DeleteBucket: a bucket that is not empty is refused by the server, and the page says so).
//! Documents as in docs/protocol/buckets.md#listbuckets, #putbucket.

use askama::Template;
use bytes::Bytes;
use http::{Method, StatusCode};

use super::{Layout, Visit};
use crate::console::caller::CallError;
use crate::console::doc::{self, BucketEntry};
use crate::console::links::{href, human_bytes};
use crate::console::{ROOT, html};
use crate::transport::response::Resp;

/// Buckets per page of the list.
const PAGE: &str = "100";

/// What the list shows of one bucket's GetBucketStat.
struct Figures {
    objects: u64,
    storage: String,
    uploads: u64,
}

/// One row of the list.
struct Row {
    bucket: BucketEntry,
    /// The figures, or the error code when GetBucketStat was refused.
    figures: Result<Figures, String>,
}

/// The bucket list and the creation form.
#[derive(Template)]
#[template(path = "console/buckets.html")]
struct BucketsPage {
    layout: Layout,
    rows: Vec<Row>,
    error: Option<CallError>,
    next_href: Option<String>,
    region: String,
}

/// GET `buckets[?marker=M]`.
pub(crate) async fn list(v: &Visit<'_>) -> Resp {
    let caller = v.caller();
    let marker = v.query.text("marker");
    let query = [("max-keys", PAGE), ("marker", marker)];
    let query: Vec<(&str, &str)> = query.into_iter().filter(|(_, x)| !x.is_empty()).collect();
    let listed = caller
        .oss(Method::GET, None, None, &query, &[], Bytes::new())
        .await
        .and_then(|r| doc::bucket_list(&r.body).map_err(|e| unreadable(&e)));
    let (list, error) = match listed {
        Ok(list) => (list, None),
        Err(e) => (doc::BucketList::default(), Some(e)),
    };
    let mut rows = Vec::with_capacity(list.buckets.len());
    for bucket in list.buckets {
        let figures = caller
            .oss(
                Method::GET,
                Some(&bucket.name),
                None,
                &[("stat", "")],
                &[],
                Bytes::new(),
            )
            .await
            .and_then(|r| doc::bucket_stat(&r.body).map_err(|e| unreadable(&e)))
            .map(|s| Figures {
                objects: s.objects,
                storage: human_bytes(s.storage),
                uploads: s.multipart_uploads,
            })
            .map_err(|e| e.code);
        rows.push(Row { bucket, figures });
    }
    let page = BucketsPage {
        layout: v.layout("buckets", "Buckets"),
        rows,
        error,
        next_href: list.next_marker.map(|m| href("buckets", &[("marker", &m)])),
        region: v.state.config.region.clone(),
    };
    html::render(StatusCode::OK, &page)
}

/// GET `open-bucket?name=B`: the object browser of a bucket typed in.
pub(crate) fn open(v: &Visit<'_>) -> Resp {
    match v.query.opt("name") {
        Some(name) if ossd_types::BucketName::new(name).is_ok() => {
            html::redirect(&format!("{ROOT}buckets/{name}"))
        }
        _ => super::message(
            StatusCode::BAD_REQUEST,
            "Invalid bucket name",
            "A bucket name has 3 to 63 lower-case letters, digits and hyphens.",
        ),
    }
}

/// POST `buckets`: PutBucket (ACL, storage class), then PutBucketVersioning when asked.
pub(crate) async fn create(v: &Visit<'_>) -> Resp {
    let caller = v.caller();
    let name = v.form.text("name");
    let acl = v.form.opt("acl").unwrap_or("private");
    let class = v.form.opt("storage_class").unwrap_or("Standard");
    let config = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateBucketConfiguration>\
         <StorageClass>{}</StorageClass></CreateBucketConfiguration>",
        xml_text(class)
    );
    let headers = [("x-oss-acl".to_owned(), acl.to_owned())];
    let back = format!("{ROOT}buckets");
    if let Err(e) = caller
        .oss(
            Method::PUT,
            Some(name),
            None,
            &[],
            &headers,
            Bytes::from(config),
        )
        .await
    {
        return v.failure(&e, &back);
    }
    if let Some(status) = v.form.opt("versioning")
        && let Err(e) = put_versioning(v, name, status).await
    {
        return v.failure(&e, &format!("{ROOT}buckets/{name}/settings"));
    }
    html::redirect(&back)
}

/// POST `buckets/B/delete`: DeleteBucket.
pub(crate) async fn delete(v: &Visit<'_>, bucket: &str) -> Resp {
    let back = format!("{ROOT}buckets");
    match v
        .caller()
        .oss(Method::DELETE, Some(bucket), None, &[], &[], Bytes::new())
        .await
    {
        Ok(_) => html::redirect(&back),
        Err(e) => v.failure(&e, &back),
    }
}

/// PutBucketVersioning with `status` (`Enabled` or `Suspended`).
pub(crate) async fn put_versioning(
    v: &Visit<'_>,
    bucket: &str,
    status: &str,
) -> Result<(), CallError> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VersioningConfiguration>\
         <Status>{}</Status></VersioningConfiguration>",
        xml_text(status)
    );
    v.caller()
        .oss(
            Method::PUT,
            Some(bucket),
            None,
            &[("versioning", "")],
            &[],
            Bytes::from(body),
        )
        .await
        .map(|_| ())
}

/// A response document the console could not read, as a refusal the page can show.
pub(crate) fn unreadable(e: &doc::DocError) -> CallError {
    CallError::local("UnreadableResponse", e.to_string())
}

/// `s` escaped for XML text.
pub(crate) fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
