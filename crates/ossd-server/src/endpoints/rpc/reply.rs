//! RPC responses: JSON bodies with `RequestId`, errors with `Code`, `Message`, `HostId` and the
//! `AccessDeniedDetail` of permission errors (docs/protocol/rpc.md#responses, docs/protocol/access-denied.md#rpc-accessdenieddetail).

use http::{HeaderValue, StatusCode, header};
use ossd_rpc::WireError;
use serde_json::{Map, Value};

use crate::transport::body::full;
use crate::transport::response::{Resp, set};

/// A 200 with `value` plus `RequestId`.
pub(super) fn success(value: Value, request_id: &str) -> Resp {
    let mut obj = match value {
        Value::Object(m) => m,
        other => {
            let mut m = Map::new();
            m.insert("Result".to_owned(), other);
            m
        }
    };
    obj.insert("RequestId".to_owned(), Value::String(request_id.to_owned()));
    json(StatusCode::OK, &Value::Object(obj), request_id)
}

/// The error document for `e`.
pub(super) fn error(e: &WireError, request_id: &str, host: &str) -> Resp {
    let mut obj = Map::new();
    obj.insert("RequestId".to_owned(), request_id.into());
    obj.insert("HostId".to_owned(), host.into());
    obj.insert("Code".to_owned(), e.code.clone().into());
    obj.insert("Message".to_owned(), e.message.clone().into());
    obj.insert(
        "Recommend".to_owned(),
        format!("https://api.aliyun.com/troubleshoot?q={}", e.code).into(),
    );
    if let Some(detail) = &e.access_denied_detail {
        obj.insert("AccessDeniedDetail".to_owned(), detail.clone());
    }
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json(status, &Value::Object(obj), request_id)
}

fn json(status: StatusCode, value: &Value, request_id: &str) -> Resp {
    let mut r = Resp::new(full(value.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    set(&mut r, "x-acs-request-id", request_id);
    r
}
