//! One HTTP/1.1 request per call over TCP, or TLS trusting the given PEM roots: a form `POST /`
//! (RPC), an OSS-signed request to an administrative path, or (for the object commands) any
//! OSS-signed request with a body, whose response body the caller streams.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::body::Incoming;
use hyper::{Request, Response, Uri, header};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::oss_request::SignedRequest;

/// Longest wait for a whole request (connect, send, read); for a streamed response, for its
/// headers.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);
/// The `User-Agent` of every request.
const USER_AGENT: &str = concat!("ossd-admin/", env!("CARGO_PKG_VERSION"));

/// Where and how to send requests.
pub(crate) struct Transport {
    /// Host name or address, without IPv6 brackets.
    host: String,
    /// TCP port.
    port: u16,
    /// `Host` header value.
    authority: String,
    /// TLS settings for https endpoints.
    tls: Option<tokio_rustls::TlsConnector>,
}

impl Transport {
    /// Parses `endpoint` (`http://host[:port]` or `https://…`); https trusts `ca_files`.
    pub(crate) fn new(endpoint: &str, ca_files: &[PathBuf]) -> anyhow::Result<Self> {
        let uri: Uri = endpoint
            .parse()
            .with_context(|| format!("invalid endpoint {endpoint:?}"))?;
        let https = match uri.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            _ => bail!("endpoint {endpoint:?} must start with http:// or https://"),
        };
        let authority = uri
            .authority()
            .ok_or_else(|| anyhow!("endpoint {endpoint:?} has no host"))?;
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']');
        let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
        let tls = if https {
            Some(tls_connector(ca_files)?)
        } else {
            None
        };
        Ok(Self {
            host: host.to_owned(),
            port,
            authority: authority.as_str().to_owned(),
            tls,
        })
    }

    /// Sends `body` as a form POST to `/`; returns the status and the response body.
    pub(super) async fn post_form(&self, body: String) -> anyhow::Result<(u16, Bytes)> {
        let request = Request::post("/")
            .header(header::HOST, &self.authority)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::USER_AGENT, USER_AGENT)
            .body(Full::new(Bytes::from(body)))?;
        self.round_trip(request).await
    }

    /// Sends a signed request without a body; returns the status and the response body.
    pub(super) async fn send_signed(&self, signed: &SignedRequest) -> anyhow::Result<(u16, Bytes)> {
        self.send_signed_within(signed, TIMEOUT).await
    }

    /// [`Self::send_signed`] waiting at most `limit` (long-running administrative calls).
    pub(super) async fn send_signed_within(
        &self,
        signed: &SignedRequest,
        limit: Duration,
    ) -> anyhow::Result<(u16, Bytes)> {
        let mut builder = Request::builder()
            .method(signed.method)
            .uri(signed.path_and_query.as_str())
            .header(header::HOST, &self.authority)
            .header(header::USER_AGENT, USER_AGENT);
        for (name, value) in &signed.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        self.round_trip_within(builder.body(Full::new(Bytes::new()))?, limit)
            .await
    }

    /// Sends a signed request with `body` and returns the response once its headers have
    /// arrived (within [`TIMEOUT`]); the connection lives until the caller has read or dropped
    /// the body.
    pub(crate) async fn open(
        &self,
        signed: &SignedRequest,
        body: Bytes,
    ) -> anyhow::Result<Response<Incoming>> {
        let mut builder = Request::builder()
            .method(signed.method)
            .uri(signed.path_and_query.as_str())
            .header(header::HOST, &self.authority)
            .header(header::USER_AGENT, USER_AGENT);
        for (name, value) in &signed.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let request = builder.body(Full::new(body))?;
        let opened = async {
            let io = self.connect().await?;
            open_on(io, request)
                .await
                .with_context(|| format!("HTTP exchange with {}", self.authority))
        };
        tokio::time::timeout(TIMEOUT, opened)
            .await
            .map_err(|_| anyhow!("no answer from {} within {TIMEOUT:?}", self.authority))?
    }

    async fn round_trip(&self, request: Request<Full<Bytes>>) -> anyhow::Result<(u16, Bytes)> {
        self.round_trip_within(request, TIMEOUT).await
    }

    async fn round_trip_within(
        &self,
        request: Request<Full<Bytes>>,
        limit: Duration,
    ) -> anyhow::Result<(u16, Bytes)> {
        tokio::time::timeout(limit, self.exchange(request))
            .await
            .map_err(|_| anyhow!("no answer from {} within {limit:?}", self.authority))?
    }

    async fn exchange(&self, request: Request<Full<Bytes>>) -> anyhow::Result<(u16, Bytes)> {
        let io = self.connect().await?;
        send(io, request)
            .await
            .with_context(|| format!("HTTP exchange with {}", self.authority))
    }

    /// A fresh connection: TCP, with TLS for https.
    async fn connect(&self) -> anyhow::Result<Box<dyn Stream>> {
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .with_context(|| format!("connecting to {}", self.authority))?;
        match &self.tls {
            None => Ok(Box::new(tcp)),
            Some(tls) => {
                let name = ServerName::try_from(self.host.clone())
                    .with_context(|| format!("invalid TLS server name {:?}", self.host))?;
                let stream = tls
                    .connect(name, tcp)
                    .await
                    .with_context(|| format!("TLS handshake with {}", self.authority))?;
                Ok(Box::new(stream))
            }
        }
    }
}

