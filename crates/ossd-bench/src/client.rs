//! The HTTP client: one kept-alive connection pool per target, signed object-API requests.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use ossd_sig::{uri_encode, uri_encode_path};
use time::OffsetDateTime;

use crate::body::RepeatBody;
use crate::sign::{RequestToSign, Signer};

/// Page size of the ListObjectsV2 workload.
pub(crate) const LIST_MAX_KEYS: &str = "100";

/// A server under test: where it is, which bucket, how to sign.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// The pooled HTTP/1.1 client.
    client: Client<HttpConnector, RepeatBody>,
    /// `host:port` (also the `Host` header).
    authority: String,
    /// Every node of the server (`authority` among them); see [`Target::for_worker`].
    authorities: Arc<[String]>,
    /// The bench bucket.
    bucket: String,
    /// The request signer.
    signer: Signer,
}

impl Target {
    /// A target at `authority` (`host:port`), with up to `pool` idle kept-alive connections.
    pub(crate) fn new(authority: String, bucket: String, signer: Signer, pool: usize) -> Self {
        Self::spread(vec![authority], bucket, signer, pool)
    }

    /// A target whose workers spread over several nodes of one server (`host:port` each; the
    /// first is used outside the workers). An empty list means `127.0.0.1:0`, which fails.
    pub(crate) fn spread(
        authorities: Vec<String>,
        bucket: String,
        signer: Signer,
        pool: usize,
    ) -> Self {
        let authority = authorities
            .first()
            .cloned()
            .unwrap_or_else(|| "127.0.0.1:0".to_owned());
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(pool)
            .pool_idle_timeout(Duration::from_secs(60))
            .build(connector);
        // The pool keeps up to `pool` idle connections per node.
        Self {
            client,
            authority,
            authorities: authorities.into(),
            bucket,
            signer,
        }
    }

    /// The node worker `worker` uses: round robin over the nodes, one node per worker, so each
    /// kept-alive connection stays with one node (as behind a load balancer balancing
    /// connections).
    pub(crate) fn for_worker(&self, worker: usize) -> Self {
        let node = self
            .authorities
            .get(worker % self.authorities.len().max(1))
            .cloned()
            .unwrap_or_else(|| self.authority.clone());
        Self {
            authority: node,
            ..self.clone()
        }
    }

    /// How many nodes the target spreads over.
    pub(crate) fn nodes(&self) -> usize {
        self.authorities.len()
    }

    /// The same node and client, signing in `dialect` (the metrics scrape is OSS-signed).
    pub(crate) fn with_dialect(&self, dialect: crate::sign::Dialect) -> Self {
        let mut signer = self.signer.clone();
        if signer.dialect != dialect {
            signer.dialect = dialect;
            dialect
                .default_region()
                .clone_into(&mut signer.creds.region);
        }
        Self {
            signer,
            ..self.clone()
        }
    }

    /// The same server and client (connection pool shared), addressing another bucket.
    pub(crate) fn with_bucket(&self, bucket: &str) -> Self {
        Self {
            bucket: bucket.to_owned(),
            ..self.clone()
        }
    }

    /// Sends one signed request for `key` (or the bucket) and fails on a non-2xx status.
    pub(crate) async fn send(
        &self,
        method: Method,
        key: Option<&str>,
        query: &[(&str, Option<&str>)],
        body: RepeatBody,
    ) -> anyhow::Result<Response<Incoming>> {
        self.send_with(method, key, query, &[], body).await
    }

    /// Like [`Target::send`], with extra signed headers (lowercase names, e.g. `content-md5`).
    pub(crate) async fn send_with(
        &self,
        method: Method,
        key: Option<&str>,
        query: &[(&str, Option<&str>)],
        headers: &[(String, String)],
        body: RepeatBody,
    ) -> anyhow::Result<Response<Incoming>> {
        let path = self.signer.dialect.resource_path(&self.bucket, key);
        let uri = format!(
            "http://{}{}{}",
            self.authority,
            uri_encode_path(&path),
            wire_query(query)
        );
        let to_sign = RequestToSign {
            method: method.as_str(),
            host: &self.authority,
            bucket: Some(&self.bucket),
            key,
            query,
            headers,
        };
        let content_length = http_body::Body::size_hint(&body).exact().unwrap_or(0);
        let mut builder = Request::builder()
            .method(method.clone())
            .uri(uri)
            .header("host", &self.authority);
        if method == Method::PUT || method == Method::POST {
            builder = builder.header("content-length", content_length);
        }
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        // A client signs with its own real time, which the server checks against its own.
        #[allow(clippy::disallowed_methods)]
        let now = OffsetDateTime::now_utc();
        for (name, value) in self.signer.sign(&to_sign, now) {
            builder = builder.header(name, value);
        }
        let response = self.client.request(builder.body(body)?).await?;
        if !response.status().is_success() {
            return Err(status_error(response).await);
        }
        Ok(response)
    }

