//! Configuration: defaults, then an optional TOML file, then `OSSD_*` environment variables, then
//! flags (clap reads flags and environment together; the file fills what neither gave).

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// Flags of `ossd serve`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "OSSD_ADDR")]
    pub addr: Option<String>,
    /// A second address whose anonymous requests are answered in the S3 dialect (signed
    /// requests are in their signature's dialect on either address; docs/s3.md).
    #[arg(long, env = "OSSD_S3_ADDR")]
    pub s3_addr: Option<String>,
    /// Data directory (metadata, object data, identity).
    #[arg(long, env = "OSSD_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Region id reported to clients.
    #[arg(long, env = "OSSD_REGION")]
    pub region: Option<String>,
    /// Extra base domains for virtual-hosted addressing (`bucket.<domain>`); repeatable.
    #[arg(long = "domain", env = "OSSD_DOMAINS", value_delimiter = ',')]
    pub domains: Vec<String>,
    /// Address reported as each bucket's ExtranetEndpoint/IntranetEndpoint: `host[:port]`, or
    /// `http://host[:port]` for clients that assume HTTPS without a scheme (default: the
    /// request's own host, without the bucket label).
    #[arg(long, env = "OSSD_PUBLIC_ENDPOINT")]
    pub public_endpoint: Option<String>,
    /// What a new bucket gets: `cloud` (default: Block Public Access on, as OSS and S3 give
    /// new buckets today) or `open` (no Block Public Access, for old clients);
    /// docs/protocol/buckets.md#new-bucket-defaults.
    #[arg(long, env = "OSSD_BUCKET_DEFAULTS", value_name = "cloud|open")]
    pub bucket_defaults: Option<String>,
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
    /// Image processing jobs that run at once (default: one per core); four more per worker
    /// may wait, then 503.
    #[arg(long, env = "OSSD_IMAGE_WORKERS", value_parser = clap::value_parser!(u64).range(1..))]
    pub image_workers: Option<u64>,
    /// Keep metadata and data in memory: nothing is written to disk, everything is gone at exit.
    #[arg(long, env = "OSSD_MEMORY")]
    pub memory: bool,
    /// Metadata database: `postgres://user[:password]@host[:port]/db[?pool_size=N]` for
    /// PostgreSQL (docs/operations.md, "PostgreSQL metadata"); default: SQLite in the data
    /// directory.
    #[arg(
        long,
        env = "OSSD_META",
        hide_env_values = true,
        conflicts_with = "memory"
    )]
    pub meta: Option<String>,
    /// Where object data goes: a directory, shared by every node of a cluster (e.g. NFS), or an
    /// S3-compatible store `s3://bucket/prefix?endpoint=http://host:port&region=…` with
    /// credentials in OSSD_BLOBS_ACCESS_KEY_ID / OSSD_BLOBS_SECRET_ACCESS_KEY
    /// (docs/scale-out.md); default: `<data-dir>/blobs`.
    #[arg(
        long,
        env = "OSSD_BLOBS",
        hide_env_values = true,
        conflicts_with = "memory"
    )]
    pub blobs: Option<PathBuf>,
    /// The master key file sealing secrets and STS tokens; every node of a cluster reads the
    /// same one (docs/scale-out.md); default: `<data-dir>/master.key`, created if absent.
    #[arg(long, env = "OSSD_MASTER_KEY_FILE", conflicts_with = "memory")]
    pub master_key_file: Option<PathBuf>,
    /// Seconds of the cluster leader's lease with `--meta postgres://…` (default 15): after the
    /// leader dies another node runs the background work within this time.
    #[arg(long, env = "OSSD_LEADER_LEASE", value_parser = clap::value_parser!(u64).range(1..))]
    pub leader_lease: Option<u64>,
    /// Development mode: the documented dev root key, RAM user `dev` and role `dev` (never on a
    /// shared machine); refused on a non-loopback address without --dev-allow-remote.
    #[arg(long, env = "OSSD_DEV")]
    pub dev: bool,
    /// Allow --dev on a non-loopback listen address (its credentials are public).
    #[arg(long, env = "OSSD_DEV_ALLOW_REMOTE", requires = "dev")]
    pub dev_allow_remote: bool,
    /// The bucket --dev creates at start and after a reset (default `examplebucket`); only
    /// with --dev.
    #[arg(long, env = "OSSD_DEV_BUCKET", value_name = "NAME")]
    pub dev_bucket: Option<String>,
    /// With --dev, create no default bucket.
    #[arg(long, env = "OSSD_NO_DEFAULT_BUCKET", conflicts_with = "dev_bucket")]
    pub no_default_bucket: bool,
    /// Declarative initial state (buckets, users, keys, roles, policies, objects) applied at
    /// start and restored by `POST /-/admin/reset`; see docs/emulator.md.
    #[arg(long, env = "OSSD_SEED")]
    pub seed: Option<PathBuf>,
    /// Start the server's clock this far ahead of the real time (seconds, or e.g. 1h); only
    /// with --dev. Moved at run time with `POST /-/admin/clock`.
    #[arg(long, env = "OSSD_CLOCK_OFFSET")]
    pub clock_offset: Option<String>,
    /// Serve no web console (`/-/console/`); objects are then served without the sandbox
    /// headers the console needs (docs/console.md).
    #[arg(long, env = "OSSD_NO_CONSOLE")]
    pub no_console: bool,
    /// Bearer token that may scrape `/-/metrics` (besides the root AccessKey's signature).
    #[arg(long, env = "OSSD_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Rotate `<data-dir>/audit/audit.jsonl` before it grows past this many bytes (default 16 MiB).
    #[arg(long, env = "OSSD_AUDIT_MAX_BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub audit_max_bytes: Option<u64>,
    /// Audit files kept, the active one included (default 5; in-memory mode: records kept,
    /// default 10000).
    #[arg(long, env = "OSSD_AUDIT_KEEP", value_parser = clap::value_parser!(u64).range(1..))]
    pub audit_keep: Option<u64>,
    /// Open connections at most; more are closed at once (default: half the open-file limit
    /// less 64, at most 10000).
    #[arg(long, env = "OSSD_MAX_CONNECTIONS", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: Option<u64>,
    /// Seconds an HTTP request head may take to arrive (default 30).
    #[arg(long, env = "OSSD_HEADER_READ_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout: Option<u64>,
    /// Seconds a connection with no request in progress may stay silent (default 30).
    #[arg(long, env = "OSSD_IDLE_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: Option<u64>,
    /// Seconds a request body (or a response write) may make no progress (default 60).
    #[arg(long, env = "OSSD_BODY_IDLE_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..))]
    pub body_idle_timeout: Option<u64>,
    /// Seconds a TLS handshake may take (default 10).
    #[arg(long, env = "OSSD_TLS_HANDSHAKE_TIMEOUT", value_parser = clap::value_parser!(u64).range(1..))]
    pub tls_handshake_timeout: Option<u64>,
    /// Header fields per HTTP/1.1 request; more get 431 (default 512).
    #[arg(long, env = "OSSD_MAX_HEADERS", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_headers: Option<u64>,
    /// Memory for the SQLite backend's cache of object versions (records and inline bodies
    /// served by GET/HEAD without a database read), in bytes (default: a sixteenth of the
    /// machine's or the container's memory, between 64 MiB and 1 GiB; 0: no cache).
    #[arg(long, env = "OSSD_OBJECT_CACHE_BYTES")]
    pub object_cache_bytes: Option<u64>,
}

