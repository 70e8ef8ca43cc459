//! Building responses: the headers every response carries, XML bodies, and error documents
//! (with `x-oss-err` / `x-oss-ec` so HEAD callers learn the error too).

use base64::Engine;
use bytes::Bytes;
use http::{HeaderName, HeaderValue, Response, StatusCode, header};
use ossd_proto::error::OssError;
use time::OffsetDateTime;

use crate::transport::body::{Body, empty, full};

/// A response.
pub(crate) type Resp = Response<Body>;

/// An empty 200.
pub(crate) fn ok() -> Resp {
    status(StatusCode::OK)
}

/// An empty response with `code`.
pub(crate) fn status(code: StatusCode) -> Resp {
    let mut r = Response::new(empty());
    *r.status_mut() = code;
    r
}

/// A 200 with an XML document. The document also travels as a response extension
/// ([`XmlDoc`]), for the S3 renderer.
pub(crate) fn xml(doc: String) -> Resp {
    let doc = Bytes::from(doc);
    let mut r = Response::new(full(doc.clone()));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    r.extensions_mut().insert(XmlDoc(doc));
    r
}

/// The XML document of a response, as the handler wrote it (OSS form).
#[derive(Debug, Clone)]
pub(crate) struct XmlDoc(pub(crate) Bytes);

/// The error an error response was written for (OSS form), for the S3 renderer.
#[derive(Debug, Clone)]
pub(crate) struct ErrorDoc(pub(crate) Box<OssError>);

/// Sets a header whose value came from data (skipped if it cannot be a header value).
pub(crate) fn set(resp: &mut Resp, name: &'static str, value: impl AsRef<str>) {
    let value = value.as_ref();
    let value = HeaderValue::from_str(value).or_else(|_| HeaderValue::from_bytes(value.as_bytes()));
    if let Ok(v) = value {
        resp.headers_mut().insert(header_name(name), v);
    }
}

/// Sets a header whose value is a constant of this program (an enum's spelling, a default):
/// shared, not copied into a new buffer as [`set`] does. `value` must be a valid header value
/// (visible ASCII), as every such constant is.
pub(crate) fn set_static(resp: &mut Resp, name: &'static str, value: &'static str) {
    resp.headers_mut()
        .insert(header_name(name), HeaderValue::from_static(value));
}

/// The header name `name` (lowercase), without parsing it for the names a small response sets
/// on every request (`HeaderName::from_static` checks every byte and searches the standard
/// names each time).
fn header_name(name: &'static str) -> HeaderName {
    match name {
        "etag" => header::ETAG,
        "content-length" => header::CONTENT_LENGTH,
        "content-type" => header::CONTENT_TYPE,
        "last-modified" => header::LAST_MODIFIED,
        "accept-ranges" => header::ACCEPT_RANGES,
        "date" => header::DATE,
        "x-oss-request-id" => X_OSS_REQUEST_ID,
        "x-oss-hash-crc64ecma" => HeaderName::from_static("x-oss-hash-crc64ecma"),
        "x-oss-object-type" => HeaderName::from_static("x-oss-object-type"),
        "x-oss-storage-class" => HeaderName::from_static("x-oss-storage-class"),
        other => HeaderName::from_static(other),
    }
}

/// `x-oss-request-id`, on every response.
const X_OSS_REQUEST_ID: HeaderName = HeaderName::from_static("x-oss-request-id");

/// Sets a header with a dynamic name (user metadata).
pub(crate) fn set_dyn(resp: &mut Resp, name: &str, value: &str) {
    set_dyn_bytes(resp, name, value.as_bytes());
}

/// Sets a header with a dynamic name to a value given as bytes (user metadata sent back as it
/// was received, which need not be UTF-8).
pub(crate) fn set_dyn_bytes(resp: &mut Resp, name: &str, value: &[u8]) {
    if let (Ok(n), Ok(v)) = (
        http::HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_bytes(value),
    ) {
        resp.headers_mut().insert(n, v);
    }
}

