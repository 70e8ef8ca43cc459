//! The signed OSS client of the object commands: builds a request, signs it with V4 at the real
//! time, sends it through the shared transport and turns a failed response into an
//! [`OssError`].

use anyhow::Context;
use http_body_util::BodyExt;
use hyper::body::{Bytes, Incoming};
use hyper::{HeaderMap, Response};

use crate::admin::conn::{ConnArgs, CredentialSource, Credentials};
use crate::admin::oss_request::{SignedRequest, Target, sign_request};
use crate::admin::transport::{TIMEOUT, Transport};

use super::error::{OssError, header};

/// Sends signed OSS requests to one endpoint.
pub(crate) struct ObjectClient {
    /// Where requests go.
    transport: Transport,
    /// What they are signed with.
    creds: Credentials,
    /// Where the credentials came from.
    source: CredentialSource,
    /// The endpoint, without a trailing `/` (presigned URLs start with it).
    endpoint: String,
    /// Region id in the V4 scope.
    region: String,
}

/// One request before signing.
#[derive(Debug, Clone)]
pub(crate) struct Req<'a> {
    method: &'static str,
    bucket: Option<&'a str>,
    key: Option<&'a str>,
    query: Vec<(&'a str, &'a str)>,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl<'a> Req<'a> {
    /// `method` on `bucket` (service level when `None`).
    pub(crate) fn new(method: &'static str, bucket: Option<&'a str>) -> Self {
        Self {
            method,
            bucket,
            key: None,
            query: Vec::new(),
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// Addresses the object `key`.
    pub(crate) fn key(mut self, key: &'a str) -> Self {
        self.key = Some(key);
        self
    }

    /// Adds a query parameter (an empty value is sent as the bare name).
    pub(crate) fn query(mut self, name: &'a str, value: &'a str) -> Self {
        self.query.push((name, value));
        self
    }

    /// Adds a query parameter when a value is given.
    pub(crate) fn query_opt(self, name: &'a str, value: Option<&'a str>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    /// Adds a header (the name is lower-cased).
    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Sets the body.
    pub(crate) fn body(mut self, body: Bytes) -> Self {
        self.body = body;
        self
    }
}

/// A whole response.
#[derive(Debug)]
pub(crate) struct Reply {
    /// Response headers.
    pub headers: HeaderMap,
    /// Response body.
    pub body: Bytes,
}

impl Reply {
    /// A header's value as text.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        header(&self.headers, name)
    }
}

impl ObjectClient {
    /// A client for the endpoint and credentials of `conn` (the `--dev` credentials when no
    /// source names any and no `<data-dir>/identity.json` exists).
    pub(crate) fn new(conn: &ConnArgs) -> anyhow::Result<Self> {
        let conn = conn.resolve(true)?;
        Ok(Self {
            transport: Transport::new(&conn.endpoint, &conn.ca_files)?,
            creds: conn.creds,
            source: conn.source,
            endpoint: conn.endpoint,
            region: conn.region,
        })
    }

    /// The endpoint URL without a trailing `/`.
    pub(crate) fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The signing credentials.
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.creds
    }

    /// Where the credentials came from.
    pub(crate) fn source(&self) -> &CredentialSource {
        &self.source
    }

    /// Region id in the V4 scope.
    pub(crate) fn region(&self) -> &str {
        &self.region
    }

    /// Sends `req` and reads the whole response; a status of 300 or more is an [`OssError`].
    pub(crate) async fn send(&self, req: Req<'_>) -> anyhow::Result<Reply> {
        let response = self.open(req).await?;
        let headers = response.headers().clone();
        let body = tokio::time::timeout(TIMEOUT, response.into_body().collect())
            .await
            .context("the response body did not arrive in time")?
            .context("reading the response body")?
            .to_bytes();
        Ok(Reply { headers, body })
    }

    /// Sends `req` and returns the response with its body unread (for streaming); a status of
    /// 300 or more is an [`OssError`].
    pub(crate) async fn open(&self, req: Req<'_>) -> anyhow::Result<Response<Incoming>> {
        let signed = self.sign(&req);
        let response = self.transport.open(&signed, req.body).await?;
        let status = response.status().as_u16();
        if status < 300 {
            return Ok(response);
        }
        let (parts, body) = response.into_parts();
        let body = tokio::time::timeout(TIMEOUT, body.collect())
            .await
            .ok()
            .and_then(Result::ok)
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        Err(OssError::from_response(status, &parts.headers, &body).into())
    }

    fn sign(&self, req: &Req<'_>) -> SignedRequest {
        let target = Target {
            method: req.method,
            bucket: req.bucket,
            key: req.key,
            query: &req.query,
            headers: &req.headers,
        };
        sign_request(&self.creds, &self.region, &target, now())
    }
}

/// The real time: a client signs with its own clock, which the server checks against its own.
#[allow(clippy::disallowed_methods)]
pub(crate) fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}