/// The optional TOML file; every field is optional and `deny_unknown_fields` catches typos.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    s3_addr: Option<String>,
    data_dir: Option<PathBuf>,
    region: Option<String>,
    domains: Option<Vec<String>>,
    public_endpoint: Option<String>,
    bucket_defaults: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    tls_self_signed: Option<bool>,
    log_format: Option<String>,
    inline_threshold: Option<usize>,
    lifecycle_interval: Option<u64>,
    lifecycle_day_seconds: Option<u64>,
    image_workers: Option<u64>,
    memory: Option<bool>,
    meta: Option<String>,
    blobs: Option<PathBuf>,
    master_key_file: Option<PathBuf>,
    leader_lease: Option<u64>,
    dev: Option<bool>,
    dev_allow_remote: Option<bool>,
    dev_bucket: Option<String>,
    no_default_bucket: Option<bool>,
    seed: Option<PathBuf>,
    clock_offset: Option<String>,
    metrics_token: Option<String>,
    no_console: Option<bool>,
    audit_max_bytes: Option<u64>,
    audit_keep: Option<u64>,
    max_connections: Option<u64>,
    header_read_timeout: Option<u64>,
    idle_timeout: Option<u64>,
    body_idle_timeout: Option<u64>,
    tls_handshake_timeout: Option<u64>,
    max_headers: Option<u64>,
    object_cache_bytes: Option<u64>,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// Listen address.
    pub addr: String,
    /// The S3 listen address, if any.
    pub s3_addr: Option<String>,
    /// Data directory.
    pub data_dir: PathBuf,
    /// Region id.
    pub region: String,
    /// Extra base domains.
    pub domains: Vec<String>,
    /// The endpoint reported for buckets (`None`: derived from each request's host).
    pub public_endpoint: Option<ossd_server::PublicEndpoint>,
    /// What a new bucket gets.
    pub bucket_defaults: ossd_server::BucketDefaults,
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
    /// Image processing jobs that run at once (at least 1).
    pub image_workers: usize,
    /// Where the metadata lives.
    pub meta: MetaBackend,
    /// Where object data goes (`None`: the directory `<data-dir>/blobs`).
    pub blobs: Option<BlobsBackend>,
    /// The master key file (`None`: `<data-dir>/master.key`).
    pub master_key_file: Option<PathBuf>,
    /// The cluster leader's lease (PostgreSQL metadata only).
    pub leader_lease: std::time::Duration,
    /// Emulator settings.
    pub emulator: EmulatorConfig,
    /// Bearer token for `/-/metrics`, if any (never printed).
    pub metrics_token: Option<ossd_server::MetricsToken>,
    /// No web console (`--no-console`).
    pub no_console: bool,
    /// Audit file size limit (`None`: the default).
    pub audit_max_bytes: Option<u64>,
    /// Audit files (or in-memory records) kept (`None`: the default).
    pub audit_keep: Option<u64>,
    /// Connection limits and timeouts (docs/limits.md, "Connections").
    pub listener: ossd_server::ListenerConfig,
    /// The SQLite backend's object-version cache budget in bytes (0: none; the default scales
    /// with the memory, `crate::memory`).
    pub object_cache_bytes: usize,
}

