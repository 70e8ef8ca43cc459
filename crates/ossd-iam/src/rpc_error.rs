//! [`RpcError`]: a failed STS/RAM call as docs/protocol/rpc.md#responses and
//! docs/protocol/ram.md#ram-error-codes describe it.

/// An RPC error: HTTP status, Code, Message, optional AccessDeniedDetail
/// (docs/protocol/access-denied.md#rpc-accessdenieddetail) as JSON.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct RpcError {
    /// HTTP status (always 4xx/5xx).
    pub status: u16,
    /// The error `Code`.
    pub code: String,
    /// The error `Message`.
    pub message: String,
    /// `AccessDeniedDetail` of permission errors
    /// (docs/protocol/access-denied.md#rpc-accessdenieddetail).
    pub access_denied_detail: Option<serde_json::Value>,
}

impl RpcError {
    /// An error without AccessDeniedDetail.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            access_denied_detail: None,
        }
    }

    /// The same error with an AccessDeniedDetail.
    pub fn with_detail(mut self, detail: serde_json::Value) -> Self {
        self.access_denied_detail = Some(detail);
        self
    }

    /// The error as the JSON body fields `Code`, `Message` (and `AccessDeniedDetail`); the server
    /// adds `RequestId`, `HostId` and `Recommend`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut body = serde_json::json!({ "Code": self.code, "Message": self.message });
        if let (Some(detail), Some(map)) = (&self.access_denied_detail, body.as_object_mut()) {
            map.insert("AccessDeniedDetail".to_owned(), detail.clone());
        }
        body
    }
}
