//! A request builder that addresses a bucket and key path-style or virtual-hosted and signs
//! with OSS V1 or V4, in the `Authorization` header or in the URL, using `ossd-sig`'s signing
//! side.

use bytes::Bytes;
use http_body_util::Full;
use ossd_sig::{
    QueryParam, Scope, SigningView, UNSIGNED_PAYLOAD, V4_ALGORITHM, aws_v4_authorization,
    format_iso8601_basic, format_rfc1123, uri_encode, uri_encode_path, v1_authorization,
    v1_presign_signature, v4_authorization, v4_presign_signature,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::{Creds, REGION, Reply, Server};

/// How a request is authenticated.
#[derive(Debug, Clone)]
enum Auth {
    Anonymous,
    V1(Creds),
    V4(Creds),
    /// V1 URL signature expiring at this Unix time.
    PresignV1(Creds, i64),
    /// V4 URL signature made at this time, valid this many seconds.
    PresignV4(Creds, OffsetDateTime, i64),
    /// AWS Signature V4 in the header (the S3 dialect), every header signed.
    AwsV4(Creds),
}

/// One OSS REST request under construction.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    method: String,
    bucket: Option<String>,
    key: Option<String>,
    query: Vec<QueryParam>,
    headers: Vec<(String, String)>,
    body: Bytes,
    auth: Auth,
    virtual_hosted: bool,
    raw_path: Option<String>,
    /// Added after signing (tampering).
    late_query: Vec<QueryParam>,
    late_headers: Vec<(String, String)>,
    /// The time the signature claims (`Date` / `x-oss-date`); now by default.
    signed_at: Option<OffsetDateTime>,
    /// The region of V4 scopes (the server's by default).
    region: String,
}

impl Request {
    /// A request for `method` on `bucket` (`""`: service level) and `key`.
    pub(crate) fn new(method: &str, bucket: &str, key: Option<&str>) -> Self {
        Self {
            method: method.to_owned(),
            bucket: (!bucket.is_empty()).then(|| bucket.to_owned()),
            key: key.map(str::to_owned),
            query: Vec::new(),
            headers: Vec::new(),
            body: Bytes::new(),
            auth: Auth::Anonymous,
            virtual_hosted: false,
            raw_path: None,
            late_query: Vec::new(),
            late_headers: Vec::new(),
            signed_at: None,
            region: REGION.to_owned(),
        }
    }

    /// `GET`.
    pub(crate) fn get(bucket: &str, key: Option<&str>) -> Self {
        Self::new("GET", bucket, key)
    }

    /// `PUT`.
    pub(crate) fn put(bucket: &str, key: Option<&str>) -> Self {
        Self::new("PUT", bucket, key)
    }

    /// `HEAD`.
    pub(crate) fn head(bucket: &str, key: Option<&str>) -> Self {
        Self::new("HEAD", bucket, key)
    }

    /// `DELETE`.
    pub(crate) fn delete(bucket: &str, key: Option<&str>) -> Self {
        Self::new("DELETE", bucket, key)
    }

    /// `POST`.
    pub(crate) fn post(bucket: &str, key: Option<&str>) -> Self {
        Self::new("POST", bucket, key)
    }

    /// A query parameter `key=value`.
    pub(crate) fn query(mut self, key: &str, value: &str) -> Self {
        self.query.push(QueryParam::new(key, value));
        self
    }

    /// A bare query parameter (`?acl`).
    pub(crate) fn sub(mut self, key: &str) -> Self {
        self.query.push(QueryParam::bare(key));
        self
    }

    /// A header (signed when the scheme covers it).
    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// The body.
    pub(crate) fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Addresses the bucket as `<bucket>.localhost:<port>` instead of in the path.
    pub(crate) fn virtual_hosted(mut self) -> Self {
        self.virtual_hosted = true;
        self
    }

    /// Sends this exact path (and the built query) instead of the one built from bucket and key;
    /// signatures still cover the bucket and key given.
    pub(crate) fn raw_path(mut self, path: &str) -> Self {
        self.raw_path = Some(path.to_owned());
        self
    }

    /// Signs with OSS V1 in the `Authorization` header.
    pub(crate) fn v1(mut self, creds: &Creds) -> Self {
        self.auth = Auth::V1(creds.clone());
        self
    }

    /// Signs with OSS V4 in the `Authorization` header.
    pub(crate) fn v4(mut self, creds: &Creds) -> Self {
        self.auth = Auth::V4(creds.clone());
        self
    }

    /// Signs with AWS Signature V4 in the `Authorization` header (the S3 dialect), for scope
    /// region `us-east-1`. `x-amz-content-sha256` is the body's SHA-256 unless set with
    /// [`Self::header`].
    pub(crate) fn aws_v4(mut self, creds: &Creds) -> Self {
        self.auth = Auth::AwsV4(creds.clone());
        self
    }