/// The metadata backend (`--meta`).
#[derive(Clone)]
pub(crate) enum MetaBackend {
    /// SQLite in the data directory (the default).
    Sqlite,
    /// A PostgreSQL database (the URL may hold a password: never printed).
    Postgres(Box<ossd_meta_postgres::PgUrl>),
}

impl std::fmt::Debug for MetaBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite => f.write_str("Sqlite"),
            Self::Postgres(url) => f
                .debug_struct("Postgres")
                .field("hosts", &url.config.get_hosts())
                .field("dbname", &url.config.get_dbname())
                .field("pool_size", &url.pool_size)
                .finish(),
        }
    }
}

impl MetaBackend {
    /// Parses `--meta`: absent is SQLite, a `postgres://` / `postgresql://` URL is PostgreSQL.
    fn parse(raw: Option<&str>, memory: bool) -> anyhow::Result<Self> {
        let Some(raw) = raw else {
            return Ok(Self::Sqlite);
        };
        if memory {
            anyhow::bail!("--meta cannot be combined with --memory");
        }
        if !(raw.starts_with("postgres://") || raw.starts_with("postgresql://")) {
            anyhow::bail!("--meta: give a postgres://user@host:port/db URL");
        }
        // The error never quotes the URL, which may hold a password.
        let url =
            ossd_meta_postgres::PgUrl::parse(raw).context("--meta: invalid PostgreSQL URL")?;
        Ok(Self::Postgres(Box::new(url)))
    }
}