/// The error document for `err`; for HEAD the body is dropped and the document travels
/// Base64-encoded in `x-oss-err`.
pub(crate) fn error(err: &OssError, request_id: &str, host_id: &str, head: bool) -> Resp {
    let doc = err.to_xml(request_id, host_id);
    let code = StatusCode::from_u16(err.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = if head {
        let mut r = status(code);
        set(
            &mut r,
            "x-oss-err",
            base64::engine::general_purpose::STANDARD.encode(&doc),
        );
        r
    } else {
        let mut r = xml(doc);
        *r.status_mut() = code;
        r
    };
    if let Some(ec) = err.ec {
        set(&mut r, "x-oss-ec", ec);
    }
    for (name, value) in &err.headers {
        set(&mut r, name, value);
    }
    r.extensions_mut().insert(ErrorDoc(Box::new(err.clone())));
    r.extensions_mut()
        .insert(crate::observability::metrics::ErrorCode::oss(
            err.code.as_str(),
        ));
    if let Some(reason) = crate::observability::metrics::denial_reason(err) {
        r.extensions_mut()
            .insert(crate::observability::metrics::Denial(reason));
    }
    r
}

/// Adds the headers every response carries.
pub(crate) fn finish(resp: &mut Resp, request_id: &str, now: OffsetDateTime) {
    set(resp, "x-oss-request-id", request_id);
    if let Some(date) = date_value(now) {
        resp.headers_mut().insert(header::DATE, date);
    }
    resp.headers_mut()
        .insert(header::SERVER, HeaderValue::from_static("AliyunOSS"));
}

/// The `Date` value of `now` (IMF-fixdate), formatted once per second and thread.
fn date_value(now: OffsetDateTime) -> Option<HeaderValue> {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(i64, HeaderValue)>> = const { std::cell::RefCell::new(None) };
    }
    let secs = now.unix_timestamp();
    LAST.with_borrow_mut(|last| match last {
        Some((at, value)) if *at == secs => Some(value.clone()),
        _ => {
            let value = HeaderValue::from_str(&httpdate::fmt_http_date(now.into())).ok()?;
            *last = Some((secs, value.clone()));
            Some(value)
        }
    })
}

/// A new request id: 24 uppercase hex characters.
pub(crate) fn new_request_id() -> String {
    let bytes: [u8; 12] = rand::random();
    hex_upper(&bytes)
}

/// `bytes` as uppercase hex, written straight into a string of the right size (what
/// `hex::encode_upper` gives, without collecting an iterator of `char`s: docs/performance.md,
/// "GET/HEAD: moves, clocks and the access line").
fn hex_upper(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_hex_encode_upper() {
        let mut bytes = [0u8; 12];
        for round in 0..=255u8 {
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = round
                    .wrapping_mul(31)
                    .wrapping_add(u8::try_from(i).unwrap_or(0) * 17);
            }
            bytes[0] = round;
            assert_eq!(hex_upper(&bytes), hex::encode_upper(bytes));
        }
        let id = new_request_id();
        assert_eq!(id.len(), 24);
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
        );
    }

    #[test]
    fn header_names_are_the_parsed_ones() {
        for name in [
            "etag",
            "content-length",
            "content-type",
            "last-modified",
            "accept-ranges",
            "date",
            "x-oss-request-id",
            "x-oss-hash-crc64ecma",
            "x-oss-object-type",
            "x-oss-storage-class",
            "x-oss-version-id",
        ] {
            assert_eq!(header_name(name), HeaderName::from_static(name));
        }
    }

    #[test]
    fn the_date_is_the_second_of_now() {
        let at = |secs| OffsetDateTime::from_unix_timestamp(secs).expect("time");
        let mut resp = ok();
        finish(&mut resp, "RID", at(1_796_564_627));
        assert_eq!(resp.headers()["date"], "Sun, 06 Dec 2026 13:43:47 GMT");
        assert_eq!(resp.headers()["x-oss-request-id"], "RID");
        let mut resp = ok();
        finish(&mut resp, "RID", at(1_796_564_628));
        assert_eq!(resp.headers()["date"], "Sun, 06 Dec 2026 13:43:48 GMT");
        let mut resp = ok();
        finish(&mut resp, "RID", at(1_796_564_627));
        assert_eq!(resp.headers()["date"], "Sun, 06 Dec 2026 13:43:47 GMT");
    }
}
