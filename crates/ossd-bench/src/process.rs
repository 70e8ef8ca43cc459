//! Child server processes: the real `ossd` and the reference server, started on 127.0.0.1:0.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, bail};
use tempfile::TempDir;

use crate::sign::Credentials;

/// How long a child may take to print its listening line.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// What precedes the address in a listening line.
const LISTENING: &str = " listening on http://";

/// A running child server; killed when dropped.
#[derive(Debug)]
pub(crate) struct ServerProcess {
    /// The child.
    child: Child,
    /// Its process id (for `/proc`).
    pub pid: u32,
    /// `127.0.0.1:PORT` it listens on.
    pub authority: String,
    /// Scratch directory (ossd data and log), removed on drop.
    _scratch: Option<TempDir>,
}

impl ServerProcess {
    /// Starts `ossd serve` on a fresh data directory under `scratch_root` (default: the system temp dir).
    pub(crate) fn spawn_ossd(
        bin: &Path,
        scratch_root: Option<&Path>,
        creds: &Credentials,
    ) -> anyhow::Result<Self> {
        let scratch = match scratch_root {
            Some(root) => tempfile::Builder::new()
                .prefix("ossd-bench-")
                .tempdir_in(root),
            None => tempfile::Builder::new().prefix("ossd-bench-").tempdir(),
        }
        .context("creating the scratch directory")?;
        let log_path = scratch.path().join("ossd.log");
        let log = std::fs::File::create(&log_path).context("creating ossd.log")?;
        let mut cmd = Command::new(bin);
        cmd.args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--region",
            &creds.region,
            "--data-dir",
        ])
        .arg(scratch.path().join("data"))
        .env("OSSD_ROOT_ACCESS_KEY_ID", &creds.access_key_id)
        .env("OSSD_ROOT_ACCESS_KEY_SECRET", &creds.secret)
        .stderr(log);
        let started = spawn(cmd)
            .with_context(|| format!("starting {} (log: {})", bin.display(), log_path.display()));
        let (child, authority) = match started {
            Ok(ok) => ok,
            Err(e) => bail!("{e:#}\n--- last lines of ossd.log ---\n{}", tail(&log_path)),
        };
        Ok(Self {
            pid: child.id(),
            child,
            authority,
            _scratch: Some(scratch),
        })
    }

    /// Starts this binary's hidden `reference-server` subcommand.
    pub(crate) fn spawn_reference() -> anyhow::Result<Self> {
        let exe = std::env::current_exe().context("locating the bench binary")?;
        let mut cmd = Command::new(exe);
        cmd.args(["reference-server", "--addr", "127.0.0.1:0"])
            .stderr(Stdio::inherit());
        let (child, authority) = spawn(cmd).context("starting the reference server")?;
        Ok(Self {
            pid: child.id(),
            child,
            authority,
            _scratch: None,
        })
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Spawns `cmd` with piped stdout and waits for its listening line; stdout is drained afterwards.
fn spawn(mut cmd: Command) -> anyhow::Result<(Child, String)> {
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).spawn()?;
    let stdout = child.stdout.take().context("child stdout")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if !sent && let Some((_, addr)) = line.split_once(LISTENING) {
                sent = tx.send(addr.trim().to_owned()).is_ok();
            }
        }
    });
    match rx.recv_timeout(START_TIMEOUT) {
        Ok(authority) => Ok((child, authority)),
        Err(e) => {
            let _ = child.kill();
            let status = child.wait().map(|s| s.to_string()).unwrap_or_default();
            bail!("no listening line on stdout ({e}); exit status: {status}")
        }
    }
}

/// The last lines of a log file (for start-up failures).
fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
