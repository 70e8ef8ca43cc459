//! One HTTP/1.1 request per call over TCP, or TLS trusting the given PEM roots: a form `POST /`
//! (RPC), or an OSS-signed request to an administrative path.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Uri, header};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;

use super::oss_request::SignedRequest;

/// Longest wait for a whole request (connect, send, read).
const TIMEOUT: Duration = Duration::from_secs(60);
/// The `User-Agent` of every request.
const USER_AGENT: &str = concat!("ossd-admin/", env!("CARGO_PKG_VERSION"));

/// Where and how to send requests.
pub(super) struct Transport {
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
    pub(super) fn new(endpoint: &str, ca_files: &[PathBuf]) -> anyhow::Result<Self> {
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
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .with_context(|| format!("connecting to {}", self.authority))?;
        let exchanged = match &self.tls {
            None => send(TokioIo::new(tcp), request).await,
            Some(tls) => {
                let name = ServerName::try_from(self.host.clone())
                    .with_context(|| format!("invalid TLS server name {:?}", self.host))?;
                let stream = tls
                    .connect(name, tcp)
                    .await
                    .with_context(|| format!("TLS handshake with {}", self.authority))?;
                send(TokioIo::new(stream), request).await
            }
        };
        exchanged.with_context(|| format!("HTTP exchange with {}", self.authority))
    }
}

/// Runs one request on a fresh HTTP/1.1 connection.
async fn send<T>(io: T, request: Request<Full<Bytes>>) -> anyhow::Result<(u16, Bytes)>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await?;
    let driver = tokio::spawn(connection);
    let response = sender.send_request(request).await?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await?.to_bytes();
    driver.abort();
    Ok((status, body))
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
