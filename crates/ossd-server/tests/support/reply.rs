//! A reply read whole, with accessors for the OSS XML error document, the RPC JSON body and the
//! headers every response carries.

use anyhow::{Context, bail};
use base64::Engine;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;

/// A response with its whole body.
#[derive(Debug)]
pub(crate) struct Reply {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Reply {
    /// Reads `resp` to the end.
    pub(crate) async fn read(resp: http::Response<Incoming>) -> anyhow::Result<Self> {
        let (parts, body) = resp.into_parts();
        let body = body.collect().await.context("reading the body")?.to_bytes();
        Ok(Self {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }

    /// Fails unless the status is 2xx.
    pub(crate) fn ok(&self) -> anyhow::Result<()> {
        if !self.status.is_success() {
            bail!("HTTP {}: {}", self.status, self.text());
        }
        Ok(())
    }

    /// The status as a number.
    pub(crate) fn code_num(&self) -> u16 {
        self.status.as_u16()
    }

    /// The body as text.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub(crate) fn json(&self) -> anyhow::Result<serde_json::Value> {
        serde_json::from_slice(&self.body).with_context(|| format!("not JSON: {}", self.text()))
    }

    /// A header's value.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `x-oss-request-id`.
    pub(crate) fn request_id(&self) -> Option<&str> {
        self.header("x-oss-request-id")
    }

    /// The text of the first `<tag>` of the body (XML entities decoded).
    pub(crate) fn xml(&self, tag: &str) -> Option<String> {
        xml_value(&self.text(), tag)
    }

    /// The error document: the body, or for HEAD the base64 `x-oss-err` header.
    pub(crate) fn error_doc(&self) -> Option<String> {
        if !self.body.is_empty() {
            return Some(self.text());
        }
        let encoded = self.header("x-oss-err")?;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()?;
        String::from_utf8(raw).ok()
    }

    /// `Code` of the error document.
    pub(crate) fn code(&self) -> Option<String> {
        xml_value(&self.error_doc()?, "Code")
    }

    /// `Message` of the error document.
    pub(crate) fn message(&self) -> Option<String> {
        xml_value(&self.error_doc()?, "Message")
    }

    /// Asserts an OSS error reply: the status, `Code`, an XML document whose `RequestId` is the
    /// `x-oss-request-id` header (24 uppercase hex characters) and whose `HostId` is set. For
    /// HEAD (`head`), the body is empty and the document is in `x-oss-err`.
    #[track_caller]
    pub(crate) fn assert_error(&self, status: u16, code: &str) -> &Self {
        assert_eq!(
            (self.code_num(), self.code().as_deref()),
            (status, Some(code)),
            "reply: {self:?}, doc: {:?}",
            self.error_doc()
        );
        let doc = self.error_doc().unwrap_or_default();
        assert!(doc.starts_with("<?xml"), "not an XML document: {doc}");
        let id = self.request_id().unwrap_or_default();
        assert!(
            id.len() == 24
                && id
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase()),
            "x-oss-request-id {id:?}"
        );
        assert_eq!(xml_value(&doc, "RequestId").as_deref(), Some(id), "{doc}");
        assert!(
            xml_value(&doc, "HostId").is_some_and(|h| !h.is_empty()),
            "no HostId: {doc}"
        );
        if self.body.is_empty() {
            assert!(
                self.header("x-oss-err").is_some(),
                "empty body and no x-oss-err"
            );
        } else {
            assert_eq!(self.header("content-type"), Some("application/xml"));
        }
        self
    }

    /// Asserts a HEAD error: empty body, the document in `x-oss-err`, and [`Self::assert_error`].
    #[track_caller]
    pub(crate) fn assert_head_error(&self, status: u16, code: &str) -> &Self {
        assert!(self.body.is_empty(), "HEAD body: {}", self.text());
        assert!(self.header("x-oss-err").is_some(), "no x-oss-err: {self:?}");
        self.assert_error(status, code)
    }

    /// Asserts the `Message` of the error document.
    #[track_caller]
    pub(crate) fn assert_message(&self, message: &str) -> &Self {
        assert_eq!(
            self.message().as_deref(),
            Some(message),
            "{:?}",
            self.error_doc()
        );
        self
    }

    /// Asserts another element of the error document.
    #[track_caller]
    pub(crate) fn assert_field(&self, tag: &str, value: &str) -> &Self {
        let doc = self.error_doc().unwrap_or_default();
        assert_eq!(xml_value(&doc, tag).as_deref(), Some(value), "{doc}");
        self
    }

    /// Asserts a success status.
    #[track_caller]
    pub(crate) fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(self.code_num(), status, "{self:?}: {}", self.text());
        self
    }
}

/// The text of the first `<tag>...</tag>` in `doc`, entities decoded.
pub(crate) fn xml_value(doc: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = doc.find(&open)? + open.len();
    let end = doc[start..].find(&format!("</{tag}>"))? + start;
    Some(
        doc[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}
