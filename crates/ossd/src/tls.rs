//! HTTPS settings: certificate files, or a generated development certificate for localhost.

use std::{fs, path::Path, sync::Arc};

use anyhow::Context;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::TlsMode;

/// The rustls server configuration for `mode`, or `None` for plain HTTP. A generated
/// certificate is kept under `<data_dir>/tls/`, or only in memory without a data directory.
pub(crate) fn server_config(
    mode: &TlsMode,
    data_dir: Option<&Path>,
) -> anyhow::Result<Option<Arc<rustls::ServerConfig>>> {
    let (certs, key) = match mode {
        TlsMode::Off => return Ok(None),
        TlsMode::Files { cert, key } => (read_certs(cert)?, read_key(key)?),
        TlsMode::SelfSigned => match data_dir {
            Some(dir) => self_signed(dir)?,
            None => generate()?,
        },
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("TLS certificate and key do not match")?;
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Some(Arc::new(cfg)))
}

fn read_certs(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let pem = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    rustls_pemfile::certs(&mut pem.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("parsing {}", path.display()))
}

fn read_key(path: &Path) -> anyhow::Result<PrivateKeyDer<'static>> {
    let pem = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    rustls_pemfile::private_key(&mut pem.as_slice())?
        .with_context(|| format!("no private key in {}", path.display()))
}

/// Generates (once) a certificate for localhost / 127.0.0.1 / ::1 under `<data-dir>/tls/`, so
/// clients can trust `<data-dir>/tls/dev-cert.pem`.
fn self_signed(
    data_dir: &Path,
) -> anyhow::Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
    let dir = data_dir.join("tls");
    let (cert_path, key_path) = (dir.join("dev-cert.pem"), dir.join("dev-key.pem"));
    if !cert_path.exists() || !key_path.exists() {
        fs::create_dir_all(&dir)?;
        let generated = rcgen::generate_simple_self_signed(dev_names())?;
        fs::write(&cert_path, generated.cert.pem())?;
        write_key(&key_path, &generated.key_pair.serialize_pem())?;
    }
    Ok((read_certs(&cert_path)?, read_key(&key_path)?))
}

/// The names a development certificate is valid for.
fn dev_names() -> Vec<String> {
    vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ]
}

/// A development certificate that lives only in memory (`--memory`).
fn generate() -> anyhow::Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)> {
    let generated = rcgen::generate_simple_self_signed(dev_names())?;
    let key = PrivateKeyDer::try_from(generated.key_pair.serialize_der())
        .map_err(|e| anyhow::anyhow!("generated TLS key: {e}"))?;
    Ok((vec![generated.cert.der().clone()], key))
}

fn write_key(path: &Path, pem: &str) -> anyhow::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(pem.as_bytes())?;
    Ok(())
}