/// Where object data goes (`--blobs`).
#[derive(Debug, Clone)]
pub(crate) enum BlobsBackend {
    /// A directory (shared by the nodes of a cluster).
    Dir(PathBuf),
    /// An S3-compatible store (the settings hold a secret: their `Debug` omits it).
    #[cfg(feature = "s3")]
    S3(Box<ossd_blob_s3::S3Settings>),
}

impl BlobsBackend {
    /// Parses `--blobs`: an `s3://` URL is an S3 store (credentials missing from it come from
    /// `OSSD_BLOBS_ACCESS_KEY_ID` / `OSSD_BLOBS_SECRET_ACCESS_KEY`), anything else a directory.
    fn parse(raw: PathBuf) -> anyhow::Result<Self> {
        let Some(url) = raw.to_str().filter(|s| s.starts_with("s3://")) else {
            return Ok(Self::Dir(raw));
        };
        #[cfg(feature = "s3")]
        {
            // The error never quotes the URL, which may hold a secret.
            let settings = ossd_blob_s3::S3Settings::parse(url, |name| std::env::var(name).ok())
                .context("--blobs: invalid S3 URL")?;
            Ok(Self::S3(Box::new(settings)))
        }
        #[cfg(not(feature = "s3"))]
        {
            let _ = url;
            anyhow::bail!("--blobs s3://…: this ossd was built without the `s3` feature")
        }
    }
}

/// The emulator conveniences (docs/emulator.md); all off by default.
#[derive(Debug, Clone, Default)]
pub(crate) struct EmulatorConfig {
    /// Metadata and data in memory.
    pub memory: bool,
    /// The documented development identities.
    pub dev: bool,
    /// The bucket `dev` creates (docs/emulator.md); `None` without `dev` or with
    /// `--no-default-bucket`.
    pub default_bucket: Option<String>,
    /// The seed file.
    pub seed: Option<PathBuf>,
    /// Initial clock offset in seconds (only with `dev`).
    pub clock_offset: i64,
}

/// How (and whether) to serve HTTPS.
#[derive(Debug, Clone)]
pub(crate) enum TlsMode {
    /// Plain HTTP.
    Off,
    /// Certificate and key files.
    Files { cert: PathBuf, key: PathBuf },
    /// A generated development certificate.
    SelfSigned,
}

impl Config {
    /// Resolves flags/environment over the file over the defaults.
    pub(crate) fn resolve(args: ServeArgs) -> anyhow::Result<Self> {
        let file = match &args.config {
            Some(p) => load_file(p)?,
            None => FileConfig::default(),
        };
        let addr = args
            .addr
            .clone()
            .or(file.addr.clone())
            .unwrap_or_else(|| "127.0.0.1:9000".to_owned());
        let emulator = emulator_config(&args, &file, &addr)?;
        let s3_addr = args.s3_addr.clone().or(file.s3_addr.clone());
        if let Some(s3) = &s3_addr {
            // The same --dev loopback rule for the S3 address.
            emulator_config(&args, &file, s3)?;
        }
        let listener = listener_config(&args, &file)?;
        let meta = MetaBackend::parse(
            args.meta.as_deref().or(file.meta.as_deref()),
            emulator.memory,
        )?;
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
        let public_endpoint = args
            .public_endpoint
            .or(file.public_endpoint)
            .map(|raw| {
                ossd_server::PublicEndpoint::parse(&raw).with_context(|| {
                    format!(
                        "public_endpoint {raw:?}: give host[:port] or http(s)://host[:port], \
                         without a path"
                    )
                })
            })
            .transpose()?;
        let bucket_defaults = match args.bucket_defaults.or(file.bucket_defaults) {
            None => ossd_server::BucketDefaults::default(),
            Some(raw) => ossd_server::BucketDefaults::parse(raw.trim())
                .with_context(|| format!("bucket_defaults {raw:?}: give cloud or open"))?,
        };
        let domains = if args.domains.is_empty() {
            file.domains.unwrap_or_default()
        } else {
            args.domains
        };
        let blobs = args.blobs.or(file.blobs);
        let master_key_file = args.master_key_file.or(file.master_key_file);
        if emulator.memory && (blobs.is_some() || master_key_file.is_some()) {
            anyhow::bail!("blobs and master_key_file cannot be combined with memory");
        }
        let blobs = blobs.map(BlobsBackend::parse).transpose()?;
        let leader_lease = std::time::Duration::from_secs(at_least_one(
            args.leader_lease.or(file.leader_lease),
            DEFAULT_LEADER_LEASE,
            "leader_lease",
        )?);
        Ok(Self {
            addr,
            s3_addr,
            meta,
            blobs,
            master_key_file,
            leader_lease,
            emulator,
            data_dir: args
                .data_dir
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("ossd-data")),
            region: args
                .region
                .or(file.region)
                .unwrap_or_else(|| "cn-hangzhou".to_owned()),
            domains,
            public_endpoint,
            bucket_defaults,
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
            image_workers: image_workers(args.image_workers.or(file.image_workers))?,
            metrics_token: args
                .metrics_token
                .or(file.metrics_token)
                .and_then(ossd_server::MetricsToken::new),
            no_console: args.no_console || file.no_console.unwrap_or(false),
            audit_max_bytes: positive(
                args.audit_max_bytes.or(file.audit_max_bytes),
                "audit_max_bytes",
            )?,
            audit_keep: positive(args.audit_keep.or(file.audit_keep), "audit_keep")?,
            listener,
            object_cache_bytes: match args.object_cache_bytes.or(file.object_cache_bytes) {
                Some(bytes) => usize::try_from(bytes).context("object_cache_bytes: too large")?,
                None => crate::memory::default_object_cache_bytes(crate::memory::available()),
            },
        })
    }
}

