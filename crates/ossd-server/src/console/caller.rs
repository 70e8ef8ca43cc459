//! The console's only way to act (docs/console.md#no-privileges-of-its-own): an ordinary
//! request, signed with the session's credentials — OSS V4 in the header for the object API
//! (docs/protocol/signatures.md#v4-header-signature), RPC signature v1 for RAM and STS
//! (docs/protocol/rpc.md#v1-signature) — and run through the same dispatcher as a request from a
//! connection (`pipeline::dispatch::handle_local`): authentication, `authorize()`, audit,
//! metrics and the access log, with the browser's address and transport as the request's. No
//! network hop, and no privilege of the console's own.

use std::net::SocketAddr;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use ossd_sig::rpc::{format_rpc_timestamp, sign_v1};
use ossd_sig::{OssRequest, QueryParam, SigningCredentials, sign_oss_request, uri_encode};
use serde_json::Value;

use super::session::Credentials;
use crate::AppState;
use crate::pipeline::dispatch::handle_local;
use crate::transport::body::{Body, Inbound};
use crate::transport::response::Resp;

/// An RPC product the console calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Product {
    /// RAM, API version `2015-05-01`.
    Ram,
    /// STS, API version `2015-04-01`.
    Sts,
}

impl Product {
    fn version(self) -> &'static str {
        match self {
            Self::Ram => "2015-05-01",
            Self::Sts => "2015-04-01",
        }
    }
}

/// A request the server refused, as the page shows it: the error's Code, Message, RequestId and,
/// for a denial a policy decided, the AccessDeniedDetail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub(crate) struct CallError {
    /// HTTP status of the refusal.
    pub status: u16,
    /// The error `Code`.
    pub code: String,
    /// The error `Message`.
    pub message: String,
    /// The `RequestId` (look it up in the audit trail and access log).
    pub request_id: String,
    /// The `AccessDeniedDetail`, pretty-printed (JSON for RPC, the XML element's text for OSS).
    pub detail: Option<String>,
}

impl CallError {
    /// A failure of the console itself (no server answer to show).
    pub(crate) fn local(code: &str, message: impl Into<String>) -> Self {
        Self {
            status: 500,
            code: code.to_owned(),
            message: message.into(),
            request_id: String::new(),
            detail: None,
        }
    }
}

/// An object API answer with a success status (< 400).
#[derive(Debug)]
#[allow(dead_code)] // status and headers are for the bucket and object pages
pub(crate) struct OssReply {
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

/// Signs and runs requests as one session's identity.
pub(crate) struct ConsoleCaller<'a> {
    state: &'a AppState,
    creds: &'a Credentials,
    remote: SocketAddr,
    secure: bool,
    host: &'a str,
}

impl<'a> ConsoleCaller<'a> {
    /// A caller signing with `creds`, its requests coming from the browser at `remote` over the
    /// console request's transport and `Host`.
    pub(crate) fn new(
        state: &'a AppState,
        creds: &'a Credentials,
        remote: SocketAddr,
        secure: bool,
        host: &'a str,
    ) -> Self {
        Self {
            state,
            creds,
            remote,
            secure,
            host,
        }
    }

    /// Runs an OSS REST request path-style (`/<bucket>/<key>?<query>`, V4 header signature,
    /// unsigned payload) with a body held whole, and reads the answer whole. `headers` have
    /// lower-case names; an empty query value is sent as a bare key (`?uploads`). A status of
    /// 400 or more is a [`CallError`] read from the OSS error document.
    pub(crate) async fn oss(
        &self,
        method: Method,
        bucket: Option<&str>,
        key: Option<&str>,
        query: &[(&str, &str)],
        headers: &[(String, String)],
        body: Bytes,
    ) -> Result<OssReply, CallError> {
        let mut with_length = headers.to_vec();
        with_length.push(("content-length".to_owned(), body.len().to_string()));
        let body = Inbound::Local(Full::new(body));
        let resp = self
            .oss_stream(method, bucket, key, query, &with_length, body)
            .await?;
        let (parts, body) = resp.into_parts();
        Ok(OssReply {
            status: parts.status,
            headers: parts.headers,
            body: collect(body).await?,
        })
    }

