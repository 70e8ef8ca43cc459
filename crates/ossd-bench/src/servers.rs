//! The servers under test: the reference child, and ossd (started as a child, or an --endpoint).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::cli::Args;
use crate::client::Target;
use crate::process::ServerProcess;
use crate::sign::{Credentials, Dialect, Signer};

/// AccessKey id given to a bench-started ossd.
const BENCH_KEY_ID: &str = "LTAI5tOssdBenchKey0001";
/// AccessKey secret given to a bench-started ossd.
const BENCH_KEY_SECRET: &str = "OssdBenchSecret0123456789abcdefgh";

/// One server under test.
pub(crate) struct Server {
    /// `reference` or `ossd`.
    pub name: String,
    /// How to reach it.
    pub target: Target,
    /// Its process id, when known (for RSS and CPU).
    pub pid: Option<u32>,
    /// The child process, when the bench started it (killed on drop).
    _process: Option<ServerProcess>,
}

/// The credentials for the server under test.
pub(crate) fn credentials(args: &Args) -> anyhow::Result<Credentials> {
    let region = args
        .region
        .clone()
        .unwrap_or_else(|| args.dialect.default_region().to_owned());
    let given = !args.endpoint.is_empty();
    let (id, secret) = match (&args.access_key_id, &args.access_key_secret, given) {
        (Some(id), Some(secret), _) => (id.clone(), secret.clone()),
        (None, None, false) => (BENCH_KEY_ID.to_owned(), BENCH_KEY_SECRET.to_owned()),
        (_, _, true) => bail!("--endpoint needs --access-key-id and --access-key-secret"),
        _ => bail!("give both --access-key-id and --access-key-secret, or neither"),
    };
    Ok(Credentials {
        access_key_id: id,
        secret,
        region,
    })
}

/// Starts the reference server child (unless disabled).
pub(crate) fn reference(args: &Args, pool: usize) -> anyhow::Result<Option<Server>> {
    if args.no_reference {
        return Ok(None);
    }
    let process = ServerProcess::spawn_reference()?;
    // The reference server checks no signature; any dialect's requests are fine.
    let creds = Credentials {
        access_key_id: "ref".into(),
        secret: "ref".into(),
        region: "ref".into(),
    };
    let signer = Signer {
        dialect: args.dialect,
        creds,
    };
    let target = Target::new(process.authority.clone(), args.bucket.clone(), signer, pool);
    Ok(Some(Server {
        name: "reference".into(),
        target,
        pid: Some(process.pid),
        _process: Some(process),
    }))
}

/// Starts ossd as a child, or describes the --endpoint server.
pub(crate) fn under_test(args: &Args, pool: usize) -> anyhow::Result<Server> {
    let creds = credentials(args)?;
    let signer = Signer {
        dialect: args.dialect,
        creds: creds.clone(),
    };
    if !args.endpoint.is_empty() {
        let authorities = args
            .endpoint
            .iter()
            .map(|e| authority_of(e))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let nodes = authorities.len();
        let target = Target::spread(authorities, args.bucket.clone(), signer, pool);
        let name = match (args.dialect, nodes) {
            (Dialect::S3, 1) => "s3-endpoint".to_owned(),
            (Dialect::Oss, 1) => "endpoint".to_owned(),
            (Dialect::S3, n) => format!("s3-{n}-nodes"),
            (Dialect::Oss, n) => format!("{n}-nodes"),
        };
        return Ok(Server {
            name,
            target,
            pid: args.server_pid,
            _process: None,
        });
    }
    let bin = ossd_bin(&args.ossd_bin);
    let process = ServerProcess::spawn_ossd(&bin, args.scratch_dir.as_deref(), &creds)
        .with_context(|| format!("is {} built? cargo build --release -p ossd", bin.display()))?;
    let target = Target::new(process.authority.clone(), args.bucket.clone(), signer, pool);
    Ok(Server {
        name: "ossd".into(),
        target,
        pid: Some(process.pid),
        _process: Some(process),
    })
}

/// The ossd binary: the given path, or else `ossd` next to this binary (same target directory).
fn ossd_bin(given: &Path) -> PathBuf {
    let sibling = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("ossd")));
    match sibling {
        Some(s) if !given.exists() && s.exists() => s,
        _ => given.to_path_buf(),
    }
}

/// `host:port` of an `http://host:port[/]` URL.
fn authority_of(endpoint: &str) -> anyhow::Result<String> {
    let Some(rest) = endpoint.strip_prefix("http://") else {
        bail!("--endpoint {endpoint:?}: only http:// URLs are supported");
    };
    let authority = rest.trim_end_matches('/');
    if authority.is_empty() || authority.contains('/') {
        bail!("--endpoint {endpoint:?}: expected http://host:port");
    }
    Ok(authority.to_owned())
}
