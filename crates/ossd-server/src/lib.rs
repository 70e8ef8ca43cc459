//! HTTP glue for ossd: the listener (plain or TLS), request ids, the dispatcher that turns a
//! request into one OSS operation, authentication and authorization, streaming bodies, and the
//! error documents the SDKs expect.
//!
//! The object API is a hand-written dispatcher because routing depends on the Host header,
//! sub-resource query keys and headers, and signatures cover the raw path and query bytes.

mod admin;
mod auth;
mod body;
mod bucket_policy;
mod cors;
mod cors_config;
mod ctx;
mod dispatch;
mod errors;
mod handlers;
mod headers;
mod lifecycle;
mod listener;
mod policy_ctx;
mod post;
mod referer;
mod referer_config;
mod response;
mod rpc;
mod style_config;
mod wildcard;

pub use lifecycle::spawn_worker as spawn_lifecycle_worker;
pub use listener::{Listener, serve};
pub use rpc::NonceCache;

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
    /// The account that owns every bucket on this server.
    pub account_id: String,
    /// Real seconds per lifecycle "day" (86400; smaller in tests).
    pub lifecycle_day_secs: u64,
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
}