impl Config {
    /// Where the audit trail goes: `<data-dir>/audit/` rotated by size, or with `--memory` a
    /// ring of the last `audit_keep` (default 10000) records.
    pub(crate) fn audit_sink(&self) -> ossd_audit::Sink {
        let keep = |default: usize| {
            self.audit_keep
                .and_then(|k| usize::try_from(k).ok())
                .unwrap_or(default)
        };
        if self.emulator.memory {
            return ossd_audit::Sink::Memory {
                capacity: keep(ossd_audit::DEFAULT_RING_RECORDS),
            };
        }
        let default = ossd_audit::Rotation::default();
        ossd_audit::Sink::Files {
            dir: ossd_audit::dir_in(&self.data_dir),
            rotation: ossd_audit::Rotation {
                max_bytes: self.audit_max_bytes.unwrap_or(default.max_bytes),
                keep: keep(default.keep),
            },
        }
    }
}

/// The connection limits and timeouts: flags/environment over the file over the defaults.
fn listener_config(
    args: &ServeArgs,
    file: &FileConfig,
) -> anyhow::Result<ossd_server::ListenerConfig> {
    use std::time::Duration;
    let defaults = ossd_server::ListenerConfig::default();
    let secs = |flag: Option<u64>, key: Option<u64>, default: Duration, name: &str| {
        Ok::<_, anyhow::Error>(match positive(flag.or(key), name)? {
            Some(s) => Duration::from_secs(s),
            None => default,
        })
    };
    let count = |flag: Option<u64>, key: Option<u64>, default: usize, name: &str| {
        Ok::<_, anyhow::Error>(match positive(flag.or(key), name)? {
            Some(n) => usize::try_from(n).with_context(|| format!("{name} is too large"))?,
            None => default,
        })
    };
    Ok(ossd_server::ListenerConfig {
        max_connections: count(
            args.max_connections,
            file.max_connections,
            defaults.max_connections,
            "max_connections",
        )?,
        header_read_timeout: secs(
            args.header_read_timeout,
            file.header_read_timeout,
            defaults.header_read_timeout,
            "header_read_timeout",
        )?,
        idle_timeout: secs(
            args.idle_timeout,
            file.idle_timeout,
            defaults.idle_timeout,
            "idle_timeout",
        )?,
        body_idle_timeout: secs(
            args.body_idle_timeout,
            file.body_idle_timeout,
            defaults.body_idle_timeout,
            "body_idle_timeout",
        )?,
        tls_handshake_timeout: secs(
            args.tls_handshake_timeout,
            file.tls_handshake_timeout,
            defaults.tls_handshake_timeout,
            "tls_handshake_timeout",
        )?,
        max_headers: count(
            args.max_headers,
            file.max_headers,
            defaults.max_headers,
            "max_headers",
        )?,
    })
}

