//! Test harness for `ossd admin`: a real `ossd serve` on port 0 in a fresh data directory, and
//! runs of the `ossd` binary against it.

// Each test target that includes this module uses only part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Output, Stdio};

use anyhow::{Context, bail, ensure};
use serde_json::Value;

/// Environment variables of the client commands (`ossd admin`, `ossd ls`, …) that must not leak
/// in from the test's environment.
const CLIENT_ENV: [&str; 13] = [
    "OSSD_ENDPOINT",
    "OSSD_ACCESS_KEY_ID",
    "OSSD_ACCESS_KEY_SECRET",
    "OSSD_SECURITY_TOKEN",
    "OSSD_REGION",
    "OSSD_PROFILE",
    "OSSD_DATA_DIR",
    "OSSD_CA_FILE",
    "OSS_ACCESS_KEY_ID",
    "OSS_ACCESS_KEY_SECRET",
    "OSS_SESSION_TOKEN",
    "OSS_ENDPOINT",
    "OSS_REGION",
];

/// Keeps the test's environment out of a client command: removes its variables and points the
/// profile file at `config_home` (`$XDG_CONFIG_HOME/ossd/config.toml`) instead of the user's.
pub(crate) fn isolate(cmd: &mut Command, config_home: &Path) {
    for name in CLIENT_ENV {
        cmd.env_remove(name);
    }
    cmd.env("XDG_CONFIG_HOME", config_home);
}

/// A running `ossd serve`, killed on drop.
pub(crate) struct Server {
    /// The server process.
    child: Child,
    /// Kept open so that the server never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
    /// `http://127.0.0.1:<port>` or `https://…`, from the first line of its stdout.
    pub endpoint: String,
    /// The data directory (removed on drop).
    dir: tempfile::TempDir,
}

impl Server {
    /// Starts a server on a free port in a fresh data directory.
    pub(crate) fn start(extra: &[&str]) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut child = Command::new(env!("CARGO_BIN_EXE_ossd"))
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .args(extra)
            .env("OSSD_ROOT_ACCESS_KEY_ID", "LTAIadmincli000000000000")
            .env(
                "OSSD_ROOT_ACCESS_KEY_SECRET",
                "adminclirootsecret000000000000",
            )
            .env_remove("OSSD_ADDR")
            .env_remove("OSSD_CONFIG")
            .env_remove("OSSD_TLS_CERT")
            .env_remove("OSSD_TLS_KEY")
            .env_remove("OSSD_TLS_SELF_SIGNED")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut stdout = BufReader::new(child.stdout.take().context("no stdout")?);
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        let endpoint = line
            .trim()
            .strip_prefix("ossd listening on ")
            .map(str::to_owned);
        let Some(endpoint) = endpoint else {
            let _ = child.kill();
            bail!("unexpected first line from ossd serve: {line:?}");
        };
        Ok(Self {
            child,
            _stdout: stdout,
            endpoint,
            dir,
        })
    }

    /// The data directory.
    pub(crate) fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The account id the server created.
    pub(crate) fn account_id(&self) -> anyhow::Result<String> {
        let identity: Value =
            serde_json::from_slice(&std::fs::read(self.data_dir().join("identity.json"))?)?;
        Ok(str_at(&identity, &["account_id"])?.to_owned())
    }

    /// Runs `ossd admin <args>` against this server with extra environment variables.
    pub(crate) fn admin(&self, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<Output> {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ossd"));
        cmd.args(["admin", "--endpoint", &self.endpoint, "--data-dir"])
            .arg(self.data_dir())
            .args(args);
        isolate(&mut cmd, &self.data_dir().join("config-home"));
        cmd.envs(env.iter().copied());
        Ok(cmd.output()?)
    }

    /// Runs `ossd admin --json <args>`; the parsed stdout of a successful run.
    pub(crate) fn json(&self, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<Value> {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.admin(&all, env)?;
        ensure!(
            out.status.success(),
            "ossd admin {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .with_context(|| format!("stdout of {args:?} is not JSON"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The string at a path of object keys.
pub(crate) fn str_at<'a>(v: &'a Value, path: &[&str]) -> anyhow::Result<&'a str> {
    path.iter()
        .try_fold(v, |v, key| v.get(key))
        .and_then(Value::as_str)
        .with_context(|| format!("no string at {path:?} in {v}"))
}

/// Unix seconds of an RPC timestamp.
pub(crate) fn unix(ts: &str) -> anyhow::Result<i64> {
    ensure!(ts.len() == 20 && ts.ends_with('Z'), "bad timestamp {ts:?}");
    ossd_sig::rpc::parse_rpc_timestamp(ts)
        .map(time::OffsetDateTime::unix_timestamp)
        .with_context(|| format!("bad timestamp {ts:?}"))
}