    /// A V1 signed URL that expires at Unix time `expires`.
    pub(crate) fn presign_v1(mut self, creds: &Creds, expires: i64) -> Self {
        self.auth = Auth::PresignV1(creds.clone(), expires);
        self
    }

    /// A V4 signed URL made at `at`, valid `expires` seconds from then.
    pub(crate) fn presign_v4(mut self, creds: &Creds, at: OffsetDateTime, expires: i64) -> Self {
        self.auth = Auth::PresignV4(creds.clone(), at, expires);
        self
    }

    /// The time the header signature claims (default: now).
    pub(crate) fn signed_at(mut self, at: OffsetDateTime) -> Self {
        self.signed_at = Some(at);
        self
    }

    /// The region V4 scopes name (default: the server's).
    pub(crate) fn region(mut self, region: &str) -> Self {
        region.clone_into(&mut self.region);
        self
    }

    /// A query parameter added after signing (the signature does not cover it).
    pub(crate) fn tamper_query(mut self, key: &str, value: &str) -> Self {
        self.late_query.push(QueryParam::new(key, value));
        self
    }

    /// A header added after signing (the signature does not cover it).
    pub(crate) fn tamper_header(mut self, name: &str, value: &str) -> Self {
        self.late_headers
            .push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Signs, sends to `server` and reads the reply.
    pub(crate) async fn send(self, server: &Server) -> anyhow::Result<Reply> {
        let req = self.build(&server.authority())?;
        server.send(req).await
    }

    /// Signs, sends to `server`'s S3 listener (`--s3-addr`) and reads the reply.
    pub(crate) async fn send_s3(self, server: &Server) -> anyhow::Result<Reply> {
        let req = self.build(&server.s3_addr.to_string())?;
        server.send(req).await
    }

    /// The signed HTTP request for a server at `authority`.
    pub(crate) fn build(mut self, authority: &str) -> anyhow::Result<http::Request<Full<Bytes>>> {
        let now = self.signed_at.unwrap_or_else(OffsetDateTime::now_utc);
        match self.auth.clone() {
            Auth::Anonymous => {}
            Auth::V1(creds) => {
                self.headers.push(("date".to_owned(), format_rfc1123(now)));
                if let Some(token) = &creds.token {
                    self.headers
                        .push(("x-oss-security-token".to_owned(), token.clone()));
                }
                let auth = v1_authorization(&creds.id, &creds.secret, &self.view(&self.path()));
                self.headers.push(("authorization".to_owned(), auth));
            }
            Auth::V4(creds) => {
                let stamp = format_iso8601_basic(now);
                self.headers.push((
                    "x-oss-content-sha256".to_owned(),
                    UNSIGNED_PAYLOAD.to_owned(),
                ));
                self.headers.push(("x-oss-date".to_owned(), stamp.clone()));
                if let Some(token) = &creds.token {
                    self.headers
                        .push(("x-oss-security-token".to_owned(), token.clone()));
                }
                let scope = scope(&stamp, &self.region);
                let auth = v4_authorization(
                    &creds.id,
                    &creds.secret,
                    &self.view(&self.path()),
                    &scope,
                    &[],
                );
                self.headers.push(("authorization".to_owned(), auth));
            }
            Auth::AwsV4(creds) => {
                let stamp = format_iso8601_basic(now);
                let host = self.host(authority);
                self.headers.push(("host".to_owned(), host));
                self.headers.push(("x-amz-date".to_owned(), stamp.clone()));
                if !self
                    .headers
                    .iter()
                    .any(|(n, _)| n == "x-amz-content-sha256")
                {
                    let digest = hex::encode(Sha256::digest(&self.body));
                    self.headers
                        .push(("x-amz-content-sha256".to_owned(), digest));
                }
                if let Some(token) = &creds.token {
                    self.headers
                        .push(("x-amz-security-token".to_owned(), token.clone()));
                }
                let scope = Scope::new(stamp.get(..8).unwrap_or(&stamp), "us-east-1", "s3");
                let signed: Vec<String> = self.headers.iter().map(|(n, _)| n.clone()).collect();
                let auth = aws_v4_authorization(
                    &creds.id,
                    &creds.secret,
                    &self.view(&self.path()),
                    &scope,
                    &signed,
                );
                self.headers.push(("authorization".to_owned(), auth));
            }
            Auth::PresignV1(creds, expires) => {
                if let Some(token) = &creds.token {
                    self.query.push(QueryParam::new("security-token", token));
                }
                let signature =
                    v1_presign_signature(&creds.secret, &self.view(&self.path()), expires);
                self.query
                    .push(QueryParam::new("OSSAccessKeyId", &creds.id));
                self.query
                    .push(QueryParam::new("Expires", expires.to_string()));
                self.query.push(QueryParam::new("Signature", signature));
            }
            Auth::PresignV4(creds, at, expires) => {
                let stamp = format_iso8601_basic(at);
                let scope = scope(&stamp, &self.region);
                self.query
                    .push(QueryParam::new("x-oss-signature-version", V4_ALGORITHM));
                self.query.push(QueryParam::new(
                    "x-oss-credential",
                    scope.credential(&creds.id),
                ));
                self.query.push(QueryParam::new("x-oss-date", &stamp));
                self.query
                    .push(QueryParam::new("x-oss-expires", expires.to_string()));
                if let Some(token) = &creds.token {
                    self.query
                        .push(QueryParam::new("x-oss-security-token", token));
                }
                let signature = v4_presign_signature(
                    &creds.secret,
                    &self.view(&self.path()),
                    &scope,
                    &stamp,
                    &[],
                );
                self.query
                    .push(QueryParam::new("x-oss-signature", signature));
            }
        }
        self.query.append(&mut self.late_query);
        self.headers.append(&mut self.late_headers);
        let host = self.host(authority);
        let uri = format!(
            "http://{authority}{}{}",
            self.path(),
            wire_query(&self.query)
        );
        let mut builder = http::Request::builder()
            .method(self.method.as_str())
            .uri(uri);
        if !self.headers.iter().any(|(n, _)| n == "host") {
            builder = builder.header(http::header::HOST, host);
        }
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        Ok(builder.body(Full::new(self.body))?)
    }

    /// The Host header for a server at `authority`.
    fn host(&self, authority: &str) -> String {
        match (&self.bucket, self.virtual_hosted) {
            (Some(bucket), true) => format!("{bucket}.localhost:{}", port(authority)),
            _ => authority.to_owned(),
        }
    }

    /// What the signature covers; `raw_path` is [`Self::path`].
    fn view<'a>(&'a self, raw_path: &'a str) -> SigningView<'a> {
        SigningView {
            method: &self.method,
            bucket: self.bucket.as_deref(),
            key: self.key.as_deref(),
            query: &self.query,
            headers: &self.headers,
            raw_path,
            body_sha256: None,
        }
    }

    /// The raw path for the chosen addressing.
    fn path(&self) -> String {
        if let Some(raw) = &self.raw_path {
            return raw.clone();
        }
        let key = self.key.as_deref().map(uri_encode_path).unwrap_or_default();
        match (&self.bucket, self.virtual_hosted) {
            (None, _) => "/".to_owned(),
            (Some(_), true) => format!("/{key}"),
            (Some(bucket), false) => format!("/{bucket}/{key}"),
        }
    }
}

/// The V4 scope of a signature made at `stamp` (`YYYYMMDDTHHMMSSZ`) in `region`.
fn scope(stamp: &str, region: &str) -> Scope {
    Scope::new(stamp.get(..8).unwrap_or(stamp), region, "oss")
}

/// The port of `host:port`.
fn port(authority: &str) -> &str {
    authority.rsplit_once(':').map_or("80", |(_, p)| p)
}

/// `?k=v&bare` with every component percent-encoded (or `""`).
fn wire_query(query: &[QueryParam]) -> String {
    if query.is_empty() {
        return String::new();
    }
    let items: Vec<String> = query
        .iter()
        .map(|p| match p.has_equals {
            true => format!("{}={}", uri_encode(&p.key), uri_encode(&p.value)),
            false => uri_encode(&p.key),
        })
        .collect();
    format!("?{}", items.join("&"))
}

/// A `multipart/form-data` body of `fields` followed by a `file` part; returns the
/// `Content-Type` and the body (PostObject).
pub(crate) fn multipart(fields: &[(&str, &str)], file: &[u8]) -> (String, Bytes) {
    const BOUNDARY: &str = "pipeline-boundary-7d0e1c";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n\
             Content-Type: text/plain\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (
        format!("multipart/form-data; boundary={BOUNDARY}"),
        Bytes::from(body),
    )
}

/// Base64 of the MD5 of `data` (a `Content-MD5` value).
pub(crate) fn content_md5(data: &[u8]) -> String {
    use base64::Engine;
    use md5::Digest;
    base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(data))
}

impl Server {
    /// Writes `head` (an HTTP/1.1 request head and body, sent as is) on a new connection and
    /// reads the reply until the server closes it; for requests the client cannot form.
    pub(crate) async fn raw(&self, request: &str) -> anyhow::Result<String> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut tcp = tokio::net::TcpStream::connect(self.addr).await?;
        tcp.write_all(request.as_bytes()).await?;
        let mut out = Vec::new();
        tcp.read_to_end(&mut out).await?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}
