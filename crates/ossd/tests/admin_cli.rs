//! End to end: a real `ossd serve` on port 0, driven through `ossd admin --json` along the STS
//! guide's console flow (user + AccessKey, AliyunSTSAssumeRoleAccess, role RamOssTest trusting the
//! account, custom policy RamTestPolicy attached to it, AssumeRole for 3000 s).
// Signatures made by the CLI use the real time; the test brackets them with it.
#![allow(clippy::disallowed_methods)]

mod support;

use anyhow::{Context, ensure};

use support::{Server, str_at, unix};

/// The seed's custom policy, as typed into the console's JSON editor.
const RAM_TEST_POLICY: &str = r#"{
"Version": "1",
"Statement": [
{
"Effect": "Allow",
"Action": [
"oss:PutObject",
"oss:GetObject"
],
"Resource": [
"acs:oss:*:*:examplebucket",
"acs:oss:*:*:examplebucket/*"
]
}
]
}
"#;

/// Steps 1–5 of the guide, asserting on the `--json` outputs.
#[test]
fn seed_flow_through_the_cli() -> anyhow::Result<()> {
    let server = Server::start(&[])?;
    let account = server.account_id()?;

    // Step 1: a RAM user with an AccessKey.
    let user = server.json(
        &["user", "create", "ramtest", "--display-name", "RAM test"],
        &[],
    )?;
    assert_eq!(str_at(&user, &["User", "UserName"])?, "ramtest");
    let key = server.json(&["key", "create", "--user", "ramtest"], &[])?;
    let key_id = str_at(&key, &["AccessKey", "AccessKeyId"])?.to_owned();
    let key_secret = str_at(&key, &["AccessKey", "AccessKeySecret"])?.to_owned();
    ensure!(!key_secret.is_empty());

    // Step 2: the AssumeRole permission (a system policy; the type is found by name).
    let attached = server.json(
        &[
            "attach",
            "--policy",
            "AliyunSTSAssumeRoleAccess",
            "--user",
            "ramtest",
        ],
        &[],
    )?;
    ensure!(attached.get("RequestId").is_some());

    // Step 3: role RamOssTest trusting the current account; its ARN.
    let role = server.json(&["role", "create", "RamOssTest"], &[])?;
    let arn = format!("acs:ram::{account}:role/RamOssTest");
    assert_eq!(str_at(&role, &["Role", "Arn"])?, arn);
    let trust = str_at(&role, &["Role", "AssumeRolePolicyDocument"])?;
    ensure!(
        trust.contains(&format!("acs:ram::{account}:root")),
        "{trust}"
    );
    let got = server.json(&["role", "get", "RamOssTest"], &[])?;
    assert_eq!(str_at(&got, &["Role", "Arn"])?, arn);

    // Step 4: custom policy RamTestPolicy from JSON, attached to the role.
    let file = server.data_dir().join("ram-test-policy.json");
    std::fs::write(&file, RAM_TEST_POLICY)?;
    let file = file.to_string_lossy().into_owned();
    let policy = server.json(
        &["policy", "create", "RamTestPolicy", "--document", &file],
        &[],
    )?;
    assert_eq!(str_at(&policy, &["Policy", "PolicyType"])?, "Custom");
    server.json(
        &[
            "attach",
            "--policy",
            "RamTestPolicy",
            "--role",
            "RamOssTest",
        ],
        &[],
    )?;
    let listed = server.json(&["policies-for", "--role", "RamOssTest"], &[])?;
    let policies = listed["Policies"]["Policy"]
        .as_array()
        .context("no policy list")?;
    assert_eq!(policies.len(), 1);
    assert_eq!(str_at(&policies[0], &["PolicyName"])?, "RamTestPolicy");
    assert_eq!(str_at(&policies[0], &["PolicyType"])?, "Custom");

    // Step 5: the RAM user assumes the role for 3000 seconds.
    let as_user = [
        ("OSSD_ACCESS_KEY_ID", key_id.as_str()),
        ("OSSD_ACCESS_KEY_SECRET", key_secret.as_str()),
    ];
    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    let sts = server.json(
        &[
            "sts",
            "assume-role",
            &arn,
            "--session",
            "sessiontest",
            "--duration",
            "3000",
        ],
        &as_user,
    )?;
    let after = time::OffsetDateTime::now_utc().unix_timestamp();
    let temp_id = str_at(&sts, &["Credentials", "AccessKeyId"])?;
    ensure!(temp_id.starts_with("STS."), "{temp_id}");
    let expires = unix(str_at(&sts, &["Credentials", "Expiration"])?)?;
    ensure!(
        (before + 3000 - 1..=after + 3000).contains(&expires),
        "expiration {expires} not ~3000 s after {before}"
    );
    assert_eq!(
        str_at(&sts, &["AssumedRoleUser", "Arn"])?,
        format!("{arn}/sessiontest")
    );

    // The temporary credentials identify the role session.
    let as_session = [
        ("OSSD_ACCESS_KEY_ID", temp_id),
        (
            "OSSD_ACCESS_KEY_SECRET",
            str_at(&sts, &["Credentials", "AccessKeySecret"])?,
        ),
        (
            "OSSD_SECURITY_TOKEN",
            str_at(&sts, &["Credentials", "SecurityToken"])?,
        ),
    ];
    let me = server.json(&["sts", "whoami"], &as_session)?;
    assert_eq!(str_at(&me, &["IdentityType"])?, "AssumedRoleUser");
    assert_eq!(
        str_at(&me, &["Arn"])?,
        format!("acs:ram::{account}:assumed-role/RamOssTest/sessiontest")
    );
    Ok(())
}

/// Failures print `Code: Message (RequestId)` to stderr and exit 1; `role get` shows the ARN.
#[test]
fn errors_go_to_stderr_with_code_and_request_id() -> anyhow::Result<()> {
    let server = Server::start(&[])?;
    let out = server.admin(&["user", "get", "nobody"], &[])?;
    assert_eq!(out.status.code(), Some(1));
    ensure!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    ensure!(
        err.starts_with("EntityNotExist.User: ") && err.trim_end().ends_with(')'),
        "{err}"
    );
    // The human output of `role get` shows the ARN.
    server.json(
        &[
            "role",
            "create",
            "RamOssTest",
            "--max-session-duration",
            "7200",
        ],
        &[],
    )?;
    let out = server.admin(&["role", "get", "RamOssTest"], &[])?;
    let text = String::from_utf8_lossy(&out.stdout);
    let arn = format!("acs:ram::{}:role/RamOssTest", server.account_id()?);
    ensure!(
        text.lines()
            .any(|l| l.split_whitespace().eq(["Arn", arn.as_str()])),
        "{text}"
    );
    Ok(())
}

/// HTTPS trusting the server's development certificate through `--ca-file`.
#[test]
fn https_with_the_development_certificate() -> anyhow::Result<()> {
    let server = Server::start(&["--tls-self-signed"])?;
    ensure!(
        server.endpoint.starts_with("https://"),
        "{}",
        server.endpoint
    );
    let cert = server.data_dir().join("tls").join("dev-cert.pem");
    let cert = cert.to_string_lossy().into_owned();
    let me = server.json(&["--ca-file", &cert, "sts", "whoami"], &[])?;
    assert_eq!(str_at(&me, &["IdentityType"])?, "Account");
    Ok(())
}
