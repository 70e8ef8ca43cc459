//! Reading an RPC response (docs/protocol/rpc.md): the JSON body on success, [`ApiError`]
//! otherwise.

use anyhow::anyhow;
use serde_json::Value;

/// An error answered by the server: `Code`, `Message` and `RequestId` of the JSON error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Error code, e.g. `EntityNotExist.User`.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// Request id, for the server log.
    pub request_id: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.code, self.message, self.request_id)
    }
}

impl std::error::Error for ApiError {}

/// `Code` values that mean success to `@alicloud/pop-core`
/// (docs/protocol/rpc.md#client-status-handling).
const SUCCESS_CODES: [&str; 4] = ["200", "OK", "Success", "success"];

/// How much of a non-JSON body is quoted in an error.
const SNIPPET_CHARS: usize = 200;

/// The JSON object of a successful response, or the error it carries.
pub(super) fn parse(status: u16, body: &[u8]) -> anyhow::Result<Value> {
    let json: Option<Value> = serde_json::from_slice(body).ok().filter(Value::is_object);
    let code = json.as_ref().and_then(|v| v.get("Code")).map(text);
    let failed = !(200..300).contains(&status)
        || code.as_deref().is_some_and(|c| !SUCCESS_CODES.contains(&c));
    match (json, code) {
        (Some(v), _) if !failed => Ok(v),
        (Some(v), Some(code)) => Err(ApiError {
            status,
            code,
            message: v.get("Message").map(text).unwrap_or_default(),
            request_id: v.get("RequestId").map(text).unwrap_or_default(),
        }
        .into()),
        _ => {
            let raw = String::from_utf8_lossy(body);
            let snippet: String = raw.chars().take(SNIPPET_CHARS).collect();
            Err(anyhow!(
                "unexpected response (HTTP {status}): {}",
                snippet.trim()
            ))
        }
    }
}

/// A JSON scalar as text (strings without quotes).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_body() -> anyhow::Result<()> {
        let v = parse(200, br#"{"RequestId":"R","User":{"UserName":"a"}}"#)?;
        assert_eq!(v["User"]["UserName"], "a");
        Ok(())
    }

    #[test]
    fn error_body() {
        let body = br#"{"RequestId":"6894B13B","HostId":"h","Code":"EntityNotExist.User","Message":"The user does not exist."}"#;
        let err = parse(404, body).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("EntityNotExist.User: The user does not exist. (6894B13B)")
        );
        let api = parse(404, body).err();
        let api = api.as_ref().and_then(|e| e.downcast_ref::<ApiError>());
        assert_eq!(api.map(|a| a.status), Some(404));
    }

    #[test]
    fn code_in_a_200_body_is_an_error_unless_success() {
        assert!(
            parse(
                200,
                br#"{"Code":"Throttling.User","Message":"m","RequestId":"r"}"#
            )
            .is_err()
        );
        assert!(parse(200, br#"{"Code":"OK","RequestId":"r"}"#).is_ok());
    }

    #[test]
    fn non_json() {
        let e = parse(502, b"<html>bad gateway</html>")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("unexpected response (HTTP 502): <html>bad gateway</html>")
        );
        assert!(parse(200, b"[]").is_err());
        assert!(parse(403, br#"{"Message":"no code"}"#).is_err());
    }
}