/// A byte stream a request can run on (TCP or TLS over TCP).
trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}

impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// Runs one request on a fresh HTTP/1.1 connection.
async fn send(io: Box<dyn Stream>, request: Request<Full<Bytes>>) -> anyhow::Result<(u16, Bytes)> {
    let response = open_on(io, request).await?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

/// Sends one request on a fresh HTTP/1.1 connection and returns the response with its body
/// unread; the connection task ends when the body has been read or dropped.
async fn open_on(
    io: Box<dyn Stream>,
    request: Request<Full<Bytes>>,
) -> anyhow::Result<Response<Incoming>> {
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io)).await?;
    tokio::spawn(connection);
    Ok(sender.send_request(request).await?)
}

/// A TLS connector trusting the certificates in `ca_files`.
fn tls_connector(ca_files: &[PathBuf]) -> anyhow::Result<tokio_rustls::TlsConnector> {
    if ca_files.is_empty() {
        bail!(
            "an https endpoint needs --ca-file (the PEM certificate the server presents or its CA)"
        );
    }
    let mut roots = rustls::RootCertStore::empty();
    for path in ca_files {
        for cert in read_certs(path)? {
            roots
                .add(cert)
                .with_context(|| format!("unusable certificate in {}", path.display()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

/// The certificates of a PEM file (at least one).
fn read_certs(path: &Path) -> anyhow::Result<Vec<rustls::pki_types::CertificateDer<'static>>> {
    let pem = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let certs = rustls_pemfile::certs(&mut pem.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("parsing {}", path.display()))?;
    if certs.is_empty() {
        bail!("no certificate in {}", path.display());
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() -> anyhow::Result<()> {
        let t = Transport::new("http://127.0.0.1:9000", &[])?;
        assert_eq!(
            (t.host.as_str(), t.port, t.authority.as_str()),
            ("127.0.0.1", 9000, "127.0.0.1:9000")
        );
        let t = Transport::new("http://[::1]:81/", &[])?;
        assert_eq!((t.host.as_str(), t.port), ("::1", 81));
        let t = Transport::new("http://localhost", &[])?;
        assert_eq!(t.port, 80);
        assert!(Transport::new("ftp://x", &[]).is_err());
        assert!(Transport::new("127.0.0.1:9000", &[]).is_err());
        assert!(
            Transport::new("https://localhost", &[]).is_err(),
            "no CA file"
        );
        Ok(())
    }

    #[test]
    fn ca_file_must_hold_a_certificate() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "")?;
        assert!(Transport::new("https://localhost", &[empty]).is_err());
        let pem = dir.path().join("cert.pem");
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])?;
        std::fs::write(&pem, cert.cert.pem())?;
        let t = Transport::new("https://localhost:9443", &[pem])?;
        assert!(t.tls.is_some());
        Ok(())
    }
}
