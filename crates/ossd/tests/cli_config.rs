//! End to end: where the object commands and `ossd admin` take their connection settings from
//! (docs/cli.md#profiles): the profile file written by `ossd config` (mode 0600, refused when
//! others can read it), the `OSS_*` variables of the Alibaba Cloud tools, and the precedence
//! flags > `OSSD_*` > `OSS_*` > profile, against a real `ossd serve --memory`.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use anyhow::{Context, ensure};
use serde_json::Value;

use support::{Server, str_at};

/// The root key `support::Server` starts a non-`--dev` server with.
const ROOT_KEY: (&str, &str) = ("LTAIadmincli000000000000", "adminclirootsecret000000000000");

/// Runs `ossd <args>` with only `env` (and the profile file under `config_home`) configured.
fn ossd(
    config_home: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> anyhow::Result<Output> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ossd"));
    cmd.args(args).current_dir(config_home);
    support::isolate(&mut cmd, config_home);
    cmd.envs(env.iter().copied());
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let mut input = child.stdin.take().context("stdin")?;
    input.write_all(stdin.unwrap_or_default().as_bytes())?;
    drop(input);
    Ok(child.wait_with_output()?)
}

/// Runs `ossd <args>`, which must succeed; its standard output.
fn ok(config_home: &Path, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<String> {
    let out = ossd(config_home, args, env, None)?;
    ensure!(
        out.status.success(),
        "ossd {args:?} with {env:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

/// Runs `ossd <args>`, which must fail with exit code 1; its standard error.
fn fails(config_home: &Path, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<String> {
    let out = ossd(config_home, args, env, None)?;
    ensure!(
        out.status.code() == Some(1),
        "ossd {args:?} with {env:?}: expected exit 1, got {}",
        out.status
    );
    Ok(String::from_utf8(out.stderr)?)
}

/// Writes a profile with `ossd config set`.
fn set_profile(home: &Path, name: &str, settings: &[(&str, &str)]) -> anyhow::Result<()> {
    for (key, value) in settings {
        ok(home, &["config", "set", "--profile", name, key, value], &[])?;
    }
    Ok(())
}

#[cfg(unix)]
fn mode(path: &Path) -> anyhow::Result<u32> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o777)
}

#[test]
fn profile_file_written_by_ossd_config() -> anyhow::Result<()> {
    let server = Server::start(&["--memory"])?;
    let home = tempfile::tempdir()?;
    let home = home.path();
    let ep = server.endpoint.as_str();
    set_profile(
        home,
        "t",
        &[("endpoint", ep), ("access_key_id", ROOT_KEY.0)],
    )?;
    // `-` reads the value from standard input: the secret stays out of the shell history.
    let out = ossd(
        home,
        &["config", "set", "--profile", "t", "access_key_secret", "-"],
        &[],
        Some(&format!("{}\n", ROOT_KEY.1)),
    )?;
    ensure!(out.status.success(), "{out:?}");
    let file = ok(home, &["config", "path"], &[])?;
    let file = Path::new(file.trim());
    ensure!(file == home.join("ossd").join("config.toml"), "{file:?}");
    #[cfg(unix)]
    {
        ensure!(mode(file)? == 0o600, "file mode {:o}", mode(file)?);
        ensure!(mode(&home.join("ossd"))? == 0o700, "directory mode");
    }
    let list = ok(home, &["config", "list"], &[])?;
    ensure!(
        list == format!(
            "[t]\nendpoint = {ep}\naccess_key_id = {}\naccess_key_secret = ****\n",
            ROOT_KEY.0
        ),
        "{list}"
    );
    // The object commands and `ossd admin` read it: --profile or OSSD_PROFILE.
    ok(home, &["mb", "oss://from-profile", "--profile", "t"], &[])?;
    let listed = ok(home, &["ls"], &[("OSSD_PROFILE", "t")])?;
    ensure!(listed.contains("from-profile"), "{listed}");
    let me: Value = serde_json::from_str(&ok(
        home,
        &["admin", "--profile", "t", "--json", "sts", "whoami"],
        &[],
    )?)?;
    ensure!(str_at(&me, &["Arn"])?.ends_with(":root"), "{me}");
    // Without --profile, the profile `default` is used when there is one.
    set_profile(
        home,
        "default",
        &[
            ("endpoint", ep),
            ("access_key_id", ROOT_KEY.0),
            ("access_key_secret", ROOT_KEY.1),
            ("region", "oss-cn-hangzhou"),
            ("signature_version", "v4"),
        ],
    )?;
    ensure!(ok(home, &["ls"], &[])?.contains("from-profile"));
    // A profile that does not exist is an error, not a silent fallback.
    let err = fails(home, &["ls", "--profile", "nope"], &[])?;
    ensure!(err.contains("no profile \"nope\""), "{err}");
    // Unsupported settings are refused when written.
    let out = ossd(
        home,
        &["config", "set", "signature_version", "v1"],
        &[],
        None,
    )?;
    ensure!(!out.status.success(), "v1 accepted");
    ok(
        home,
        &["config", "unset", "--profile", "t", "access_key_secret"],
        &[],
    )?;
    ensure!(!ok(home, &["config", "list", "--profile", "t"], &[])?.contains("secret"));
    // Readable by others: refused, with the fix (like ssh with a private key).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644))?;
        let err = fails(home, &["ls"], &[])?;
        ensure!(err.contains("readable by others (mode 0644)"), "{err}");
        ensure!(err.contains("chmod 600"), "{err}");
    }
    Ok(())
}

#[test]
fn precedence_flags_then_ossd_then_oss_then_profile() -> anyhow::Result<()> {
    let server = Server::start(&["--memory"])?;
    let home = tempfile::tempdir()?;
    let home = home.path();
    let ep = server.endpoint.as_str();
    // Port 9 (discard): nothing answers there.
    let nowhere = "http://127.0.0.1:9";
    let bad_id = "LTAIunknown0000000000000";
    set_profile(
        home,
        "default",
        &[
            ("endpoint", nowhere),
            ("access_key_id", bad_id),
            ("access_key_secret", "x"),
        ],
    )?;
    let oss_good = [
        ("OSS_ACCESS_KEY_ID", ROOT_KEY.0),
        ("OSS_ACCESS_KEY_SECRET", ROOT_KEY.1),
        ("OSS_ENDPOINT", ep),
        ("OSS_REGION", "oss-cn-hangzhou"),
    ];
    // OSS_* over the profile, setting by setting.
    ok(home, &["ls"], &oss_good)?;
    // The profile alone: its key is unknown, and the hint names where it came from.
    let err = fails(home, &["ls", "--endpoint", ep], &[])?;
    ensure!(err.starts_with("ossd: InvalidAccessKeyId: "), "{err}");
    ensure!(
        err.contains("hint: the AccessKey came from the profile \"default\""),
        "{err}"
    );
    // OSS_* credentials over the profile's; an unknown OSS_* key gets its own hint.
    let oss_bad = [
        ("OSS_ACCESS_KEY_ID", bad_id),
        ("OSS_ACCESS_KEY_SECRET", "x"),
        ("OSS_ENDPOINT", ep),
    ];
    let err = fails(home, &["ls"], &oss_bad)?;
    ensure!(
        err.contains("hint: the AccessKey came from OSS_ACCESS_KEY_ID"),
        "{err}"
    );
    // OSSD_* over OSS_*.
    let ossd_good = [
        ("OSSD_ACCESS_KEY_ID", ROOT_KEY.0),
        ("OSSD_ACCESS_KEY_SECRET", ROOT_KEY.1),
        ("OSS_ACCESS_KEY_ID", bad_id),
        ("OSS_ACCESS_KEY_SECRET", "x"),
        ("OSSD_ENDPOINT", ep),
        ("OSS_ENDPOINT", nowhere),
    ];
    ok(home, &["ls"], &ossd_good)?;
    ok(home, &["admin", "sts", "whoami"], &ossd_good)?;
    // The region of the V4 scope must be the server's (cn-hangzhou): OSSD_REGION over OSS_REGION.
    let mut region = ossd_good.to_vec();
    region.push(("OSS_REGION", "cn-beijing"));
    let err = fails(home, &["ls"], &region)?;
    ensure!(err.contains("Invalid signing region"), "{err}");
    region.push(("OSSD_REGION", "cn-hangzhou"));
    ok(home, &["ls"], &region)?;
    // Flags over OSSD_*.
    let ossd_bad = [
        ("OSSD_ACCESS_KEY_ID", bad_id),
        ("OSSD_ACCESS_KEY_SECRET", "x"),
        ("OSSD_ENDPOINT", nowhere),
    ];
    let flags = [
        "ls",
        "--endpoint",
        ep,
        "--access-key-id",
        ROOT_KEY.0,
        "--access-key-secret",
        ROOT_KEY.1,
    ];
    ok(home, &flags, &ossd_bad)?;
    let err = fails(home, &["ls", "--endpoint", ep], &ossd_bad)?;
    ensure!(err.starts_with("ossd: InvalidAccessKeyId: "), "{err}");
    ensure!(!err.contains("hint:"), "named explicitly, no hint: {err}");
    Ok(())
}

/// `ossd admin sts assume-role --env` prints lines the CLI itself reads: the `OSS_*` ones alone
/// (those of the SDKs) make it sign as the role session.
#[test]
fn assume_role_env_lines_work_with_the_oss_variables_alone() -> anyhow::Result<()> {
    let server = Server::start(&["--dev", "--memory"])?;
    let home = tempfile::tempdir()?;
    let home = home.path();
    let ep = server.endpoint.as_str();
    let dev_user = [
        ("OSSD_ENDPOINT", ep),
        ("OSSD_ACCESS_KEY_ID", "LTAI5tDevUserAccessKey01"),
        ("OSSD_ACCESS_KEY_SECRET", "DevUserSecretNotForProduction0"),
    ];
    let text = ok(
        home,
        &[
            "admin",
            "sts",
            "assume-role",
            "acs:ram::1000000000000001:role/dev",
            "--session",
            "cli",
            "--env",
        ],
        &dev_user,
    )?;
    let mut vars = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("export OSS_")) {
        let (name, value) = line
            .strip_prefix("export ")
            .and_then(|l| l.split_once('='))
            .with_context(|| format!("not an export line: {line:?}"))?;
        vars.push((name.to_owned(), value.trim_matches('\'').to_owned()));
    }
    ensure!(vars.len() == 3, "{text}");
    let mut env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.push(("OSS_ENDPOINT", ep));
    let me: Value = serde_json::from_str(&ok(home, &["admin", "--json", "sts", "whoami"], &env)?)?;
    ensure!(
        str_at(&me, &["Arn"])? == "acs:ram::1000000000000001:assumed-role/dev/cli",
        "{me}"
    );
    let listed = ok(home, &["ls"], &env)?;
    ensure!(listed.contains("examplebucket"), "{listed}");
    Ok(())
}