/// `value`, refusing 0 (flags are range-checked by clap; this catches the file).
fn positive(value: Option<u64>, name: &str) -> anyhow::Result<Option<u64>> {
    match value {
        Some(0) => anyhow::bail!("{name} must be at least 1"),
        v => Ok(v),
    }
}

/// The bucket `--dev` creates unless told otherwise (docs/emulator.md).
pub(crate) const DEFAULT_DEV_BUCKET: &str = "examplebucket";

/// The emulator settings; refuses `--dev` on a non-loopback address (unless allowed) and a
/// clock offset without `--dev`.
fn emulator_config(
    args: &ServeArgs,
    file: &FileConfig,
    addr: &str,
) -> anyhow::Result<EmulatorConfig> {
    let flag = |a: bool, f: Option<bool>| a || f.unwrap_or(false);
    let dev = flag(args.dev, file.dev);
    let allow_remote = flag(args.dev_allow_remote, file.dev_allow_remote);
    if dev && !allow_remote && !is_loopback(addr) {
        anyhow::bail!(
            "--dev uses publicly documented credentials and is refused on the non-loopback \
             address {addr}; listen on 127.0.0.1 / [::1] / localhost, or add --dev-allow-remote \
             if you really mean to expose it"
        );
    }
    let clock_offset = match args.clock_offset.as_ref().or(file.clock_offset.as_ref()) {
        None => 0,
        Some(_) if !dev => anyhow::bail!("--clock-offset is only allowed together with --dev"),
        Some(raw) => ossd_server::emulator::parse_duration_secs(raw)
            .filter(|s| *s <= ossd_types::MAX_CLOCK_OFFSET_SECS)
            .with_context(|| {
                format!("--clock-offset {raw:?}: give seconds (3600) or a duration such as 1h")
            })?,
    };
    let no_default_bucket = flag(args.no_default_bucket, file.no_default_bucket);
    let default_bucket = match args.dev_bucket.as_ref().or(file.dev_bucket.as_ref()) {
        Some(_) if !dev => anyhow::bail!("--dev-bucket is only allowed together with --dev"),
        Some(_) if no_default_bucket => {
            anyhow::bail!("--dev-bucket and --no-default-bucket exclude each other")
        }
        Some(name) => {
            ossd_types::BucketName::new(name).with_context(|| {
                format!(
                    "--dev-bucket {name:?}: 3-63 lowercase letters, digits and hyphens, \
                     starting and ending with a letter or digit"
                )
            })?;
            Some(name.clone())
        }
        None if dev && !no_default_bucket => Some(DEFAULT_DEV_BUCKET.to_owned()),
        None => None,
    };
    Ok(EmulatorConfig {
        memory: flag(args.memory, file.memory),
        dev,
        default_bucket,
        seed: args.seed.clone().or(file.seed.clone()),
        clock_offset,
    })
}

/// Whether the listen address `addr` (`host:port`) is a loopback address.
fn is_loopback(addr: &str) -> bool {
    if let Ok(sock) = addr.parse::<std::net::SocketAddr>() {
        return sock.ip().is_loopback();
    }
    let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
    host.eq_ignore_ascii_case("localhost")
}

/// Seconds between background lifecycle runs unless configured.
const DEFAULT_LIFECYCLE_INTERVAL: u64 = 3600;
/// Seconds of the cluster leader's lease unless configured.
const DEFAULT_LEADER_LEASE: u64 = 15;
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

/// `--image-workers` (at least 1), else one per core.
fn image_workers(value: Option<u64>) -> anyhow::Result<usize> {
    match value {
        None => Ok(ossd_image::Pool::default_workers()),
        Some(0) => anyhow::bail!("image_workers must be at least 1"),
        Some(n) => usize::try_from(n).context("image_workers is too large"),
    }
}

