//! The `--dev` default bucket (docs/emulator.md): `examplebucket` exists after start and after
//! a reset, `--dev-bucket` renames it, `--no-default-bucket` leaves the server empty.

mod support;

use std::process::Command;

use anyhow::ensure;
use serde_json::Value;

use support::Server;

/// The bucket names `ossd ls --json` prints against `server` (with the `--dev` root key).
fn buckets(server: &Server) -> anyhow::Result<Vec<String>> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ossd"));
    cmd.args(["ls", "--json", "--endpoint", &server.endpoint, "--data-dir"])
        .arg(server.data_dir());
    support::isolate(&mut cmd, &server.data_dir().join("config-home"));
    let out = cmd.output()?;
    ensure!(
        out.status.success(),
        "ossd ls: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names = Vec::new();
    for line in String::from_utf8(out.stdout)?.lines() {
        let v: Value = serde_json::from_str(line)?;
        if let Some(name) = v.get("name").and_then(Value::as_str) {
            names.push(name.to_owned());
        }
    }
    Ok(names)
}

#[test]
fn dev_creates_examplebucket_also_after_a_reset() -> anyhow::Result<()> {
    let server = Server::start(&["--dev", "--memory"])?;
    assert_eq!(buckets(&server)?, ["examplebucket"]);
    let dev_root = [
        ("OSSD_ACCESS_KEY_ID", "LTAI5tDevRootAccessKey01"),
        ("OSSD_ACCESS_KEY_SECRET", "DevRootSecretNotForProduction0"),
    ];
    let out = server.admin(&["reset"], &dev_root)?;
    ensure!(
        out.status.success(),
        "reset: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(buckets(&server)?, ["examplebucket"]);
    Ok(())
}

#[test]
fn dev_bucket_names_it_and_no_default_bucket_skips_it() -> anyhow::Result<()> {
    let named = Server::start(&["--dev", "--memory", "--dev-bucket", "my-dev"])?;
    assert_eq!(buckets(&named)?, ["my-dev"]);
    let none = Server::start(&["--dev", "--memory", "--no-default-bucket"])?;
    assert_eq!(buckets(&none)?, Vec::<String>::new());
    Ok(())
}

#[test]
fn bad_dev_bucket_settings_are_refused_at_start() -> anyhow::Result<()> {
    for (args, expected) in [
        (&["--dev", "--dev-bucket", "Bad_Name"][..], "--dev-bucket"),
        (
            &["--dev-bucket", "fine"][..],
            "only allowed together with --dev",
        ),
    ] {
        let dir = tempfile::tempdir()?;
        let out = Command::new(env!("CARGO_BIN_EXE_ossd"))
            .args(["serve", "--memory", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .args(args)
            .env_remove("OSSD_CONFIG")
            .output()?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        ensure!(!out.status.success(), "{args:?} started");
        ensure!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    Ok(())
}
