//! Gzip-compressed GetObject responses, by the rule OSS documents ("How do I compress objects
//! that I download from OSS in the GZIP format?",
//! <https://www.alibabacloud.com/help/en/oss/how-do-i-compress-objects-that-i-download-from-oss-in-the-gzip-format>):
//! the request accepts `gzip`, the object is at least 1 KB and its `Content-Type` is one of
//! the listed web types. The compressed response carries `Content-Encoding: gzip` and
//! `Vary: Accept-Encoding`, and no `ETag`, `Content-Length` or `Accept-Ranges` (it is sent
//! chunked); `x-oss-hash-crc64ecma` stays that of the stored object. See docs/architecture.md
//! ("Browser-facing paths") for where ossd applies it.

use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use http::{HeaderValue, StatusCode, header};
use http_body::{Body as HttpBody, Frame};
use http_body_util::BodyExt;

use crate::pipeline::ctx::Ctx;
use crate::transport::body::Body;
use crate::transport::response::Resp;

/// The smallest object OSS compresses (1 KB).
pub(crate) const MIN_SIZE: u64 = 1024;

/// The media types OSS compresses.
const TYPES: [&str; 10] = [
    "text/cache-manifest",
    "text/xml",
    "text/css",
    "text/html",
    "text/plain",
    "application/javascript",
    "application/x-javascript",
    "application/rss+xml",
    "application/json",
    "text/json",
];

/// Input compressed per poll, so that one poll of a large read chunk stays short.
const SLICE: usize = 64 * 1024;

/// What the decision looks at, for one GetObject response.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts<'a> {
    /// The request's `Accept-Encoding`.
    pub accept_encoding: Option<&'a str>,
    /// Whether the request carried `Range`.
    pub ranged: bool,
    /// The response status.
    pub status: StatusCode,
    /// The response's `Content-Type` (stored or overridden).
    pub content_type: Option<&'a str>,
    /// Whether the response already has a `Content-Encoding` (stored or overridden).
    pub encoded: bool,
    /// The object's size.
    pub size: Option<u64>,
}

/// Whether OSS would gzip this response.
pub(crate) fn should_gzip(f: &Facts<'_>) -> bool {
    f.accept_encoding.is_some_and(accepts_gzip)
        && !f.ranged
        && f.status == StatusCode::OK
        && !f.encoded
        && f.size.is_some_and(|s| s >= MIN_SIZE)
        && f.content_type.is_some_and(compressible)
}

/// Whether an `Accept-Encoding` value accepts `gzip` (listed, and not with `q=0`).
pub(crate) fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim();
        coding.eq_ignore_ascii_case("gzip")
            && parts.all(|p| match p.split_once('=') {
                Some((k, v)) if k.trim().eq_ignore_ascii_case("q") => {
                    v.trim().parse::<f32>().is_ok_and(|q| q > 0.0)
                }
                _ => true,
            })
    })
}

/// Whether a `Content-Type` (parameters ignored) is one OSS compresses.
pub(crate) fn compressible(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or_default().trim();
    TYPES.iter().any(|t| media.eq_ignore_ascii_case(t))
}

/// Compresses a finished GetObject response when OSS would; otherwise returns it unchanged.
pub(crate) fn finish(ctx: &Ctx, mut resp: Resp) -> Resp {
    let Some(accept_encoding) = ctx.header("accept-encoding") else {
        return resp;
    };
    let h = resp.headers();
    let facts = Facts {
        accept_encoding: Some(accept_encoding),
        ranged: ctx.header("range").is_some(),
        status: resp.status(),
        content_type: h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
        encoded: h.contains_key(header::CONTENT_ENCODING),
        size: h
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok()),
    };
    if !should_gzip(&facts) {
        return resp;
    }
    let h = resp.headers_mut();
    h.remove(header::CONTENT_LENGTH);
    h.remove(header::ETAG);
    h.remove(header::ACCEPT_RANGES);
    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    h.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    resp.map(|body| GzipBody::new(body).boxed_unsync())
}

/// A body gzip-compressed as it streams: at most one read chunk and its compressed output are
/// held at a time. The size is unknown, so HTTP/1.1 sends it chunked.
pub(crate) struct GzipBody {
    inner: Body,
    /// `None` once the trailer has been sent or an error ended the body.
    encoder: Option<GzEncoder<Vec<u8>>>,
    /// Input not compressed yet.
    pending: Bytes,
    inner_done: bool,
}

impl GzipBody {
    /// Wraps `inner` (level 1: fast, as web servers compress on the fly).
    pub(crate) fn new(inner: Body) -> Self {
        GzipBody {
            inner,
            encoder: Some(GzEncoder::new(Vec::new(), Compression::fast())),
            pending: Bytes::new(),
            inner_done: false,
        }
    }
}