    /// [`Self::oss`] with the request body streamed from `body` and the response body
    /// streamed back: the answer as the dispatcher produced it when its status is below 400.
    /// `headers` carry `content-length` when the body has one. An error document is read
    /// whole (it is small).
    pub(crate) async fn oss_stream(
        &self,
        method: Method,
        bucket: Option<&str>,
        key: Option<&str>,
        query: &[(&str, &str)],
        headers: &[(String, String)],
        body: Inbound,
    ) -> Result<Resp, CallError> {
        let req = self.signed_oss(method, bucket, key, query, headers, body)?;
        let resp = handle_local(self.state, req, self.remote, self.secure).await;
        if resp.status().as_u16() < 400 {
            return Ok(resp);
        }
        let (parts, body) = resp.into_parts();
        let body = collect(body).await?;
        Err(oss_error(parts.status, &parts.headers, &body))
    }

    /// An OSS request signed with the session's credentials (`ossd_sig::sign_oss_request`: V4
    /// header signature, unsigned payload), path-style on the console's `Host`.
    fn signed_oss(
        &self,
        method: Method,
        bucket: Option<&str>,
        key: Option<&str>,
        query: &[(&str, &str)],
        headers: &[(String, String)],
        body: Inbound,
    ) -> Result<Request<Inbound>, CallError> {
        let request = OssRequest {
            method: method.as_str(),
            bucket,
            key,
            query,
            headers,
            payload_sha256: None,
        };
        let creds = SigningCredentials {
            access_key_id: &self.creds.access_key_id,
            secret: &self.creds.secret,
            security_token: self.creds.security_token.as_deref(),
        };
        let now = self.state.clock.real_now();
        let signed = sign_oss_request(&request, &creds, &self.state.config.region, now);
        let mut req = Request::builder()
            .method(method)
            .uri(signed.path_and_query)
            .header(header::HOST, self.host);
        for (k, v) in &signed.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        req.body(body)
            .map_err(|e| CallError::local("InvalidRequest", e.to_string()))
    }

