//! Start-up errors of `ossd serve`: one paragraph on stderr, exit code 1, never a backtrace.

use std::net::TcpListener;
use std::process::Command;

use anyhow::ensure;

/// A busy port names the address and suggests `--addr`, without a backtrace even when
/// `RUST_BACKTRACE=1` asks for one.
#[test]
fn busy_port_is_one_clean_message() -> anyhow::Result<()> {
    let taken = TcpListener::bind("127.0.0.1:0")?;
    let addr = taken.local_addr()?.to_string();
    let dir = tempfile::tempdir()?;
    let out = Command::new(env!("CARGO_BIN_EXE_ossd"))
        .args(["serve", "--addr", &addr, "--data-dir"])
        .arg(dir.path())
        .env("RUST_BACKTRACE", "1")
        .env("RUST_LIB_BACKTRACE", "1")
        .env_remove("OSSD_ADDR")
        .env_remove("OSSD_CONFIG")
        .env_remove("OSSD_TLS_CERT")
        .env_remove("OSSD_TLS_KEY")
        .env_remove("OSSD_TLS_SELF_SIGNED")
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(
        out.status.code() == Some(1),
        "exit {:?}: {stderr}",
        out.status
    );
    let expected = format!("{addr} is already in use; pass --addr to listen elsewhere");
    ensure!(stderr.contains(&expected), "stderr: {stderr}");
    ensure!(
        !stderr.to_lowercase().contains("backtrace"),
        "stderr: {stderr}"
    );
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    ensure!(lines.len() == 1, "stderr: {stderr}");
    Ok(())
}
