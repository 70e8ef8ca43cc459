//! The signed-URL generator: method (GET or PUT), expiry, `x-oss-process` and `versionId` → a
//! V4 signed URL made with the session's credentials ([`crate::console::presign_url`]), with a
//! preview when the key is an image and a copy button. Making a URL sends nothing: what the URL
//! may do is decided when it is used, by the same policies as the session's own requests.

use askama::Template;
use http::StatusCode;

use super::{Layout, Visit};
use crate::console::assets;
use crate::console::html;
use crate::console::presign_url::{
    UrlCredentials, UrlMethod, UrlRequest, is_image_key, signed_url,
};
use crate::transport::response::Resp;

/// The default lifetime of a URL, in seconds.
const DEFAULT_EXPIRES: i64 = 3600;

/// The generator's form and, after a POST, its URL.
#[derive(Template)]
#[template(path = "console/presign.html")]
struct PresignPage {
    layout: Layout,
    bucket: String,
    key: String,
    method: String,
    expires: String,
    process: String,
    version_id: String,
    url: Option<String>,
    error: Option<String>,
    preview: bool,
    temporary: bool,
    script: &'static str,
}

/// GET `presign[?bucket=B&key=K&versionId=V]`: the form.
pub(crate) fn form(v: &Visit<'_>) -> Resp {
    let q = &v.query;
    let page = PresignPage {
        layout: v.layout("buckets", "Signed URL"),
        bucket: q.text("bucket").to_owned(),
        key: q.get("key").unwrap_or_default().to_owned(),
        method: "GET".to_owned(),
        expires: DEFAULT_EXPIRES.to_string(),
        process: q.text("process").to_owned(),
        version_id: q.text("versionId").to_owned(),
        url: None,
        error: None,
        preview: false,
        temporary: v.session.creds.security_token.is_some(),
        script: assets::OBJECTS_JS,
    };
    html::render(StatusCode::OK, &page)
}

/// POST `presign`: the URL.
pub(crate) fn make(v: &Visit<'_>) -> Resp {
    let f = &v.form;
    let method = match f.text("method") {
        "PUT" => UrlMethod::Put,
        _ => UrlMethod::Get,
    };
    let bucket = f.text("bucket");
    let key = f.get("key").unwrap_or_default();
    let process = f.opt("process");
    let version_id = f.opt("versionId");
    let expires = f.text("expires").parse::<i64>().unwrap_or(0);
    let scheme = if v.req.secure { "https" } else { "http" };
    let endpoint = format!("{scheme}://{}", v.req.host);
    let creds = &v.session.creds;
    let (url, error) = if ossd_types::BucketName::new(bucket).is_err() {
        (None, Some("Enter a valid bucket name.".to_owned()))
    } else {
        let req = UrlRequest {
            endpoint: &endpoint,
            region: &v.state.config.region,
            bucket,
            key,
            method,
            expires,
            process,
            version_id,
        };
        let creds = UrlCredentials {
            access_key_id: &creds.access_key_id,
            secret: &creds.secret,
            security_token: creds.security_token.as_deref(),
        };
        match signed_url(creds, &req, v.state.clock.real_now()) {
            Ok(url) => (Some(url), None),
            Err(e) => (None, Some(e.to_string())),
        }
    };
    let page = PresignPage {
        layout: v.layout("buckets", "Signed URL"),
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        method: method.as_str().to_owned(),
        expires: f.text("expires").to_owned(),
        process: process.unwrap_or_default().to_owned(),
        version_id: version_id.unwrap_or_default().to_owned(),
        preview: url.is_some() && method == UrlMethod::Get && is_image_key(key),
        url,
        error,
        temporary: creds.security_token.is_some(),
        script: assets::OBJECTS_JS,
    };
    let status = if page.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    html::render(status, &page)
}
