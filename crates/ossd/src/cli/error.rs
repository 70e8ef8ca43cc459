//! The errors an object command ends with: the server's OSS error (docs/protocol/errors.md) or a
//! command line it cannot act on.

use base64::Engine;
use hyper::HeaderMap;

use super::xml;

/// An error answered by the server: `Code`, `Message` and `RequestId` of the OSS error document
/// (or, for HEAD, of the Base64 document in `x-oss-err`, docs/protocol/errors.md#head-errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OssError {
    /// HTTP status.
    pub status: u16,
    /// Error code, e.g. `NoSuchBucket`.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// The request id, for the server's logs.
    pub request_id: String,
    /// A second line that says what to do about it, when the CLI knows.
    pub hint: Option<String>,
}

impl std::fmt::Display for OssError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if !self.request_id.is_empty() {
            write!(f, " (RequestId {})", self.request_id)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nossd: hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for OssError {}

impl OssError {
    /// The error of a failed response: its XML body, else the `x-oss-err` header, else a code
    /// derived from the status.
    pub(crate) fn from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        let request_id = header(headers, "x-oss-request-id").unwrap_or_default();
        let from_header = header(headers, "x-oss-err").and_then(|b64| {
            base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .ok()
        });
        let document = [Some(body.to_vec()), from_header]
            .into_iter()
            .flatten()
            .find_map(|doc| xml::parse(&doc).ok().filter(|e| e.name == "Error"));
        match document {
            Some(doc) => Self {
                status,
                code: doc.text_of("Code").unwrap_or_default().to_owned(),
                message: doc.text_of("Message").unwrap_or_default().to_owned(),
                request_id: doc
                    .text_of("RequestId")
                    .map(str::to_owned)
                    .unwrap_or(request_id),
                hint: None,
            },
            None => Self {
                status,
                code: status_code(status).to_owned(),
                message: format!("HTTP {status}"),
                request_id,
                hint: None,
            },
        }
    }
}

/// A code for a status without an error document.
fn status_code(status: u16) -> &'static str {
    match status {
        304 => "NotModified",
        400 => "BadRequest",
        403 => "AccessDenied",
        404 => "NotFound",
        409 => "Conflict",
        412 => "PreconditionFailed",
        416 => "InvalidRange",
        _ => "UnexpectedStatus",
    }
}

/// A header's value as text.
pub(crate) fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A command line the command cannot act on (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// An `anyhow` error for a usage mistake.
pub(crate) fn usage(message: impl Into<String>) -> anyhow::Error {
    UsageError(message.into()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_document() {
        let body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist.</Message><RequestId>5F1</RequestId><BucketName>x</BucketName></Error>";
        let e = OssError::from_response(404, &HeaderMap::new(), body);
        assert_eq!(
            e.to_string(),
            "NoSuchBucket: The specified bucket does not exist. (RequestId 5F1)"
        );
        assert_eq!(e.status, 404);
    }

    #[test]
    fn head_error_header_and_bare_status() {
        let doc = "<Error><Code>NoSuchKey</Code><Message>m &amp; n</Message><RequestId>R</RequestId></Error>";
        let mut headers = HeaderMap::new();
        let b64 = base64::engine::general_purpose::STANDARD.encode(doc);
        headers.insert("x-oss-err", b64.parse().unwrap());
        let e = OssError::from_response(404, &headers, b"");
        assert_eq!(e.to_string(), "NoSuchKey: m & n (RequestId R)");
        let mut headers = HeaderMap::new();
        headers.insert("x-oss-request-id", "Q".parse().unwrap());
        let e = OssError::from_response(403, &headers, b"");
        assert_eq!(e.to_string(), "AccessDenied: HTTP 403 (RequestId Q)");
    }
}