fn load_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::{Config, ServeArgs, is_loopback};
    use std::time::Duration;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn resolve(flags: &[&str], toml: &str) -> anyhow::Result<Config> {
        use clap::Parser;
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("ossd.toml");
        std::fs::write(&file, toml)?;
        let path = file.to_string_lossy().into_owned();
        let mut argv = vec!["ossd", "--config", path.as_str()];
        argv.extend_from_slice(flags);
        Config::resolve(Cli::try_parse_from(argv)?.serve)
    }

    #[test]
    fn cluster_settings_from_flag_or_file() -> anyhow::Result<()> {
        let c = resolve(
            &["--blobs", "/shared/blobs", "--leader-lease", "5"],
            "master_key_file = \"/etc/ossd/master.key\"\n",
        )?;
        assert!(
            matches!(&c.blobs, Some(super::BlobsBackend::Dir(d)) if d == std::path::Path::new("/shared/blobs"))
        );
        assert_eq!(
            c.master_key_file.as_deref(),
            Some(std::path::Path::new("/etc/ossd/master.key"))
        );
        assert_eq!(c.leader_lease, Duration::from_secs(5));
        assert_eq!(resolve(&[], "")?.leader_lease, Duration::from_secs(15));
        assert!(resolve(&[], "leader_lease = 0\n").is_err());
        assert!(resolve(&["--memory", "--blobs", "/x"], "").is_err());
        assert!(resolve(&[], "memory = true\nblobs = \"/x\"\n").is_err());
        Ok(())
    }

    #[cfg(feature = "s3")]
    #[test]
    fn s3_blobs_from_flag_or_file() -> anyhow::Result<()> {
        let c = resolve(
            &[
                "--blobs",
                "s3://data/ossd?endpoint=http://127.0.0.1:8333&access_key_id=AK&secret_access_key=SK",
            ],
            "",
        )?;
        let Some(super::BlobsBackend::S3(s3)) = &c.blobs else {
            anyhow::bail!("expected S3, got {:?}", c.blobs);
        };
        assert_eq!((s3.bucket.as_str(), s3.prefix.as_str()), ("data", "ossd"));
        assert!(!format!("{c:?}").contains("SK\""));
        let err = resolve(
            &[],
            "blobs = \"s3://data?secret_access_key=hush&bogus=1\"\n",
        )
        .err()
        .map(|e| format!("{e:#}"))
        .unwrap_or_default();
        assert!(err.contains("bogus") && !err.contains("hush"), "{err}");
        Ok(())
    }

    #[test]
    fn meta_backend_from_flag_or_file() -> anyhow::Result<()> {
        use super::MetaBackend;
        assert!(matches!(resolve(&[], "")?.meta, MetaBackend::Sqlite));
        let c = resolve(
            &["--meta", "postgres://ossd:secret@db:5433/meta?pool_size=4"],
            "",
        )?;
        let MetaBackend::Postgres(url) = &c.meta else {
            anyhow::bail!("expected PostgreSQL, got {:?}", c.meta);
        };
        assert_eq!(url.pool_size, 4);
        assert!(!format!("{c:?}").contains("secret"));
        let file = resolve(&[], "meta = \"postgresql://ossd@db/meta\"\n")?;
        assert!(matches!(file.meta, MetaBackend::Postgres(_)));
        assert!(resolve(&["--meta", "mysql://db/meta"], "").is_err());
        assert!(resolve(&[], "memory = true\nmeta = \"postgres://db/meta\"\n").is_err());
        Ok(())
    }

    #[test]
    fn connection_settings_flags_over_file_over_defaults() -> anyhow::Result<()> {
        let c = resolve(
            &["--idle-timeout", "5", "--max-connections", "7"],
            "idle_timeout = 9\nbody_idle_timeout = 11\nmax_headers = 300\n",
        )?;
        let l = &c.listener;
        assert_eq!(l.idle_timeout, Duration::from_secs(5));
        assert_eq!(l.body_idle_timeout, Duration::from_secs(11));
        assert_eq!(l.max_connections, 7);
        assert_eq!(l.max_headers, 300);
        assert_eq!(
            l.header_read_timeout,
            ossd_server::ListenerConfig::default().header_read_timeout
        );
        assert!(resolve(&[], "tls_handshake_timeout = 0\n").is_err());
        assert!(resolve(&["--header-read-timeout", "0"], "").is_err());
        Ok(())
    }

    #[test]
    fn object_cache_bytes_flag_over_file_over_default() -> anyhow::Result<()> {
        let bytes = |c: Config| c.object_cache_bytes;
        let default = crate::memory::default_object_cache_bytes(crate::memory::available());
        assert_eq!(bytes(resolve(&[], "")?), default);
        assert!((64 << 20..=1 << 30).contains(&default));
        let file = "object_cache_bytes = 1048576\n";
        assert_eq!(bytes(resolve(&[], file)?), 1 << 20);
        let flag = ["--object-cache-bytes", "0"];
        assert_eq!(bytes(resolve(&flag, file)?), 0);
        assert!(resolve(&["--object-cache-bytes", "-1"], "").is_err());
        assert!(resolve(&[], "object_cache_bytes = \"64MiB\"\n").is_err());
        Ok(())
    }

    #[test]
    fn image_workers_flag_over_file_over_cores() -> anyhow::Result<()> {
        let cores = ossd_image::Pool::default_workers();
        assert_eq!(resolve(&[], "")?.image_workers, cores);
        assert_eq!(resolve(&[], "image_workers = 3\n")?.image_workers, 3);
        let flag = ["--image-workers", "2"];
        assert_eq!(resolve(&flag, "image_workers = 3\n")?.image_workers, 2);
        assert!(resolve(&[], "image_workers = 0\n").is_err());
        assert!(resolve(&["--image-workers", "0"], "").is_err());
        Ok(())
    }

    #[test]
    fn public_endpoint_flag_over_file_and_checked() -> anyhow::Result<()> {
        let shown = |c: Config| c.public_endpoint.map(|e| e.to_string());
        assert_eq!(shown(resolve(&[], "")?), None);
        let file = "public_endpoint = \"oss.example.com:9000\"\n";
        assert_eq!(
            shown(resolve(&[], file)?).as_deref(),
            Some("oss.example.com:9000")
        );
        let flag = ["--public-endpoint", "http://127.0.0.1:9000/"];
        assert_eq!(
            shown(resolve(&flag, file)?).as_deref(),
            Some("http://127.0.0.1:9000")
        );
        assert!(resolve(&["--public-endpoint", "h/path"], "").is_err());
        assert!(resolve(&[], "public_endpoint = \"u@h\"\n").is_err());
        Ok(())
    }

    #[test]
    fn bucket_defaults_flag_over_file_over_cloud() -> anyhow::Result<()> {
        use ossd_server::BucketDefaults::{Cloud, Open};
        assert_eq!(resolve(&[], "")?.bucket_defaults, Cloud);
        let file = "bucket_defaults = \"open\"\n";
        assert_eq!(resolve(&[], file)?.bucket_defaults, Open);
        let flag = ["--bucket-defaults", "cloud"];
        assert_eq!(resolve(&flag, file)?.bucket_defaults, Cloud);
        assert!(resolve(&["--bucket-defaults", "closed"], "").is_err());
        assert!(resolve(&[], "bucket_defaults = \"Open\"\n").is_err());
        Ok(())
    }

    #[test]
    fn loopback_addresses() {
        for a in [
            "127.0.0.1:9000",
            "[::1]:0",
            "127.1.2.3:80",
            "localhost:9000",
            "LOCALHOST:1",
        ] {
            assert!(is_loopback(a), "{a}");
        }
        for a in [
            "0.0.0.0:9000",
            "[::]:9000",
            "192.168.1.2:9000",
            "example.com:9000",
            "junk",
        ] {
            assert!(!is_loopback(a), "{a}");
        }
    }
}