    /// Runs a RAM or STS RPC action with `params` (signature v1, form POST). Success is the
    /// response's JSON; a refusal is a [`CallError`] read from the JSON error body.
    pub(crate) async fn rpc(
        &self,
        product: Product,
        action: &str,
        params: &[(&str, &str)],
    ) -> Result<Value, CallError> {
        let now = self.state.clock.real_now();
        let nonce = uuid::Uuid::new_v4().to_string();
        let mut all = vec![
            QueryParam::new("Action", action),
            QueryParam::new("Version", product.version()),
            QueryParam::new("Format", "JSON"),
            QueryParam::new("AccessKeyId", self.creds.access_key_id.as_str()),
            QueryParam::new("SignatureMethod", "HMAC-SHA1"),
            QueryParam::new("SignatureVersion", "1.0"),
            QueryParam::new("SignatureNonce", nonce),
            QueryParam::new("Timestamp", format_rpc_timestamp(now)),
        ];
        if let Some(token) = &self.creds.security_token {
            all.push(QueryParam::new("SecurityToken", token.as_str()));
        }
        all.extend(params.iter().map(|(k, v)| QueryParam::new(*k, *v)));
        let signature = sign_v1("POST", &all, &self.creds.secret);
        all.push(QueryParam::new("Signature", signature));
        let form = all
            .iter()
            .map(|p| format!("{}={}", uri_encode(&p.key), uri_encode(&p.value)))
            .collect::<Vec<_>>()
            .join("&");
        let req = Request::builder()
            .method(Method::POST)
            .uri("/")
            .header(header::HOST, self.host)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, form.len())
            .body(Inbound::Local(Full::new(Bytes::from(form))))
            .map_err(|e| CallError::local("InvalidRequest", e.to_string()))?;
        let (status, headers, body) = self.run(req).await?;
        let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        if status.is_success() {
            return Ok(value);
        }
        let field = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_owned);
        let request_id = field("RequestId").or_else(|| {
            headers
                .get("x-acs-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
        Err(CallError {
            status: status.as_u16(),
            code: field("Code").unwrap_or_else(|| status.as_str().to_owned()),
            message: field("Message").unwrap_or_default(),
            request_id: request_id.unwrap_or_default(),
            detail: value
                .get("AccessDeniedDetail")
                .map(|d| serde_json::to_string_pretty(d).unwrap_or_else(|_| d.to_string())),
        })
    }

    async fn run(
        &self,
        req: Request<Inbound>,
    ) -> Result<(StatusCode, HeaderMap, Bytes), CallError> {
        let resp = handle_local(self.state, req, self.remote, self.secure).await;
        let (parts, body) = resp.into_parts();
        Ok((parts.status, parts.headers, collect(body).await?))
    }
}

/// A response body read whole.
async fn collect(body: Body) -> Result<Bytes, CallError> {
    Ok(body
        .collect()
        .await
        .map_err(|e| CallError::local("InternalError", e.to_string()))?
        .to_bytes())
}

/// The refusal in an OSS error document (`<Error><Code>…`); a HEAD answer has no body, so its
/// `x-oss-err` header is read instead when present.
fn oss_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> CallError {
    let header = |k: &str| headers.get(k).and_then(|v| v.to_str().ok());
    // The administrative endpoints under `/-/` answer JSON errors (`{"Code", "Message",
    // "RequestId"}`).
    if let Ok(Value::Object(json)) = serde_json::from_slice::<Value>(body) {
        let field = |k: &str| json.get(k).and_then(Value::as_str).map(str::to_owned);
        return CallError {
            status: status.as_u16(),
            code: field("Code").unwrap_or_else(|| status.as_str().to_owned()),
            message: field("Message").unwrap_or_default(),
            request_id: field("RequestId")
                .or_else(|| header("x-oss-request-id").map(str::to_owned))
                .unwrap_or_default(),
            detail: None,
        };
    }
    let mut text = String::from_utf8_lossy(body).into_owned();
    if text.trim().is_empty()
        && let Some(encoded) = header("x-oss-err")
    {
        use base64::Engine;
        if let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(encoded) {
            text = String::from_utf8_lossy(&raw).into_owned();
        }
    }
    CallError {
        status: status.as_u16(),
        code: xml_element(&text, "Code").unwrap_or_else(|| status.as_str().to_owned()),
        message: xml_element(&text, "Message").unwrap_or_default(),
        request_id: xml_element(&text, "RequestId")
            .or_else(|| header("x-oss-request-id").map(str::to_owned))
            .unwrap_or_default(),
        detail: xml_element(&text, "AccessDeniedDetail")
            .or_else(|| xml_element(&text, "EC").map(|ec| format!("EC {ec}"))),
    }
}

/// The unescaped text of the first `<name>…</name>` in `doc`.
pub(crate) fn xml_element(doc: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = doc.find(&open)? + open.len();
    let len = doc.get(start..)?.find(&close)?;
    let raw = doc.get(start..start + len)?;
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_oss_error_documents() {
        let doc = "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>You have no right &amp; more</Message><RequestId>R1</RequestId><EC>0003-00000001</EC></Error>";
        let e = oss_error(StatusCode::FORBIDDEN, &HeaderMap::new(), doc.as_bytes());
        assert_eq!(e.code, "AccessDenied");
        assert_eq!(e.message, "You have no right & more");
        assert_eq!(e.request_id, "R1");
        assert_eq!(e.status, 403);
    }
}
