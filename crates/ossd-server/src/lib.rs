//! HTTP glue for ossd: the listener (plain or TLS), request ids, the dispatcher that turns a
//! request into one OSS operation, authentication and authorization, streaming bodies, and the
//! error documents the SDKs expect.
//!
//! The object API is a hand-written dispatcher because routing depends on the Host header,
//! sub-resource query keys and headers, and signatures cover the raw path and query bytes.
// A `[dependencies]` entry that the non-test build does not use is an error.
#![cfg_attr(not(test), deny(unused_crate_dependencies))]

mod backup;
mod console;
pub mod emulator;
mod endpoints;
mod handlers;
mod lifecycle;
mod observability;
mod pipeline;
mod transport;

pub use backup::{KEY_FILES, MANIFEST_FILE, Manifest, ManifestError, ManifestFile};
pub use console::ConsoleSessions;
pub use endpoints::ops::{MetricsToken, Ops};
pub use endpoints::rpc::{NonceCache, SharedNonces};
pub use lifecycle::{
    LifecycleRuns, spawn_worker as spawn_lifecycle_worker,
    spawn_worker_when as spawn_lifecycle_worker_when,
};
pub use observability::access_line::AccessLogFormat;
pub use observability::log_sink::{AccessLogGuard, install_access_log};
pub use observability::metrics::Metrics;
pub use pipeline::public_endpoint::{InvalidPublicEndpoint, PublicEndpoint};
pub use transport::listener::{Listener, ListenerConfig, serve};

use std::sync::Arc;

use ossd_proto::request::Domains;
use ossd_store::Store;
use ossd_types::Clock;

/// Settings the server needs at run time.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Region id, e.g. `cn-hangzhou`.
    pub region: String,
    /// Base domains for virtual-hosted addressing.
    pub domains: Domains,
    /// The endpoint buckets report (`None`: the request's host without the bucket label).
    pub public_endpoint: Option<PublicEndpoint>,
    /// The account that owns every bucket on this server.
    pub account_id: String,
    /// Real seconds per lifecycle "day" (86400; smaller in tests).
    pub lifecycle_day_secs: u64,
    /// Whether `/-/console/` is served; objects are then served sandboxed (docs/console.md#objects-and-the-consoles-origin).
    pub console: bool,
    /// What a new bucket gets (`--bucket-defaults`).
    pub bucket_defaults: BucketDefaults,
}

/// The settings a new bucket gets (`--bucket-defaults`,
/// docs/protocol/buckets.md#new-bucket-defaults).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BucketDefaults {
    /// What the clouds give a new bucket today: Block Public Access on (OSS since October 2025,
    /// OSS API reference, PutBucket), so a public ACL or policy needs
    /// PutBucketPublicAccessBlock(false) first.
    #[default]
    Cloud,
    /// No Block Public Access: ossd's behaviour before the clouds changed, for old clients.
    Open,
}

impl BucketDefaults {
    /// Parses `cloud` or `open`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "cloud" => Some(Self::Cloud),
            "open" => Some(Self::Open),
            _ => None,
        }
    }

    /// The setting's name, as [`BucketDefaults::parse`] reads it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Cloud => "cloud",
            Self::Open => "open",
        }
    }
}

/// Everything a request handler can reach.
pub struct AppState {
    /// Object store.
    pub store: Store,
    /// Settings.
    pub config: ServerConfig,
    /// The clock (request times, expiry).
    pub clock: Arc<dyn Clock>,
    /// Identities, credentials and authorization.
    pub iam: ossd_iam::Iam,
    /// RPC signature nonces seen recently (replay protection).
    pub nonces: NonceCache,
    /// The audit trail (RAM/STS changes, denials, administrative actions).
    pub audit: ossd_audit::AuditLog,
    /// The data directory (`None` when nothing is kept on disk); backups copy its key files.
    pub data_dir: Option<std::path::PathBuf>,
    /// Emulator mode: dev identities, seed, reset, movable clock (all off by default).
    pub emulator: emulator::Emulator,
    /// Prometheus metrics (`/-/metrics`).
    pub metrics: Arc<Metrics>,
    /// Health and metrics endpoint settings (`/-/health/*`, `/-/metrics`).
    pub ops: Ops,
    /// Derived V4 signing keys, reused by every signature check of this server.
    pub signing_keys: ossd_sig::SigningKeyCache,
    /// The bounded pool image processing runs on (`x-oss-process=image/...`).
    pub images: ossd_image::Pool,
    /// Serializes lifecycle runs (the background worker and the admin endpoint).
    pub lifecycle_runs: LifecycleRuns,
    /// The web console's sessions (`/-/console/`; this node's only, docs/console.md).
    pub console: ConsoleSessions,
}