impl HttpBody for GzipBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = &mut *self;
        loop {
            let Some(enc) = this.encoder.as_mut() else {
                return Poll::Ready(None);
            };
            if !this.pending.is_empty() {
                let input = this.pending.split_to(this.pending.len().min(SLICE));
                if let Err(e) = enc.write_all(&input) {
                    this.encoder = None;
                    return Poll::Ready(Some(Err(e)));
                }
                let out = std::mem::take(enc.get_mut());
                if !out.is_empty() {
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from(out)))));
                }
                if !this.pending.is_empty() {
                    // Give other tasks a turn between slices of a large chunk.
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                continue;
            }
            if this.inner_done {
                let finished = enc.try_finish();
                let out = std::mem::take(enc.get_mut());
                this.encoder = None;
                return Poll::Ready(Some(finished.map(|()| Frame::data(Bytes::from(out)))));
            }
            match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        this.pending = data;
                    }
                }
                Some(Err(e)) => {
                    this.encoder = None;
                    return Poll::Ready(Some(Err(e)));
                }
                None => this.inner_done = true,
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.encoder.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::body::{full, stream};
    use futures_util::stream as fstream;
    use std::io::Read;

    fn facts() -> Facts<'static> {
        Facts {
            accept_encoding: Some("gzip"),
            ranged: false,
            status: StatusCode::OK,
            content_type: Some("text/plain"),
            encoded: false,
            size: Some(1024),
        }
    }

    #[test]
    fn compresses_by_the_documented_rule() {
        assert!(should_gzip(&facts()));
        for t in TYPES {
            assert!(should_gzip(&Facts {
                content_type: Some(t),
                ..facts()
            }));
        }
        assert!(should_gzip(&Facts {
            content_type: Some("Text/Plain; charset=utf-8"),
            size: Some(10 << 20),
            ..facts()
        }));
    }

    #[test]
    fn identity_otherwise() {
        let cases = [
            Facts {
                accept_encoding: None,
                ..facts()
            },
            Facts {
                accept_encoding: Some("identity"),
                ..facts()
            },
            Facts {
                ranged: true,
                ..facts()
            },
            Facts {
                status: StatusCode::PARTIAL_CONTENT,
                ..facts()
            },
            Facts {
                status: StatusCode::NOT_MODIFIED,
                ..facts()
            },
            Facts {
                encoded: true,
                ..facts()
            },
            Facts {
                size: Some(MIN_SIZE - 1),
                ..facts()
            },
            Facts {
                size: None,
                ..facts()
            },
            Facts {
                content_type: None,
                ..facts()
            },
            Facts {
                content_type: Some("application/octet-stream"),
                ..facts()
            },
            Facts {
                content_type: Some("image/png"),
                ..facts()
            },
            Facts {
                content_type: Some("application/xml"),
                ..facts()
            },
            Facts {
                content_type: Some("text/plainx"),
                ..facts()
            },
        ];
        for f in cases {
            assert!(!should_gzip(&f), "{f:?}");
        }
    }

    #[test]
    fn accept_encoding_values() {
        for yes in [
            "gzip",
            "GZIP",
            "gzip, deflate, br",
            "br;q=1.0, gzip;q=0.5",
            " deflate ,gzip ",
            "gzip;q=1",
        ] {
            assert!(accepts_gzip(yes), "{yes}");
        }
        for no in [
            "",
            "identity",
            "deflate, br",
            "gzip;q=0",
            "gzip; q=0.000",
            "gzip;q=x",
            "x-gzip",
            "gzipx",
            "*",
        ] {
            assert!(!accepts_gzip(no), "{no}");
        }
    }

    async fn collect(body: GzipBody) -> Vec<u8> {
        let bytes = body.collect().await.map(|c| c.to_bytes());
        assert!(bytes.is_ok());
        bytes.unwrap_or_default().to_vec()
    }

    fn gunzip(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let read = flate2::read::GzDecoder::new(data).read_to_end(&mut out);
        assert!(read.is_ok());
        out
    }

    #[tokio::test]
    async fn body_round_trips() {
        let data: Vec<u8> = (0..700_000u32)
            .map(|i| (i % 251) as u8 ^ (i >> 9) as u8)
            .collect();
        let chunks: Vec<io::Result<Bytes>> = data
            .chunks(256 * 1024)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let body = GzipBody::new(stream(Box::pin(fstream::iter(chunks))));
        assert_eq!(gunzip(&collect(body).await), data);

        let empty = GzipBody::new(full(Bytes::new()));
        assert!(gunzip(&collect(empty).await).is_empty());
    }

    #[tokio::test]
    async fn body_error_ends_the_stream() {
        let chunks: Vec<io::Result<Bytes>> = vec![
            Ok(Bytes::from_static(b"abc")),
            Err(io::Error::other("disk")),
        ];
        let body = GzipBody::new(stream(Box::pin(fstream::iter(chunks))));
        assert!(body.collect().await.is_err());
    }
}
