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

/// The version ids and the default of `policy version list --json`.
fn versions(server: &Server, policy: &str) -> anyhow::Result<(Vec<String>, String)> {
    let v = server.json(&["policy", "version", "list", policy], &[])?;
    let list = v["PolicyVersions"]["PolicyVersion"]
        .as_array()
        .context("no PolicyVersions")?;
    let mut ids = Vec::new();
    let mut default = String::new();
    for item in list {
        let id = str_at(item, &["VersionId"])?.to_owned();
        if item["IsDefaultVersion"] == true {
            default.clone_from(&id);
        }
        ids.push(id);
    }
    ids.sort();
    Ok((ids, default))
}

/// A policy document allowing `action` on everything.
fn allow(action: &str) -> String {
    format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
    )
}

/// Policy versions: create (default or not), list, set-default, delete, and `policy update`
/// dropping the oldest non-default version at the 5-version limit.
#[test]
fn policy_versions_and_update() -> anyhow::Result<()> {
    let server = Server::start(&[])?;
    let dir = server.data_dir();
    let doc = |name: &str, action: &str| -> anyhow::Result<String> {
        let path = dir.join(name);
        std::fs::write(&path, allow(action))?;
        Ok(path.to_string_lossy().into_owned())
    };
    let d1 = doc("d1.json", "oss:GetObject")?;
    server.json(&["policy", "create", "Versioned", "--document", &d1], &[])?;
    let d2 = doc("d2.json", "oss:PutObject")?;
    let made = server.json(
        &[
            "policy",
            "version",
            "create",
            "Versioned",
            "--document",
            &d2,
        ],
        &[],
    )?;
    assert_eq!(str_at(&made, &["PolicyVersion", "VersionId"])?, "v2");
    assert_eq!(
        versions(&server, "Versioned")?,
        (vec!["v1".into(), "v2".into()], "v1".into())
    );
    let d3 = doc("d3.json", "oss:ListObjects")?;
    server.json(
        &[
            "policy",
            "version",
            "create",
            "Versioned",
            "--document",
            &d3,
            "--set-default",
        ],
        &[],
    )?;
    assert_eq!(versions(&server, "Versioned")?.1, "v3");
    server.json(
        &["policy", "version", "set-default", "Versioned", "v2"],
        &[],
    )?;
    let got = server.json(&["policy", "get", "Versioned"], &[])?;
    ensure!(
        str_at(&got, &["DefaultPolicyVersion", "PolicyDocument"])?.contains("oss:PutObject"),
        "{got}"
    );
    server.json(&["policy", "version", "delete", "Versioned", "v3"], &[])?;
    assert_eq!(versions(&server, "Versioned")?.0, ["v1", "v2"]);
    // The default version cannot be deleted: RAM's error, exit status 1.
    let out = server.admin(&["policy", "version", "delete", "Versioned", "v2"], &[])?;
    ensure!(!out.status.success());

    // update: v4, v5, v6 as defaults (5 versions: v1 v2 v4 v5 v6), then v7 drops v1.
    for n in 4..=6 {
        let d = doc(&format!("u{n}.json"), "oss:GetObjectVersion")?;
        server.json(&["policy", "update", "Versioned", "--document", &d], &[])?;
    }
    let (ids, default) = versions(&server, "Versioned")?;
    assert_eq!((ids.len(), default.as_str()), (5, "v6"));
    let d7 = doc("u7.json", "oss:DeleteObject")?;
    let out = server.admin(&["policy", "update", "Versioned", "--document", &d7], &[])?;
    ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout)?;
    ensure!(said.contains("Deleted version v1"), "{said}");
    let (ids, default) = versions(&server, "Versioned")?;
    assert_eq!(ids, ["v2", "v4", "v5", "v6", "v7"]);
    assert_eq!(default, "v7");
    Ok(())
}

/// `role update` replaces the trust policy; `sts assume-role --env` prints export lines for
/// the SDKs, the AWS tools and the ossd CLI, which then sign as the role.
#[test]
fn role_trust_update_and_assume_role_env() -> anyhow::Result<()> {
    let server = Server::start(&[])?;
    let account = server.account_id()?;
    server.json(&["user", "create", "alice"], &[])?;
    let key = server.json(&["key", "create", "--user", "alice"], &[])?;
    let alice = [
        (
            "OSSD_ACCESS_KEY_ID",
            str_at(&key, &["AccessKey", "AccessKeyId"])?,
        ),
        (
            "OSSD_ACCESS_KEY_SECRET",
            str_at(&key, &["AccessKey", "AccessKeySecret"])?,
        ),
    ];
    server.json(
        &[
            "attach",
            "--policy",
            "AliyunSTSAssumeRoleAccess",
            "--user",
            "alice",
        ],
        &[],
    )?;
    // Trusting another account: alice may not assume it.
    server.json(
        &[
            "role",
            "create",
            "Uploader",
            "--trust-account",
            "1999999999999999",
        ],
        &[],
    )?;
    let arn = format!("acs:ram::{account}:role/Uploader");
    let assume = [
        "sts",
        "assume-role",
        arn.as_str(),
        "--session",
        "s1",
        "--env",
    ];
    let denied = server.admin(&assume, &alice)?;
    ensure!(
        !denied.status.success(),
        "assumed a role that trusts another account"
    );

    let trust = server.data_dir().join("trust.json");
    std::fs::write(
        &trust,
        format!(
            r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{{"RAM":["acs:ram::{account}:user/alice"]}}}}]}}"#
        ),
    )?;
    let trust = trust.to_string_lossy().into_owned();
    let updated = server.json(
        &[
            "role",
            "update",
            "Uploader",
            "--trust-policy",
            &trust,
            "--max-session-duration",
            "7200",
        ],
        &[],
    )?;
    ensure!(
        str_at(&updated, &["Role", "AssumeRolePolicyDocument"])?.contains("user/alice"),
        "{updated}"
    );
    let out = server.admin(&assume, &alice)?;
    ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout)?;
    let mut vars = std::collections::BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (name, value) = line
            .strip_prefix("export ")
            .and_then(|l| l.split_once('='))
            .with_context(|| format!("not an export line: {line:?}"))?;
        vars.insert(name.to_owned(), value.trim_matches('\'').to_owned());
    }
    for family in [
        [
            "OSS_ACCESS_KEY_ID",
            "OSS_ACCESS_KEY_SECRET",
            "OSS_SESSION_TOKEN",
        ],
        [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ],
        [
            "OSSD_ACCESS_KEY_ID",
            "OSSD_ACCESS_KEY_SECRET",
            "OSSD_SECURITY_TOKEN",
        ],
    ] {
        for name in family {
            ensure!(
                vars.get(name).is_some_and(|v| !v.is_empty()),
                "{name} in {text}"
            );
        }
        ensure!(vars[family[0]].starts_with("STS."), "{text}");
    }
    // The ossd lines, as printed, make the CLI sign as the role session.
    let env: Vec<(&str, &str)> = vars
        .iter()
        .filter(|(k, _)| k.starts_with("OSSD_"))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let me = server.json(&["sts", "whoami"], &env)?;
    assert_eq!(
        str_at(&me, &["Arn"])?,
        format!("acs:ram::{account}:assumed-role/Uploader/s1")
    );
    Ok(())
}