    /// Creates the bench bucket; an existing bucket owned by us is fine.
    pub(crate) async fn create_bucket(&self) -> anyhow::Result<()> {
        match self.send(Method::PUT, None, &[], RepeatBody::empty()).await {
            Ok(response) => drain(response.into_body(), |_| ()).await.map(|_| ()),
            Err(e) if e.to_string().contains("BucketAlreadyOwnedByYou") => Ok(()),
            Err(e) if e.to_string().contains("BucketAlreadyExists") => Ok(()),
            Err(e) => Err(e).context("creating the bench bucket"),
        }
    }

    /// Uploads `body` as `key`; returns the bytes sent.
    pub(crate) async fn put(&self, key: &str, body: RepeatBody) -> anyhow::Result<u64> {
        let len = http_body::Body::size_hint(&body).exact().unwrap_or(0);
        let response = self.send(Method::PUT, Some(key), &[], body).await?;
        drain(response.into_body(), |_| ()).await?;
        Ok(len)
    }

    /// Downloads `key` and checks its length; returns the bytes received.
    pub(crate) async fn get(&self, key: &str, expected_len: u64) -> anyhow::Result<u64> {
        let response = self
            .send(Method::GET, Some(key), &[], RepeatBody::empty())
            .await?;
        let got = drain(response.into_body(), |_| ()).await?;
        if got != expected_len {
            bail!("GET {key}: {got} bytes, expected {expected_len}");
        }
        Ok(got)
    }

    /// Reads `key`'s metadata and checks `Content-Length`; returns 0 (no body).
    pub(crate) async fn head(&self, key: &str, expected_len: u64) -> anyhow::Result<u64> {
        let response = self
            .send(Method::HEAD, Some(key), &[], RepeatBody::empty())
            .await?;
        let len = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok());
        if len != Some(expected_len.to_string().as_str()) {
            bail!("HEAD {key}: Content-Length {len:?}, expected {expected_len}");
        }
        drain(response.into_body(), |_| ()).await?;
        Ok(0)
    }

    /// One ListObjectsV2 page of up to 100 keys under `prefix`; returns the response bytes.
    pub(crate) async fn list(&self, prefix: &str) -> anyhow::Result<u64> {
        let query = [
            ("list-type", Some("2")),
            ("max-keys", Some(LIST_MAX_KEYS)),
            ("prefix", Some(prefix)),
        ];
        let response = self
            .send(Method::GET, None, &query, RepeatBody::empty())
            .await?;
        drain(response.into_body(), |_| ()).await
    }
}

/// `?k=v&...` with strictly encoded values, or `""`.
fn wire_query(query: &[(&str, Option<&str>)]) -> String {
    let items: Vec<String> = query
        .iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{}={}", uri_encode(k), uri_encode(v)),
            None => uri_encode(k),
        })
        .collect();
    if items.is_empty() {
        String::new()
    } else {
        format!("?{}", items.join("&"))
    }
}

/// Reads a body to its end, passing each data chunk to `each`; returns the byte count.
pub(crate) async fn drain(mut body: Incoming, mut each: impl FnMut(&Bytes)) -> anyhow::Result<u64> {
    let mut total = 0u64;
    while let Some(frame) = body.frame().await {
        if let Some(data) = frame?.data_ref() {
            each(data);
            total += data.len() as u64;
        }
    }
    Ok(total)
}

/// An error carrying the status and the start of the error document.
async fn status_error(response: Response<Incoming>) -> anyhow::Error {
    let status: StatusCode = response.status();
    let mut head = Vec::new();
    let read = drain(response.into_body(), |chunk| {
        let room = 400usize.saturating_sub(head.len());
        head.extend_from_slice(&chunk[..chunk.len().min(room)]);
    })
    .await;
    let text = String::from_utf8_lossy(&head).replace('\n', " ");
    match read {
        Ok(_) => anyhow::anyhow!("HTTP {status}: {text}"),
        Err(e) => anyhow::anyhow!("HTTP {status} (body cut: {e}): {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::{Credentials, Dialect};

    fn signer() -> Signer {
        Signer {
            dialect: Dialect::S3,
            creds: Credentials {
                access_key_id: "id".into(),
                secret: "secret".into(),
                region: "us-east-1".into(),
            },
        }
    }

    #[test]
    fn workers_spread_round_robin_over_the_nodes() {
        let nodes = vec!["a:1".to_owned(), "b:2".to_owned(), "c:3".to_owned()];
        let target = Target::spread(nodes, "bkt".into(), signer(), 4);
        assert_eq!(target.nodes(), 3);
        let picked: Vec<String> = (0..5).map(|w| target.for_worker(w).authority).collect();
        assert_eq!(picked, ["a:1", "b:2", "c:3", "a:1", "b:2"]);
        assert_eq!(target.authority, "a:1");
        let single = Target::new("x:9".into(), "bkt".into(), signer(), 4);
        assert_eq!(single.for_worker(7).authority, "x:9");
    }

    #[test]
    fn the_metrics_scrape_signs_oss_in_the_oss_default_region() {
        let target = Target::new("x:9".into(), "bkt".into(), signer(), 4);
        let oss = target.with_dialect(Dialect::Oss);
        assert_eq!(oss.signer.dialect, Dialect::Oss);
        assert_eq!(oss.signer.creds.region, Dialect::Oss.default_region());
    }
}
