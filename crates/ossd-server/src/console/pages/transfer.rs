//! Object bytes through the console, streamed both ways: downloads (GetObject's response body
//! handed to the browser as it is produced, with `Content-Disposition: attachment`), and the
//! object browser's script uploads — PutObject for a file under 8 MiB, and for a larger one
//! InitiateMultipartUpload, UploadPart per 8 MiB slice, CompleteMultipartUpload (all parts),
//! or AbortMultipartUpload on cancel (docs/protocol/multipart.md#uploadpart,
//! #completemultipartupload, #abortmultipartupload). An upload's body is the browser's request
//! body, passed to the signed request as it arrives: the console holds one body frame at a
//! time, never a file or a part (docs/console.md#objects).
//!
//! The script's calls answer JSON: `{"etag"}`, `{"uploadId"}`, or a refusal
//! `{"Code", "Message", "RequestId", "AccessDeniedDetail"}` with the server's status.

use bytes::Bytes;
use http::request::Parts;
use http::{HeaderValue, Method, StatusCode, header};
use http_body_util::Full;
use serde_json::{Value, json};

use super::Visit;
use crate::console::caller::{CallError, OssReply};
use crate::console::doc;
use crate::console::links::{file_name, href, parent_prefix};
use crate::transport::body::{Inbound, full};
use crate::transport::response::Resp;

/// Response headers of GetObject a download passes on.
const PASSED_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "etag",
    "last-modified",
    "x-oss-version-id",
    "x-oss-hash-crc64ecma",
];

/// GET `buckets/B/download?key=K[&versionId=V]`: the object, streamed.
pub(crate) async fn download(v: &Visit<'_>, bucket: &str) -> Resp {
    let key = v.query.get("key").unwrap_or_default();
    let version_id = v.query.text("versionId");
    let mut query = Vec::new();
    if !version_id.is_empty() {
        query.push(("versionId", version_id));
    }
    let got = v
        .caller()
        .oss_stream(
            Method::GET,
            Some(bucket),
            Some(key),
            &query,
            &[],
            Inbound::Local(Full::new(Bytes::new())),
        )
        .await;
    let inner = match got {
        Ok(r) => r,
        Err(e) => {
            let back = href(
                &format!("buckets/{bucket}"),
                &[("prefix", parent_prefix(key))],
            );
            return v.failure(&e, &back);
        }
    };
    let (parts, body) = inner.into_parts();
    let mut resp = Resp::new(body);
    *resp.status_mut() = StatusCode::OK;
    let h = resp.headers_mut();
    for name in PASSED_HEADERS {
        if let Some(value) = parts.headers.get(*name) {
            h.insert(*name, value.clone());
        }
    }
    if let Ok(v) = HeaderValue::from_str(&attachment(file_name(key))) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    resp
}

/// `attachment; filename="<ascii>"; filename*=UTF-8''<encoded>` (RFC 6266).
fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        ossd_sig::uri_encode(name)
    )
}

/// A console PUT: `buckets/B/upload?key=K` (PutObject) or
/// `buckets/B/part?key=K&uploadId=U&partNumber=N` (UploadPart), the body streamed through.
pub(crate) async fn put(v: &Visit<'_>, path: &str, parts: &Parts, body: Inbound) -> Resp {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (bucket, what) = match segs.as_slice() {
        ["buckets", bucket, what @ ("upload" | "part")] => (*bucket, *what),
        _ => {
            return refusal(&CallError::local(
                "NotFound",
                "No such console upload path.",
            ));
        }
    };
    let key = v.query.get("key").unwrap_or_default();
    let mut headers: Vec<(String, String)> = Vec::new();
    let length = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| l.trim().parse::<u64>().ok());
    let Some(length) = length else {
        return refusal(&CallError::local(
            "MissingContentLength",
            "An upload through the console needs Content-Length.",
        ));
    };
    headers.push(("content-length".to_owned(), length.to_string()));
    let mut query = Vec::new();
    if what == "upload" {
        if let Some(ct) = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|c| c.to_str().ok())
        {
            headers.push(("content-type".to_owned(), ct.to_owned()));
        }
    } else {
        query.push(("partNumber", v.query.text("partNumber")));
        query.push(("uploadId", v.query.text("uploadId")));
    }
    let caller = v.caller();
    match caller
        .oss_stream(Method::PUT, Some(bucket), Some(key), &query, &headers, body)
        .await
    {
        Ok(r) => {
            let etag = r
                .headers()
                .get(header::ETAG)
                .and_then(|e| e.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            reply(StatusCode::OK, &json!({ "etag": etag, "key": key }))
        }
        Err(e) => refusal(&e),
    }
}

/// POST `buckets/B/multipart/(initiate|complete|abort)` (`key`, `uploadId`, `contentType`).
pub(crate) async fn multipart(v: &Visit<'_>, bucket: &str, op: &str) -> Resp {
    let key = v.form.get("key").unwrap_or_default();
    let upload_id = v.form.text("uploadId");
    let caller = v.caller();
    let run =
        |method: Method, query: Vec<(&'static str, String)>, headers: Vec<(String, String)>| {
            let caller = &caller;
            async move {
                let q: Vec<(&str, &str)> = query.iter().map(|(k, x)| (*k, x.as_str())).collect();
                caller
                    .oss(method, Some(bucket), Some(key), &q, &headers, Bytes::new())
                    .await
            }
        };
    let result: Result<Value, CallError> = match op {
        "initiate" => {
            let mut headers = Vec::new();
            if let Some(ct) = v.form.opt("contentType") {
                headers.push(("content-type".to_owned(), ct.to_owned()));
            }
            run(Method::POST, vec![("uploads", String::new())], headers)
                .await
                .and_then(|r: OssReply| {
                    doc::upload_id(&r.body)
                        .map_err(|e| CallError::local("UnreadableResponse", e.to_string()))
                })
                .map(|id| json!({ "uploadId": id }))
        }
        "complete" => run(
            Method::POST,
            vec![("uploadId", upload_id.to_owned())],
            vec![("x-oss-complete-all".to_owned(), "yes".to_owned())],
        )
        .await
        .map(|r| {
            let etag = r
                .headers
                .get(header::ETAG)
                .and_then(|e| e.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            json!({ "etag": etag, "key": key })
        }),
        "abort" => run(
            Method::DELETE,
            vec![("uploadId", upload_id.to_owned())],
            Vec::new(),
        )
        .await
        .map(|_| json!({ "aborted": true })),
        _ => Err(CallError::local("NotFound", "No such multipart step.")),
    };
    match result {
        Ok(value) => reply(StatusCode::OK, &value),
        Err(e) => refusal(&e),
    }
}

/// A refusal as the script reads it, with the server's status.
fn refusal(e: &CallError) -> Resp {
    let status = StatusCode::from_u16(e.status)
        .ok()
        .filter(|s| s.is_client_error() || s.is_server_error())
        .unwrap_or(StatusCode::BAD_REQUEST);
    let value = json!({
        "Code": e.code,
        "Message": e.message,
        "RequestId": e.request_id,
        "AccessDeniedDetail": e.detail,
    });
    reply(status, &value)
}

fn reply(status: StatusCode, value: &Value) -> Resp {
    let mut r = Resp::new(full(value.to_string()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_are_safe() {
        assert_eq!(
            attachment("a b.txt"),
            "attachment; filename=\"a b.txt\"; filename*=UTF-8''a%20b.txt"
        );
        assert_eq!(
            attachment("中\".txt"),
            "attachment; filename=\"__.txt\"; filename*=UTF-8''%E4%B8%AD%22.txt"
        );
    }
}
