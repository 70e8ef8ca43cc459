//! `ossd serve`: open the stores, sweep crash leftovers, bind, print how to connect, serve until
//! SIGTERM or Ctrl-C.

use std::sync::Arc;

use anyhow::Context;
use ossd_proto::request::Domains;
use ossd_server::{AppState, Listener, NonceCache, ServerConfig};
use ossd_store::Store;
use ossd_types::SystemClock;
use tokio::net::TcpListener;

use crate::config::{Config, ServeArgs};
use crate::{banner, identity, tls};

/// Threads for blocking work (file I/O, hashing, SQLite reads). Bounded so that memory does not
/// grow with the number of concurrent requests: excess work queues instead.
const MAX_BLOCKING_THREADS: usize = 64;

/// Runs the server with `args`.
pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let config = Config::resolve(args)?;
    init_logging(&config.log_format);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
        .context("starting the async runtime")?
        .block_on(serve(config))
}

async fn serve(config: Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating data directory {}", config.data_dir.display()))?;
    let loaded = identity::load_or_create(&config.data_dir)?;
    let id = loaded.identity.clone();
    let meta = ossd_meta_sqlite::SqliteMeta::open(config.data_dir.join("meta.sqlite"))
        .context("opening the metadata database")?;
    let blobs = ossd_blob::LocalFs::open(config.data_dir.join("blobs"))
        .context("opening the data directory")?;
    let meta: Arc<dyn ossd_meta::MetaStore> = Arc::new(meta);
    let store = Store::new(meta.clone(), Arc::new(blobs), config.inline_threshold);
    let clock: Arc<dyn ossd_types::Clock> = Arc::new(SystemClock);
    let keyring = ossd_iam::Keyring::load_or_create(&config.data_dir.join("master.key"))
        .context("loading the master key")?;
    let iam = ossd_iam::Iam::open(meta, keyring, id.account_id.clone(), clock.clone())
        .await
        .context("opening the identity store")?;
    iam.ensure_root_key(&id.root_access_key_id, &id.root_access_key_secret)
        .await
        .context("registering the root AccessKey")?;
    let swept = store
        .sweep_orphans()
        .await
        .context("sweeping orphan data files")?;
    if swept > 0 {
        tracing::info!(
            files = swept,
            "removed data files left by an interrupted write"
        );
    }
    let tls = tls::server_config(&config.tls, &config.data_dir)?;
    let tcp = TcpListener::bind(&config.addr)
        .await
        .with_context(|| format!("binding {}", config.addr))?;
    let local = tcp.local_addr()?;
    let state = Arc::new(AppState {
        store,
        config: ServerConfig {
            region: config.region.clone(),
            domains: Domains::new(config.domains.clone()),
            account_id: id.account_id.clone(),
            lifecycle_day_secs: config.lifecycle_day_seconds,
        },
        clock,
        iam,
        nonces: NonceCache::default(),
    });
    let interval = std::time::Duration::from_secs(config.lifecycle_interval);
    let lifecycle = ossd_server::spawn_lifecycle_worker(state.clone(), interval);
    banner::print(&config, local, tls.is_some(), &loaded);
    let served = ossd_server::serve(Listener { tcp, tls }, state, shutdown_signal()).await;
    lifecycle.abort();
    served?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGTERM");
            std::future::pending::<()>().await;
            return;
        }
    };
    tokio::select! {
        _ = term.recv() => {},
        _ = tokio::signal::ctrl_c() => {},
    }
    tracing::info!("shutting down");
}

fn init_logging(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("OSSD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}
