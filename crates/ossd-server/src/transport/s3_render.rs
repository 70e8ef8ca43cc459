//! The S3 form of a response (docs/s3.md#responses): handlers write every response in the OSS
//! form; for an S3 request this turns it into S3's once, at the end — the error document (with
//! S3's code and status), the XML document ([`ossd_proto::s3::rewrite_xml`]) and the headers
//! (`x-oss-*` renamed to their `x-amz-*` twins or dropped).

use http::{HeaderName, HeaderValue, Method, StatusCode, header};
use ossd_proto::s3::{self, ResponseHeader};

use crate::transport::body::{empty, full};
use crate::transport::response::{ErrorDoc, Resp, XmlDoc, set};

/// Rewrites `resp` (finished in the OSS form) into the S3 form; `method` is the request's,
/// `owner` the account the server serves.
pub(crate) fn render(resp: &mut Resp, request_id: &str, host: &str, method: &Method, owner: &str) {
    let head = method == Method::HEAD;
    if let Some(ErrorDoc(err)) = resp.extensions_mut().remove::<ErrorDoc>() {
        let (status, code) = s3::error_code(&err);
        if code == "NoSuchKey" && !resp.headers().contains_key("x-oss-delete-marker") {
            // S3 says whether a missing key's latest version is a delete marker, also when not.
            set(resp, "x-amz-delete-marker", "false");
        }
        *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        resp.headers_mut().remove(header::CONTENT_LENGTH);
        if head {
            *resp.body_mut() = empty();
        } else {
            *resp.body_mut() = full(s3::error_xml(&err, request_id, host));
            resp.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml"),
            );
        }
    } else if let Some(XmlDoc(doc)) = resp.extensions_mut().remove::<XmlDoc>()
        && let Ok(text) = std::str::from_utf8(&doc)
    {
        resp.headers_mut().remove(header::CONTENT_LENGTH);
        *resp.body_mut() = full(s3::rewrite_xml(text, owner));
    }
    rename_headers(resp);
    // S3 names no version when a write lands in a bucket whose versioning is suspended (the
    // `null` version); OSS does.
    if matches!(*method, Method::PUT | Method::POST)
        && resp
            .headers()
            .get("x-amz-version-id")
            .is_some_and(|v| v == "null")
    {
        resp.headers_mut().remove("x-amz-version-id");
    }
    // S3 spells ETags in lowercase hex, OSS in uppercase (docs/s3.md#etags).
    if let Some(etag) = resp.headers().get(header::ETAG)
        && let Ok(lower) =
            HeaderValue::from_str(&etag.to_str().unwrap_or_default().to_ascii_lowercase())
    {
        resp.headers_mut().insert(header::ETAG, lower);
    }
    set(resp, "x-amz-request-id", request_id);
    set(resp, "x-amz-id-2", request_id);
}

/// `x-oss-*` headers under their S3 names (storage classes in S3's spelling), or dropped.
fn rename_headers(resp: &mut Resp) {
    let names: Vec<HeaderName> = resp
        .headers()
        .keys()
        .filter(|n| n.as_str().starts_with("x-oss-"))
        .cloned()
        .collect();
    for name in names {
        let values: Vec<HeaderValue> = resp.headers().get_all(&name).iter().cloned().collect();
        resp.headers_mut().remove(&name);
        let ResponseHeader::Rename(s3_name) = s3::response_header(name.as_str()) else {
            continue;
        };
        let Ok(s3_name) = HeaderName::from_bytes(s3_name.as_bytes()) else {
            continue;
        };
        for value in values {
            let value = if s3_name == "x-amz-storage-class" {
                let class = value
                    .to_str()
                    .map(s3::storage_class_to_s3)
                    .unwrap_or_default();
                HeaderValue::from_str(class).unwrap_or(value)
            } else {
                value
            };
            resp.headers_mut().append(s3_name.clone(), value);
        }
    }
}
