//! `ossd serve`: open the stores, sweep crash leftovers, bind, print how to connect, serve until
//! SIGTERM or Ctrl-C.

use ossd_proto::dialect::Dialect;
use std::sync::Arc;

use anyhow::Context;
use ossd_proto::request::Domains;
use ossd_server::emulator::{Emulator, Seed};
use ossd_server::{AppState, Listener, NonceCache, ServerConfig};
use ossd_store::Store;
use ossd_types::{OffsetClock, SystemClock};
use tokio::net::TcpListener;

use crate::config::{Config, ServeArgs};
use crate::{banner, storage, tls};

/// Threads for blocking work (file I/O, hashing, SQLite reads). Bounded so that memory does not
/// grow with the number of concurrent requests: excess work queues instead.
const MAX_BLOCKING_THREADS: usize = 64;

/// Binds the listen address; a busy port names the address and suggests `--addr`.
async fn bind(addr: &str) -> anyhow::Result<TcpListener> {
    match TcpListener::bind(addr).await {
        Ok(tcp) => Ok(tcp),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Err(anyhow::anyhow!(
            "{addr} is already in use; pass --addr to listen elsewhere (e.g. --addr 127.0.0.1:0 for any free port)"
        )),
        Err(e) => Err(e).with_context(|| format!("binding {addr}")),
    }
}

/// Runs the server with `args`.
pub(crate) fn run(args: ServeArgs) -> anyhow::Result<()> {
    // Everything the server creates is private to its user (files 0600, directories 0700), also
    // files made by libraries and by code that sets no mode (docs/security.md, "At rest").
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let config = Config::resolve(args)?;
    let access_log = init_logging(&config.log_format);
    let served = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
        .context("starting the async runtime")?
        .block_on(serve(config));
    // After the runtime has stopped: the access lines of the last requests are written out.
    drop(access_log);
    served
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let seed = match &config.emulator.seed {
        Some(path) => Some(Seed::load(path)?),
        None => None,
    };
    let storage::Opened {
        loaded,
        meta,
        cluster,
        blobs,
        keyring,
        lock: _data_dir_lock,
    } = storage::open(&config).await?;
    let id = loaded.identity.clone();
    let metrics = Arc::new(ossd_server::Metrics::new());
    meta.set_commit_observer(metrics.clone());
    let store = Store::new(meta.clone(), blobs.clone(), config.inline_threshold);
    // With --dev the clock can be moved (`--clock-offset`, `POST /-/admin/clock`).
    let offset_clock = match config.emulator.dev {
        true => Some(Arc::new(OffsetClock::system(config.emulator.clock_offset)?)),
        false => None,
    };
    let clock: Arc<dyn ossd_types::Clock> = match &offset_clock {
        Some(c) => c.clone(),
        None => Arc::new(SystemClock),
    };
    let iam = ossd_iam::Iam::open(meta, keyring, id.account_id.clone(), clock.clone())
        .await
        .context("opening the identity store")?;
    iam.ensure_root_key(&id.root_access_key_id, &id.root_access_key_secret)
        .await
        .context("registering the root AccessKey")?;
    // Nodes sharing the data sweep on the leader only, in the background (crate::cluster).
    if cluster.is_none() {
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
    }
    let tls_dir = (!config.emulator.memory).then_some(config.data_dir.as_path());
    let tls = tls::server_config(&config.tls, tls_dir)?;
    let tcp = bind(&config.addr).await?;
    let local = tcp.local_addr()?;
    let s3_tcp = match &config.s3_addr {
        Some(addr) => Some(bind(addr).await?),
        None => None,
    };
    let s3_local = s3_tcp
        .as_ref()
        .map(tokio::net::TcpListener::local_addr)
        .transpose()?;
    let audit =
        ossd_audit::AuditLog::open(config.audit_sink()).context("opening the audit trail")?;
    let state = Arc::new(AppState {
        store,
        config: ServerConfig {
            region: config.region.clone(),
            domains: Domains::new(config.domains.clone()),
            public_endpoint: config.public_endpoint.clone(),
            account_id: id.account_id.clone(),
            lifecycle_day_secs: config.lifecycle_day_seconds,
            console: !config.no_console,
            bucket_defaults: config.bucket_defaults,
        },
        clock,
        iam,
        nonces: match &cluster {
            None => NonceCache::default(),
            Some(pg) => crate::cluster::shared_nonces(pg),
        },
        audit: audit.clone(),
        data_dir: (!config.emulator.memory).then(|| config.data_dir.clone()),
        emulator: Emulator::new(
            config.emulator.dev,
            offset_clock,
            seed,
            id.root_access_key_id.clone(),
        )
        .with_default_bucket(config.emulator.default_bucket.clone()),
        metrics,
        ops: ossd_server::Ops {
            metrics_token: config.metrics_token.clone(),
            blobs,
        },
        signing_keys: ossd_sig::SigningKeyCache::new(),
        images: ossd_image::Pool::with_workers(config.image_workers),
        lifecycle_runs: ossd_server::LifecycleRuns::default(),
        console: ossd_server::ConsoleSessions::default(),
    });
    let interval = std::time::Duration::from_secs(config.lifecycle_interval);
    let node = cluster
        .as_ref()
        .map(|pg| crate::cluster::Node::start(pg, &state, config.leader_lease));
    let lifecycle = match &node {
        None => ossd_server::spawn_lifecycle_worker(state.clone(), interval),
        Some(node) => {
            ossd_server::spawn_lifecycle_worker_when(state.clone(), interval, node.is_leader())
        }
    };
    ossd_server::emulator::apply(&state)
        .await
        .context("setting up the emulator state")?;
    banner::print(&config, local, s3_local, tls.is_some(), &loaded);
    tracing::debug!(limits = ?config.listener, "connection limits");
    let s3_served = s3_tcp.map(|tcp| {
        let listener = Listener {
            tcp,
            tls: tls.clone(),
            config: config.listener.clone(),
        };
        let state = state.clone();
        tokio::spawn(async move {
            ossd_server::serve(listener, state, Dialect::S3, shutdown_signal()).await
        })
    });
    let listener = Listener {
        tcp,
        tls,
        config: config.listener.clone(),
    };
    let served = ossd_server::serve(listener, state, Dialect::Oss, shutdown_signal()).await;
    if let Some(task) = s3_served {
        match task.await {
            Ok(result) => result?,
            Err(e) => tracing::warn!(error = %e, "the S3 listener task failed"),
        }
    }
    lifecycle.abort();
    if let Some(node) = node {
        node.stop().await;
    }
    // Every audit record of a served request is written and synced before exit.
    audit.close();
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

/// Installs the tracing subscriber (stderr, `OSSD_LOG` filter, text or JSON). The access lines
/// get their own buffered writer with the same layout (`ossd_server::install_access_log`,
/// docs/performance.md, "Per-request cost"), except on a terminal, whose coloured lines
/// tracing writes; keep the returned guard until the server has stopped.
fn init_logging(format: &str) -> Option<ossd_server::AccessLogGuard> {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("OSSD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a terminal: a log file or a collector gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    let json = format == "json";
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
    let access = match (json, ansi) {
        (true, _) => ossd_server::AccessLogFormat::Json,
        (false, false) => ossd_server::AccessLogFormat::Text,
        (false, true) => return None,
    };
    ossd_server::install_access_log(access, Box::new(std::io::stderr()))
}
