//! Configuration: defaults, then an optional TOML file, then `OSSD_*` environment variables, then
//! flags (clap reads flags and environment together; the file fills what neither gave).

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// Flags of `ossd serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "OSSD_ADDR")]
    pub addr: Option<String>,
    /// Data directory (metadata, object data, identity).
    #[arg(long, env = "OSSD_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Region id reported to clients.
    #[arg(long, env = "OSSD_REGION")]
    pub region: Option<String>,
    /// Extra base domains for virtual-hosted addressing (`bucket.<domain>`); repeatable.
    #[arg(long = "domain", env = "OSSD_DOMAINS", value_delimiter = ',')]
    pub domains: Vec<String>,
    /// Optional TOML configuration file.
    #[arg(long, env = "OSSD_CONFIG")]
    pub config: Option<PathBuf>,
    /// PEM certificate chain for HTTPS.
    #[arg(long, env = "OSSD_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for HTTPS.
    #[arg(long, env = "OSSD_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve HTTPS with a generated development certificate (written to <data-dir>/tls/).
    #[arg(long, env = "OSSD_TLS_SELF_SIGNED", conflicts_with = "tls_cert")]
    pub tls_self_signed: bool,
    /// Log format: `text` or `json`.
    #[arg(long, env = "OSSD_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Objects up to this many bytes are stored inside the metadata database.
    #[arg(long, env = "OSSD_INLINE_THRESHOLD")]
    pub inline_threshold: Option<usize>,
    /// Seconds between background runs of the buckets' lifecycle rules (default 3600).
    #[arg(long, env = "OSSD_LIFECYCLE_INTERVAL", value_parser = clap::value_parser!(u64).range(1..))]
    pub lifecycle_interval: Option<u64>,
    /// Real seconds that count as one lifecycle day (default 86400; for tests).
    #[arg(long, env = "OSSD_LIFECYCLE_DAY_SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub lifecycle_day_seconds: Option<u64>,
}

/// The optional TOML file; every field is optional and `deny_unknown_fields` catches typos.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    data_dir: Option<PathBuf>,
    region: Option<String>,
    domains: Option<Vec<String>>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    tls_self_signed: Option<bool>,
    log_format: Option<String>,
    inline_threshold: Option<usize>,
    lifecycle_interval: Option<u64>,
    lifecycle_day_seconds: Option<u64>,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address.
    pub addr: String,
    /// Data directory.
    pub data_dir: PathBuf,
    /// Region id.
    pub region: String,
    /// Extra base domains.
    pub domains: Vec<String>,
    /// HTTPS settings.
    pub tls: TlsMode,
    /// `json` or `text`.
    pub log_format: String,
    /// Inline threshold in bytes.
    pub inline_threshold: usize,
    /// Seconds between background lifecycle runs (at least 1).
    pub lifecycle_interval: u64,
    /// Real seconds per lifecycle day (at least 1).
    pub lifecycle_day_seconds: u64,
}

/// How (and whether) to serve HTTPS.
#[derive(Debug, Clone)]
pub enum TlsMode {
    /// Plain HTTP.
    Off,
    /// Certificate and key files.
    Files { cert: PathBuf, key: PathBuf },
    /// A generated development certificate.
    SelfSigned,
}

impl Config {
    /// Resolves flags/environment over the file over the defaults.
    pub fn resolve(args: ServeArgs) -> anyhow::Result<Self> {
        let file = match &args.config {
            Some(p) => load_file(p)?,
            None => FileConfig::default(),
        };
        let tls = match (
            args.tls_cert.or(file.tls_cert),
            args.tls_key.or(file.tls_key),
        ) {
            (Some(cert), Some(key)) => TlsMode::Files { cert, key },
            _ if args.tls_self_signed || file.tls_self_signed.unwrap_or(false) => {
                TlsMode::SelfSigned
            }
            _ => TlsMode::Off,
        };
        let domains = if args.domains.is_empty() {
            file.domains.unwrap_or_default()
        } else {
            args.domains
        };
        Ok(Self {
            addr: args
                .addr
                .or(file.addr)
                .unwrap_or_else(|| "127.0.0.1:9000".to_owned()),
            data_dir: args
                .data_dir
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("ossd-data")),
            region: args
                .region
                .or(file.region)
                .unwrap_or_else(|| "cn-hangzhou".to_owned()),
            domains,
            tls,
            log_format: args
                .log_format
                .or(file.log_format)
                .unwrap_or_else(|| "text".to_owned()),
            inline_threshold: args
                .inline_threshold
                .or(file.inline_threshold)
                .unwrap_or(ossd_store::DEFAULT_INLINE_THRESHOLD),
            lifecycle_interval: at_least_one(
                args.lifecycle_interval.or(file.lifecycle_interval),
                DEFAULT_LIFECYCLE_INTERVAL,
                "lifecycle_interval",
            )?,
            lifecycle_day_seconds: at_least_one(
                args.lifecycle_day_seconds.or(file.lifecycle_day_seconds),
                DEFAULT_LIFECYCLE_DAY_SECONDS,
                "lifecycle_day_seconds",
            )?,
        })
    }
}

/// Seconds between background lifecycle runs unless configured.
const DEFAULT_LIFECYCLE_INTERVAL: u64 = 3600;
/// Seconds per lifecycle day unless configured: a real day.
const DEFAULT_LIFECYCLE_DAY_SECONDS: u64 = 86_400;

/// `value` (or `default`), refusing 0 (flags and environment are range-checked by clap; this
/// catches the file).
fn at_least_one(value: Option<u64>, default: u64, name: &str) -> anyhow::Result<u64> {
    match value {
        Some(0) => anyhow::bail!("{name} must be at least 1"),
        Some(v) => Ok(v),
        None => Ok(default),
    }
}

fn load_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}
