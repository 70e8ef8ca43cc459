//! The signed OSS client of the object commands: builds a request, signs it with V4 at the real
//! time, sends it through the shared transport and turns a failed response into an
//! [`OssError`].

use anyhow::Context;
use http_body_util::BodyExt;
use hyper::body::{Bytes, Incoming};
use hyper::{HeaderMap, Response};

use crate::admin::conn::{ConnArgs, Credentials, Secret};
use crate::admin::oss_request::{SignedRequest, Target, sign_request};
use crate::admin::transport::{TIMEOUT, Transport};

use super::error::{OssError, header};

/// Sends signed OSS requests to one endpoint.
pub(crate) struct ObjectClient {
    /// Where requests go.
    transport: Transport,
    /// What they are signed with.
    creds: Credentials,
    /// The endpoint, without a trailing `/` (presigned URLs start with it).
    endpoint: String,
    /// Whether nothing named credentials, so the `--dev` root key is used.
    dev_key: bool,
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
    /// A client for the endpoint and credentials of `conn` (the `--dev` credentials when none
    /// are given and no `<data-dir>/identity.json` exists).
    pub(crate) fn new(conn: &ConnArgs) -> anyhow::Result<Self> {
        let (creds, dev_key) = credentials(conn)?;
        Ok(Self {
            transport: Transport::new(&conn.endpoint, &conn.ca_files())?,
            creds,
            endpoint: conn.endpoint.trim_end_matches('/').to_owned(),
            dev_key,
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

    /// Whether the credentials are the `--dev` default because nothing named any.
    pub(crate) fn uses_dev_key(&self) -> bool {
        self.dev_key
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
        sign_request(&self.creds, &target, now())
    }
}

/// The real time: a client signs with its own clock, which the server checks against its own.
#[allow(clippy::disallowed_methods)]
pub(crate) fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// The credentials of `ossd admin` (flags, environment, `<data-dir>/identity.json`), falling
/// back to the documented `--dev` root key (docs/emulator.md) when none of them is there (then
/// `true`).
fn credentials(conn: &ConnArgs) -> anyhow::Result<(Credentials, bool)> {
    let given = conn.access_key_id.as_deref().is_some_and(|s| !s.is_empty())
        || conn
            .access_key_secret
            .as_ref()
            .is_some_and(|s| !s.expose().is_empty());
    if given || conn.data_dir.join("identity.json").is_file() {
        return Ok((conn.credentials()?, false));
    }
    use ossd_server::emulator::{DEV_ROOT_ACCESS_KEY_ID, DEV_ROOT_ACCESS_KEY_SECRET};
    let dev = Credentials {
        access_key_id: DEV_ROOT_ACCESS_KEY_ID.to_owned(),
        secret: Secret::from(DEV_ROOT_ACCESS_KEY_SECRET.to_owned()),
        security_token: conn.security_token.clone(),
    };
    Ok((dev, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(dir: &std::path::Path) -> ConnArgs {
        ConnArgs {
            endpoint: "http://127.0.0.1:9000/".to_owned(),
            access_key_id: None,
            access_key_secret: None,
            security_token: None,
            data_dir: dir.to_path_buf(),
            ca_file: None,
            json: false,
        }
    }

    #[test]
    fn dev_credentials_when_nothing_is_set() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let client = ObjectClient::new(&conn(dir.path()))?;
        assert_eq!(
            client.credentials().access_key_id,
            "LTAI5tDevRootAccessKey01"
        );
        assert_eq!(client.endpoint(), "http://127.0.0.1:9000");
        let mut c = conn(dir.path());
        c.access_key_id = Some("LTAIother".to_owned());
        assert!(ObjectClient::new(&c).is_err(), "an id without a secret");
        c.access_key_secret = Some(Secret::from("s".to_owned()));
        assert_eq!(
            ObjectClient::new(&c)?.credentials().access_key_id,
            "LTAIother"
        );
        Ok(())
    }
}
