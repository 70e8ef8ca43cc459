//! The start-up banner of `ossd serve`: `--dev` snippets carry the public dev secret so that they
//! run as pasted; outside `--dev` no snippet carries a secret, and a line says where it is.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use anyhow::{Context, ensure};

/// The public `--dev` root secret (docs/emulator.md).
const DEV_ROOT_SECRET: &str = "DevRootSecretNotForProduction0";

/// Starts `ossd serve` on a free port with `extra`, reads stdout up to the line that starts
/// with `last`, kills the server and returns the lines read.
fn banner(extra: &[&str], last: &str) -> anyhow::Result<Vec<String>> {
    let dir = tempfile::tempdir()?;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ossd"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .args(extra)
        .env_remove("OSSD_ADDR")
        .env_remove("OSSD_CONFIG")
        .env_remove("OSSD_ROOT_ACCESS_KEY_ID")
        .env_remove("OSSD_ROOT_ACCESS_KEY_SECRET")
        .env_remove("OSSD_TLS_CERT")
        .env_remove("OSSD_TLS_KEY")
        .env_remove("OSSD_TLS_SELF_SIGNED")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut lines = Vec::new();
    let mut read = BufReader::new(stdout).lines();
    let result = loop {
        match read.next() {
            Some(Ok(line)) => {
                let done = line.trim_start().starts_with(last);
                lines.push(line);
                if done {
                    break Ok(lines);
                }
            }
            Some(Err(e)) => break Err(e.into()),
            None => break Err(anyhow::anyhow!("banner ended early: {lines:#?}")),
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}

#[test]
fn dev_snippets_carry_the_public_secret() -> anyhow::Result<()> {
    let lines = banner(&["--dev", "--memory"], "ossd admin (CLI)")?;
    let text = lines.join("\n");
    ensure!(!text.contains("<secret>"), "{text}");
    let root = lines
        .iter()
        .find(|l| l.contains("new OSS(") && l.contains("LTAI5tDevRootAccessKey01"))
        .context("no ali-oss root snippet")?;
    ensure!(
        root.contains(&format!("accessKeySecret: '{DEV_ROOT_SECRET}'")),
        "{root}"
    );
    ensure!(text.contains(&format!(
        "oss2.AuthV4('LTAI5tDevRootAccessKey01', '{DEV_ROOT_SECRET}')"
    )));
    // The default bucket, and the snippets use it.
    ensure!(
        lines
            .iter()
            .any(|l| l.trim_start().starts_with("bucket:") && l.contains("examplebucket")),
        "{text}"
    );
    let named = banner(
        &["--dev", "--memory", "--dev-bucket", "my-dev"],
        "ossd admin (CLI)",
    )?
    .join("\n");
    ensure!(named.contains("bucket: 'my-dev'"), "{named}");
    ensure!(named.contains("'my-dev', region="), "{named}");
    Ok(())
}

#[test]
fn other_snippets_read_the_secret_from_the_environment() -> anyhow::Result<()> {
    let lines = banner(&[], "with OSSD_ACCESS_KEY_SECRET")?;
    let text = lines.join("\n");
    ensure!(!text.contains("<secret>"), "{text}");
    let secret = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("AccessKeySecret: "))
        .context("no AccessKeySecret line")?;
    let snippets: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("new OSS(") || l.contains("accessKeyId:") || l.contains("oss2."))
        .collect();
    ensure!(snippets.len() == 3, "{text}");
    for s in snippets {
        ensure!(!s.contains(secret), "secret in a snippet: {s}");
    }
    ensure!(text.contains("accessKeySecret: process.env.OSSD_ACCESS_KEY_SECRET"));
    ensure!(text.contains("os.environ['OSSD_ACCESS_KEY_SECRET']"));
    ensure!(
        text.contains("the AccessKeySecret above (shown once)"),
        "{text}"
    );
    Ok(())
}
